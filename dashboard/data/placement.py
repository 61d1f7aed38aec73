"""Where marks go on the map, in screen pixels: markers inside their town, names where they collide with nothing.

Pure geometry on plain values (no model, no Dash): the map's projection and its fit into a box of pixels, markers
spread over a town's interior, and labels placed greedily by priority with estimated text boxes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, y down


class ConicConformal:
    """d3's (and so plotly's) spherical Lambert conformal conic, with y pointing down the screen."""

    def __init__(self, parallels: tuple[float, float], central_lon: float) -> None:
        y0, y1 = (math.radians(p) for p in parallels)
        self._n = math.log(math.cos(y0) / math.cos(y1)) / math.log(self._tan(y1) / self._tan(y0))
        self._f = math.cos(y0) * self._tan(y0) ** self._n / self._n
        self._central = central_lon

    @staticmethod
    def _tan(phi: float | np.ndarray) -> float | np.ndarray:
        return np.tan((math.pi / 2 + phi) / 2)

    def __call__(self, lonlat: np.ndarray) -> np.ndarray:
        """Project an (N, 2) array of longitudes and latitudes."""
        lam = np.radians(lonlat[:, 0] - self._central)
        r = self._f / self._tan(np.radians(lonlat[:, 1])) ** self._n
        return np.column_stack([r * np.sin(self._n * lam), r * np.cos(self._n * lam) - self._f])

    def inverse(self, xy: np.ndarray) -> np.ndarray:
        """Longitudes and latitudes of an (N, 2) array of projected points (the standard parallels give n > 0)."""
        x, y = xy[:, 0], xy[:, 1] + self._f
        r = np.hypot(x, y)
        lam = np.arctan2(x, y) / self._n
        phi = 2 * np.arctan((self._f / r) ** (1 / self._n)) - math.pi / 2
        return np.column_stack([np.degrees(lam) + self._central, np.degrees(phi)])


@dataclass(frozen=True)
class PixelFrame:
    """An extent fitted into a map box as plotly fits it: the ranges' edges inside the box, centered on `center`."""

    projection: ConicConformal
    scale: float  # pixels per projected unit
    origin: tuple[float, float]  # the projected point at pixel (0, 0)
    size: tuple[float, float]  # the box, in pixels
    window: Box  # the part of the box the map draws (plotly clips at the ranges' edges), in pixels

    def to_px(self, lonlat: np.ndarray) -> np.ndarray:
        """Pixel coordinates of an (N, 2) array of longitudes and latitudes."""
        return (self.projection(lonlat) - np.array(self.origin)) * self.scale

    def to_lonlat(self, px: np.ndarray) -> np.ndarray:
        """Longitudes and latitudes of an (N, 2) array of pixel coordinates."""
        return self.projection.inverse(px / self.scale + np.array(self.origin))


def projected_ranges(projection: ConicConformal, ranges: dict) -> tuple[np.ndarray, np.ndarray]:
    """plotly's geo ranges (`lonaxis`, `lataxis`, `center`) projected: their four edges, sampled (plotly fits the
    box around them), and their center (which plotly then moves to the middle of that box)."""
    lon, lat = ranges["lonaxis"]["range"], ranges["lataxis"]["range"]
    step = np.linspace(0, 1, 41)
    along_lon, along_lat = lon[0] + (lon[1] - lon[0]) * step, lat[0] + (lat[1] - lat[0]) * step
    edges = [(along_lon, np.full(41, lat[0])), (along_lon, np.full(41, lat[1]))]
    edges += [(np.full(41, lon[0]), along_lat), (np.full(41, lon[1]), along_lat)]
    box = projection(np.concatenate([np.column_stack(edge) for edge in edges]))
    return box, projection(np.array([[ranges["center"]["lon"], ranges["center"]["lat"]]]))[0]


def fit_frame(projection: ConicConformal, ranges: dict, size: tuple[float, float]) -> PixelFrame:
    """The pixel frame of plotly's geo ranges (`lonaxis`, `lataxis`, `center`) in a box of `size` pixels."""
    box, center = projected_ranges(projection, ranges)
    width, height = float(np.ptp(box[:, 0])), float(np.ptp(box[:, 1]))
    scale = min(size[0] / width, size[1] / height)
    origin = center - np.array(size) / 2 / scale
    drawn = (box - origin) * scale
    window = (
        max(0.0, float(drawn[:, 0].min())),
        max(0.0, float(drawn[:, 1].min())),
        min(float(size[0]), float(drawn[:, 0].max())),
        min(float(size[1]), float(drawn[:, 1].max())),
    )
    return PixelFrame(projection, scale, (float(origin[0]), float(origin[1])), (float(size[0]), float(size[1])), window)


def largest_part(shape: shapely.Geometry) -> shapely.Geometry:
    """The largest polygon of a (multi)polygon or collection: the town's mainland, where its marks go."""
    parts = [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        raise ValueError("no polygon in the shape")
    return max(parts, key=lambda p: p.area)


def pole(shape: shapely.Geometry) -> tuple[float, float]:
    """The pole of inaccessibility: the centre of the largest circle inside the shape."""
    circle = shapely.maximum_inscribed_circle(shape, 0.25)
    x, y = shapely.get_coordinates(circle)[0]
    return float(x), float(y)


def _patterns(k: int) -> list[np.ndarray]:
    """Arrangements of k points at unit spacing, centred on (0, 0): a row, a column, a compact grid, diagonals."""
    if k == 1:
        return [np.zeros((1, 2))]
    line = np.arange(k) - (k - 1) / 2
    found = [np.column_stack([line, np.zeros(k)]), np.column_stack([np.zeros(k), line])]
    columns = math.ceil(math.sqrt(k))
    rows = math.ceil(k / columns)
    grid = np.array([(i % columns, i // columns) for i in range(k)], dtype=float)
    grid -= np.array([(columns - 1) / 2, (rows - 1) / 2])
    if k % columns:  # centre the short last row under the full ones
        last = grid[:, 1] == grid[-1, 1]
        grid[last, 0] += (columns - k % columns) / 2
    found.append(grid)
    diagonal = line / math.sqrt(2)
    found += [np.column_stack([diagonal, diagonal]), np.column_stack([diagonal, -diagonal])]
    return found


def spread(shape: shapely.Geometry, k: int, spacing: float, margin: float) -> tuple[np.ndarray, bool]:
    """k points inside a (pixel) polygon, `spacing` apart and `margin` from its edge, nearest its pole; and whether
    they fit so. When they do not, they tighten toward the pole (spacing shrinks) and stay inside the polygon."""
    inner = shape.buffer(-margin)
    region = largest_part(inner) if not inner.is_empty else shape
    centre = np.array(pole(region))
    shapely.prepare(region)
    # Candidate centres: the pole first, then a grid over the region by distance from the pole.
    x0, y0, x1, y1 = region.bounds
    step = max(spacing / 3, 1.0)
    xs, ys = np.meshgrid(np.arange(x0, x1 + step, step), np.arange(y0, y1 + step, step))
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    grid = grid[shapely.contains_xy(region, grid[:, 0], grid[:, 1])]
    grid = grid[np.argsort(np.hypot(*(grid - centre).T))][:400]
    patterns = _patterns(k)
    if not inner.is_empty:
        for c in [centre, *grid]:
            for pattern in patterns:
                points = c + pattern * spacing
                if shapely.contains_xy(region, points[:, 0], points[:, 1]).all():
                    return points, True
    # Too small at this scale: the same arrangements, ever tighter around the pole, inside the town itself.
    centre = np.array(pole(shape))
    shapely.prepare(shape)
    for factor in (0.8, 0.6, 0.45, 0.3, 0.2, 0.1, 0.05):
        for pattern in patterns:
            points = centre + pattern * spacing * factor
            if shapely.contains_xy(shape, points[:, 0], points[:, 1]).all():
                return points, False
    return np.repeat(centre[None, :], k, axis=0), False


def text_box(centre: tuple[float, float], text: str, size: float) -> Box:
    """An estimated box of one line of sans-serif text in pixels (0.6 em a character, 1.25 em tall, 2 px of halo)."""
    half_w = (0.6 * size * len(text)) / 2 + 2
    half_h = 1.25 * size / 2
    return (centre[0] - half_w, centre[1] - half_h, centre[0] + half_w, centre[1] + half_h)


def boxes_overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True)
class Wanted:
    """A name the map would like to show: its text, its town's pixel shape, and where its markers stand."""

    key: int
    text: str
    shape: shapely.Geometry  # the town's largest part, in pixels
    anchor: tuple[float, float]  # its pole, in pixels
    marks: tuple[tuple[float, float], ...]  # its own markers' centres, in pixels (labels go beside them)
    must: bool = False  # the selected town: named even where nothing else fits


def _candidates(item: Wanted, half_w: float, half_h: float) -> list[tuple[float, float]]:
    """Label centres to try, best first: on the pole, then around the town's markers, then rings around the pole."""
    ax, ay = item.anchor
    found = [(ax, ay)]
    if item.marks:
        xs, ys = [m[0] for m in item.marks], [m[1] for m in item.marks]
        cx = (min(xs) + max(xs)) / 2
        gap = 10 + half_h  # a marker's radius and a little air
        found += [(cx, max(ys) + gap), (cx, min(ys) - gap), (max(xs) + 10 + half_w, ay), (min(xs) - 10 - half_w, ay)]
    for distance in (0.5, 1.0, 1.5, 2.0, 3.0, 4.5):
        for angle in range(0, 360, 15):
            a = math.radians(angle)
            found.append((ax + math.cos(a) * (half_w * 0.8 + 6) * distance, ay + math.sin(a) * (half_h + 6) * distance))
    return found


def place_labels(
    wanted: Sequence[Wanted],
    size: float,
    marks: Sequence[tuple[float, float, float]],
    avoid: Sequence[Box],
    window: Box,
    near: float = 12.0,
) -> dict[int, tuple[float, float]]:
    """Greedy by priority (the order of `wanted`): each name at its first candidate whose box overlaps no placed
    name, no box in `avoid`, no marker (x, y, radius) and stays in the `window` drawn; names that find none are left
    out.
    A name's centre is in its own town or within `near` pixels of it, unless `must` (the selected town: anywhere
    its candidates reach, so that it is always named)."""
    placed: list[Box] = list(avoid)
    names: list[Box] = []
    out: dict[int, tuple[float, float]] = {}
    for item in wanted:
        probe = text_box((0.0, 0.0), item.text, size)
        half_w, half_h = probe[2], probe[3]
        for centre in _candidates(item, half_w, half_h):
            box = text_box(centre, item.text, size)
            if box[0] < window[0] or box[1] < window[1] or box[2] > window[2] or box[3] > window[3]:
                continue
            if any(boxes_overlap(box, other) for other in placed):
                continue
            # No marker's disc may touch the box: its centre stays clear of the text by its radius.
            if any(box[0] - r < x < box[2] + r and box[1] - r < y < box[3] + r for x, y, r in marks):
                continue
            if not item.must and item.shape.distance(shapely.Point(centre)) > near:
                continue
            out[item.key] = centre
            placed.append(box)
            names.append(box)
            break
    return out
