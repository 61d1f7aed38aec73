"""What is known about one town or agency: its listings, records, policy events and the agencies that reach it.

Built once per model (`dossiers`) as plain read-only values. `Dossier.at(month)` is the same place as of the end of
a month: each fact not yet known then (a record not yet filed, a request not yet sent, a decision not yet voted) is
marked `later`. Every surface (the map's panel and hover, the town, agency and compare pages, the API, the slides)
reads these values and only words them (views/wording.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd

from dashboard.data.memo import per_model, per_model_and
from dashboard.data.model import Model
from dashboard.data.months import known_by

T = TypeVar("T")


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _text(value: object) -> str | None:
    return None if _missing(value) else str(value)


@dataclass(frozen=True)
class Source:
    """Where a record is published: its own page where a verified address exists, else its section's page."""

    title: str
    url: str
    own_page: bool
    section: str


@dataclass(frozen=True)
class Record:
    """One record of the records index."""

    row: int
    source: Source
    submitted_to: str  # as the index writes it
    vendor: str | None  # the vendor it is about; None for a record about no one vendor
    named_in: str | None  # vendor_table, or title: the vendor is named only in the record's title
    year_start: int
    year_end: int
    requested: str | None  # the vendor table's month or years of the request, where it gives one
    month: str  # the month from which it is certainly filed (the time control's rule)
    documents: int
    finding: str | None  # what the record's own part of the page says its documents showed
    vendor_record: bool  # one of the place's vendor records (Clearview AI: only a listing's record of its own)
    clearview_list: bool  # the record of a Clearview listing (its own, or a list's combined record)
    later: bool = False  # not yet filed as of the dossier's month

    @property
    def title(self) -> str:
        """The record's title as the index writes it."""
        return self.source.title


@dataclass(frozen=True)
class Listing:
    """A published Clearview listing of the place: how it was listed, whether it counts, and its record."""

    name_as_published: str
    status: str  # the class it is listed under
    winner: str  # the class that counts for the place (its own when it counts)
    counted: bool
    month: str | None  # the request month the page gives (the use list only)
    asked: str  # the month its request was certainly filed
    record: Record
    documents: int | None  # its own record's documents; None when it shares a combined record
    shared_by: int  # listed departments and agencies sharing its record (1: a record of its own)
    later: bool = False  # not yet asked as of the dossier's month

    @property
    def zero(self) -> bool:
        """Counted in its class, yet its own record holds 0 documents."""
        return self.counted and self.documents == 0


@dataclass(frozen=True)
class Event:
    """A policy decision from outside the records page, dated as its source states it."""

    event_id: str
    kind: str
    date: str  # as precise as the source: YYYY-MM-DD or YYYY-MM
    effective_date: str | None
    title: str
    source_url: str
    source_quote: str
    month: str  # the month of the vote or signing
    later: bool = False  # voted after the dossier's month
    effective_later: bool = False  # voted by then, in force only from a stated later date


@dataclass(frozen=True)
class Reaching:
    """An agency whose records reach a town (its county's sheriff, a state agency), with those records."""

    agency_id: str
    name: str
    reach: str
    records: tuple[Record, ...]

    @property
    def known(self) -> tuple[Record, ...]:
        """Its records filed by the dossier's month."""
        return tuple(r for r in self.records if not r.later)

    @property
    def later(self) -> bool:
        """None of its records was filed yet."""
        return not self.known

    @property
    def documents(self) -> int:
        """Documents of its records filed by then."""
        return sum(r.documents for r in self.known)

    @property
    def vendors(self) -> tuple[str, ...]:
        """The vendors of its vendor records filed by then."""
        return _vendors(self.known)


def _vendors(records: Iterable[Record]) -> tuple[str, ...]:
    return tuple(sorted({r.vendor for r in records if r.vendor and r.vendor_record}, key=str.lower))


@dataclass(frozen=True)
class Dossier:
    """Everything known about one town or agency (`kind` "town" or "agency"), as of `as_of` (None: all of it)."""

    kind: str
    key: int | str  # TOWN_ID or agency_id
    name: str
    listings: tuple[Listing, ...]
    records: tuple[Record, ...]  # every record about its own agencies, Clearview lists' included, in index order
    events: tuple[Event, ...]
    # A town's:
    county: str | None = None
    county_fips: int | None = None
    population: int | None = None
    uasi: bool = False
    reaching: tuple[Reaching, ...] = ()  # its county's sheriff, then the statewide agencies, each with records
    offices_here: tuple[str, ...] = ()  # agencies with offices in the town (a fact from outside the records page)
    unlisted: str | None = None  # a town's class when no list names it ("not listed"); None for an agency
    # An agency's:
    name_as_published: str | None = None
    agency_kind: str | None = None
    reach: str | None = None
    offices: int | None = None  # the town of its offices, where known
    offices_outside: bool = False  # that town is a fact from outside the records page
    as_of: str | None = None

    @property
    def counted(self) -> Listing | None:
        """The listing that gives the place its class, if any."""
        return next((listing for listing in self.listings if listing.counted), None)

    @property
    def status(self) -> str | None:
        """The place's class, whatever the month: its counted listing's, else a town's "not listed" (an agency named
        in no list has none)."""
        counted = self.counted
        return counted.winner if counted is not None else self.unlisted

    @property
    def asked(self) -> str | None:
        """The month its Clearview request was certainly filed (None: named in no list)."""
        counted = self.counted
        return counted.asked if counted is not None else None

    @property
    def own_records(self) -> tuple[Record, ...]:
        """Its records that are not the record of one of its Clearview listings."""
        listed = {listing.record.row for listing in self.listings}
        return tuple(r for r in self.records if r.row not in listed)

    @property
    def known_records(self) -> tuple[Record, ...]:
        """Its records filed by the dossier's month."""
        return tuple(r for r in self.records if not r.later)

    @property
    def vendors(self) -> tuple[str, ...]:
        """The vendors its own vendor records filed by the month are about (Clearview AI: a record of its own)."""
        return _vendors(self.known_records)

    @property
    def reaching_known(self) -> tuple[Reaching, ...]:
        """The agencies reaching it that had filed records by the month."""
        return tuple(r for r in self.reaching if not r.later)

    def at(self, month: str | None) -> Dossier:
        """The same place as of the end of `month` (YYYY-MM; None: everything), each later fact marked."""
        if month == self.as_of:
            return self
        if month is None:
            return _whole(self)
        return _at(self, month)


def _whole(dossier: Dossier) -> Dossier:
    """Nothing later: the dossier of all the data."""

    def clear(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(dataclasses.replace(item, later=False) for item in items)

    return dataclasses.replace(
        dossier,
        as_of=None,
        records=clear(dossier.records),
        listings=tuple(
            dataclasses.replace(x, later=False, record=dataclasses.replace(x.record, later=False))
            for x in dossier.listings
        ),
        events=tuple(dataclasses.replace(e, later=False, effective_later=False) for e in dossier.events),
        reaching=tuple(dataclasses.replace(r, records=clear(r.records)) for r in dossier.reaching),
    )


def _mark(records: tuple[Record, ...], month: str) -> tuple[Record, ...]:
    return tuple(dataclasses.replace(r, later=r.month > month) for r in records)


#: Agencies reaching towns as of a month, by identity: one statewide agency reaches all 351 towns, so it is marked
#: once per month, not once per town (hashing its records would cost more than marking them).
_REACHING_AT: dict[tuple[int, str], tuple[Reaching, Reaching]] = {}


def _reaching_at(reaching: Reaching, month: str) -> Reaching:
    """An agency reaching towns, as of a month (the same value for every town it reaches)."""
    entry = _REACHING_AT.get((id(reaching), month))
    if entry is not None and entry[0] is reaching:
        return entry[1]
    marked = dataclasses.replace(reaching, records=_mark(reaching.records, month))
    if len(_REACHING_AT) > 10_000:  # models built and dropped (tests): start again
        _REACHING_AT.clear()
    _REACHING_AT[(id(reaching), month)] = (reaching, marked)
    return marked


def _at(dossier: Dossier, month: str) -> Dossier:
    return dataclasses.replace(
        dossier,
        as_of=month,
        records=_mark(dossier.records, month),
        listings=tuple(
            dataclasses.replace(x, later=x.asked > month, record=dataclasses.replace(x.record, later=x.asked > month))
            for x in dossier.listings
        ),
        events=tuple(
            dataclasses.replace(
                e,
                later=e.month > month,
                effective_later=e.effective_date is not None and known_by(e.effective_date) > month,
            )
            for e in dossier.events
        ),
        reaching=tuple(_reaching_at(r, month) for r in dossier.reaching),
    )


@dataclass(frozen=True)
class Dossiers:
    """Every town's and agency's dossier (read-only), built once per model by `dossiers`."""

    towns: dict[int, Dossier]
    agencies: dict[str, Dossier]
    #: Agencies whose records reach the whole state, with at least one record: the same for every town.
    statewide: tuple[Reaching, ...]


def _sources(model: Model) -> dict[int, Source]:
    records = model.records
    return {
        int(row): Source(
            str(title), str(url) if isinstance(url, str) else str(section_url), isinstance(url, str), str(s)
        )
        for row, title, url, section_url, s in zip(
            records["row"], records["title"], records["record_url"], records["section_url"], records["section"]
        )
    }


def _records(model: Model) -> dict[int, Record]:
    """Every record of the index by row, as a dossier holds it (vendor_record set per place below)."""
    sources = _sources(model)
    records = model.records
    requested = model.vendor_records.drop_duplicates("record_row").set_index("record_row")["requested"]
    listed = set(model.listings["record_row"])
    return {
        int(row.row): Record(
            row=int(row.row),
            source=sources[int(row.row)],
            submitted_to=str(row.submitted_to),
            vendor=_text(row.vendor),
            named_in=_text(row.named_in),
            year_start=int(row.year_start),
            year_end=int(row.year_end),
            requested=_text(requested.get(row.row)),
            month=str(row.filed_month),
            documents=int(row.documents),
            finding=_text(row.finding),
            vendor_record=False,
            clearview_list=int(row.row) in listed,
        )
        for row in records.itertuples(index=False)
    }


def _own(records: dict[int, Record], rows: Iterable[int], vendor_rows: set[int]) -> tuple[Record, ...]:
    return tuple(dataclasses.replace(records[r], vendor_record=r in vendor_rows) for r in sorted(set(rows)))


def _by(items: list[tuple[object, T]]) -> dict[object, tuple[T, ...]]:
    """Items grouped by their key, in order; a missing key is left out."""
    grouped: dict[object, list[T]] = {}
    for key, item in items:
        if not _missing(key):
            grouped.setdefault(int(key) if isinstance(key, (int, float)) else key, []).append(item)
    return {key: tuple(group) for key, group in grouped.items()}


def _listings(model: Model, records: dict[int, Record]) -> list[tuple[object, object, Listing]]:
    """Every listing with its town and agency, in the listings' order."""
    listings = model.listings
    shared_by = listings.groupby("record_row")["entity"].nunique().to_dict()
    catalog = model.catalog
    return [
        (
            row["town_id"],
            row["agency_id"],
            Listing(
                name_as_published=str(row["name_as_published"]),
                status=str(row["category"]),
                winner=str(row["winner"]),
                counted=row["outcome"] == "status",
                month=_text(row["request_month"]),
                asked=catalog.asked_month(_text(row["request_month"])),
                record=records[int(row["record_row"])],
                documents=None if _missing(row["documents"]) else int(row["documents"]),
                shared_by=int(shared_by[row["record_row"]]),
            ),
        )
        for row in listings.astype(object).to_dict("records")
    ]


def _events(frame: pd.DataFrame) -> list[tuple[object, Event]]:
    return [
        (
            e["town_id"],
            Event(
                event_id=str(e["event_id"]),
                kind=str(e["kind"]),
                date=str(e["date"]),
                effective_date=_text(e["effective_date"]),
                title=str(e["title"]),
                source_url=str(e["source_url"]),
                source_quote=str(e["source_quote"]),
                month=str(e["start"]),
            ),
        )
        for e in frame.astype(object).to_dict("records")
    ]


@per_model
def dossiers(model: Model) -> Dossiers:
    """Every town's and agency's dossier, built on first use for each model (read-only, shared)."""
    records = _records(model)
    all_records, vendors = model.records, model.vendor_records
    agencies = model.agencies
    every_listing = _listings(model, records)
    listings_of = {
        "town_id": _by([(t, x) for t, _a, x in every_listing]),
        "agency_id": _by([(a, x) for _t, a, x in every_listing]),
    }
    records_of = {c: _by(list(zip(all_records[c], all_records["row"].astype(int)))) for c in ("town_id", "agency_id")}
    vendor_rows_of = {
        c: _by(list(zip(vendors[c], vendors["record_row"].astype(int)))) for c in ("town_id", "agency_id")
    }
    events_of = _by(_events(model.events))

    agency_dossiers: dict[str, Dossier] = {}
    for agency_id, agency in agencies.iterrows():
        agency_id = str(agency_id)
        hq = agency["hq_town_id"]
        agency_dossiers[str(agency_id)] = Dossier(
            kind="agency",
            key=str(agency_id),
            name=str(agency["name"]),
            name_as_published=str(agency["name_as_published"]),
            agency_kind=str(agency["kind"]),
            reach=str(agency["reach"]),
            county=_text(agency["county"]),
            county_fips=None if _missing(agency["county_fips"]) else int(agency["county_fips"]),
            offices=None if _missing(hq) else int(hq),
            offices_outside=agency["hq_town_provenance"] == "outside_records_page",
            listings=listings_of["agency_id"].get(agency_id, ()),
            records=_own(
                records, records_of["agency_id"].get(agency_id, ()), set(vendor_rows_of["agency_id"].get(agency_id, ()))
            ),
            events=(),
        )

    def reaching(agency_id: str) -> Reaching:
        dossier = agency_dossiers[agency_id]
        return Reaching(agency_id, dossier.name, str(dossier.reach), dossier.records)

    with_records = [a for a, d in agency_dossiers.items() if d.records]
    statewide = tuple(reaching(a) for a in with_records if agency_dossiers[a].reach == "state")
    sheriffs: dict[int, list[Reaching]] = {}
    for a in with_records:
        fips = agency_dossiers[a].county_fips
        if agency_dossiers[a].reach == "county" and fips is not None:
            sheriffs.setdefault(fips, []).append(reaching(a))
    offices: dict[int, list[str]] = {}
    for agency_id, dossier in agency_dossiers.items():
        if dossier.offices is not None:
            offices.setdefault(dossier.offices, []).append(agency_id)

    town_dossiers: dict[int, Dossier] = {}
    towns = model.towns
    for town_id, name, county, fips, population, uasi in zip(
        towns.index,
        towns["town"],
        towns["county"],
        towns["county_fips"],
        towns["population_2010"],
        towns["uasi_region"],
    ):
        town_id, fips = int(town_id), int(fips)
        town_dossiers[town_id] = Dossier(
            kind="town",
            key=town_id,
            name=str(name),
            county=str(county),
            county_fips=fips,
            population=int(population),
            uasi=bool(uasi),
            listings=listings_of["town_id"].get(town_id, ()),
            records=_own(
                records, records_of["town_id"].get(town_id, ()), set(vendor_rows_of["town_id"].get(town_id, ()))
            ),
            events=events_of.get(town_id, ()),
            reaching=(*sheriffs.get(fips, ()), *statewide),
            offices_here=tuple(offices.get(town_id, ())),
            unlisted=model.catalog.not_listed,
        )
    return Dossiers(towns=town_dossiers, agencies=agency_dossiers, statewide=statewide)


@per_model
def state_events(model: Model) -> tuple[Event, ...]:
    """The policy events that apply to every town (the state law), in date order."""
    events = model.events
    return tuple(event for _town, event in _events(events.loc[events["scope"].eq("state")]))


@per_model_and(2048)
def town_at(model: Model, key: tuple[int, str | None]) -> Dossier:
    """A town's dossier as of a month (None: everything), kept for the views and months asked most."""
    town_id, month = key
    return dossiers(model).towns[town_id].at(month)


@per_model_and(1024)
def agency_at(model: Model, key: tuple[str, str | None]) -> Dossier:
    """An agency's dossier as of a month (None: everything)."""
    agency_id, month = key
    return dossiers(model).agencies[agency_id].at(month)


@dataclass(frozen=True)
class Caveat:
    """One of the records page's own warnings, quoted, with the Clearview classes it is shown beside."""

    caveat_id: str
    classes: tuple[str, ...]
    quote: str
    section: str
    url: str


@per_model
def caveats(model: Model) -> tuple[Caveat, ...]:
    """The page's own warnings (data/source_caveats.csv), in file order."""
    frame = model.caveats
    return tuple(
        Caveat(str(c), tuple(k), str(q), str(s), str(u))
        for c, k, q, s, u in zip(frame["caveat_id"], frame["classes"], frame["quote"], frame["section"], frame["url"])
    )


def caveats_for(model: Model, status: str | None) -> tuple[Caveat, ...]:
    """The warnings shown beside a Clearview class."""
    return tuple(c for c in caveats(model) if status in c.classes)
