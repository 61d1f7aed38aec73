"""Images of a view for slides (PNG, SVG, PDF at 16:9 or square), rendered offline with kaleido.

A slide is a thin renderer: every count and name on it comes from `view_facts(model, state)` (one per date shown)
and the dossiers, and every fixed word from views/wording.py.
"""

from __future__ import annotations

import dataclasses
import textwrap
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from html import escape

import plotly.graph_objects as go

from dashboard.config import TOPOJSON_DIR
from dashboard.data.dossier import caveats_for, dossiers, state_events
from dashboard.data.model import Model
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
    UASI_LABEL,
    ZERO,
    build_figure,
    outlined_policy_kinds,
    selected_position,
)
from dashboard.views.styles import FILTERED_OUT_COLOR, NOT_ASKED_COLOR
from dashboard.views.words import date_text

#: Width and height in pixels. "card" is the wide slide a little shorter, at the 1.91:1 of social preview cards
#: (1200×630 scaled by 1.6): the town and agency pages offer it as their preview image.
SIZES = {"wide": (1920, 1080), "square": (1080, 1080), "card": (1920, 1008)}
FORMATS = ("png", "svg", "pdf")
TITLE = w.SLIDE_TITLE
FONT = "DejaVu Sans, Arial, sans-serif"
#: Characters per line of a legend entry (wide slide's column; square slide's classes and keys, and its vendors'
#: column): plotly does not wrap them, and a longer one runs off the slide.
LEGEND_CHARS = {"wide": 58, "square": 70, "vendors": 36}
#: The square slide's legend, in pixels: a row per entry, a shorter one per further line of an entry.
ROW, LINE, GROUP_GAP = 22, 18, 8

#: Named views for `python -m dashboard render`: the same query strings the page's URL holds.
NAMED_VIEWS = {
    "clearview": "",
    "lan-tel-briefcam-coplink": "?vendors=lan-tel,briefcam,coplink",
    "clearview-records": "?vendors=clearview",
    "use-or-communication": "?classes=use&vendors=clearview",
    "metro-boston": "?vendors=lan-tel,briefcam,clearview&extent=metro",
    "before-after": "?compare=2019-01",
}

_kaleido_lock = threading.Lock()  # one export at a time: each starts a Chromium


def slide_title(title: str, subtitle: str, height: int, size: int, subtitle_size: int) -> dict:
    """A slide's title (bold, plotly text) over its subtitle in gray, at the top left."""
    return {
        "text": f"<b>{title}</b><br><span style='font-size:{subtitle_size}px;color:#444'>{subtitle}</span>",
        "x": 0.02,
        "xanchor": "left",
        "y": 1 - 48 / height,  # plotly hangs a multi-line title above its anchor: leave room
        "yanchor": "top",
        "font": {"size": size},
    }


def wrapped(text: str, width: int) -> str:
    """Plain words as plotly text: escaped, and broken into lines of at most `width` characters (an address whole)."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(escape(line) for line in lines)


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


def _class_keys(model: Model, figure: go.Figure, now: ViewFacts, earlier: list[ViewFacts], chars: int) -> None:
    """One legend entry per class shown by the filters, with its municipalities and other agencies, then the
    municipalities not known to have been asked yet and those outside the filters. Choropleths draw no legend
    entries: one invisible square marker per entry stands in."""
    state = now.state
    figures = {c.status: c for c in now.classes}
    keys = []
    for c in model.catalog.classes:
        if c.id in state.classes:
            f = figures[c.id]
            keys.append(
                (w.class_key(c.label, f.municipalities, f.zero_municipalities, f.agencies, f.zero_agencies), c.color)
            )
    if now.not_asked or any(e.not_asked for e in earlier):
        keys.append((w.class_key(w.NOT_ASKED, now.not_asked), NOT_ASKED_COLOR))
    if now.filtered_out:
        keys.append((w.class_key(w.FILTERED_OUT, now.filtered_out), FILTERED_OUT_COLOR))
    for name, color in keys:
        figure.add_trace(
            go.Scattergeo(
                lon=[None],
                lat=[None],
                mode="markers",
                name=wrapped(name, chars),
                marker={"symbol": "square", "size": 18, "color": color, "line": {"color": "#8c8c8c", "width": 1}},
                legendgroup="classes",
                legendrank=1,
                legendgrouptitle_text=escape(w.classes_title(state.as_of)),
            )
        )


def _drawn(trace: go.Scattergeo) -> bool:
    return trace.visible is not False and trace.lon is not None and any(x is not None for x in trace.lon)


def _layer_keys(model: Model, figure: go.Figure, now: ViewFacts, wide: bool) -> bool:
    """Name the map's drawn layers and vendor markers in the legend; True when a statewide or county reach is drawn."""
    state = now.state
    chars, vendor_chars = LEGEND_CHARS["wide" if wide else "square"], LEGEND_CHARS["vendors"]
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
        labels[first_policy + i] = w.policy_key(kind.label, state.as_of)
    title_only = {r.vendor: r.title_only for r in now.reach}
    for position, trace in enumerate(figure.data):
        if position in labels and _drawn(trace):
            trace.update(showlegend=True, name=wrapped(labels[position], chars), legendgroup="keys", legendrank=3)
        elif position > UASI_LABEL and trace.type == "scattergeo" and trace.lon and trace.name in state.vendors:
            # On a square slide the vendors get a column of their own beside the classes and keys.
            trace.update(
                showlegend=True,
                name=wrapped(w.vendor_key(trace.name, title_only.get(trace.name, ())), chars if wide else vendor_chars),
                legend="legend" if wide else "legend2",
                legendgroup="vendors",
                legendrank=2,
                legendgrouptitle_text=escape(w.VENDOR_KEYS_TITLE),
            )
    return _drawn(figure.data[STATE]) or _drawn(figure.data[COUNTIES])


def _subtitle(model: Model, state: ViewState, earlier: list[ViewState]) -> str:
    """The filters in words, as of each date the slide shows."""
    text = filters_in_words(model, state)
    if not earlier:
        return text
    head = f"As of {date_text(state.as_of)}"
    dates = w.as_of_words([s.as_of for s in earlier] + [state.as_of])
    return dates + text.removeprefix(head) if text.startswith(head) else f"{dates}. {text}"


def export_figure(model: Model, state: ViewState, size: str = "wide", exported: date | None = None) -> go.Figure:
    """The map for a slide: title, filters in words, a legend drawn by plotly, source line, caveats and date."""
    width, height = SIZES[size]
    wide = width > height  # the wide slide's layout, and the card's: it is only shorter
    earlier = [dataclasses.replace(state, as_of=month, compare=()) for month in state.compare]
    state = dataclasses.replace(state, compare=())
    now = view_facts(model, state)
    before = [view_facts(model, s) for s in earlier]
    figure = build_figure(model, state)
    _class_keys(model, figure, now, before, LEGEND_CHARS["wide" if wide else "square"])
    figure.update_traces(selector={"mode": "markers"}, marker_size=24)
    figure.data[ZERO].update(marker_size=26, textfont_size=16)
    figure.update_traces(selector={"mode": "text"}, textfont_size=22 if wide else 18)
    reach_drawn = _layer_keys(model, figure, now, wide)
    laws = [
        w.state_law_sentence(e, model.catalog.policy_kind[e.kind].label)
        for e in state_events(model)
        if state.policy and e.month <= state.as_of
    ]
    # The † note goes with any key or heading marked †: the policy outlines, the agencies' offices, the panels.
    keyed = any(w.OUTSIDE_MARK in str(t.name) for t in figure.data if t.showlegend)
    note = slide_note(
        model,
        [now, *before],
        exported or date.today(),
        reach_drawn=reach_drawn,
        extra=laws,
        outside=keyed or bool(earlier),
    )
    statewide = _agency_records(model, now) if wide else []
    note_text = wrapped(note, 200 if wide else 125)
    note_lines = note_text.count("<br>") + 1  # the margin under the map holds the whole note, however long
    title = TITLE if wide else TITLE.replace(" in Massachusetts", "<br>in Massachusetts")
    filters = wrapped(_subtitle(model, state, earlier), 125 if wide else 88)
    top = 56 + 44 * (title.count("<br>") + 1) + 42 * (filters.count("<br>") + 1) + 20
    bottom = 16 + 23 * note_lines if wide else 16 + 19 * note_lines
    # The square slide's legends go under its map: the map takes what their entries leave.
    under = min(0.56, (_legend_height(figure) + 20) / (height - top - bottom))
    map_x, map_y = ((0.0, 0.64), (0.0, 1.0)) if wide else ((0.0, 1.0), (under, 1.0))
    figure.update_geos(domain={"x": list(map_x), "y": list(map_y)})
    figure.update_layout(
        width=width,
        height=height,
        margin={"l": 40, "r": 40, "t": top, "b": bottom},
        paper_bgcolor="#ffffff",
        font={"family": FONT, "size": 18 if wide else 17, "color": "#1d1d1f"},
        title=slide_title(title, filters, height, 36 if wide else 32, 24 if wide else 21),
        showlegend=True,
        legend={
            "x": 0.66,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "traceorder": "grouped",
            "itemsizing": "constant",
            "tracegroupgap": 12,
        }
        if wide
        else {
            "x": 0.0,
            "y": under - 0.02,
            "xanchor": "left",
            "yanchor": "top",
            "traceorder": "grouped",
            "itemsizing": "constant",
            "tracegroupgap": 8,
            "font": {"size": 15},
        },
        legend2={"x": 0.7, "y": under - 0.02, "xanchor": "left", "yanchor": "top", "font": {"size": 15}},
        annotations=[
            *statewide,
            {
                "text": note_text,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -20,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": 17 if wide else 14, "color": "#444"},
            },
        ],
    )
    if earlier:
        # Side by side, the maps stand over the agencies' records block at the bottom left, not on it.
        lines = statewide[0]["text"].count("<br>") + 1 if statewide and state.extent == "state" else 0
        floor = min(0.4, (21 * lines + 10) / (height - top - bottom)) if lines else map_y[0]
        figure = _side_by_side(model, figure, [*earlier, state], map_x, (floor, map_y[1]), wide)
    return figure


def _legend_height(figure: go.Figure) -> int:
    """The taller of the square slide's two legends, in pixels (an estimate: plotly measures only when drawing)."""
    heights: dict[str, int] = {}
    groups: dict[str, set[str]] = {}
    for trace in figure.data:
        if trace.showlegend is False or trace.type == "choropleth":
            continue
        legend = trace.legend or "legend"
        heights[legend] = heights.get(legend, 0) + ROW + LINE * str(trace.name).count("<br>")
        groups.setdefault(legend, set()).add(str(trace.legendgroup))
    titled = {"classes", "vendors"}  # the groups with a title row
    return max(
        (h + len(groups[k] & titled) * ROW + GROUP_GAP * (len(groups[k]) - 1) for k, h in heights.items()), default=0
    )


def _panel_title(model: Model, state: ViewState) -> str:
    """A before/after panel's heading: its date and the municipalities with a ban or moratorium adopted by then."""
    adopted = view_facts(model, state).policy.municipalities
    return f"<b>{escape(date_text(state.as_of))}</b><br>{escape(w.panel_policy_heading(adopted))}"


def _side_by_side(
    model: Model,
    figure: go.Figure,
    states: list[ViewState],
    map_x: tuple[float, float],
    map_y: tuple[float, float],
    wide: bool,
) -> go.Figure:
    """The slide's map split into one panel per date, oldest first; the legend keys the last (the chosen date)."""
    gap = 0.02
    step = (map_x[1] - map_x[0] + gap) / len(states)
    top = map_y[1] - 0.09  # room for each panel's heading
    geo = figure.layout.geo.to_plotly_json()
    titles = []
    for i, panel in enumerate(states):
        name = "geo" if i == len(states) - 1 else f"geo{i + 2}"
        domain = {"x": [map_x[0] + i * step, map_x[0] + (i + 1) * step - gap], "y": [map_y[0], top]}
        figure.layout[name] = {**geo, "domain": domain}
        if name != "geo":
            for trace in build_figure(model, panel).data:
                figure.add_trace(trace.update(geo=name, showlegend=False))
        titles.append(
            {
                "text": _panel_title(model, panel),
                "xref": "paper",
                "yref": "paper",
                "x": (domain["x"][0] + domain["x"][1]) / 2,
                "y": map_y[1],
                "xanchor": "center",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 20 if wide else 17, "color": "#1d1d1f"},
            }
        )
    figure.layout.annotations = [*figure.layout.annotations, *titles]
    # The region's name, in a smaller map.
    figure.update_traces(selector={"mode": "text"}, textfont_size=14 if wide else 12)
    return figure


def _agency_records(model: Model, now: ViewFacts) -> list[dict]:
    """An annotation naming the kept records of agencies that are not a town's (they color no town), by vendor and
    by where the records page lets them reach: statewide, a county, or no area given."""
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
        return []
    lines = [f"<b>{escape(w.AGENCY_RECORDS_TITLE)}</b> {escape(w.AGENCY_RECORDS_NOTE)}"]
    for vendor in model.catalog.vendor_names:
        if vendor in by_vendor:
            groups = [(label, items) for (_, label), items in sorted(by_vendor[vendor].items())]
            lines.append(wrapped(w.agency_records_line(vendor, groups), 58))
    # Bottom left, over Connecticut: the one corner of the state map's frame that no town reaches (maps side by
    # side leave the whole bottom free). A map of Metro Boston has no empty corner: the list goes under the legend.
    return [
        {
            "text": "<br>".join(lines),
            "xref": "paper",
            "yref": "paper",
            "x": 0.0 if now.state.extent == "state" else 0.66,
            "y": 0.0,
            "xanchor": "left",
            "yanchor": "bottom",
            "showarrow": False,
            "align": "left",
            "font": {"size": 16, "color": "#333"},
        }
    ]


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
        return kaleido.calc_fig_sync(
            figure.to_plotly_json(),
            opts={"format": fmt, "width": width, "height": height, "scale": 1},
            topojson=TOPOJSON_DIR.as_uri() + "/",
        )


def image_filename(name: str, size: str, fmt: str) -> str:
    """A file name that says what the image is."""
    return f"ma-surveillance-{name}-{size}.{fmt}"
