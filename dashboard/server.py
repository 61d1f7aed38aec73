"""The composition root: the one place that puts the app together from its parts.

The Dash map (dashboard/web), the server-rendered site and API (dashboard/site), the table downloads and the slide
images (dashboard/serving) and the security headers meet here and nowhere else: web/ and site/ never import each
other. A new page or route is registered here, from the package that serves it.
"""

from __future__ import annotations

from pathlib import Path

import dash
from werkzeug.wrappers import Response as ResponseBase

from dashboard.config import DEFAULT_CACHE_DIR, DEFAULT_DATA_DIR
from dashboard.data.model import Model
from dashboard.serving.downloads import register_downloads
from dashboard.serving.images import register_images
from dashboard.serving.languages import register_languages
from dashboard.site import register_site
from dashboard.site.dataset import dataset_head
from dashboard.site.source import source_block
from dashboard.web.app import create_dash
from dashboard.web.security import protect


def create_app(
    model: Model,
    frame_ancestors: str = "",
    data_dir: Path = DEFAULT_DATA_DIR,
    cache_dir: Path = DEFAULT_CACHE_DIR,
) -> dash.Dash:
    """The whole app for a read-only model (read from `data_dir`): the map, the downloads, the images (drawn off the
    request path, kept in `cache_dir`), the town, agency and compare pages, the API, and the security headers."""
    source = source_block(model, data_dir)  # the records page and the data's licence, which every file names
    app = create_dash(model, head=dataset_head(model, data_dir, source))  # the map page's head: the Dataset
    register_languages(app.server, app.config.routes_pathname_prefix)  # /es/… and lang=: the language of each request
    register_downloads(app.server, model, source)
    register_images(app.server, model, cache_dir)  # drawn off the request path, bounded, cached on disk
    # Dash answers every other GET address with the map page (its catch-all rule); an address that is no page gets
    # the site's 404 page instead, and one with a slash too many is sent to its page. The map's own paths (/, its
    # _dash-* routes, /assets/…) have rules of their own and never reach it.
    catch_all = app.config.routes_pathname_prefix + "<path:path>"
    not_found = register_site(app.server, model, data_dir, catch_all=catch_all)
    if catch_all in app.server.view_functions:
        app.server.view_functions[catch_all] = not_found
    protect(app, frame_ancestors)

    @app.server.after_request
    def name_the_data(response: ResponseBase) -> ResponseBase:
        # Which data answered, on every answer (/healthz included): monitors and the front's tests compare it.
        response.headers["X-Data-Version"] = model.data_version
        return response

    return app
