"""All file reading: the curated CSV tables and the boundary file, checked as they are read."""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from dashboard.config import BOUNDARY_HELP, ENV_CACHE_DIR
from dashboard.data.errors import DataError
from dashboard.data.schema import BOUNDARY_FIELDS, EXPECTED_TOWNS, KIND_TEXT, Table

log = logging.getLogger(__name__)

_WHOLE = re.compile(r"\d+")
_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SPAN = re.compile(r"(\d{4})-(\d{4})")
#: Kinds whose values are numbers in the frame; the others keep the text as written, once checked.
_INTEGER_KINDS = ("int", "year")


def _check_month(value: str) -> None:
    match = _MONTH.fullmatch(value)
    if match is None:
        raise ValueError("")
    if not 1 <= int(match[2]) <= 12:
        raise ValueError(f"there is no month {match[2]}")


_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
#: An address a reader can open: http or https, a host, no spaces.
_URL = re.compile(r"https?://[^\s/?#]+\S*")


def _check_day(value: str) -> None:
    match = _DATE.fullmatch(value)
    if match is None:
        raise ValueError("")
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise ValueError("that day is not in the calendar") from exc


def convert(value: str, kind: str) -> object:
    """A cell's value for its column kind (int and year as int, others as written); ValueError says why not."""
    if kind == "int":
        # int() would also take '+5', ' 5' and '1_000': a count is written as plain digits.
        if not _WHOLE.fullmatch(value):
            raise ValueError("")
        return int(value)
    if kind == "year":
        if not _YEAR.fullmatch(value):
            raise ValueError("")
        return int(value)
    if kind == "bool":
        if value not in ("true", "false"):
            raise ValueError("")
        return value == "true"
    if kind == "color" and not _COLOR.fullmatch(value):
        raise ValueError("")
    if kind == "url" and not _URL.fullmatch(value):
        raise ValueError("")
    if kind == "month":
        _check_month(value)
    elif kind == "date":
        _check_day(value)
    elif kind == "day_or_month":
        if _DATE.fullmatch(value):
            _check_day(value)
        else:
            _check_month(value)
    elif kind == "period":
        span = _SPAN.fullmatch(value)
        if span is not None:
            if int(span[1]) > int(span[2]):
                raise ValueError("the span starts after it ends")
        elif not _YEAR.fullmatch(value):
            _check_month(value)
    return value


def checked_value(path: Path, line: int, what: str, value: str, kind: str) -> object:
    """convert(), turning a bad value into a DataError that names the file, the line and what it should be."""
    try:
        return convert(value, kind)
    except ValueError as exc:
        expected = KIND_TEXT[kind]
        # An empty reason means the value is not even in the expected form, which `expected` already says.
        reason = f": {exc}" if str(exc) else ""
        raise DataError(
            path, f"{what} holds '{value}', not {expected}{reason}", line=line, fix=f"write {expected}"
        ) from exc


def _decode(path: Path, data: bytes) -> str:
    """The file's text as UTF-8, a spreadsheet's byte-order mark allowed; a bad byte is reported by line."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        before = data[line_start : exc.start].decode("utf-8", errors="replace")[-30:]
        raise DataError(
            path,
            f"byte 0x{data[exc.start]:02X} after '{before}' is not UTF-8 (the file was saved in another encoding)",
            line=data.count(b"\n", 0, exc.start) + 1,
            fix="save it as CSV UTF-8 (in a spreadsheet: Save As, CSV UTF-8) and check the accented letters",
        ) from exc


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV row with the line it ends on; a malformed file becomes a DataError."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for values in reader:
            yield reader.line_num, values
    except csv.Error as exc:
        raise DataError(
            path, f"not readable as CSV ({exc})", line=reader.line_num, fix="save it again as CSV UTF-8"
        ) from exc


def read_table(data_dir: Path, table: Table) -> pd.DataFrame:
    """Read one curated CSV, check it against its schema, and keep each row's line number."""
    path = data_dir / table.filename
    if not path.is_file():
        raise DataError(path, "file not found", fix=f"restore {table.filename} in the data folder ({data_dir})")
    rows_in_file = _csv_rows(path, _decode(path, path.read_bytes()))
    _, header = next(rows_in_file, (1, None))
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
    seen_lines: dict[tuple[str, ...], int] = {}
    for line, values in rows_in_file:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise DataError(
                path,
                f"expected {len(header)} fields, found {len(values)}",
                line=line,
                fix="quote any value that contains a comma, and give every row all columns",
            )
        stripped = tuple(v.strip() for v in values)
        # A row pasted twice would count twice in tables without a key (the Clearview listings).
        if stripped in seen_lines:
            raise DataError(
                path,
                f"this row repeats line {seen_lines[stripped]} exactly",
                line=line,
                fix=f"delete one of the two (line {seen_lines[stripped]} or line {line})",
            )
        seen_lines[stripped] = line
        raw = dict(zip(header, stripped))
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
            row[col.name] = (
                value if col.kind == "text" else checked_value(path, line, f"column '{col.name}'", value, col.kind)
            )
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
        if col.kind in _INTEGER_KINDS:
            frame[col.name] = frame[col.name].astype("Int64")
    return frame


def read_json_cache(path: Path, valid: Callable[[dict], bool] | None = None) -> dict | None:
    """A cached JSON document, or None to rebuild it: missing, unreadable, or failing `valid` (one warning)."""
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None  # the first start or a new boundary file; a folder that is not one is reported on writing
    except OSError as error:
        log.warning("cache file %s cannot be read (%s): rebuilding it", path, error.strerror or error)
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
        log.warning("cache file %s is not valid JSON: rebuilding it", path)
        return None
    # Valid JSON is not yet a cache we wrote: never trust its content, check it.
    if not isinstance(data, dict) or (valid is not None and not valid(data)):
        log.warning("cache file %s does not hold what this version writes there: rebuilding it", path)
        return None
    return data


def write_json_cache(path: Path, data: dict) -> None:
    """Write a cache file atomically; a folder that cannot be written costs a warning and the cache, never the start."""
    partial: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A name of its own: workers starting together must not replace each other's half-written file.
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=path.stem + ".", suffix=".tmp")
        partial = Path(name)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o644)  # mkstemp makes it private; the server may run as another user
            out.write(json.dumps(data, separators=(",", ":")))
        partial.replace(path)
    except OSError as error:
        if partial is not None:
            partial.unlink(missing_ok=True)
        folder = path.parent
        reason = "it is a file" if folder.exists() and not folder.is_dir() else error.strerror or str(error)
        log.warning(
            "the cache folder %s cannot be written (%s): the map geometry will be rebuilt at every start "
            "(about a second). Set %s to a folder this user can write, or make this one writable.",
            folder,
            reason,
            ENV_CACHE_DIR,
        )


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


def read_catalogue(path: Path) -> Catalog:
    """A gettext catalogue (.po) as Babel reads it; a malformed one is a DataError naming its line."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise DataError(
            path,
            f"not a readable translation catalogue ({exc})",
            line,
            "mend the entry at that line, or run `pybabel update` to rewrite the catalogue",
        ) from exc
    except OSError as exc:
        raise DataError(path, f"cannot read the translation catalogue ({exc.strerror})") from exc
