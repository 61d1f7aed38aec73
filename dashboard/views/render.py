"""Sentences of views/wording.py as Dash components: the one place the page turns words into HTML elements."""

from __future__ import annotations

from dash import html

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.views.wording import Em, Link, Quote, Segment, Strong, translation_note


def link(text: str, href: str) -> html.A:
    """A link to a source, opened in a new tab (the map keeps its state)."""
    return html.A(text, href=href, target="_blank", rel="noopener noreferrer")


def quote(segment: Quote) -> list:
    """A quotation in the source's own English; in another language marked as English (`lang`, for screen readers
    and hyphenation), with this map's translation beside it where the catalogue has one."""
    if language.current().code == SOURCE_LANGUAGE:
        return [html.Q(segment.text)]
    note = translation_note(segment)
    return [html.Q(segment.text, lang="en"), *([" ", html.Span(note, className="quote-translation")] if note else [])]


def components(sentence: list[Segment]) -> list:
    """A sentence's segments as Dash children."""
    out: list = []
    for segment in sentence:
        if isinstance(segment, Link):
            out.append(link(segment.text, segment.href))
        elif isinstance(segment, Quote):
            out += quote(segment)
        elif isinstance(segment, Strong):
            out.append(html.B(segment.text))
        elif isinstance(segment, Em):
            out.append(html.Em(segment.text, className="later"))
        else:
            out.append(segment)
    return out
