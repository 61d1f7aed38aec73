"""The compare slide: two to four towns side by side (1920×1080), one map each, as of the latest month.

A thin renderer like the map slide (exports/images.py): each town's class comes from the view that colors its map
(`view_facts`), its records, vendors and policy decisions from its dossier, and every fixed word from
views/wording.py; exports/slide_layout.py places the words (`layout_compare`). Each map shows its town ringed and
the policy outlines as of the date in the subtitle. The render pool draws it (`RenderPool.render_compare`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import plotly.graph_objects as go

from dashboard import language
from dashboard.data.dossier import town_at
from dashboard.data.model import Model
from dashboard.exports.images import slide_note
from dashboard.exports.slide_draw import LINE, MARKER, SQUARE, domain, finish
from dashboard.exports.slide_layout import CompareWords, Key, Panel, Para, layout_compare
from dashboard.language import _
from dashboard.state.filters import facts as record_facts
from dashboard.state.view import view
from dashboard.state.view_facts import ViewFacts, view_facts
from dashboard.views import wording as w
from dashboard.views.figure import FIRST_VENDOR, ZERO, build_figure, outlined_policy_kinds

SLIDE = (1920, 1080)
MIN_TOWNS, MAX_TOWNS = 2, 4
#: The ring around the town compared: the locator maps' color.
RING = "#c2185b"


def check_towns(model: Model, town_ids: tuple[int, ...]) -> None:
    """Raise ValueError unless the towns are two to four different towns of the model."""
    if not MIN_TOWNS <= len(town_ids) <= MAX_TOWNS:
        raise ValueError(f"compare {MIN_TOWNS} to {MAX_TOWNS} towns, not {len(town_ids)}")
    if len(set(town_ids)) != len(town_ids):
        raise ValueError("a town is named twice")
    unknown = [t for t in town_ids if t not in model.towns.index]
    if unknown:
        raise ValueError(f"no such town: {unknown}")


@contextmanager
def _speaking(lang: str | None) -> Iterator[None]:
    """Word what is inside in `lang`; None: in the language already in use."""
    with language.speaking(language.current().code if lang is None else lang):
        yield


def town_class(model: Model, shown: ViewFacts, town_id: int) -> str | None:
    """The id of the town's class as its map colors it; None when not known to have been asked or outside the
    filters."""
    catalog = model.catalog
    code = int(shown.codes[record_facts(model).town_position[town_id]])
    return next((c.id for c in catalog.classes if catalog.codes[c.id] == code), None)


def _class_label(model: Model, shown: ViewFacts, town_id: int) -> str:
    """The town's class as its map colors it, in the language in use."""
    catalog = model.catalog
    code = int(shown.codes[record_facts(model).town_position[town_id]])
    if code == catalog.not_asked_code:
        return w.NOT_ASKED
    if code == catalog.filtered_out_code:
        return w.FILTERED_OUT
    return _(next(c.label for c in catalog.classes if catalog.codes[c.id] == code))  # data: a class's label


def town_words(model: Model, town_id: int, as_of: str, shown: ViewFacts) -> tuple[str, str, str, list[str]]:
    """A town's words on the slide, as of the month: its name, class, records and vendors, policy decisions."""
    dossier = town_at(model, (town_id, as_of))
    records = dossier.known_records
    line = w.records_total(records) if records else w.NO_RECORD_LINE
    vendors = w.vendors_words(dossier)
    if vendors:
        line += f"; {vendors}"
    kinds = model.catalog.policy_kind
    decisions = [w.event_line(e, kinds[e.kind].label, as_of) for e in dossier.events if not e.later]
    return dossier.name, _class_label(model, shown, town_id), line, decisions or [w.no_policy_sentence(dossier.name)]


def compare_words(
    model: Model, town_ids: tuple[int, ...], exported: date | None = None, lang: str | None = None
) -> CompareWords:
    """What the compare slide says: per town its name and class, records and vendors, and policy decisions; in
    `lang` (None: the language in use)."""
    with _speaking(lang):
        return _compare_words(model, town_ids, exported)


def _compare_words(model: Model, town_ids: tuple[int, ...], exported: date | None) -> CompareWords:
    check_towns(model, town_ids)
    catalog = model.catalog
    as_of = catalog.months[-1]
    states = _states(model, town_ids)
    shown = [view_facts(model, s) for s in states]
    words = [town_words(model, t, as_of, f) for t, f in zip(town_ids, shown)]
    cells = tuple(
        Panel(head=(Para(name, bold=True), Para(label), Para(line)), under=tuple(Para(d) for d in decisions))
        for name, label, line, decisions in words
    )
    keys = [Key(w.COMPARED_KEY, {"kind": MARKER, "marker": _ring_marker()})]
    keys += [Key(_(c.label), {"kind": SQUARE, "color": c.color}) for c in catalog.classes]
    zero = any(f.zero_towns for f in shown)
    figure = build_figure(model, states[0])
    if zero:
        keys.append(Key(w.ZERO_KEY, _zero_style(figure)))
    policy_lines = _policy_keys(model, figure, as_of)
    keys += policy_lines
    outside = any(w.OUTSIDE_MARK in p.text for c in cells for p in (*c.head, *c.under)) or bool(policy_lines)
    note = slide_note(model, shown, exported or date.today(), outside=outside)
    return CompareWords(
        width=SLIDE[0],
        height=SLIDE[1],
        title=w.compare_title([name for name, *_ in words], catalog.clearview),
        subtitle=w.as_of_words([as_of]),
        cells=cells,
        keys=tuple(keys),
        note=note,
    )


def _states(model: Model, town_ids: tuple[int, ...]) -> list:
    # The classes and the policy outlines only: vendor markers and the region's outline would bury a small map. In
    # the language in use (the slide's), as every view that words anything.
    lang = language.current().code
    return [view(model.catalog, town=t, vendors=(), uasi=False, policy=True, lang=lang) for t in town_ids]


def _ring_marker() -> dict:
    return {"symbol": "circle-open", "color": RING, "line": {"width": 4, "color": RING}}


def _zero_style(figure: go.Figure) -> dict:
    trace = figure.data[ZERO]
    marker = trace.marker.to_plotly_json()
    line = marker.get("line") or {}
    return {
        "kind": MARKER,
        "marker": {"symbol": "circle", "color": marker.get("color"), "line": line},
        "text": "0",
        "text_color": line.get("color", "#111111"),
    }


def _policy_keys(model: Model, figure: go.Figure, as_of: str) -> list[Key]:
    """Keys for the policy outlines drawn on the maps (any town of the state may carry one)."""
    first = FIRST_VENDOR + len(model.catalog.vendors)
    keys = []
    for i, kind in enumerate(outlined_policy_kinds(model)):
        trace = figure.data[first + i]
        if trace.lon:
            keys.append(Key(w.policy_key(kind.label, as_of), {"kind": LINE, "line": trace.line.to_plotly_json()}))
    return keys


def compare_figure(
    model: Model, town_ids: tuple[int, ...], exported: date | None = None, lang: str | None = None
) -> go.Figure:
    """A 1920×1080 slide: one map per town (colored by class, policy outlines, the town ringed), its class, records,
    vendors and policy decisions, as of the latest month; the keys, the credit and the page's own warnings under. In
    `lang` (None: the language in use)."""
    with _speaking(lang):
        return _compare_figure(model, town_ids, exported)


def _compare_figure(model: Model, town_ids: tuple[int, ...], exported: date | None) -> go.Figure:
    words = _compare_words(model, town_ids, exported)
    layout = layout_compare(words)
    width, height = layout.width, layout.height
    figure = go.Figure()
    for i, (town_id, state, frame) in enumerate(zip(town_ids, _states(model, town_ids), layout.maps)):
        geo = "geo" if i == 0 else f"geo{i + 1}"
        one = build_figure(model, state)
        for trace in one.data:
            figure.add_trace(trace.update(geo=geo, showlegend=False))
        lon, lat = model.map.points[town_id]
        figure.add_trace(
            go.Scattergeo(
                lon=[lon],
                lat=[lat],
                mode="markers",
                geo=geo,
                name=w.COMPARED_KEY,
                showlegend=False,
                hoverinfo="skip",
                marker={**_ring_marker(), "size": 34},
            )
        )
        figure.layout[geo] = {**one.layout.geo.to_plotly_json(), "domain": domain(frame, width, height)}
    figure.update_traces(selector={"mode": "text"}, visible=False)  # the region's label: no region drawn here
    return finish(figure, layout)
