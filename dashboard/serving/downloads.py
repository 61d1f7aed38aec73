"""The tables as plain HTTP downloads: made once per model, gzipped once, each form with its own strong ETag.

A download is the same file in every language: its column names, values and file name are the data's, in English,
whatever the page it was asked from (`/es/download/towns.csv` is `/download/towns.csv`), so that a script or a
spreadsheet reads every copy alike. What the columns mean is for people, on the /data page (data/columns.csv).
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import Flask, Response, abort, request
from werkzeug.wrappers import Response as ResponseBase

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.model import Model
from dashboard.exports import tables
from dashboard.serving.http import conditional, etag_of
from dashboard.views import records

DOWNLOAD_PREFIX = "/download/"
#: URL name -> (the text, its media type). The saved file is called ma-surveillance-<name>.
CSV = "text/csv; charset=utf-8"
GEOJSON = "application/geo+json"


def _agencies_geojson(model: Model) -> str:
    return tables.agencies_geojson(model, tables.agencies_table(model))


def _events_geojson(model: Model) -> str:
    return tables.events_geojson(model, tables.events_table(model))


def _records_csv(model: Model) -> str:
    # The records table under the map, unfiltered: what its "download the rows shown" gives with no filter chosen.
    return records.to_csv(records.all_rows(model))


DOWNLOADS: dict[str, tuple[Callable[[Model], str], str]] = {
    "towns.csv": (tables.towns_csv, CSV),
    "towns.geojson": (tables.towns_geojson_text, GEOJSON),
    "agencies.csv": (tables.agencies_csv, CSV),
    "agencies.geojson": (_agencies_geojson, GEOJSON),
    "events.csv": (tables.events_csv, CSV),
    "events.geojson": (_events_geojson, GEOJSON),
    "records.csv": (_records_csv, CSV),
}
#: Each download's table (the key of wording.DATA_TABLES and of the data dictionary's sections).
TABLE_OF = {name: name.split(".", 1)[0] for name in DOWNLOADS}
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


def with_licence(text: str, source: Mapping[str, str]) -> str:
    """A GeoJSON FeatureCollection with top-level `licence` and `source` members (the compiled data's licence, the
    records page and its credit) before its own members: a file passed on keeps its terms."""
    members = {
        "licence": {"name": source["licence"], "title": source["licence_title"], "url": source["licence_url"]},
        "source": {"title": source["title"], "url": source["url"], "credit": source["rights"]},
    }
    head = json.dumps(members)
    return "{" + head[1:-1] + ", " + text.lstrip()[1:]


def download_text(model: Model, name: str, source: Mapping[str, str] | None = None) -> str:
    """A download's text as served: GeoJSON with its licence and source members when `source` is given. Always made
    in English (the records table's words too): one file for every language, kept once per model."""
    build, content_type = DOWNLOADS[name]
    with language.speaking(SOURCE_LANGUAGE):
        text = build(model)
    return with_licence(text, source) if source is not None and content_type == GEOJSON else text


def download_url(name: str) -> str:
    """The path a page link or button points at, e.g. /download/towns.csv."""
    if name not in DOWNLOADS:
        raise KeyError(name)
    return DOWNLOAD_PREFIX + name


def register_downloads(server: Flask, model: Model, source: Mapping[str, str] | None = None) -> None:
    """Serve GET /download/<name> for each of DOWNLOADS; calling it twice changes nothing. `source` (site/source.py's
    block: the records page, the licence) goes into each GeoJSON and names the licence in a Link header."""
    if ENDPOINT in server.view_functions:
        return
    prepared: dict[str, Prepared] = {}
    lock = threading.Lock()

    def get(name: str) -> Prepared:
        with lock:  # the first request builds it (about 0.4 s for the GeoJSON); later ones and other threads reuse it
            if name not in prepared:
                prepared[name] = prepare(download_text(model, name, source), DOWNLOADS[name][1])
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
        if source is not None:
            # RFC 8288: the file's licence, for clients that read headers rather than the file.
            response.headers["Link"] = f'<{source["licence_url"]}>; rel="license"'
        if zipped:
            response.headers["Content-Encoding"] = "gzip"  # flask-compress and nginx leave an encoded body alone
        return conditional(response, item.etag + GZIP_TAG if zipped else item.etag)

    server.add_url_rule(DOWNLOAD_PREFIX + "<name>", ENDPOINT, serve, methods=["GET"])
