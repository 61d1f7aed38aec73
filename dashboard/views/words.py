"""Counts and dates in plain words, as the page, the slides and the exports' readers say them."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import cast

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_YEARS = re.compile(r"^(\d{4})-(\d{4})$")


def documents_text(count: object) -> str:
    """'1 document', '7 documents', or 'documents not stated'."""
    try:
        n = int(cast(int, count))
    except (TypeError, ValueError):
        return "documents not stated"
    return f"{n:,} document" + ("" if n == 1 else "s")


def date_text(value: object) -> str:
    """'2020-02' as 'February 2020', '2021-02-26' as 'February 26, 2021', '2019-2020' as '2019–2020'.

    A month stays a month and a year a year: no day is ever invented. Anything else is returned as written.
    """
    if isinstance(value, date):
        value = value.isoformat()
    text = str(value).strip()
    years = _YEARS.match(text)
    if years:
        return f"{years.group(1)}–{years.group(2)}"
    match = _PERIOD.match(text)
    if not match:
        return text
    year, month, day = match.groups()
    if month is None:
        return year
    name = calendar.month_name[int(month)]
    return f"{name} {int(day)}, {year}" if day else f"{name} {year}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 municipality', '18 municipalities'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}" if names else ""
