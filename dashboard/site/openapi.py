"""The OpenAPI 3.1 description of /api/v1, generated from the data dictionary (published_fields) and the routes.

Column types, meanings and allowed values come from data/columns.csv and the schema through `published_fields`; the
view twin's parameters from the catalog the map's own query parser reads; the answers' other members from the
dataclasses the API serializes. Nothing here restates a column: a new published column appears with no edit.
The document is a pure function of the model and data/ (no clock, no host), so a release rebuilds it byte for byte.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard import language
from dashboard.data.model import Model
from dashboard.data.schema import KIND_TEXT
from dashboard.data.version import data_version
from dashboard.language import N_
from dashboard.site.api import ALLOWED, MAX_FIELDS, MAX_QUERY, PREFIX, empty_cells, published_tables
from dashboard.site.dictionary import Field, published_fields
from dashboard.site.slugs import Directory, build_directory
from dashboard.site.source import source_block
from dashboard.state.view import EXTENTS, NONE, ViewState
from dashboard.state.view_facts import ClassFigure, PolicyFigure, Totals, VendorReach

OPENAPI_VERSION = "3.1.0"
OPENAPI_PATH = f"{PREFIX}/openapi.json"
DOCS_PATH = f"{PREFIX}/"
JSON_TYPE = "application/json"
HTML_TYPE = "text/html"

_MONTH = r"\d{4}-(0[1-9]|1[0-2])"
_DAY = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
#: What each column kind is in JSON. bool: the API gives the export's cells, which write the words true and false.
KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "int": {"type": "integer", "minimum": 0},
    "year": {"type": "integer", "minimum": 1000, "maximum": 9999},
    "month": {"type": "string", "pattern": f"^{_MONTH}$"},
    "date": {"type": "string", "format": "date", "pattern": f"^{_DAY}$"},
    "period": {"type": "string", "pattern": rf"^\d{{4}}(-\d{{4}})?$|^{_MONTH}$"},
    "bool": {"type": "string", "enum": ["true", "false"]},
    "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
    "day_or_month": {"type": "string", "pattern": f"^{_DAY}$|^{_MONTH}$"},
    "url": {"type": "string", "format": "uri", "pattern": r"^https?://[^\s/?#]+\S*$"},
    "json": {"type": "object"},
}
#: What a kind holds, in words, for the kinds schema.KIND_TEXT does not word (it words only the checked ones); the
#: API page translates them (api_docs.column_rows).
# Translators: what a column of the open-data API holds: "text" is any words (not a number or a date).
KIND_WORDS = {**KIND_TEXT, "text": N_("text"), "json": N_("a JSON object")}
#: The schema each list endpoint's rows follow, by data dictionary section.
ROW_SCHEMAS = {"towns": "Town", "agencies": "Agency", "events": "Event", "records": "Record"}
_LISTS = {
    "towns": "Every municipality: its Clearview AI class, the listing counted, its vendors, its policy and its slug.",
    "agencies": "Every agency that is not a municipality's own, with its Clearview AI class and vendors.",
    "events": "Every dated policy decision (bans, moratoria, oversight ordinances, state law), with its source.",
    "records": "Every record of the records index and every name on the three Clearview AI lists.",
}


def _ref(name: str, kind: str = "schemas") -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with null allowed too (an empty cell)."""
    made = dict(schema)
    made["type"] = [schema["type"], "null"]
    if "enum" in made:
        made["enum"] = [*made["enum"], None]
    return made


def field_schema(field: Field, nullable: bool) -> dict[str, Any]:
    """One column's JSON Schema: its kind's type, its declared values, null where the table has an empty cell."""
    schema: dict[str, Any] = {**KIND_SCHEMAS[field.kind], "description": field.meaning}
    if field.values:
        schema["enum"] = list(field.values)
    schema["x-kind"] = field.kind
    return _nullable(schema) if nullable else schema


def row_schema(fields: tuple[Field, ...], table: pd.DataFrame | None) -> dict[str, Any]:
    """A table's row: every column present (null when empty), no other member. A column may be null when the
    published table of this data version holds an empty cell in it (or when the table does not have it yet)."""
    empty = empty_cells(table).any() if table is not None else pd.Series(dtype=bool)
    properties = {f.name: field_schema(f, bool(empty.get(f.name, True))) for f in fields}
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _type_schema(hint: Any) -> dict[str, Any]:
    """The JSON Schema of a value of a dataclass field's type, as json.dumps writes it (sets as sorted lists)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        inner = _type_schema(kept[0])
        return _nullable(inner) if len(kept) < len(args) else inner
    if origin in (tuple, list, set, frozenset):
        return {"type": "array", "items": _type_schema(args[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(args[1])}
    simple = {bool: "boolean", int: "integer", float: "number", str: "string"}
    if hint in simple:
        return {"type": simple[hint]}
    raise TypeError(f"no JSON Schema for {hint!r}")


def dataclass_schema(cls: type, **extra: dict[str, Any]) -> dict[str, Any]:
    """An object as dataclasses.asdict gives it (plus `extra` members), described by the class's docstring."""
    hints = typing.get_type_hints(cls)
    properties = {f.name: _type_schema(hints[f.name]) for f in dataclasses.fields(cls)} | extra
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip(),
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _answer_schema(description: str, members: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An answer: the data version and the source, then `members`."""
    properties = {
        "data_version": _ref("DataVersion"),
        "source": _ref("Source"),
        **members,
    }
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _view_schemas(model: Model, fields: dict[str, tuple[Field, ...]]) -> dict[str, dict[str, Any]]:
    """The view twin's answer: the view as understood, every town's class in it, and the figures the map shows."""
    catalog = model.catalog
    by_name = {f.name: f for f in fields["towns"]}
    status = by_name["clearview_status"]
    colored = dataclasses.replace(
        status, meaning=status.meaning + "; null when the view does not color the municipality by a class"
    )
    town = {
        "type": "object",
        "description": "A municipality as the view colors it",
        "properties": {
            "town_id": field_schema(by_name["town_id"], False),
            "town": field_schema(by_name["town"], False),
            "slug": field_schema(by_name["slug"], False),
            "clearview_status": field_schema(colored, True),
        },
        "required": ["town_id", "town", "slug", "clearview_status"],
        "additionalProperties": False,
    }
    integer = {"type": "integer", "minimum": 0}
    by_class = {"type": "object", "propertyNames": {"enum": list(catalog.class_ids)}, "additionalProperties": integer}
    figures: dict[str, Any] = {
        "type": "object",
        "description": "What the map shows for this view: the counts by class, each vendor's reach, the totals.",
        "properties": {
            "municipalities_by_class": {**by_class, "description": "Municipalities shown in each class"},
            "agencies_by_class": {**by_class, "description": "Other agencies shown in each class"},
            "classes": {"type": "array", "items": _ref("ClassFigure")},
            "vendors": {"type": "array", "items": _ref("VendorReach")},
            "summary": {"type": "string", "description": "The map's sentence of what it shows under the filters"},
            "not_asked": {**integer, "description": "Municipalities not known to have been asked yet"},
            "filtered_out": {**integer, "description": "Municipalities outside the class and wave filters"},
            "totals": _ref("Totals"),
            "policy": _ref("PolicyFigure"),
        },
    }
    figures["required"] = list(figures["properties"])
    figures["additionalProperties"] = False
    return {
        "ViewTown": town,
        "ViewFigures": figures,
        "ViewState": dataclass_schema(ViewState),
        "ClassFigure": dataclass_schema(
            ClassFigure, zero_document={**integer, "description": "Municipalities and agencies with 0 documents"}
        ),
        "VendorReach": dataclass_schema(VendorReach),
        "Totals": dataclass_schema(Totals),
        "PolicyFigure": dataclass_schema(PolicyFigure),
        "ViewAnswer": _answer_schema(
            "The view as understood, every municipality's class in it, and the figures the map shows for it",
            {
                "query": {
                    "type": "string",
                    "description": "The view as understood, as the map's own query ('' for the default view)",
                },
                "map": {"type": "string", "description": "The map's address showing this view"},
                "view": _ref("ViewState"),
                "towns": {
                    "type": "array",
                    "items": _ref("ViewTown"),
                    "minItems": len(model.towns),
                    "maxItems": len(model.towns),
                },
                "figures": _ref("ViewFigures"),
            },
        ),
    }


def _schemas(model: Model, data_dir: Path, directory: Directory) -> dict[str, dict[str, Any]]:
    fields = published_fields(data_dir)
    tables = published_tables(model, directory)
    answer = {f.name: f for f in fields["answer"]}
    source = source_block(model, data_dir)
    text = {"type": "string"}
    schemas: dict[str, dict[str, Any]] = {
        "DataVersion": {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}\+[0-9a-f]+$",
            "description": answer["data_version"].meaning,
        },
        "Source": {
            "type": "object",
            "description": answer["source"].meaning,
            "properties": {k: {**text, "format": "uri"} if k.endswith("url") else dict(text) for k in source},
            "required": list(source),
            "additionalProperties": False,
        },
        "Error": {
            "type": "object",
            "description": "A refusal: the data version, the source and what was wrong",
            "properties": {
                "data_version": _ref("DataVersion"),
                "source": _ref("Source"),
                "error": {**text, "description": answer["error"].meaning},
            },
            "required": ["data_version", "source", "error"],
            "additionalProperties": False,
        },
    }
    data = answer["data"].meaning
    for section, name in ROW_SCHEMAS.items():
        schemas[name] = {**row_schema(fields[section], tables.get(section)), "description": _LISTS[section]}
        rows = {"type": "array", "items": _ref(name), "description": data}
        schemas[f"{name}List"] = _answer_schema(f"The {section} table", {"data": rows})
    one = {"type": "string", "description": "An address on this site"}
    schemas["TownAnswer"] = _answer_schema(
        "One municipality: its row, its own records, its policy events and its addresses",
        {
            "data": {**_ref("Town"), "description": data},
            "records": {"type": "array", "items": _ref("Record"), "description": "The municipality's own records"},
            "events": {"type": "array", "items": _ref("Event"), "description": "The municipality's policy events"},
            "links": {
                "type": "object",
                "description": "The municipality's page and the map centred on it",
                "properties": {"page": one, "map": one},
                "required": ["page", "map"],
                "additionalProperties": False,
            },
        },
    )
    schemas.update(_view_schemas(model, fields))
    return dict(sorted(schemas.items()))


def _headers() -> dict[str, dict[str, Any]]:
    text = {"type": "string"}
    return {
        "ETag": {
            "description": "A strong validator of the answer: send it back as If-None-Match to get 304 when unchanged",
            "required": True,
            "schema": {**text, "pattern": '^"[^"]*"$'},
        },
        "Cache-Control": {"description": "How long the answer may be kept before revalidating", "schema": text},
        "Access-Control-Allow-Origin": {"description": "Every site may read the answers", "schema": {"const": "*"}},
        "Location": {"description": "The canonical address", "required": True, "schema": text},
    }


def _responses() -> dict[str, dict[str, Any]]:
    error = {JSON_TYPE: {"schema": _ref("Error")}}
    return {
        "NotModified": {
            "description": "Not Modified: the If-None-Match header already names this answer's ETag; no body",
            "headers": {"ETag": _ref("ETag", "headers")},
        },
        "BadQuery": {
            "description": f"A query the API cannot read: a parameter the endpoint does not take, a query longer "
            f"than {MAX_QUERY} characters, more than {MAX_FIELDS} parameters, or bytes that are not UTF-8",
            "content": error,
        },
        "NotFound": {"description": "No such municipality or endpoint", "content": error},
        "MethodNotAllowed": {
            "description": f"Any other method: the API is read-only (the Allow header says {ALLOWED})",
            "headers": {"Allow": {"schema": {"const": ALLOWED}, "required": True}},
            "content": error,
        },
    }


def _ok(description: str, schema: dict[str, Any], media: str = JSON_TYPE) -> dict[str, Any]:
    """A 200 answer: its body's schema and the headers it carries (JSON answers are open to every site)."""
    headers = {name: _ref(name, "headers") for name in ("ETag", "Cache-Control", "Access-Control-Allow-Origin")}
    if media != JSON_TYPE:
        del headers["Access-Control-Allow-Origin"]
    return {"description": description, "headers": headers, "content": {media: {"schema": schema}}}


def _operations(
    name: str, summary: str, description: str, ok: dict[str, Any], parameters: list[dict[str, Any]], **more: Any
) -> dict[str, Any]:
    """The GET of a path and its HEAD twin (the same answer without a body)."""
    responses = {"200": ok, "304": _ref("NotModified", "responses"), **more}
    get: dict[str, Any] = {
        "operationId": f"get{name}",
        "summary": summary,
        "description": description,
        "parameters": [_ref("IfNoneMatch", "parameters"), *parameters],
        "responses": dict(sorted(responses.items())),
    }
    head_ok = {k: v for k, v in ok.items() if k != "content"}
    head = {
        **get,
        "operationId": f"head{name}",
        "summary": f"{summary} (headers only)",
        "responses": {**get["responses"], "200": head_ok},
    }
    return {"get": get, "head": head}


def _query(name: str, description: str, schema: dict[str, Any], **more: Any) -> dict[str, Any]:
    """A query parameter; a list is its values separated by commas (form style, not exploded), as the map writes it."""
    parameter = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
    if schema.get("type") == "array":
        parameter |= {"style": "form", "explode": False}
    return parameter | more


def _slugs(values: list[str]) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "enum": [*values, NONE]}, "minItems": 1, "uniqueItems": True}


def view_parameters(model: Model, example_town: int) -> list[dict[str, Any]]:
    """The map's own query parameters (state/view.py reads them), with the values this data version allows."""
    catalog = model.catalog
    months = list(catalog.months)
    switch = {"type": "string", "enum": ["0", "1"]}
    none = f"; {NONE} for none"
    return [
        _query(
            "classes",
            f"The Clearview AI classes shown, by slug{none}; default: every class",
            _slugs([c.slug for c in catalog.classes]),
            example=[catalog.classes[0].slug],
        ),
        _query(
            "wave",
            f"The Clearview AI request waves shown{none}; default: every wave",
            _slugs([w.slug for w in catalog.waves]),
        ),
        _query(
            "vendors",
            f"The vendors whose records are shown{none}; default: the map's default vendors",
            _slugs([v.slug for v in catalog.vendors]),
        ),
        _query(
            "date",
            "Show what was filed, asked or decided by the end of this month (YYYY-MM); default: the latest month",
            {"type": "string", "enum": months},
        ),
        _query(
            "compare",
            "Up to three earlier months drawn beside the chosen one (the before-and-after slide)",
            {"type": "array", "items": {"type": "string", "enum": months}, "maxItems": 3, "uniqueItems": True},
        ),
        _query(
            "years",
            "An older link's span of years filed (YYYY or YYYY-YYYY), read as the end of its last year when no date "
            "is given",
            {"type": "string", "pattern": r"^\d{4}(-\d{4})?$"},
            deprecated=True,
        ),
        _query("uasi", "1 to outline the Metro Boston Homeland Security Region, 0 not to; default 1", switch),
        _query("policy", "1 to outline the face-surveillance policies, 0 not to; default 1", switch),
        _query("present", "1 for the presentation mode (map, legend, title and source only)", switch),
        _query("extent", "The whole state, or the Metro Boston region", {"type": "string", "enum": list(EXTENTS)}),
        _query(
            "town",
            "A municipality's TOWN_ID: the view of its panel",
            {"type": "integer", "minimum": int(model.towns.index.min()), "maximum": int(model.towns.index.max())},
            example=example_town,
        ),
        _query(
            "agency",
            "An agency's id, when no town is chosen: the view of its panel",
            {"type": "string", "enum": sorted(str(a) for a in model.agencies.index)},
        ),
        lang_parameter(),
    ]


def lang_parameter() -> dict[str, Any]:
    """The language of an answer's words (the map's own `lang=`), which every data endpoint takes."""
    return _query(
        "lang",
        "The language of the answer's words meant to be read (a view's summary, the source's credit); keys, ids, "
        "column names and errors stay English. An unknown language is English, as on the map; default en",
        {"type": "string", "enum": list(language.languages())},
    )


def _paths(model: Model, directory: Directory) -> dict[str, dict[str, Any]]:
    example_town = int(model.towns["population_2010"].idxmax())  # the most populous: an example with records
    slugs = sorted(directory.town_slugs.values())
    slug = {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": f"The municipality's slug, as {PREFIX}/towns lists them; another name it is known by "
        "redirects to it",
        "schema": {"type": "string", "enum": slugs},
        "example": directory.town_slugs[example_town],
    }
    bad = _ref("BadQuery", "responses")
    paths: dict[str, dict[str, Any]] = {
        DOCS_PATH: _operations(
            "Docs",
            "This description as a page",
            "The endpoints, their parameters and answers, every column with its meaning, the licence and how to cite.",
            _ok("The page (HTML)", {"type": "string"}, HTML_TYPE),
            [],
        ),
        OPENAPI_PATH: _operations(
            "OpenApi",
            "This description",
            "This OpenAPI document, generated from the same data dictionary as the answers; it takes no parameters.",
            _ok("This OpenAPI document", {"type": "object", "required": ["openapi", "info", "paths", "components"]}),
            [],
            **{"400": bad},
        ),
        f"{PREFIX}/towns/{{slug}}": _operations(
            "Town",
            "One municipality",
            "The municipality's row of the towns table, its own records, its policy events and its addresses on this "
            "site; it takes no parameter but lang.",
            _ok("The municipality's answer", _ref("TownAnswer")),
            [slug, lang_parameter()],
            **{
                "308": {
                    "description": "Another name of the municipality",
                    "headers": {"Location": _ref("Location", "headers")},
                },
                "400": bad,
                "404": _ref("NotFound", "responses"),
            },
        ),
        f"{PREFIX}/view": _operations(
            "View",
            "The map's view as data",
            "The map's own query (the part of its address after ?), read as the map reads it: an unknown or bad part "
            "falls back to its default, and the answer's query is the view as understood.",
            _ok("The view's answer", _ref("ViewAnswer")),
            view_parameters(model, example_town),
            **{"400": bad},
        ),
    }
    for section, name in ROW_SCHEMAS.items():
        paths[f"{PREFIX}/{section}"] = _operations(
            name + "List",
            f"The {section} table",
            _LISTS[section] + " It takes no parameter but lang.",
            _ok(f"The {section} table: every row, with the data version and the source", _ref(f"{name}List")),
            [lang_parameter()],
            **{"400": bad},
        )
    return dict(sorted(paths.items()))


#: How the API answers, in a paragraph (the document's description and the page's).
BEHAVIOUR = (
    f"Read-only answers (GET and HEAD), open to every site (CORS). Every answer names its data version and the records "
    f"page its figures come from, and carries a strong ETag: send it back in If-None-Match to get 304 Not Modified "
    f"while the data is unchanged. A refusal is JSON too: 400 for a query the API cannot read, 404 for no such "
    f"municipality or endpoint, 405 for any method but {ALLOWED}."
)
#: The document stays English (for programs); its summary is also the API page's, translated there.
SUMMARY = N_("The map's compiled data as JSON: towns, agencies, records, policy events and any map view.")


def licence_text(publication: dict[str, str]) -> str:
    """Under which licences the data and the code are published, and whose records the data compiles."""
    return (
        f"The compiled data is published under the {publication['data_licence_title']} licence "
        f"({publication['data_licence_url']}); {publication['credit']}. The code is published under the "
        f"{publication['code_licence_title']} ({publication['code_licence_url']})."
    )


def openapi_document(model: Model, data_dir: Path) -> dict[str, Any]:
    """The OpenAPI 3.1 description of every /api/v1 route, from the data dictionary of `data_dir` and the model."""
    publication = model.publication
    directory = build_directory(model)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"{publication['title']}: the open-data API",
            "version": data_version(data_dir),
            "summary": SUMMARY,
            "description": f"{BEHAVIOUR}\n\n{licence_text(publication)}",
            "license": {"name": publication["data_licence_title"], "identifier": publication["data_licence"]},
        },
        "externalDocs": {"description": "The records page", "url": source_block(model, data_dir)["url"]},
        "paths": _paths(model, directory),
        "components": {
            "schemas": _schemas(model, data_dir, directory),
            "responses": _responses(),
            "headers": _headers(),
            "parameters": {
                "IfNoneMatch": {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": False,
                    "description": "The ETag of an answer already held: 304 Not Modified (no body) when it is current",
                    "schema": {"type": "string"},
                }
            },
        },
    }
