"""The values the town, agency and compare templates show, read from the dossiers and worded by views/wording.py.

Public and shared: the town page, the agency page and the compare page build their parts here, so that a listing,
a record, a policy decision or a reaching agency reads the same on each. Nothing here words a fact itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.data.catalog import Catalog
from dashboard.data.dossier import Dossier, Reaching, Record, caveats_for, dossiers, state_events
from dashboard.data.memo import per_model
from dashboard.data.model import Model
from dashboard.language import _, current
from dashboard.site.slugs import Directory
from dashboard.state.view import to_query, view
from dashboard.views import wording
from dashboard.views.wording import Link, Sentence


@dataclass(frozen=True)
class ClassView:
    """A Clearview class as the page shows it: its swatch color, label and description (data)."""

    label: str
    color: str
    description: str


@dataclass(frozen=True)
class ListingView:
    """A listing's sentence, and the zero-document note where its counted record holds none."""

    sentence: Sentence
    zero: str


@dataclass(frozen=True)
class RecordRow:
    """A record as a table row: each cell's words."""

    link: Sentence
    finding: Sentence
    vendor: str
    submitted_to: str
    filed: str
    documents: str
    zero: bool


@dataclass(frozen=True)
class Reach:
    """Who else reaches a town: how many agencies, its county's sheriff(s), the region, offices in it."""

    count: str
    county: list[Sentence]
    uasi: str
    offices: Sentence | None


def class_view(catalog: Catalog, status: str) -> ClassView:
    """A class's label, color and description (data, in the language in use)."""
    return ClassView(_(catalog.labels[status]), catalog.colors[status], _(catalog.descriptions[status]))


def labels(catalog: Catalog) -> dict[str, str]:
    """Each Clearview class's label (data, in the language in use)."""
    return {status: _(label) for status, label in catalog.labels.items()}


def status_of(dossier: Dossier) -> str:
    """A town's or agency's class, or "" for an agency named in no list."""
    return dossier.status or ""


def listings(dossier: Dossier, catalog: Catalog) -> list[ListingView]:
    """Each Clearview listing of the place in words."""
    names = labels(catalog)
    return [
        ListingView(
            wording.listing_sentence(listing, names, dossier.as_of),
            wording.zero_sentence(listing, names) if listing.zero else "",
        )
        for listing in dossier.listings
    ]


def caveats(model: Model, *statuses: str) -> list[Sentence]:
    """The records page's own warnings beside these classes (the April 2021 leak beside "no responsive documents"
    and "not listed"), each once."""
    found = {c.caveat_id: c for status in statuses for c in caveats_for(model, status or None)}
    return [wording.caveat_sentence(c) for c in found.values()]


def record_rows(records: tuple[Record, ...]) -> list[RecordRow]:
    """The place's records, in index order, as table rows."""
    return [
        RecordRow(
            link=wording.record_link(r),
            finding=wording.finding_sentence(r),
            vendor=wording.vendor_words(r) or "—",
            submitted_to=r.submitted_to,
            filed=wording.years_text(r.year_start, r.year_end),
            documents=wording.documents_text(r.documents),
            zero=r.documents == 0,
        )
        for r in records
    ]


def vendors(catalog: Catalog, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The vendors of the place's records, each with its description (data, in the language in use)."""
    return [(v, _(catalog.vendor[v].description)) for v in names]


def events(model: Model, dossier: Dossier) -> list[Sentence]:
    """The town's policy decisions, dated and cited ("adopted", and "in force from" where a source says so)."""
    kinds = model.catalog.policy_kind
    return [wording.event_sentence(e, _(kinds[e.kind].label), dossier.as_of) for e in dossier.events]


def state_laws(model: Model) -> list[str]:
    """The state law, said once for every town (in the language in use: not kept per model)."""
    kinds = model.catalog.policy_kind
    return [wording.state_law_sentence(e, _(kinds[e.kind].label)) for e in state_events(model)]


def agency_link(directory: Directory, reaching: Reaching) -> str:
    """The page of an agency that reaches a town."""
    return directory.agencies[reaching.agency_id].path


def statewide(model: Model, directory: Directory) -> tuple[str, list[Sentence]]:
    """The agencies whose records reach the whole state: the sentence before them and one item each."""
    agencies = dossiers(model).statewide
    items = [wording.reaching_item(r, agency_link(directory, r)) for r in agencies]
    return wording.statewide_sentence(len(agencies)), items


def reach(model: Model, directory: Directory, dossier: Dossier) -> Reach:
    """Who else reaches a town, from its dossier's one list of reaching agencies (its sheriff, then the state's)."""
    county = [
        wording.reaching_item(r, agency_link(directory, r), dossier.county)
        for r in dossier.reaching
        if r.reach == "county"
    ] or [[wording.no_sheriff_sentence(dossier.county)]]
    offices = [Link(directory.agencies[a].name, directory.agencies[a].path) for a in dossier.offices_here]
    return Reach(
        count=wording.reaching_sentence(dossier.name, len(dossier.reaching)),
        county=county,
        uasi=wording.uasi_member(dossier.name, dossier.uasi),
        offices=wording.offices_here(dossier.name, offices) if offices else None,
    )


@per_model
def uasi_members(model: Model) -> tuple[int, ...]:
    """The municipalities of the Metro Boston UASI region, by name."""
    towns = model.towns.loc[model.towns["uasi_region"]].sort_values("town")
    return tuple(int(t) for t in towns.index)


def uasi_explained(model: Model, directory: Directory) -> Sentence:
    """The region in the records page's terms, each member linked to its page."""
    places = [directory.town_place(t) for t in uasi_members(model)]
    return wording.uasi_explained([Link(p.name, p.path) for p in places])


def map_href(model: Model, **choice: object) -> str:
    """The interactive map's address on a town or an agency, in the language in use (the map's `lang=`)."""
    return "/" + to_query(view(model.catalog, lang=current().code, **choice), model.catalog)
