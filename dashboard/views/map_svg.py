"""The map of a view as one small inline SVG, framed as plotly frames it: the picture painted before plotly.js loads."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from html import escape

import numpy as np
import shapely

from dashboard.data.geometry import Line
from dashboard.data.model import Model
from dashboard.data.placement import ConicConformal
from dashboard.state.view import ViewState
from dashboard.state.view_facts import view_facts
from dashboard.views.figure import CENTRAL_LON, PARALLELS, geo_ranges, overlay_traces
from dashboard.views.styles import FILTERED_OUT_COLOR, NOT_ASKED_COLOR
from dashboard.views.wording import FILTERED_OUT, NOT_ASKED

#: The picture's width in viewBox units: whole units are about a screen pixel at the widest map box.
WIDTH = 1000
#: How far (viewBox units) the coarse shapes may stray from the map's: under a pixel, and a few KB per unit.
TOLERANCE = 0.9
#: Islands smaller than this (square units) would be specks: left out, except a town's largest ring.
MIN_RING_AREA = 3.0
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
        ranges = geo_ranges(model, extent)
        lon, lat = ranges["lonaxis"]["range"], ranges["lataxis"]["range"]
        # plotly fits the box around the ranges' edges, then moves the projected center to the middle of that box.
        step = np.linspace(0, 1, 41)
        along_lon, along_lat = lon[0] + (lon[1] - lon[0]) * step, lat[0] + (lat[1] - lat[0]) * step
        edges = [(along_lon, np.full(41, lat[0])), (along_lon, np.full(41, lat[1]))]
        edges += [(np.full(41, lon[0]), along_lat), (np.full(41, lon[1]), along_lat)]
        box = projection(np.concatenate([np.column_stack(edge) for edge in edges]))
        width, height = np.ptp(box[:, 0]), np.ptp(box[:, 1])
        center = projection(np.array([[ranges["center"]["lon"], ranges["center"]["lat"]]]))[0]
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
        self._words = [c.label.lower() for c in model.catalog.classes] + [FILTERED_OUT.lower(), NOT_ASKED.lower()]
        self._shapes: dict[str, tuple[Frame, dict[int, str]]] = {}
        self.svg = lru_cache(maxsize=256)(self._svg)

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
        parts = [f"{int(counts[code])} {self._words[code]}" for code in range(len(self._colors)) if counts[code]]
        return (
            f"Map of the {len(self._model.towns)} Massachusetts cities and towns, colored by what their police "
            f"departments' Clearview AI records showed: {', '.join(parts)}."
        )

    def _svg(self, state: ViewState) -> str:
        frame, paths = self._towns(state.extent)
        codes = view_facts(self._model, state).codes
        town_ids = self._model.towns.index
        groups = []
        for code, color in enumerate(self._colors):
            towns = [int(t) for t in town_ids[codes == code] if int(t) in paths]
            if towns:
                groups.append(f'<g fill="{color}">' + "".join(f'<path d="{paths[t]}"/>' for t in towns) + "</g>")
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
        return (
            f'<svg class="first-paint-map" viewBox="0 0 {WIDTH} {frame.height}" preserveAspectRatio="xMidYMid meet" '
            f'role="img" aria-label="{escape(self.label(state))}">'
            f'<g {BORDER} fill-rule="evenodd" stroke-linejoin="round">{"".join(groups)}</g>'
            f'<g fill="none" stroke-linejoin="round">{"".join(lines)}</g></svg>'
        )


def dasharray(dash: str, width: float) -> str:
    """plotly's dash pattern for a line width, in screen pixels ("" for solid): a named one, or "10px,3px" as is."""
    if "px" in dash or "," in dash:
        return ",".join(f"{float(step.strip().removesuffix('px')):g}" for step in dash.split(","))
    unit = max(width, 3)
    return ",".join(f"{step * unit:g}" for step in DASH_STEPS.get(dash, ()))


def picture_of(model: Model) -> Callable[[ViewState], str]:
    """A cached drawer of the model's views (one per model: the shapes are prepared once)."""
    return MapPicture(model).svg
