"""The data dictionary of the exports and the API: their column lists, the schema's values, data/columns.csv."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.data import schema
from dashboard.data.errors import DataError
from dashboard.data.policy import NO_POLICY
from dashboard.data.schema import Column, Table
from dashboard.data.sources import read_table
from dashboard.exports import tables
from dashboard.site.records import RECORD_COLUMNS

#: What each column means; a row with no table applies to every table with that column unless one names it.
COLUMN_MEANINGS = Table(
    "columns.csv",
    (Column("table", required=False), Column("column"), Column("kind", allowed=schema.COLUMN_KINDS), Column("meaning")),
)
START = "<!-- data-dictionary:start -->"
END = "<!-- data-dictionary:end -->"


@dataclass(frozen=True)
class Section:
    """One table of the dictionary: its key in columns.csv, its heading, where to get it, and its columns."""

    key: str
    heading: str
    where: str
    columns: tuple[str, ...]
    api_only: tuple[str, ...] = ()
    source: Table | None = None  # the curated table whose column of the same name declares the allowed values
    kind: str = "column"  # what the table's first column lists: a column, or a member of a JSON object


SECTIONS = (
    Section(
        "towns",
        "Towns",
        "`python -m dashboard export towns` (CSV or GeoJSON), `/api/v1/towns`, `/api/v1/towns/<slug>`",
        tuple(tables.TOWN_COLUMNS),
        api_only=("slug",),
    ),
    Section(
        "agencies",
        "Agencies",
        "`python -m dashboard export agencies` (CSV or GeoJSON), `/api/v1/agencies`",
        tuple(tables.AGENCY_COLUMNS),
        source=schema.AGENCIES,
    ),
    Section(
        "events",
        "Policy events",
        "`python -m dashboard export events` (CSV or GeoJSON), `/api/v1/events`",
        tuple(tables.EVENT_COLUMNS),
        source=schema.POLICY_EVENTS,
    ),
    Section(
        "records",
        "Records",
        "`python -m dashboard export records` (CSV), `/api/v1/records`, the records table's download",
        tuple(RECORD_COLUMNS),
    ),
    Section("answer", "Every API answer", "`/api/v1/…`", ("data_version", "source", "data", "error")),
    Section(
        "geojson",
        "Every GeoJSON file",
        "`python -m dashboard export towns|agencies|events --format geojson`, `/download/towns.geojson`; "
        "beside GeoJSON's own `type` and `features`",
        ("data_version",),
        kind="top-level member",
    ),
)


def _values(data_dir: Path) -> dict[tuple[str, str], list[str]]:
    """The values a column may hold where data/ or the exports declare them, by (table, column)."""
    classes = list(read_table(data_dir, schema.CLEARVIEW_CLASSES)["class_id"])
    values = {
        ("towns", "clearview_status"): classes,
        ("agencies", "clearview_status"): [*classes, tables.NOT_LISTED, tables.COMBINED_RECORD],
        ("towns", "face_surveillance_policy"): [*schema.FACE_SURVEILLANCE_KINDS.values(), NO_POLICY],
        ("towns", "uasi_region"): ["true", "false"],
        ("towns", "oversight_ordinance"): ["true", "false"],
        ("events", "kind"): list(read_table(data_dir, schema.POLICY_KINDS)["kind"]),
        ("events", "provenance"): [tables.EVENT_PROVENANCE],
        ("records", "atlas_technology"): list(schema.ATLAS_TECHNOLOGIES),
    }
    for section in SECTIONS:
        for column in section.source.columns if section.source else ():
            if column.allowed and column.name in section.columns:
                values[(section.key, column.name)] = list(column.allowed)
    return values


@dataclass(frozen=True)
class Field:
    """One published column: its name, kind (schema.COLUMN_KINDS), meaning, declared values, whether API-only."""

    name: str
    kind: str
    meaning: str
    values: tuple[str, ...] = ()
    api_only: bool = False


def _described(data_dir: Path) -> dict[tuple[str, str], tuple[str, str]]:
    frame = read_table(data_dir, COLUMN_MEANINGS)
    return {
        ("" if pd.isna(t) else str(t), str(c)): (str(k), str(m))
        for t, c, k, m in zip(frame["table"], frame["column"], frame["kind"], frame["meaning"])
    }


def published_fields(data_dir: Path) -> dict[str, tuple[Field, ...]]:
    """Every published table's columns (by section key) with kind, meaning and declared values: the one schema."""
    described = _described(data_dir)
    values = _values(data_dir)
    path = data_dir / COLUMN_MEANINGS.filename
    fields: dict[str, tuple[Field, ...]] = {}
    for section in SECTIONS:
        listed: list[Field] = []
        for column in (*section.columns, *section.api_only):
            found = described.get((section.key, column), described.get(("", column)))
            if found is None:
                raise DataError(path, f"no meaning for {section.key} column '{column}'", fix="add a row for it")
            kind, meaning = found
            allowed = tuple(values.get((section.key, column), ()))
            listed.append(Field(column, kind, meaning, allowed, column in section.api_only))
        fields[section.key] = tuple(listed)
    return fields


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def dictionary_markdown(data_dir: Path) -> str:
    """Markdown tables of every export's and answer's columns with their meanings and declared values."""
    fields = published_fields(data_dir)
    lines: list[str] = []
    for section in SECTIONS:
        lines += [f"**{section.heading}**: {section.where}", "", f"| {section.kind} | meaning |", "| --- | --- |"]
        for field in fields[section.key]:
            meaning = f"(API only) {field.meaning}" if field.api_only else field.meaning
            if field.values:
                meaning += ". Values: " + ", ".join(f"`{v}`" for v in field.values)
            lines.append(f"| `{field.name}` | {_cell(meaning)} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def readme_block(data_dir: Path) -> str:
    """The dictionary between the README's markers, as the README must hold it."""
    return f"{START}\n{dictionary_markdown(data_dir)}{END}"
