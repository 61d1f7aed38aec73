"""GET /image/<name>.<png|svg|pdf>?<the map's query>&size=wide|square: a view as a slide image, for scripts and people.

`/image/view.png?town=35&size=square` answers the square PNG of the map's view `?town=35`, saved under a name that
says what it shows (`ma-surveillance-vendors-boston-2021-12-square.png`, exports/filenames.py). The image comes
from the process's render pool (`dashboard.exports.render_pool`): drawn once and then kept, with an ETag (a repeat
answers 304). When the server cannot draw it now the answer says why in plain words, with `Retry-After`: 429 while
other images are being drawn, 503 when the drawing took too long or the server has no Chromium to draw with. Every
image the server answers (the town and agency pages' link cards, the compare slide) goes through `image_answer`.

An image is worded in the view's language: `lang=` in the query, else the request's (`/es/image/view.png`, a Spanish
town page's link card). The language is part of the view's query, so of the image's cache name and ETag.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple

from flask import Flask, Response, current_app, request
from werkzeug.wrappers import Response as ResponseBase

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.model import Model
from dashboard.exports.filenames import view_filename
from dashboard.exports.images import FORMATS, SIZES
from dashboard.exports.render_pool import Image, ImageUnavailable, RenderPool, shared_pool
from dashboard.language import _
from dashboard.serving.http import conditional, not_modified
from dashboard.state.view import Choices, ViewState, choices_of, parse_query

IMAGE_PREFIX = "/image/"
ENDPOINT = "image"
EXTENSION = "dashboard.images"
#: A slide names its export date and the data version, and both are in its ETag: an hour of caching is safe.
CACHE_CONTROL = "public, max-age=3600"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class _Registered(NamedTuple):
    model: Model
    choices: Choices
    pool: RenderPool


def register_images(server: Flask, model: Model, cache_dir: Path, pool: RenderPool | None = None) -> RenderPool:
    """Serve GET /image/<name>.<fmt> from `pool`, by default the process's pool keeping images in
    `cache_dir`/images. Calling it again replaces the model and pool (the route is added once)."""
    pool = pool or shared_pool(cache_dir)
    server.extensions[EXTENSION] = _Registered(
        model, choices_of(model.catalog, model.towns.index, model.agencies.index), pool
    )
    if ENDPOINT not in server.view_functions:
        server.add_url_rule(IMAGE_PREFIX + "<filename>", ENDPOINT, _serve, methods=["GET"])
    return pool


def image_pool(server: Flask) -> RenderPool:
    """The pool registered on this server; without one, the process's pool for the configured cache folder."""
    registered = server.extensions.get(EXTENSION)
    if isinstance(registered, _Registered):
        return registered.pool
    from dashboard.config import load_config

    return shared_pool(load_config().cache_dir)


def refusal(error: ImageUnavailable) -> Response:
    """Why there is no image now, in plain words, and when to ask again."""
    return Response(
        error.message + "\n",
        status=error.status,
        mimetype="text/plain",
        headers={"Retry-After": str(error.retry_after), "Cache-Control": "no-store"},
    )


def _bad_request(reason: str) -> Response:
    return Response(reason + "\n", status=400, mimetype="text/plain", headers={"Cache-Control": "no-store"})


def _serve(filename: str) -> ResponseBase:
    registered: _Registered = current_app.extensions[EXTENSION]
    name, dot, fmt = filename.rpartition(".")
    if not dot or not _NAME.fullmatch(name):
        return _bad_request(
            _("Name the image with lower-case letters, digits and dashes, e.g. {example}").format(
                example="/image/view.png"
            )
        )
    if fmt not in FORMATS:
        # Translators: {formats} lists the file formats (png, svg, pdf); {example} is an address.
        message = _("The format must be one of: {formats} (e.g. {example})")
        return _bad_request(message.format(formats=", ".join(FORMATS), example=f"/image/{name}.png"))
    size = request.args.get("size", "wide")
    if size not in SIZES:
        # Translators: {sizes} lists the sizes' names as the address writes them (wide, square, card).
        message = _("The size must be one of: {sizes} (e.g. {example})")
        return _bad_request(message.format(sizes=", ".join(SIZES), example="?size=square"))
    # The rest of the query is the map's: a bad part falls back to its default, as on the map.
    state = request_language(parse_query(request.query_string.decode("utf-8", errors="replace"), registered.choices))
    # The file is named by what it shows (exports/filenames.py), as the page's download is: the name in the address
    # only names the request.
    disposition = f'attachment; filename="{view_filename(registered.model, state, size, fmt)}"'
    return view_image(registered.model, registered.pool, state, fmt, size, disposition)


def image_answer(key: str, draw: Callable[[], Image], disposition: str) -> ResponseBase:
    """An image known by its cache key: 304 when the client holds it (nothing drawn), else `draw()` with its ETag,
    or the refusal (429 or 503 with Retry-After) when it cannot be drawn now."""
    headers = {"Cache-Control": CACHE_CONTROL, "Content-Disposition": disposition}
    if not_modified(key):
        response = Response(status=304, headers=headers)
        response.set_etag(key)
        return response
    try:
        image = draw()
    except ImageUnavailable as error:
        return refusal(error)
    # flask-compress gzips an SVG on the way and tags it "<key>:gzip": it then answers that tag's 304 itself.
    return conditional(Response(image.data, mimetype=image.media_type, headers=headers), image.key)


def request_language(state: ViewState) -> ViewState:
    """The view in the request's language when its query names none (`/es/image/…`, a Spanish page's link card)."""
    if state.lang != SOURCE_LANGUAGE:
        return state
    return dataclasses.replace(state, lang=language.current().code)


def view_image(model: Model, pool: RenderPool, state: ViewState, fmt: str, size: str, disposition: str) -> ResponseBase:
    """The answer to a request for a view's image, from `pool` (also the town and agency pages' previews), in the
    view's language, else the request's."""
    state = request_language(state)
    day = date.today()
    key = pool.key(model, state, fmt, size, day)
    return image_answer(key, lambda: pool.render(model, state, fmt, size, exported=day), disposition)
