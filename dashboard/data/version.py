"""The data version: the date of the latest correction in the changelog and a short hash of the curated files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dashboard.data.errors import DataError
from dashboard.data.schema import Column, Table
from dashboard.data.sources import read_bytes, read_table

#: The dated changelog of the curated data: what changed and why, in plain words.
CHANGELOG = Table("changelog.csv", (Column("date", "date"), Column("change"), Column("reason")))
#: Hex digits of the hash kept in the version, as a short git commit id.
HASH_LENGTH = 7


def data_hash(data_dir: Path) -> str:
    """sha256 over every data/*.csv, by file name order: each name, its size and its bytes; the first 7 hex digits."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.glob("*.csv"), key=lambda p: p.name):
        content = read_bytes(path)
        # Name and size delimit each file, so moving bytes from one file to the next changes the hash.
        digest.update(f"{path.name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:HASH_LENGTH]


def release_date(data_dir: Path) -> str:
    """The newest date in the changelog (YYYY-MM-DD)."""
    changelog = read_table(data_dir, CHANGELOG)
    if changelog.empty:
        raise DataError(data_dir / CHANGELOG.filename, "the changelog has no entry", fix="add a row date,change,reason")
    # ISO dates sort as text.
    return str(changelog["date"].max())


def data_version(data_dir: Path) -> str:
    """The release date and the short hash of data/, e.g. '2026-11-26+ab12cd3'."""
    return f"{release_date(data_dir)}+{data_hash(data_dir)}"
