"""The pure functions that apply a view state to the model: which towns, listings and records it shows.

They run several times on every change of the map (a frame of ▶ Play is one), over tables of a few hundred rows:
pandas' per-call overhead would cost more than the work, so the model's columns they read are copied once per model
into plain tuples and arrays (`facts`), and each view state is applied to those.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.data.memo import per_model
from dashboard.data.model import Model
from dashboard.state.view import ViewState


@dataclass(frozen=True)
class Listing:
    """A Clearview listing as the filters see it: its class and month (None where the list gives none)."""

    status: str
    month: str | None
    asked: str  # the month its request was certainly filed: catalog.asked_month(month)


@dataclass(frozen=True)
class RecordFacts:
    """One vendor record as the filters and the reach table read it (None for a missing value)."""

    vendor: str
    filed: str
    month: str | None  # the Clearview request month, where one is published
    town_id: int | None
    agency_id: str | None
    documents: int | None
    title_only: bool = False  # the vendor is named only in the record's title, not in a table of its records


@dataclass(frozen=True)
class Facts:
    """The model's columns that the filters read, copied once per model (read-only, like the model)."""

    town_ids: np.ndarray  # towns.index, as int64
    town_groups: np.ndarray  # per town: its position in `town_listings` (towns sharing a class and month)
    town_listings: tuple[Listing, ...]  # the distinct (class, month) of the towns
    town_position: dict[int, int]  # town_id: its position in the towns' order
    population: np.ndarray  # 2010 population per town, int64
    county_fips: np.ndarray  # per town, int64
    own_documents: np.ndarray  # per town: documents of its own Clearview record, NaN where none
    town_names: dict[int, str]
    agency_listings: tuple[tuple[Listing, int | None], ...]  # listed agencies, in order: listing, own documents
    records: tuple[RecordFacts, ...]  # model.vendor_records, row by row
    agency_names: dict[str, str]
    agency_reach: dict[str, str]
    agency_fips: dict[str, int | None]


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _listing(model: Model, status: str, month: object) -> Listing:
    return Listing(status, None if _missing(month) else str(month), model.catalog.asked_month(month))


def _build_facts(model: Model) -> Facts:
    towns = model.towns
    pairs = [_listing(model, s, m) for s, m in zip(towns["clearview_status"], towns["clearview_month"])]
    distinct = tuple(dict.fromkeys(pairs))
    position = {listing: i for i, listing in enumerate(distinct)}
    agencies = model.agencies
    listed = agencies.dropna(subset=["clearview_status"])
    records = model.vendor_records
    return Facts(
        town_ids=towns.index.to_numpy(dtype=np.int64),
        town_groups=np.array([position[p] for p in pairs], dtype=np.intp),
        town_listings=distinct,
        town_position={int(t): i for i, t in enumerate(towns.index)},
        population=towns["population_2010"].to_numpy(dtype=np.int64),
        county_fips=towns["county_fips"].to_numpy(dtype=np.int64),
        own_documents=towns["clearview_documents"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan),
        town_names={int(t): str(n) for t, n in towns["town"].items()},
        agency_listings=tuple(
            (_listing(model, s, m), None if _missing(d) else int(d))
            for s, m, d in zip(listed["clearview_status"], listed["clearview_month"], listed["clearview_documents"])
        ),
        records=tuple(
            RecordFacts(
                vendor=str(vendor),
                filed=str(filed),
                month=None if _missing(month) else str(month),
                town_id=None if _missing(town) else int(town),
                agency_id=None if _missing(agency) else str(agency),
                documents=None if _missing(docs) else int(docs),
                title_only=named_in == "title",
            )
            for vendor, filed, month, town, agency, docs, named_in in zip(
                records["vendor"],
                records["filed_month"],
                records["requested"],
                records["town_id"],
                records["agency_id"],
                records["documents"],
                records["named_in"],
            )
        ),
        agency_names={str(a): str(n) for a, n in agencies["name"].items()},
        agency_reach={str(a): str(r) for a, r in agencies["reach"].items()},
        agency_fips={str(a): None if _missing(f) else int(f) for a, f in agencies["county_fips"].items()},
    )


@per_model
def facts(model: Model) -> Facts:
    """The model's columns the filters read, as plain values: built on first use, then shared (read-only)."""
    return _build_facts(model)


def asked_by(model: Model, month: object, state: ViewState) -> bool:
    """Whether a Clearview listing's request (its month, or the last wave where none is published) was filed."""
    return model.catalog.asked_month(month) <= state.as_of


def listing_shown(listing: Listing, state: ViewState) -> bool:
    """listing_visible for a listing of the facts (the same rule, on values read once)."""
    if listing.status not in state.classes or listing.asked > state.as_of:
        return False
    return listing.month is None or listing.month in state.waves


def listing_visible(model: Model, category: str, month: object, state: ViewState) -> bool:
    """Whether a Clearview class/listing is shown: asked by the chosen month and passing the class and wave filters."""
    if category not in state.classes or not asked_by(model, month, state):
        return False
    return bool(pd.isna(month)) or month in state.waves


def town_code_array(model: Model, state: ViewState) -> np.ndarray:
    """The choropleth's integer code per town, in the towns' order: its class, 'not yet asked', or filtered out."""
    f = facts(model)
    catalog = model.catalog
    codes = catalog.codes
    per_listing = np.array(
        [
            # Before its request a town's answer did not exist yet: neutral, whatever the class filter says.
            catalog.not_asked_code
            if listing.asked > state.as_of
            else codes[listing.status]
            if listing_shown(listing, state)
            else catalog.filtered_out_code
            for listing in f.town_listings
        ],
        dtype=np.int64,
    )
    return per_listing[f.town_groups]


def record_kept(model: Model, record: RecordFacts, state: ViewState) -> bool:
    """Whether a vendor record passes the vendor filter, was filed by the chosen month, and (Clearview) its wave."""
    return (
        record.vendor in state.vendors
        and record.filed <= state.as_of
        and (record.vendor != model.catalog.clearview or record.month is None or record.month in state.waves)
    )
