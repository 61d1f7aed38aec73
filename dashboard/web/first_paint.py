"""The view drawn by the server into the first HTML, so the map shows before plotly.js has loaded.

The page's first HTML is Dash's empty shell. This hook adds, beside React's entry point (React empties the entry
point when it mounts, long before the layout arrives), the page's header and a map box holding the view's map as
inline SVG, laid out with the page's own classes so it sits where the map will be. assets/first-paint.js moves the
SVG into the layout's #first-paint-slot once that exists and drops the rest; assets/first-paint.css keeps the slot
under the graph and hides it once plotly has drawn its towns. A presentation view's entry point carries the
`present` class from the start, so its layout is the presentation layout from the first render (no shift).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from html import escape
from typing import Any

import flask

from dashboard.data.model import Model
from dashboard.state.view import ViewState, choices_of, parse_query
from dashboard.views.captions import filters_in_words
from dashboard.views.map_svg import MapPicture
from dashboard.views.method import SOURCE_URL
from dashboard.web.layout import SUBTITLE, TITLE, footer_lines

log = logging.getLogger(__name__)

ENTRY = '<div id="react-entry-point">'
HOLDER_ID = "first-paint"

#: Dash's placeholders in, placeholders out (dashboard.web.app.IndexHook).
Hook = Callable[[dict[str, Any], flask.Request], dict[str, Any]]


def footer_html(lines: tuple[str, str, str]) -> str:
    """The presentation view's footer (source, the data's dates, revision) as the page has it, link included.

    The presentation view is one screen: its map box is what the header and this footer leave, so the first paint
    must carry the same footer to give the picture its final size.
    """
    source, dates, revision = (escape(line) for line in lines)
    return (
        f'<footer class="site-footer"><p class="source-line">{source} <a href="{escape(SOURCE_URL)}" '
        'target="_blank" rel="noopener noreferrer">The records project</a>.</p>'
        f'<p class="data-dates">{dates}</p><p class="data-version">{revision}</p></footer>'
    )


def first_paint_html(picture: str, state: ViewState, caption: str, footer: str = "") -> str:
    """The header and the map box around the view's picture, with the page's own classes (so its own sizes)."""
    present = " present" if state.present else ""
    return (
        f'<div id="{HOLDER_ID}" class="first-paint{present}">'
        f'<div class="site-header"><h1>{escape(TITLE)}</h1><p class="subtitle">{escape(SUBTITLE)}</p>'
        f'<p class="caption">{escape(caption)}</p></div>'
        '<div class="layout"><div class="map-column"><div class="first-paint-above"></div>'
        f'<div class="map-wrap"><div class="map-box"><div class="first-paint-slot">{picture}</div></div></div>'
        f"</div></div>{footer if state.present else ''}</div>"
    )


def index_hook(model: Model) -> Hook:
    """A page hook drawing the view of the request's query into the first HTML (the default view if it is garbage)."""
    choices = choices_of(model.catalog, model.towns.index, model.agencies.index)
    picture = MapPicture(model)
    footer = footer_html(footer_lines(model))

    @lru_cache(maxsize=256)
    def block(state: ViewState) -> str:
        return first_paint_html(picture.svg(state), state, filters_in_words(model, state), footer)

    def hook(kwargs: dict[str, Any], request: flask.Request) -> dict[str, Any]:
        entry = kwargs.get("app_entry", "")
        if not isinstance(entry, str) or ENTRY not in entry:
            return kwargs  # not Dash's entry point as we know it: leave the page as Dash makes it
        try:
            state = parse_query(request.query_string.decode("utf-8", "replace"), choices)
            drawn = block(state)
        except Exception:  # the page without its first paint is still the page: never a 500 for a picture
            log.exception("first paint not drawn")
            return kwargs
        if state.present:
            # Presentation is entered only by loading ?present=1, so a class set by the server stays right.
            entry = entry.replace(ENTRY, '<div id="react-entry-point" class="present">', 1)
        return {**kwargs, "app_entry": entry + drawn}

    return hook
