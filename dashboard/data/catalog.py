"""What the data declares the map may show: vendors, Clearview classes, request waves, years filed, policy kinds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from dashboard.data import schema
from dashboard.data.errors import DataError
from dashboard.data.months import known_by, month_span

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
class PolicyKind:
    """A kind of dated policy event (policy_kinds.csv), and how the map outlines a town under it."""

    id: str
    label: str  # plain words
    scope: str  # municipal or state
    color: str
    line: str  # solid, dash or dot: kinds differ without color too
    description: str


@dataclass(frozen=True)
class Catalog:
    """The declared choices, in display order; read-only like the model that holds it."""

    vendors: tuple[Vendor, ...]
    classes: tuple[ClearviewClass, ...]  # strongest evidence first: the precedence rule
    waves: tuple[Wave, ...]
    years: tuple[int, int]  # the first and last year filed in the records index
    policy_kinds: tuple[PolicyKind, ...]  # in the order policy_kinds.csv declares them
    #: The time control's steps: January of the first year filed to the latest dated fact (filing, wave or policy).
    months: tuple[str, ...] = ()

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

    def asked_month(self, month: object) -> str:
        """When a Clearview listing's request was certainly filed: its published month, else the last wave's."""
        return month if isinstance(month, str) else self.last_wave

    @cached_property
    def last_wave(self) -> str:
        """The month of the last request wave."""
        return max(w.month for w in self.waves)

    @property
    def not_asked_code(self) -> int:
        """The map's code for a town whose Clearview request was not yet filed as of the chosen month."""
        return len(self.classes) + 1

    @cached_property
    def clearview_year(self) -> int:
        """The year every Clearview request was filed (that of the waves)."""
        return int(self.waves[0].month[:4])

    @cached_property
    def policy_kind(self) -> dict[str, PolicyKind]:
        """Policy kind by id."""
        return {k.id: k for k in self.policy_kinds}


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
    policy_kinds = _policy_kinds(data_dir, tables, classes)
    events = tables[schema.POLICY_EVENTS.filename]["date"]
    last = max([f"{years[1]}-12", *(w.month for w in waves), *(known_by(str(d)) for d in events)])
    months = month_span(f"{years[0]}-01", last)
    return Catalog(vendors=vendors, classes=classes, waves=waves, years=years, policy_kinds=policy_kinds, months=months)


#: Two kinds the map outlines towns with must stay apart in grayscale (WCAG contrast of their luminances).
MIN_GRAY_CONTRAST = 1.5


def _luminance(color: str) -> float:
    """WCAG relative luminance of a #rrggbb color: what is left of it in grayscale."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def gray_contrast(first: str, second: str) -> float:
    """How far apart two colors stay in grayscale, as a contrast ratio (1 = the same gray)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _policy_kinds(
    data_dir: Path, tables: dict[str, pd.DataFrame], classes: tuple[ClearviewClass, ...]
) -> tuple[PolicyKind, ...]:
    """The declared policy kinds, told apart by color, gray and line; every event's kind among them."""
    path = data_dir / schema.POLICY_KINDS.filename
    rows = tables[schema.POLICY_KINDS.filename]
    kinds = tuple(
        PolicyKind(r.kind, r.label, r.scope, r.color, r.line, r.description) for r in rows.itertuples(index=False)
    )
    lines = dict(zip(rows["kind"], rows["source_line"]))
    class_colors = {c.color.lower(): c.id for c in classes}
    seen_colors: dict[str, str] = {}
    for kind in kinds:
        color = kind.color.lower()
        if color in class_colors:
            raise DataError(
                path,
                f"{kind.id} has the color {kind.color} of the Clearview class {class_colors[color]} "
                f"({schema.CLEARVIEW_CLASSES.filename})",
                line=lines[kind.id],
                fix="pick a color no Clearview class uses, so that a policy is never read as a class",
            )
        if color in seen_colors:
            raise DataError(
                path,
                f"{kind.id} has the color {kind.color}, as {seen_colors[color]} does",
                line=lines[kind.id],
                fix="give each kind its own color",
            )
        seen_colors[color] = kind.id
    outlined = [k for k in kinds if k.scope == "municipal"]
    for i, kind in enumerate(outlined):
        for earlier in outlined[:i]:
            if kind.line == earlier.line:
                raise DataError(
                    path,
                    f"{kind.id} and {earlier.id} both outline towns with a {kind.line} line",
                    line=lines[kind.id],
                    fix=f"give each municipal kind its own line ({', '.join(schema.POLICY_LINES)}): "
                    "kinds must differ without color too",
                )
            contrast = gray_contrast(kind.color, earlier.color)
            if contrast < MIN_GRAY_CONTRAST:
                raise DataError(
                    path,
                    f"{kind.id} ({kind.color}) and {earlier.id} ({earlier.color}) look alike in grayscale "
                    f"(contrast {contrast:.2f}:1, under {MIN_GRAY_CONTRAST}:1)",
                    line=lines[kind.id],
                    fix="make one of the two colors lighter or darker",
                )
    declared = {k.id: k for k in kinds}
    for kind_id in (*schema.FACE_SURVEILLANCE_KINDS, schema.OVERSIGHT_KIND):
        if kind_id not in declared or declared[kind_id].scope != "municipal":
            raise DataError(
                path,
                f"the municipal kind {kind_id} is not declared",
                fix=f"add a row {kind_id},<label>,municipal,<color>,<line>,<description>: "
                "the policy summary and the towns export report it",
            )
    events = tables[schema.POLICY_EVENTS.filename]
    for kind_id, line in zip(events["kind"], events["source_line"]):
        if kind_id not in declared:
            raise DataError(
                data_dir / schema.POLICY_EVENTS.filename,
                f"kind '{kind_id}' is not declared in {schema.POLICY_KINDS.filename}",
                line=line,
                fix=f"use a kind of {schema.POLICY_KINDS.filename} ({', '.join(declared)}), or add a row for it "
                "there (label, scope, color, line, description)",
            )
    return kinds
