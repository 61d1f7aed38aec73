"""The Dash part of the app: the map page, its callbacks and hooks. dashboard/server.py composes the whole app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
import flask
import plotly.io

from dashboard.config import ASSETS_DIR
from dashboard.data.model import Model
from dashboard.state.view import choices_of
from dashboard.views.records import all_rows
from dashboard.web import callbacks, first_view, lazy_grid
from dashboard.web.layout import SUBTITLE, TITLE, PageLayout, view_of_referer

#: Dash's page template with the page's language set, and Dash's scripts in a <div> instead of a second <footer>
#: landmark beside the layout's site footer (and without the Internet Explorer notice). All of Dash's placeholders.
INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>
"""


#: The first view's script (assets/boot.js): it loads Dash's scripts when the interactive map is wanted.
BOOT_SCRIPT = "boot.js"

#: A change to the page's template for one request: Dash's placeholders in, placeholders out.
IndexHook = Callable[[dict[str, Any], "flask.Request"], dict[str, Any]]


class MapDash(dash.Dash):
    """Dash whose page template is finished per request by hooks (the view's first paint, deferred scripts)."""

    def __init__(self, *args: Any, index_hooks: tuple[IndexHook, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.index_hooks = index_hooks

    def interpolate_index(  # type: ignore[override]  # Dash passes every placeholder by keyword
        self, **kwargs: Any
    ) -> str:
        """Dash's page, after each hook has had its say on the placeholders for this request."""
        for hook in self.index_hooks:
            kwargs = hook(kwargs, flask.request)
        return super().interpolate_index(**kwargs)


def head_hook(head: Callable[[str], str]) -> IndexHook:
    """A hook that adds `head(the site's address as the request names it)` to the page's head, after the metas."""

    def hook(kwargs: dict[str, Any], request: flask.Request) -> dict[str, Any]:
        return {**kwargs, "metas": kwargs["metas"] + head(request.host_url)}

    return hook


def create_dash(model: Model, head: Callable[[str], str] | None = None) -> MapDash:
    """The Dash app for a read-only model: the map page, built for the view its address names, and its callbacks.
    `head`, given the request's site address, returns markup for the page's head (the composition root passes the
    Dataset's JSON-LD)."""
    # Process-wide: with orjson installed plotly first walks every answer in pure Python; the standard encoder
    # writes the same JSON in less than half the time (3.7 -> 1.6 ms per map answer, measured).
    plotly.io.json.config.default_engine = "json"
    app = MapDash(
        __name__,
        title=TITLE,
        compress=True,  # gzip responses (flask-compress): the geometry is ~5x smaller on the wire
        assets_folder=str(ASSETS_DIR),
        assets_ignore=BOOT_SCRIPT.replace(".", r"\."),  # the page loads it itself, before Dash's scripts
        # The callbacks are tested against the layout; checking them in the browser would need the whole layout in
        # every page's config (Dash's validation_layout: the figure's geometry, sent again by /_dash-layout).
        suppress_callback_exceptions=True,
        update_title="",  # no "Updating..." in the tab title
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": SUBTITLE},
        ],
        index_string=INDEX_STRING,
    )
    table_rows = all_rows(model)  # built once, filtered per request
    pages = PageLayout(model, table_rows, topojson_url=app.get_asset_url("topojson/"))
    choices = choices_of(model.catalog, model.towns.index, model.agencies.index)
    first = first_view.FirstView(model, pages)
    app.index_hooks = (
        lazy_grid.index_hook(),
        first_view.index_hook(first, lambda: app.get_asset_url(BOOT_SCRIPT)),
        *([head_hook(head)] if head else []),
    )
    first_view.register(app.server, first, app.config.routes_pathname_prefix)

    def layout() -> Any:
        """The page at the view of the address that asks for it, so the first render changes nothing on screen."""
        # Dash asks for the layout without the page's query; the browser names the page in the Referer (same origin,
        # under our Referrer-Policy). No Referer, or outside a request (Dash's check at start): the default view.
        referer = flask.request.headers.get("Referer") if flask.has_request_context() else None
        return pages.for_view(view_of_referer(referer, choices))

    app.layout = layout
    layout_path = app.config.routes_pathname_prefix + "_dash-layout"

    @app.server.after_request
    def vary_layout(response: flask.Response) -> flask.Response:
        if flask.request.path == layout_path:
            response.vary.add("Referer")  # a cache must not hand one view's layout to another view's page
        return response

    callbacks.register(app, model, table_rows)
    return app
