"""All file reading: the curated CSV tables and the boundary file, checked as they are read."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from dashboard.config import BOUNDARY_HELP
from dashboard.errors import DataError
from dashboard.schema import BOUNDARY_FIELDS, EXPECTED_TOWNS, Table

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _convert(value: str, kind: str) -> object:
    if kind == "int":
        return int(value)
    if kind == "month" and not _MONTH.match(value):
        raise ValueError("expected a month written YYYY-MM")
    return value


def read_table(data_dir: Path, table: Table) -> pd.DataFrame:
    """Read one curated CSV, check it against its schema, and keep each row's line number."""
    path = data_dir / table.filename
    if not path.is_file():
        raise DataError(path, "file not found", fix=f"restore {table.filename} in the data folder ({data_dir})")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise DataError(path, "the file is empty", line=1, fix=f"write the header: {','.join(table.names)}")
        missing = [name for name in table.names if name not in header]
        if missing:
            raise DataError(
                path,
                f"missing column(s): {', '.join(missing)}",
                line=1,
                fix=f"the header must name: {','.join(table.names)}",
            )
        rows: list[dict[str, object]] = []
        seen: dict[tuple[object, ...], int] = {}
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise DataError(
                    path,
                    f"expected {len(header)} fields, found {len(values)}",
                    line=line,
                    fix="quote any value that contains a comma, and give every row all columns",
                )
            raw = dict(zip(header, (v.strip() for v in values)))
            row: dict[str, object] = {"source_line": line}
            for col in table.columns:
                value = raw[col.name]
                if value == "":
                    if col.required:
                        raise DataError(path, f"column '{col.name}' is empty", line=line, fix="fill it in")
                    row[col.name] = None
                    continue
                if col.allowed is not None and value not in col.allowed:
                    raise DataError(
                        path,
                        f"'{value}' is not an allowed {col.name}",
                        line=line,
                        fix=f"use one of: {', '.join(col.allowed)}",
                    )
                try:
                    row[col.name] = _convert(value, col.kind)
                except ValueError as exc:
                    kind = "a whole number" if col.kind == "int" else "a month written YYYY-MM"
                    raise DataError(
                        path,
                        f"column '{col.name}' holds '{value}', not {kind}",
                        line=line,
                        fix=f"write {kind}",
                    ) from exc
            if table.unique:
                key = tuple(row[c] for c in table.unique)
                if key in seen:
                    raise DataError(
                        path,
                        f"duplicate {', '.join(table.unique)} {key[0] if len(key) == 1 else key}"
                        f" (first on line {seen[key]})",
                        line=line,
                        fix="keep one row per key",
                    )
                seen[key] = line
            rows.append(row)
    frame = pd.DataFrame(rows, columns=["source_line", *table.names])
    for col in table.columns:
        if col.kind == "int":
            frame[col.name] = frame[col.name].astype("Int64")
    return frame


def read_json_cache(path: Path) -> dict | None:
    """A cached JSON document, or None when it is missing or unreadable (it is then rebuilt)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json_cache(path: Path, data: dict) -> None:
    """Write a cache file atomically; a read-only or full disk only costs the cache, never the start."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass


def read_bytes(path: Path) -> bytes:
    """A file's bytes (the boundary file, for its cache key)."""
    return path.read_bytes()


def read_boundaries(path: Path) -> gpd.GeoDataFrame:
    """Read and check the municipal boundaries: 351 unique TOWN_IDs, valid geometry after repair."""
    if not path.is_file():
        raise DataError(path, "the municipal boundary file was not found.", fix=BOUNDARY_HELP)
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise DataError(path, f"the boundary file could not be read as GeoJSON ({exc}).", fix=BOUNDARY_HELP) from exc
    missing = [f for f in BOUNDARY_FIELDS if f not in frame.columns]
    if missing:
        raise DataError(path, f"the boundary file lacks the field(s) {', '.join(missing)}.", fix=BOUNDARY_HELP)
    duplicated = sorted(set(frame.loc[frame["TOWN_ID"].duplicated(), "TOWN_ID"].tolist()))
    if duplicated:
        raise DataError(path, f"TOWN_ID repeated in the boundary file: {duplicated}.", fix=BOUNDARY_HELP)
    if len(frame) != EXPECTED_TOWNS:
        raise DataError(
            path,
            f"the boundary file holds {len(frame)} towns, not the {EXPECTED_TOWNS} municipalities.",
            fix=BOUNDARY_HELP,
        )
    if frame.crs is not None and not frame.crs.equals("EPSG:4326") and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    # WAYLAND's ring self-intersects in the MassGIS file; repair rather than drop.
    frame["geometry"] = shapely.make_valid(frame.geometry.values, method="structure", keep_collapsed=False)
    invalid = frame.loc[~frame.geometry.is_valid, "TOWN"].tolist()
    if invalid:
        raise DataError(path, f"geometry still invalid after repair: {invalid}.", fix=BOUNDARY_HELP)
    frame["TOWN_ID"] = frame["TOWN_ID"].astype(int)
    frame["FIPS_STCO"] = frame["FIPS_STCO"].astype(int)
    frame["POP2010"] = frame["POP2010"].astype(int)
    return frame[["TOWN_ID", "TOWN", "FIPS_STCO", "POP2010", "geometry"]].sort_values("TOWN_ID").reset_index(drop=True)
