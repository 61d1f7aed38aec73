"""The town, agency, search and not-found pages: a dossier's values, worded by views/wording.py, rendered by
the templates in site/templates (autoescaped)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from dashboard.data.dossier import Dossier, dossiers
from dashboard.data.model import Model
from dashboard.language import _
from dashboard.site import parts
from dashboard.site.document import Preview
from dashboard.site.locator import Locator
from dashboard.site.preview import preview_of
from dashboard.site.slugs import Directory, Place
from dashboard.site.templating import render, trusted
from dashboard.views import wording
from dashboard.views.wording import Link, Sentence


@dataclass(frozen=True)
class Page:
    """A page's title, description and body (rendered by a template, every value escaped), before the document."""

    title: str
    description: str
    body: Markup
    data_path: str | None = None
    image: Preview | None = None  # what a link card shows
    cite: bool = False  # the page ends with how to cite the data, with its own address
    head: Markup | None = None  # more of the head: the /data page's Dataset (JSON-LD)


def within_massachusetts(name: str) -> str:
    """A locator map's title: the town within the state."""
    # Translators: the title of a small map of the state with one town filled.
    return _("{name} within Massachusetts").format(name=name)


def notes() -> dict[str, str]:
    """The fixed notes every page may show."""
    return {
        "record_note": wording.RECORD_NOTE,
        "outside_note": wording.OUTSIDE_NOTE,
        "mark": wording.OUTSIDE_MARK,
        "no_records": wording.NO_RECORDS,
    }


class Pages:
    """Builds each page from the model's dossiers (all the data: the pages are not dated); the routes cache them."""

    def __init__(
        self,
        model: Model,
        directory: Directory,
        locator: Locator,
        guidance: Callable[[], tuple[Sentence, ...]] = tuple,
        report: Callable[[], Sentence] = list,
    ) -> None:
        self.model = model
        self.directory = directory
        self.locator = locator
        # Worded when a page is built, in its language:
        self.guidance = guidance  # how to ask a town for its records (outside facts, cited)
        self.report = report  # how to report an error

    def town(self, town_id: int) -> Page:
        """A municipality's page: class, records, vendors, policy, who else reaches it, locator and map link."""
        model, directory = self.model, self.directory
        catalog = model.catalog
        dossier = dossiers(model).towns[town_id]
        place = directory.town_place(town_id)
        status = parts.status_of(dossier)
        statewide, statewide_items = parts.statewide(model, directory)
        body = render(
            "town.html",
            dossier=dossier,
            place=place,
            clearview=catalog.clearview,
            line=wording.town_line(dossier),
            status=parts.class_view(catalog, status),
            listings=parts.listings(dossier, catalog),
            caveats=parts.caveats(model, status),
            locator=trusted(self.locator.town(town_id, within_massachusetts(dossier.name))),
            map_href=parts.map_href(model, town=town_id),
            map_label=wording.MAP_LINKS["town"],
            records_heading=wording.records_heading(dossier, len(dossier.records)),
            records=parts.record_rows(dossier.records),
            documents_total=wording.documents_total(dossier.records),
            vendors=parts.vendors(catalog, dossier.vendors),
            events=parts.events(model, dossier),
            no_policy=wording.no_policy_sentence(dossier.name),
            laws=parts.state_laws(model),
            reach=parts.reach(model, directory, dossier),
            statewide=statewide,
            statewide_items=statewide_items,
            uasi=parts.uasi_explained(model, directory) if dossier.uasi else None,
            ask_heading=wording.ask_records_heading(dossier.name),
            guidance=self.guidance(),
            report_heading=wording.REPORT_HEADING,
            report=self.report(),
            **notes(),
        )
        return Page(
            title=wording.town_title(dossier.name, catalog.clearview),
            description=wording.town_description(dossier, _(catalog.labels[status]), catalog.clearview),
            body=body,
            data_path=f"/api/v1/towns/{place.key}",
            image=preview_of(model, directory, place),
            cite=True,
        )

    def _agency_locator(self, dossier: Dossier) -> Markup | None:
        """The state, the county or the town of its offices, filled; None where none of them is known."""
        name = dossier.name
        if dossier.reach == "state":
            return trusted(self.locator.state(_("{name}: the whole state").format(name=name)))
        if dossier.reach == "county" and dossier.county_fips is not None:
            label = _("{name}: {county} County").format(name=name, county=dossier.county)
            return trusted(self.locator.county(dossier.county_fips, label))
        if dossier.offices is not None:
            town = self.directory.town_place(dossier.offices).name
            return trusted(
                self.locator.town(dossier.offices, _("{name}: offices in {town}").format(name=name, town=town))
            )
        return None

    def agency(self, agency_id: str) -> Page:
        """A non-municipal agency's page: its kind and reach, Clearview listings, records, vendors and locator."""
        model, directory = self.model, self.directory
        catalog = model.catalog
        dossier = dossiers(model).agencies[agency_id]
        status = parts.status_of(dossier)
        combined = dossier.reach == "none"
        offices = None
        if dossier.offices is not None:
            town = directory.town_place(dossier.offices)
            offices = wording.offices_sentence(Link(town.name, town.path), dossier.offices_outside)
        county_towns: list[Place] = []
        if dossier.reach == "county" and dossier.county_fips is not None:
            towns = model.towns.loc[model.towns["county_fips"].eq(dossier.county_fips)].sort_values("town")
            county_towns = [directory.town_place(int(t)) for t in towns.index]
        body = render(
            "agency.html",
            dossier=dossier,
            clearview=catalog.clearview,
            published_as=wording.published_as(dossier),
            scope=wording.agency_scope(str(dossier.agency_kind), str(dossier.reach), dossier.county),
            offices=offices,
            status=parts.class_view(catalog, status) if status else None,
            unlisted=wording.unlisted_sentence(catalog.clearview, combined),
            listings=parts.listings(dossier, catalog),
            caveats=parts.caveats(model, status),
            locator=self._agency_locator(dossier),
            map_href=None if combined else parts.map_href(model, agency=agency_id),
            map_label=wording.MAP_LINKS["agency"],
            records_heading=wording.records_heading(dossier, len(dossier.records)),
            records=parts.record_rows(dossier.records),
            documents_total=wording.documents_total(dossier.records),
            vendors=parts.vendors(catalog, dossier.vendors),
            county_heading=wording.county_towns_heading(len(county_towns), dossier.county),
            county_towns=county_towns,
            report_heading=wording.REPORT_HEADING,
            report=self.report(),
            **notes(),
        )
        return Page(
            title=wording.agency_title(dossier.name),
            description=wording.agency_description(dossier),
            body=body,
            image=preview_of(model, directory, directory.agencies[agency_id]),
            cite=True,
        )


def not_found_page() -> Page:
    """The answer to an address that is no page: say so, offer the search box, the map and the data page."""
    return Page(
        title=wording.NOT_FOUND_TITLE,
        description=wording.NOT_FOUND_DESCRIPTION,
        body=render(
            "not_found.html",
            title=wording.NOT_FOUND_TITLE,
            text=wording.NOT_FOUND_TEXT,
            links=list(wording.NOT_FOUND_LINKS.items()),
        ),
    )


def search_page(query: str, found: list[Place], directory: Directory) -> Page:
    """The pages that match a search, or every page when nothing was typed."""
    if not query.strip():
        towns = sorted(directory.towns.values(), key=lambda p: p.name)
        agencies = sorted(directory.agencies.values(), key=lambda p: p.name)
        return Page(
            title=_("Towns and agencies"),
            description=_("Every Massachusetts municipality and agency in the face-recognition public records."),
            body=render("search.html", query="", found=[], towns=towns, agencies=agencies),
        )
    return Page(
        title=search_title(query),
        description=_("Towns and agencies matching a search.")
        if found
        else _("No town or agency matches this search."),
        body=render("search.html", query=query, found=found, towns=[], agencies=[]),
    )


def search_title(query: str) -> str:
    """A search's page title: 'Search: spring'."""
    return _("Search: {query}").format(query=query)
