"""The view state: what the user chose, read from the URL or the controls through one validation path."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard.data.catalog import Catalog

_MAX_QUERY = 2000  # a longer query string is not one of ours
_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
NONE = "none"
EXTENTS = ("state", "metro")


@dataclass(frozen=True)
class ViewState:
    """What the user chose: shared through the URL, applied by pure functions. Build it with `view`."""

    classes: tuple[str, ...]
    waves: tuple[str, ...]
    years: tuple[int, int]
    vendors: tuple[str, ...]
    uasi: bool = True
    town: int | None = None
    agency: str | None = None  # a non-municipal agency chosen in the search box (its panel; nothing to highlight)
    present: bool = False  # presentation mode: map, legend, title and source only
    extent: str = "state"  # the whole state, or "metro": the map zoomed to the Metro Boston region
    policy: bool = True  # the policy layer: bans, moratoria and oversight ordinances outlined


@dataclass(frozen=True)
class Choices:
    """Everything a view may name: the declared catalog and the towns and agencies of the model."""

    catalog: Catalog
    town_ids: frozenset[int]
    agency_ids: frozenset[str]


def default_view(catalog: Catalog) -> ViewState:
    """The view of a link with no query: every class and wave, all years, the vendors on by default."""
    return ViewState(
        classes=catalog.class_ids,
        waves=tuple(w.month for w in catalog.waves),
        years=catalog.years,
        vendors=catalog.default_vendors,
    )


def view(catalog: Catalog, **changes: Any) -> ViewState:
    """The default view with some choices changed (trusted callers: tests, named views)."""
    return dataclasses.replace(default_view(catalog), **changes)


# One validation path: the URL and the controls both hand raw values to these, and nothing else builds a view
# from untrusted input.
def _pick(values: Iterable[object], order: tuple[str, ...]) -> tuple[str, ...]:
    chosen = {v for v in values if isinstance(v, str)}
    return tuple(item for item in order if item in chosen)


def _span(low: object, high: object, bounds: tuple[int, int]) -> tuple[int, int] | None:
    if not (isinstance(low, int) and isinstance(high, int)) or isinstance(low, bool) or isinstance(high, bool):
        return None
    low, high = sorted((low, high))
    low, high = max(low, bounds[0]), min(high, bounds[1])
    return (low, high) if low <= high else None


def _validated(raw: dict[str, object], choices: Choices) -> ViewState:
    """A view from raw values (ids, not slugs); each missing or invalid part falls back to its default."""
    catalog = choices.catalog
    default = default_view(catalog)
    parts: dict[str, Any] = {}
    for name, order in (("classes", default.classes), ("waves", default.waves), ("vendors", catalog.vendor_names)):
        value = raw.get(name)
        if isinstance(value, (list, tuple)):
            parts[name] = _pick(value, order)
    years = raw.get("years")
    if isinstance(years, (list, tuple)) and len(years) == 2:
        span = _span(years[0], years[1], catalog.years)
        if span is not None:
            parts["years"] = span
    for flag in ("uasi", "policy"):
        if isinstance(raw.get(flag), bool):
            parts[flag] = raw[flag]
    town = raw.get("town")
    if isinstance(town, int) and not isinstance(town, bool) and town in choices.town_ids:
        parts["town"] = town
    agency = raw.get("agency")
    if "town" not in parts and isinstance(agency, str) and agency in choices.agency_ids:
        parts["agency"] = agency
    parts["present"] = raw.get("present") is True
    if raw.get("extent") in EXTENTS:
        parts["extent"] = raw["extent"]
    return dataclasses.replace(default, **parts)


def _from_slugs(value: str, by_slug: dict[str, str]) -> list[str] | None:
    """Ids for comma-separated slugs; None (the default) if any is unknown."""
    if value == NONE:
        return []
    parts = {p.strip().lower() for p in value.split(",") if p.strip()}
    if not parts or not parts <= set(by_slug):
        return None
    return [by_slug[p] for p in parts]


def parse_query(search: object, choices: Choices) -> ViewState:
    """The view a query string asks for; each malformed or unknown part falls back to its default."""
    if not isinstance(search, str) or len(search) > _MAX_QUERY:
        return _validated({}, choices)
    try:
        query = parse_qs(search.lstrip("?"), keep_blank_values=True, max_num_fields=20)
    except ValueError:
        return _validated({}, choices)
    first = {key: values[-1] for key, values in query.items() if values}
    catalog = choices.catalog
    raw: dict[str, object] = {}
    slugs = {
        "classes": ("classes", {c.slug: c.id for c in catalog.classes}),
        "wave": ("waves", {w.slug: w.month for w in catalog.waves}),
        "vendors": ("vendors", {v.slug: v.name for v in catalog.vendors}),
    }
    for key, (name, by_slug) in slugs.items():
        if key in first:
            raw[name] = _from_slugs(first[key], by_slug)
    years = _YEARS.match(first.get("years", "").strip())
    if years:
        start = int(years.group(1))
        end = int(years.group(2) or start)
        # A span outside the records' years is not one of ours: the whole span falls back, not a clamp of it.
        if catalog.years[0] <= start <= end <= catalog.years[1]:
            raw["years"] = (start, end)
    raw["uasi"] = {"1": True, "0": False}.get(first.get("uasi", ""))
    raw["policy"] = {"1": True, "0": False}.get(first.get("policy", ""))
    raw["present"] = first.get("present") == "1"
    town = first.get("town", "")
    if town.isascii() and town.isdigit() and len(town) < 6:
        raw["town"] = int(town)
    raw["agency"] = first.get("agency")
    raw["extent"] = first.get("extent")
    return _validated(raw, choices)


def from_controls(
    classes: object,
    waves: object,
    years: object,
    vendors: object,
    layers: object,
    search: object,
    *,
    choices: Choices,
    present: bool = False,
    agency_prefix: str = "agency:",
) -> ViewState:
    """The view the page's controls hold, ignoring anything the controls could not have sent."""
    raw: dict[str, object] = {
        "classes": classes if isinstance(classes, list) else [],
        "waves": waves if isinstance(waves, list) else [],
        "vendors": vendors if isinstance(vendors, list) else [],
        "years": years,
        "uasi": isinstance(layers, list) and "uasi" in layers,
        "policy": isinstance(layers, list) and "policy" in layers,
        "extent": "metro" if isinstance(layers, list) and "metro" in layers else "state",
        "present": present,
    }
    if isinstance(search, int):
        raw["town"] = search
    elif isinstance(search, str) and search.startswith(agency_prefix):
        raw["agency"] = search[len(agency_prefix) :]
    return _validated(raw, choices)


def _slugs(items: tuple[str, ...], slugs: dict[str, str]) -> str:
    return ",".join(slugs[i] for i in items) if items else NONE


def to_query(state: ViewState, catalog: Catalog) -> str:
    """The canonical query string of a view: only what differs from the default, '' for the default."""
    default = default_view(catalog)
    parts: dict[str, str] = {}
    if state.classes != default.classes:
        parts["classes"] = _slugs(state.classes, {c.id: c.slug for c in catalog.classes})
    if state.waves != default.waves:
        parts["wave"] = _slugs(state.waves, {w.month: w.slug for w in catalog.waves})
    if state.years != default.years:
        parts["years"] = f"{state.years[0]}-{state.years[1]}"
    if state.vendors != default.vendors:
        parts["vendors"] = _slugs(state.vendors, {v.name: v.slug for v in catalog.vendors})
    if state.uasi != default.uasi:
        parts["uasi"] = "1" if state.uasi else "0"
    if state.policy != default.policy:
        parts["policy"] = "1" if state.policy else "0"
    if state.town is not None:
        parts["town"] = str(state.town)
    elif state.agency is not None:
        parts["agency"] = state.agency
    if state.extent != default.extent:
        parts["extent"] = state.extent
    if state.present:
        parts["present"] = "1"
    return "?" + urlencode(parts, safe=",") if parts else ""


def choices_of(catalog: Catalog, town_ids: Collection[int], agency_ids: Collection[str]) -> Choices:
    """The choices a model offers."""
    return Choices(catalog, frozenset(int(t) for t in town_ids), frozenset(str(a) for a in agency_ids))
