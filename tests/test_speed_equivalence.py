"""The fast per-view code (`view_facts`, the per-month hovers, the map overlays and the records table) gives what a
plain pandas computation over the model's tables gives.

The references below are the straightforward versions, row by row over the model's DataFrames (policy_as_of for the
policies); every month of the time control is compared, in the default view and in random filter combinations.
Fixed words the references write are those the records page and the map use (a changed wording fails here on
purpose: the hovers, overlays and table must say what was known by the month, worded as agreed).
"""

from __future__ import annotations

import dataclasses
import functools
import random
from collections import defaultdict
from collections.abc import Callable
from html import escape
from typing import TypeVar, cast

import numpy as np
import pandas as pd
import pytest

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.data.months import known_by
from dashboard.data.policy import NO_POLICY, policy_as_of
from dashboard.state import filters
from dashboard.state import view_facts as vf
from dashboard.state.view import ViewState, view
from dashboard.views import figure, records
from dashboard.views import wording as w
from dashboard.views.figure import COUNTIES, FIRST_VENDOR, HQ, STATE, UASI, UASI_LABEL, ZERO
from dashboard.views.styles import (
    COUNTY_COLOR,
    COUNTY_DASH,
    HQ_COLOR,
    HQ_FILL,
    SELECTED_COLOR,
    SELECTED_DASH,
    STATE_COLOR,
    STATE_DASH,
    UASI_COLOR,
    UASI_DASH,
    ZERO_MARK,
)
from dashboard.views.words import date_text, documents_text

T = TypeVar("T")
TITLE_ONLY = "named only in the record's title"
#: The two combined Clearview AI records of the records index (one record shared by many listed departments).
COMBINED_CLEARVIEW = (
    "MA Police Departments Receiving Solicitations from Clearview AI",
    "MA Police Departments with No Records from Clearview AI",
)

# --- references: straightforward pandas over the model ---------------------------------------------------------------

_KEPT: dict[tuple[str, int, object], tuple[Model, object]] = {}


def _once(name: str, model: Model, key: object, build: Callable[[], T]) -> T:
    """A reference's value computed once per model and key (several tests compare it; it never changes)."""
    entry = _KEPT.get((name, id(model), key))
    if entry is None or entry[0] is not model:
        entry = (model, build())
        _KEPT[(name, id(model), key)] = entry
    return cast(T, entry[1])


def _asked(model: Model, month: object, state: ViewState) -> bool:
    return model.catalog.asked_month(month) <= state.as_of


def _visible(model: Model, category: str, month: object, state: ViewState) -> bool:
    if category not in state.classes or not _asked(model, month, state):
        return False
    return bool(pd.isna(month)) or month in state.waves


def ref_town_codes(model: Model, state: ViewState) -> pd.Series:
    return _once("codes", model, state, lambda: _ref_town_codes(model, state))


def _ref_town_codes(model: Model, state: ViewState) -> pd.Series:
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
    return _once("records", model, state, lambda: _ref_vendor_records(model, state))


def _ref_vendor_records(model: Model, state: ViewState) -> pd.DataFrame:
    records = model.vendor_records
    clearview = model.catalog.clearview
    keep = [
        vendor in state.vendors
        and filed <= state.as_of
        and (vendor != clearview or pd.isna(month) or month in state.waves)
        for vendor, filed, month in zip(records["vendor"], records["filed_month"], records["requested"])
    ]
    return records.loc[keep]


def ref_class_figures(model: Model, state: ViewState) -> tuple[vf.ClassFigure, ...]:
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
        shared_rows = listings.loc[
            listings["category"].eq(status) & listings["documents"].isna(), "record_row"
        ].drop_duplicates()
        shown = bool(in_class.any() or agency_in_class.any())
        shared = int(record_documents.loc[list(shared_rows)].sum()) if shown and len(shared_rows) else None
        figures.append(
            vf.ClassFigure(
                status=status,
                municipalities=int(in_class.sum()),
                agencies=int(agency_in_class.sum()),
                residents=residents,
                share=residents / total,
                documented_residents=documented,
                zero_municipalities=int(own.eq(0).sum()),
                zero_agencies=int(agencies.loc[agency_in_class, "clearview_documents"].eq(0).sum()),
                shared_documents=shared,
            )
        )
    return tuple(figures)


def ref_vendor_reach(model: Model, state: ViewState) -> tuple[vf.VendorReach, ...]:
    towns, agencies = model.towns, model.agencies
    town_name, population, town_fips = towns["town"], towns["population_2010"], towns["county_fips"]
    agency_name, agency_reach, agency_fips = agencies["name"], agencies["reach"], agencies["county_fips"]
    kept = ref_vendor_records(model, state).to_dict("records")
    reach = []
    for vendor in model.catalog.vendor_names:
        if vendor not in state.vendors:
            continue
        rows = [r for r in kept if r["vendor"] == vendor]
        # Per place: whether any of its records holds documents. A vendor named only in a record's title is listed
        # apart, never counted as a town, an agency or residents reached.
        by_town: dict[int, bool] = {}
        by_agency: dict[str, bool] = {}
        titled: dict[str, bool] = {}
        for r in rows:
            has = not pd.isna(r["documents"]) and r["documents"] > 0
            town, agency = r["town_id"], r["agency_id"]
            if r["named_in"] == "title":
                name = town_name[int(town)] if not pd.isna(town) else agency_name[agency]
                titled[name] = titled.get(name, False) or has
            elif not pd.isna(town):
                by_town[int(town)] = by_town.get(int(town), False) or has
            else:
                by_agency[agency] = by_agency.get(agency, False) or has
        agency_ids = sorted(by_agency)  # listed in the order of their ids
        county_fips = {int(agency_fips[a]) for a in agency_ids if agency_reach[a] == "county"}
        documented_fips = {int(agency_fips[a]) for a in agency_ids if agency_reach[a] == "county" and by_agency[a]}
        reached = towns.index.isin([t for t, has in by_town.items() if has]) | town_fips.isin(documented_fips)
        empty = {town_name[t] for t, has in by_town.items() if not has}
        empty |= {agency_name[a] for a, has in by_agency.items() if not has}
        empty |= {name for name, has in titled.items() if not has}
        empty |= {f"{model.counties[f]} County" for f in county_fips - documented_fips}
        reach.append(
            vf.VendorReach(
                vendor=vendor,
                records=len(rows),
                documents=int(sum(0 if pd.isna(r["documents"]) else r["documents"] for r in rows)),
                towns=tuple(sorted(town_name[t] for t in by_town)),
                counties=tuple(sorted(f"{model.counties[f]} County" for f in county_fips)),
                state_agencies=tuple(agency_name[a] for a in agency_ids if agency_reach[a] == "state"),
                other_agencies=tuple(agency_name[a] for a in agency_ids if agency_reach[a] not in ("state", "county")),
                title_only=tuple(sorted(titled)),
                empty=frozenset(empty),
                residents=int(population[reached].sum()),
            )
        )
    return tuple(reach)


def _adopted(model: Model, month: str) -> pd.Series:
    """Per town: a face-surveillance ban or moratorium dated by the month (policy_as_of)."""

    def build() -> pd.Series:
        return policy_as_of(model, month)["face_surveillance_policy"].ne(NO_POLICY).reindex(model.towns.index)

    return _once("adopted", model, month, build)


def ref_policy(model: Model, state: ViewState) -> vf.PolicyFigure:
    towns = model.towns
    adopted = _adopted(model, state.as_of)
    residents = int(towns.loc[adopted, "population_2010"].sum())
    # A town's class is known by the month only once its Clearview request was certainly filed.
    known = towns["clearview_month"].map(model.catalog.asked_month).le(state.as_of)
    counts = towns.loc[adopted & known, "clearview_status"].value_counts()
    return vf.PolicyFigure(
        municipalities=int(adopted.sum()),
        residents=residents,
        share=residents / int(towns["population_2010"].sum()),
        by_class={c: int(counts[c]) for c in model.catalog.class_ids if counts.get(c, 0)},
        unknown_class=int((adopted & ~known).sum()),
    )


def ref_totals(model: Model, state: ViewState) -> vf.Totals:
    kept = ref_vendor_records(model, state)
    return vf.Totals(
        records=len(kept),
        documents=int(kept["documents"].fillna(0).sum()),
        municipalities=kept["town_id"].dropna().nunique(),
        agencies=kept["agency_id"].dropna().nunique(),
    )


def ref_zero_document_towns(model: Model, state: ViewState) -> list[int]:
    towns = model.towns
    codes = ref_town_codes(model, state)
    zero = towns["clearview_documents"].eq(0).fillna(False) & codes.lt(model.catalog.filtered_out_code)
    return [int(t) for t in towns.index[zero]]


# --- reference for the per-month hovers: what was known by the month, from the model's tables ---------------------


def _town_lines(model: Model) -> dict[int, tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]]:
    """Per town: its fixed lines, and its dated lines (month known by, line): second listings, policies, records."""
    catalog = model.catalog
    labels = catalog.labels
    titles = model.records_by_row["title"]

    def by_town(frame: pd.DataFrame) -> dict[int, list[dict]]:
        grouped: dict[int, list[dict]] = defaultdict(list)
        for row in frame.dropna(subset=["town_id"]).to_dict("records"):
            grouped[int(row["town_id"])].append(row)
        return grouped

    listings = by_town(model.listings)
    events = by_town(model.events)
    vendor_records = by_town(model.vendor_records.sort_values("record_row"))
    out = {}
    for town in model.towns.reset_index().to_dict("records"):
        town_id = int(town["town_id"])
        counted = [x["name_as_published"] for x in listings[town_id] if x["outcome"] == "status"]
        listed = f" (listed as “{escape(counted[0])}”)" if counted else ""
        head = [
            f"<b>{escape(town['town'])}</b> · {escape(town['county'])} County",
            f"Population (2010 census): {int(town['population_2010']):,}",
            f"Clearview AI: {escape(labels[town['clearview_status']])}{listed}",
        ]
        if not pd.isna(town["clearview_documents"]) and town["clearview_documents"] == 0:
            head.append("Its Clearview record holds 0 documents")
        second = [
            (
                catalog.asked_month(x["request_month"]),
                f"Also listed as “{escape(x['name_as_published'])}” under {escape(labels[x['category']])} "
                "(not counted)",
            )
            for x in listings[town_id]
            if x["outcome"] != "status"
        ]
        # A decision from outside the records page (marked †): adopted on its date, in force from its effective date,
        # which is marked when it is after the month shown ({later} is filled in per month).
        dated = [
            (
                e["start"],
                escape(
                    f"{catalog.policy_kind[e['kind']].label}, adopted {date_text(e['date'])}"
                    + ("" if pd.isna(e["effective_date"]) else f"; in force from {date_text(e['effective_date'])}")
                )
                + ("" if pd.isna(e["effective_date"]) else "{later}")
                + "†",
                None if pd.isna(e["effective_date"]) else known_by(str(e["effective_date"])),
            )
            for e in events[town_id]
        ]
        for r in vendor_records[town_id]:
            vendor = f"{r['vendor']} ({TITLE_ONLY})" if r["named_in"] == "title" else r["vendor"]
            title = titles[r["record_row"]]
            dated.append(
                (r["filed_month"], f"{escape(vendor)}: {escape(title)} ({documents_text(r['documents'])})", None)
            )
        out[town_id] = (head, second, dated)
    return out


def ref_town_hover(model: Model, as_of: str, lines: dict) -> tuple[str, ...]:
    towns = model.towns
    hovers = []
    for town_id, month in zip(towns.index, towns["clearview_month"]):
        head, second, dated = lines[int(town_id)]
        if model.catalog.asked_month(month) > as_of:
            text = [*head[:2], "Clearview AI: not known to have been asked yet"]
        else:
            text = head + [line for m, line in second if m <= as_of]
        text += [
            line.replace(
                "{later}", f" (after {date_text(as_of)}, the date shown)" if effective and effective > as_of else ""
            )
            for m, line, effective in dated
            if m <= as_of
        ]
        hovers.append("<br>".join(text))
    return tuple(hovers)


# --- references for the map's overlays and the records table --------------------------------------------------------


def _ref_record_line(rec: dict) -> str:
    requested = escape(date_text(rec["requested"]))
    named = f" (the vendor is {TITLE_ONLY})" if rec["named_in"] == "title" else ""
    return f"{escape(rec['record_title'])}: {documents_text(rec['documents'])}, requested {requested}{named}"


def _ref_none_returned(rows: list[dict]) -> bool:
    return all(pd.isna(r["documents"]) or r["documents"] == 0 for r in rows)


def ref_overlay_traces(model: Model, state: ViewState) -> list[dict]:
    agencies = model.agencies
    town_names = model.towns["town"]
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
    # Where each marker stands is the placement's (tested in test_marker_places.py): the reference takes it as is.
    spots = {t: figure.marker_places(model, (state.extent, figure.MAP_BOX, t, len(ws))) for t, ws in slots.items()}
    place = {(t, who): spots[t][i] for t, ws in slots.items() for i, who in enumerate(ws)}

    traces: list[dict] = [{}] * FIRST_VENDOR  # [CHOROPLETH] is a placeholder, dropped on return
    county_lons: list = []
    county_lats: list = []
    for fips in sorted(counties):
        lons, lats = model.map.county_outlines[fips]
        county_lons += lons
        county_lats += lats
    traces[COUNTIES] = figure._line(county_lons, county_lats, COUNTY_COLOR, 2.2, "county reach", dash=COUNTY_DASH)
    traces[STATE] = figure._line(*model.map.state_outline, STATE_COLOR, 2.0, "statewide reach", dash=STATE_DASH)
    traces[STATE]["visible"] = "state" in reaches
    traces[UASI] = figure._line(*model.map.uasi_outline, UASI_COLOR, 2.4, "Metro Boston UASI region", dash=UASI_DASH)
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
        lines = [f"<b>Agency offices in {escape(town_names[hq])}</b> (a place not stated on the records page)"]
        for agency_id, rows in by_agency.items():
            agency = agencies.loc[agency_id]
            label = w.REACH_LABELS[agency["reach"]].format(county=agency["county"]).lower()
            lines.append(f"{escape(agency['name'])} ({escape(label)})")
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
            "color": [HQ_COLOR if o else HQ_FILL for o in hq_open],
            "line": {"color": HQ_COLOR, "width": 1.6},
        },
        customdata=hq_ids,
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
                customdata=ids,
                hovertext=texts,
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
                name=vendor,
            )
        )
    traces += ref_policy_traces(model, state)
    lons, lats = model.map.town_outlines[state.town] if state.town in model.map.town_outlines else ([], [])
    traces.append(figure._line(lons, lats, SELECTED_COLOR, 3.5, "selected town", dash=SELECTED_DASH))
    # The names are placed from the markers (tested in test_place_names.py): the reference takes them as is.
    traces.append(figure._names(model, state, slots, spots, figure.MAP_BOX, figure.LABEL_SIZE))
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
        traces.append(
            figure._line(
                lons, lats, kind.color, 3.0 if kind.line == "solid" else 2.6, kind.label, figure._DASH[kind.line]
            )
        )
    return traces


def ref_filter_mask(model: Model, rows: pd.DataFrame, state: ViewState) -> pd.Series:
    """Per row of the table: whether the map's filters keep it."""
    listings = rows["kind"].eq("Clearview listing")
    listing_ok = pd.Series(
        [
            _visible(model, c, m, state) if is_listing else False
            for c, m, is_listing in zip(rows["_category"], rows["_month"], listings)
        ],
        index=rows.index,
    )
    # A Clearview record (a listing's own or a combined one) stays while any of its listings is shown; other
    # records follow vendor and year.
    shown_records = set(rows.loc[listing_ok, "_record_row"])
    clearview = rows["_record_row"].isin(set(model.listings["record_row"]))
    filed_ok = rows["_filed"].le(state.as_of)
    vendor_ok = rows["vendor"].eq("") | rows["vendor"].isin(state.vendors)
    record_ok = ~listings & (
        (clearview & rows["_record_row"].isin(shown_records)) | (~clearview & vendor_ok & filed_ok)
    )
    return listing_ok | record_ok


def ref_query_mask(rows: pd.DataFrame, query: str) -> pd.Series:
    """Per row: whether its text holds every word of the query (case-insensitive)."""
    words = query.strip().lower().split()
    # The row's text columns as str() writes them, joined by spaces.
    text = functools.reduce(lambda a, b: a + " " + b, (rows[c].astype(str) for c in records.TEXT_COLUMNS))
    return pd.Series([all(w in t for w in words) for t in text.str.lower()], index=rows.index, dtype=bool)


def ref_filter_rows(model: Model, rows: pd.DataFrame, state: ViewState, query: str = "") -> pd.DataFrame:
    return rows.loc[ref_filter_mask(model, rows, state) & ref_query_mask(rows, query)]


def ref_display_records(rows: pd.DataFrame) -> list[dict]:
    out = []
    for row in rows.rename(columns={"_own_page": "own_page"}).itertuples(index=False):
        out.append(
            {
                "kind": row.kind,
                "title": row.title,
                "agency": row.agency,
                "reach": row.reach,
                "vendor": f"{row.vendor} ({TITLE_ONLY})" if row.vendor_named_in == "title" else row.vendor,
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


def test_the_states_cover_every_month_and_the_facts_change(model: Model, states: list[ViewState]) -> None:
    assert {s.as_of for s in states} == set(model.catalog.months)
    default = [s for s in states if s.classes == model.catalog.class_ids and s.vendors == model.catalog.default_vendors]
    # Over the months the policies, records kept and classes change: the comparisons are not of one constant.
    assert len({repr(vf.view_facts(model, s).policy) for s in default}) > 3
    assert len({vf.view_facts(model, s).totals for s in default}) > 3
    assert len({tuple(vf.view_facts(model, s).class_counts.items()) for s in default}) > 2


def test_codes_and_counts(model: Model, states: list[ViewState]) -> None:
    catalog = model.catalog
    for state in states:
        facts = vf.view_facts(model, state)
        codes = ref_town_codes(model, state)
        np.testing.assert_array_equal(facts.codes, codes.to_numpy(), err_msg=repr(state))
        assert facts.class_counts == ref_class_counts(model, state), state
        assert facts.not_asked == int(codes.eq(catalog.not_asked_code).sum()), state
        assert facts.filtered_out == int(codes.eq(catalog.filtered_out_code).sum()), state
        assert facts.agency_counts == ref_agency_class_counts(model, state), state


def test_kept_vendor_records(model: Model, states: list[ViewState]) -> None:
    records = filters.facts(model).records
    assert [(r.vendor, r.filed) for r in records] == list(
        zip(model.vendor_records["vendor"], model.vendor_records["filed_month"])
    )
    for state in states:
        kept = vf.view_facts(model, state).kept
        expected = ref_vendor_records(model, state)
        assert list(kept) == list(model.vendor_records.index.get_indexer(expected.index)), state
        pd.testing.assert_frame_equal(model.vendor_records.iloc[list(kept)], expected)


@pytest.mark.slow  # over ~2 s: every month and filter state against a pandas reference
def test_class_figures_vendor_reach_totals_and_zero_towns(model: Model, states: list[ViewState]) -> None:
    for state in states:
        facts = vf.view_facts(model, state)
        assert facts.classes == ref_class_figures(model, state), state
        assert facts.reach == ref_vendor_reach(model, state), state
        assert facts.totals == ref_totals(model, state), state
        assert list(facts.zero_towns) == ref_zero_document_towns(model, state), state
        assert facts.shown == sum(ref_class_counts(model, state).values())


def test_the_reach_keeps_title_only_records_apart(model: Model) -> None:
    # From data/vendor_records.csv and data/agencies.csv, in the latest month with every vendor switched on.
    state = view(model.catalog, vendors=model.catalog.vendor_names)
    reach = {r.vendor: r for r in vf.view_facts(model, state).reach}
    assert reach["COPLINK"].title_only == ("Northampton",)
    assert "Northampton" not in reach["COPLINK"].towns
    assert reach["Suspect Technologies"].title_only == ("Plymouth",)
    assert reach["Suspect Technologies"].towns == () and reach["Suspect Technologies"].residents == 0
    assert reach["Suspect Technologies"].records == 1 and reach["Suspect Technologies"].documents == 1
    assert "Massachusetts Bay Transportation Authority (MBTA)" in reach["Lan-Tel"].other_agencies
    assert "Massachusetts Bay Transportation Authority (MBTA)" not in reach["Lan-Tel"].state_agencies


def test_a_title_only_record_without_documents_is_listed_as_empty(model: Model) -> None:
    # No title-only record of the data holds 0 documents: a copy of the model where Plymouth's does.
    vendor_records = model.vendor_records.copy()
    vendor_records.loc[vendor_records["vendor"].eq("Suspect Technologies"), "documents"] = 0
    changed = dataclasses.replace(model, vendor_records=vendor_records)
    every_vendor = model.catalog.vendor_names
    for month in model.catalog.months:
        state = view(model.catalog, as_of=month, vendors=every_vendor)
        assert vf.view_facts(changed, state).reach == ref_vendor_reach(changed, state), month
    reach = {r.vendor: r for r in vf.view_facts(changed, view(model.catalog, vendors=every_vendor)).reach}
    assert reach["Suspect Technologies"].empty == frozenset({"Plymouth"})


def test_policy(model: Model, states: list[ViewState]) -> None:
    for state in states:
        assert vf.view_facts(model, state).policy == ref_policy(model, state), state
    # By January 2020 four towns had adopted a ban (events.csv), and no Clearview AI request had gone out yet (the
    # first wave is February 2020): none of their classes was known then.
    january = vf.view_facts(model, view(model.catalog, as_of="2020-01")).policy
    assert january.municipalities == 4 and january.unknown_class == 4 and january.by_class == {}


@pytest.mark.slow  # over ~2 s: every month and filter state against a pandas reference
def test_town_hover_says_only_what_was_known_by_the_month(model: Model) -> None:
    lines = _town_lines(model)
    for month in model.catalog.months:
        assert figure.town_hover(model, month) == ref_town_hover(model, month, lines), month
    boston = list(model.towns.index).index(35)
    before = figure.town_hover(model, "2019-12")[boston]
    assert "2020" not in before and "not known to have been asked yet" in before


def test_a_changed_model_gets_its_own_facts(model: Model) -> None:
    towns = model.towns.copy()
    towns["population_2010"] = towns["population_2010"] * 2
    doubled = dataclasses.replace(model, towns=towns)
    assert vf.state_population(doubled) == 2 * vf.state_population(model)
    assert filters.facts(doubled) is not filters.facts(model)
    assert filters.facts(model) is filters.facts(model)
    state = view(model.catalog)
    assert vf.view_facts(doubled, state) is not vf.view_facts(model, state)
    assert vf.view_facts(doubled, state).policy.residents == 2 * vf.view_facts(model, state).policy.residents


def test_view_facts_are_kept_per_equal_state(model: Model) -> None:
    first = view(model.catalog, as_of="2020-03", vendors=("Briefcam",))
    again = view(model.catalog, as_of="2020-03", vendors=("Briefcam",))
    assert again == first and again is not first
    assert vf.view_facts(model, again) is vf.view_facts(model, first)
    other = dataclasses.replace(first, as_of="2020-04")
    assert vf.view_facts(model, other) is not vf.view_facts(model, first)
    assert vf.view_facts(model, other).state == other
    fresh = dataclasses.replace(model)
    assert vf.view_facts(fresh, first) is not vf.view_facts(model, first)
    again_facts, facts = vf.view_facts(fresh, first), vf.view_facts(model, first)
    np.testing.assert_array_equal(again_facts.codes, facts.codes)
    assert dataclasses.replace(again_facts, codes=facts.codes) == facts


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


@pytest.mark.slow  # over ~2 s: every month and filter state against a pandas reference
def test_overlay_traces(model: Model, states: list[ViewState]) -> None:
    for state in [*states, *_map_states(model, states)]:
        assert figure.overlay_traces(model, state) == ref_overlay_traces(model, state), state


def test_records_table_columns(model: Model, config: Config) -> None:
    rows = records.all_rows(model)
    index, listings = model.records, model.listings
    record_rows, listing_rows = rows.iloc[: len(index)], rows.iloc[len(index) :]
    assert (record_rows["kind"] == "Record").all() and (listing_rows["kind"] == "Clearview listing").all()
    findings = pd.read_csv(config.data_dir / "record_findings.csv").set_index("record_title")["finding"]
    assert list(record_rows["vendor_named_in"]) == [n if isinstance(n, str) else "" for n in index["named_in"]]
    assert list(record_rows["finding"]) == [findings.get(t, "") for t in index["title"]]
    assert list(listing_rows["vendor_named_in"]) == ["vendor_table"] * len(listings)
    assert list(listing_rows["finding"]) == [""] * len(listings)
    for column, source in (("_town_id", "town_id"), ("_agency_id", "agency_id")):
        for part, table in ((record_rows, index), (listing_rows, listings)):
            assert [None if pd.isna(v) else v for v in part[column]] == [
                None if pd.isna(v) else v for v in table[source]
            ]
    combined = record_rows.loc[record_rows["title"].isin(COMBINED_CLEARVIEW)]
    assert len(combined) == 2 and (combined["vendor"] == "Clearview AI").all()
    shown = records.display_records(record_rows)
    assert {r["vendor"] for r in shown if r["title"] == "Facial Recognition & COPLINK at the Northampton PD"} == {
        "COPLINK (named only in the record's title)"
    }


@pytest.mark.slow  # over ~2 s: every month and filter state against a pandas reference
def test_records_table_rows_and_display(model: Model, states: list[ViewState]) -> None:
    rows = records.all_rows(model)
    words = sorted({w for t in rows["title"] for w in str(t).lower().split()})
    rng = random.Random(14)
    queries = ["  ", "briefcam boston", "BRIEFCAM", "no such words", "2019", "Clearview listing", "coplink"]
    queries += [" ".join(rng.sample(words, 2)) for _ in range(10)] + [rng.choice(words).upper() for _ in range(10)]
    matches = {query: ref_query_mask(rows, query) for query in queries}
    assert 0 < int(matches["coplink"].sum()) < len(rows) and not matches["no such words"].any()
    for i, state in enumerate(states):
        shown = ref_filter_mask(model, rows, state)
        kept = records.filter_rows(model, rows, state)
        pd.testing.assert_frame_equal(kept, rows.loc[shown])
        assert records.display_records(kept) == ref_display_records(kept), state
        # Each query over a fifth of the states: the rows kept are the same rows, in the same order.
        for query in queries[i % 5 :: 5]:
            kept = records.filter_rows(model, rows, state, query)
            assert list(kept.index) == list(rows.index[shown & matches[query]]), (state, query)
    # Any frame of the table's rows, not only the model's whole table (a download filters a copy).
    part = rows.sample(frac=0.5, random_state=15)
    for state in states[:10]:
        for query in ("", "briefcam"):
            expected = ref_filter_rows(model, part, state, query)
            pd.testing.assert_frame_equal(records.filter_rows(model, part, state, query), expected)
