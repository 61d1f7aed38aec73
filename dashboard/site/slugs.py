"""Page addresses: each town's slug, each agency's id, the published names that redirect to them, and search."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dashboard.data.model import Model

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
#: How a town's police is often written after its name ("Boston PD"): the town's address without it is the town's.
_POLICE = ("-pd", "-police-department", "-police")


def slugify(name: str) -> str:
    """'Manchester By The Sea' as 'manchester-by-the-sea': lower case, hyphens for spaces and punctuation."""
    return _NOT_SLUG.sub("-", name.lower()).strip("-")


@dataclass(frozen=True)
class Place:
    """A page: a town (by slug) or a non-municipal agency (by id)."""

    kind: str  # "town" or "agency"
    key: str  # the town's slug or the agency's id
    name: str

    @property
    def path(self) -> str:
        """The page's canonical path."""
        return f"/{self.kind}/{self.key}"


@dataclass(frozen=True)
class Directory:
    """Every page and every other name that leads to one."""

    town_slugs: dict[int, str]  # TOWN_ID -> canonical slug
    towns: dict[str, Place]  # canonical slug -> town page
    agencies: dict[str, Place]  # agency id -> agency page
    aliases: dict[str, Place]  # a published name's slug -> the page it means

    def town_id(self, slug: str) -> int:
        """The TOWN_ID of a canonical town slug."""
        return next(t for t, s in self.town_slugs.items() if s == slug)

    def town_place(self, town_id: int) -> Place:
        """The town's page."""
        return self.towns[self.town_slugs[town_id]]

    def find(self, text: str) -> Place | None:
        """The page a slug, id or published name means exactly, or None."""
        slug = slugify(text)
        for table in (self.towns, self.agencies, self.aliases):
            if slug in table:
                return table[slug]
        # Agency ids use underscores; a typed address may use hyphens.
        return self.agencies.get(slug.replace("-", "_"))


def _published_names(model: Model) -> list[tuple[str, object, object]]:
    """(name, town_id, agency_id) for every name the records page or the alias table uses."""
    frames = [
        (model.resolutions, "name_as_published"),
        (model.listings, "name_as_published"),
        (model.records, "submitted_to"),
        (model.vendor_records, "agency_as_published"),
    ]
    names = []
    for frame, column in frames:
        names += list(zip(frame[column], frame["town_id"], frame["agency_id"]))
    return names


def build_directory(model: Model) -> Directory:
    """Slugs for the 351 towns and the agencies, and the aliases that are unambiguous."""
    town_slugs = {int(t): slugify(name) for t, name in model.towns["town"].items()}
    if len(set(town_slugs.values())) != len(town_slugs):
        raise ValueError("two municipalities share a page address")
    towns = {slug: Place("town", slug, str(model.towns.loc[t, "town"])) for t, slug in town_slugs.items()}
    agencies = {str(a): Place("agency", str(a), str(name)) for a, name in model.agencies["name"].items()}
    meant: dict[str, set[Place]] = {}
    for name, town_id, agency_id in _published_names(model):
        if isinstance(agency_id, str):
            place = agencies[agency_id]
        elif not pd.isna(town_id):
            place = towns[town_slugs[int(str(town_id))]]
        else:
            continue
        slug = slugify(str(name))
        keys = {slug} | {slug.removesuffix(s) for s in _POLICE if place.kind == "town" and slug.endswith(s)}
        for key in keys:
            meant.setdefault(key, set()).add(place)
    # A canonical address always wins, and a name that could mean two pages leads to neither.
    aliases = {
        slug: next(iter(places))
        for slug, places in meant.items()
        if len(places) == 1 and slug and slug not in towns and slug not in agencies
    }
    return Directory(town_slugs=town_slugs, towns=towns, agencies=agencies, aliases=aliases)
