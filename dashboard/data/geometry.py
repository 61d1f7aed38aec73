"""Map geometry prepared once: gap-free simplified towns, outlines of regions, marker points."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

#: Simplification tolerance in degrees (about 350 m): keeps the state's shape, sends ~250 KB.
TOLERANCE = 0.004
#: 5 decimals (about 1 m): shared vertices round alike; at 4, two edges cross and the coverage breaks.
DECIMALS = 5

#: Bump when the preparation below changes, so old caches are not reused.
VERSION = 1

Line = tuple[list[float | None], list[float | None]]


@dataclass(frozen=True)
class MapGeometry:
    """Everything the map draws that comes from the boundaries."""

    towns_geojson: dict  # FeatureCollection, feature id = TOWN_ID, simplified, clockwise rings
    town_outlines: dict[int, Line]  # TOWN_ID -> simplified outline, for the selected-town highlight
    points: dict[int, tuple[float, float]]  # TOWN_ID -> (lon, lat) inside the town
    county_outlines: dict[int, Line]  # FIPS -> outline
    uasi_outline: Line
    uasi_label: tuple[float, float]
    state_outline: Line

    def to_json(self) -> dict:
        """A plain-JSON form, for the on-disk cache."""
        return {
            "towns_geojson": self.towns_geojson,
            "town_outlines": {str(k): v for k, v in self.town_outlines.items()},
            "points": {str(k): v for k, v in self.points.items()},
            "county_outlines": {str(k): v for k, v in self.county_outlines.items()},
            "uasi_outline": self.uasi_outline,
            "uasi_label": self.uasi_label,
            "state_outline": self.state_outline,
        }

    @classmethod
    def from_json(cls, data: dict) -> MapGeometry:
        """Rebuild from `to_json` output."""
        return cls(
            towns_geojson=data["towns_geojson"],
            town_outlines={int(k): tuple(v) for k, v in data["town_outlines"].items()},
            points={int(k): tuple(v) for k, v in data["points"].items()},
            county_outlines={int(k): tuple(v) for k, v in data["county_outlines"].items()},
            uasi_outline=tuple(data["uasi_outline"]),
            uasi_label=tuple(data["uasi_label"]),
            state_outline=tuple(data["state_outline"]),
        )


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_line(value: object) -> bool:
    """A [longitudes, latitudes] pair of equal lengths, numbers with None between rings (as `outline` makes)."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(part, list) for part in value)
        and len(value[0]) == len(value[1]) > 0
        and all(v is None or _is_number(v) for part in value for v in part)
    )


def _is_point(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)


def _is_feature(value: object) -> bool:
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        return False
    shape = value.get("geometry")
    return (
        isinstance(shape, dict)
        and shape.get("type") in ("Polygon", "MultiPolygon")
        and isinstance(shape.get("coordinates"), list)
        and len(shape["coordinates"]) > 0
    )


def cache_is_valid(data: dict, town_ids: set[int], county_fips: set[int]) -> bool:
    """Whether a cache file holds what `to_json` writes, for exactly these towns and counties (never trusted)."""
    try:
        towns = data["towns_geojson"]
        features = towns["features"]
        return (
            towns.get("type") == "FeatureCollection"
            and isinstance(features, list)
            and all(_is_feature(f) for f in features)
            and {f["id"] for f in features} == town_ids
            and len(features) == len(town_ids)
            and {int(k) for k in data["town_outlines"]} == town_ids
            and all(_is_line(v) for v in data["town_outlines"].values())
            and {int(k) for k in data["points"]} == town_ids
            and all(_is_point(v) for v in data["points"].values())
            and {int(k) for k in data["county_outlines"]} == county_fips
            and all(_is_line(v) for v in data["county_outlines"].values())
            and _is_line(data["uasi_outline"])
            and _is_point(data["uasi_label"])
            and _is_line(data["state_outline"])
        )
    except (KeyError, TypeError, ValueError, AttributeError):  # a missing key, a list for a dict, "x" for an id
        return False


def cache_key(boundary_bytes: bytes, county_fips: dict[int, int], uasi: set[int]) -> str:
    """What the prepared geometry depends on: the boundary file, the regions and the preparation settings."""
    digest = hashlib.sha256(boundary_bytes)
    digest.update(json.dumps([sorted(county_fips.items()), sorted(uasi), TOLERANCE, DECIMALS, VERSION]).encode())
    return digest.hexdigest()[:20]


def simplify_coverage(geoms: np.ndarray, tolerance: float = TOLERANCE) -> np.ndarray:
    """Simplify towns together so shared borders stay shared (no slivers), rings clockwise for plotly."""
    simplified = shapely.coverage_simplify(geoms, tolerance)
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, DECIMALS))
    # plotly's geo choropleth fills counter-clockwise rings inside out.
    return shapely.orient_polygons(rounded, exterior_cw=True)


def outline(geom: shapely.Geometry) -> Line:
    """Longitudes and latitudes of every ring of a (multi)polygon, rings separated by None."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        coords = np.round(shapely.get_coordinates(ring), DECIMALS)
        lons += coords[:, 0].tolist() + [None]
        lats += coords[:, 1].tolist() + [None]
    return lons, lats


def build_map_geometry(geometry: gpd.GeoDataFrame, county_fips: dict[int, int], uasi: set[int]) -> MapGeometry:
    """Prepare the map's geometry from the repaired full-resolution towns."""
    ids = geometry["TOWN_ID"].astype(int).to_numpy()
    simple = simplify_coverage(geometry.geometry.to_numpy())
    features = [
        {"type": "Feature", "id": int(town_id), "properties": {}, "geometry": json.loads(shapely.to_geojson(shape))}
        for town_id, shape in zip(ids, simple)
    ]
    inside = shapely.point_on_surface(geometry.geometry.to_numpy())
    points = {int(t): (round(p.x, DECIMALS), round(p.y, DECIMALS)) for t, p in zip(ids, inside)}
    fips = np.array([county_fips[int(t)] for t in ids])
    counties = {int(f): outline(shapely.union_all(simple[fips == f])) for f in np.unique(fips)}
    region = shapely.union_all(simple[np.isin(ids, list(uasi))])
    # Label the region out in Massachusetts Bay so the text covers no town.
    minx, miny, maxx, maxy = region.bounds
    return MapGeometry(
        towns_geojson={"type": "FeatureCollection", "features": features},
        town_outlines={int(t): outline(shape) for t, shape in zip(ids, simple)},
        points=points,
        county_outlines=counties,
        uasi_outline=outline(region),
        uasi_label=(round(maxx + 0.1, DECIMALS), round((miny + maxy) / 2, DECIMALS)),
        state_outline=outline(shapely.union_all(simple)),
    )
