"""The API's own description, served: /api/v1/openapi.json and the page of the endpoints at /api/v1/.

The page is rendered from the OpenAPI document itself (templates/api.html), so the two cannot disagree: every
endpoint with its parameters and answers, every column with what it holds and its meaning, the licence and a citation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, redirect, request
from markupsafe import Markup
from werkzeug.wrappers import Response as ResponseBase

from dashboard.config import check_public_url, public_url_from_env
from dashboard.data.model import Model
from dashboard.data.version import data_version
from dashboard.language import _
from dashboard.serving.http import answer as http_answer
from dashboard.site.api import METHODS, answer_dumper, guarded, json_answer, refuse_parameters
from dashboard.site.document import document, site_of
from dashboard.site.openapi import (
    BEHAVIOUR,
    DOCS_PATH,
    KIND_WORDS,
    OPENAPI_PATH,
    ROW_SCHEMAS,
    SUMMARY,
    openapi_document,
)
from dashboard.site.pages import Page
from dashboard.site.source import source_block
from dashboard.site.templating import render
from dashboard.views import wording

#: A parameter's allowed values are listed when there are at most this many; else the first and the last.
MAX_LISTED = 12


@dataclass(frozen=True)
class Row:
    """One line of a table on the page: a name, what it holds or takes, and its meaning."""

    name: str
    holds: str
    meaning: str


@dataclass(frozen=True)
class Endpoint:
    """One path of the document as the page shows it."""

    path: str
    summary: str
    description: str
    example: str
    parameters: tuple[Row, ...]
    answers: tuple[Row, ...]


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A `$ref` of the document followed to what it names."""
    while "$ref" in node:
        found: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            found = found[part]
        node = found
    return node


def values_words(schema: dict[str, Any]) -> str:
    """What a parameter or column takes, in words: its values, its range or its form."""
    inner = schema.get("items", schema)
    values = [v for v in inner.get("enum", []) if v is not None]
    if values:
        shown = values if len(values) <= MAX_LISTED else [values[0], "…", values[-1]]
        listed = ", ".join(str(v) for v in shown)
        return f"one or more of {listed}, separated by commas" if "items" in schema else f"one of {listed}"
    if "minimum" in inner and "maximum" in inner:
        return f"a whole number from {inner['minimum']} to {inner['maximum']}"
    if "pattern" in inner:
        return f"text of the form {inner['pattern']}"
    return {"integer": "a whole number", "string": "text"}.get(str(inner.get("type")), "")


def example_address(path: str, parameters: list[dict[str, Any]]) -> str:
    """The path with its path parameters' examples in place and its query parameters' examples as a query."""
    query = []
    for parameter in parameters:
        if "example" not in parameter:
            continue
        value = parameter["example"]
        text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", text)
        else:
            query.append(f"{parameter['name']}={text}")
    return path + ("?" + "&".join(query) if query else "")


def endpoints(doc: dict[str, Any]) -> list[Endpoint]:
    """Every path of the document with its GET's parameters (but the conditional header) and answers."""
    listed = []
    for path, item in doc["paths"].items():
        get = item["get"]
        parameters = [_resolve(doc, p) for p in get.get("parameters", [])]
        parameters = [p for p in parameters if p["in"] != "header"]
        listed.append(
            Endpoint(
                path=path,
                summary=get["summary"],
                description=get["description"],
                example=example_address(path, parameters),
                parameters=tuple(Row(p["name"], values_words(p["schema"]), p["description"]) for p in parameters),
                answers=tuple(
                    Row(code, "", _resolve(doc, answer)["description"]) for code, answer in get["responses"].items()
                ),
            )
        )
    return listed


def column_rows(schema: dict[str, Any]) -> tuple[Row, ...]:
    """A row schema's columns: what each holds (and whether it may be empty) and what it means, in the language in
    use (data/columns.csv and the kinds' words are extracted for the catalogue; the values are the API's own, as
    code)."""
    rows = []
    for name, column in schema["properties"].items():
        holds = _(KIND_WORDS.get(column.get("x-kind", ""), ""))
        values = [v for v in column.get("enum", []) if v is not None]
        if values:
            # The values are the API's own, as a program sends and reads them: shown as code, in every language.
            listed = Markup(", ").join(Markup("<code>{}</code>").format(v) for v in values)
            # Translators: what an API column holds; {values} are its values as the API writes them (ban, moratorium).
            holds = Markup(_("one of {values}")).format(values=listed)
        if "null" in column.get("type", []):
            # Translators: what an API column holds, and that a cell may hold null (JSON's word for an empty value).
            holds = Markup(_("{holds}; may be empty (null)")).format(holds=holds)
        rows.append(Row(name, holds, _(column["description"])))
    return tuple(rows)


def docs_page(doc: dict[str, Any], model: Model, site_address: str) -> Page:
    """The page of the endpoints: how the API answers, each endpoint, the columns, the licence and a citation."""
    publication = model.publication
    info = doc["info"]
    schemas = doc["components"]["schemas"]
    tables = [
        (section, schemas[name]["description"], column_rows(schemas[name])) for section, name in ROW_SCHEMAS.items()
    ]
    # The page's own words are in the language in use, and so are the columns' (column_rows); the document's
    # other words (endpoints, parameters, answers, table descriptions) stay English.
    title = _("{title}: the open-data API").format(title=publication["title"])
    body = render(
        "api.html",
        title=title,
        summary=_(SUMMARY),
        behaviour=BEHAVIOUR,
        version=info["version"],
        openapi_path=OPENAPI_PATH,
        endpoints=endpoints(doc),
        tables=tables,
        publication=publication,
        credit=_(publication["credit"]),  # data/ extracts it: the words of the rights holder's credit, translated
        citation=wording.cite_line(
            publication["creator"],
            publication["title"],
            info["version"],
            f"{site_address}/",
            publication["data_licence"],
        ),
    )
    return Page(title=title, description=_(SUMMARY), body=body)


def register_api_docs(server: Flask, model: Model, data_dir: Path, public_url: str | None = None) -> None:
    """Add /api/v1/openapi.json, the page of the endpoints at /api/v1/, and /api leading there."""
    configured = public_url_from_env() if public_url is None else check_public_url(public_url)
    source = source_block(model, data_dir)
    version = data_version(data_dir)
    dump = answer_dumper(version, source)
    site = site_of(model, data_dir, source)
    built: dict[str, Any] = {}

    def described() -> dict[str, Any]:
        if "doc" not in built:
            built["doc"] = openapi_document(model, data_dir)
        return built["doc"]

    def openapi_json() -> ResponseBase:
        refuse_parameters(OPENAPI_PATH, allowed=())  # the document is one, in English
        if "json" not in built:
            built["json"] = json.dumps(described(), ensure_ascii=False, indent=1).encode()
        return json_answer(built["json"])

    def docs() -> ResponseBase:
        # Rendered for each request (in its language): the citation and the canonical address name the host asked for
        # (unless the public address is configured), and a page kept per host would grow with every Host header sent.
        base = configured or request.host_url.rstrip("/")
        page = document(site, docs_page(described(), model, base), base_url=base, path=DOCS_PATH)
        return http_answer(page.encode(), "text/html")

    def home() -> ResponseBase:
        return redirect(DOCS_PATH, code=308)

    server.add_url_rule(
        OPENAPI_PATH, endpoint="site_api_openapi", view_func=guarded(openapi_json, dump), methods=METHODS
    )
    server.add_url_rule(DOCS_PATH, endpoint="site_api_docs", view_func=guarded(docs, dump), methods=METHODS)
    for path in ("/api", "/api/"):
        server.add_url_rule(path, endpoint=f"site_api_home{path.count('/')}", view_func=home)
