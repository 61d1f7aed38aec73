"""Sentences of views/wording.py as Dash components: the one place the page turns words into HTML elements."""

from __future__ import annotations

from dash import html

from dashboard.views.wording import Em, Link, Quote, Segment, Strong


def link(text: str, href: str) -> html.A:
    """A link to a source, opened in a new tab (the map keeps its state)."""
    return html.A(text, href=href, target="_blank", rel="noopener noreferrer")


def components(sentence: list[Segment]) -> list:
    """A sentence's segments as Dash children."""
    out: list = []
    for segment in sentence:
        if isinstance(segment, Link):
            out.append(link(segment.text, segment.href))
        elif isinstance(segment, Quote):
            out.append(html.Q(segment.text))
        elif isinstance(segment, Strong):
            out.append(html.B(segment.text))
        elif isinstance(segment, Em):
            out.append(html.Em(segment.text, className="later"))
        else:
            out.append(segment)
    return out
