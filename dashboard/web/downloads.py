"""The tables as plain HTTP downloads: made once per model, gzipped once, with an ETag so a repeat costs a 304."""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, abort, request

from dashboard.data.model import Model
from dashboard.exports import tables

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
    return Prepared(body, gzipped, hashlib.sha256(body).hexdigest()[:20], content_type)


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

    def serve(name: str) -> Response:
        if name not in DOWNLOADS:
            abort(404)
        item = get(name)
        zipped = request.accept_encodings["gzip"] > 0
        # The gzip form is a different representation, so its strong ETag differs (flask-compress's ":gzip").
        etag = f"{item.etag}:gzip" if zipped else item.etag
        headers = {
            "ETag": f'"{etag}"',
            "Cache-Control": CACHE_CONTROL,
            "Vary": "Accept-Encoding",
            "Content-Disposition": f'attachment; filename="ma-surveillance-{name}"',
        }
        # Either form's tag means the client holds these exact table bytes; a proxy's gzip weakens it (W/"..."),
        # which the weak comparison RFC 9110 asks of If-None-Match still matches.
        if request.if_none_match.contains_weak(item.etag) or request.if_none_match.contains_weak(f"{item.etag}:gzip"):
            return Response(status=304, headers=headers)
        if zipped:
            headers["Content-Encoding"] = "gzip"  # flask-compress and nginx leave an encoded body alone
        return Response(item.gzipped if zipped else item.body, content_type=item.content_type, headers=headers)

    server.add_url_rule(DOWNLOAD_PREFIX + "<name>", ENDPOINT, serve, methods=["GET"])
