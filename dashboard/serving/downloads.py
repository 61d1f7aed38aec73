"""The tables as plain HTTP downloads: made once per model, gzipped once, each form with its own strong ETag."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, abort, request
from werkzeug.wrappers import Response as ResponseBase

from dashboard.data.model import Model
from dashboard.exports import tables
from dashboard.serving.http import conditional, etag_of

DOWNLOAD_PREFIX = "/download/"
#: URL name -> (the text, its media type). The saved file is called ma-surveillance-<name>.
DOWNLOADS: dict[str, tuple[Callable[[Model], str], str]] = {
    "towns.csv": (tables.towns_csv, "text/csv; charset=utf-8"),
    "towns.geojson": (tables.towns_geojson_text, "application/geo+json"),
    "agencies.csv": (tables.agencies_csv, "text/csv; charset=utf-8"),
    "events.csv": (tables.events_csv, "text/csv; charset=utf-8"),
}
#: The tables change only with a new deployment; an hour bounds how long a browser keeps an old one.
CACHE_CONTROL = "public, max-age=3600"
ENDPOINT = "download"
#: Marks the gzip form's tag, as flask-compress marks the forms it compresses: another representation, another tag.
GZIP_TAG = ":gzip"


@dataclass(frozen=True)
class Prepared:
    """One download's bytes, gzipped bytes and strong ETag (without quotes)."""

    body: bytes
    gzipped: bytes
    etag: str
    content_type: str


def prepare(text: str, content_type: str) -> Prepared:
    """Encode, compress and fingerprint a download once."""
    body = text.encode("utf-8")
    # mtime=0: the same bytes on every worker and every start, so the gzip form is as stable as its ETag.
    gzipped = gzip.compress(body, compresslevel=9, mtime=0)
    return Prepared(body, gzipped, etag_of(body, 20), content_type)


def download_url(name: str) -> str:
    """The path a page link or button points at, e.g. /download/towns.csv."""
    if name not in DOWNLOADS:
        raise KeyError(name)
    return DOWNLOAD_PREFIX + name


def register_downloads(server: Flask, model: Model) -> None:
    """Serve GET /download/{towns.csv,towns.geojson,agencies.csv,events.csv}; calling it twice changes nothing."""
    if ENDPOINT in server.view_functions:
        return
    prepared: dict[str, Prepared] = {}
    lock = threading.Lock()

    def get(name: str) -> Prepared:
        with lock:  # the first request builds it (about 0.4 s for the GeoJSON); later ones and other threads reuse it
            if name not in prepared:
                build, content_type = DOWNLOADS[name]
                prepared[name] = prepare(build(model), content_type)
            return prepared[name]

    def serve(name: str) -> ResponseBase:
        if name not in DOWNLOADS:
            abort(404)
        item = get(name)
        zipped = request.accept_encodings["gzip"] > 0
        response = Response(item.gzipped if zipped else item.body, content_type=item.content_type)
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.headers["Content-Disposition"] = f'attachment; filename="ma-surveillance-{name}"'
        response.vary.add("Accept-Encoding")
        if zipped:
            response.headers["Content-Encoding"] = "gzip"  # flask-compress and nginx leave an encoded body alone
        return conditional(response, item.etag + GZIP_TAG if zipped else item.etag)

    server.add_url_rule(DOWNLOAD_PREFIX + "<name>", ENDPOINT, serve, methods=["GET"])
