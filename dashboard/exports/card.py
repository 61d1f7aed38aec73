"""A town's or agency's link card (1920×1008, shown about 500 px wide where a link is shared): the map with the
place chosen, its name, its class, records and decisions in few and large words, and the source.

A thin renderer like the slides: the words come from the place's dossier as of the view's month (the compare
slide's `town_words` for a town) and views/wording.py; exports/slide_layout.py sizes them (`layout_card`).
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from dashboard import language
from dashboard.data.dossier import agency_at
from dashboard.data.model import Model
from dashboard.exports.slide_draw import domain, finish
from dashboard.exports.slide_layout import CardWords, Para, layout_card
from dashboard.state.view import ViewState
from dashboard.state.view_facts import view_facts
from dashboard.views import wording as w
from dashboard.views.figure import build_figure

SIZE = (1920, 1008)
#: How many policy decisions a card names (the town page has them all).
DECISIONS = 1


def card_words(model: Model, state: ViewState) -> CardWords:
    """The card's words: the place's name, a few lines about it, and the source and date, in the view's language."""
    with language.speaking(state.lang):
        return _card_words(model, state)


def _card_words(model: Model, state: ViewState) -> CardWords:
    from dashboard.exports.compare_slide import town_class, town_words

    catalog = model.catalog
    caveat: list[str] = []
    if state.town is not None:
        shown = view_facts(model, state)
        name, label, records, decisions = town_words(model, state.town, state.as_of, shown)
        lines = [Para(w.card_class_line(catalog.clearview, label), bold=True), Para(records)]
        lines += [Para(d) for d in decisions[:DECISIONS]]
        if town_class(model, shown, state.town) in ("no_responsive_documents", "no_response"):
            caveat.append(w.NOT_NO_USE)
    else:
        dossier = agency_at(model, (str(state.agency), state.as_of))
        name = dossier.name
        records_line = w.records_total(dossier.known_records) if dossier.known_records else w.NO_RECORD_LINE
        vendors = w.vendors_words(dossier)
        lines = [
            Para(w.reach_label(str(dossier.reach), dossier.county), bold=True),
            Para(f"{records_line}; {vendors}" if vendors else records_line),
        ]
    footer = [w.source_line(model.published["published"]), f"{w.as_of_words([state.as_of])}.", *caveat]
    if any(w.OUTSIDE_MARK in p.text for p in lines):
        footer.append(w.OUTSIDE_NOTE)
    return CardWords(SIZE[0], SIZE[1], name, tuple(lines), " ".join(footer), state.extent)


def card_figure(model: Model, state: ViewState, exported: date | None = None) -> go.Figure:
    """The card: the map as large as the words leave, the words beside it."""
    layout = layout_card(card_words(model, state))
    figure = build_figure(model, state)
    (frame,) = layout.maps
    figure.update_geos(domain=domain(frame, layout.width, layout.height))
    scale = frame.w / 1100
    figure.update_traces(selector={"mode": "markers"}, marker_size=round(26 * scale))
    figure.update_traces(selector={"mode": "markers+text"}, marker_size=round(28 * scale))
    figure.update_traces(selector={"mode": "text"}, textfont_size=round(24 * scale))
    return finish(figure, layout)
