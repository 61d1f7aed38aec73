"""The view state: what the user chose, read from the URL or the controls through one validation path."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.catalog import Catalog

_MAX_QUERY = 2000  # a longer query string is not one of ours
_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
_MAX_COMPARE = 3  # a before/after slide: up to three earlier dates beside the chosen one
NONE = "none"
EXTENTS = ("state", "metro")


@dataclass(frozen=True)
class ViewState:
    """What the user chose: shared through the URL, applied by pure functions. Build it with `view`."""

    classes: tuple[str, ...]
    waves: tuple[str, ...]
    as_of: str  # YYYY-MM: what is shown is what was filed, asked or decided by the end of this month
    vendors: tuple[str, ...]
    uasi: bool = True
    town: int | None = None
    agency: str | None = None  # a non-municipal agency chosen in the search box (its panel; nothing to highlight)
    present: bool = False  # presentation mode: map, legend, title and source only
    extent: str = "state"  # the whole state, or "metro": the map zoomed to the Metro Boston region
    policy: bool = True  # the policy layer: bans, moratoria and oversight ordinances outlined
    compare: tuple[str, ...] = ()  # earlier months drawn beside `as_of` in a before/after slide (slides only)
    lang: str = SOURCE_LANGUAGE  # the language the view is worded in (a code of dashboard.language)


@dataclass(frozen=True)
class Choices:
    """Everything a view may name: the declared catalog and the towns and agencies of the model."""

    catalog: Catalog
    town_ids: frozenset[int]
    agency_ids: frozenset[str]


def default_view(catalog: Catalog) -> ViewState:
    """The view of a link with no query: every class and wave, as of the latest month, the default vendors."""
    return ViewState(
        classes=catalog.class_ids,
        waves=tuple(w.month for w in catalog.waves),
        as_of=catalog.months[-1],
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


def _validated(raw: dict[str, object], choices: Choices) -> ViewState:
    """A view from raw values (ids, not slugs); each missing or invalid part falls back to its default."""
    catalog = choices.catalog
    default = default_view(catalog)
    parts: dict[str, Any] = {}
    for name, order in (("classes", default.classes), ("waves", default.waves), ("vendors", catalog.vendor_names)):
        value = raw.get(name)
        if isinstance(value, (list, tuple)):
            parts[name] = _pick(value, order)
    if raw.get("as_of") in catalog.months:
        parts["as_of"] = raw["as_of"]
    compare = raw.get("compare")
    if isinstance(compare, (list, tuple)):
        earlier = {m for m in compare if m in catalog.months and m < parts.get("as_of", default.as_of)}
        parts["compare"] = tuple(sorted(earlier))[:_MAX_COMPARE]
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
    parts["lang"] = language.known(raw.get("lang")) or SOURCE_LANGUAGE
    return dataclasses.replace(default, **parts)


def _from_slugs(value: str, by_slug: dict[str, str]) -> list[str] | None:
    """Ids for comma-separated slugs; None (the default) if any is unknown."""
    if value == NONE:
        return []
    parts = {p.strip().lower() for p in value.split(",") if p.strip()}
    if not parts or not parts <= set(by_slug):
        return None
    return [by_slug[p] for p in parts]


def _as_of_years(years: str, catalog: Catalog) -> str | None:
    """A link from before the time control (`years=A-B`, filed from A to B): as of December of B."""
    match = _YEARS.match(years.strip())
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2) or match.group(1))
    # A span outside the records' years is not one of ours: the whole span falls back, not a clamp of it.
    if not catalog.years[0] <= start <= end <= catalog.years[1]:
        return None
    return min(f"{end}-12", catalog.months[-1])


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
    if "date" in first:
        raw["as_of"] = first["date"].strip()
    else:
        raw["as_of"] = _as_of_years(first.get("years", ""), catalog)
    if "compare" in first:
        raw["compare"] = [m.strip() for m in first["compare"].split(",")[: _MAX_COMPARE + 1]]
    raw["uasi"] = {"1": True, "0": False}.get(first.get("uasi", ""))
    raw["policy"] = {"1": True, "0": False}.get(first.get("policy", ""))
    raw["present"] = first.get("present") == "1"
    town = first.get("town", "")
    if town.isascii() and town.isdigit() and len(town) < 6:
        raw["town"] = int(town)
    raw["agency"] = first.get("agency")
    raw["extent"] = first.get("extent")
    raw["lang"] = first.get("lang", "").strip().lower()
    return _validated(raw, choices)


def from_controls(
    classes: object,
    waves: object,
    date: object,
    vendors: object,
    layers: object,
    search: object,
    *,
    choices: Choices,
    present: bool = False,
    lang: object = None,
    agency_prefix: str = "agency:",
) -> ViewState:
    """The view the page's controls hold, ignoring anything the controls could not have sent."""
    raw: dict[str, object] = {
        "classes": classes if isinstance(classes, list) else [],
        "waves": waves if isinstance(waves, list) else [],
        "vendors": vendors if isinstance(vendors, list) else [],
        "as_of": _month_at(date, choices.catalog.months),
        "uasi": isinstance(layers, list) and "uasi" in layers,
        "policy": isinstance(layers, list) and "policy" in layers,
        "extent": "metro" if isinstance(layers, list) and "metro" in layers else "state",
        "present": present,
        "lang": lang,
    }
    if isinstance(search, int):
        raw["town"] = search
    elif isinstance(search, str) and search.startswith(agency_prefix):
        raw["agency"] = search[len(agency_prefix) :]
    return _validated(raw, choices)


def _month_at(index: object, months: tuple[str, ...]) -> str | None:
    """The month at a position of the time control, None for anything else."""
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(months):
        return months[index]
    return None


def month_index(state: ViewState, catalog: Catalog) -> int:
    """The time control's position for a view."""
    return catalog.months.index(state.as_of)


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
    if state.as_of != default.as_of:
        parts["date"] = state.as_of
    if state.compare:
        parts["compare"] = ",".join(state.compare)
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
    if state.lang != SOURCE_LANGUAGE:
        parts["lang"] = state.lang
    return "?" + urlencode(parts, safe=",") if parts else ""


def choices_of(catalog: Catalog, town_ids: Collection[int], agency_ids: Collection[str]) -> Choices:
    """The choices a model offers."""
    return Choices(catalog, frozenset(int(t) for t in town_ids), frozenset(str(a) for a in agency_ids))
