"""Name resolution: a name as published becomes a MassGIS TOWN_ID or a declared agency."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.data.errors import DataError

_SUFFIXES = (" PD", " Police Department")


@dataclass(frozen=True)
class Resolution:
    """What one published name refers to, and why."""

    town_id: int | None
    agency_id: str | None
    method: str  # "name" (matches the MassGIS name) or "alias" (name_resolutions.csv)
    reason: str


def town_key(name: str) -> str:
    """The upper-case form a published municipal name is matched on, without a police suffix."""
    name = " ".join(name.split())
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.upper()


class Resolver:
    """Resolves published names with the alias table first, then by the MassGIS name."""

    def __init__(self, towns: pd.DataFrame, aliases: pd.DataFrame, agency_ids: set[str], alias_path: Path) -> None:
        self._by_name = dict(zip(towns["TOWN"], towns["TOWN_ID"].astype(int)))
        self._aliases: dict[str, Resolution] = {}
        for row in aliases.itertuples(index=False):
            self._aliases[row.name_as_published] = self._alias(row, agency_ids, alias_path)

    def _alias(self, row: Any, agency_ids: set[str], path: Path) -> Resolution:
        town_id, town, agency_id, line = row.town_id, row.town, row.agency_id, row.source_line
        if pd.isna(town_id) == pd.isna(agency_id):
            raise DataError(path, "give either a town_id or an agency_id", line=line, fix="fill exactly one of the two")
        if not pd.isna(agency_id):
            if agency_id not in agency_ids:
                raise DataError(path, f"unknown agency_id '{agency_id}'", line=line, fix="declare it in agencies.csv")
            return Resolution(None, agency_id, "alias", row.reason)
        expected = self._by_name.get(str(town or "").upper())
        if expected != int(town_id):
            raise DataError(
                path,
                f"town_id {town_id} does not match town '{town}' (MassGIS TOWN_ID {expected})",
                line=line,
                fix="write the MassGIS TOWN name and its TOWN_ID",
            )
        return Resolution(int(town_id), None, "alias", row.reason)

    def town_id(self, name: str) -> int | None:
        """The TOWN_ID of a MassGIS town name, or None."""
        return self._by_name.get(town_key(name))

    def resolve(self, name: str, path: Path, line: int) -> Resolution:
        """Resolve a published name, or fail naming the file, the line and the name."""
        if name in self._aliases:
            return self._aliases[name]
        town_id = self.town_id(name)
        if town_id is not None:
            return Resolution(town_id, None, "name", "matches the MassGIS town name")
        raise DataError(
            path,
            f"the name '{name}' matches no municipality and no declared agency",
            line=line,
            fix="add a row for it to data/name_resolutions.csv with its TOWN_ID or agency_id and the reason",
        )
