"""The town and agency pages' content: plain HTML from the model, every text escaped, no script."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.data.model import Model
from dashboard.site.document import Preview, e, search_form
from dashboard.site.forms import compare_with_form
from dashboard.site.locator import Locator
from dashboard.site.preview import preview_of
from dashboard.site.slugs import Directory, Place
from dashboard.state.view import to_query, view
from dashboard.views.panels import OUTSIDE_MARK, OUTSIDE_NOTE, state_law_sentences
from dashboard.views.records import years_text
from dashboard.views.words import date_text, documents_text, join_names, plural

#: What a record is, said once on every page: the records are evidence of a request, not of a contract or use.
RECORD_NOTE = (
    "A record shows that a public-records request about a vendor was filed with an agency and how many documents "
    "came back: evidence that a relationship was asked about, not proof of a contract or of use."
)
REACH_WORDS = {
    "state": "A state agency: its records reach the whole state.",
    "county": "A county agency: its records reach {county} County.",
    "campus": "A college police force: its records reach its campus.",
    "agency": "Its records concern its own service area, which the records page does not give.",
    "none": "A combined record over several agencies, not an agency of its own.",
}


@dataclass(frozen=True)
class Page:
    """A page's title, description and body (escaped HTML), before the document around it."""

    title: str
    description: str
    body: str
    data_path: str | None = None
    image: Preview | None = None  # what a link card shows


def _link(href: str, text: str) -> str:
    return f'<a href="{e(href)}">{e(text)}</a>'


def _record_link(record: pd.Series) -> str:
    """The record's own page where a verified address exists, otherwise its section page, said so."""
    if isinstance(record["record_url"], str):
        return _link(record["record_url"], record["title"])
    return f"{_link(record['section_url'], record['title'])} (on the {e(record['section'])} page)"


class Pages:
    """Builds each page from the read-only model; the routes cache what it returns."""

    def __init__(self, model: Model, directory: Directory, locator: Locator) -> None:
        self.model = model
        self.directory = directory
        self.locator = locator
        self._shared_by = model.listings.groupby("record_row")["entity"].nunique()
        # The same for every town that an agency reaches: said once, reused by each page.
        self._summaries = {str(a): self._summary(str(a)) for a in model.agencies.index}
        self._laws = "".join(f"<li>{e(s)}{OUTSIDE_MARK}</li>" for s in state_law_sentences(model))

    # --- pieces shared by town and agency pages -------------------------------------------------------------

    def _place_link(self, place: Place) -> str:
        return _link(place.path, place.name)

    def _town_link(self, town_id: int) -> str:
        return self._place_link(self.directory.town_place(town_id))

    def _class_line(self, status: str) -> str:
        catalog = self.model.catalog
        return (
            f'<p class="class"><span class="swatch" style="background:{e(catalog.colors[status])}"></span>'
            f"<strong>{e(catalog.labels[status])}.</strong> {e(catalog.descriptions[status])}.</p>"
        )

    def _listings(self, listings: pd.DataFrame) -> str:
        """Each Clearview listing in words: how it was listed, whether it counts, its record and documents."""
        labels = self.model.catalog.labels
        items = []
        for row in listings.itertuples():
            record = self.model.records_by_row.loc[row.record_row]
            month = f", request of {date_text(row.request_month)}" if isinstance(row.request_month, str) else ""
            if pd.isna(row.documents):
                shared = int(self._shared_by[row.record_row])
                docs = f"one record shared by {shared} listed departments: {documents_text(record['documents'])}"
            else:
                docs = documents_text(row.documents)
            counted = row.outcome == "status"
            role = "counted" if counted else f"a second listing, not counted ({labels[row.winner]} wins)"
            items.append(
                f"<li>Listed as “{e(row.name_as_published)}” under {e(labels[row.category])}{e(month)}: "
                f"{e(role)}. Record: {_record_link(record)}, {e(docs)}.</li>"
            )
            if counted and not pd.isna(row.documents) and int(row.documents) == 0:
                items.append(
                    '<li class="zero">This record holds 0 documents: the records page lists the department under '
                    f"{e(labels[row.category])}, but publishes no document that shows it.</li>"
                )
        return f"<ul>{''.join(items)}</ul>" if items else ""

    def _records_table(self, records: pd.DataFrame, whose: str) -> str:
        """Every record in a table: title and source link, vendor, agency as submitted, years filed, documents."""
        heading = f"<h2>Records about {e(whose)} ({len(records)})</h2>"
        if records.empty:
            return f"<section>{heading}<p>None in the records index.</p></section>"
        rows = []
        for _, record in records.sort_values("row").iterrows():
            vendor = record["vendor"] if isinstance(record["vendor"], str) else "—"
            zero = ' class="num zero"' if int(record["documents"]) == 0 else ' class="num"'
            rows.append(
                f'<tr><td>{_record_link(record)}</td><td data-label="Vendor">{e(vendor)}</td>'
                f'<td data-label="Submitted to">{e(record["submitted_to"])}</td>'
                f'<td data-label="Filed">{e(years_text(record["year_start"], record["year_end"]))}</td>'
                f"<td{zero}>{e(documents_text(record['documents']))}</td></tr>"
            )
        total = documents_text(int(records["documents"].sum()))
        return (
            f"<section>{heading}<table><thead><tr><th>Record (source)</th><th>Vendor</th><th>Submitted to</th>"
            f'<th>Filed</th><th class="num">Documents</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<p class="note">In all, {e(total)}. {e(RECORD_NOTE)}</p></section>'
        )

    def _vendors(self, vendors: tuple[str, ...]) -> str:
        if not vendors:
            return ""
        items = "".join(
            f"<li><strong>{e(v)}</strong>: {e(self.model.catalog.vendor[v].description)}.</li>" for v in vendors
        )
        return f"<section><h2>Vendors in these records</h2><ul>{items}</ul></section>"

    def _summary(self, agency_id: str) -> str:
        """An agency's records in a few words: how many, their documents, their vendors."""
        records = self.model.records.loc[self.model.records["agency_id"].eq(agency_id)]
        vendors = self.model.agencies.loc[agency_id, "vendors"]
        text = f"{plural(len(records), 'record')}, {documents_text(int(records['documents'].sum()))}"
        if vendors:
            text += f" (vendors: {join_names(list(vendors))})"
        return e(text)

    def _map_link(self, **choice: object) -> str:
        query = to_query(view(self.model.catalog, **choice), self.model.catalog)
        label = (
            "Open the interactive map on this town" if "town" in choice else "Open the interactive map on this agency"
        )
        return f'<p class="noprint"><a class="open" href="/{e(query)}">{e(label)}</a></p>'

    # --- town pages -------------------------------------------------------------------------------------

    def _policy(self, town_id: int, name: str) -> str:
        """The town's policy decisions and the state law, dated, cited, marked as from outside the records page."""
        model = self.model
        events = model.events.loc[model.events["town_id"].eq(town_id)]
        items = []
        for event in events.itertuples():
            effective = (
                f"; in force from {date_text(event.effective_date)}" if isinstance(event.effective_date, str) else ""
            )
            label = model.catalog.policy_kind[event.kind].label
            items.append(
                f"<li><strong>{e(label)}, {e(date_text(event.date))}{e(effective)}.</strong> {e(event.title)}. "
                f"<q>{e(event.source_quote)}</q> {_link(event.source_url, 'Source')}{OUTSIDE_MARK}</li>"
            )
        if not items:
            items.append(
                f"<li>No ban, moratorium or oversight ordinance of {e(name)} is among the decisions "
                "this map records.</li>"
            )
        return (
            f"<section><h2>Policy decisions{OUTSIDE_MARK}</h2><ul>{''.join(items)}{self._laws}</ul>"
            f'<p class="note">{e(OUTSIDE_NOTE)}</p></section>'
        )

    def _reaching(self, town_id: int, town: pd.Series) -> str:
        """Who else reaches the town: its county's sheriff, the statewide agencies, the UASI region, offices here."""
        model = self.model
        agencies = model.agencies
        name = str(town["town"])
        county = agencies.loc[agencies["reach"].eq("county") & agencies["county_fips"].eq(town["county_fips"])]
        items = [
            f"<li>{e(town['county'])} County: {self._place_link(self.directory.agencies[str(a)])}, "
            f"{self._summaries[str(a)]}.</li>"
            for a in county.index
        ] or [f"<li>No record of a {e(town['county'])} County sheriff is in the records index.</li>"]
        with_records = set(model.records["agency_id"].dropna())
        state = [a for a in agencies.index[agencies["reach"].eq("state")] if a in with_records]
        if state:
            listed = "".join(
                f"<li>{self._place_link(self.directory.agencies[str(a)])}: {self._summaries[str(a)]}.</li>"
                for a in state
            )
            agencies_text = plural(len(state), "state agency", "state agencies")
            items.append(
                f'<li>Statewide, through the records of {e(agencies_text)}:<ul class="agencies">{listed}</ul></li>'
            )
        members = sorted(model.towns.loc[model.towns["uasi_region"], "town"])
        if town["uasi_region"]:
            others = [self._town_link(int(t)) for t in model.towns.index[model.towns["uasi_region"]] if t != town_id]
            items.append(
                f"<li>The Metro Boston UASI region: {e(name)} is one of its {len(members)} municipalities, "
                f"with {join_names(others)}.</li>"
            )
        else:
            items.append(f"<li>{e(name)} is not in the Metro Boston UASI region.</li>")
        offices = agencies.loc[agencies["hq_town_id"].eq(town_id)]
        if not offices.empty:
            links = ", ".join(self._place_link(self.directory.agencies[str(a)]) for a in offices.index)
            items.append(f"<li>Agencies with offices in {e(name)}{OUTSIDE_MARK}: {links}.</li>")
        return f"<section><h2>Who else reaches {e(name)}</h2><ul>{''.join(items)}</ul></section>"

    def town(self, town_id: int) -> Page:
        """A municipality's page: class, records, vendors, policy, who else reaches it, locator and map link."""
        model = self.model
        town = model.towns.loc[town_id]
        name, status = str(town["town"]), str(town["clearview_status"])
        place = self.directory.town_place(town_id)
        records = model.records.loc[model.records["town_id"].eq(town_id)]
        listings = model.listings.loc[model.listings["town_id"].eq(town_id)]
        uasi = " · Metro Boston UASI region" if town["uasi_region"] else ""
        sub = f"{town['county']} County · {town['population_2010']:,} residents (2010 census){uasi}"
        locator = self.locator.town(town_id, f"{name} within Massachusetts")
        clearview = model.catalog.clearview
        body = (
            f'<div class="top"><div><h1>{e(name)}</h1><p class="sub">{e(sub)}</p>'
            f"<section><h2>{e(clearview)}: what the records page says of the police department</h2>"
            f"{self._class_line(status)}{self._listings(listings)}</section></div>"
            f"<figure>{locator}<figcaption>{e(name)} (filled) within Massachusetts</figcaption></figure></div>"
            f"{self._map_link(town=town_id)}{compare_with_form(place)}"
            f"{self._records_table(records, f'{name}’s agencies')}"
            f"{self._vendors(tuple(town['vendors']))}"
            f"{self._policy(town_id, name)}"
            f"{self._reaching(town_id, town)}"
        )
        label = model.catalog.labels[status]
        vendors = f"; vendors in its records: {join_names(list(town['vendors']))}" if town["vendors"] else ""
        description = (
            f"{name}, {town['county']} County, Massachusetts: {clearview} class “{label}”; "
            f"{plural(len(records), 'public record')} about its agencies{vendors}."
        )
        return Page(
            title=f"{name}, Massachusetts: {clearview} and surveillance vendor records",
            description=description,
            body=body,
            data_path=f"/api/v1/towns/{place.key}",
            image=preview_of(model, self.directory, place),
        )

    # --- agency pages -------------------------------------------------------------------------------------

    def _agency_locator(self, agency: pd.Series) -> str:
        name = str(agency["name"])
        if agency["reach"] == "state":
            return self.locator.state(f"{name}: the whole state")
        if agency["reach"] == "county" and not pd.isna(agency["county_fips"]):
            return self.locator.county(int(agency["county_fips"]), f"{name}: {agency['county']} County")
        if not pd.isna(agency["hq_town_id"]):
            town = str(self.model.towns.loc[int(agency["hq_town_id"]), "town"])
            return self.locator.town(int(agency["hq_town_id"]), f"{name}: offices in {town}")
        return ""

    def agency(self, agency_id: str) -> Page:
        """A non-municipal agency's page: its reach, Clearview listings, records, vendors and locator."""
        model = self.model
        agency = model.agencies.loc[agency_id]
        name = str(agency["name"])
        scope = REACH_WORDS[str(agency["reach"])].format(county=agency["county"])
        offices = ""
        if not pd.isna(agency["hq_town_id"]):
            mark = OUTSIDE_MARK if agency["hq_town_provenance"] == "outside_records_page" else ""
            offices = f" Offices in {self._town_link(int(agency['hq_town_id']))}{mark}."
        listings = model.listings.loc[model.listings["agency_id"].eq(agency_id)]
        status = agency["clearview_status"]
        clearview = model.catalog.clearview
        if isinstance(status, str):
            listed = self._class_line(status)
        elif agency["reach"] == "none":
            listed = f"<p>A combined record is not listed in any {e(clearview)} class of its own.</p>"
        else:
            listed = f"<p>Named in no {e(clearview)} list: whether it was asked is not published.</p>"
        records = model.records.loc[model.records["agency_id"].eq(agency_id)]
        reach = ""
        if agency["reach"] == "county" and not pd.isna(agency["county_fips"]):
            towns = model.towns.loc[model.towns["county_fips"].eq(int(agency["county_fips"]))].sort_values("town")
            links = ", ".join(self._town_link(int(t)) for t in towns.index)
            heading = f"The {len(towns)} municipalities of {agency['county']} County"
            reach = f"<section><h2>{e(heading)}</h2><p>{links}</p></section>"
        locator = self._agency_locator(agency)
        figure = f"<figure>{locator}<figcaption>{e(scope)}</figcaption></figure>" if locator else ""
        note = f'<p class="note">{e(OUTSIDE_NOTE)}</p>' if OUTSIDE_MARK in offices else ""
        body = (
            f'<div class="top"><div><h1>{e(name)}</h1><p class="sub">{e(scope)}{offices}</p>'
            f"<section><h2>{e(clearview)}</h2>{listed}{self._listings(listings)}</section></div>{figure}</div>"
            f"{'' if agency['reach'] == 'none' else self._map_link(agency=agency_id)}"
            f"{self._records_table(records, 'this agency')}"
            f"{self._vendors(tuple(agency['vendors']))}{reach}{note}"
        )
        description = f"{name}: {scope} {plural(len(records), 'public record')} in the face-recognition records."
        return Page(
            title=f"{name}: surveillance vendor records",
            description=description,
            body=body,
            image=preview_of(model, self.directory, self.directory.agencies[agency_id]),
        )


def _place_list(places: list[Place]) -> str:
    return '<ul class="places">' + "".join(f"<li>{_link(p.path, p.name)}</li>" for p in places) + "</ul>"


def not_found_page(path: str) -> Page:
    """The answer to an address that is no page: say so, and offer the search box."""
    body = (
        "<h1>No page at this address</h1>"
        f"<p>There is no town or agency page at {e(path)}.</p>"
        f"{search_form()}"
        f"<p>{_link('/town-search', 'See every town and agency')}.</p>"
    )
    return Page(title="No page at this address", description="No town or agency page at this address.", body=body)


def search_page(query: str, found: list[Place], directory: Directory) -> Page:
    """The pages that match a search, or every page when nothing was typed."""
    if not query.strip():
        towns = sorted(directory.towns.values(), key=lambda p: p.name)
        agencies = sorted(directory.agencies.values(), key=lambda p: p.name)
        body = (
            f"<h1>Towns and agencies</h1>{search_form()}"
            f"<h2>The {len(towns)} municipalities</h2>{_place_list(towns)}"
            f"<h2>Agencies that are not a town's</h2>{_place_list(agencies)}"
        )
        return Page(
            title="Towns and agencies",
            description="Every Massachusetts municipality and agency in the face-recognition public records.",
            body=body,
        )
    heading = f"<h1>Pages matching “{e(query)}”</h1>{search_form(query)}"
    if found:
        return Page(
            title=f"Search: {query}",
            description="Towns and agencies matching a search.",
            body=heading + _place_list(found),
        )
    body = heading + f"<p>No town or agency matches. {_link('/town-search', 'See every town and agency')}.</p>"
    return Page(title=f"Search: {query}", description="No town or agency matches this search.", body=body)
