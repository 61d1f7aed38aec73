"""HTML built from the model and the view state: legend, keys, headline cards, reach table, town panel."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from dash import html

from dashboard.data.catalog import Vendor
from dashboard.data.model import Model
from dashboard.data.policy import NO_POLICY, policy_now
from dashboard.data.schema import FACE_SURVEILLANCE_KINDS
from dashboard.state.filters import (
    ViewState,
    agency_class_counts,
    class_counts,
    facts,
    kept_records,
    listing_shown,
    not_asked_count,
    per_model,
    town_listing,
)
from dashboard.views.figure import (
    COUNTIES,
    FIRST_VENDOR,
    HQ,
    STATE,
    UASI,
    ZERO,
    outlined_policy_kinds,
    selected_position,
)
from dashboard.views.headline import ClassFigure, class_figures, state_population, vendor_reach
from dashboard.views.markup import attrs
from dashboard.views.records import years_text
from dashboard.views.styles import (
    FILTERED_OUT,
    FILTERED_OUT_COLOR,
    HQ_COLOR,
    NOT_ASKED,
    NOT_ASKED_COLOR,
    SELECTED_COLOR,
    UASI_COLOR,
)
from dashboard.views.words import date_text, documents_text, join_names, plural

#: Marks a fact that the records page does not state (an agency's offices), explained beside it.
OUTSIDE_MARK = "†"
OUTSIDE_NOTE = f"{OUTSIDE_MARK} Not stated on the records page: a public fact added by this map."


def source_line(model: Model) -> str:
    """The credit line: the records project with its publication date, and the boundaries."""
    published = date_text(model.published["published"])
    return f"Source: ACLU of Massachusetts public records (published {published}); MassGIS municipal boundaries."


def vendor_glyph(vendor: Vendor) -> html.Span:
    """The vendor's marker as a text glyph in its color (a pale one gets a dark edge)."""
    return html.Span(
        vendor.glyph, className="glyph outlined" if vendor.outlined else "glyph", style={"color": vendor.color}
    )


def _swatch(color: str) -> html.Span:
    return html.Span(className="swatch", style={"backgroundColor": color})


def _line_key(color: str, style: str) -> html.Span:
    return html.Span(className="line-key", style={"borderTopColor": color, "borderTopStyle": style})


def zero_glyph() -> html.Span:
    """The map's mark for a listing whose own record holds 0 documents."""
    return html.Span("0", className="glyph zero", **attrs(aria_hidden="true"))


def _legend_row(color: str, label: str, count: int, title: str | None = None, off: bool = False) -> html.Li:
    return html.Li(
        [_swatch(color), html.Span(label, className="label"), html.Span(f"{count}", className="count")],
        className="legend-item" + (" off" if off else ""),
        title=title,
    )


def legend(model: Model, state: ViewState) -> list:
    """The class legend with the count of municipalities shown in each class."""
    counts = class_counts(model, state)
    not_asked = not_asked_count(model, state)
    hidden = len(model.towns) - sum(counts.values()) - not_asked
    items = [
        _legend_row(c.color, c.label, counts[c.id], title=c.description, off=c.id not in state.classes)
        for c in model.catalog.classes
    ]
    if not_asked:
        title = f"As of {date_text(state.as_of)}, the Clearview request was not yet filed"
        items.append(_legend_row(NOT_ASKED_COLOR, NOT_ASKED, not_asked, title=title))
    if hidden:
        items.append(_legend_row(FILTERED_OUT_COLOR, FILTERED_OUT, hidden))
    agencies = agency_class_counts(model, state)
    agency_text = ", ".join(f"{n} {model.catalog.labels[s].lower()}" for s, n in agencies.items() if n)
    children: list = [
        html.H2("Clearview AI: what police departments' records showed", className="legend-title"),
        html.P(f"Municipalities in each class (requests of {model.catalog.clearview_year})", className="legend-sub"),
        html.Ul(items, className="legend-list"),
    ]
    if agency_text:
        children.append(
            html.P(f"Plus agencies that are not a town's police (not colored): {agency_text}.", className="legend-note")
        )
    return children


def _drawn(trace: dict) -> bool:
    return trace.get("visible", True) is not False and any(x is not None for x in trace.get("lon", []))


def overlay_keys(model: Model, state: ViewState, traces: list[dict]) -> list:
    """A key to every line and symbol the map draws now (`traces`: the figure's overlay traces)."""

    def drawn(position: int) -> bool:
        return _drawn(traces[position - 1])

    keys: list = [html.Li([vendor_glyph(model.catalog.vendor[v]), v]) for v in state.vendors]
    if drawn(HQ):
        keys.append(
            html.Li([html.Span("★", className="glyph hq"), f"Offices of a state or county agency{OUTSIDE_MARK}"])
        )
    if drawn(ZERO):
        keys.append(html.Li([zero_glyph(), "Listed, but its Clearview record holds 0 documents"]))
    if drawn(STATE):
        keys.append(html.Li([_line_key(HQ_COLOR, "dashed"), "Statewide reach: a state agency's records"]))
    if drawn(COUNTIES):
        keys.append(html.Li([_line_key(HQ_COLOR, "dotted"), "County reach: a sheriff's records"]))
    if drawn(UASI):
        keys.append(html.Li([_line_key(UASI_COLOR, "dashed"), "Metro Boston UASI region"]))
    first_policy = FIRST_VENDOR + len(model.catalog.vendors)
    for i, kind in enumerate(outlined_policy_kinds(model)):
        if drawn(first_policy + i):
            style = {"solid": "solid", "dash": "dashed", "dot": "dotted"}[kind.line]
            keys.append(html.Li([_line_key(kind.color, style), f"{kind.label}{OUTSIDE_MARK}"]))
    if drawn(selected_position(model)):
        keys.append(html.Li([_line_key(SELECTED_COLOR, "solid"), "Selected town"]))
    if not keys:
        return []
    children: list = [html.H2("On the map", className="legend-title"), html.Ul(keys, className="legend-keys")]
    notes = []
    if state.vendors:
        notes.append("A hollow marker or star: the request returned 0 documents.")
    if drawn(STATE) or drawn(COUNTIES):
        notes.append("Reach is drawn only for records that hold documents.")
    if state.policy:
        notes += [f"{law}{OUTSIDE_MARK}" for law in state_law_sentences(model, state.as_of)]
    if drawn(HQ) or state.policy:
        notes.append(OUTSIDE_NOTE)
    if notes:
        children.append(html.P(" ".join(notes), className="legend-note"))
    return children


@per_model
def _events_by_town(model: Model) -> dict[int, tuple]:
    """Each town's own policy events (rows of model.events, in its order), grouped once."""
    grouped: dict[int, list] = {}
    for event in model.events.itertuples():
        if not pd.isna(event.town_id):
            grouped.setdefault(int(event.town_id), []).append(event)
    return {town_id: tuple(events) for town_id, events in grouped.items()}


def policy_items(model: Model, town_id: int, as_of: str | None = None) -> list:
    """The town's own policy events, with dates and cited sources, marked as from outside the records page.

    Events after `as_of` are listed too, marked as later than the chosen date: a town panel tells the whole story.
    """
    events = _events_by_town(model).get(town_id, ())
    if not events:
        return []
    items = []
    for event in events:
        effective = (
            f"; in force from {date_text(event.effective_date)}" if isinstance(event.effective_date, str) else ""
        )
        later = as_of is not None and event.start > as_of
        items.append(
            html.Li(
                [
                    html.B(f"{model.catalog.policy_kind[event.kind].label}, {date_text(event.date)}{effective}. "),
                    *([html.Em(f"(After {date_text(as_of)}, the date chosen.) ")] if later else []),
                    f"{event.title}. ",
                    html.Q(event.source_quote),
                    " ",
                    html.A("Source", href=event.source_url, target="_blank", rel="noopener noreferrer"),
                ]
            )
        )
    return [
        html.H3(f"Policy decisions{OUTSIDE_MARK} ({len(events)})"),
        html.Ul(items, className="records policy"),
        html.P(OUTSIDE_NOTE, className="legend-note"),
    ]


@per_model
def _state_laws(model: Model) -> tuple[tuple[str, str], ...]:
    """Each state-wide policy event's month and sentence, in date order (made once: the overlay keys show them)."""
    laws = model.events.loc[model.events["scope"].eq("state")]
    sentences = []
    for law in laws.itertuples():
        effective = f", in force from {date_text(law.effective_date)}" if isinstance(law.effective_date, str) else ""
        sentences.append(
            (
                str(law.start),
                f"In every town: {law.title}, signed {date_text(law.date)}{effective} "
                f"({model.catalog.policy_kind[law.kind].label.lower()}).",
            )
        )
    return tuple(sentences)


def state_law_sentences(model: Model, as_of: str | None = None) -> list[str]:
    """Each state-wide policy event (signed by `as_of`, if given) in one sentence: the map draws nothing for it."""
    return [sentence for start, sentence in _state_laws(model) if as_of is None or start <= as_of]


def asked_words(model: Model, month: object) -> str:
    """When a listing's request was filed, in words: its month, or the waves where the page gives none."""
    if isinstance(month, str):
        return f"its request was filed in {date_text(month)}"
    waves = join_names([w.label for w in model.catalog.waves])
    last = model.catalog.wave_labels[model.catalog.last_wave]
    return f"the requests were filed in {waves}, and this list gives no month: it counts from {last}"


@dataclass(frozen=True)
class _PolicyFacts:
    """What the policy line reads, per town in the model's order: copied once per model."""

    first_face: tuple[tuple[int, str], ...]  # (position, month) of each town's first face-surveillance policy
    ever: np.ndarray  # bool: has one as of the latest vote (policy_now)
    statuses: tuple[str, ...]  # Clearview class


@per_model
def _policy_facts(model: Model) -> _PolicyFacts:
    # policy_as_of's rule: a town has a face-surveillance policy as of a month when a ban or moratorium of its own is
    # dated in or before that month; nothing ends one. So "as of M" is "its first such event is dated by M", and
    # the line need not rebuild policy_as_of's whole table on every frame of ▶ Play (tests/test_speed_equivalence.py
    # checks this against policy_as_of for every month).
    events = model.events
    face = events.loc[events["town_id"].notna() & events["kind"].isin(list(FACE_SURVEILLANCE_KINDS))]
    first = face.groupby("town_id")["start"].min()
    position = {int(t): i for i, t in enumerate(model.towns.index)}
    return _PolicyFacts(
        first_face=tuple((position[int(t)], str(m)) for t, m in first.items()),
        ever=policy_now(model)["face_surveillance_policy"].ne(NO_POLICY).to_numpy(dtype=bool),
        statuses=tuple(model.towns["clearview_status"]),
    )


def policy_line(model: Model, state: ViewState) -> str:
    """Residents under a face-surveillance ban or moratorium as of the chosen month, and the Clearview classes'.

    A class's municipalities are counted as having one then, or passing one later (to the latest vote), so that a
    date before the bans still says where they came.
    """
    policy = _policy_facts(model)
    then = np.zeros(len(policy.statuses), dtype=bool)
    then[[i for i, month in policy.first_face if month <= state.as_of]] = True
    population = facts(model).population
    residents = int(population[then].sum())
    share = residents / int(population.sum())
    had = Counter(policy.statuses[i] for i in np.flatnonzero(then))
    later = Counter(policy.statuses[i] for i in np.flatnonzero(policy.ever & ~then))
    labels = model.catalog.labels

    def by_class(counts: Counter[str]) -> str:
        return ", ".join(f"{labels[c].lower()} {counts[c]}" for c in model.catalog.class_ids if counts.get(c, 0))

    text = (
        f"Under a face-surveillance ban or moratorium{OUTSIDE_MARK} as of {date_text(state.as_of)}: "
        f"{plural(int(then.sum()), 'municipality', 'municipalities')}, {residents:,} residents ({share:.1%})"
    )
    text += f"; by Clearview class: {by_class(had)}." if had.total() else "."
    if later.total():
        text += f" Passed one later: {by_class(later)}."
    return text


def totals(model: Model, state: ViewState) -> str:
    """One sentence of what the map shows under the filters."""
    counts = class_counts(model, state)
    shown = sum(counts.values())
    records = kept_records(model, state)
    towns = len({r.town_id for r in records if r.town_id is not None})
    agencies = len({r.agency_id for r in records if r.agency_id is not None})
    docs = sum(r.documents or 0 for r in records)
    return (
        f"Showing {shown} of {len(model.towns)} municipalities colored by Clearview class; "
        f"{plural(len(records), 'vendor record')} ({documents_text(docs)}) at "
        f"{plural(towns, 'municipality', 'municipalities')} and {plural(agencies, 'other agency', 'other agencies')}."
    )


def _records_line(figure: ClassFigure, not_listed: str) -> list:
    """What the class's records hold, under its residents."""
    if figure.documented_residents is not None:
        line: list = [f"{figure.documented_residents:,} where the record has documents"]
        if figure.zero_document:
            line += [html.Br(), zero_glyph(), f"{figure.zero_document} listed with 0 documents"]
        return line
    if figure.shared_documents is not None:
        return [f"One shared record: {documents_text(figure.shared_documents)}"]
    if figure.status == not_listed:
        return ["No record published"]
    return []


def headline_cards(model: Model, state: ViewState) -> list:
    """Cards above the map: municipalities, agencies and residents in each class, and what the records hold."""
    cards: list[html.Div | html.P] = []
    catalog = model.catalog
    for figure in class_figures(model, state):
        agencies = f" + {plural(figure.agencies, 'agency', 'agencies')}" if figure.agencies else ""
        unit = "municipality" if figure.municipalities == 1 else "municipalities"
        cards.append(
            html.Div(
                [
                    html.Div(
                        [_swatch(catalog.colors[figure.status]), catalog.labels[figure.status]], className="card-label"
                    ),
                    html.Div(
                        [html.Span(f"{figure.municipalities}", className="card-number"), f" {unit}{agencies}"],
                        className="card-line",
                    ),
                    html.Div(f"{figure.residents:,} residents ({figure.share:.1%})", className="card-unit"),
                    html.Div(_records_line(figure, catalog.not_listed), className="card-unit card-records"),
                ],
                className="card" + ("" if figure.status in state.classes else " off"),
                title=f"{catalog.descriptions[figure.status]}. Residents: 2010 census, share of the state's "
                f"{state_population(model):,}.",
            )
        )
    not_asked = not_asked_count(model, state)
    if not_asked:
        waves = join_names([w.label for w in catalog.waves])
        if not_asked == len(model.towns):
            cards = []  # before the first request every class is empty: the note says why
        cards.append(
            html.P(
                [
                    _swatch(NOT_ASKED_COLOR),
                    f"As of {date_text(state.as_of)}, {plural(not_asked, 'municipality', 'municipalities')} "
                    f"not yet asked: the Clearview AI requests were filed in {waves}.",
                ],
                className="headline-note",
            )
        )
    return cards


def _places(names: tuple[str, ...], empty: frozenset[str]) -> str:
    return "; ".join(f"{n} (0 documents)" if n in empty else n for n in names) or "—"


def reach(model: Model, state: ViewState) -> list:
    """Per vendor: its records, where they are, and the residents of those towns and counties."""
    headers = [
        "Vendor",
        "Records",
        "Municipalities and counties",
        "Their residents (2010)",
        f"Statewide reach (all {state_population(model):,} residents) through",
    ]
    rows = []
    for item in vendor_reach(model, state):
        places = list(item.towns) + list(item.counties)
        agencies = _places(item.state_agencies, item.empty)
        if item.other_agencies:
            others = _places(item.other_agencies, item.empty)
            agencies = others + " (no area given)" if agencies == "—" else f"{agencies}; {others} (no area given)"
        cells = [
            f"{item.records} ({documents_text(item.documents)})",
            _places(tuple(places), item.empty),
            f"{item.residents:,}" if places else "—",
            agencies,
        ]
        rows.append(
            html.Tr(
                [
                    html.Th([vendor_glyph(model.catalog.vendor[item.vendor]), item.vendor], scope="row"),
                    *(
                        html.Td(text, className="num" if i == 2 else None, **attrs(data_label=headers[i + 1]))
                        for i, text in enumerate(cells)
                    ),
                ]
            )
        )
    if not rows:
        return []
    return [
        html.H2("Where each vendor's records reach", className="legend-title"),
        html.Table(
            [
                html.Thead(html.Tr([html.Th(h, className="num" if i == 3 else None) for i, h in enumerate(headers)])),
                html.Tbody(rows),
            ],
            className="reach-table",
        ),
        html.P(
            "Residents are those of the municipalities whose own agencies, and of the counties whose sheriffs, have "
            "records that hold documents; a place or agency marked “0 documents” counts for none. A state agency's "
            "records reach the whole state: they are listed apart, not folded into the town of its offices "
            "(★ on the map).",
            className="legend-note",
        ),
    ]


def _link(title: str, row: pd.Series) -> html.Span:
    """The record's own page where a verified address exists, otherwise its section page (said so)."""
    if isinstance(row["record_url"], str):
        return html.Span(html.A(title, href=row["record_url"], target="_blank", rel="noopener noreferrer"))
    return html.Span(
        [
            html.A(title, href=row["section_url"], target="_blank", rel="noopener noreferrer"),
            html.Span(f" (on the {row['section']} page)", className="record-meta inline"),
        ]
    )


@per_model
def _shared_by(model: Model) -> pd.Series:
    """Per record row: how many listed departments share it."""
    return model.listings.groupby("record_row")["entity"].nunique()


def _listing_items(model: Model, listings: pd.DataFrame) -> list:
    """One paragraph per Clearview listing: how it was listed, whether it counts, its record and documents."""
    index = model.records_by_row
    shared_by = _shared_by(model)
    children: list = []
    labels = model.catalog.labels
    for row in listings.itertuples():
        record = index.loc[row.record_row]
        month = f", request of {date_text(row.request_month)}" if isinstance(row.request_month, str) else ""
        if pd.isna(row.documents):
            shared = shared_by[row.record_row]
            docs = f"one record shared by {shared} listed departments: {documents_text(record['documents'])}"
        else:
            docs = documents_text(row.documents)
        role = "counted" if row.outcome == "status" else f"a second listing, not counted ({labels[row.winner]} wins)"
        children.append(
            html.P(
                [
                    f"Listed as “{row.name_as_published}” under {labels[row.category]}{month}: {role}. ",
                    _link(row.record_title, record),
                    f" ({docs})",
                ],
                className="listing" + (" conflict" if row.outcome == "conflict" else ""),
            )
        )
        if row.outcome == "status" and not pd.isna(row.documents) and row.documents == 0:
            children.append(
                html.P(
                    [
                        zero_glyph(),
                        " This record holds 0 documents: the records page lists the department under "
                        f"{labels[row.category]}, but publishes no document that shows it.",
                    ],
                    className="zero-note",
                )
            )
    return children


def _record_items(model: Model, records: pd.DataFrame) -> html.Ul:
    index = model.records_by_row
    items = []
    for rec in records.itertuples():
        vendor = f"{rec.vendor} · " if isinstance(rec.vendor, str) else ""
        items.append(
            html.Li(
                [
                    _link(rec.title, index.loc[rec.row]),
                    html.Span(
                        f"{vendor}{rec.submitted_to} · filed {years_text(rec.year_start, rec.year_end)} · "
                        f"{documents_text(rec.documents)}",
                        className="record-meta",
                    ),
                ]
            )
        )
    return html.Ul(items, className="records")


def _caveat() -> html.P:
    return html.P(
        "A record shows that a request about a vendor was filed with an agency and how many "
        "documents came back: evidence that a relationship was asked about, not proof of a "
        "contract or of use.",
        className="legend-note",
    )


def _offices(model: Model, agency: pd.Series) -> str:
    if pd.isna(agency["hq_town_id"]):
        return ""
    mark = OUTSIDE_MARK if agency["hq_town_provenance"] == "outside_records_page" else ""
    return f"offices in {model.towns.loc[int(agency['hq_town_id']), 'town']}{mark}"


# A panel is a pure function of the read-only model and a few choices, and costs 15–45 ms of pandas to build: what
# does not depend on the view is built once per town or agency (on first use) and shared. Dash only reads components.
@per_model
def _panels(model: Model) -> dict[tuple[str, object], tuple[list, ...]]:
    return {}


def _panel_parts(model: Model, kind: str, key: object, build: Callable[[], tuple[list, ...]]) -> tuple[list, ...]:
    cache = _panels(model)
    parts = cache.get((kind, key))
    if parts is None:
        parts = cache[(kind, key)] = build()  # two threads may both build it: the same parts
    return parts


def agency_panel(model: Model, agency_id: str) -> list:
    """Every record about a non-municipal agency, its Clearview listings and where it reaches."""
    (children,) = _panel_parts(model, "agency", agency_id, lambda: (_build_agency_panel(model, agency_id),))
    return list(children)


def _build_agency_panel(model: Model, agency_id: str) -> list:
    agency = model.agencies.loc[agency_id]
    scope = {
        "state": "a state agency: its records reach the whole state",
        "county": f"a county agency: its records reach {agency['county']} County",
        "campus": "a college police force: its records reach its campus",
        "agency": "its records concern its own service area, which the records page does not give",
        "none": "a combined record over several agencies",
    }[agency["reach"]]
    offices = _offices(model, agency)
    children: list = [
        html.H2(agency["name"], className="panel-title"),
        html.P(scope[0].upper() + scope[1:] + (f" · {offices}" if offices else ""), className="panel-sub"),
        html.H3(model.catalog.clearview),
    ]
    listings = model.listings.loc[model.listings["agency_id"].eq(agency_id)]
    if listings.empty:
        children.append(html.P("Named in no Clearview list."))
    children += _listing_items(model, listings)
    own = model.records.loc[
        model.records["agency_id"].eq(agency_id) & ~model.records["row"].isin(listings["record_row"])
    ]
    children.append(html.H3(f"Other records about this agency ({len(own)})"))
    children.append(_record_items(model, own) if len(own) else html.P("None in the records index."))
    if OUTSIDE_MARK in offices:
        children.append(html.P(OUTSIDE_NOTE, className="legend-note"))
    children.append(_caveat())
    return children


def _town_parts(model: Model, town_id: int) -> tuple[list, list, list]:
    """A town's panel without its view-dependent lines: the head, the listings and records, the reaching agencies."""
    town = model.towns.loc[town_id]
    records = model.records
    head: list = [
        html.H2(town["town"], className="panel-title"),
        html.P(
            f"{town['county']} County · population {town['population_2010']:,} (2010)"
            + (" · Metro Boston UASI region" if town["uasi_region"] else ""),
            className="panel-sub",
        ),
        html.H3(model.catalog.clearview),
    ]
    listings = model.listings.loc[model.listings["town_id"].eq(town_id)]
    body = _listing_items(model, listings)
    own = records.loc[records["town_id"].eq(town_id) & ~records["row"].isin(listings["record_row"])]
    body.append(html.H3(f"Other records about {town['town']}'s agencies ({len(own)})"))
    body.append(_record_items(model, own) if len(own) else html.P("None in the records index."))
    tail: list = []
    agencies = model.agencies
    reaching = agencies.loc[
        ((agencies["reach"] == "state") | (agencies["county_fips"] == town["county_fips"]))
        & (agencies["vendors"].map(len) > 0)
    ]
    if not reaching.empty:
        documented = model.vendor_records.groupby("agency_id")["documents"].apply(
            lambda d: bool(d.fillna(0).gt(0).any())
        )
        items = [
            html.Li(
                f"{a['name']}: {', '.join(a['vendors'])}"
                + ("" if documented.get(agency_id, False) else " (0 documents)")
            )
            for agency_id, a in reaching.iterrows()
        ]
        tail.append(
            html.Details(
                [
                    html.Summary(
                        f"Also reaching {town['town']}: "
                        f"{plural(len(reaching), 'state or county agency', 'state or county agencies')} with records"
                    ),
                    html.Ul(items),
                ]
            )
        )
    tail.append(_caveat())
    return head, body, tail


def town_panel(model: Model, town_id: int | None, state: ViewState) -> list:
    """Every record that concerns a town (or the chosen agency), its Clearview listing and any second listing."""
    if state.agency is not None and state.agency in model.agencies.index:
        return agency_panel(model, state.agency)
    if town_id is None or town_id not in model.towns.index:
        return [
            html.P(
                "Click a town on the map, or find a town or agency by name above, to see its records.",
                className="panel-empty",
            )
        ]
    head, body, tail = _panel_parts(model, "town", town_id, lambda: _town_parts(model, town_id))
    town = town_listing(model, town_id)
    status, month = town.status, town.month
    children: list = list(head)
    text = f"{model.catalog.labels[status]}. {model.catalog.descriptions[status]}."
    if town.asked > state.as_of:
        outside = [f" (Not yet asked as of {date_text(state.as_of)}: {asked_words(model, month)}.)"]
    else:
        outside = [] if listing_shown(town, state) else [" (Outside the filters.)"]
    children.append(html.P([_swatch(model.catalog.colors[status]), text, *outside]))
    children += body
    children += policy_items(model, town_id, state.as_of)
    children += tail
    return children
