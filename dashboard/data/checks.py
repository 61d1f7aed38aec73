"""Checks across the curated tables: the published figures, the request waves, the years filed, the policy dates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.data import schema
from dashboard.data.errors import DataError
from dashboard.data.sources import checked_value

#: Slugs go into shared addresses (`wave=feb,apr`), so they stay URL-safe without escaping.
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def check_tables(data_dir: Path, tables: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Check what the tables say about each other; return the published figures by name, typed."""
    published = published_figures(
        data_dir / schema.PUBLISHED_FIGURES.filename, tables[schema.PUBLISHED_FIGURES.filename]
    )
    waves = tables[schema.REQUEST_WAVES.filename]
    _check_waves(data_dir / schema.REQUEST_WAVES.filename, waves)
    classes = tables[schema.CLEARVIEW_CLASSES.filename]
    dated = set(classes.loc[classes["dated"], "class_id"])
    _check_listing_months(
        data_dir / schema.CLEARVIEW_LISTINGS.filename, tables[schema.CLEARVIEW_LISTINGS.filename], waves, dated
    )
    _check_records_index(data_dir / schema.RECORDS_INDEX.filename, tables[schema.RECORDS_INDEX.filename], published)
    check_policy_events(data_dir / schema.POLICY_EVENTS.filename, tables[schema.POLICY_EVENTS.filename])
    return published


def published_figures(path: Path, frame: pd.DataFrame) -> dict[str, object]:
    """Each figure the page states, typed by its kind in the schema; fails on a missing or malformed one."""
    figures: dict[str, object] = {}
    lines: dict[str, int] = {}
    for row in frame.itertuples(index=False):
        kind = schema.figure_kind(row.figure)
        if kind is None:
            raise DataError(
                path,
                f"'{row.figure}' is not an allowed figure",
                line=row.source_line,
                fix=f"use one of: {', '.join(schema.FIGURE_KINDS)}, or listed_<class_id> for a listed class",
            )
        value = checked_value(path, row.source_line, f"figure '{row.figure}'", row.value, kind)
        figures[row.figure] = date.fromisoformat(str(value)) if kind == "date" else value
        lines[row.figure] = row.source_line
    missing = [name for name in schema.FIGURE_KINDS if name not in figures]
    if missing:
        raise DataError(
            path,
            f"missing figure(s): {', '.join(missing)}",
            fix="add a row figure,value,source for each, the source quoting or naming the place on the page",
        )
    first, last, published = figures["first_year_filed"], figures["last_year_filed"], figures["published"]
    assert isinstance(first, int) and isinstance(last, int) and isinstance(published, date)
    if first > last:
        raise DataError(
            path,
            f"first_year_filed {first} is after last_year_filed {last}",
            line=lines["first_year_filed"],
            fix="write the earliest and the latest year of the index's Year Filed column",
        )
    if last > published.year:
        raise DataError(
            path,
            f"last_year_filed {last} is after the year the index was published ({published.isoformat()})",
            line=lines["last_year_filed"],
            fix="write the latest year of the index's Year Filed column",
        )
    return figures


def _check_waves(path: Path, waves: pd.DataFrame) -> None:
    seen: dict[str, int] = {}
    for row in waves.itertuples(index=False):
        if not _SLUG.fullmatch(row.slug):
            raise DataError(
                path,
                f"slug '{row.slug}' is not lower-case letters, digits and dashes",
                line=row.source_line,
                fix="write a short lower-case slug, e.g. feb",
            )
        if row.slug in seen:
            raise DataError(
                path,
                f"slug '{row.slug}' is used twice (first on line {seen[row.slug]})",
                line=row.source_line,
                fix="give each wave its own slug",
            )
        seen[row.slug] = row.source_line


def _check_listing_months(path: Path, listings: pd.DataFrame, waves: pd.DataFrame, dated: set[str]) -> None:
    """Listings of a dated class carry a request month of a wave; the others carry none."""
    months = list(waves["month"])
    wave_text = ", ".join(months) or "none yet"
    for row in listings.itertuples(index=False):
        # pandas holds an empty cell as None or NaN depending on the column's other values.
        month = None if pd.isna(row.request_month) else str(row.request_month)
        if row.category in dated:
            if month is None:
                raise DataError(
                    path,
                    f"the {row.category} listing '{row.name_as_published}' has no request_month",
                    line=row.source_line,
                    fix=f"write its month as the page's table does, one of request_waves.csv ({wave_text})",
                )
            if month not in months:
                raise DataError(
                    path,
                    f"request_month '{month}' of '{row.name_as_published}' is not a request wave",
                    line=row.source_line,
                    fix=f"use a wave of request_waves.csv ({wave_text}), or add the wave there with its source",
                )
        elif month is not None:
            raise DataError(
                path,
                f"'{row.name_as_published}' is a {row.category} listing with request_month '{month}', "
                "but the page publishes no month for that list",
                line=row.source_line,
                fix="leave request_month empty: only use_or_communication listings have a month "
                "(the waves in request_waves.csv)",
            )


def _check_records_index(path: Path, records: pd.DataFrame, published: dict[str, object]) -> None:
    first, last, day = published["first_year_filed"], published["last_year_filed"], published["published"]
    assert isinstance(first, int) and isinstance(last, int) and isinstance(day, date)
    for row in records.itertuples(index=False):
        start, end = int(row.year_start), int(row.year_end)
        if start > end:
            raise DataError(
                path,
                f"year_start {start} is after year_end {end}",
                line=row.source_line,
                fix="write the earlier year in year_start (the index writes a span as 2018-2019)",
            )
        if start < first or end > last:
            raise DataError(
                path,
                f"year filed {start}-{end} is outside the index's span {first}-{last} "
                "(first_year_filed and last_year_filed in published_figures.csv)",
                line=row.source_line,
                fix="write the year as the index's Year Filed column does; if the page really holds it, "
                "correct published_figures.csv",
            )
        if row.published != day.isoformat():
            raise DataError(
                path,
                f"published {row.published} is not the index's publication date {day.isoformat()} "
                "(published in published_figures.csv)",
                line=row.source_line,
                fix="write the date as the index's Date Published column does, or correct published_figures.csv",
            )


def _precision(value: str) -> str:
    """'day' for YYYY-MM-DD, 'month' for YYYY-MM (the schema has checked it is one of the two)."""
    return "day" if len(value) == len("YYYY-MM-DD") else "month"


def check_policy_events(path: Path, events: pd.DataFrame) -> None:
    """Each event's date is as precise as it says, takes effect no earlier, and is quoted briefly from its source."""
    for row in events.itertuples(index=False):
        written = _precision(row.date)
        if written != row.date_precision:
            form = "a day YYYY-MM-DD" if row.date_precision == "day" else "a month YYYY-MM"
            raise DataError(
                path,
                f"{row.event_id}: date '{row.date}' is a {written}, but date_precision is {row.date_precision}",
                line=row.source_line,
                fix=f"write the date as {form}, or set date_precision to {written}; "
                "write a day only where the source states it (never an inferred day)",
            )
        effective = None if pd.isna(row.effective_date) else str(row.effective_date)
        if effective is not None:
            # Compare at the coarser of the two precisions: a month is not before a day of that month.
            common = min(len(effective), len(row.date))
            if effective[:common] < row.date[:common]:
                raise DataError(
                    path,
                    f"{row.event_id}: effective_date '{effective}' is before the date '{row.date}'",
                    line=row.source_line,
                    fix="date is the vote or signing and effective_date when it takes effect, never earlier; "
                    "check both against the source",
                )
        words = len(row.source_quote.split())
        if words >= schema.QUOTE_WORD_LIMIT:
            raise DataError(
                path,
                f"{row.event_id}: source_quote has {words} words, not under {schema.QUOTE_WORD_LIMIT}",
                line=row.source_line,
                fix="quote only the sentence of the source that states the fact, or the part of it that does",
            )
