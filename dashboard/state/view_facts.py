"""What one view shows, computed once per view state: every surface (map, panels, slides, API) reads this value.

`view_facts(model, state)` applies the filters once (`state/filters.py`) and derives from that one application the
map's codes, the counts per class, the towns not known to have been asked yet, the vendor records kept, each class's
figures, each vendor's reach, and the face-surveillance policies adopted by the chosen month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.data.memo import per_model, per_model_and
from dashboard.data.model import Model
from dashboard.data.schema import FACE_SURVEILLANCE_KINDS
from dashboard.state.filters import RecordFacts, facts, listing_shown, record_kept, town_code_array
from dashboard.state.view import ViewState


@dataclass(frozen=True)
class ClassFigure:
    """One Clearview class as shown: its municipalities, other agencies and residents, and what their records hold."""

    status: str
    municipalities: int
    agencies: int
    residents: int
    share: float  # of the state's 2010 population
    #: Residents of the class's municipalities whose own record holds at least one document; None where the
    #: class's listings have no record of their own (they share one combined record, or none was published).
    documented_residents: int | None
    zero_municipalities: int  # municipalities shown whose own Clearview record holds 0 documents
    zero_agencies: int  # other agencies shown whose own Clearview record holds 0 documents
    shared_documents: int | None  # documents of the combined record(s) the class's listings share

    @property
    def zero_document(self) -> int:
        """Municipalities and agencies shown whose own record holds 0 documents."""
        return self.zero_municipalities + self.zero_agencies


@dataclass(frozen=True)
class VendorReach:
    """Where one vendor's kept records reach (statewide agencies and agencies with no stated area kept apart)."""

    vendor: str
    records: int
    documents: int
    towns: tuple[str, ...]  # municipalities whose own agencies have records in the vendor's table
    counties: tuple[str, ...]  # counties reached through a county agency
    state_agencies: tuple[str, ...]  # agencies whose records reach the whole state
    other_agencies: tuple[str, ...]  # agencies whose area the records page does not give (no reach counted)
    title_only: tuple[str, ...]  # places and agencies where the vendor is named only in a record's title
    empty: frozenset[str]  # the places and agencies above whose records all hold 0 documents
    residents: int  # of the towns and counties reached through records that hold documents (2010)


@dataclass(frozen=True)
class PolicyFigure:
    """Face-surveillance bans and moratoria adopted by the chosen month (facts from outside the records page)."""

    municipalities: int
    residents: int
    share: float
    by_class: dict[str, int]  # among them, per Clearview class, only the towns whose class is known by then
    unknown_class: int  # among them, towns not known to have been asked yet


@dataclass(frozen=True)
class Totals:
    """The kept vendor records in numbers."""

    records: int
    documents: int
    municipalities: int
    agencies: int


@dataclass(frozen=True)
class ViewFacts:
    """Everything a view shows, as values (read-only)."""

    state: ViewState
    codes: np.ndarray  # per town, in the model's order: its class code, filtered out, or not yet asked
    class_counts: dict[str, int]  # municipalities shown in each class
    not_asked: int  # municipalities not known to have been asked yet
    filtered_out: int  # municipalities outside the class and wave filters
    agency_counts: dict[str, int]  # other agencies shown in each class
    classes: tuple[ClassFigure, ...]
    kept: tuple[int, ...]  # positions of the vendor records kept, in facts(model).records
    reach: tuple[VendorReach, ...]  # per vendor switched on
    zero_towns: tuple[int, ...]  # towns shown whose own Clearview record holds 0 documents
    totals: Totals
    policy: PolicyFigure

    @property
    def shown(self) -> int:
        """Municipalities colored by a class."""
        return sum(self.class_counts.values())


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


@per_model
def _first_face_policy(model: Model) -> np.ndarray:
    """Per town: the month of its first face-surveillance ban or moratorium ('' for none); nothing ends one."""
    events = model.events
    face = events.loc[events["town_id"].notna() & events["kind"].isin(list(FACE_SURVEILLANCE_KINDS))]
    first = {int(t): str(m) for t, m in face.groupby("town_id")["start"].min().items()}
    return np.array([first.get(int(t), "") for t in model.towns.index], dtype=object)


def _class_figures(model: Model, state: ViewState, codes: np.ndarray) -> tuple[ClassFigure, ...]:
    f = facts(model)
    population, own_documents = f.population, f.own_documents
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
        any_shown = bool(in_class.any()) or bool(agency_docs)
        figures.append(
            ClassFigure(
                status=status,
                municipalities=int(np.count_nonzero(in_class)),
                agencies=len(agency_docs),
                residents=residents,
                share=residents / total,
                documented_residents=documented,
                zero_municipalities=int(np.count_nonzero(own == 0)),
                zero_agencies=sum(1 for docs in agency_docs if docs == 0),
                shared_documents=shared_by_class[status] if any_shown else None,
            )
        )
    return tuple(figures)


def _has_documents(records: list[RecordFacts]) -> bool:
    return any(r.documents is not None and r.documents > 0 for r in records)


def _vendor_reach(model: Model, state: ViewState, kept: list[RecordFacts]) -> tuple[VendorReach, ...]:
    f = facts(model)
    reach = []
    for vendor in model.catalog.vendor_names:
        if vendor not in state.vendors:
            continue
        rows = [r for r in kept if r.vendor == vendor]
        tabled = [r for r in rows if not r.title_only]
        by_town: dict[int, list[RecordFacts]] = {}
        by_agency: dict[str, list[RecordFacts]] = {}
        for r in tabled:
            if r.town_id is not None:
                by_town.setdefault(r.town_id, []).append(r)
            if r.agency_id is not None:
                by_agency.setdefault(r.agency_id, []).append(r)
        titled = {
            f.town_names[r.town_id] if r.town_id is not None else f.agency_names[str(r.agency_id)]: r
            for r in rows
            if r.title_only
        }
        documented_towns = {t for t, group in by_town.items() if _has_documents(group)}
        empty = {f.town_names[t] for t in by_town if t not in documented_towns}
        empty |= {f.agency_names[a] for a, group in by_agency.items() if not _has_documents(group)}
        empty |= {name for name, r in titled.items() if not r.documents}
        agency_ids = sorted(by_agency)  # the reach columns list agencies in the order of their ids
        county_agencies = [a for a in agency_ids if f.agency_reach[a] == "county"]
        county_fips = [int(f.agency_fips[a]) for a in county_agencies]  # type: ignore[arg-type]
        documented_fips = {fips for a, fips in zip(county_agencies, county_fips) if _has_documents(by_agency[a])}
        reached = np.isin(f.town_ids, list(documented_towns)) | np.isin(f.county_fips, list(documented_fips))
        counties = {fips: f"{model.counties[fips]} County" for fips in county_fips}
        reach.append(
            VendorReach(
                vendor=vendor,
                records=len(rows),
                documents=sum(r.documents or 0 for r in rows),
                towns=tuple(sorted(f.town_names[t] for t in by_town)),
                counties=tuple(sorted(counties.values())),
                state_agencies=tuple(f.agency_names[a] for a in agency_ids if f.agency_reach[a] == "state"),
                other_agencies=tuple(
                    f.agency_names[a] for a in agency_ids if f.agency_reach[a] not in ("state", "county")
                ),
                title_only=tuple(sorted(titled)),
                empty=frozenset(empty | {name for fips, name in counties.items() if fips not in documented_fips}),
                residents=int(f.population[reached].sum()),
            )
        )
    return tuple(reach)


def _policy(model: Model, state: ViewState, codes: np.ndarray) -> PolicyFigure:
    first = _first_face_policy(model)
    adopted = np.array([bool(m) and m <= state.as_of for m in first], dtype=bool)
    population = facts(model).population
    residents = int(population[adopted].sum())
    # A town's class counts only once its request is known to have been filed: before, its class was not known.
    statuses = facts(model).town_listings
    groups = facts(model).town_groups
    by_class: dict[str, int] = {}
    unknown = 0
    for i in np.flatnonzero(adopted):
        listing = statuses[int(groups[i])]
        if listing.asked > state.as_of:
            unknown += 1
        else:
            by_class[listing.status] = by_class.get(listing.status, 0) + 1
    return PolicyFigure(
        municipalities=int(adopted.sum()),
        residents=residents,
        share=residents / state_population(model),
        by_class={c: by_class[c] for c in model.catalog.class_ids if c in by_class},
        unknown_class=unknown,
    )


@per_model_and(2048)
def view_facts(model: Model, state: ViewState) -> ViewFacts:
    """What the view shows, computed once per view state (and kept for the 2,048 latest per model)."""
    catalog = model.catalog
    f = facts(model)
    codes = town_code_array(model, state)
    counts = np.bincount(codes, minlength=catalog.not_asked_code + 1)
    class_counts = {status: int(counts[code]) for status, code in catalog.codes.items()}
    shown_agencies = [listing.status for listing, _ in f.agency_listings if listing_shown(listing, state)]
    kept = [i for i, r in enumerate(f.records) if record_kept(model, r, state)]
    kept_records = [f.records[i] for i in kept]
    zero = f.town_ids[np.isclose(f.own_documents, 0) & (codes < catalog.filtered_out_code)]
    return ViewFacts(
        state=state,
        codes=codes,
        class_counts=class_counts,
        not_asked=int(counts[catalog.not_asked_code]),
        filtered_out=int(counts[catalog.filtered_out_code]),
        agency_counts={status: shown_agencies.count(status) for status in catalog.class_ids},
        classes=_class_figures(model, state, codes),
        kept=tuple(kept),
        reach=_vendor_reach(model, state, kept_records),
        zero_towns=tuple(int(t) for t in zero),
        totals=Totals(
            records=len(kept_records),
            documents=sum(r.documents or 0 for r in kept_records),
            municipalities=len({r.town_id for r in kept_records if r.town_id is not None}),
            agencies=len({r.agency_id for r in kept_records if r.agency_id is not None}),
        ),
        policy=_policy(model, state, codes),
    )
