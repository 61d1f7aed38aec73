"""The records grid's scripts, loaded only when the table is wanted (assets/records-grid.js loads them)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import flask

from dashboard.web import ids

#: Dash's tag of a script of the grid's library (dash_ag_grid.v35_3_0m….min.js), as `_generate_scripts_html` writes it.
GRID_SCRIPT = re.compile(r'<script src="(?P<src>[^"<>]*/_dash-component-suites/dash_ag_grid/[^"<>]*)"></script>\n?')


def split_grid_scripts(scripts: str) -> tuple[str, list[str]]:
    """Dash's script tags without the grid library's, and the addresses of the grid's scripts in page order."""
    sources = [match.group("src") for match in GRID_SCRIPT.finditer(scripts)]
    return GRID_SCRIPT.sub("", scripts), sources


def scripts_data(sources: list[str]) -> str:
    """The grid's script addresses as a JSON data block: read by assets/records-grid.js, never run as a script."""
    # A data block needs no hash in the page's script-src policy; "</" is escaped so no address can close the tag.
    text = json.dumps(sources).replace("</", "<\\/")
    return f'<script type="application/json" id="{ids.TABLE_SCRIPTS}">{text}</script>'


def is_presentation(request: flask.Request) -> bool:
    """Whether the request is for the presentation view (read as `state.view.parse_query` reads it)."""
    return request.args.get("present") == "1"


def index_hook() -> Callable[[dict[str, Any], flask.Request], dict[str, Any]]:
    """A page hook that takes the grid's scripts out of the page and leaves their addresses for the browser.

    Dash would put the grid's 1.3 MB script (352 KB gzipped, and its 249 KB chunk after it) in every page; the
    records section loads it when it nears the view. The presentation view hides the section: it gets no addresses.
    Dash still serves the files (their paths stay registered), under the same cache-busting names.
    """

    def hook(kwargs: dict[str, Any], request: flask.Request) -> dict[str, Any]:
        scripts = kwargs.get("scripts")
        if not isinstance(scripts, str):
            return kwargs
        rest, sources = split_grid_scripts(scripts)
        if not sources:
            return kwargs
        data = "" if is_presentation(request) else scripts_data(sources)
        return {**kwargs, "scripts": rest + ("\n" if rest and data else "") + data}

    return hook
