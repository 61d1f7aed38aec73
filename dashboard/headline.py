"""Headline figures under the filters: departments and residents per class, and each vendor's reach."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.filters import ViewState, listing_visible, town_codes, vendor_records
from dashboard.model import Model
from dashboard.schema import CLEARVIEW_STATUSES
from dashboard.styles import CLASS_CODE, VENDOR_STYLE


@dataclass(frozen=True)
class ClassFigure:
    """One Clearview class: how many departments and residents it covers as shown."""

    status: str
    municipalities: int
    agencies: int
    residents: int
    share: float  # of the state's 2010 population


@dataclass(frozen=True)
class VendorReach:
    """Where one vendor's records reach under the filters (statewide agencies kept apart from towns)."""

    vendor: str
    records: int
    documents: int
    towns: tuple[str, ...]  # municipalities whose own agencies have records
    counties: tuple[str, ...]  # counties reached through a county agency
    state_agencies: tuple[str, ...]  # agencies whose reach is the whole state
    residents: int  # living in those towns and counties (2010), statewide reach not folded in


def state_population(model: Model) -> int:
    """Massachusetts' 2010 population, the sum over the 351 municipalities."""
    return int(model.towns["population_2010"].sum())


def class_figures(model: Model, state: ViewState) -> list[ClassFigure]:
    """Departments (municipal and other agencies) and residents in each class as filtered."""
    codes = town_codes(model, state)
    population = model.towns["population_2010"]
    total = state_population(model)
    agencies = model.agencies.dropna(subset=["clearview_status"])
    figures = []
    for status in CLEARVIEW_STATUSES:
        in_class = codes == CLASS_CODE[status]
        residents = int(population[in_class].sum())
        shown_agencies = sum(
            s == status and listing_visible(s, m, state)
            for s, m in zip(agencies["clearview_status"], agencies["clearview_month"])
        )
        figures.append(ClassFigure(status, int(in_class.sum()), shown_agencies, residents, residents / total))
    return figures


def vendor_reach(model: Model, state: ViewState) -> list[VendorReach]:
    """For each vendor switched on, the records, documents and reach that pass the filters."""
    records = vendor_records(model, state)
    towns = model.towns
    agencies = model.agencies
    reach = []
    for vendor in VENDOR_STYLE:
        rows = records.loc[records["vendor"] == vendor]
        if vendor not in state.vendors:
            continue
        town_ids = set(rows["town_id"].dropna().astype(int))
        agency_rows = agencies.loc[sorted(set(rows["agency_id"].dropna()))]
        county_fips = set(agency_rows.loc[agency_rows["reach"] == "county", "county_fips"].astype(int))
        reached = towns.index.isin(list(town_ids)) | towns["county_fips"].isin(county_fips)
        reach.append(
            VendorReach(
                vendor=vendor,
                records=len(rows),
                documents=int(rows["documents"].fillna(0).sum()),
                towns=tuple(sorted(towns.loc[list(town_ids), "town"])),
                counties=tuple(sorted(model.counties[f] for f in county_fips)),
                state_agencies=tuple(agency_rows.loc[agency_rows["reach"] == "state", "name"]),
                residents=int(towns.loc[reached, "population_2010"].sum()),
            )
        )
    return reach
