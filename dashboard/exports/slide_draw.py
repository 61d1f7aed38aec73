"""A slide's layout (exports/slide_layout.py) as plotly parts: each block of words an annotation at its box, each key's
symbol a marker or line at its box on a hidden pixel-scaled axis, each map's domain its frame. Nothing is measured
here: plotly only draws what the layout placed."""

from __future__ import annotations

from html import escape
from typing import Any

import plotly.graph_objects as go

from dashboard.exports.slide_layout import Box, Layout, Placed, Symbol

FONT = "DejaVu Sans, Arial, sans-serif"
INK = "#1d1d1f"
#: The color of each kind of words.
COLORS = {"subtitle": "#444444", "note": "#444444", "agency": "#333333", "under": "#333333", "inset-title": "#333333"}
#: A key's symbol: "square" (a class's fill), "marker" (a marker's style), "line" (an outline's style).
SQUARE, MARKER, LINE = "square", "marker", "line"


def domain(box: Box, width: int, height: int) -> dict[str, list[float]]:
    """A box in pixels as a plotly domain (shares of the slide, y up)."""
    return {
        "x": [round(box.x / width, 5), round(box.right / width, 5)],
        "y": [round(1 - box.bottom / height, 5), round(1 - box.y / height, 5)],
    }


def annotation(placed: Placed, width: int, height: int) -> dict[str, Any]:
    """A placed block of words as an annotation whose top left (or top center) is its box's."""
    text = "<br>".join(f"<b>{escape(line)}</b>" if bold else escape(line) for line, bold in placed.lines)
    center = placed.align == "center"
    return {
        "name": placed.kind,
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": (placed.box.x + placed.box.w / 2 if center else placed.box.x) / width,
        "y": 1 - placed.box.y / height,
        "xanchor": "center" if center else "left",
        "yanchor": "top",
        "align": placed.align,
        "showarrow": False,
        "borderpad": 0,
        "font": {"size": placed.size, "color": COLORS.get(placed.kind, INK), "family": FONT},
    }


def _symbol_trace(symbol: Symbol, size: float) -> go.Scatter:
    box, style = symbol.box, symbol.key.style
    y = box.y + box.h / 2
    # Named and flagged as the legend's entries (the words a script or test reads as the key); plotly draws no legend
    # of its own (`showlegend` is off for the figure): the layout's annotations are the words.
    common = {"xaxis": "x", "yaxis": "y", "hoverinfo": "skip", "showlegend": True, "cliponaxis": False}
    kind = style.get("kind")
    if kind == LINE:
        line = {**style.get("line", {}), "width": max(3.0, float(style.get("line", {}).get("width") or 2))}
        return go.Scatter(x=[box.x, box.right], y=[y, y], mode="lines", line=line, name=symbol.key.text, **common)
    if kind == SQUARE:
        marker = {"symbol": "square", "size": size, "color": style["color"], "line": {"color": "#8c8c8c", "width": 1}}
    else:
        marker = {**style.get("marker", {}), "size": size}
    mode = "markers+text" if style.get("text") else "markers"
    return go.Scatter(
        x=[box.x + box.w / 2],
        y=[y],
        mode=mode,
        marker=marker,
        text=[style.get("text", "")],
        textfont={"size": size * 0.6, "color": style.get("text_color", INK), "family": FONT},
        name=symbol.key.text,
        **common,
    )


def finish(figure: go.Figure, layout: Layout, shapes: list[dict] | None = None) -> go.Figure:
    """Size the figure as the slide, with no margins (the layout has its own), its words and keys' symbols."""
    width, height = layout.width, layout.height
    for symbol in layout.symbols:
        figure.add_trace(_symbol_trace(symbol, layout.body * 0.9))
    hidden = {"visible": False, "fixedrange": True, "domain": [0, 1]}
    figure.update_layout(
        width=width,
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0, "pad": 0},
        paper_bgcolor="#ffffff",
        plot_bgcolor="rgba(0,0,0,0)",
        template="none",
        font={"family": FONT, "size": layout.body, "color": INK},
        showlegend=False,
        title=None,
        # One pixel per unit, y down: the keys' symbols stand where the layout put them.
        xaxis={**hidden, "range": [0, width]},
        yaxis={**hidden, "range": [height, 0]},
        annotations=[annotation(p, width, height) for p in layout.texts],
        shapes=shapes or [],
    )
    return figure


def frame_shape(box: Box, width: int, height: int) -> dict[str, Any]:
    """A thin frame around a box (the inset)."""
    return {
        "type": "rect",
        "xref": "paper",
        "yref": "paper",
        "x0": box.x / width,
        "x1": box.right / width,
        "y0": 1 - box.bottom / height,
        "y1": 1 - box.y / height,
        "line": {"color": "#555555", "width": 1.5},
        "fillcolor": "rgba(0,0,0,0)",
    }
