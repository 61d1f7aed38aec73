"""The Dash application factory."""

from __future__ import annotations

from pathlib import Path

import dash

from dashboard.config import ASSETS_DIR, DEFAULT_DATA_DIR
from dashboard.data.model import Model
from dashboard.site import register_site
from dashboard.views.records import all_rows
from dashboard.web import callbacks
from dashboard.web.downloads import register_downloads
from dashboard.web.layout import TITLE, build_layout
from dashboard.web.security import protect


def create_app(model: Model, frame_ancestors: str = "", data_dir: Path = DEFAULT_DATA_DIR) -> dash.Dash:
    """Build the Dash app for a read-only model (read from `data_dir`): the map, the town pages, the API."""
    app = dash.Dash(
        __name__,
        title=TITLE,
        compress=True,  # gzip responses (flask-compress): the geometry is ~5x smaller on the wire
        assets_folder=str(ASSETS_DIR),
        update_title="",  # no "Updating..." in the tab title
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    table_rows = all_rows(model)  # built once, filtered per request
    app.layout = build_layout(model, table_rows, topojson_url=app.get_asset_url("topojson/"))
    callbacks.register(app, model, table_rows)
    register_downloads(app.server, model)
    register_site(app.server, model, data_dir)
    protect(app, frame_ancestors)
    return app
