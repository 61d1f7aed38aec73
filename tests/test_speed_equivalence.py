"""The fast paths of the filters, headline figures and policy line give what a plain pandas computation gives.

The references below are the straightforward versions (row by row over the model's DataFrames, policy_as_of for the
policy line) that the fast paths replaced; every month of the time control is compared, in the default view and in
random filter combinations.
"""

from __future__ import annotations

import dataclasses
import random

import pandas as pd
import pytest

from dashboard.data.model import Model
from dashboard.data.policy import NO_POLICY, policy_as_of, policy_now
from dashboard.state import filters
from dashboard.state.view import ViewState, view
from dashboard.views import headline, panels
from dashboard.views.words import date_text, documents_text, plural

# --- references: straightforward pandas over the model ---------------------------------------------------------------


def _asked(model: Model, month: object, state: ViewState) -> bool:
    return model.catalog.asked_month(month) <= state.as_of


def _visible(model: Model, category: str, month: object, state: ViewState) -> bool:
    if category not in state.classes or not _asked(model, month, state):
        return False
    return bool(pd.isna(month)) or month in state.waves


def ref_town_codes(model: Model, state: ViewState) -> pd.Series:
    towns = model.towns
    catalog = model.catalog
    visible = [_visible(model, c, m, state) for c, m in zip(towns["clearview_status"], towns["clearview_month"])]
    asked = [_asked(model, m, state) for m in towns["clearview_month"]]
    codes = towns["clearview_status"].map(catalog.codes).where(visible, catalog.filtered_out_code)
    return codes.where(asked, catalog.not_asked_code).astype(int)


def ref_class_counts(model: Model, state: ViewState) -> dict[str, int]:
    codes = ref_town_codes(model, state).value_counts()
    return {status: int(codes.get(code, 0)) for status, code in model.catalog.codes.items()}


def ref_agency_class_counts(model: Model, state: ViewState) -> dict[str, int]:
    agencies = model.agencies.dropna(subset=["clearview_status"])
    shown = [
        s for s, m in zip(agencies["clearview_status"], agencies["clearview_month"]) if _visible(model, s, m, state)
    ]
    return {status: shown.count(status) for status in model.catalog.class_ids}


def ref_vendor_records(model: Model, state: ViewState) -> pd.DataFrame:
    records = model.vendor_records
    clearview = model.catalog.clearview
    keep = [
        vendor in state.vendors
        and filed <= state.as_of
        and (vendor != clearview or pd.isna(month) or month in state.waves)
        for vendor, filed, month in zip(records["vendor"], records["filed_month"], records["requested"])
    ]
    return records.loc[keep]


def ref_class_figures(model: Model, state: ViewState) -> list[headline.ClassFigure]:
    codes = ref_town_codes(model, state)
    towns = model.towns
    population = towns["population_2010"]
    own_documents = towns["clearview_documents"]
    total = int(population.sum())
    agencies = model.agencies.dropna(subset=["clearview_status"])
    agency_shown = pd.Series(
        [_visible(model, s, m, state) for s, m in zip(agencies["clearview_status"], agencies["clearview_month"])],
        index=agencies.index,
    )
    listings = model.listings.loc[model.listings["outcome"].eq("status")]
    record_documents = model.records_by_row["documents"]
    figures = []
    for status, code in model.catalog.codes.items():
        in_class = codes == code
        residents = int(population[in_class].sum())
        agency_in_class = agencies["clearview_status"].eq(status) & agency_shown
        own = own_documents[in_class].dropna()
        documented = int(population[in_class & own_documents.ge(1).fillna(False)].sum()) if len(own) else None
        zero = int(own.eq(0).sum() + agencies.loc[agency_in_class, "clearview_documents"].eq(0).sum())
        shared_rows = listings.loc[
            listings["category"].eq(status) & listings["documents"].isna(), "record_row"
        ].drop_duplicates()
        shown = bool(in_class.any() or agency_in_class.any())
        shared = int(record_documents.loc[list(shared_rows)].sum()) if shown and len(shared_rows) else None
        figures.append(
            headline.ClassFigure(
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


def _documented(documents: pd.Series) -> bool:
    return bool(documents.fillna(0).gt(0).any())


def ref_vendor_reach(model: Model, state: ViewState) -> list[headline.VendorReach]:
    records = ref_vendor_records(model, state)
    towns, agencies = model.towns, model.agencies
    reach = []
    for vendor in model.catalog.vendor_names:
        if vendor not in state.vendors:
            continue
        rows = records.loc[records["vendor"] == vendor]
        empty: set[str] = set()
        town_ids, documented_towns = set(), set()
        for town_id, group in rows.dropna(subset=["town_id"]).groupby("town_id"):
            town_ids.add(int(town_id))
            if _documented(group["documents"]):
                documented_towns.add(int(town_id))
            else:
                empty.add(str(towns.loc[int(town_id), "town"]))
        by_agency = dict(iter(rows.dropna(subset=["agency_id"]).groupby("agency_id")))
        empty |= {str(agencies.loc[a, "name"]) for a, g in by_agency.items() if not _documented(g["documents"])}
        agency_rows = agencies.loc[sorted(by_agency)]
        county_rows = agency_rows.loc[agency_rows["reach"] == "county"]
        documented_fips = {
            int(f) for a, f in county_rows["county_fips"].items() if _documented(by_agency[a]["documents"])
        }
        reached = towns.index.isin(list(documented_towns)) | towns["county_fips"].isin(documented_fips)
        undocumented_counties = {int(f) for f in county_rows["county_fips"]} - documented_fips
        reach.append(
            headline.VendorReach(
                vendor=vendor,
                records=len(rows),
                documents=int(rows["documents"].fillna(0).sum()),
                towns=tuple(sorted(towns.loc[list(town_ids), "town"])),
                counties=tuple(sorted(f"{model.counties[int(f)]} County" for f in county_rows["county_fips"])),
                state_agencies=tuple(agency_rows.loc[agency_rows["reach"] == "state", "name"]),
                other_agencies=tuple(agency_rows.loc[agency_rows["reach"].isin(["agency", "campus"]), "name"]),
                empty=frozenset(empty | {f"{model.counties[f]} County" for f in undocumented_counties}),
                residents=int(towns.loc[reached, "population_2010"].sum()),
            )
        )
    return reach


def ref_policy_line(model: Model, state: ViewState) -> str:
    then = policy_as_of(model, state.as_of)["face_surveillance_policy"].ne(NO_POLICY)
    ever = policy_now(model)["face_surveillance_policy"].ne(NO_POLICY)
    towns = model.towns
    residents = int(towns.loc[then, "population_2010"].sum())
    share = residents / int(towns["population_2010"].sum())
    had = towns.loc[then, "clearview_status"].value_counts()
    later = towns.loc[ever & ~then, "clearview_status"].value_counts()
    labels = model.catalog.labels

    def by_class(counts: pd.Series) -> str:
        return ", ".join(f"{labels[c].lower()} {int(counts[c])}" for c in model.catalog.class_ids if counts.get(c, 0))

    text = (
        f"Under a face-surveillance ban or moratorium{panels.OUTSIDE_MARK} as of {date_text(state.as_of)}: "
        f"{plural(int(then.sum()), 'municipality', 'municipalities')}, {residents:,} residents ({share:.1%})"
    )
    text += f"; by Clearview class: {by_class(had)}." if had.sum() else "."
    if later.sum():
        text += f" Passed one later: {by_class(later)}."
    return text


def ref_totals(model: Model, state: ViewState) -> str:
    shown = sum(ref_class_counts(model, state).values())
    records = ref_vendor_records(model, state)
    towns = records["town_id"].dropna().nunique()
    agencies = records["agency_id"].dropna().nunique()
    docs = int(records["documents"].fillna(0).sum())
    return (
        f"Showing {shown} of {len(model.towns)} municipalities colored by Clearview class; "
        f"{plural(len(records), 'vendor record')} ({documents_text(docs)}) at "
        f"{plural(towns, 'municipality', 'municipalities')} and {plural(agencies, 'other agency', 'other agencies')}."
    )


def ref_state_laws(model: Model, as_of: str | None) -> list[str]:
    laws = model.events.loc[model.events["scope"].eq("state")]
    if as_of is not None:
        laws = laws.loc[laws["start"].le(as_of)]
    out = []
    for law in laws.itertuples():
        effective = f", in force from {date_text(law.effective_date)}" if isinstance(law.effective_date, str) else ""
        out.append(
            f"In every town: {law.title}, signed {date_text(law.date)}{effective} "
            f"({model.catalog.policy_kind[law.kind].label.lower()})."
        )
    return out


# --- the views compared ----------------------------------------------------------------------------------------------


def _states(model: Model) -> list[ViewState]:
    """Every month in the default view, every month with nothing chosen, and random filters on random months."""
    catalog = model.catalog
    states = [view(catalog, as_of=m) for m in catalog.months]
    states += [view(catalog, as_of=m, classes=(), waves=(), vendors=()) for m in catalog.months[::6]]
    rng = random.Random(12)
    for _ in range(40):
        states.append(
            view(
                catalog,
                as_of=rng.choice(catalog.months),
                classes=tuple(c for c in catalog.class_ids if rng.random() < 0.6),
                waves=tuple(w.month for w in catalog.waves if rng.random() < 0.6),
                vendors=tuple(v for v in catalog.vendor_names if rng.random() < 0.6),
            )
        )
    return states


@pytest.fixture(scope="module")
def states(model: Model) -> list[ViewState]:
    return _states(model)


def test_the_states_cover_every_month_and_the_policy_changes(model: Model, states: list[ViewState]) -> None:
    assert {s.as_of for s in states} == set(model.catalog.months)
    lines = {panels.policy_line(model, s) for s in states if s.classes == model.catalog.class_ids}
    assert len(lines) > 3  # the line changes over the months: the comparison below is not of one constant


def test_town_codes_and_counts(model: Model, states: list[ViewState]) -> None:
    for state in states:
        pd.testing.assert_series_equal(filters.town_codes(model, state), ref_town_codes(model, state))
        assert filters.class_counts(model, state) == ref_class_counts(model, state), state
        not_asked = int(ref_town_codes(model, state).eq(model.catalog.not_asked_code).sum())
        assert filters.not_asked_count(model, state) == not_asked, state
        assert filters.agency_class_counts(model, state) == ref_agency_class_counts(model, state), state


def test_vendor_records(model: Model, states: list[ViewState]) -> None:
    for state in states:
        pd.testing.assert_frame_equal(filters.vendor_records(model, state), ref_vendor_records(model, state))


def test_class_figures_and_vendor_reach(model: Model, states: list[ViewState]) -> None:
    for state in states:
        assert headline.class_figures(model, state) == ref_class_figures(model, state), state
        assert headline.vendor_reach(model, state) == ref_vendor_reach(model, state), state


def test_policy_line_totals_and_state_laws(model: Model, states: list[ViewState]) -> None:
    for state in states:
        assert panels.policy_line(model, state) == ref_policy_line(model, state), state
        assert panels.totals(model, state) == ref_totals(model, state), state
        assert panels.state_law_sentences(model, state.as_of) == ref_state_laws(model, state.as_of)
    assert panels.state_law_sentences(model) == ref_state_laws(model, None)


def test_a_changed_model_gets_its_own_facts(model: Model) -> None:
    towns = model.towns.copy()
    towns["population_2010"] = towns["population_2010"] * 2
    doubled = dataclasses.replace(model, towns=towns)
    assert headline.state_population(doubled) == 2 * headline.state_population(model)
    assert filters.facts(doubled) is not filters.facts(model)
    assert filters.facts(model) is filters.facts(model)


def test_town_panels_follow_the_view_though_their_parts_are_kept(model: Model) -> None:
    # Each panel is first built under one view (its parts are kept), then asked under another: it must be what a
    # model that never built it gives under that other view.
    fresh = dataclasses.replace(model)
    later = view(model.catalog, as_of="2020-01", classes=("no_response",), waves=("2020-04",))
    for town_id in model.towns.index:
        panels.town_panel(model, int(town_id), view(model.catalog))
        assert repr(panels.town_panel(model, int(town_id), later)) == repr(
            panels.town_panel(fresh, int(town_id), later)
        ), town_id
    for agency_id in model.agencies.index:
        state = view(model.catalog, agency=str(agency_id))
        assert repr(panels.town_panel(model, None, state)) == repr(panels.town_panel(fresh, None, state))
