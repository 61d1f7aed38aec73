"""Finding a town by what people type: its name, a name the records page uses, an agency, or a village, neighborhood
or ZIP code of the gazetteer (data/places.csv). One pure search, used by the map's search box and the site's search.

A place or ZIP code leads to its municipality and says so; a close spelling is only ever offered ("Did you mean"),
never taken; a name in two towns offers both."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from dashboard.data.memo import per_model
from dashboard.data.model import Model

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_ZIP = re.compile(r"\s*(\d{5})(?:[\s-]?\d{4})?\s*")
#: How alike two spellings must be to be offered as "Did you mean" (difflib's ratio): "Florance" for "Florence".
CLOSE_ENOUGH = 0.75


def place_key(text: str) -> str:
    """A name as searched: accents dropped, lower case, words separated by one space ("Jamaica-Plain" is
    "jamaica plain"); a ZIP+4 as its five digits."""
    zip_code = _ZIP.fullmatch(text)
    if zip_code:
        return zip_code.group(1)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_WORD.sub(" ", plain.lower()).strip()


@dataclass(frozen=True)
class Target:
    """What a search leads to: a municipality (by TOWN_ID) or a non-municipal agency (by id)."""

    kind: str  # "town" or "agency"
    key: int | str
    name: str


@dataclass(frozen=True)
class Match:
    """A target and, when it was found through the gazetteer, the place or ZIP code that leads to it."""

    target: Target
    place: str | None = None  # e.g. "Florence", "01062"; None when the target's own name (or a published one) matched
    place_kind: str | None = None  # one of schema.PLACE_KINDS
    postal_name: str | None = None  # a ZIP code's USPS city name, to say which post office it is


@dataclass(frozen=True)
class SearchResult:
    """What a search found: exact matches (a name, or a place in one or more towns), names containing the text, and
    close spellings offered as "Did you mean" (only when nothing else matched)."""

    query: str
    exact: tuple[Match, ...] = ()
    partial: tuple[Match, ...] = ()
    suggestions: tuple[Match, ...] = ()

    @property
    def only_target(self) -> Target | None:
        """The one town or agency the text names exactly by its own name, if that is all it names; else None."""
        targets = {m.target for m in self.exact}
        if len(targets) == 1 and all(m.place is None for m in self.exact):
            return next(iter(targets))
        return None


@dataclass(frozen=True)
class PlaceIndex:
    """Every searchable name, by its key, with what it leads to."""

    names: dict[str, tuple[Match, ...]]
    labels: dict[str, str]  # key -> the name as written (for "Did you mean")
    places_by_town: dict[int, tuple[str, ...]] = field(default_factory=dict)  # TOWN_ID -> its places and ZIP codes


def names_as_published(model: Model) -> dict[object, set[str]]:
    """Every name the records page uses for a town (by TOWN_ID) or an agency (by id)."""
    names: dict[object, set[str]] = {}
    frames = [
        (model.listings, "name_as_published"),
        (model.records, "submitted_to"),
        (model.vendor_records, "agency_as_published"),
    ]
    for frame, column in frames:
        for name, town_id, agency_id in zip(frame[column], frame["town_id"], frame["agency_id"]):
            key = agency_id if isinstance(agency_id, str) else int(town_id)
            names.setdefault(key, set()).add(str(name))
    for row in model.resolutions.itertuples():
        key = row.agency_id if isinstance(row.agency_id, str) else int(row.town_id)
        names.setdefault(key, set()).add(str(row.name_as_published))
    return names


def build_index(model: Model) -> PlaceIndex:
    """The index of the towns, the agencies (not the combined records), the names the records page uses, and the
    gazetteer's places."""
    names: dict[str, list[Match]] = {}
    labels: dict[str, str] = {}

    def add(text: str, match: Match) -> None:
        key = place_key(text)
        if not key:
            return
        found = names.setdefault(key, [])
        if match not in found:
            found.append(match)
        labels.setdefault(key, text)

    towns = {int(t): Target("town", int(t), str(name)) for t, name in model.towns["town"].items()}
    agencies = {
        str(a): Target("agency", str(a), str(row["name"]))
        for a, row in model.agencies.iterrows()
        if row["kind"] != "group"  # a combined record, not an agency anyone looks for
    }
    for target in [*towns.values(), *agencies.values()]:
        add(target.name, Match(target))
    for agency_id, target in agencies.items():
        add(agency_id, Match(target))
    for key, published in names_as_published(model).items():
        found = agencies.get(key) if isinstance(key, str) else towns.get(int(str(key)))
        if found is not None:
            for name in sorted(published):
                add(name, Match(found))
    by_town: dict[int, list[str]] = {}
    postal = _postal_names(model)
    for row in model.places.itertuples():
        target = towns[int(row.town_id)]
        place = str(row.place)
        add(place, Match(target, place, str(row.kind), postal.get(place) if row.kind == "zip_code" else None))
        by_town.setdefault(target.key, []).append(place)  # type: ignore[arg-type]
    return PlaceIndex(
        names={k: tuple(v) for k, v in names.items()},
        labels=labels,
        places_by_town={t: tuple(dict.fromkeys(p)) for t, p in by_town.items()},
    )


def _postal_names(model: Model) -> dict[str, str]:
    """A ZIP code's USPS city name (the gazetteer's postal_name column)."""
    names: dict[str, str] = {}
    for place, postal in zip(model.places["place"], model.places["postal_name"]):
        if isinstance(postal, str) and postal:
            names[str(place)] = postal
    return names


@per_model
def place_index(model: Model) -> PlaceIndex:
    """The model's search index, built once."""
    return build_index(model)


def _order(matches: list[Match]) -> tuple[Match, ...]:
    # Towns first, then agencies, each by name; a town's own name before the places that lead to it.
    unique = list(dict.fromkeys(matches))
    return tuple(
        sorted(unique, key=lambda m: (m.target.kind != "town", m.target.name, m.place is not None, m.place or ""))
    )


def search(index: PlaceIndex, text: str, limit: int = 20) -> SearchResult:
    """What a typed text finds: exact names and places first, then names containing it, else close spellings."""
    key = place_key(text)
    if not key:
        return SearchResult(text)
    if key in index.names:
        return SearchResult(text, exact=_dedupe_targets(list(index.names[key])))
    partial = [m for name, found in sorted(index.names.items()) if key in name for m in found]
    if partial:
        return SearchResult(text, partial=_dedupe_targets(partial)[:limit])
    close = difflib.get_close_matches(key, list(index.names), n=limit, cutoff=CLOSE_ENOUGH)
    # Closest spelling first: the order is the suggestion.
    suggestions = [m for name in close for m in index.names[name]]
    return SearchResult(text, suggestions=tuple(dict.fromkeys(suggestions))[:limit])


def _dedupe_targets(matches: list[Match]) -> tuple[Match, ...]:
    """One match per target and place: a town found by its own name is not listed again through its places."""
    own = {m.target for m in matches if m.place is None}
    return _order([m for m in matches if m.place is None or m.target not in own])


def town_search_words(index: PlaceIndex, town_id: int) -> tuple[str, ...]:
    """The places and ZIP codes that find a town in the map's search box."""
    return index.places_by_town.get(town_id, ())
