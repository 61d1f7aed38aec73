"""What the data declares the map may show: vendors, Clearview classes, request waves and the years filed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from dashboard.data import schema
from dashboard.data.errors import DataError

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")


@dataclass(frozen=True)
class Vendor:
    """A vendor the records are about, and how the map marks it."""

    name: str
    slug: str  # in shared links
    symbol: str  # plotly marker symbol
    color: str
    glyph: str  # the marker as a text character, for keys
    outlined: bool  # too pale to show without a dark edge
    on_by_default: bool
    records_from_listings: bool  # its records are the Clearview use-list listings, not vendor_records.csv
    description: str


@dataclass(frozen=True)
class ClearviewClass:
    """One of the Clearview classes, strongest evidence first."""

    id: str
    label: str
    slug: str
    color: str
    listed: bool  # one of the page's lists (the last class holds the municipalities named in none)
    dated: bool  # the page gives each of its listings a request month
    description: str


@dataclass(frozen=True)
class Wave:
    """A month in which Clearview requests were sent."""

    month: str  # YYYY-MM
    label: str
    slug: str


@dataclass(frozen=True)
class Catalog:
    """The declared choices, in display order; read-only like the model that holds it."""

    vendors: tuple[Vendor, ...]
    classes: tuple[ClearviewClass, ...]  # strongest evidence first: the precedence rule
    waves: tuple[Wave, ...]
    years: tuple[int, int]  # the first and last year filed in the records index

    @cached_property
    def class_ids(self) -> tuple[str, ...]:
        """Class ids in precedence order."""
        return tuple(c.id for c in self.classes)

    @cached_property
    def listed_ids(self) -> tuple[str, ...]:
        """The classes that are lists on the page."""
        return tuple(c.id for c in self.classes if c.listed)

    @cached_property
    def not_listed(self) -> str:
        """The class of a municipality named in no list."""
        return next(c.id for c in self.classes if not c.listed)

    @cached_property
    def labels(self) -> dict[str, str]:
        """Class id to label."""
        return {c.id: c.label for c in self.classes}

    @cached_property
    def colors(self) -> dict[str, str]:
        """Class id to fill color."""
        return {c.id: c.color for c in self.classes}

    @cached_property
    def descriptions(self) -> dict[str, str]:
        """Class id to its one-sentence meaning."""
        return {c.id: c.description for c in self.classes}

    @cached_property
    def codes(self) -> dict[str, int]:
        """Class id to the map's integer code (its precedence rank)."""
        return {c.id: i for i, c in enumerate(self.classes)}

    @property
    def filtered_out_code(self) -> int:
        """The map's code for a town outside the filters."""
        return len(self.classes)

    @cached_property
    def vendor_names(self) -> tuple[str, ...]:
        """Vendor names in display order."""
        return tuple(v.name for v in self.vendors)

    @cached_property
    def default_vendors(self) -> tuple[str, ...]:
        """The vendors shown when a view names none."""
        return tuple(v.name for v in self.vendors if v.on_by_default)

    @cached_property
    def vendor(self) -> dict[str, Vendor]:
        """Vendor by name."""
        return {v.name: v for v in self.vendors}

    @cached_property
    def clearview(self) -> str:
        """The vendor whose records are the Clearview use-list listings."""
        return next(v.name for v in self.vendors if v.records_from_listings)

    @cached_property
    def wave_labels(self) -> dict[str, str]:
        """Wave month to its label."""
        return {w.month: w.label for w in self.waves}

    @cached_property
    def clearview_year(self) -> int:
        """The year every Clearview request was filed (that of the waves)."""
        return int(self.waves[0].month[:4])


def _slugs(path: Path, frame: pd.DataFrame, column: str) -> None:
    seen: dict[str, int] = {}
    for slug, line in zip(frame[column], frame["source_line"]):
        if not _SLUG.fullmatch(slug):
            raise DataError(
                path,
                f"slug '{slug}' is not lower-case letters, digits and dashes",
                line=line,
                fix="write a short slug such as lan-tel",
            )
        if slug in seen:
            raise DataError(path, f"slug '{slug}' repeats line {seen[slug]}", line=line, fix="give each its own slug")
        seen[slug] = line


def build_catalog(data_dir: Path, tables: dict[str, pd.DataFrame], published: dict[str, object]) -> Catalog:
    """The declared vendors, classes and waves, checked against each other and against the tables that use them."""
    vendors_path = data_dir / schema.VENDORS.filename
    classes_path = data_dir / schema.CLEARVIEW_CLASSES.filename
    vendor_rows = tables[schema.VENDORS.filename]
    class_rows = tables[schema.CLEARVIEW_CLASSES.filename]
    _slugs(vendors_path, vendor_rows, "slug")
    _slugs(classes_path, class_rows, "slug")
    vendors = tuple(
        Vendor(
            r.vendor,
            r.slug,
            r.symbol,
            r.color,
            r.glyph,
            r.outlined,
            r.on_by_default,
            r.records_from_listings,
            r.description,
        )
        for r in vendor_rows.itertuples(index=False)
    )
    if sum(v.records_from_listings for v in vendors) != 1:
        raise DataError(
            vendors_path,
            "exactly one vendor must have records_from_listings true",
            fix="set it true for Clearview AI only: its records are the use-or-communication listings",
        )
    classes = tuple(
        ClearviewClass(r.class_id, r.label, r.slug, r.color, r.listed, r.dated, r.description)
        for r in class_rows.itertuples(index=False)
    )
    if not classes or classes[-1].listed or any(not c.listed for c in classes[:-1]):
        raise DataError(
            classes_path,
            "the classes must be the page's lists, strongest evidence first, then one "
            "class (listed false) for the municipalities named in no list",
            fix="order the rows by precedence and mark only the last one listed false",
        )
    waves = tuple(Wave(r.month, r.label, r.slug) for r in tables[schema.REQUEST_WAVES.filename].itertuples(index=False))
    if len({w.month[:4] for w in waves}) != 1:
        raise DataError(
            data_dir / schema.REQUEST_WAVES.filename,
            "the waves span more than one year",
            fix="the Clearview requests were filed in one year: list its months",
        )
    listed = {c.id for c in classes if c.listed}
    uncounted = [c for c in sorted(listed) if schema.listed_figure(c) not in published]
    if uncounted:
        raise DataError(
            data_dir / schema.PUBLISHED_FIGURES.filename,
            f"no published count for the listed class(es) {', '.join(uncounted)}",
            fix=f"add a row {schema.listed_figure(uncounted[0])},N,<where the page lists them>",
        )
    listings = tables[schema.CLEARVIEW_LISTINGS.filename]
    for category, line in zip(listings["category"], listings["source_line"]):
        if category not in listed:
            raise DataError(
                data_dir / schema.CLEARVIEW_LISTINGS.filename,
                f"'{category}' is not a listed class",
                line=line,
                fix=f"use a class_id of {schema.CLEARVIEW_CLASSES.filename} with listed "
                f"true: {', '.join(sorted(listed))}",
            )
    names = {v.name for v in vendors}
    records = tables[schema.VENDOR_RECORDS.filename]
    for vendor, line in zip(records["vendor"], records["source_line"]):
        if vendor not in names:
            raise DataError(
                data_dir / schema.VENDOR_RECORDS.filename,
                f"vendor '{vendor}' is not declared in {schema.VENDORS.filename}",
                line=line,
                fix=f"add a row for it to {schema.VENDORS.filename} (slug, symbol, color, glyph, "
                "description), or correct the name",
            )
    years = (int(str(published["first_year_filed"])), int(str(published["last_year_filed"])))
    return Catalog(vendors=vendors, classes=classes, waves=waves, years=years)
