"""A small locator map as inline SVG: the state's outline with one place filled, from the map's simplified shapes."""

from __future__ import annotations

import math
from collections.abc import Iterator
from html import escape

import shapely

from dashboard.data.geometry import Line, MapGeometry

WIDTH = 320
#: The state outline is drawn coarser than the map's (degrees, about a pixel at this size): it only frames the place.
STATE_TOLERANCE = 0.008
#: Islands smaller than this (square pixels) would be specks: left out of the frame.
MIN_RING_AREA = 2.0
STATE_FILL = "#e8e8e8"
PLACE_FILL = "#c2185b"
EDGE = "#666666"
#: The id of the map's title, which labels it.
TITLE_ID = "locator-title"


def _rings(line: Line) -> Iterator[list[tuple[float, float]]]:
    """Each ring of an outline (longitudes and latitudes, rings separated by None)."""
    ring: list[tuple[float, float]] = []
    for lon, lat in zip(*line):
        if lon is None or lat is None:
            if ring:
                yield ring
            ring = []
        else:
            ring.append((lon, lat))
    if ring:
        yield ring


class Locator:
    """Draws places on the state, projected simply: longitudes shrunk by the cosine of the state's mid-latitude."""

    def __init__(self, geometry: MapGeometry) -> None:
        self._geometry = geometry
        points = [p for ring in _rings(geometry.state_outline) for p in ring]
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        self._west, self._north = min(lons), max(lats)
        self._cos = math.cos(math.radians((min(lats) + max(lats)) / 2))
        self._scale = (WIDTH - 4) / ((max(lons) - self._west) * self._cos)
        self.height = math.ceil((self._north - min(lats)) * self._scale) + 4
        self._state = self._path(geometry.state_outline, STATE_TOLERANCE)

    def _xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            round((lon - self._west) * self._cos * self._scale + 2, 1),
            round((self._north - lat) * self._scale + 2, 1),
        )

    def _path(self, line: Line, tolerance: float = 0.0) -> str:
        parts = []
        for ring in _rings(line):
            if tolerance and len(ring) > 3:
                simple = shapely.simplify(shapely.Polygon(ring), tolerance, preserve_topology=True)
                ring = list(shapely.get_coordinates(simple.exterior)) if not simple.is_empty else []
            xy = [self._xy(lon, lat) for lon, lat in ring]
            xy = [p for i, p in enumerate(xy) if i == 0 or p != xy[i - 1]]
            if len(xy) < 3:
                continue
            if tolerance and abs(shapely.Polygon(xy).area) < MIN_RING_AREA:
                continue
            parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in xy) + "Z")
        return "".join(parts)

    def _svg(self, label: str, place: str, marker: tuple[float, float] | None, ident: str) -> str:
        ring = ""
        if marker is not None:
            x, y = self._xy(*marker)
            # A ring around the place: the smallest towns are a few pixels wide.
            ring = f'<circle cx="{x:g}" cy="{y:g}" r="9" fill="none" stroke="{PLACE_FILL}" stroke-width="2"/>'
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {self.height}" '
            f'width="{WIDTH}" height="{self.height}" role="img" aria-labelledby="{ident}">'
            f'<title id="{ident}">{escape(label)}</title>'
            f'<path d="{self._state}" fill="{STATE_FILL}" stroke="{EDGE}" stroke-width="0.6" fill-rule="evenodd"/>'
            f'<path d="{place}" fill="{PLACE_FILL}" stroke="{PLACE_FILL}" stroke-width="0.6" fill-rule="evenodd"/>'
            f"{ring}</svg>"
        )

    def town(self, town_id: int, label: str, ident: str = TITLE_ID) -> str:
        """The state with one town filled and ringed (`ident`: its title's id, unique on the page)."""
        outline = self._path(self._geometry.town_outlines[town_id])
        return self._svg(label, outline, self._geometry.points[town_id], ident)

    def county(self, fips: int, label: str) -> str:
        """The state with one county filled."""
        return self._svg(label, self._path(self._geometry.county_outlines[fips]), None, TITLE_ID)

    def state(self, label: str) -> str:
        """The whole state filled: a statewide reach."""
        return self._svg(label, self._state, None, TITLE_ID)
