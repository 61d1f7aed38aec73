"""Images of a view for slides (PNG, SVG, PDF at 16:9, square or card size), rendered offline with kaleido.

A slide is a thin renderer: every count and name on it comes from `view_facts(model, state)` (one per date shown)
and the dossiers, and every fixed word from views/wording.py. Its words are gathered here (`slide_words`), placed by
exports/slide_layout.py from their measured widths, and drawn by exports/slide_draw.py: plotly only draws them.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import plotly.graph_objects as go

from dashboard import language
from dashboard.config import TOPOJSON_DIR
from dashboard.data.dossier import caveats_for, dossiers, state_events
from dashboard.data.model import Model
from dashboard.exports.filenames import image_filename as image_filename  # one rule (exports/filenames.py)
from dashboard.exports.kaleido_tab import drawn_when_ready
from dashboard.exports.slide_draw import LINE, MARKER, SQUARE, domain, finish, frame_shape
from dashboard.exports.slide_layout import Group, Key, Panel, Para, SlideWords, layout_slide
from dashboard.language import _
from dashboard.state.filters import facts as record_facts
from dashboard.state.view import ViewState
from dashboard.state.view_facts import ViewFacts, view_facts
from dashboard.views import wording as w
from dashboard.views.captions import filters_in_words
from dashboard.views.figure import (
    COUNTIES,
    FIRST_VENDOR,
    HQ,
    STATE,
    UASI,
    ZERO,
    build_figure,
    geo_ranges,
    outlined_policy_kinds,
    selected_position,
)
from dashboard.views.styles import FILTERED_OUT_COLOR, NOT_ASKED_COLOR
from dashboard.views.words import date_text, join_names

#: Width and height in pixels. "card" is the wide slide a little shorter, at the 1.91:1 of social preview cards
#: (1200×630 scaled by 1.6): the town and agency pages offer it as their preview image.
SIZES = {"wide": (1920, 1080), "square": (1080, 1080), "card": (1920, 1008)}
FORMATS = ("png", "svg", "pdf")
#: Named views for `python -m dashboard render`: the same query strings the page's URL holds.
NAMED_VIEWS = {
    "clearview": "",
    "lan-tel-briefcam-coplink": "?vendors=lan-tel,briefcam,coplink",
    "clearview-records": "?vendors=clearview",
    "use-or-communication": "?classes=use&vendors=clearview",
    "metro-boston": "?vendors=lan-tel,briefcam,clearview&extent=metro",
    "before-after": "?compare=2019-01",
    "clearview-metro-2020-06": "?vendors=clearview&extent=metro&date=2020-06",
}

_kaleido_lock = threading.Lock()  # one export at a time: each starts a Chromium


def shown_classes(model: Model, shown: Iterable[ViewFacts]) -> list[str]:
    """The Clearview classes that color a municipality or hold an agency on any of the maps, in catalog order."""
    shown = list(shown)
    return [c for c in model.catalog.class_ids if any(f.class_counts[c] or f.agency_counts[c] for f in shown)]


def slide_note(
    model: Model,
    shown: Iterable[ViewFacts],
    day: date,
    *,
    reach_drawn: bool = False,
    extra: Sequence[str] = (),
    outside: bool = False,
) -> str:
    """The words under a slide's maps: the credit, the date, what a record is, the page's own warnings for the
    classes shown (a link printed with its address: an image cannot be clicked), and the † note where one is used."""
    parts = [w.source_line(model.published["published"]), w.exported_line(day, model.data_version), w.RECORD_NOTE]
    if reach_drawn:
        parts.append(w.REACH_DRAWN)
    parts += extra
    seen: dict[str, str] = {}
    for status in shown_classes(model, shown):
        for caveat in caveats_for(model, status):
            seen.setdefault(caveat.caveat_id, w.printed(w.caveat_sentence(caveat)))
    parts += seen.values()
    if outside or any(w.OUTSIDE_MARK in part for part in parts):
        parts.append(w.OUTSIDE_NOTE)
    return " ".join(parts)


def class_keys(model: Model, facts: ViewFacts, not_asked: bool) -> Group:
    """The Clearview classes' keys of one date: one per class shown by the filters, with its municipalities and other
    agencies, then the municipalities not known to have been asked yet (`not_asked`: on any map) and those outside
    the filters."""
    state = facts.state
    figures = {c.status: c for c in facts.classes}
    keys = [
        Key(
            w.class_key(c.label, f.municipalities, f.zero_municipalities, f.agencies, f.zero_agencies),
            {"kind": SQUARE, "color": c.color},
        )
        for c in model.catalog.classes
        if c.id in state.classes
        for f in [figures[c.id]]
    ]
    if not_asked:
        keys.append(Key(w.class_key(w.NOT_ASKED, facts.not_asked), {"kind": SQUARE, "color": NOT_ASKED_COLOR}))
    if facts.filtered_out:
        keys.append(Key(w.class_key(w.FILTERED_OUT, facts.filtered_out), {"kind": SQUARE, "color": FILTERED_OUT_COLOR}))
    return Group(w.classes_title(state.as_of), tuple(keys))


def _drawn(trace: Any) -> bool:
    if trace.type != "scattergeo":
        return False
    return trace.visible is not False and trace.lon is not None and any(x is not None for x in trace.lon)


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, (list, tuple)) and value else value


def _style(trace: Any) -> dict[str, Any]:
    """How a map trace looks, for its key's symbol: its marker (and the text on it), or its line."""
    mode = str(trace.mode or "")
    if "markers" in mode:
        marker = trace.marker.to_plotly_json()
        symbol = str(_first(marker.get("symbol")) or "circle").removesuffix("-open")
        style: dict[str, Any] = {
            "kind": MARKER,
            "marker": {
                "symbol": symbol,
                "color": _first(marker.get("color")),
                "line": {k: _first(v) for k, v in (marker.get("line") or {}).items()},
            },
        }
        if "text" in mode and trace.text:
            style["text"] = _first(trace.text)
            style["text_color"] = _first((trace.textfont.to_plotly_json() or {}).get("color")) or "#111111"
        return style
    return {"kind": LINE, "line": trace.line.to_plotly_json()}


def layer_keys(model: Model, figures: Sequence[go.Figure], state: ViewState, each: bool) -> tuple[Group, Group, bool]:
    """The vendors' keys and the lines' and symbols' keys for what any of the maps draws (`each`: maps of several
    dates, whose policy keys name no date); and whether a statewide or county reach is drawn."""
    labels = {
        COUNTIES: w.COUNTY_KEY,
        STATE: w.STATE_KEY,
        UASI: w.UASI_KEY,
        HQ: w.OFFICES_KEY,
        ZERO: w.ZERO_KEY,
        selected_position(model): w.SELECTED_KEY,
    }
    first_policy = FIRST_VENDOR + len(model.catalog.vendors)
    for i, kind in enumerate(outlined_policy_kinds(model)):
        labels[first_policy + i] = w.policy_key_each(kind.label) if each else w.policy_key(kind.label, state.as_of)
    title_only = {r.vendor: r.title_only for r in view_facts(model, state).reach}
    lines, vendors = [], []
    for position, trace in enumerate(figures[-1].data):
        drawn = [f.data[position] for f in figures if position < len(f.data) and _drawn(f.data[position])]
        if not drawn:
            continue
        if position in labels:
            lines.append(Key(labels[position], _style(drawn[0])))
        elif position >= FIRST_VENDOR and trace.type == "scattergeo" and trace.name in state.vendors:
            vendors.append(Key(w.vendor_key(trace.name, title_only.get(trace.name, ())), _style(drawn[0])))
    reach = any(_drawn(f.data[STATE]) or _drawn(f.data[COUNTIES]) for f in figures)
    return Group(w.VENDOR_KEYS_TITLE, tuple(vendors)), Group("", tuple(lines)), reach


def _subtitle(model: Model, state: ViewState, earlier: list[ViewState]) -> str:
    """The filters in words, as of each date the slide shows."""
    text = filters_in_words(model, state)
    if not earlier:
        return text
    # The filters' sentence (views/captions.py) with every date in its own place, in whatever order the language
    # puts it: its message's words before the filters, filled with one date, then with all of them.
    before = _("As of {date}: {filters}.").partition("{filters}")[0]
    head = before.format(date=date_text(state.as_of))
    if "{date}" in before and text.startswith(head):
        return before.format(date=join_names([date_text(s.as_of) for s in [*earlier, state]])) + text[len(head) :]
    return f"{w.as_of_words([s.as_of for s in [*earlier, state]])}. {text}"


def agency_records(model: Model, now: ViewFacts) -> tuple[Para, ...]:
    """The kept records of agencies that are not a town's (they color no town), by vendor and by where the records
    page lets them reach: statewide, a county, or no area given."""
    records, agencies = record_facts(model).records, dossiers(model).agencies
    order = list(w.REACH_LABELS)
    by_vendor: dict[str, dict[tuple[int, str], list[tuple[str, int | None]]]] = {}
    for i in now.kept:
        record = records[i]
        if record.agency_id is None:
            continue
        agency = agencies[record.agency_id]
        reach = str(agency.reach)
        group = (order.index(reach), w.reach_label(reach, agency.county))
        by_vendor.setdefault(record.vendor, {}).setdefault(group, []).append((agency.name, record.documents))
    if not by_vendor:
        return ()
    paras = [Para(w.AGENCY_RECORDS_TITLE, bold=True), Para(w.AGENCY_RECORDS_NOTE)]
    for vendor in model.catalog.vendor_names:
        if vendor in by_vendor:
            groups = [(label, items) for (_, label), items in sorted(by_vendor[vendor].items())]
            paras.append(Para(w.agency_records_line(vendor, groups)))
    return tuple(paras)


def _panel_head(model: Model, state: ViewState) -> tuple[Para, ...]:
    """A before/after panel's heading: its date and the municipalities with a ban or moratorium adopted by then."""
    adopted = view_facts(model, state).policy.municipalities
    return (Para(date_text(state.as_of), bold=True), Para(w.panel_policy_heading(adopted)))


def _sized_markers(figure: go.Figure, geo: str, frame: float) -> None:
    """Markers and the words on the map scaled to the map's width (a 1,100 px map: 24 px markers)."""
    scale = max(0.6, min(1.2, frame / 1100))
    figure.update_traces(selector={"mode": "markers", "geo": geo}, marker_size=round(24 * scale))
    figure.update_traces(selector={"mode": "markers+text", "geo": geo}, marker_size=round(26 * scale))
    figure.update_traces(selector={"mode": "text", "geo": geo}, textfont_size=round(22 * scale))


def export_figure(model: Model, state: ViewState, size: str = "wide", exported: date | None = None) -> go.Figure:
    """The map for a slide: title, filters in words, keys, the agencies' records, the source note and the date,
    placed by the layout (exports/slide_layout.py); a town's or agency's card at the card size. Worded in the view's
    language (`state.lang`), whatever the language in use."""
    with language.speaking(state.lang):
        if size == "card" and (state.town is not None or state.agency is not None):
            from dashboard.exports.card import card_figure

            return card_figure(model, state, exported)
        return _map_slide(model, state, size, exported)


def slide_words(model: Model, state: ViewState, size: str, exported: date | None = None) -> SlideWords:
    """Everything a map slide says, as words for the layout, in the view's language."""
    with language.speaking(state.lang):
        return _slide(model, state, size, exported)[0]


def _slide(
    model: Model, state: ViewState, size: str, exported: date | None
) -> tuple[SlideWords, list[ViewState], list[go.Figure]]:
    width, height = SIZES[size]
    earlier = [dataclasses.replace(state, as_of=month, compare=()) for month in state.compare]
    state = dataclasses.replace(state, compare=())
    states = [*earlier, state]
    facts = [view_facts(model, s) for s in states]
    figures = [build_figure(model, s) for s in states]
    not_asked = any(f.not_asked for f in facts)
    vendors, lines, reach_drawn = layer_keys(model, figures, state, each=bool(earlier))
    if earlier:
        panels = tuple(Panel(_panel_head(model, s), (class_keys(model, f, not_asked),)) for s, f in zip(states, facts))
        legend = tuple(g for g in (vendors, lines) if g.keys)
    else:
        panels = (Panel(),)
        legend = tuple(g for g in (class_keys(model, facts[-1], not_asked), vendors, lines) if g.keys)
    laws = [
        w.state_law_sentence(e, model.catalog.policy_kind[e.kind].label)
        for e in state_events(model)
        if state.policy and e.month <= state.as_of
    ]
    keyed = any(w.OUTSIDE_MARK in k.text for g in legend for k in g.keys)
    note = slide_note(
        model, facts, exported or date.today(), reach_drawn=reach_drawn, extra=laws, outside=keyed or bool(earlier)
    )
    words = SlideWords(
        width=width,
        height=height,
        title=w.SLIDE_TITLE,
        subtitle=_subtitle(model, state, earlier),
        legend=legend,
        # The square slide has no room for them (as before): its maps and keys take the whole width.
        agency=agency_records(model, facts[-1]) if width > height else (),
        note=note,
        panels=panels,
        extent=state.extent,
        inset_title=w.INSET_TITLE if state.extent == "state" and not earlier else "",
    )
    return words, states, figures


def _map_slide(model: Model, state: ViewState, size: str, exported: date | None) -> go.Figure:
    words, states, figures = _slide(model, state, size, exported)
    layout = layout_slide(words)
    width, height = layout.width, layout.height
    figure = figures[-1]
    geo = figure.layout.geo.to_plotly_json()
    # The chosen date's map is "geo" (on the right); earlier ones "geo2"… in date order from the left.
    names = [f"geo{i + 2}" for i in range(len(states) - 1)] + ["geo"]
    for name, frame, panel in zip(names, layout.maps, figures):
        figure.layout[name] = {**geo, "domain": domain(frame, width, height)}
        if name != "geo":
            for trace in panel.data:
                figure.add_trace(trace.update(geo=name, showlegend=False))
        _sized_markers(figure, name, frame.w)
    shapes = []
    if layout.inset is not None:
        inset = f"geo{len(states) + 1}"
        metro = build_figure(model, dataclasses.replace(states[-1], extent="metro"))
        figure.layout[inset] = {**metro.layout.geo.to_plotly_json(), "domain": domain(layout.inset, width, height)}
        for trace in metro.data:
            figure.add_trace(trace.update(geo=inset, showlegend=False))
        _sized_markers(figure, inset, layout.inset.w * 1.6)
        figure.update_traces(selector={"geo": inset, "mode": "text"}, visible=False)  # the region's name: the title
        shapes.append(frame_shape(layout.inset, width, height))
        figure.add_trace(_inset_outline(model))
    return finish(figure, layout, shapes)


def _inset_outline(model: Model) -> go.Scattergeo:
    """On the state map, the frame of the area the inset enlarges."""
    ranges = geo_ranges(model, "metro")
    (x0, x1), (y0, y1) = ranges["lonaxis"]["range"], ranges["lataxis"]["range"]
    steps = [i / 10 for i in range(11)]
    lons = [x0 + (x1 - x0) * t for t in steps] + [x1] * 11 + [x1 - (x1 - x0) * t for t in steps] + [x0] * 11
    lats = [y0] * 11 + [y0 + (y1 - y0) * t for t in steps] + [y1] * 11 + [y1 - (y1 - y0) * t for t in steps]
    return go.Scattergeo(
        lon=lons,
        lat=lats,
        mode="lines",
        geo="geo",
        line={"color": "#555555", "width": 1.5},
        hoverinfo="skip",
        showlegend=False,
        name="inset frame",
    )


@contextmanager
def kaleido_session() -> Iterator[None]:
    """Keep one Chromium running for a batch of images, and stop it after (else the process cannot exit)."""
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    try:
        yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def render_image(
    model: Model, state: ViewState, fmt: str = "png", size: str = "wide", exported: date | None = None
) -> bytes:
    """The view as PNG, SVG or PDF bytes, drawn by kaleido in headless Chromium (no network needed)."""
    if fmt not in FORMATS or size not in SIZES:
        raise ValueError(f"format must be one of {FORMATS} and size one of {tuple(SIZES)}")
    return draw_figure(export_figure(model, state, size, exported), fmt, *SIZES[size])


def draw_figure(figure: go.Figure, fmt: str, width: int, height: int) -> bytes:
    """A figure as PNG, SVG or PDF bytes, drawn by kaleido here (one at a time: each drawing uses Chromium)."""
    import kaleido

    with _kaleido_lock:
        # kaleido directly, not figure.to_image: it takes the base map's address per call, so nothing global is set.
        # Plotly asks for a world base map even when it is hidden: our local stub keeps it offline.
        return drawn_when_ready(
            lambda: kaleido.calc_fig_sync(
                figure.to_plotly_json(),
                opts={"format": fmt, "width": width, "height": height, "scale": 1},
                topojson=TOPOJSON_DIR.as_uri() + "/",
            )
        )
