"""The shipped boundary file: the 351 MassGIS towns simplified as a coverage, rounded, written byte for byte."""

from __future__ import annotations

import hashlib
import json
import shlex
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

from dashboard.config import REPO_DIR
from dashboard.data.errors import DataError
from dashboard.data.schema import EXPECTED_TOWNS
from dashboard.data.sources import read_boundaries, read_bytes

#: Degrees (about 30 m at 42° N): far below what a state map shows, and shared borders stay shared.
TOLERANCE = 0.0003
#: About 0.1 m. At 5 decimals the rounding makes Newbury and Ipswich self-intersect and opens two holes.
DECIMALS = 6
#: The fields the dashboard reads; the others (older censuses, areas, colours) are left behind.
PROPERTIES = ("TOWN", "TOWN_ID", "FIPS_STCO", "POP2010")
#: The shipped file must stay small enough to commit and to read fast at every start.
MAX_BYTES = 1_500_000
#: Where the build writes by default: the file the default configuration reads.
DEFAULT_OUT = REPO_DIR / "geodata" / "ma_towns.geojson"

ORIGIN = {
    "publisher": "MassGIS (Bureau of Geographic Information), Commonwealth of Massachusetts",
    "layer": "Municipalities from Survey Points, multi-part polygons (TOWNSSURVEY_POLYM)",
    "license": "free public data of the Commonwealth of Massachusetts",
}
_POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


@dataclass(frozen=True)
class Prepared:
    """The bytes to write and what the summary line reports."""

    data: bytes
    towns: int
    vertices: int
    source_vertices: int


def prepare_geometry(geoms: np.ndarray, tolerance: float = TOLERANCE, decimals: int = DECIMALS) -> np.ndarray:
    """Simplify the towns together, round the coordinates and orient the rings as RFC 7946 asks."""
    simplified = shapely.coverage_simplify(geoms, tolerance)
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, decimals))
    return shapely.orient_polygons(rounded, exterior_cw=False)


def union_holes(geoms: np.ndarray) -> list[shapely.Polygon]:
    """The holes inside the union of all towns (gaps the coverage does not fill)."""
    union = shapely.union_all(geoms)
    return [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]


def new_holes(source: np.ndarray, prepared: np.ndarray) -> list[shapely.Polygon]:
    """Holes in the prepared union that match no hole of the source union."""
    before = shapely.union_all(union_holes(source))
    return [hole for hole in union_holes(prepared) if not hole.intersects(before)]


def problems(source: np.ndarray, prepared: np.ndarray, towns: list[str]) -> list[str]:
    """Everything that makes the prepared towns unfit to ship; empty when they are fine."""
    found = []
    if len(prepared) != EXPECTED_TOWNS:
        found.append(f"{len(prepared)} towns, not {EXPECTED_TOWNS}")
    wrong_type = [t for t, g in zip(towns, prepared) if shapely.get_type_id(g) not in _POLYGONAL]
    if wrong_type:
        found.append(f"not a polygon: {', '.join(wrong_type)}")
    invalid = [t for t, valid in zip(towns, shapely.is_valid(prepared)) if not valid]
    if invalid:
        found.append(f"invalid geometry: {', '.join(invalid)}")
    elif not shapely.coverage_is_valid(prepared):
        # Only meaningful on valid polygons: GEOS refuses invalid ones outright.
        found.append("neighbouring towns overlap or their shared borders no longer match")
    if not invalid:
        holes = new_holes(source, prepared)
        if holes:
            where = "; ".join(f"near {h.centroid.x:.4f}, {h.centroid.y:.4f}" for h in holes[:5])
            found.append(f"{len(holes)} new hole(s) between towns ({where})")
    return found


def provenance(source_name: str, source_sha256: str, tolerance: float, decimals: int) -> dict:
    """The foreign member naming the origin and how to rebuild; nothing that changes from run to run."""
    return {
        **ORIGIN,
        "input": {"file": source_name, "sha256": source_sha256},
        "preparation": (
            "repaired with shapely.make_valid, simplified together with shapely.coverage_simplify, "
            "coordinates rounded, rings counter-clockwise (RFC 7946), features in TOWN_ID order"
        ),
        "tolerance_degrees": tolerance,
        "decimals": decimals,
        "command": f"python -m dashboard geodata build --from {shlex.quote(source_name)}",
    }


def feature_collection(frame: gpd.GeoDataFrame, geoms: np.ndarray, meta: dict) -> dict:
    """A GeoJSON FeatureCollection of the towns, in the frame's order, with only the dashboard's fields."""
    features = [
        {
            "type": "Feature",
            "properties": {
                "TOWN": str(town),
                "TOWN_ID": int(town_id),
                "FIPS_STCO": int(fips),
                "POP2010": int(population),
            },
            "geometry": mapping(geom),
        }
        for town, town_id, fips, population, geom in zip(
            frame["TOWN"], frame["TOWN_ID"], frame["FIPS_STCO"], frame["POP2010"], geoms
        )
    ]
    return {"type": "FeatureCollection", "provenance": meta, "features": features}


def to_bytes(collection: dict) -> bytes:
    """Compact, ASCII, newline-terminated JSON: the same input always gives the same bytes."""
    return (json.dumps(collection, separators=(",", ":"), ensure_ascii=True, allow_nan=False) + "\n").encode("ascii")


def prepare(
    frame: gpd.GeoDataFrame,
    source: Path,
    source_bytes: bytes,
    tolerance: float = TOLERANCE,
    decimals: int = DECIMALS,
) -> Prepared:
    """Prepare the checked towns (from `read_boundaries` of `source`); raise DataError when the result is unfit."""
    original = frame.geometry.to_numpy()
    prepared = prepare_geometry(original, tolerance, decimals)
    found = problems(original, prepared, frame["TOWN"].astype(str).tolist())
    # Only the base name: the same download gives the same bytes wherever it is kept.
    meta = provenance(source.name, hashlib.sha256(source_bytes).hexdigest(), tolerance, decimals)
    data = to_bytes(feature_collection(frame, prepared, meta))
    if len(data) > MAX_BYTES:
        found.append(f"{len(data):,} bytes, over the {MAX_BYTES:,} allowed")
    if found:
        raise DataError(
            source,
            f"the prepared boundaries fail their checks: {'; '.join(found)}. Nothing was written.",
            fix="build from the unmodified MassGIS layer (TOWNSSURVEY_POLYM) converted to longitude/latitude",
        )
    return Prepared(
        data=data,
        towns=len(prepared),
        vertices=int(shapely.get_num_coordinates(prepared).sum()),
        source_vertices=int(shapely.get_num_coordinates(original).sum()),
    )


def write_geodata(source: Path, out: Path = DEFAULT_OUT) -> str:
    """Build the shipped boundary file from `source`, write it to `out` atomically, return a summary line."""
    prepared = prepare(read_boundaries(source), source, read_bytes(source))
    partial = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(prepared.data)
        # A rename, so that a failed write never leaves a half file where the app reads.
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DataError(
            out, f"could not write the boundary file ({exc.strerror}).", fix="choose a writable --out"
        ) from exc
    return (
        f"{out}: {prepared.towns} towns, {prepared.vertices:,} vertices (from {prepared.source_vertices:,}), "
        f"{len(prepared.data) / 1e6:.2f} MB ({len(prepared.data):,} bytes)"
    )
