"""Months as the map's clock: the span of the dated data, and when a dated period is certainly past.

A date is only as precise as its source. A record filed "2019" may have been filed in any month of 2019, so as of
a month it counts as filed only once that is certain: from December 2019. A span "2019-2020" names at least one
filing in 2019: from December 2019 too.
"""

from __future__ import annotations

import re

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])")
_YEAR = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def known_by(period: str) -> str:
    """The first month (YYYY-MM) by which a period written YYYY-MM[-DD], YYYY or YYYY-YYYY has certainly begun."""
    month = _MONTH.match(period)
    if month and not _YEAR.match(period):
        return month.group(0)
    year = _YEAR.match(period)
    if year is None:
        raise ValueError(f"{period!r} is not a month, a year or a span of years")
    return f"{year.group(1)}-12"


def month_span(first: str, last: str) -> tuple[str, ...]:
    """Every month from `first` to `last` (YYYY-MM), both included."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)
