"""The open-data API on the real app: its answers against the exports, caching, CORS and refusals as JSON."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.exports.tables import agencies_table, events_table, to_csv, towns_table
from dashboard.server import create_app
from dashboard.views.records import all_rows
from dashboard.views.records import to_csv as records_csv

ENDPOINTS = ["/api/v1/towns", "/api/v1/agencies", "/api/v1/records", "/api/v1/events"]


@pytest.fixture(scope="module")
def client(model: Model, config: Config):
    app = create_app(model, data_dir=config.data_dir)
    return app.server.test_client()


def export_rows(text: str) -> list[dict[str, str]]:
    """An export's CSV rows, as every reader of the file sees them."""
    return list(csv.DictReader(io.StringIO(text)))


def as_csv_text(value: object) -> str:
    """How a JSON value is written in the CSV export: null empty, numbers and text as they are."""
    return "" if value is None else str(value)


def same_rows(answer: list[dict], exported: list[dict[str, str]]) -> None:
    assert len(answer) == len(exported)
    for got, want in zip(answer, exported):
        assert {k: as_csv_text(got[k]) for k in want} == want


def get_json(client, path: str, status: int = 200) -> dict:
    response = client.get(path)
    assert response.status_code == status, (path, response.get_data(as_text=True)[:200])
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["data_version"].count("+") == 1 and body["source"]["url"].startswith("https://")
    return body


def test_every_answer_names_the_version_and_the_source(client) -> None:
    versions = {get_json(client, path)["data_version"] for path in ENDPOINTS + ["/api/v1/towns/boston"]}
    assert len(versions) == 1
    page = client.get("/town/boston").get_data(as_text=True)
    assert f"data revision: {versions.pop()}" in page
    source = get_json(client, "/api/v1/towns")["source"]
    # The records page as data/ gives it: the parent of every section page, and the page's heading.
    assert source["url"] == "https://data.aclum.org/public-records/frt-ma/"
    assert source["title"] == "Facial Recognition in Massachusetts"
    assert source["published"] == "2021-02-26"


def test_towns_agree_with_the_export(client, model: Model) -> None:
    data = get_json(client, "/api/v1/towns")["data"]
    exported = export_rows(to_csv(towns_table(model)))
    same_rows(data, exported)
    assert [row["clearview_status"] for row in data] == [row["clearview_status"] for row in exported]
    by_name = {row["town"]: row for row in data}
    assert by_name["Boston"]["clearview_status"] == "use_or_communication"
    assert by_name["Boston"]["population_2010"] == 617594
    assert by_name["Manchester"]["slug"] == "manchester"
    assert by_name["West Springfield"]["slug"] == "west-springfield"


def test_one_town(client, model: Model) -> None:
    body = get_json(client, "/api/v1/towns/boston")
    boston = [row for row in export_rows(to_csv(towns_table(model))) if row["town"] == "Boston"]
    same_rows([body["data"]], boston)
    titles = {row["title"]: row for row in body["records"]}
    assert titles["Clearview AI at the Boston PD"]["documents"] == 0
    assert titles["Lantel at the Boston Office of Emergency Management"]["documents"] == 266
    events = [row for row in export_rows(to_csv(events_table(model))) if row["town_id"] == "35"]
    same_rows(body["events"], events)
    assert len(events) == 2
    assert body["links"] == {"page": "/town/boston", "map": "/?town=35"}


def test_a_town_alias_redirects_and_an_unknown_one_is_a_404(client) -> None:
    moved = client.get("/api/v1/towns/manchester-by-the-sea")
    assert moved.status_code == 308 and moved.headers["Location"] == "/api/v1/towns/manchester"
    assert moved.headers["Access-Control-Allow-Origin"] == "*"
    missing = get_json(client, "/api/v1/towns/atlantis", 404)
    assert "atlantis" in missing["error"]
    assert get_json(client, "/api/v1/towns/msp", 404)["error"]  # an agency, not a town
    assert get_json(client, "/api/v1/nothing-here", 404)["error"]


def test_agencies_records_and_events_agree_with_the_exports(client, model: Model) -> None:
    same_rows(get_json(client, "/api/v1/agencies")["data"], export_rows(to_csv(agencies_table(model))))
    same_rows(get_json(client, "/api/v1/events")["data"], export_rows(to_csv(events_table(model))))
    # The records are the records table's rows as the page downloads them with no filter.
    records = get_json(client, "/api/v1/records")["data"]
    same_rows(records, export_rows(records_csv(all_rows(model))))
    assert len(records) == len(model.records) + len(model.listings)


def test_an_empty_cell_is_null_in_every_table(client) -> None:
    # The records table writes its empty cells as empty text, the others as missing values: the API answers null for
    # both, so a column has one empty value whichever table it is in (found by Schemathesis, tests/test_openapi.py).
    for path in ENDPOINTS:
        for row in get_json(client, path)["data"]:
            assert "" not in row.values(), (path, row)
    titles = {row["title"]: row for row in get_json(client, "/api/v1/towns/boston")["records"]}
    lantel = titles["Lantel at the Boston Office of Emergency Management"]  # a record, not a Clearview listing
    assert lantel["clearview_class"] is None and lantel["vendor"] == "Lan-Tel"


def test_etag_and_304(client) -> None:
    for path in ENDPOINTS + ["/api/v1/towns/boston", "/api/v1/view?town=35"]:
        first = client.get(path)
        tag = first.headers["ETag"]
        assert tag.startswith('"') and not tag.startswith("W/")
        for held in [tag, f"W/{tag}", '"other", ' + tag, "*"]:
            again = client.get(path, headers={"If-None-Match": held})
            assert again.status_code == 304 and again.get_data() == b"", (path, held)
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_gzipped_answer_revalidates_with_its_own_tag(client) -> None:
    zipped = client.get("/api/v1/records", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.get_data()))["data"]
    held = zipped.headers["ETag"]
    again = client.get("/api/v1/records", headers={"Accept-Encoding": "gzip", "If-None-Match": held})
    assert again.status_code == 304


def test_read_only(client) -> None:
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/towns")
        assert response.status_code == 405, method
        assert response.get_json()["error"] and response.headers["Allow"] == "GET, HEAD, OPTIONS"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/view")
    assert preflight.status_code == 204 and "GET" in preflight.headers["Access-Control-Allow-Methods"]
    head = client.head("/api/v1/towns")
    assert head.status_code == 200 and head.get_data() == b""


def test_the_view_twin(client, model: Model) -> None:
    exported = export_rows(to_csv(towns_table(model)))
    everything = get_json(client, "/api/v1/view")
    assert everything["query"] == "" and everything["map"] == "/"
    # The default view colors every town by its class, as the export gives it.
    assert [t["clearview_status"] for t in everything["towns"]] == [row["clearview_status"] for row in exported]
    counts = everything["figures"]["municipalities_by_class"]
    for status, n in counts.items():
        assert n == sum(row["clearview_status"] == status for row in exported)
    use = get_json(client, "/api/v1/view?classes=use&vendors=briefcam&town=35")
    assert use["query"] == "?classes=use&vendors=briefcam&town=35"
    shown = {t["town"] for t in use["towns"] if t["clearview_status"] is not None}
    assert shown == {row["town"] for row in exported if row["clearview_status"] == "use_or_communication"}
    assert use["figures"]["municipalities_by_class"]["solicitation_only"] == 0
    assert [v["vendor"] for v in use["figures"]["vendors"]] == ["Briefcam"]
    assert use["view"]["town"] == 35


def test_a_bad_part_of_a_view_falls_back_as_on_the_map(client) -> None:
    # Documented choice: each bad part of the map's own query falls back to its default, as the map does.
    body = get_json(client, "/api/v1/view?classes=purple&town=99999&unknown=1")
    assert body["query"] == ""


@pytest.mark.parametrize(
    "query",
    ["town=%ff%fe", "q=" + "x" * 2001, "&".join(f"p{i}=1" for i in range(21))],
)
def test_an_unreadable_view_query_is_a_400(client, query: str) -> None:
    assert get_json(client, f"/api/v1/view?{query}", 400)["error"]


def test_the_tables_take_no_parameters(client) -> None:
    for path in ENDPOINTS + ["/api/v1/towns/boston"]:
        assert get_json(client, f"{path}?page=2", 400)["error"]


def test_no_input_makes_a_500(client) -> None:
    odd = ["%00", "..", "%2e%2e", "a" * 3000, "ü", "%c3%28", "boston%20pd", "BOSTON", "-", "_"]
    for text in odd:
        for path in [f"/api/v1/towns/{text}", f"/api/v1/view?town={text}", f"/town/{text}", f"/agency/{text}"]:
            assert client.get(path).status_code < 500, path
        assert client.get(f"/town-search?q={text}").status_code < 500, text
