"""The per-town export, through the real command line, checked by hand against the source page."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
REQUIRED = [
    "town_id",
    "town",
    "county",
    "population_2010",
    "clearview_status",
    "clearview_listed_as",
    "conflicts",
    "vendors",
    "uasi_region",
]


def _run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=REPO, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def towns() -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(_run("export", "towns", "--format", "csv"))))
    assert len(rows) == 351
    return {row["town"]: row for row in rows}


def test_columns_and_row_count(towns: dict[str, dict[str, str]]) -> None:
    first = next(iter(towns.values()))
    assert all(column in first for column in REQUIRED)
    assert {row["clearview_status"] for row in towns.values()} == {
        "use_or_communication",
        "solicitation_only",
        "no_responsive_documents",
        "no_response",
    }
    assert {row["uasi_region"] for row in towns.values()} == {"true", "false"}


def test_class_ids_and_counts_stay_stable(towns: dict[str, dict[str, str]]) -> None:
    counts: dict[str, int] = {}
    for row in towns.values():
        counts[row["clearview_status"]] = counts.get(row["clearview_status"], 0) + 1
    # The page's lists, after the five second listings: the ids people's exports already use.
    assert counts == {
        "use_or_communication": 18,
        "solicitation_only": 16,
        "no_responsive_documents": 218,
        "no_response": 99,
    }


@pytest.mark.parametrize(
    ("town", "status", "listed_as", "vendors", "uasi"),
    [
        # Clearview table: "February 2020 Boston PD"; Briefcam and Lan-Tel tables: City of Boston; UASI list.
        ("Boston", "use_or_communication", "Boston PD", "Briefcam;Clearview AI;Lan-Tel", "true"),
        ("Revere", "solicitation_only", "Revere", "", "true"),  # solicitation list
        ("Belchertown", "no_responsive_documents", "Belcher", "", "false"),  # "Belcher" in the no-records list
        ("Manchester", "no_responsive_documents", "Manchester By The Sea", "", "false"),
        ("Springfield", "no_response", "", "IBM", "false"),  # in no Clearview list; IBM table
        ("Northampton", "no_response", "", "COPLINK", "false"),  # records index: "Facial Recognition & COPLINK"
        ("Plymouth", "no_response", "", "Suspect Technologies", "false"),
        ("Cambridge", "no_response", "", "", "true"),
        ("Foxborough", "use_or_communication", "Foxborough PD", "Clearview AI", "false"),
        ("Upton", "no_responsive_documents", "Uptown", "", "false"),
    ],
)
def test_towns_checked_by_hand(
    towns: dict[str, dict[str, str]], town: str, status: str, listed_as: str, vendors: str, uasi: str
) -> None:
    row = towns[town]
    assert (row["clearview_status"], row["clearview_listed_as"], row["vendors"], row["uasi_region"]) == (
        status,
        listed_as,
        vendors,
        uasi,
    )


def test_boston_population_and_county_come_from_the_boundary_file(towns: dict[str, dict[str, str]]) -> None:
    assert towns["Boston"]["county"] == "Suffolk"
    assert towns["Boston"]["population_2010"] == "617594"


def test_geojson_export_to_file(tmp_path: Path) -> None:
    out = tmp_path / "towns.geojson"
    _run("export", "towns", "--format", "geojson", "--out", str(out))
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert len(collection["features"]) == 351
    oxford = next(f for f in collection["features"] if f["properties"]["town"] == "Oxford")
    assert oxford["properties"]["conflicts"] == "Town Of Oxford (no_responsive_documents)"
    assert oxford["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_agencies_export_lists_statewide_and_county_agencies() -> None:
    rows = {r["agency_id"]: r for r in csv.DictReader(io.StringIO(_run("export", "agencies")))}
    assert rows["msp"]["clearview_status"] == "use_or_communication"
    assert rows["msp"]["reach"] == "state"
    assert rows["worcester_sheriff"]["county"] == "Worcester"
    assert rows["eohhs"]["clearview_status"] == "not_listed"
    assert rows["eohhs"]["vendors"] == "Lan-Tel;MorphoTrust/IDEMIA"
    # The combined Clearview records are records, not agencies: a status of their own.
    assert rows["various_police"]["clearview_status"] == "combined_record"
    assert rows["various_schools"]["clearview_status"] == "combined_record"
    # The MBTA is an agency without a published area; facts from outside the page say so in their own column.
    assert rows["mbta"]["reach"] == "agency"
    assert rows["msp"]["hq_town"] == "Framingham" and rows["msp"]["hq_town_provenance"] == "outside_records_page"
    assert "DATA-NOTES" not in "".join(r["note"] for r in rows.values())


@pytest.mark.parametrize(
    ("town", "policy", "date", "oversight"),
    [
        # data/policy_events.csv, as of its latest month (2021-12): the vote or signing, as the source dates it.
        ("Somerville", "ban", "2019-06-27", "true"),  # FS-01; oversight SO-03 (2019-10)
        ("Brookline", "ban", "2019-12", "false"),  # FS-02: dated to the month only, and kept so
        ("Cambridge", "ban", "2020-01", "true"),  # FS-04; oversight SO-02 (2018-12-10)
        ("Springfield", "moratorium", "2020-02-24", "false"),  # FS-05: a moratorium, not a ban
        ("Boston", "ban", "2020-06-24", "true"),  # FS-06; oversight SO-04 (2021-10)
        ("Worcester", "ban", "2021-12", "false"),  # FS-08
        ("Lawrence", "none", "", "true"),  # SO-01 only
        ("Newton", "none", "", "false"),
    ],
)
def test_towns_export_carries_the_policy_as_of_now(
    towns: dict[str, dict[str, str]], town: str, policy: str, date: str, oversight: str
) -> None:
    row = towns[town]
    assert (row["face_surveillance_policy"], row["face_surveillance_policy_date"], row["oversight_ordinance"]) == (
        policy,
        date,
        oversight,
    )


def test_towns_export_policy_counts(towns: dict[str, dict[str, str]]) -> None:
    policies = [row["face_surveillance_policy"] for row in towns.values()]
    assert (policies.count("ban"), policies.count("moratorium"), policies.count("none")) == (7, 1, 343)
    assert sum(row["oversight_ordinance"] == "true" for row in towns.values()) == 4
    assert {row["oversight_ordinance"] for row in towns.values()} == {"true", "false"}


EVENT_COLUMNS = [
    "event_id",
    "town_id",
    "jurisdiction",
    "kind",
    "date",
    "date_precision",
    "effective_date",
    "title",
    "source_url",
    "source_quote",
    "provenance",
]


def test_events_export_one_row_per_event() -> None:
    text = _run("export", "events")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0].split(",") == EVENT_COLUMNS
    assert len(rows) == 13
    assert [r["event_id"] for r in rows] == [
        "SO-01", "SO-02", "FS-01", "SO-03", "FS-02", "FS-03", "FS-04", "FS-05", "FS-06", "FS-07", "SL-01", "SO-04",
        "FS-08",
    ]  # fmt: skip
    assert {r["provenance"] for r in rows} == {"outside_records_page"}
    by_id = {r["event_id"]: r for r in rows}
    assert (by_id["FS-07"]["jurisdiction"], by_id["FS-07"]["town_id"]) == ("Easthampton", "87")
    state = by_id["SL-01"]
    assert (state["jurisdiction"], state["town_id"], state["kind"]) == (
        "Commonwealth of Massachusetts",
        "",
        "state_law",
    )
    assert (state["date"], state["date_precision"], state["effective_date"]) == ("2020-12-31", "day", "2021-07-01")
    # A month stays a month.
    assert (by_id["FS-08"]["date"], by_id["FS-08"]["date_precision"]) == ("2021-12", "month")
    assert by_id["FS-05"]["kind"] == "face_surveillance_moratorium"
    assert all(r["source_url"].startswith(("http://", "https://")) and r["source_quote"] for r in rows)
    # The curators' notes (corroboration, inferred days) stay in data/, out of the export.
    assert "note" not in rows[0] and "inferred" not in text


def test_events_export_as_geojson(tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    _run("export", "events", "--format", "geojson", "--out", str(out))
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert len(features) == 13
    by_id = {f["properties"]["event_id"]: f for f in features}
    assert by_id["SL-01"]["geometry"] is None and by_id["SL-01"]["properties"]["town_id"] is None
    assert by_id["FS-06"]["geometry"]["type"] == "Point" and by_id["FS-06"]["properties"]["town_id"] == 35
