"""Headline figures under the filters: departments and residents per class, and each vendor's reach."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.data.model import Model
from dashboard.state.filters import ViewState, listing_visible, town_codes, vendor_records


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
    return int(model.towns["population_2010"].sum())


def class_figures(model: Model, state: ViewState) -> list[ClassFigure]:
    """Municipalities, agencies and residents in each class as filtered, with what their records hold."""
    codes = town_codes(model, state)
    towns = model.towns
    population = towns["population_2010"]
    own_documents = towns["clearview_documents"]
    total = state_population(model)
    agencies = model.agencies.dropna(subset=["clearview_status"])
    agency_shown = [
        listing_visible(model, s, m, state) for s, m in zip(agencies["clearview_status"], agencies["clearview_month"])
    ]
    listings = model.listings.loc[model.listings["outcome"].eq("status")]
    record_documents = model.records_by_row["documents"]
    figures = []
    for status, code in model.catalog.codes.items():
        in_class = codes == code
        residents = int(population[in_class].sum())
        agency_in_class = agencies["clearview_status"].eq(status) & pd.Series(agency_shown, index=agencies.index)
        own = own_documents[in_class].dropna()
        documented = int(population[in_class & own_documents.ge(1).fillna(False)].sum()) if len(own) else None
        zero = int(own.eq(0).sum() + agencies.loc[agency_in_class, "clearview_documents"].eq(0).sum())
        shared_rows = listings.loc[
            listings["category"].eq(status) & listings["documents"].isna(), "record_row"
        ].drop_duplicates()
        shown = bool(in_class.any() or agency_in_class.any())
        shared = int(record_documents.loc[list(shared_rows)].sum()) if shown and len(shared_rows) else None
        figures.append(
            ClassFigure(
                status=status,
                municipalities=int(in_class.sum()),
                agencies=int(agency_in_class.sum()),
                residents=residents,
                share=residents / total,
                documented_residents=documented,
                zero_document=zero,
                shared_documents=shared,
            )
        )
    return figures


def _has_documents(documents: pd.Series) -> bool:
    return bool(documents.fillna(0).gt(0).any())


def vendor_reach(model: Model, state: ViewState) -> list[VendorReach]:
    """For each vendor switched on, the records, documents and reach that pass the filters."""
    records = vendor_records(model, state)
    towns = model.towns
    agencies = model.agencies
    reach = []
    for vendor in model.catalog.vendor_names:
        if vendor not in state.vendors:
            continue
        rows = records.loc[records["vendor"] == vendor]
        empty: set[str] = set()
        town_ids, documented_towns = set(), set()
        for town_id, group in rows.dropna(subset=["town_id"]).groupby("town_id"):
            town_ids.add(int(town_id))
            if _has_documents(group["documents"]):
                documented_towns.add(int(town_id))
            else:
                empty.add(str(towns.loc[int(town_id), "town"]))
        by_agency = {a: g for a, g in rows.dropna(subset=["agency_id"]).groupby("agency_id")}
        for agency_id, group in by_agency.items():
            if not _has_documents(group["documents"]):
                empty.add(str(agencies.loc[agency_id, "name"]))
        agency_rows = agencies.loc[sorted(by_agency)]
        county_rows = agency_rows.loc[agency_rows["reach"] == "county"]
        documented_fips = {
            int(f) for a, f in county_rows["county_fips"].items() if _has_documents(by_agency[a]["documents"])
        }
        reached = towns.index.isin(list(documented_towns)) | towns["county_fips"].isin(documented_fips)
        reach.append(
            VendorReach(
                vendor=vendor,
                records=len(rows),
                documents=int(rows["documents"].fillna(0).sum()),
                towns=tuple(sorted(towns.loc[list(town_ids), "town"])),
                counties=tuple(sorted(f"{model.counties[int(f)]} County" for f in county_rows["county_fips"])),
                state_agencies=tuple(agency_rows.loc[agency_rows["reach"] == "state", "name"]),
                other_agencies=tuple(agency_rows.loc[agency_rows["reach"].isin(["agency", "campus"]), "name"]),
                empty=frozenset(
                    empty
                    | {
                        f"{model.counties[int(f)]} County"
                        for f in set(county_rows["county_fips"])
                        if int(f) not in documented_fips
                    }
                ),
                residents=int(towns.loc[reached, "population_2010"].sum()),
            )
        )
    return reach
