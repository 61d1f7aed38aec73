"""The per-town, per-agency and per-policy-event tables users download and check, as CSV or GeoJSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pandas as pd
import shapely

from dashboard.data.model import Model
from dashboard.data.policy import policy_now
from dashboard.data.schema import COMMONWEALTH
from dashboard.exports.csv_safe import safe_csv

TOWN_COLUMNS = [
    "town_id",
    "town",
    "county",
    "population_2010",
    "clearview_status",
    "clearview_listed_as",
    "clearview_request_month",
    "clearview_record",
    "clearview_documents",
    "conflicts",
    "vendors",
    "uasi_region",
    "face_surveillance_policy",
    "face_surveillance_policy_date",
    "oversight_ordinance",
    "oversight_ordinance_date",
    "oversight_ordinance_effective_date",
]
#: Agencies' Clearview status where none of the three lists names them: a combined record is a record, not an
#: agency that went unasked; any other agency is simply named in no list (whether it was asked is not published).
COMBINED_RECORD = "combined_record"
NOT_LISTED = "not_listed"
AGENCY_COLUMNS = [
    "agency_id",
    "name",
    "name_as_published",
    "kind",
    "reach",
    "county",
    "hq_town",
    "hq_town_provenance",
    "clearview_status",
    "clearview_listed_as",
    "clearview_request_month",
    "clearview_record",
    "clearview_documents",
    "conflicts",
    "vendors",
    "note",
]
#: Every policy event is a fact from outside the records page, with its source and quote.
EVENT_PROVENANCE = "outside_records_page"
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
_TRUE_FALSE = {True: "true", False: "false"}


def towns_table(model: Model) -> pd.DataFrame:
    """One row per municipality (351): Clearview class, conflicts, vendors, UASI membership, policy adopted by now."""
    policy = policy_now(model).reindex(model.towns.index)
    towns = model.towns.join(policy).reset_index()
    return pd.DataFrame(
        {
            "town_id": towns["town_id"],
            "town": towns["town"],
            "county": towns["county"],
            "population_2010": towns["population_2010"],
            "clearview_status": towns["clearview_status"],
            "clearview_listed_as": towns["clearview_listed_as"],
            "clearview_request_month": towns["clearview_month"],
            "clearview_record": towns["clearview_record"],
            "clearview_documents": towns["clearview_documents"],
            "conflicts": towns["conflicts"],
            "vendors": towns["vendors"].map(";".join),
            "uasi_region": towns["uasi_region"].map(_TRUE_FALSE),
            "face_surveillance_policy": towns["face_surveillance_policy"],
            "face_surveillance_policy_date": towns["face_surveillance_policy_date"],
            "oversight_ordinance": towns["oversight_ordinance"].map(_TRUE_FALSE),
            "oversight_ordinance_date": towns["oversight_ordinance_date"],
            "oversight_ordinance_effective_date": towns["oversight_ordinance_effective_date"],
        }
    )[TOWN_COLUMNS]


def events_table(model: Model) -> pd.DataFrame:
    """One row per policy event, by date: its municipality (or the Commonwealth), kind, dates, source and quote."""
    events = model.events
    names = model.towns["town"]
    return pd.DataFrame(
        {
            "event_id": events["event_id"],
            "town_id": events["town_id"],
            "jurisdiction": [COMMONWEALTH if pd.isna(t) else names[int(t)] for t in events["town_id"]],
            "kind": events["kind"],
            "date": events["date"],
            "date_precision": events["date_precision"],
            "effective_date": events["effective_date"],
            "title": events["title"],
            "source_url": events["source_url"],
            "source_quote": events["source_quote"],
            "provenance": EVENT_PROVENANCE,
        }
    )[EVENT_COLUMNS]


def agencies_table(model: Model) -> pd.DataFrame:
    """One row per declared non-municipal agency with its reach, Clearview class and vendors."""
    agencies = model.agencies.reset_index()
    hq_names = model.towns["town"]
    return pd.DataFrame(
        {
            "agency_id": agencies["agency_id"],
            "name": agencies["name"],
            "name_as_published": agencies["name_as_published"],
            "kind": agencies["kind"],
            "reach": agencies["reach"],
            "county": agencies["county"],
            "hq_town": agencies["hq_town_id"].map(lambda t: None if pd.isna(t) else hq_names[int(t)]),
            "hq_town_provenance": agencies["hq_town_provenance"],
            "clearview_status": [
                status if isinstance(status, str) else COMBINED_RECORD if kind == "group" else NOT_LISTED
                for status, kind in zip(agencies["clearview_status"], agencies["kind"])
            ],
            "clearview_listed_as": agencies["clearview_listed_as"],
            "clearview_request_month": agencies["clearview_month"],
            "clearview_record": agencies["clearview_record"],
            "clearview_documents": agencies["clearview_documents"],
            "conflicts": agencies["conflicts"],
            "vendors": agencies["vendors"].map(";".join),
            "note": agencies["note"],
        }
    )[AGENCY_COLUMNS]


def to_csv(table: pd.DataFrame) -> str:
    """The table as CSV text, empty cells for missing values, cells a spreadsheet would run as formulas neutralised."""
    return safe_csv(table)


def _plain(value: object) -> object:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def towns_geojson(model: Model, table: pd.DataFrame) -> str:
    """The per-town table as a GeoJSON FeatureCollection on the boundaries the model was built from."""
    geometry = model.geometry.set_index("TOWN_ID").geometry
    features = []
    for row in table.to_dict(orient="records"):
        shape = geometry[int(row["town_id"])]
        features.append(
            {
                "type": "Feature",
                "properties": {k: _plain(v) for k, v in row.items()},
                "geometry": json.loads(shapely.to_geojson(shape)),
            }
        )
    return json.dumps({"type": "FeatureCollection", "data_version": model.data_version, "features": features})


def agencies_geojson(model: Model, table: pd.DataFrame) -> str:
    """The agencies table as GeoJSON points at each headquarters (null geometry where none is known)."""
    geometry = model.geometry.set_index("TOWN_ID").geometry
    features = []
    for row, hq in zip(table.to_dict(orient="records"), model.agencies["hq_town_id"]):
        point = None if pd.isna(hq) else json.loads(shapely.to_geojson(geometry[int(hq)].point_on_surface()))
        features.append({"type": "Feature", "properties": {k: _plain(v) for k, v in row.items()}, "geometry": point})
    return json.dumps({"type": "FeatureCollection", "data_version": model.data_version, "features": features})


def events_geojson(model: Model, table: pd.DataFrame) -> str:
    """The events table as GeoJSON: a point in each municipality, null geometry for the Commonwealth's."""
    geometry = model.geometry.set_index("TOWN_ID").geometry
    features = []
    for row in table.to_dict(orient="records"):
        town = row["town_id"]
        point = None if pd.isna(town) else json.loads(shapely.to_geojson(geometry[int(town)].point_on_surface()))
        features.append({"type": "Feature", "properties": {k: _plain(v) for k, v in row.items()}, "geometry": point})
    return json.dumps({"type": "FeatureCollection", "data_version": model.data_version, "features": features})


# The model never changes once built, so each download is made once per model. Model holds DataFrames and is not
# hashable: key on id() and keep the model in the entry, so the id cannot be reused by another model.
_downloads: dict[tuple[int, str], tuple[Model, str]] = {}
_downloads_lock = threading.Lock()


def _once(model: Model, name: str, build: Callable[[], str]) -> str:
    with _downloads_lock:  # held while building: concurrent first requests wait instead of building it again
        entry = _downloads.get((id(model), name))
        if entry is None:
            entry = (model, build())
            _downloads[(id(model), name)] = entry
        return entry[1]


def towns_csv(model: Model) -> str:
    """The per-town table as CSV, made once per model."""
    return _once(model, "towns.csv", lambda: to_csv(towns_table(model)))


def towns_geojson_text(model: Model) -> str:
    """The per-town table as GeoJSON, made once per model (about 0.3 s and 1.5 MB: worth keeping)."""
    return _once(model, "towns.geojson", lambda: towns_geojson(model, towns_table(model)))


def agencies_csv(model: Model) -> str:
    """The agencies table as CSV, made once per model."""
    return _once(model, "agencies.csv", lambda: to_csv(agencies_table(model)))


def events_csv(model: Model) -> str:
    """The policy events table as CSV, made once per model."""
    return _once(model, "events.csv", lambda: to_csv(events_table(model)))
