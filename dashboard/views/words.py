"""Counts and dates in plain words, in the language in use, as the page, the slides and the exports say them."""

from __future__ import annotations

import re
from datetime import date
from typing import cast

from babel.numbers import format_decimal, parse_pattern

from dashboard.language import _, current, long_date, month_year, ngettext, number

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_YEARS = re.compile(r"^(\d{4})-(\d{4})$")


def documents_text(count: object) -> str:
    """'1 document', '7 documents', or 'documents not stated'."""
    try:
        n = int(cast(int, count))
    except (TypeError, ValueError):
        return _("documents not stated")
    return count_of(n, "{n} document", "{n} documents")


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
    try:
        when = date(int(year), int(month), int(day or 1))
    except ValueError:
        return text
    return long_date(when) if day else month_year(when)


def count_of(count: int, singular: str, plural: str, **values: object) -> str:
    """A count with its noun in the language's plural form: count_of(18, "{n} municipality", "{n} municipalities").

    The two English forms are the catalogue's message (extracted like ngettext); {n} is the count as the language
    writes numbers, and any other {placeholder} of the sentence is one of `values`.
    """
    return ngettext(singular, plural, count).format(n=number(count), **values)


def percent_text(share: float, digits: int = 1) -> str:
    """A share as the language writes a percentage (CLDR), with `digits` decimals: '12.3%', '12,3 %', '12,3%'."""
    pattern = parse_pattern(current().locale.percent_formats[None].pattern)
    pattern.frac_prec = (digits, digits)
    return pattern.apply(share, current().locale)


def decimal_text(value: float, digits: int = 1) -> str:
    """A number with `digits` decimals as the language writes it: '1.5', '1,5'."""
    return format_decimal(value, format="#,##0." + "0" * digits, locale=current().locale)


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C' (the language's own 'and')."""
    if len(names) < 2:
        return names[0] if names else ""
    return _("{items} and {last}").format(items=", ".join(names[:-1]), last=names[-1])
