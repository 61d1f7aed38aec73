"""The columns, types and allowed values of every curated table in data/."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.language import N_

AGENCY_KINDS = ("state", "county", "college", "transit", "association", "group")
#: Where an agency's records reach, as this map reads its name (the records page states no reach): "agency" is an
#: agency whose area the records page does not give (nothing is drawn or counted), "none" a combined record.
AGENCY_REACHES = ("state", "county", "campus", "agency", "none")
#: Where a vendor record's vendor is named: in the page's table of that vendor's records, or only in a record's title.
NAMED_IN = ("vendor_table", "title")
#: Where a fact about an agency comes from: the records page, or a public fact added by the project.
PROVENANCES = ("records_page", "outside_records_page")
#: Marker shapes plotly's geo map draws (the open variant marks a record with 0 documents).
MARKER_SYMBOLS = ("circle", "square", "triangle-up", "triangle-down", "diamond", "pentagon", "hexagon", "x", "cross")
#: Where a policy applies: one municipality, or the whole Commonwealth.
POLICY_SCOPES = ("municipal", "state")
#: How the map outlines a town under a policy kind (plotly line dashes), so that kinds differ without color too.
POLICY_LINES = ("solid", "dash", "dot")
#: How precisely a policy event's source states its date: a day, or only a month (never a day invented).
DATE_PRECISIONS = ("day", "month")
#: The jurisdiction of a state-scope policy event, written exactly so.
COMMONWEALTH = "Commonwealth of Massachusetts"
#: The face-surveillance policy kinds the policy summary ranks, strongest first, with the word the exports use.
FACE_SURVEILLANCE_KINDS: dict[str, str] = {
    "face_surveillance_ban": "ban",
    "face_surveillance_moratorium": "moratorium",
}
#: The policy kind the exports report as `oversight_ordinance`.
OVERSIGHT_KIND = "surveillance_oversight_ordinance"
#: A source quote is a short quote of the sentence that states the fact: fewer words than this.
QUOTE_WORD_LIMIT = 40


#: What each column kind accepts, in the words an error message uses (English) and the API page's "What it holds"
#: (translated there).
KIND_TEXT: dict[str, str] = {
    "int": N_("a whole number"),
    "year": N_("a year YYYY"),
    "month": N_("a month YYYY-MM (01 to 12)"),
    "date": N_("a calendar date YYYY-MM-DD"),
    "period": N_("a month YYYY-MM, a year YYYY or a span of years YYYY-YYYY"),
    "bool": N_("true or false"),
    "color": N_("a color #rrggbb"),
    "day_or_month": N_("a day YYYY-MM-DD or a month YYYY-MM"),
    "url": N_("an address starting http:// or https://"),
}
#: What a published column may be declared as (data/columns.csv): free text, one of KIND_TEXT, or a JSON value.
COLUMN_KINDS = ("text", *KIND_TEXT, "json")

#: The figures the source page states, by name, with the kind of their value; every one must be in the file.
FIGURE_KINDS: dict[str, str] = {
    "clearview_requests": "int",
    "records_index_rows": "int",
    "published": "date",
    "first_year_filed": "year",
    "last_year_filed": "year",
    "government_documents": "int",
    "face_recognition_requests_over": "int",
    "clearview_requests_over": "int",
}


#: Besides those, one count per listed class of clearview_classes.csv, named listed_<class_id>.
LISTED_PREFIX = "listed_"


def listed_figure(class_id: str) -> str:
    """The published figure that counts a listed class's names."""
    return LISTED_PREFIX + class_id


def figure_kind(name: str) -> str | None:
    """The kind of a published figure's value, or None for a name that is not one of ours."""
    return FIGURE_KINDS.get(name, "int" if name.startswith(LISTED_PREFIX) else None)


@dataclass(frozen=True)
class Column:
    """One column of a CSV table: its name, its type and what it may hold."""

    name: str
    kind: str = "text"  # text, or one of KIND_TEXT
    required: bool = True
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    """A curated CSV file and its columns."""

    filename: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        """Column names in file order."""
        return [c.name for c in self.columns]


CLEARVIEW_LISTINGS = Table(
    "clearview_listings.csv",
    (
        Column("category"),  # a listed class of clearview_classes.csv
        Column("position", "int"),
        Column("name_as_published"),
        Column("request_month", "month", required=False),
        Column("record_title"),
        Column("source"),
    ),
)
AGENCIES = Table(
    "agencies.csv",
    (
        Column("agency_id"),
        Column("name"),
        Column("name_as_published"),  # as the records index's "Submitted To" writes it
        Column("kind", allowed=AGENCY_KINDS),
        Column("reach", allowed=AGENCY_REACHES),
        Column("county_fips", "int", required=False),
        Column("hq_town", required=False),
        Column("hq_town_provenance", required=False, allowed=PROVENANCES),
        Column("note"),
    ),
    unique=("agency_id",),
)
NAME_RESOLUTIONS = Table(
    "name_resolutions.csv",
    (
        Column("name_as_published"),
        Column("town_id", "int", required=False),
        Column("town", required=False),
        Column("agency_id", required=False),
        Column("reason"),
    ),
    unique=("name_as_published",),
)
RECORDS_INDEX = Table(
    "records_index.csv",
    (
        Column("row", "int"),
        Column("title"),
        Column("submitted_to"),
        Column("documents", "int"),
        Column("year_start", "year"),
        Column("year_end", "year"),
        Column("published", "date"),
        Column("section"),
        Column("record_url", required=False),
        Column("section_url"),
    ),
    unique=("row",),
)
VENDOR_RECORDS = Table(
    "vendor_records.csv",
    (
        Column("vendor"),  # a vendor of vendors.csv
        Column("record_title"),
        Column("requested", "period"),
        Column("agency_as_published"),
        Column("named_in", allowed=NAMED_IN),
        Column("source"),
    ),
    unique=("record_title",),
)
#: What a record's own part of the page says its documents showed, quoted (shown with the record).
RECORD_FINDINGS = Table(
    "record_findings.csv",
    (Column("record_title"), Column("finding"), Column("source")),
    unique=("record_title",),
)
#: The page's own warnings, quoted, and the Clearview classes beside which they are shown.
SOURCE_CAVEATS = Table(
    "source_caveats.csv",
    (Column("caveat_id"), Column("classes"), Column("quote"), Column("section"), Column("url", "url")),
    unique=("caveat_id",),
)
#: Sections of the records page the map does not draw, and why (the method lists them).
UNMAPPED_SECTIONS = Table(
    "unmapped_sections.csv",
    (Column("section"), Column("what"), Column("why"), Column("source")),
    unique=("section",),
)
UASI_REGION = Table(
    "uasi_region.csv",
    (Column("name_as_published"), Column("source")),
    unique=("name_as_published",),
)
COUNTIES = Table(
    "counties.csv",
    (Column("county_fips", "int"), Column("county")),
    unique=("county_fips",),
)

PUBLISHED_FIGURES = Table(
    "published_figures.csv",
    (Column("figure"), Column("value"), Column("source")),
    unique=("figure",),
)
VENDORS = Table(
    "vendors.csv",
    (
        Column("vendor"),
        Column("slug"),
        Column("symbol", allowed=MARKER_SYMBOLS),
        Column("color", "color"),
        Column("glyph"),
        Column("outlined", "bool"),
        Column("on_by_default", "bool"),
        Column("records_from_listings", "bool"),
        Column("description"),
        Column("source"),
    ),
    unique=("vendor",),
)
CLEARVIEW_CLASSES = Table(
    "clearview_classes.csv",
    (
        Column("class_id"),
        Column("label"),
        Column("slug"),
        Column("color", "color"),
        Column("listed", "bool"),
        Column("dated", "bool"),  # the page gives each of its listings a request month
        Column("description"),
        Column("source"),
    ),
    unique=("class_id",),
)
#: Where another part of the page states a record's documents differently from the index (the index is shown).
SOURCE_DIFFERENCES = Table(
    "source_differences.csv",
    (
        Column("record_title"),
        Column("index_documents", "int"),
        Column("other_documents", "int"),
        Column("other_place"),
    ),
    unique=("record_title",),
)
REQUEST_WAVES = Table(
    "request_waves.csv",
    (Column("month", "month"), Column("label"), Column("slug"), Column("source")),
    unique=("month",),
)
#: Dated policy events from outside the records page, each with the page that states it and a short quote.
POLICY_EVENTS = Table(
    "policy_events.csv",
    (
        Column("event_id"),
        Column("jurisdiction"),  # a MassGIS municipality, or COMMONWEALTH for a state-scope kind
        Column("kind"),  # a kind of policy_kinds.csv
        Column("date", "day_or_month"),  # the vote or signing, as precise as date_precision says
        Column("date_precision", allowed=DATE_PRECISIONS),
        Column("effective_date", "day_or_month", required=False),
        Column("title"),
        Column("source_url", "url"),
        Column("source_quote"),
        Column("note", required=False),  # the curators' corroboration; not shown
    ),
    unique=("event_id",),
)
POLICY_KINDS = Table(
    "policy_kinds.csv",
    (
        Column("kind"),
        Column("label"),
        Column("scope", allowed=POLICY_SCOPES),
        Column("color", "color"),
        Column("line", allowed=POLICY_LINES),
        Column("description"),
    ),
    unique=("kind",),
)

#: The Atlas of Surveillance's technology categories, written exactly as its data writes them (atlasofsurveillance.org).
ATLAS_TECHNOLOGIES = (
    "Automated License Plate Readers",
    "Body-worn Cameras",
    "Camera Registry",
    "Cell-site Simulator",
    "Drones",
    "Face Recognition",
    "Fusion Center",
    "Gunshot Detection",
    "Predictive Policing",
    "Real-Time Crime Center",
    "Third-party Investigative Platforms",
    "Video Analytics",
)
#: Each record's technology in the Atlas's category (empty where none fits), with the reason: reviewed data.
ATLAS_CROSSWALK = Table(
    "atlas_crosswalk.csv",
    (
        Column("record_title"),
        Column("atlas_technology", required=False, allowed=ATLAS_TECHNOLOGIES),
        Column("reason"),
    ),
    unique=("record_title",),
)
#: Each vendor's name as a company, the form the Atlas's vendor names take, with the reason.
ATLAS_VENDORS = Table(
    "atlas_vendors.csv", (Column("vendor"), Column("atlas_vendor"), Column("reason")), unique=("vendor",)
)
#: What the compiled data is published as: its title, licences (data and code), credit and creator, each with why.
PUBLICATION = Table("publication.csv", (Column("field"), Column("value"), Column("why")), unique=("field",))
#: The fields publication.csv must give.
PUBLICATION_FIELDS = (
    "title",
    "data_licence",
    "data_licence_title",
    "data_licence_url",
    "code_licence",
    "code_licence_title",
    "code_licence_url",
    "credit",
    "creator",
)

#: Where a gazetteer row comes from: the USPS names and ZIP codes (placed by their point), or a reviewed row.
PLACE_SOURCES = ("usps", "reviewed")
#: What a gazetteer row names.
PLACE_KINDS = ("zip_code", "postal_name", "village", "neighborhood")
#: The gazetteer: villages, neighborhoods, post-office names and ZIP codes, each with its municipality and where that
#: comes from. Written by `python -m dashboard gazetteer build` (dashboard/data/gazetteer.py); a name in two towns has
#: a row for each.
PLACES = Table(
    "places.csv",
    (
        Column("place"),
        Column("kind", allowed=PLACE_KINDS),
        Column("town_id", "int"),
        Column("town"),  # the municipality's name, for the reader; town_id decides
        Column("postal_name", required=False),  # a ZIP code's USPS city name
        Column("source", allowed=PLACE_SOURCES),
        Column("provenance"),
    ),
    unique=("place", "town_id"),
)
#: The reviewed rows the gazetteer build takes over the USPS names: a name here replaces every USPS row of that name
#: (an empty town leaves the name out), each with its reason. Read by the build only.
PLACES_REVIEWED = Table(
    "places_reviewed.csv",
    (
        Column("place"),
        Column("kind", allowed=PLACE_KINDS),
        Column("town", required=False),  # the municipality as MassGIS writes it; empty: the name is left out
        Column("reason"),
    ),
    unique=("place", "town"),
)
#: Facts from outside the records page that the town pages state for readers (how to ask a town for its records),
#: each in our words (claim), with the law's own words where quoted, and its address.
OUTSIDE_GUIDANCE = Table(
    "outside_guidance.csv",
    (
        Column("guidance_id"),
        Column("claim"),
        Column("quote", required=False),
        Column("source_title"),
        Column("source_url", "url"),
        Column("note", required=False),
    ),
    unique=("guidance_id",),
)

ALL_TABLES = (
    CLEARVIEW_LISTINGS,
    AGENCIES,
    NAME_RESOLUTIONS,
    RECORDS_INDEX,
    VENDOR_RECORDS,
    UASI_REGION,
    COUNTIES,
    PUBLISHED_FIGURES,
    REQUEST_WAVES,
    VENDORS,
    CLEARVIEW_CLASSES,
    SOURCE_DIFFERENCES,
    POLICY_EVENTS,
    POLICY_KINDS,
    RECORD_FINDINGS,
    SOURCE_CAVEATS,
    UNMAPPED_SECTIONS,
    PUBLICATION,
    OUTSIDE_GUIDANCE,
    ATLAS_CROSSWALK,
    ATLAS_VENDORS,
    PLACES,
)

#: Fields the boundary file must carry.
BOUNDARY_FIELDS = ("TOWN", "TOWN_ID", "FIPS_STCO", "POP2010")
EXPECTED_TOWNS = 351
