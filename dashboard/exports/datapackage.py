"""The Frictionless Data Package of the published tables and the curated CSVs, generated from the one schema.

The package is written in English, whatever the language in use: it is a file of the release (one per data version,
byte-identical whenever rebuilt, its checksum in SHA256SUMS) read by tools such as `frictionless`, and Table Schema
has one `description` per field. People read the columns' meanings on the /data page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data import schema
from dashboard.data.errors import DataError
from dashboard.data.model import Model
from dashboard.data.schema import Table
from dashboard.data.sources import read_bytes
from dashboard.data.version import CHANGELOG, release_date
from dashboard.exports import tables
from dashboard.site.dictionary import COLUMN_MEANINGS, Field, published_fields
from dashboard.site.records import records_csv
from dashboard.site.source import source_block
from dashboard.views import wording as w

#: The package's name (lower case, digits, dashes), also the stem of the release's archive.
PACKAGE_NAME = "ma-surveillance-map-data"
#: Table Schema's types for our column kinds (schema.COLUMN_KINDS); a kind with a pattern is text in a fixed form.
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
_MONTH = r"[0-9]{4}-(0[1-9]|1[0-2])"
KIND_FIELDS: dict[str, dict[str, object]] = {
    "text": {"type": "string"},
    "int": {"type": "integer"},
    "year": {"type": "year"},
    "month": {"type": "yearmonth"},
    "date": {"type": "date"},
    "bool": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
    "url": {"type": "string", "format": "uri"},
    "color": {"type": "string", "constraints": {"pattern": "#[0-9a-fA-F]{6}"}},
    "day_or_month": {"type": "string", "constraints": {"pattern": f"{_MONTH}(-{_DAY})?"}},
    # A month, a year or a span of years (sources.convert checks the span's order, which a pattern cannot).
    "period": {"type": "string", "constraints": {"pattern": f"{_MONTH}|[0-9]{{4}}(-[0-9]{{4}})?"}},
}
#: What a count counts, for the columns that count something (Table Schema has no unit: a custom property).
UNITS = {
    "population_2010": "persons",
    "clearview_documents": "documents",
    "documents": "documents",
    "index_documents": "documents",
    "other_documents": "documents",
}
#: An empty cell is a missing value; nothing else is.
MISSING_VALUES = [""]
#: How every CSV is written (Python's csv module): stated, so that no reader has to guess it from a sample.
CSV_DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}


@dataclass(frozen=True)
class Published:
    """A published table: its section in the dictionary, its key, and how its CSV and GeoJSON are made."""

    key: str
    primary_key: tuple[str, ...]
    geojson: bool


PUBLISHED = (
    Published("towns", ("town_id",), True),
    Published("agencies", ("agency_id",), True),
    Published("events", ("event_id",), True),
    # A record has no id of its own: a listing's name may repeat under another class.
    Published("records", (), False),
)
#: Every curated CSV of data/, each declared once: every table of schema.py (the model's, and those only a build
#: command reads), the changelog and the column meanings.
CURATED: tuple[Table, ...] = (
    *(value for value in vars(schema).values() if isinstance(value, Table)),
    CHANGELOG,
    COLUMN_MEANINGS,
)


@dataclass(frozen=True)
class ForeignKey:
    """A column (or columns) of one resource whose every non-empty value is a key of another resource."""

    resource: str
    fields: tuple[str, ...]
    reference: str
    reference_fields: tuple[str, ...]


def curated_name(table: Table) -> str:
    """The resource name of a curated file: data-<file stem>, dashes for underscores."""
    return "data-" + Path(table.filename).stem.replace("_", "-")


#: The references between the tables, each checked by `frictionless validate`. Titles of the records index are not
#: a key (two records share one), so the tables naming a record by its title are not declared as referring to it.
FOREIGN_KEYS = (
    ForeignKey("events", ("town_id",), "towns", ("town_id",)),
    ForeignKey("events", ("event_id",), "data-policy-events", ("event_id",)),
    ForeignKey("events", ("kind",), "data-policy-kinds", ("kind",)),
    ForeignKey("agencies", ("agency_id",), "data-agencies", ("agency_id",)),
    ForeignKey("agencies", ("hq_town",), "towns", ("town",)),
    ForeignKey("towns", ("clearview_status",), "data-clearview-classes", ("class_id",)),
    ForeignKey("data-agencies", ("county_fips",), "data-counties", ("county_fips",)),
    ForeignKey("data-name-resolutions", ("town_id",), "towns", ("town_id",)),
    ForeignKey("data-name-resolutions", ("agency_id",), "data-agencies", ("agency_id",)),
    ForeignKey("data-clearview-listings", ("category",), "data-clearview-classes", ("class_id",)),
    ForeignKey("data-clearview-listings", ("request_month",), "data-request-waves", ("month",)),
    ForeignKey("data-vendor-records", ("vendor",), "data-vendors", ("vendor",)),
    ForeignKey("data-policy-events", ("kind",), "data-policy-kinds", ("kind",)),
    ForeignKey("data-atlas-vendors", ("vendor",), "data-vendors", ("vendor",)),
    ForeignKey("data-places", ("town_id",), "towns", ("town_id",)),
)


def _field(name: str, kind: str, description: str = "", values: tuple[str, ...] = (), required: bool = False) -> dict:
    """One Table Schema field for a column of a kind, with its allowed values and whether it may be empty."""
    if kind not in KIND_FIELDS:
        raise DataError(Path(COLUMN_MEANINGS.filename), f"column '{name}' has the kind '{kind}', which no CSV holds")
    spec = json.loads(json.dumps(KIND_FIELDS[kind]))  # a deep copy: the constraints are added to per field
    field: dict[str, object] = {"name": name, **spec}
    if description:
        field["description"] = description
    if name in UNITS:
        field["unit"] = UNITS[name]
    constraints: dict[str, object] = dict(spec.get("constraints", {}))
    if required:
        constraints["required"] = True
    if values:
        constraints["enum"] = list(values)
    if constraints:
        field["constraints"] = constraints
    return field


def csv_header(text: str) -> list[str]:
    """The column names of a CSV text's first line (the exports quote none of them)."""
    return text.split("\n", 1)[0].split(",")


def _ordered(header: list[str], described: Mapping[str, object], where: str) -> list[str]:
    """The header's names, once each is known to be described and every described name to be in the file."""
    missing = [name for name in header if name not in described]
    absent = [name for name in described if name not in header]
    if missing or absent:
        raise DataError(
            Path(where),
            f"columns not described: {', '.join(missing) or 'none'}; described but not in the file: "
            f"{', '.join(absent) or 'none'}",
            fix="declare each column once (data/columns.csv and the export's column list, or dashboard/data/schema.py)",
        )
    return header


def published_texts(model: Model) -> dict[str, str]:
    """Each published file's text by its name in the package: the CSVs and the GeoJSON files, as the exports make
    (in English, as the downloads are)."""
    with language.speaking(SOURCE_LANGUAGE):
        return _published_texts(model)


def _published_texts(model: Model) -> dict[str, str]:
    return {
        "towns.csv": tables.towns_csv(model),
        "towns.geojson": tables.towns_geojson_text(model) + "\n",
        "agencies.csv": tables.agencies_csv(model),
        "agencies.geojson": tables.agencies_geojson(model, tables.agencies_table(model)) + "\n",
        "events.csv": tables.events_csv(model),
        "events.geojson": tables.events_geojson(model, tables.events_table(model)) + "\n",
        "records.csv": records_csv(model),
    }


def _integrity(content: bytes) -> dict[str, object]:
    return {"bytes": len(content), "hash": "sha256:" + hashlib.sha256(content).hexdigest()}


def _published_resources(model: Model, data_dir: Path, texts: Mapping[str, str]) -> list[dict]:
    fields = published_fields(data_dir)
    geojson_member = {f.name: f.meaning for f in fields["geojson"]}
    resources: list[dict] = []
    for table in PUBLISHED:
        text = texts[f"{table.key}.csv"]
        described: dict[str, Field] = {f.name: f for f in fields[table.key] if not f.api_only}
        header = _ordered(csv_header(text), described, f"{table.key}.csv")
        table_schema: dict[str, object] = {
            "fields": [
                _field(n, described[n].kind, described[n].meaning, described[n].values, n in table.primary_key)
                for n in header
            ],
            "missingValues": MISSING_VALUES,
        }
        if table.primary_key:
            table_schema["primaryKey"] = list(table.primary_key)
        resources.append(
            {
                "name": table.key,
                "path": f"{table.key}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": CSV_DIALECT,
                **_integrity(text.encode("utf-8")),
                "schema": table_schema,
            }
        )
        if table.geojson:
            geojson = texts[f"{table.key}.geojson"].encode("utf-8")
            members = "; ".join(f"{name}: {meaning}" for name, meaning in geojson_member.items())
            resources.append(
                {
                    "name": f"{table.key}-geojson",
                    "path": f"{table.key}.geojson",
                    "profile": "data-resource",
                    "format": "geojson",
                    "mediatype": "application/geo+json",
                    "encoding": "utf-8",
                    **_integrity(geojson),
                    "description": f"The {table.key} table as GeoJSON features, each row's columns as its "
                    f"properties (the schema of {table.key}.csv). Top-level members: {members}",
                }
            )
    return resources


def curated_files(data_dir: Path) -> dict[str, Table]:
    """Each CSV file of data/ by name, with its declared table; a file no table declares is a DataError."""
    declared = {t.filename: t for t in CURATED}
    found: dict[str, Table] = {}
    for path in sorted(data_dir.glob("*.csv"), key=lambda p: p.name):
        if path.name not in declared:
            raise DataError(path, "no table in dashboard/data/schema.py declares this file", fix="declare its columns")
        found[path.name] = declared[path.name]
    return found


def _curated_resources(data_dir: Path) -> list[dict]:
    resources: list[dict] = []
    for filename, table in curated_files(data_dir).items():
        content = read_bytes(data_dir / filename)
        columns = {c.name: c for c in table.columns}
        header = _ordered(csv_header(content.decode("utf-8-sig").replace("\r\n", "\n")), columns, f"data/{filename}")
        table_schema: dict[str, object] = {
            "fields": [
                _field(n, columns[n].kind, values=columns[n].allowed or (), required=columns[n].required)
                for n in header
            ],
            "missingValues": MISSING_VALUES,
        }
        if table.unique:
            table_schema["primaryKey"] = list(table.unique)
        resources.append(
            {
                "name": curated_name(table),
                "path": f"data/{filename}",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": CSV_DIALECT,
                **_integrity(content),
                "schema": table_schema,
            }
        )
    return resources


def _add_foreign_keys(resources: list[dict]) -> None:
    """Declare each reference between two resources the package holds (a table not yet in data/ is skipped)."""
    by_name = {r["name"]: r for r in resources}
    for key in FOREIGN_KEYS:
        if key.resource in by_name and key.reference in by_name:
            declared = by_name[key.resource]["schema"].setdefault("foreignKeys", [])
            reference = {"resource": key.reference, "fields": list(key.reference_fields)}
            declared.append({"fields": list(key.fields), "reference": reference})


def boundary_provenance(model: Model) -> dict[str, str]:
    """Who publishes the boundary layer and its name, as the prepared file's provenance gives them (else nothing)."""
    try:
        provenance = json.loads(read_bytes(model.boundaries_path)).get("provenance", {})
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(provenance, dict) or not {"publisher", "layer"} <= provenance.keys():
        return {}
    return {"publisher": str(provenance["publisher"]), "layer": str(provenance["layer"])}


def plain_description() -> str:
    """The data set's description for files read without the page's note on the outside mark: the mark left out
    (in English, as the release's files are)."""
    with language.speaking(SOURCE_LANGUAGE):
        return w.DATASET_DESCRIPTION.replace(w.OUTSIDE_MARK, "")


def data_package(model: Model, data_dir: Path, texts: Mapping[str, str] | None = None) -> dict:
    """The datapackage.json descriptor of every published table and curated CSV (`texts`: published_texts(model)),
    in English."""
    with language.speaking(SOURCE_LANGUAGE):
        return _data_package(model, data_dir, texts)


def _data_package(model: Model, data_dir: Path, texts: Mapping[str, str] | None) -> dict:
    texts = published_texts(model) if texts is None else texts
    source = source_block(model, data_dir)
    publication = model.publication
    resources = _published_resources(model, data_dir, texts) + _curated_resources(data_dir)
    _add_foreign_keys(resources)
    layer = boundary_provenance(model)
    boundaries = [{"title": f"{layer['publisher']}: {layer['layer']}"}] if layer else []
    return {
        "profile": "data-package",  # the GeoJSON files are not tables
        "name": PACKAGE_NAME,
        "title": publication["title"],
        "version": model.data_version,
        # The changelog's latest date, never the clock, so that the same data gives the same bytes.
        "created": f"{release_date(data_dir)}T00:00:00Z",
        "licenses": [
            {
                "name": publication["data_licence"],
                "title": publication["data_licence_title"],
                "path": publication["data_licence_url"],
            }
        ],
        "contributors": [{"title": publication["creator"], "role": "author"}],
        "sources": [{"title": source["title"], "path": source["url"]}, *boundaries],
        "description": plain_description(),
        "resources": resources,
    }


def package_json(package: dict) -> str:
    """The descriptor as the file holds it: indented, in declaration order, one newline at the end."""
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"
