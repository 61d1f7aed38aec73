"""The view state in the URL query string: parse anything without raising, write a canonical form."""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import parse_qs, urlencode

from dashboard.data.schema import CLEARVIEW_STATUSES
from dashboard.state.filters import ViewState
from dashboard.views.styles import CLASS_SLUGS, VENDOR_STYLE, WAVE_SLUGS, YEAR_RANGE

_DEFAULT = ViewState()
_MAX_QUERY = 2000  # a longer query string is not one of ours
_VENDOR_SLUGS = {style[2]: vendor for vendor, style in VENDOR_STYLE.items()}
_CLASS_BY_SLUG = {slug: status for status, slug in CLASS_SLUGS.items()}
_WAVE_BY_SLUG = {slug: wave for wave, slug in WAVE_SLUGS.items()}
_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
NONE = "none"


def _pick(value: str, by_slug: dict[str, str], order: tuple[str, ...]) -> tuple[str, ...] | None:
    """Known slugs in canonical order; None (use the default) if any part is unknown."""
    if value == NONE:
        return ()
    parts = {p.strip().lower() for p in value.split(",") if p.strip()}
    if not parts or not parts <= set(by_slug):
        return None
    chosen = {by_slug[p] for p in parts}
    return tuple(item for item in order if item in chosen)


def _years(value: str) -> tuple[int, int] | None:
    match = _YEARS.match(value.strip())
    if not match:
        return None
    start = int(match.group(1))
    end = int(match.group(2) or start)
    low, high = YEAR_RANGE
    if not (low <= start <= end <= high):
        return None
    return start, end


def parse_query(search: object, town_ids: Collection[int], agency_ids: Collection[str] = ()) -> ViewState:
    """The view a query string asks for; each malformed or unknown part falls back to its default."""
    if not isinstance(search, str) or len(search) > _MAX_QUERY:
        return _DEFAULT
    try:
        query = parse_qs(search.lstrip("?"), keep_blank_values=True, max_num_fields=20)
    except ValueError:
        return _DEFAULT
    first = {key: values[-1] for key, values in query.items() if values}
    classes = _pick(first.get("classes", ""), _CLASS_BY_SLUG, CLEARVIEW_STATUSES) if "classes" in first else None
    waves = _pick(first.get("wave", ""), _WAVE_BY_SLUG, tuple(WAVE_SLUGS)) if "wave" in first else None
    vendors = _pick(first.get("vendors", ""), _VENDOR_SLUGS, tuple(VENDOR_STYLE)) if "vendors" in first else None
    years = _years(first["years"]) if "years" in first else None
    uasi = {"1": True, "0": False}.get(first.get("uasi", ""))
    present = first.get("present") == "1"
    town = None
    raw_town = first.get("town", "")
    if raw_town.isascii() and raw_town.isdigit() and len(raw_town) < 6 and int(raw_town) in town_ids:
        town = int(raw_town)
    agency = first.get("agency")
    agency = agency if town is None and agency in agency_ids else None
    return ViewState(
        classes=_DEFAULT.classes if classes is None else classes,
        waves=_DEFAULT.waves if waves is None else waves,
        years=_DEFAULT.years if years is None else years,
        vendors=_DEFAULT.vendors if vendors is None else vendors,
        uasi=_DEFAULT.uasi if uasi is None else uasi,
        town=town,
        agency=agency,
        present=present,
    )


def _slugs(items: tuple[str, ...], slugs: dict[str, str]) -> str:
    return ",".join(slugs[i] for i in items) if items else NONE


def to_query(state: ViewState) -> str:
    """The canonical query string of a view: only what differs from the default, '' for the default."""
    parts: dict[str, str] = {}
    if state.classes != _DEFAULT.classes:
        parts["classes"] = _slugs(state.classes, CLASS_SLUGS)
    if state.waves != _DEFAULT.waves:
        parts["wave"] = _slugs(state.waves, WAVE_SLUGS)
    if state.years != _DEFAULT.years:
        parts["years"] = f"{state.years[0]}-{state.years[1]}"
    if state.vendors != _DEFAULT.vendors:
        parts["vendors"] = _slugs(state.vendors, {v: s[2] for v, s in VENDOR_STYLE.items()})
    if state.uasi != _DEFAULT.uasi:
        parts["uasi"] = "1" if state.uasi else "0"
    if state.town is not None:
        parts["town"] = str(state.town)
    elif state.agency is not None:
        parts["agency"] = state.agency
    if state.present:
        parts["present"] = "1"
    return "?" + urlencode(parts, safe=",") if parts else ""
