"""The compare slide: two to four towns side by side (1920×1080), one small map each, as of the latest month.

A thin renderer like the map slide (exports/images.py): each town's class comes from the view that colors its map
(`view_facts`), its records, vendors and policy decisions from its dossier, and every fixed word from
views/wording.py. The render pool draws it (`RenderPool.render_compare`).
"""

from __future__ import annotations

import textwrap
from datetime import date
from html import escape

import plotly.graph_objects as go

from dashboard.data.dossier import town_at
from dashboard.data.model import Model
from dashboard.exports.images import FONT, slide_note, slide_title, wrapped
from dashboard.state.filters import facts as record_facts
from dashboard.state.view import view
from dashboard.state.view_facts import ViewFacts, view_facts
from dashboard.views import wording as w
from dashboard.views.figure import ZERO, build_figure

SLIDE = (1920, 1080)
MIN_TOWNS, MAX_TOWNS = 2, 4
#: The ring around the town compared: the locator maps' color.
RING = "#c2185b"
#: Width over height of the state on the map's projection.
MAP_ASPECT = 1.8
#: Pixels per line of the words above and under each map, at their font sizes (a line of 22 px type, of 19 px).
HEAD_LINE, UNDER_LINE = 28, 24
MARGIN = {"l": 40, "r": 40, "t": 40, "b": 24}


def check_towns(model: Model, town_ids: tuple[int, ...]) -> None:
    """Raise ValueError unless the towns are two to four different towns of the model."""
    if not MIN_TOWNS <= len(town_ids) <= MAX_TOWNS:
        raise ValueError(f"compare {MIN_TOWNS} to {MAX_TOWNS} towns, not {len(town_ids)}")
    if len(set(town_ids)) != len(town_ids):
        raise ValueError("a town is named twice")
    unknown = [t for t in town_ids if t not in model.towns.index]
    if unknown:
        raise ValueError(f"no such town: {unknown}")


def _class_label(model: Model, shown: ViewFacts, town_id: int) -> str:
    """The town's class as its map colors it."""
    catalog = model.catalog
    code = int(shown.codes[record_facts(model).town_position[town_id]])
    if code == catalog.not_asked_code:
        return w.NOT_ASKED
    if code == catalog.filtered_out_code:
        return w.FILTERED_OUT
    return next(c.label for c in catalog.classes if catalog.codes[c.id] == code)


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


def compare_figure(model: Model, town_ids: tuple[int, ...], exported: date | None = None) -> go.Figure:
    """A 1920×1080 slide: one small map per town (colored by class, the town ringed), its class, records, vendors
    and policy decisions, as of the latest month; the credit and the page's own warnings under them."""
    check_towns(model, town_ids)
    catalog = model.catalog
    width, height = SLIDE
    as_of = catalog.months[-1]
    day = exported or date.today()
    # The classes only: vendor markers, outlines and the region's label would bury a small map.
    states = [view(catalog, town=t, vendors=(), uasi=False, policy=False) for t in town_ids]
    shown = [view_facts(model, s) for s in states]
    words = [town_words(model, t, as_of, f) for t, f in zip(town_ids, shown)]

    columns, rows = (2, 2) if len(town_ids) == 4 else (len(town_ids), 1)
    plot_w, plot_h = width - MARGIN["l"] - MARGIN["r"], height - MARGIN["t"] - MARGIN["b"]
    gap = 0.03
    cell_w = (1 - gap * (columns - 1)) / columns
    head_size, under_size = (22, 19) if columns < 3 else (19, 17)
    chars = int(cell_w * plot_w / (0.58 * head_size))  # heading characters per line at this width
    under_chars = int(cell_w * plot_w / (0.58 * under_size))
    heads = [[f"<b>{escape(name)}</b>: {escape(label)}", wrapped(line, chars)] for name, label, line, _ in words]
    unders = ["<br>".join(wrapped(d, under_chars) for d in decisions) for *_, decisions in words]
    head_h = max(1 + h[1].count("<br>") + 1 for h in heads) * HEAD_LINE / plot_h
    under_h = [
        max(u.count("<br>") + 1 for u in unders[r * columns : (r + 1) * columns]) * UNDER_LINE / plot_h
        for r in range(rows)
    ]

    note = slide_note(model, shown, day, outside=any(w.OUTSIDE_MARK in u for u in unders))
    note_lines = textwrap.wrap(note, 200, break_long_words=False, break_on_hyphens=False)
    bottom = (len(note_lines) * 21 + 56) / plot_h  # the note, and the legend's row over it
    top = 1 - 92 / plot_h  # under the title and its date
    # As tall as the state's shape needs at that width (about 1.8:1), the block centered between title and key.
    row_gap = 0.02 * (rows - 1)  # between a row's last words and the next row's names
    cell_h = min((top - bottom - row_gap - rows * head_h - sum(under_h)) / rows, cell_w * plot_w / MAP_ASPECT / plot_h)
    spare = (top - bottom) - row_gap - rows * (cell_h + head_h) - sum(under_h)
    y = top - spare / 2

    figure = go.Figure()
    annotations = []
    for i, town_id in enumerate(town_ids):
        x0 = (i % columns) * (cell_w + gap)
        if i % columns == 0 and i:
            y -= head_h + cell_h + under_h[i // columns - 1] + 0.02
        geo = "geo" if i == 0 else f"geo{i + 1}"
        one = build_figure(model, states[i])
        for position, trace in enumerate(one.data):
            if position == ZERO and i == 0 and trace.lon:  # keyed once, in the legend
                trace.update(showlegend=True, name=escape(w.ZERO_KEY))
            else:
                trace.update(showlegend=False)
            figure.add_trace(trace.update(geo=geo))
        lon, lat = model.map.points[town_id]
        figure.add_trace(
            go.Scattergeo(
                lon=[lon],
                lat=[lat],
                mode="markers",
                geo=geo,
                name=escape(w.COMPARED_KEY),
                showlegend=i == 0,
                legendrank=1,
                hoverinfo="skip",
                marker={"symbol": "circle-open", "size": 30, "color": RING, "line": {"width": 4}},
            )
        )
        map_top, map_bottom = y - head_h, y - head_h - cell_h
        figure.layout[geo] = {
            **one.layout.geo.to_plotly_json(),
            "domain": {"x": [x0, x0 + cell_w], "y": [map_bottom, map_top]},
        }
        center = x0 + cell_w / 2
        annotations += [
            _text("<br>".join(heads[i]), center, map_top + 0.005, "bottom", head_size, "#1d1d1f"),
            _text(unders[i], center, map_bottom - 0.005, "top", under_size, "#333"),
        ]
    for c in catalog.classes:  # the classes' colors, keyed as in the map's legend
        figure.add_trace(
            go.Scattergeo(
                lon=[None],
                lat=[None],
                mode="markers",
                name=escape(c.label),
                legendrank=2,
                marker={"symbol": "square", "size": 18, "color": c.color, "line": {"color": "#8c8c8c", "width": 1}},
            )
        )
    annotations.append(
        {
            "text": "<br>".join(escape(line) for line in note_lines),
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "xanchor": "left",
            "yanchor": "bottom",
            "showarrow": False,
            "align": "left",
            "font": {"size": 17, "color": "#444"},
        }
    )
    as_of_text = escape(w.as_of_words([as_of]))
    title = escape(w.compare_title([name for name, *_ in words], catalog.clearview))
    figure.update_layout(
        width=width,
        height=height,
        margin=MARGIN,
        paper_bgcolor="#ffffff",
        font={"family": FONT, "size": 18, "color": "#1d1d1f"},
        title=slide_title(title, as_of_text, height, 32 if len(title) < 100 else 26, 22),
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0,
            "y": (len(note_lines) * 21 + 12) / plot_h,
            "xanchor": "left",
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        annotations=annotations,
    )
    return figure


def _text(text: str, x: float, y: float, anchor: str, size: int, color: str) -> dict:
    """Words centered over or under a map."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": x,
        "y": y,
        "xanchor": "center",
        "yanchor": anchor,
        "showarrow": False,
        "font": {"size": size, "color": color},
    }
