"""The open-data API, /api/v1: the exports' tables and the JSON twin of any map view, read-only and cacheable.

Every answer is JSON with the data version and the source; GET (and HEAD) only, open to every site (CORS),
with a strong ETag. The list endpoints take no parameters: any is a 400. /api/v1/view takes the map's own
query and reads it as the map does, each unknown or bad part falling back to its default (the answer's
`query` is the view as understood); only a query that cannot be read at all is a 400.

Keys, ids, column names and the error messages (for programs) stay English; the words meant to be read (the view's
summary, the source's credit) are in the language of the request: its `/es/`, `/pt/` prefix or `lang=`, which every
endpoint takes (an unknown language is English, as on the map).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Collection
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

import numpy as np
import pandas as pd
from flask import Flask, Response, redirect, request
from werkzeug.wrappers import Response as ResponseBase

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.model import Model
from dashboard.exports.tables import agencies_table, events_table, towns_table
from dashboard.serving.http import answer as http_answer
from dashboard.site.records import records_table
from dashboard.site.slugs import Directory
from dashboard.site.templating import href
from dashboard.state.view import ViewState, choices_of, parse_query, to_query, view
from dashboard.state.view_facts import view_facts
from dashboard.views.records import all_rows
from dashboard.views.wording import source_line, totals_sentence

PREFIX = "/api/v1"
#: A longer query, or more parameters, is not one of the map's: the map itself ignores such a query.
MAX_QUERY = 2000
MAX_FIELDS = 20
#: The one parameter every endpoint takes: the language of the answer's words (the map's own `lang=`).
LANG = "lang"
ALLOWED = "GET, HEAD, OPTIONS"
#: Every method is routed here, so that the refusal of the others is JSON like every other answer.
METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag"}
JSON_TYPE = "application/json"


class BadQuery(ValueError):
    """A query the API cannot read; its message is the answer's error."""


def _plain(value: object) -> object:
    """A value JSON can hold: numpy scalars as Python ones, sets as sorted lists."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def empty_cells(table: pd.DataFrame) -> pd.DataFrame:
    """Where a table's cells are empty: a missing value, or empty text (the records table writes its empty cells as
    empty text, the other tables as missing values; the CSV cannot tell them apart, and the API answers null)."""
    return table.isna() | table.eq("")


def rows_of(table: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as JSON objects, an empty cell as null."""
    return table.astype(object).where(~empty_cells(table), None).to_dict(orient="records")


def query_text() -> str:
    """The request's query string as text; BadQuery when its raw bytes are not UTF-8."""
    try:
        return request.query_string.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadQuery("the query is not UTF-8") from exc


def read_query(text: str) -> list[tuple[str, str]]:
    """The parameters of a query string; BadQuery when it is too long, too many or not UTF-8 once unescaped."""
    if len(text) > MAX_QUERY:
        raise BadQuery(f"the query is longer than {MAX_QUERY} characters")
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError as exc:
        raise BadQuery("the query is not UTF-8 once unescaped") from exc
    except ValueError as exc:
        raise BadQuery(f"the query has more than {MAX_FIELDS} parameters") from exc


def published_tables(model: Model, directory: Directory, rows: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The tables the list endpoints give, by their data dictionary section (`rows`: all_rows(model), if built)."""
    return {
        "towns": towns_table(model).assign(slug=lambda t: t["town_id"].map(directory.town_slugs)),
        "agencies": agencies_table(model),
        "events": events_table(model),
        "records": records_table(model, all_rows(model) if rows is None else rows),
    }


class Api:
    """The answers, built from the model once (tables) or once per view (the view's twin)."""

    def __init__(self, model: Model, directory: Directory, version: str, source: dict[str, str]) -> None:
        self.model = model
        self.directory = directory
        self.version = version
        self.source = source
        self.dump = answer_dumper(version, source)  # an answer: the data version and the source, then the parts
        self.choices = choices_of(model.catalog, model.towns.index, model.agencies.index)
        rows = all_rows(model)
        self.tables = published_tables(model, directory, rows)
        self.towns = self.tables["towns"]
        self.records = self.tables["records"]
        # Each row's own town (a record about its agencies, or its Clearview listing), kept beside the table: a town's
        # records are joined on its id, never on a name shown in a column.
        self.record_towns = rows["_town_id"].to_numpy()
        self.events = self.tables["events"]
        self.view_answer = lru_cache(maxsize=1024)(self._view)  # a view state names its language

    def town(self, town_id: int) -> dict[str, object]:
        """One town: its row of the towns export, its rows of the records table, its policy events, its links (in the
        language in use)."""
        row = self.towns.loc[self.towns["town_id"].eq(town_id)]
        place = self.directory.town_place(town_id)
        return {
            "data": rows_of(row)[0],
            "records": rows_of(self.records.loc[self.record_towns == town_id]),
            "events": rows_of(self.events.loc[self.events["town_id"].eq(town_id)]),
            "links": {
                "page": href(place.path),
                "map": "/"
                + to_query(view(self.model.catalog, town=town_id, lang=language.current().code), self.model.catalog),
            },
        }

    def _view(self, state: ViewState) -> bytes:
        with language.speaking(state.lang):
            return self._view_in_language(state)

    def _view_in_language(self, state: ViewState) -> bytes:
        model = self.model
        facts = view_facts(model, state)
        class_of = {code: status for status, code in model.catalog.codes.items()}
        towns = [
            {
                "town_id": int(t),
                "town": str(name),
                "slug": self.directory.town_slugs[int(t)],
                # null: not colored by a class in this view (outside the filters, or not known to be asked yet).
                "clearview_status": class_of.get(int(code)),
            }
            for t, name, code in zip(model.towns.index, model.towns["town"], facts.codes)
        ]
        query = to_query(state, model.catalog)
        figures = {
            "municipalities_by_class": facts.class_counts,
            "agencies_by_class": facts.agency_counts,
            # zero_document (municipalities and agencies together) as before, beside the two counts apart.
            "classes": [{**dataclasses.asdict(f), "zero_document": f.zero_document} for f in facts.classes],
            "vendors": [dataclasses.asdict(r) for r in facts.reach],
            "summary": totals_sentence(facts),
            "not_asked": facts.not_asked,
            "filtered_out": facts.filtered_out,
            "totals": dataclasses.asdict(facts.totals),
            "policy": dataclasses.asdict(facts.policy),
        }
        return self.dump(query=query, map="/" + query, view=dataclasses.asdict(state), towns=towns, figures=figures)


def answer_dumper(version: str, source: dict[str, str]) -> Callable[..., bytes]:
    """How every answer is written: the data version and the source, then its parts, as compact JSON."""

    def dump(**parts: object) -> bytes:
        # The credit is read: in the language in use. Every other member of the source is a name or an address.
        worded = {**source, "credit": source_line(source["index_dated"])} if "index_dated" in source else source
        body = {"data_version": version, "source": worded, **parts}
        return json.dumps(body, ensure_ascii=False, allow_nan=False, default=_plain, separators=(",", ":")).encode()

    return dump


def json_answer(body: bytes, status: int = 200) -> ResponseBase:
    """A JSON answer open to every site, with its ETag (a 200 only)."""
    return http_answer(body, JSON_TYPE, status=status, headers=CORS)


def refusal(dump: Callable[..., bytes], status: int, message: str) -> ResponseBase:
    """A refusal as JSON: the data version, the source and what was wrong."""
    return json_answer(dump(error=message), status)


def guarded(handler: Callable[..., ResponseBase], dump: Callable[..., bytes]) -> Callable[..., ResponseBase]:
    """Refuse other methods as JSON, answer preflights, and turn an unreadable query into a 400."""

    def run(**kwargs: str) -> ResponseBase:
        if request.method == "OPTIONS":
            preflight = Response(status=204, headers=CORS)
            preflight.headers["Access-Control-Allow-Methods"] = ALLOWED
            preflight.headers["Access-Control-Allow-Headers"] = "If-None-Match"
            return preflight
        if request.method not in ("GET", "HEAD"):
            response = refusal(dump, 405, f"{request.method} is not allowed: this API is read-only ({ALLOWED})")
            response.headers["Allow"] = ALLOWED
            return response
        try:
            return handler(**kwargs)
        except BadQuery as exc:
            return refusal(dump, 400, str(exc))

    return run


def refuse_parameters(path: str, allowed: Collection[str] = (LANG,)) -> None:
    """BadQuery when the request has any parameter but `allowed` ones: `path` takes no other."""
    others = sorted({k for k, _ in read_query(query_text())} - set(allowed))
    if others:
        but = f" but {', '.join(allowed)}" if allowed else ""
        raise BadQuery(f"{path} takes no parameters{but} (got {', '.join(others)})")


def answer_language(state: ViewState) -> ViewState:
    """A view in the language its query names, else in the request's (its address's prefix)."""
    if state.lang == SOURCE_LANGUAGE:
        return dataclasses.replace(state, lang=language.current().code)
    return state


def register_api(server: Flask, api: Api) -> None:
    """Add the /api/v1 routes to the Flask server."""
    tables = {name: (lambda table=table: api.dump(data=rows_of(table))) for name, table in api.tables.items()}
    bodies: dict[str, bytes] = {}

    def error(status: int, message: str) -> ResponseBase:
        return refusal(api.dump, status, message)

    def no_parameters(name: str) -> ResponseBase:
        refuse_parameters(f"{PREFIX}/{name}")
        key = f"{name}:{language.current().code}"  # the source's credit is worded in each language
        if key not in bodies:
            bodies[key] = tables[name]()
        return json_answer(bodies[key])

    def table_view(name: str) -> Callable[[], ResponseBase]:
        return lambda: no_parameters(name)

    for name in tables:
        server.add_url_rule(
            f"{PREFIX}/{name}",
            endpoint=f"site_api_{name}",
            view_func=guarded(table_view(name), api.dump),
            methods=METHODS,
        )

    def town(slug: str) -> ResponseBase:
        refuse_parameters(f"{PREFIX}/towns/<town>")
        place = api.directory.find(slug)
        if place is None or place.kind != "town":
            return error(404, f"no municipality is known as '{slug}'; {PREFIX}/towns lists them with their slugs")
        if place.key != slug:
            response = redirect(href(f"{PREFIX}/towns/{place.key}"), code=308)
            response.headers.update(CORS)
            return response
        key = f"town:{slug}:{language.current().code}"
        if key not in bodies:
            town_id = api.directory.town_id(slug)
            bodies[key] = api.dump(**api.town(town_id))
        return json_answer(bodies[key])

    def view_twin() -> ResponseBase:
        text = query_text()
        read_query(text)
        return json_answer(api.view_answer(answer_language(parse_query(text, api.choices))))

    def unknown(rest: str = "") -> ResponseBase:
        return error(
            404, f"no such endpoint; try {PREFIX}/towns, /agencies, /records, /events or /view, described at {PREFIX}/"
        )

    def route(path: str, endpoint: str, handler: Callable[..., ResponseBase]) -> None:
        server.add_url_rule(path, endpoint=endpoint, view_func=guarded(handler, api.dump), methods=METHODS)

    route(f"{PREFIX}/towns/<slug>", "site_api_town", town)
    route(f"{PREFIX}/view", "site_api_view", view_twin)
    route("/api/<path:rest>", "site_api_unknown", unknown)
