"""The map of a view as one small inline SVG, framed as plotly frames it: the picture painted before plotly.js loads."""

from __future__ import annotations

import dataclasses
import json
from functools import lru_cache
from html import escape

import numpy as np
import shapely

from dashboard import language
from dashboard.data.geometry import Line
from dashboard.data.model import Model
from dashboard.data.placement import ConicConformal, projected_ranges
from dashboard.language import _, number
from dashboard.state.view import ViewState, to_query
from dashboard.state.view_facts import view_facts
from dashboard.views import wording as w
from dashboard.views.figure import CENTRAL_LON, PARALLELS, geo_ranges, overlay_traces
from dashboard.views.styles import FILTERED_OUT_COLOR, NOT_ASKED_COLOR

#: The picture's width in viewBox units: whole units are about a screen pixel at the widest map box.
WIDTH = 1000
#: How far (viewBox units) the coarse shapes may stray from the map's: under a pixel, and a few KB per unit.
TOLERANCE = 0.9
#: Islands smaller than this (square units) would be specks: left out, except a town's largest ring.
MIN_RING_AREA = 3.0
#: A phone's framing of the chosen town: at least this share of the state's width, at most this zoom.
FRAME_MIN = 0.18
MAX_ZOOM = 4.0
#: plotly's town borders (views/figure.py), drawn at the same width whatever the picture's size (first-paint.css).
BORDER = 'stroke="#8c8c8c" stroke-width=".4"'
#: plotly's dash patterns (Drawing.dashStyle), in multiples of max(width, 3).
DASH_STEPS = {"dot": (1, 1), "dash": (3, 3), "longdash": (5, 5), "dashdot": (3, 1, 1, 1), "longdashdot": (5, 2, 1, 2)}


def _relative(points: np.ndarray) -> str:
    """One subpath through whole-unit points: absolute start, then relative steps (the shortest text)."""
    steps = np.diff(points, axis=0)
    text = " ".join(f"{dx} {dy}" for dx, dy in steps.tolist()).replace(" -", "-")
    return f"M{points[0][0]} {points[0][1]}l{text}"


class Frame:
    """What the map box shows of an extent, as plotly fits it: the projected lon/lat ranges, centered on `center`."""

    def __init__(self, model: Model, extent: str, projection: ConicConformal) -> None:
        box, center = projected_ranges(projection, geo_ranges(model, extent))
        width, height = np.ptp(box[:, 0]), np.ptp(box[:, 1])
        self.scale = WIDTH / width
        self.height = round(height * self.scale)
        self._origin = center - np.array([width, height]) / 2
        self._projection = projection

    def __call__(self, lonlat: np.ndarray) -> np.ndarray:
        """viewBox coordinates (not rounded) of an (N, 2) array of longitudes and latitudes."""
        return (self._projection(lonlat) - self._origin) * self.scale


def _rounded_rings(shape: shapely.Geometry) -> list[np.ndarray]:
    """The rings of a projected (multi)polygon in whole units, largest first, specks and repeats dropped."""
    found = []
    for ring in shapely.get_rings(shapely.get_parts(shape)):
        points = np.round(shapely.get_coordinates(ring)).astype(int)
        keep = np.ones(len(points), dtype=bool)
        keep[1:] = np.any(np.diff(points, axis=0) != 0, axis=1)
        points = points[keep]
        if len(points) > 1 and (points[0] == points[-1]).all():
            points = points[:-1]  # `z` closes the ring
        if len(points) >= 3:
            found.append((abs(shapely.area(shapely.Polygon(points))), points))
    found.sort(key=lambda item: -item[0])
    return [p for i, (area, p) in enumerate(found) if i == 0 or area >= MIN_RING_AREA]


class MapPicture:
    """The map of any view of one (read-only) model as inline SVG; shapes prepared once per extent."""

    def __init__(self, model: Model) -> None:
        self._model = model
        self._projection = ConicConformal(PARALLELS, CENTRAL_LON)
        self._colors = [c.color for c in model.catalog.classes] + [FILTERED_OUT_COLOR, NOT_ASKED_COLOR]
        self._shapes: dict[str, tuple[Frame, dict[int, str]]] = {}
        self._bounds: dict[str, dict[int, tuple[float, float, float, float]]] = {}
        self._names = {int(t): str(n) for t, n in model.towns["town"].items()}
        self._pictures = lru_cache(maxsize=256)(self._svg)

    def svg(self, state: ViewState, links: bool = False) -> str:
        """The picture of a view in the language in use; with `links`, each town a link to its view, and the chosen
        town framed on a phone (cached per view, links and language: its label and marks hold words)."""
        return self._pictures(state, links, language.current().code)

    def _towns(self, extent: str) -> tuple[Frame, dict[int, str]]:
        """The frame of an extent and each town's path data in it, simplified together so borders stay shared."""
        if extent not in self._shapes:
            frame = Frame(self._model, extent, self._projection)
            features = self._model.map.towns_geojson["features"]
            shapes = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
            projected = shapely.transform(shapes, frame)
            # A zoomed view leaves out the towns wholly outside its frame (they would double its size unseen).
            inside = shapely.intersects(projected, shapely.box(0, 0, WIDTH, frame.height))
            simple = shapely.coverage_simplify(projected[inside], TOLERANCE)
            ids = [int(f["id"]) for f, shown in zip(features, inside) if shown]
            paths = {town: "".join(_relative(r) + "z" for r in _rounded_rings(s)) for town, s in zip(ids, simple)}
            self._shapes[extent] = (frame, paths)
            self._bounds[extent] = {town: tuple(b) for town, b in zip(ids, shapely.bounds(simple).tolist())}
        return self._shapes[extent]

    def _line(self, line: Line, frame: Frame) -> str:
        """An outline as open subpaths, coarsened like the towns (every ring at once: outlines have hundreds)."""
        lonlat = np.array(line, dtype=float).T  # None becomes NaN: the breaks between rings
        breaks = np.isnan(lonlat[:, 0])
        ring_of = np.cumsum(breaks)[~breaks]
        points = frame(lonlat[~breaks])
        sizes = np.bincount(ring_of)
        long_enough = sizes[ring_of] >= 2
        if not long_enough.any():
            return ""
        lines = shapely.simplify(shapely.linestrings(points[long_enough], indices=ring_of[long_enough]), TOLERANCE)
        coords, index = shapely.get_coordinates(lines, return_index=True)
        rounded = np.round(coords).astype(int)
        starts = np.flatnonzero(np.diff(index, prepend=-1))
        return "".join(_relative(ring) for ring in np.split(rounded, starts[1:]) if len(ring) >= 2)

    def label(self, state: ViewState) -> str:
        """The picture in plain words: how many municipalities are drawn in each color."""
        counts = np.bincount(view_facts(self._model, state).codes, minlength=len(self._colors))
        words = [_(c.label).lower() for c in self._model.catalog.classes] + [
            w.FILTERED_OUT.lower(),
            w.NOT_ASKED.lower(),
        ]
        parts = [
            _("{count} {class_label}").format(count=number(int(counts[code])), class_label=words[code])
            for code in range(len(self._colors))
            if counts[code]
        ]
        # Translators: the map picture's text for screen readers; {counts}: "120 no responsive documents, …".
        return _(
            "Map of the {towns} Massachusetts cities and towns, colored by what their police departments' "
            "Clearview AI records showed: {counts}."
        ).format(towns=number(len(self._model.towns)), counts=", ".join(parts))

    def _town(self, state: ViewState, town: int, path: str, links: bool) -> str:
        """One town's shape; with `links`, a link to the view of that town (named for screen readers)."""
        if not links:
            return f'<path d="{path}"/>'
        href = "/" + to_query(dataclasses.replace(state, town=town, agency=None), self._model.catalog)
        name = escape(self._names[town])
        return f'<a href="{escape(href)}" data-town="{town}" data-view=""><title>{name}</title><path d="{path}"/></a>'

    def frame(self, state: ViewState) -> str:
        """The style that frames the chosen town and its neighbours on a phone's small map, first-paint.css's
        `--frame` (a transform) and `--zoom` (its scale); "" without a chosen town."""
        frame, paths = self._towns(state.extent)
        if state.town is None or state.town not in paths:
            return ""
        left, top, right, bottom = self._bounds[state.extent][state.town]
        # At least FRAME_MIN of the map's width, and the town at most a quarter of the frame either way.
        width = max((right - left) * 4, (bottom - top) * 4 * WIDTH / frame.height, FRAME_MIN * WIDTH)
        scale = min(WIDTH / width, MAX_ZOOM)
        x, y = (left + right) / 2, (top + bottom) / 2
        return (
            f"--frame: translate({WIDTH / 2:g}px, {frame.height / 2:g}px) scale({scale:.3g}) "
            f"translate({-x:.0f}px, {-y:.0f}px); --zoom: {scale:.3g}"
        )

    def fills(self, state: ViewState) -> dict[int, str]:
        """Each drawn town's fill color in a view."""
        _, paths = self._towns(state.extent)
        codes = view_facts(self._model, state).codes
        return {int(t): self._colors[code] for t, code in zip(self._model.towns.index, codes) if int(t) in paths}

    def lines(self, state: ViewState) -> str:
        """The view's outlines (policy, region, chosen town) as SVG paths."""
        frame, _ = self._towns(state.extent)
        lines = []
        for trace in overlay_traces(self._model, state):
            if trace.get("mode") != "lines" or trace.get("visible") is False or not trace["lon"]:
                continue
            d = self._line((trace["lon"], trace["lat"]), frame)
            style = trace["line"]
            dash = dasharray(style.get("dash", "solid"), style["width"])
            lines.append(
                f'<path d="{d}" stroke="{style["color"]}" stroke-width="{style["width"]:g}"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
        return "".join(lines)

    def marks(self, state: ViewState) -> str:
        """The view's markers (vendor records, agency offices, 0-document records) and place names, each centred on
        its point; first-paint.css sizes them for the screen, as plotly sizes them in pixels."""
        frame, _ = self._towns(state.extent)
        drawn = []
        for trace in overlay_traces(self._model, state):
            mode = trace.get("mode") or ""
            if trace.get("visible") is False or not trace.get("lon") or mode == "lines":
                continue
            points = frame(np.array([trace["lon"], trace["lat"]], dtype=float).T)
            marker = trace.get("marker") or {}
            texts = trace.get("text")
            font = trace.get("textfont") or {}
            for index, (x, y) in enumerate(points.tolist()):
                parts = []
                if "markers" in mode:
                    parts.append(
                        glyph(
                            _at(marker.get("symbol"), index),
                            marker.get("size", 10) / 2,
                            _at(marker.get("color"), index),
                            marker.get("line") or {},
                        )
                    )
                text = _at(texts, index)
                if text:
                    position = str(_at(trace.get("textposition"), index) or "middle center")
                    parts.append(label(str(text), font, below=mode == "text" and "markers" not in mode, at=position))
                drawn.append(f'<g transform="translate({x:.0f} {y:.0f})"><g class="mark">{"".join(parts)}</g></g>')
        return "".join(drawn)

    def _svg(self, state: ViewState, links: bool, _code: str) -> str:
        """The picture of a view (`_code`: the language in use, for the cache's key)."""
        frame, paths = self._towns(state.extent)
        fills = self.fills(state)
        groups = []
        for color in dict.fromkeys(self._colors):  # two kinds may share a color: one group each color
            towns = [t for t, fill in fills.items() if fill == color]
            if towns:
                shapes = "".join(self._town(state, t, paths[t], links) for t in towns)
                groups.append(f'<g fill="{color}">{shapes}</g>')
        framing = self.frame(state) if links else ""
        framed = f' style="{framing}"' if framing else ""
        return (
            f'<svg class="first-paint-map" viewBox="0 0 {WIDTH} {frame.height}" preserveAspectRatio="xMidYMid meet" '
            f'role="{"group" if links else "img"}" aria-label="{escape(self.label(state))}" '
            f'data-extent="{state.extent}">'
            f'<g class="frame"{framed}><g {BORDER} fill-rule="evenodd" stroke-linejoin="round">{"".join(groups)}</g>'
            f'<g class="lines" fill="none" stroke-linejoin="round" pointer-events="none">{self.lines(state)}</g>'
            f'<g class="marks" pointer-events="none">{self.marks(state)}</g></g></svg>'
        )


def _at(value: object, index: int) -> object:
    """A trace's per-point value (a list) or its one value for every point."""
    if isinstance(value, (list, tuple)):
        return value[index] if index < len(value) else None
    return value


def _polygon(corners: int, radius: float, turn: float = -90.0, inner: float | None = None) -> str:
    """The points of a regular polygon (or a star, with an inner radius) around (0, 0)."""
    step = 360 / corners / (2 if inner else 1)
    points = []
    for i in range(corners * (2 if inner else 1)):
        r = inner if inner and i % 2 else radius
        angle = np.radians(turn + i * step)
        points.append(f"{r * np.cos(angle):.1f},{r * np.sin(angle):.1f}")
    return " ".join(points)


def glyph(symbol: object, radius: float, color: object, line: dict) -> str:
    """plotly's marker symbol as an SVG shape around (0, 0), in its colors."""
    paint = f'fill="{escape(str(color or "#ffffff"))}" stroke="{escape(str(line.get("color", "#111111")))}" ' + (
        f'stroke-width="{float(line.get("width", 1)):g}"'
    )
    r = radius
    shapes = {
        "square": f'<rect x="{-r * 0.9:.1f}" y="{-r * 0.9:.1f}" width="{r * 1.8:.1f}" height="{r * 1.8:.1f}" {paint}/>',
        "diamond": f'<polygon points="{_polygon(4, r * 1.2)}" {paint}/>',
        "triangle-up": f'<polygon points="{_polygon(3, r * 1.2)}" {paint}/>',
        "triangle-down": f'<polygon points="{_polygon(3, r * 1.2, 90)}" {paint}/>',
        "pentagon": f'<polygon points="{_polygon(5, r * 1.1)}" {paint}/>',
        "hexagon": f'<polygon points="{_polygon(6, r * 1.05, 0)}" {paint}/>',
        "star": f'<polygon points="{_polygon(5, r * 1.3, inner=r * 0.55)}" {paint}/>',
        "x": f'<polygon points="{_polygon(4, r * 1.2, -45, inner=r * 0.4)}" {paint}/>',
    }
    return shapes.get(str(symbol), f'<circle r="{r:.1f}" {paint}/>')


#: plotly's text positions' horizontal part: where the text starts from its point, and its gap from it (pixels).
ANCHORS = {"left": ("end", -3), "center": ("middle", 0), "right": ("start", 3)}


def label(text: str, font: dict, below: bool, at: str = "middle center") -> str:
    """A marker's or a place's text (lines split at plotly's <br>), haloed in white as plotly draws it, on the side of
    its point that its plotly `textposition` (`at`) names: a name near the map's edge grows inward, the Metro Boston
    label to the right of its region."""
    size = float(font.get("size", 12))
    anchor, gap = ANCHORS.get(at.split()[-1], ANCHORS["center"])
    lines = text.split("<br>")
    first = -(len(lines) - 1) * 0.6 if not below else 0.0
    spans = "".join(
        f'<tspan x="{gap}" dy="{(first if i == 0 else 1.2):g}em">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return (
        f'<text text-anchor="{anchor}" dominant-baseline="central" font-size="{size:g}" '
        f'fill="{escape(str(font.get("color", "#1d1d1f")))}" class="{"name" if below else "count"}">{spans}</text>'
    )


def dasharray(dash: str, width: float) -> str:
    """plotly's dash pattern for a line width, in screen pixels ("" for solid): a named one, or "10px,3px" as is."""
    if "px" in dash or "," in dash:
        return ",".join(f"{float(step.strip().removesuffix('px')):g}" for step in dash.split(","))
    unit = max(width, 3)
    return ",".join(f"{step * unit:g}" for step in DASH_STEPS.get(dash, ()))
