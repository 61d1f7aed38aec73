"""The fast paths of the filters, headline figures, policy line, map overlays and records table give what a plain
pandas computation gives.

The references below are the straightforward versions (row by row over the model's DataFrames, policy_as_of for the
policy line) that the fast paths replaced; every month of the time control is compared, in the default view and in
random filter combinations.
"""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from html import escape

import pandas as pd
import pytest

from dashboard.data.model import Model
from dashboard.data.policy import NO_POLICY, policy_as_of, policy_now
from dashboard.state import filters
from dashboard.state.view import ViewState, view
from dashboard.views import figure, headline, panels, records
from dashboard.views.figure import COUNTIES, FIRST_VENDOR, HQ, STATE, UASI, UASI_LABEL, ZERO
from dashboard.views.styles import HQ_COLOR, HQ_FILL, SELECTED_COLOR, UASI_COLOR, ZERO_MARK
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


# --- references for the map's overlays and the records table: the code the fast paths replaced, as it was ------


def _ref_record_line(rec: dict) -> str:
    requested = escape(date_text(rec["requested"]))
    return f"{escape(rec['record_title'])}: {documents_text(rec['documents'])}, requested {requested}"


def _ref_none_returned(rows: list[dict]) -> bool:
    return all(pd.isna(r["documents"]) or r["documents"] == 0 for r in rows)


def ref_zero_document_towns(model: Model, state: ViewState) -> list[int]:
    towns = model.towns
    codes = ref_town_codes(model, state)
    zero = towns["clearview_documents"].eq(0).fillna(False) & codes.lt(model.catalog.filtered_out_code)
    return [int(t) for t in towns.index[zero]]


def ref_overlay_traces(model: Model, state: ViewState) -> list[dict]:
    agencies = model.agencies
    town_names = model.towns["town"]
    # Plain dicts: this runs on every filter change, and pandas row access costs more than the work.
    records = ref_vendor_records(model, state).to_dict("records")
    municipal: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    at_hq: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    reaches: set[str] = set()
    counties: set[int] = set()
    for rec in records:
        if not pd.isna(rec["town_id"]):
            municipal[rec["vendor"]][int(rec["town_id"])].append(rec)
            continue
        agency = agencies.loc[rec["agency_id"]]
        # Reach is drawn only for records that hold documents: a 0-document request shows nothing but its star.
        if not _ref_none_returned([rec]):
            reaches.add(agency["reach"])
            if agency["reach"] == "county":
                counties.add(int(agency["county_fips"]))
        if not pd.isna(agency["hq_town_id"]):
            at_hq[int(agency["hq_town_id"])][rec["agency_id"]].append(rec)
    zero = ref_zero_document_towns(model, state)
    labels = model.catalog.labels

    # Who sits at each town's point: the 0-document mark, vendors of its own agencies, then one headquarters star.
    slots: dict[int, list[str]] = defaultdict(list)
    for town_id in zero:
        slots[town_id].append("ZERO")
    for vendor in model.catalog.vendor_names:
        for town_id in sorted(municipal.get(vendor, {})):
            slots[town_id].append(vendor)
    for hq in sorted(at_hq):
        slots[hq].append("HQ")
    place = {
        (t, who): figure._ring(model.map.points[t], len(ws), i) for t, ws in slots.items() for i, who in enumerate(ws)
    }

    traces: list[dict] = [{}] * FIRST_VENDOR  # [CHOROPLETH] is a placeholder, dropped on return
    county_lons: list = []
    county_lats: list = []
    for fips in sorted(counties):
        lons, lats = model.map.county_outlines[fips]
        county_lons += lons
        county_lats += lats
    traces[COUNTIES] = figure._line(county_lons, county_lats, HQ_COLOR, 2.2, "county reach", dash="dot")
    # The state and UASI outlines never change shape: they keep their coordinates and are switched by
    # `visible`, so a filter change patches one flag instead of resending thousands of points.
    traces[STATE] = figure._line(*model.map.state_outline, HQ_COLOR, 1.6, "statewide reach", dash="dash")
    traces[STATE]["visible"] = "state" in reaches
    # Long dashes: a region, told apart from the solid outline of a town under a ban even in grayscale.
    traces[UASI] = figure._line(*model.map.uasi_outline, UASI_COLOR, 2.4, "Metro Boston UASI region", dash="longdash")
    traces[UASI]["visible"] = state.uasi
    traces[UASI_LABEL] = figure._scattergeo(
        visible=state.uasi,
        lon=[model.map.uasi_label[0]],
        lat=[model.map.uasi_label[1]],
        mode="text",
        text=["Metro Boston<br>UASI region"],
        textposition="middle right",
        textfont={"color": UASI_COLOR, "size": 13, "family": "system-ui, sans-serif"},
        hoverinfo="skip",
        showlegend=False,
        name="UASI label",
    )

    hq_points, hq_text, hq_open, hq_ids = [], [], [], []
    for hq, by_agency in sorted(at_hq.items()):
        lines = [f"<b>Agency offices in {escape(town_names[hq])}</b> (location not stated on the records page)"]
        for agency_id, rows in by_agency.items():
            agency = agencies.loc[agency_id]
            scope = figure.REACH_WORDS[agency["reach"]].replace("its county", f"{agency['county']} County")
            lines.append(f"{escape(agency['name'])}" + (f" ({scope})" if scope else ""))
            lines += [f"  {escape(r['vendor'])}: {_ref_record_line(r)}" for r in rows]
        hq_points.append(place[(hq, "HQ")])
        hq_text.append("<br>".join(lines))
        hq_open.append(_ref_none_returned([r for rows in by_agency.values() for r in rows]))
        hq_ids.append(hq)
    traces[HQ] = figure._scattergeo(
        lon=[p[0] for p in hq_points],
        lat=[p[1] for p in hq_points],
        mode="markers",
        marker={
            "symbol": ["star-open" if o else "star" for o in hq_open],
            "size": 19,
            # White with a dark edge shows on the darkest and the palest class; an open star is drawn in its color.
            "color": [HQ_COLOR if o else HQ_FILL for o in hq_open],
            "line": {"color": HQ_COLOR, "width": 1.6},
        },
        customdata=hq_ids,  # a click on a star selects the town it stands in
        hovertext=hq_text,
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
        name="agency offices",
    )
    traces[ZERO] = figure._scattergeo(
        lon=[place[(t, "ZERO")][0] for t in zero],
        lat=[place[(t, "ZERO")][1] for t in zero],
        mode="markers+text",
        text=[ZERO_MARK] * len(zero),
        textposition="middle center",
        textfont={"color": HQ_COLOR, "size": 11, "family": "system-ui, sans-serif"},
        marker={"symbol": "circle", "size": 17, "color": HQ_FILL, "line": {"color": HQ_COLOR, "width": 1.6}},
        customdata=zero,
        hovertext=[
            f"<b>{escape(town_names[t])}</b>: listed under {labels[model.towns.loc[t, 'clearview_status']]}, "
            "but its Clearview record holds 0 documents"
            for t in zero
        ],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
        name="record with 0 documents",
    )

    for style in model.catalog.vendors:
        vendor, symbol = style.name, style.symbol
        points, texts, symbols, ids = [], [], [], []
        for town_id, rows in sorted(municipal.get(vendor, {}).items()):
            ids.append(town_id)
            points.append(place[(town_id, vendor)])
            header = f"<b>{escape(vendor)}</b>: records at {escape(town_names[town_id])}"
            texts.append("<br>".join([header, *(_ref_record_line(r) for r in rows)]))
            symbols.append(f"{symbol}-open" if _ref_none_returned(rows) else symbol)
        traces.append(
            figure._scattergeo(
                lon=[p[0] for p in points],
                lat=[p[1] for p in points],
                mode="markers",
                marker={
                    "symbol": symbols,
                    "size": 14,
                    "color": style.color,
                    "line": {"color": "#111111", "width": 1.2},
                },
                customdata=ids,  # a click on a marker selects its town
                hovertext=texts,
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
                name=vendor,
            )
        )
    traces += ref_policy_traces(model, state)
    # Last, so that no marker hides the selected town's outline.
    lons, lats = model.map.town_outlines[state.town] if state.town in model.map.town_outlines else ([], [])
    traces.append(figure._line(lons, lats, SELECTED_COLOR, 3.5, "selected town"))
    return traces[1:]


def ref_policy_traces(model: Model, state: ViewState) -> list[dict]:
    events = model.events
    in_force = events.loc[events["start"].le(state.as_of)]
    traces = []
    for kind in figure.outlined_policy_kinds(model):
        towns = sorted({int(t) for t in in_force.loc[in_force["kind"].eq(kind.id), "town_id"].dropna()})
        lons: list = []
        lats: list = []
        if state.policy:
            for town_id in towns:
                x, y = model.map.town_outlines[town_id]
                lons += x
                lats += y
        # Solid, dashed, dotted: the kinds differ in grayscale too, and an outline leaves the class fill visible.
        traces.append(
            figure._line(
                lons, lats, kind.color, 3.0 if kind.line == "solid" else 2.6, kind.label, figure._DASH[kind.line]
            )
        )
    return traces


def ref_filter_rows(model: Model, rows: pd.DataFrame, state: ViewState, query: str = "") -> pd.DataFrame:
    listings = rows["kind"].eq("Clearview listing")
    listing_ok = pd.Series(
        [
            _visible(model, c, m, state) if is_listing else False
            for c, m, is_listing in zip(rows["_category"], rows["_month"], listings)
        ],
        index=rows.index,
    )
    # A Clearview record stays while any of its listings is shown; other records follow vendor and year.
    shown_records = set(rows.loc[listing_ok, "_record_row"])
    filed_ok = rows["_filed"].le(state.as_of)
    clearview = rows["_clearview"].astype(bool)
    vendor_ok = rows["vendor"].eq("") | rows["vendor"].isin(state.vendors)
    record_ok = ~listings & (
        (clearview & rows["_record_row"].isin(shown_records)) | (~clearview & vendor_ok & filed_ok)
    )
    kept = rows.loc[listing_ok | record_ok]
    words = query.strip().lower().split() if isinstance(query, str) else []
    # `len(kept)`: added to the copy; on no rows the original raised (DataFrame.agg gives a frame, not a Series).
    if words and len(kept):
        text = kept[records.TEXT_COLUMNS].astype(str).agg(" ".join, axis=1).str.lower()
        kept = kept.loc[[all(w in t for w in words) for t in text]]
    return kept


def ref_display_records(rows: pd.DataFrame) -> list[dict]:
    out = []
    for row in rows.rename(columns={"_own_page": "own_page"}).itertuples(index=False):
        out.append(
            {
                "kind": row.kind,
                "title": row.title,
                "agency": row.agency,
                "reach": row.reach,
                "vendor": row.vendor,
                "clearview_class": row.clearview_class,
                "filed": row.filed,
                "documents": None if pd.isna(row.documents) else int(row.documents),
                "source": row.url,
                "source_label": "record page" if row.own_page else "section page",
            }
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


def _map_states(model: Model, states: list[ViewState]) -> list[ViewState]:
    """The filter states again, each with a random town or agency and random layers and extent."""
    rng = random.Random(13)
    towns = [None, *(int(t) for t in model.towns.index)]
    agencies = [str(a) for a in model.agencies.index]
    out = []
    for state in states:
        agency = rng.choice(agencies) if rng.random() < 0.2 else None
        out.append(
            dataclasses.replace(
                state,
                town=None if agency else rng.choice(towns),
                agency=agency,
                uasi=rng.random() < 0.5,
                policy=rng.random() < 0.7,
                extent=rng.choice(("state", "metro")),
            )
        )
    return out


def test_overlay_traces(model: Model, states: list[ViewState]) -> None:
    for state in [*states, *_map_states(model, states)]:
        assert figure.overlay_traces(model, state) == ref_overlay_traces(model, state), state


def test_records_table_rows_and_display(model: Model, states: list[ViewState]) -> None:
    rows = records.all_rows(model)
    words = sorted({w for t in rows["title"] for w in str(t).lower().split()})
    rng = random.Random(14)
    queries = ["", "  ", "briefcam boston", "BRIEFCAM", "no such words", "2019", "Clearview listing"]
    for state in states:
        for query in [*queries, " ".join(rng.sample(words, 2)), rng.choice(words).upper()]:
            kept = records.filter_rows(model, rows, state, query)
            pd.testing.assert_frame_equal(kept, ref_filter_rows(model, rows, state, query))
            assert records.display_records(kept) == ref_display_records(kept), (state, query)
    # Any frame of the table's rows, not only the model's whole table (a download filters a copy).
    part = rows.sample(frac=0.5, random_state=15)
    for state in states[:10]:
        pd.testing.assert_frame_equal(records.filter_rows(model, part, state), ref_filter_rows(model, part, state))
