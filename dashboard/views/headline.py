"""Headline figures under the filters: departments and residents per class, and each vendor's reach."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.data.model import Model
from dashboard.state.filters import (
    RecordFacts,
    ViewState,
    facts,
    kept_records,
    listing_shown,
    per_model,
    town_code_array,
)


@dataclass(frozen=True)
class ClassFigure:
    """One Clearview class: how many municipalities, agencies and residents it covers as shown."""

    status: str
    municipalities: int
    agencies: int
    residents: int
    share: float  # of the state's 2010 population
    #: Residents of the class's municipalities whose own record holds at least one document; None where the
    #: class's listings have no record of their own (they share one combined record, or none was published).
    documented_residents: int | None
    zero_document: int  # municipalities and agencies shown whose own record holds 0 documents
    shared_documents: int | None  # documents of the combined record(s) the class's listings share


@dataclass(frozen=True)
class VendorReach:
    """Where one vendor's records reach under the filters (statewide agencies kept apart from towns)."""

    vendor: str
    records: int
    documents: int
    towns: tuple[str, ...]  # municipalities whose own agencies have records
    counties: tuple[str, ...]  # counties reached through a county agency
    state_agencies: tuple[str, ...]  # agencies whose reach is the whole state
    other_agencies: tuple[str, ...]  # agencies whose area the records page does not give (no reach counted)
    empty: frozenset[str]  # the places and agencies above whose records all hold 0 documents
    residents: int  # of the towns and counties whose records hold documents (2010); statewide reach apart


def state_population(model: Model) -> int:
    """Massachusetts' 2010 population, the sum over the 351 municipalities."""
    return int(facts(model).population.sum())


@per_model
def _shared_documents(model: Model) -> dict[str, int | None]:
    """Per class: the documents of the combined records its listings share (None where they share none)."""
    listings = model.listings.loc[model.listings["outcome"].eq("status")]
    record_documents = model.records_by_row["documents"]
    shared: dict[str, int | None] = {}
    for status in model.catalog.class_ids:
        rows = listings.loc[listings["category"].eq(status) & listings["documents"].isna(), "record_row"]
        rows = rows.drop_duplicates()
        shared[status] = int(record_documents.loc[list(rows)].sum()) if len(rows) else None
    return shared


def class_figures(model: Model, state: ViewState) -> list[ClassFigure]:
    """Municipalities, agencies and residents in each class as filtered, with what their records hold."""
    f = facts(model)
    codes = town_code_array(model, state)
    population = f.population
    own_documents = f.own_documents
    has_own = ~np.isnan(own_documents)
    total = state_population(model)
    agencies_shown = [(listing, docs) for listing, docs in f.agency_listings if listing_shown(listing, state)]
    shared_by_class = _shared_documents(model)
    figures = []
    for status, code in model.catalog.codes.items():
        in_class = codes == code
        residents = int(population[in_class].sum())
        own = own_documents[in_class & has_own]
        documented = int(population[in_class & (own_documents >= 1)].sum()) if len(own) else None
        agency_docs = [docs for listing, docs in agencies_shown if listing.status == status]
        zero = int(np.count_nonzero(own == 0)) + sum(1 for docs in agency_docs if docs == 0)
        any_shown = bool(in_class.any()) or bool(agency_docs)
        shared = shared_by_class[status] if any_shown else None
        figures.append(
            ClassFigure(
                status=status,
                municipalities=int(np.count_nonzero(in_class)),
                agencies=len(agency_docs),
                residents=residents,
                share=residents / total,
                documented_residents=documented,
                zero_document=zero,
                shared_documents=shared,
            )
        )
    return figures


def _has_documents(records: list[RecordFacts]) -> bool:
    return any(r.documents is not None and r.documents > 0 for r in records)


def vendor_reach(model: Model, state: ViewState) -> list[VendorReach]:
    """For each vendor switched on, the records, documents and reach that pass the filters."""
    f = facts(model)
    kept = kept_records(model, state)
    reach = []
    for vendor in model.catalog.vendor_names:
        if vendor not in state.vendors:
            continue
        rows = [r for r in kept if r.vendor == vendor]
        by_town: dict[int, list[RecordFacts]] = {}
        by_agency: dict[str, list[RecordFacts]] = {}
        for r in rows:
            if r.town_id is not None:
                by_town.setdefault(r.town_id, []).append(r)
            if r.agency_id is not None:
                by_agency.setdefault(r.agency_id, []).append(r)
        documented_towns = {t for t, group in by_town.items() if _has_documents(group)}
        empty = {f.town_names[t] for t in by_town if t not in documented_towns}
        empty |= {f.agency_names[a] for a, group in by_agency.items() if not _has_documents(group)}
        agency_ids = sorted(by_agency)  # the reach columns list agencies in the order of their ids
        county_agencies = [a for a in agency_ids if f.agency_reach[a] == "county"]
        county_fips = [int(f.agency_fips[a]) for a in county_agencies]  # type: ignore[arg-type]
        documented_fips = {fips for a, fips in zip(county_agencies, county_fips) if _has_documents(by_agency[a])}
        reached = np.isin(f.town_ids, list(documented_towns)) | np.isin(f.county_fips, list(documented_fips))
        reach.append(
            VendorReach(
                vendor=vendor,
                records=len(rows),
                documents=sum(r.documents or 0 for r in rows),
                towns=tuple(sorted(f.town_names[t] for t in by_town)),
                counties=tuple(sorted(f"{model.counties[fips]} County" for fips in county_fips)),
                state_agencies=tuple(f.agency_names[a] for a in agency_ids if f.agency_reach[a] == "state"),
                other_agencies=tuple(
                    f.agency_names[a] for a in agency_ids if f.agency_reach[a] in ("agency", "campus")
                ),
                empty=frozenset(
                    empty
                    | {f"{model.counties[fips]} County" for fips in set(county_fips) if fips not in documented_fips}
                ),
                residents=int(f.population[reached].sum()),
            )
        )
    return reach
