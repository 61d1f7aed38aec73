"""The compiled data as a publication: what the /data page shows (licences, version, dates, downloads, citation)
and the same facts as a schema.org Dataset (JSON-LD) for the /data page's head and the map page's head.

Every value is read from the model and data/ (publication.csv, published_figures.csv, policy_events.csv, the
changelog, the schema of the published tables); every word comes from views/wording.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dashboard import language
from dashboard.config import public_url_from_env
from dashboard.data.coverage import data_dates
from dashboard.data.model import Model
from dashboard.data.version import release_date
from dashboard.serving.downloads import DOWNLOADS, TABLE_OF, download_text, download_url
from dashboard.site.dictionary import published_fields
from dashboard.views import wording

DATA_PATH = "/data"
CHANGES_PATH = "/data/changes"
MAP_PATH = "/"
#: Each table's place in the Dataset's parts, in the order the page lists them.
TABLES = ("towns", "agencies", "events", "records")
#: Site addresses whose Dataset script is kept (the public address, loopback, a proxy's name).
MAX_HOSTS = 8
#: Characters that could end the script element or open markup inside it, as JSON escapes (same value, no markup).
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class Download:
    """One file to download: its table's name, its address, its format in words, its media type and its size."""

    table: str
    name: str
    path: str
    media_type: str
    format: str
    size: str
    size_bytes: int


def media_type(content_type: str) -> str:
    """'text/csv; charset=utf-8' as 'text/csv'."""
    return content_type.split(";", 1)[0].strip()


def downloads(model: Model, source: Mapping[str, str]) -> list[Download]:
    """Every download, as served (the GeoJSON with its licence members), with its size."""
    found = []
    for name, (_, content_type) in DOWNLOADS.items():
        size = len(download_text(model, name, source).encode("utf-8"))
        kind = media_type(content_type)
        found.append(
            Download(
                table=TABLE_OF[name],
                name=name,
                path=download_url(name),
                media_type=kind,
                format=wording.FORMAT_NAMES[kind],
                size=wording.size_text(size),
                size_bytes=size,
            )
        )
    return sorted(found, key=lambda d: (TABLES.index(d.table), d.name))


def cite(model: Model, address: str) -> wording.Sentence:
    """How to cite the data, with the page's address."""
    p = model.publication
    return wording.cite_sentence(p["creator"], p["title"], model.data_version, address, p["data_licence"])


def _place(model: Model) -> dict[str, Any]:
    west, south, east, north = (round(float(v), 4) for v in model.geometry.total_bounds)
    return {
        "@type": "Place",
        "name": wording.PLACE_NAME,
        "geo": {"@type": "GeoShape", "box": f"{south} {west} {north} {east}"},
    }


def dataset_jsonld(model: Model, data_dir: Path, source: Mapping[str, str], base: str) -> dict[str, Any]:
    """The data as a schema.org Dataset (Google's Rich Results fields for a Dataset), with absolute addresses."""
    base = base.rstrip("/")
    pub = model.publication
    dates = data_dates(model)
    page = base + DATA_PATH
    files = downloads(model, source)
    fields = published_fields(data_dir)
    creator = {"@type": "Organization", "name": pub["creator"], "url": base + MAP_PATH}
    records_page = {"@type": "CreativeWork", "name": source["title"], "url": source["url"]}
    parts = []
    for table in TABLES:
        name, description = wording.DATA_TABLES[table]
        parts.append(
            {
                "@type": "Dataset",
                "name": f"{pub['title']}: {name}",
                "description": description + ".",
                "license": pub["data_licence_url"],
                "creator": creator,
                "distribution": [_distribution(base, d) for d in files if d.table == table],
            }
        )
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": pub["title"],
        "alternateName": wording.DATASET_ALTERNATE_NAME,
        "description": wording.DATASET_DESCRIPTION,
        "url": page,
        "sameAs": base + MAP_PATH,
        "identifier": f"{page}#version-{model.data_version}",
        "version": model.data_version,
        "dateModified": release_date(data_dir),
        "creator": creator,
        "citation": wording.plain(cite(model, page)),
        "isBasedOn": [records_page, {"@type": "CreativeWork", "name": wording.BOUNDARIES_SOURCE}],
        "isAccessibleForFree": True,
        "license": pub["data_licence_url"],
        "creditText": pub["credit"],
        "keywords": [*wording.DATASET_KEYWORDS, *model.catalog.vendor],
        "measurementTechnique": wording.DATASET_METHOD,
        "variableMeasured": [
            {"@type": "PropertyValue", "name": f.name, "description": f.meaning} for f in fields["towns"]
        ],
        "spatialCoverage": _place(model),
        "temporalCoverage": f"{dates.first_month}/{dates.last_month}",
        "distribution": [_distribution(base, d) for d in files],
        "hasPart": parts,
    }


def _distribution(base: str, download: Download) -> dict[str, str]:
    return {
        "@type": "DataDownload",
        "name": download.name,
        "encodingFormat": download.media_type,
        "contentUrl": base + download.path,
        "contentSize": download.size,
    }


def jsonld_script(data: Mapping[str, Any]) -> Markup:
    """The JSON-LD in a script element that no value can end early: every '<', '>' and '&' as a JSON escape."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    for char, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def dataset_head(
    model: Model, data_dir: Path, source: Mapping[str, str], public_url: str | None = None
) -> Callable[[str], str]:
    """What the map page's head adds for a request to a host: the Dataset's script, made once per site address and
    language (it is worded in the language in use). `public_url` None reads DASHBOARD_PUBLIC_URL; an empty one uses
    the host the request names."""
    configured = public_url_from_env() if public_url is None else public_url
    made: dict[tuple[str, str], str] = {}
    lock = threading.Lock()

    def head(host_url: str) -> str:
        key = ((configured or host_url).rstrip("/"), language.current().code)
        with lock:
            if key in made:
                return made[key]
            script = str(jsonld_script(dataset_jsonld(model, data_dir, source, key[0])))
            # The Host header is the client's: keep a few, never one per client.
            if len(made) < MAX_HOSTS * len(language.languages()):
                made[key] = script
            return script

    return head
