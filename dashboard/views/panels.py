"""The page's text around the map, as Dash components: legend, keys, headline cards, reach table, town panel.

Thin renderers: the values come from `view_facts` (what the view shows) and the dossiers (what is known about a
place, as of the chosen month); the words from views/wording.py.
"""

from __future__ import annotations

from urllib.parse import quote

from dash import html

from dashboard.data.catalog import Catalog, Vendor
from dashboard.data.dossier import Dossier, Record, agency_at, caveats_for, state_events, town_at
from dashboard.data.model import Model
from dashboard.language import _, ngettext, number
from dashboard.state.filters import facts
from dashboard.state.view import ViewState
from dashboard.state.view_facts import ClassFigure, ViewFacts, state_population
from dashboard.views import wording as w
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
from dashboard.views.map_svg import dasharray
from dashboard.views.markup import attrs
from dashboard.views.render import components
from dashboard.views.styles import (
    COUNTY_COLOR,
    COUNTY_DASH,
    FILTERED_OUT_COLOR,
    NOT_ASKED_COLOR,
    SELECTED_COLOR,
    SELECTED_DASH,
    STATE_COLOR,
    STATE_DASH,
    UASI_COLOR,
    UASI_DASH,
)
from dashboard.views.words import count_of, date_text, documents_text, join_names, percent_text


def _labels(catalog: Catalog) -> dict[str, str]:
    """The classes' labels (data) in the language in use."""
    return {status: _(label) for status, label in catalog.labels.items()}


def vendor_glyph(vendor: Vendor) -> html.Span:
    """The vendor's marker as a text glyph in its color (a pale one gets a dark edge)."""
    return html.Span(
        vendor.glyph, className="glyph outlined" if vendor.outlined else "glyph", style={"color": vendor.color}
    )


def _swatch(color: str) -> html.Span:
    return html.Span(className="swatch", style={"backgroundColor": color})


def line_key_svg(color: str, dash: str, width: float = 3.0, length: int = 40) -> str:
    """A key's line as a small SVG: the map's color, width and dash pattern (plotly's, in pixels) exactly."""
    pattern = dasharray(dash, width)
    dashed = f' stroke-dasharray="{pattern}"' if pattern else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{length}" height="10" viewBox="0 0 {length} 10">'
        f'<line x1="0" y1="5" x2="{length}" y2="5" stroke="{color}" stroke-width="{width:g}"{dashed}/></svg>'
    )


def _line_key(color: str, dash: str, width: float = 3.0) -> html.Img:
    source = "data:image/svg+xml," + quote(line_key_svg(color, dash, width))
    return html.Img(
        src=source, alt="", className="line-key-svg", style={"verticalAlign": "middle", "marginRight": "8px"}
    )


def zero_glyph() -> html.Span:
    """The map's mark for a listing whose own record holds 0 documents."""
    return html.Span("0", className="glyph zero", **attrs(aria_hidden="true"))


def _note(text: str | list) -> html.P:
    return html.P(text, className="legend-note")


def _caveats(model: Model, statuses: list[str]) -> list:
    """The records page's own warnings beside the classes shown that they concern (each said once)."""
    seen: dict[str, list] = {}
    for status in statuses:
        for caveat in caveats_for(model, status):
            seen.setdefault(caveat.caveat_id, components(w.caveat_sentence(caveat)))
    return [html.P(sentence, className="legend-note caveat-quote") for sentence in seen.values()]


def _legend_row(color: str, label: str, count: int, title: str | None = None, off: bool = False) -> html.Li:
    # A class the filter hides says so, never "0": its towns are there, only not shown (and not struck through).
    shown = (
        html.Span(w.HIDDEN_CLASS, className="count hidden-class")
        if off
        else html.Span(number(count), className="count")
    )
    return html.Li(
        [_swatch(color), html.Span(label, className="label"), shown],
        className="legend-item" + (" off" if off else ""),
        title=title,
    )


def legend(model: Model, facts_: ViewFacts) -> list:
    """The class legend with the count of municipalities shown in each class, and the page's own warning."""
    state = facts_.state
    counts = facts_.class_counts
    items = [
        _legend_row(c.color, _(c.label), counts[c.id], title=_(c.description), off=c.id not in state.classes)
        for c in model.catalog.classes
    ]
    if facts_.not_asked:
        items.append(
            _legend_row(NOT_ASKED_COLOR, w.NOT_ASKED, facts_.not_asked, title=w.reply_rule(model.catalog.last_wave))
        )
    if facts_.filtered_out:
        items.append(_legend_row(FILTERED_OUT_COLOR, w.FILTERED_OUT, facts_.filtered_out))
    labels = _labels(model.catalog)
    agency_text = ", ".join(
        # Translators: a count of agencies and their Clearview class, in a list: "3 no responsive documents".
        _("{count} {class_label}").format(count=number(n), class_label=labels[s].lower())
        for s, n in facts_.agency_counts.items()
        if n
    )
    children: list = [
        html.H2(_("Clearview AI: what police departments' records showed"), className="legend-title"),
        html.P(
            # Translators: {year} is the year the requests were filed (2020).
            _("Municipalities in each class (requests of {year})").format(year=model.catalog.clearview_year),
            className="legend-sub",
        ),
        html.Ul(items, className="legend-list"),
    ]
    if agency_text:
        children.append(
            _note(
                _("Plus agencies that are not a town's police (not colored): {agencies}.").format(agencies=agency_text)
            )
        )
    children += _caveats(model, [s for s, n in counts.items() if n])
    return children


def _drawn(trace: dict) -> bool:
    return trace.get("visible", True) is not False and any(x is not None for x in trace.get("lon", []))


def overlay_keys(model: Model, facts_: ViewFacts, traces: list[dict]) -> list:
    """A key to every line and symbol the map draws now (`traces`: the figure's overlay traces)."""
    state = facts_.state

    def drawn(position: int) -> bool:
        return _drawn(traces[position - 1])

    keys: list = [html.Li([vendor_glyph(model.catalog.vendor[v]), v]) for v in state.vendors]
    if drawn(HQ):
        keys.append(html.Li([html.Span("★", className="glyph hq"), w.OFFICES_KEY]))
    if drawn(ZERO):
        keys.append(html.Li([zero_glyph(), w.ZERO_KEY]))
    if drawn(STATE):
        keys.append(html.Li([_line_key(STATE_COLOR, STATE_DASH, 2.0), w.STATE_KEY]))
    if drawn(COUNTIES):
        keys.append(html.Li([_line_key(COUNTY_COLOR, COUNTY_DASH, 2.2), w.COUNTY_KEY]))
    if drawn(UASI):
        keys.append(html.Li([_line_key(UASI_COLOR, UASI_DASH, 2.4), w.UASI_KEY]))
    first_policy = FIRST_VENDOR + len(model.catalog.vendors)
    for i, kind in enumerate(outlined_policy_kinds(model)):
        if drawn(first_policy + i):
            keys.append(html.Li([_line_key(kind.color, kind.line), f"{_(kind.label)}{w.OUTSIDE_MARK}"]))
    if drawn(selected_position(model)):
        keys.append(html.Li([_line_key(SELECTED_COLOR, SELECTED_DASH, 3.5), w.SELECTED_KEY]))
    if not keys:
        return []
    children: list = [
        # Translators: the heading of the map's keys to its lines and symbols.
        html.H2(_("On the map"), className="legend-title"),
        html.Ul(keys, className="legend-keys"),
    ]
    notes = []
    if state.vendors:
        notes.append(w.HOLLOW)
    if drawn(STATE) or drawn(COUNTIES):
        notes.append(w.REACH_DRAWN)
    if state.policy:
        notes += [w.state_law_sentence(e, _(model.catalog.policy_kind[e.kind].label)) for e in _laws(model, state)]
    if drawn(HQ) or state.policy:
        notes.append(w.OUTSIDE_NOTE)
    if notes:
        children.append(_note(" ".join(notes)))
    return children


def _laws(model: Model, state: ViewState) -> list:
    return [e for e in state_events(model) if e.month <= state.as_of]


def policy_line(model: Model, facts_: ViewFacts) -> str:
    """Residents under a face-surveillance ban or moratorium adopted by the chosen month, and the classes known."""
    policy = facts_.policy
    return w.policy_sentence(
        policy.municipalities,
        policy.residents,
        policy.share,
        policy.by_class,
        policy.unknown_class,
        facts_.state.as_of,
        _labels(model.catalog),
    )


def totals(model: Model, facts_: ViewFacts) -> str:
    """One sentence of what the map shows under the filters."""
    return w.totals_sentence(facts_)


def _records_line(figure: ClassFigure, not_listed: str) -> list:
    """What the class's records hold, under its residents."""
    documented = figure.documented_residents
    if documented is not None:
        # Translators: under a class's residents: how many of them live where the record has documents.
        line: list = [_("{residents} where the record has documents").format(residents=number(documented))]
        zero = []
        if figure.zero_municipalities:
            zero.append(count_of(figure.zero_municipalities, "{n} municipality", "{n} municipalities"))
        if figure.zero_agencies:
            zero.append(count_of(figure.zero_agencies, "{n} agency", "{n} agencies"))
        if zero:
            # Translators: {places} is e.g. "2 municipalities and 1 agency".
            line += [html.Br(), zero_glyph(), _("{places} listed with 0 documents").format(places=join_names(zero))]
        return line
    if figure.shared_documents is not None:
        return [_("One shared record: {documents}").format(documents=documents_text(figure.shared_documents))]
    if figure.status == not_listed:
        return [_("No record published")]
    return []


def headline_cards(model: Model, facts_: ViewFacts) -> list:
    """Cards above the map: municipalities, agencies and residents in each class, and what the records hold."""
    state = facts_.state
    cards: list[html.Div | html.P] = []
    catalog = model.catalog
    labels = _labels(catalog)
    for figure in facts_.classes:
        agencies = " + " + count_of(figure.agencies, "{n} agency", "{n} agencies") if figure.agencies else ""
        # Translators: after a count shown large, on its own: "12 | municipalities".
        unit = ngettext("municipality", "municipalities", figure.municipalities)
        cards.append(
            html.Div(
                [
                    html.Div([_swatch(catalog.colors[figure.status]), labels[figure.status]], className="card-label"),
                    html.Div(
                        [html.Span(number(figure.municipalities), className="card-number"), f" {unit}{agencies}"],
                        className="card-line",
                    ),
                    html.Div(
                        count_of(
                            figure.residents,
                            "{n} resident ({share})",
                            "{n} residents ({share})",
                            share=percent_text(figure.share),
                        ),
                        className="card-unit",
                    ),
                    html.Div(_records_line(figure, catalog.not_listed), className="card-unit card-records"),
                ],
                className="card" + ("" if figure.status in state.classes else " off"),
                # Translators: a card's tooltip: the class's description, then where its residents' count comes from.
                title=_("{description}. Residents: {census}, share of the state's {population}.").format(
                    description=_(catalog.descriptions[figure.status]),
                    census=w.CENSUS,
                    population=number(state_population(model)),
                ),
            )
        )
    if facts_.not_asked:
        if facts_.not_asked == len(model.towns):
            cards = []  # before the first request every class is empty: the note says why
        dated = int(model.listings["request_month"].notna().sum())
        cards.append(
            html.P(
                [_swatch(NOT_ASKED_COLOR), w.not_asked_sentence(facts_.not_asked, state.as_of, catalog, dated)],
                className="headline-note",
            )
        )
    return cards


def _places(names: tuple[str, ...], empty: frozenset[str]) -> str:
    # Translators: a place or agency in the reach table whose records hold no document.
    return "; ".join(_("{name} (0 documents)").format(name=n) if n in empty else n for n in names) or "—"


def reach(model: Model, facts_: ViewFacts) -> list:
    """Per vendor: its records, where they are, and the residents of those towns and counties."""
    items = facts_.reach
    if not items:
        return []
    uncounted = any(item.other_agencies or item.title_only for item in items)
    headers = [
        _("Vendor"),
        # Translators: a column header: how many records each vendor has.
        _("Records"),
        _("Municipalities and counties"),
        _("Their residents ({census})").format(census=w.CENSUS),
        # Translators: a column header, followed in its cells by the state agencies with records.
        _("Statewide reach (all {population} residents) through").format(population=number(state_population(model))),
    ]
    if uncounted:
        headers.append(w.NO_REACH_HEADER)
    rows = []
    for item in items:
        places = list(item.towns) + list(item.counties)
        cells = [
            f"{number(item.records)} ({documents_text(item.documents)})",
            _places(tuple(places), item.empty),
            number(item.residents) if places else "—",
            _places(item.state_agencies, item.empty),
        ]
        if uncounted:
            why = [(n, w.reach_label("agency").lower()) for n in item.other_agencies]
            # Translators: why a record counts no reach; {named_only} is "named only in the record's title".
            why += [(n, _("the vendor {named_only}").format(named_only=w.TITLE_ONLY)) for n in item.title_only]
            cells.append(
                "; ".join(
                    # Translators: an agency, why it counts no reach, and that its records hold no document.
                    _("{name} ({reason}, 0 documents)").format(name=n, reason=reason)
                    if n in item.empty
                    else f"{n} ({reason})"
                    for n, reason in why
                )
                or "—"
            )
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
    return [
        html.H2(_("Where each vendor's records reach"), className="legend-title"),
        html.Table(
            [
                html.Thead(html.Tr([html.Th(h, className="num" if i == 3 else None) for i, h in enumerate(headers)])),
                html.Tbody(rows),
            ],
            className="reach-table",
        ),
        _note(
            _(
                "Residents are those of the municipalities whose own agencies, and of the counties whose sheriffs, "
                "have records in the vendor's table that hold documents; a place or agency marked “0 documents” "
                "counts for none, and so does a vendor named only in a record's title. A state agency's records reach "
                "the whole state: they are listed apart, not folded into the town of its offices (★ on the map)."
            )
        ),
    ]


# --- the panel of a town or agency, as of the chosen month -------------------------------------------------------


def _later(item_later: bool, as_of: str | None) -> list:
    return [html.Em(w.later_words(as_of) + " ", className="later")] if item_later else []


def _listings(model: Model, dossier: Dossier) -> list:
    labels = _labels(model.catalog)
    children: list = []
    for listing in dossier.listings:
        children.append(
            html.P(
                components(w.listing_sentence(listing, labels, dossier.as_of)),
                className="listing" + ("" if listing.counted else " conflict") + (" later" if listing.later else ""),
            )
        )
        if listing.zero and not listing.later:
            children.append(html.P([zero_glyph(), " ", w.zero_sentence(listing, labels)], className="zero-note"))
    return children


def _record_item(record: Record, as_of: str | None) -> html.Li:
    finding = components(w.finding_sentence(record))
    return html.Li(
        [
            *_later(record.later, as_of),
            html.Span(components(w.record_link(record))),
            html.Span(w.record_details(record), className="record-meta"),
            *([html.Span(finding, className="record-meta finding")] if finding else []),
        ],
        className="later" if record.later else None,
    )


def _records(dossier: Dossier, heading: str) -> list:
    own = dossier.own_records
    later = len([r for r in own if r.later])
    children: list = [html.H3(f"{heading} {w.counted_by(len(own) - later, later, dossier.as_of)}")]
    if own:
        children.append(html.Ul([_record_item(r, dossier.as_of) for r in own], className="records"))
    else:
        children.append(html.P(w.NO_RECORDS))
    return children


def _events(model: Model, dossier: Dossier) -> list:
    if not dossier.events:
        return []
    items = [
        html.Li(components(w.event_sentence(e, _(model.catalog.policy_kind[e.kind].label), dossier.as_of)))
        for e in dossier.events
    ]
    later = len([e for e in dossier.events if e.later])
    counted = w.counted_by(len(dossier.events) - later, later, dossier.as_of)
    return [
        html.H3(_("Policy decisions") + f"{w.OUTSIDE_MARK} {counted}"),
        html.Ul(items, className="records policy"),
        _note(w.OUTSIDE_NOTE),
    ]


def _reaching(dossier: Dossier) -> list:
    if not dossier.reaching:
        return []
    items = [html.Li([*_later(r.later, dossier.as_of), f"{r.name}: {w.agency_summary(r)}."]) for r in dossier.reaching]
    return [
        html.Details([html.Summary(w.reaching_sentence(dossier.name, len(dossier.reaching_known))), html.Ul(items)])
    ]


def agency_panel(model: Model, agency_id: str, as_of: str | None = None) -> list:
    """Every record about a non-municipal agency, its Clearview listings and where it reaches, as of a month."""
    dossier = agency_at(model, (agency_id, as_of))
    sub: list = [w.agency_scope(str(dossier.agency_kind), str(dossier.reach), dossier.county)]
    if dossier.offices is not None:
        sub += [" ", *w.offices_sentence(facts(model).town_names[dossier.offices], dossier.offices_outside)]
    published = w.published_as(dossier)
    children: list = [
        html.H2(dossier.name, className="panel-title"),
        html.P([*sub, f" {published}" if published else ""], className="panel-sub"),
        html.H3(model.catalog.clearview),
    ]
    if not dossier.listings:
        children.append(html.P(_("Named in no Clearview list.")))
    children += _listings(model, dossier)
    counted = dossier.counted
    if counted is not None and not counted.later:
        children += _caveats(model, [counted.winner])
    # Translators: a heading, followed by a count in parentheses.
    children += _records(dossier, _("Other records about this agency"))
    children += [_note(w.OUTSIDE_NOTE), _note(w.RECORD_NOTE)]
    return children


def _status_line(model: Model, dossier: Dossier, facts_: ViewFacts) -> list:
    """The town's class as the map colors it now: its class, not known to have been asked yet, or filtered out."""
    catalog = model.catalog
    code = int(facts_.codes[facts(model).town_position[int(dossier.key)]])
    status = str(dossier.status)
    if code == catalog.not_asked_code:
        return [
            html.P(
                [
                    _swatch(NOT_ASKED_COLOR),
                    # Translators: {not_asked}: "Not known to have been asked yet"; {asked}: when its request went out.
                    _("{not_asked} as of {date}: {asked}.").format(
                        not_asked=w.NOT_ASKED,
                        date=date_text(facts_.state.as_of),
                        asked=w.asked_words(dossier.counted, catalog),
                    ),
                ]
            )
        ]
    outside = [f" ({w.FILTERED_OUT}.)"] if code == catalog.filtered_out_code else []
    line = html.P(
        [_swatch(catalog.colors[status]), f"{_(catalog.labels[status])}. {_(catalog.descriptions[status])}.", *outside]
    )
    return [line, *_caveats(model, [status])]


def town_panel(model: Model, facts_: ViewFacts) -> list:
    """Every record that concerns the chosen town (or agency) as of the chosen month: listings, records, policy."""
    state = facts_.state
    if state.agency is not None and state.agency in model.agencies.index:
        return agency_panel(model, state.agency, state.as_of)
    if state.town is None or state.town not in model.towns.index:
        return [html.P(w.EMPTY_PANEL, className="panel-empty")]
    dossier = town_at(model, (state.town, state.as_of))
    children: list = [
        html.H2(dossier.name, className="panel-title"),
        html.P(w.town_line(dossier), className="panel-sub"),
        html.H3(model.catalog.clearview),
        *_status_line(model, dossier, facts_),
        *_listings(model, dossier),
        # Translators: a heading, followed by a count in parentheses; {name} is a town's name.
        *_records(dossier, _("Other records about {name}'s agencies").format(name=dossier.name)),
        *_events(model, dossier),
        *_reaching(dossier),
        _note(w.RECORD_NOTE),
    ]
    return children
