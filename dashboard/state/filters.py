"""The pure functions that apply a view state to the model: which towns, listings and records it shows.

They run several times on every change of the map (a frame of ▶ Play is one), over tables of a few hundred rows:
pandas' per-call overhead would cost more than the work, so the model's columns they read are copied once per model
into plain tuples and arrays (`facts`), and each view state is applied to those.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from dashboard.data.model import Model
from dashboard.state.view import ViewState

T = TypeVar("T")


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


@dataclass(frozen=True)
class Facts:
    """The model's columns that the filters read, copied once per model (read-only, like the model)."""

    town_ids: np.ndarray  # towns.index, as int64
    town_index: pd.Index  # towns.index itself, for the Series town_codes returns
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
        town_index=towns.index,
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
            )
            for vendor, filed, month, town, agency, docs in zip(
                records["vendor"],
                records["filed_month"],
                records["requested"],
                records["town_id"],
                records["agency_id"],
                records["documents"],
            )
        ),
        agency_names={str(a): str(n) for a, n in agencies["name"].items()},
        agency_reach={str(a): str(r) for a, r in agencies["reach"].items()},
        agency_fips={str(a): None if _missing(f) else int(f) for a, f in agencies["county_fips"].items()},
    )


def per_model(build: Callable[[Model], T]) -> Callable[[Model], T]:
    """Cache a function of the (read-only) model alone: computed on first use for each live model, then shared."""
    # By identity: a Model holds DataFrames and has no hash. A model built later at the same address, after the
    # first was freed, is told apart by the weak reference (whose callback also drops the entry).
    cache: dict[int, tuple[weakref.ref[Model], T]] = {}
    lock = threading.Lock()

    @functools.wraps(build)
    def cached(model: Model) -> T:
        key = id(model)
        entry = cache.get(key)
        if entry is not None and entry[0]() is model:
            return entry[1]
        value = build(model)  # outside the lock: two threads may both build it once, with the same result
        with lock:
            cache[key] = (weakref.ref(model, lambda _ref: cache.pop(key, None)), value)
        return value

    return cached


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


def town_listing(model: Model, town_id: int) -> Listing:
    """A town's Clearview listing as the filters see it."""
    f = facts(model)
    return f.town_listings[int(f.town_groups[f.town_position[town_id]])]


def town_code_array(model: Model, state: ViewState) -> np.ndarray:
    """town_codes as a numpy array in the towns' order (for counting without building a Series)."""
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


def town_codes(model: Model, state: ViewState) -> pd.Series:
    """The choropleth's integer code per town: its class, 'not yet asked', or the filtered-out code."""
    return pd.Series(town_code_array(model, state), index=facts(model).town_index, name="clearview_status")


def _count_codes(model: Model, codes: np.ndarray) -> np.ndarray:
    return np.bincount(codes, minlength=model.catalog.not_asked_code + 1)


def class_counts(model: Model, state: ViewState) -> dict[str, int]:
    """Municipalities shown in each class (0 for a class filtered out or not yet asked)."""
    counts = _count_codes(model, town_code_array(model, state))
    return {status: int(counts[code]) for status, code in model.catalog.codes.items()}


def not_asked_count(model: Model, state: ViewState) -> int:
    """Municipalities whose Clearview request was not yet filed as of the chosen month."""
    return int(np.count_nonzero(town_code_array(model, state) == model.catalog.not_asked_code))


def agency_class_counts(model: Model, state: ViewState) -> dict[str, int]:
    """Non-municipal agencies in each Clearview class under the filters."""
    shown = [listing.status for listing, _ in facts(model).agency_listings if listing_shown(listing, state)]
    return {status: shown.count(status) for status in model.catalog.class_ids}


def record_kept(model: Model, record: RecordFacts, state: ViewState) -> bool:
    """Whether a vendor record passes the vendor filter, was filed by the chosen month, and (Clearview) its wave."""
    return (
        record.vendor in state.vendors
        and record.filed <= state.as_of
        and (record.vendor != model.catalog.clearview or record.month is None or record.month in state.waves)
    )


def kept_records(model: Model, state: ViewState) -> list[RecordFacts]:
    """vendor_records as plain values, in the same order."""
    return [r for r in facts(model).records if record_kept(model, r, state)]


def vendor_records(model: Model, state: ViewState) -> pd.DataFrame:
    """The vendor records filed by the chosen month that pass the vendor and (for Clearview) wave filters."""
    keep = np.fromiter((record_kept(model, r, state) for r in facts(model).records), dtype=bool)
    return model.vendor_records.loc[keep]
