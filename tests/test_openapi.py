"""The API's OpenAPI description: valid OpenAPI 3.1, generated from the data dictionary, served with its page, and
Schemathesis against the live app (the session's server) from that description: no 5xx, every answer as described."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import jsonschema_rs
import pytest
import schemathesis
from markupsafe import escape
from schemathesis.config import SchemathesisConfig

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.server import create_app
from dashboard.site import dictionary
from dashboard.site.openapi import OPENAPI_PATH, openapi_document
from dashboard.state.view import to_query, view

#: Random cases per operation (fuzzing): with the coverage phase's cases, about 40 s on 2 cores.
MAX_EXAMPLES = 25
#: No 5xx; the status, media type, headers and body of every answer as described; a valid request accepted; any other
#: method a 405 with its Allow header. Not negative_data_rejection: the view twin reads a bad part of the map's query
#: as its default, as the map does (a documented choice), so a value outside the description is a 200 there.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "positive_data_acceptance",
    "unsupported_method",
    "allow_header_conformance",
]


@pytest.fixture(scope="module")
def document(model: Model, config: Config) -> dict:
    return openapi_document(model, config.data_dir)


@pytest.fixture(scope="module")
def client(model: Model, config: Config):
    return create_app(model, data_dir=config.data_dir).server.test_client()


def columns_csv(data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / "columns.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


# --- the document ------------------------------------------------------------------------------------------------


def test_the_document_is_valid_openapi_3_1(document: dict) -> None:
    assert document["openapi"].startswith("3.1")
    as_served = json.loads(json.dumps(document))
    schemathesis.openapi.from_dict(as_served, config=SchemathesisConfig()).validate()  # the OpenAPI 3.1 meta-schema
    # The same check refuses a broken copy: a licence with both an identifier and an address.
    as_served["info"]["license"]["url"] = "https://creativecommons.org/licenses/by/4.0/"
    with pytest.raises(jsonschema_rs.ValidationError):
        schemathesis.openapi.from_dict(as_served, config=SchemathesisConfig()).validate()
    for name, schema in document["components"]["schemas"].items():
        jsonschema_rs.meta.validate(schema)  # each a valid JSON Schema (2020-12, the dialect of OpenAPI 3.1)
        assert schema["description"], name


def test_the_document_names_the_version_and_the_licence(document: dict, config: Config, client) -> None:
    publication = dict(
        (row["field"], row["value"]) for row in csv.DictReader((config.data_dir / "publication.csv").open())
    )
    info = document["info"]
    assert info["license"] == {"name": "Creative Commons Attribution 4.0 International", "identifier": "CC-BY-4.0"}
    assert info["license"]["identifier"] == publication["data_licence"]
    assert info["version"] == client.get("/api/v1/towns").get_json()["data_version"]
    assert publication["credit"] in info["description"]


def test_every_route_of_the_api_is_described(document: dict, client) -> None:
    rules = {r.rule for r in client.application.url_map.iter_rules() if r.rule.startswith("/api/v1")}
    described = {re.sub(r"\{(\w+)\}", r"<\1>", path) for path in document["paths"]}
    assert rules == described
    for path, item in document["paths"].items():
        assert set(item) == {"get", "head"}, path


def test_the_document_is_the_same_each_time(model: Model, config: Config, document: dict) -> None:
    again = openapi_document(model, config.data_dir)
    assert json.dumps(again) == json.dumps(document)


def test_columns_carry_their_meaning_kind_and_values(document: dict, config: Config) -> None:
    schemas = document["components"]["schemas"]
    meanings = {(r["table"], r["column"]): r for r in columns_csv(config.data_dir)}
    town = schemas["Town"]["properties"]
    row = meanings[("towns", "clearview_status")]
    assert town["clearview_status"]["description"] == row["meaning"]
    assert town["clearview_status"]["enum"] == [
        "use_or_communication",
        "solicitation_only",
        "no_responsive_documents",
        "no_response",
    ]
    assert town["population_2010"]["type"] == "integer"  # int in columns.csv
    assert town["clearview_request_month"]["pattern"] == r"^\d{4}-(0[1-9]|1[0-2])$"  # month
    assert town["clearview_documents"]["type"] == ["integer", "null"]  # empty for a shared combined record
    assert town["uasi_region"]["enum"] == ["true", "false"]  # bool: the export's words, as the API gives them
    event = schemas["Event"]["properties"]
    assert event["source_url"]["format"] == "uri"
    assert event["date"]["x-kind"] == "day_or_month"
    # Every row answers with exactly its table's columns.
    assert schemas["Record"]["additionalProperties"] is False
    assert list(schemas["Record"]["properties"]) == schemas["Record"]["required"]


def test_a_column_added_to_columns_csv_appears_in_the_document(
    model: Model, document: dict, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A new records column, as the crosswalk adds one: the table's column list (code) and its row in columns.csv.
    sections = tuple(
        s if s.key != "records" else type(s)(**{**s.__dict__, "columns": (*s.columns, "an_added_column")})
        for s in dictionary.SECTIONS
    )
    monkeypatch.setattr(dictionary, "SECTIONS", sections)
    with (data_copy / "columns.csv").open("a", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerow(
            ["records", "an_added_column", "text", "The Atlas of Surveillance's category of the technology"]
        )
    # And an existing column's meaning and kind rewritten: the document follows the file, not a copy of it.
    text = (data_copy / "columns.csv").read_text(encoding="utf-8")
    text = text.replace("towns,uasi_region,bool,true when", "towns,uasi_region,text,Yes when")
    (data_copy / "columns.csv").write_text(text, encoding="utf-8")
    schemas = openapi_document(model, data_copy)["components"]["schemas"]
    added = schemas["Record"]["properties"]["an_added_column"]
    assert added["description"] == "The Atlas of Surveillance's category of the technology"
    assert added["x-kind"] == "text" and "an_added_column" in schemas["Record"]["required"]
    assert schemas["Town"]["properties"]["uasi_region"]["description"].startswith("Yes when")
    assert schemas["Town"]["properties"]["uasi_region"]["x-kind"] == "text"
    # The real data's document (built before the change) has neither.
    assert "an_added_column" not in document["components"]["schemas"]["Record"]["properties"]
    assert document["components"]["schemas"]["Town"]["properties"]["uasi_region"]["x-kind"] == "bool"


def test_every_part_of_the_maps_query_is_a_parameter_of_the_view(document: dict, model: Model) -> None:
    catalog = model.catalog
    # A view differing from the default in every choice: its query names every part the map writes.
    everything = view(
        catalog,
        classes=catalog.class_ids[:1],
        waves=(catalog.waves[0].month,),
        as_of=catalog.months[-2],
        compare=(catalog.months[0],),
        vendors=catalog.vendor_names[:1],
        uasi=False,
        policy=False,
        town=35,
        extent="metro",
        present=True,
        lang="es",
    )
    agency = view(catalog, agency=str(model.agencies.index[0]))
    written = {key for state in (everything, agency) for key, _ in parse_qsl(to_query(state, catalog).lstrip("?"))}
    assert len(written) == 12
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/view"]["get"]["parameters"] if "name" in p}
    assert written | {"years"} == set(parameters)
    assert parameters["town"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 351}
    assert parameters["classes"]["schema"]["items"]["enum"] == [
        "use",
        "solicitation",
        "no-records",
        "no-response",
        "none",
    ]


# --- served -----------------------------------------------------------------------------------------------------


def test_the_document_is_served_with_an_etag(client, document: dict) -> None:
    response = client.get(OPENAPI_PATH)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == json.loads(json.dumps(document))
    tag = response.headers["ETag"]
    assert client.get(OPENAPI_PATH, headers={"If-None-Match": tag}).status_code == 304
    assert client.get(OPENAPI_PATH + "?x=1").status_code == 400
    refused = client.post(OPENAPI_PATH)
    assert refused.status_code == 405 and refused.get_json()["error"]


def test_the_page_names_every_path_column_and_the_licence(client, document: dict) -> None:
    response = client.get("/api/v1/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert client.get("/api/v1/", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    page = response.get_data(as_text=True)
    assert "<script" not in page  # no third-party (or any) script
    for path in document["paths"]:
        assert f"<code>{path}</code>" in page, path
    for name in ("Town", "Agency", "Event", "Record"):
        for column, schema in document["components"]["schemas"][name]["properties"].items():
            assert f"<code>{column}</code>" in page and str(escape(schema["description"])) in page, column
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page
    assert "Creative Commons Attribution 4.0 International" in page and "Cite it as" in page
    assert document["info"]["version"] in page
    assert 'href="/api/v1/towns/boston"' in page and 'href="/api/v1/view?classes=use&amp;town=35"' in page
    for path in ("/api", "/api/", "/api/v1"):
        moved = client.get(path)
        assert moved.status_code == 308 and moved.headers["Location"].endswith("/api/v1/"), path


# --- Schemathesis against the live app --------------------------------------------------------------------------


def test_schemathesis_finds_no_fault(app_url: str, document: dict, tmp_path: Path) -> None:
    """Schemathesis's own command against the session's server, from the description that server serves: every
    phase (the documented examples, the coverage of each parameter's boundaries and values, random fuzzing, and
    chains of answers), positive and negative inputs, a bounded and deterministic number of cases per operation.
    HEAD is left out: the same handler, its answer the GET's without a body (test_api checks it)."""
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        app_url + OPENAPI_PATH,
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--generation-deterministic",  # the same cases each run, and no example database written
        "--workers",
        "1",
        "--exclude-method",
        "HEAD",
        "--request-timeout",
        "30",
        "--no-color",
    ]
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=600, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-20000:]
    # Every GET exercised, but the description's own (Schemathesis leaves out the address it loaded it from).
    gets = sum("get" in item for path, item in document["paths"].items() if path != OPENAPI_PATH)
    assert re.search(rf"Tested: {gets}\b", output), output[-3000:]
    generated = re.search(r"(\d+) generated, \1 passed", output)
    assert generated and int(generated[1]) >= gets * MAX_EXAMPLES, output[-3000:]
