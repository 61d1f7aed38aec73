"""HTML built from the model and the view state: legend, totals, statewide box, town panel."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.filters import ViewState, agency_class_counts, class_counts, listing_visible, vendor_records
from dashboard.headline import class_figures, state_population, vendor_reach
from dashboard.model import Model
from dashboard.records_table import years_text
from dashboard.schema import CLEARVIEW_STATUSES
from dashboard.styles import (
    CLASS_COLORS,
    CLASS_HELP,
    CLASS_LABELS,
    FILTERED_OUT,
    FILTERED_OUT_COLOR,
    UASI_COLOR,
    VENDOR_STYLE,
    documents_text,
)

SOURCE_LINE = "Source: ACLU of Massachusetts public records (published 2/26/21); MassGIS municipal boundaries."


def vendor_glyph(vendor: str) -> html.Span:
    """The vendor's marker as a text glyph in its colour (a white glyph gets a dark edge)."""
    color, _, _, glyph = VENDOR_STYLE[vendor]
    return html.Span(glyph, className="glyph hq" if color == "#ffffff" else "glyph", style={"color": color})


def _swatch(color: str) -> html.Span:
    return html.Span(className="swatch", style={"backgroundColor": color})


def legend(model: Model, state: ViewState) -> list:
    """The class legend with the count of municipalities shown in each class."""
    counts = class_counts(model, state)
    hidden = len(model.towns) - sum(counts.values())
    items = [
        html.Li(
            [
                _swatch(CLASS_COLORS[s]),
                html.Span(CLASS_LABELS[s], className="label"),
                html.Span(f"{counts[s]}", className="count"),
            ],
            className="legend-item" + ("" if s in state.classes else " off"),
            title=CLASS_HELP[s],
        )
        for s in CLEARVIEW_STATUSES
    ]
    if hidden:
        items.append(
            html.Li(
                [
                    _swatch(FILTERED_OUT_COLOR),
                    html.Span(FILTERED_OUT, className="label"),
                    html.Span(f"{hidden}", className="count"),
                ],
                className="legend-item",
            )
        )
    agencies = agency_class_counts(model, state)
    agency_text = ", ".join(f"{n} {CLASS_LABELS[s].lower()}" for s, n in agencies.items() if n)
    children: list = [
        html.H2("Clearview AI: police departments' answers", className="legend-title"),
        html.P("Municipalities per class (2020 requests)", className="legend-sub"),
        html.Ul(items, className="legend-list"),
    ]
    if agency_text:
        children.append(html.P(f"Plus non-municipal agencies (not coloured): {agency_text}.", className="legend-note"))
    return children


def overlay_keys(model: Model, state: ViewState) -> list:
    """The key to the vendor markers, headquarters stars and region outline shown now."""
    keys = [html.Li([vendor_glyph(v), v]) for v in state.vendors]
    children: list = []
    if keys:
        keys.append(html.Li([html.Span("★", className="glyph hq"), "State or county agency HQ"]))
        children += [
            html.H2("Vendor records", className="legend-title"),
            html.Ul(keys, className="legend-keys"),
            html.P("Hollow marker: the request returned 0 documents.", className="legend-note"),
        ]
    if state.uasi:
        children.append(
            html.P(
                [html.Span(className="line-key", style={"borderColor": UASI_COLOR}), "Metro Boston UASI region"],
                className="legend-note",
            )
        )
    return children


def totals(model: Model, state: ViewState) -> str:
    """One sentence of what the map shows under the filters."""
    counts = class_counts(model, state)
    shown = sum(counts.values())
    records = vendor_records(model, state)
    towns = records["town_id"].dropna().nunique()
    agencies = records["agency_id"].dropna().nunique()
    docs = int(records["documents"].fillna(0).sum())
    return (
        f"Showing {shown} of {len(model.towns)} municipalities coloured by Clearview class; "
        f"{len(records)} vendor records ({docs:,} documents) at {towns} municipalities and "
        f"{agencies} non-municipal agencies."
    )


def headline_cards(model: Model, state: ViewState) -> list:
    """Cards above the map: departments and residents in each class, as filtered."""
    cards = []
    for figure in class_figures(model, state):
        agencies = f" + {figure.agencies} agenc{'y' if figure.agencies == 1 else 'ies'}" if figure.agencies else ""
        cards.append(
            html.Div(
                [
                    html.Div(
                        [_swatch(CLASS_COLORS[figure.status]), CLASS_LABELS[figure.status]], className="card-label"
                    ),
                    html.Div(
                        [html.Span(f"{figure.municipalities}", className="card-number"), f" police depts{agencies}"],
                        className="card-line",
                    ),
                    html.Div(f"{figure.residents:,} residents ({figure.share:.1%})", className="card-unit"),
                ],
                className="card" + ("" if figure.status in state.classes else " off"),
                title=f"{CLASS_HELP[figure.status]}. Residents: 2010 census, share of the state's "
                f"{state_population(model):,}.",
            )
        )
    return cards


def reach(model: Model, state: ViewState) -> list:
    """Per vendor: its records, where they are, and the residents of those towns and counties."""
    rows = []
    for item in vendor_reach(model, state):
        places = list(item.towns) + [f"{c} County" for c in item.counties]
        rows.append(
            html.Tr(
                [
                    html.Th([vendor_glyph(item.vendor), item.vendor], scope="row"),
                    html.Td(f"{item.records} ({documents_text(item.documents)})"),
                    html.Td(", ".join(places) or "—"),
                    html.Td(f"{item.residents:,}" if places else "—", className="num"),
                    html.Td("; ".join(item.state_agencies) or "—"),
                ]
            )
        )
    if not rows:
        return []
    return [
        html.H2("Where each vendor's records reach", className="legend-title"),
        html.Table(
            [
                html.Thead(
                    html.Tr(
                        [
                            html.Th("Vendor"),
                            html.Th("Records"),
                            html.Th("Municipalities and counties"),
                            html.Th("Their residents (2010)", className="num"),
                            html.Th(f"Statewide reach (all {state_population(model):,} residents) through"),
                        ]
                    )
                ),
                html.Tbody(rows),
            ],
            className="reach-table",
        ),
        html.P(
            "Residents are those of the municipalities whose own agencies, and of the counties whose sheriffs, have "
            "records. A state agency's records reach the whole state: they are listed apart, not folded into the "
            "town of its headquarters (marked ★ on the map).",
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


def town_panel(model: Model, town_id: int | None, state: ViewState) -> list:
    """Every record that concerns a town, its Clearview listing and any conflicting listings."""
    if town_id is None or town_id not in model.towns.index:
        return [
            html.P("Click a town on the map, or find one by name above, to see its records.", className="panel-empty")
        ]
    town = model.towns.loc[town_id]
    status = town["clearview_status"]
    records = model.records
    index = records.set_index("row")
    children: list = [
        html.H2(town["town"], className="panel-title"),
        html.P(
            f"{town['county']} County · population {town['population_2010']:,} (2010)"
            + (" · Metro Boston UASI region" if town["uasi_region"] else ""),
            className="panel-sub",
        ),
        html.H3("Clearview AI"),
    ]
    shown = listing_visible(status, town["clearview_month"], state)
    text = f"{CLASS_LABELS[status]}: {CLASS_HELP[status]}."
    children.append(html.P([_swatch(CLASS_COLORS[status]), text] + ([] if shown else [" (outside the filters)"])))
    listings = model.listings.loc[model.listings["town_id"].eq(town_id)]
    for row in listings.itertuples():
        record = index.loc[row.record_row]
        month = f", request {row.request_month}" if isinstance(row.request_month, str) else ""
        docs = (
            documents_text(row.documents)
            if not pd.isna(row.documents)
            else (f"combined record, {documents_text(record['documents'])} across departments")
        )
        role = (
            "counted"
            if row.outcome == "status"
            else f"conflicting listing, not counted ({CLASS_LABELS[row.winner]} wins)"
        )
        children.append(
            html.P(
                [
                    f"Listed as “{row.name_as_published}” under {CLASS_LABELS[row.category]}{month} — {role}. ",
                    _link(row.record_title, record),
                    f" ({docs})",
                ],
                className="listing" + (" conflict" if row.outcome == "conflict" else ""),
            )
        )
    own = records.loc[records["town_id"].eq(town_id)]
    clearview_rows = set(listings["record_row"])
    own = own.loc[~own["row"].isin(clearview_rows)]
    children.append(html.H3(f"Other records about {town['town']}'s agencies ({len(own)})"))
    if own.empty:
        children.append(html.P("None in the records index."))
    else:
        items = []
        for rec in own.itertuples():
            years = years_text(rec.year_start, rec.year_end)
            vendor = f"{rec.vendor} · " if isinstance(rec.vendor, str) else ""
            items.append(
                html.Li(
                    [
                        _link(rec.title, index.loc[rec.row]),
                        html.Span(
                            f"{vendor}{rec.submitted_to} · filed {years} · {documents_text(rec.documents)}",
                            className="record-meta",
                        ),
                    ]
                )
            )
        children.append(html.Ul(items, className="records"))
    reach = model.agencies.loc[
        (model.agencies["reach"] == "state") | (model.agencies["county_fips"] == town["county_fips"])
    ]
    reach = reach.loc[reach["vendors"].map(len) > 0]
    if not reach.empty:
        children.append(
            html.Details(
                [
                    html.Summary(
                        f"Also reaching {town['town']}: {len(reach)} state or county agencies with vendor records"
                    ),
                    html.Ul([html.Li(f"{a['name']}: {', '.join(a['vendors'])}") for _, a in reach.iterrows()]),
                ]
            )
        )
    children.append(
        html.P(
            "A record shows that a request about a vendor was filed with an agency and how many "
            "documents came back: evidence that a relationship was asked about, not proof of a "
            "contract or of use.",
            className="legend-note",
        )
    )
    return children
