"""Every fixed word the map says, in one place: marks, caveats, reach and kind names, and the sentences that word a
dossier's or a view's values.

Sentences are lists of segments (plain text, `Link`, `Quote`, `Strong`, `Em`), so that each surface renders the same
words its own way: Dash components (views/render.py), Jinja templates (site/templates), images' text (`plain`,
`printed`).
Labels that are data (Clearview classes, vendors, policy kinds) come from data/ through the catalog. One place to
change a sentence, and one place for a translation to start from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from string import Formatter
from typing import TYPE_CHECKING

from dashboard.data.catalog import Catalog
from dashboard.data.dossier import Caveat, Dossier, Event, Listing, Reaching, Record
from dashboard.views.words import date_text, documents_text, join_names, plural

if TYPE_CHECKING:
    from dashboard.state.view_facts import ViewFacts

TITLE = "Surveillance vendor reach in Massachusetts"
#: The page's subtitle, also its meta description.
SUBTITLE = (
    "What Massachusetts police departments' records showed about Clearview AI, and where records about other "
    "surveillance vendors were found."
)
SLIDE_TITLE = "Clearview AI and surveillance vendors in Massachusetts public records"

#: Marks a fact that the records page does not state: a public fact, or this map's reading of a name.
OUTSIDE_MARK = "†"
OUTSIDE_NOTE = (
    f"{OUTSIDE_MARK} Not stated on the records page: added by this map (a public fact with its source, or our reading)."
)
#: What a record is, said once for every surface.
RECORD_NOTE = (
    "A record shows that a public-records request about a vendor was filed with an agency and how many documents "
    "came back: evidence that a relationship was asked about, not proof of a contract or of use."
)
#: A weaker listing of a department listed twice: kept and shown, not counted (the precedence rule).
SECOND_LISTING = "second listing, not counted"
NOT_NO_USE = "“No responsive documents” is not “no use”, and “not listed” says nothing either way."
#: The map's class for a town before its Clearview request is known to have been filed.
NOT_ASKED = "Not known to have been asked yet"
FILTERED_OUT = "Outside the filters"
#: The legend's count of a class the class filter hides: hidden, never "0 municipalities".
HIDDEN_CLASS = "hidden: tick to show"
ZERO_KEY = "Listed, but its Clearview record holds 0 documents"
#: The map's keys to its lines and symbols (the page and the slides name them alike).
OFFICES_KEY = f"Offices of a state or county agency{OUTSIDE_MARK}"
STATE_KEY = "Statewide reach: a state agency's records about a vendor switched on"
COUNTY_KEY = "County reach: a sheriff's records about a vendor switched on"
UASI_KEY = "Metro Boston UASI region"  # the region's name on the map, its keys and its pages
SELECTED_KEY = "Selected town"
REACH_DRAWN = "Reach is drawn only for records about a vendor switched on that hold documents."
HOLLOW = "A hollow marker or star: the request returned 0 documents."
TITLE_ONLY = "named only in the record's title"
#: The reach table's column of records that count no reach (no area given; a vendor named only in a title).
NO_REACH_HEADER = "Also at (no reach counted)"
CENSUS = "2010 census"
EMPTY_PANEL = "Click a town on the map, or find a town or agency by name above, to see its records."

#: How a table names where an agency's records reach ({county}: its county's name).
REACH_LABELS = {
    "state": "Statewide",
    "county": "{county} County",
    "campus": "Its campus",
    "agency": "No area given",
    "none": "Several agencies",
}
#: The same in a sentence about the agency.
REACH_SENTENCES = {
    "state": "its records reach the whole state",
    "county": "its records reach {county} County",
    "campus": "its records reach its campus",
    "agency": "the records page gives no area for its records, so none is drawn or counted",
    "none": "a combined record over several agencies, not an agency of its own",
}
#: An agency's kind in words (agencies.csv `kind`).
KIND_NAMES = {
    "state": "state agency",
    "county": "county agency",
    "college": "college police",
    "transit": "transit authority",
    "association": "association",
    "group": "combined record",
}


@dataclass(frozen=True)
class Link:
    """A link: its text and address."""

    text: str
    href: str


@dataclass(frozen=True)
class Quote:
    """Words quoted from a source, shown as a quotation."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Words in bold."""

    text: str


@dataclass(frozen=True)
class Em:
    """Words set apart (a mark of time: "after the date shown")."""

    text: str


Segment = str | Link | Quote | Strong | Em
Sentence = list[Segment]


def plain(segments: Iterable[Segment]) -> str:
    """A sentence as plain text (quotes in quotation marks, links as their text)."""
    return "".join(f"“{s.text}”" if isinstance(s, Quote) else s if isinstance(s, str) else s.text for s in segments)


def rich(message: str, **parts: Segment | Sentence) -> Sentence:
    """A translated message whose {placeholders} are segments: rich(_("See {source}."), source=Link(...)).

    The whole sentence is one message in the catalogue, so a translator can move a link or a quote where the
    language puts it; plain-text placeholders are formatted into the text around them.
    """
    out: Sentence = []
    for text, name, _spec, _conversion in Formatter().parse(message):
        if text:
            out.append(text)
        if name is None:
            continue
        value = parts[name]
        if isinstance(value, list):
            out.extend(value)
        else:
            out.append(value)
    # Neighbouring plain strings read as one (the renderers need not care where a placeholder was).
    merged: Sentence = []
    for segment in out:
        if isinstance(segment, str) and merged and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + segment
        else:
            merged.append(segment)
    return merged


def joined(items: Sequence[Segment]) -> Sentence:
    """Segments joined as names are: 'A', 'A and B', 'A, B and C'."""
    out: Sentence = []
    for i, item in enumerate(items):
        if i:
            out.append(" and " if i == len(items) - 1 else ", ")
        out.append(item)
    return out


# --- the source ----------------------------------------------------------------------------------------------------


def source_line(index_date: object) -> str:
    """The credit line: the records project with the date its records index gives, and the boundaries."""
    return (
        "Source: ACLU of Massachusetts face-recognition public records (records index dated "
        f"{date_text(index_date)}); MassGIS municipal boundaries."
    )


def caveat_sentence(caveat: Caveat) -> Sentence:
    """One of the page's own warnings, quoted with its link."""
    return [
        "The records page warns: ",
        Quote(caveat.quote),
        " (",
        Link(f"{caveat.section} section", caveat.url),
        "). ",
        NOT_NO_USE,
    ]


# --- agencies ------------------------------------------------------------------------------------------------------


def reach_label(reach: str, county: object = None) -> str:
    """Where an agency's records reach, as a table cell: 'Statewide', 'Norfolk County', 'No area given'."""
    return REACH_LABELS[reach].format(county=county)


def agency_scope(kind: str, reach: str, county: object = None) -> str:
    """An agency's kind and reach in one sentence, marked as this map's reading."""
    words = f"{KIND_NAMES[kind]}: {REACH_SENTENCES[reach].format(county=county)}"
    article = "An" if words[0] in "aeiou" else "A"
    return f"{article} {words}.{OUTSIDE_MARK}"


def published_as(dossier: Dossier) -> str:
    """How the records page names an agency, where this map writes a fuller name ('' where the same)."""
    published = dossier.name_as_published
    if not published or published == dossier.name:
        return ""
    return f"Named on the records page “{published}”."


# --- listings and records ------------------------------------------------------------------------------------------


def counted_by(known: int, later: int, as_of: str | None) -> str:
    """A heading's count as of the month: '(5)', or '(5 by December 2019; 1 later)'."""
    if not later or as_of is None:
        return f"({known})"
    return f"({known} by {date_text(as_of)}; {later} later)"


def later_words(as_of: str | None) -> str:
    """The mark of a fact that came after the chosen month."""
    return f"Later than {date_text(as_of)}, the date shown." if as_of else ""


def listing_sentence(listing: Listing, labels: dict[str, str], as_of: str | None = None) -> Sentence:
    """A Clearview listing: how it was listed, whether it counts, its record and documents."""
    month = f", request of {date_text(listing.month)}" if listing.month else ""
    role = "counted" if listing.counted else f"a {SECOND_LISTING} ({labels[listing.winner]} wins)"
    if listing.documents is None:
        documents = (
            f"one record shared by {listing.shared_by} listed departments: {documents_text(listing.record.documents)}"
        )
    else:
        documents = documents_text(listing.documents)
    sentence: Sentence = []
    if listing.later:
        sentence.append(Em(later_words(as_of) + " "))
    sentence += [
        f"Listed as “{listing.name_as_published}” under {labels[listing.status]}{month}: {role}. Record: ",
        *record_link(listing.record),
        f", {documents}.",
    ]
    return sentence


def zero_sentence(listing: Listing, labels: dict[str, str]) -> str:
    """Why a counted listing with a 0-document record is still in its class."""
    return (
        f"This record holds 0 documents: the records page lists it under {labels[listing.status]}, but publishes no "
        "document that shows it."
    )


def record_link(record: Record) -> Sentence:
    """The record's title linked to its own page, or to its section's page (said so)."""
    if record.source.own_page:
        return [Link(record.title, record.source.url)]
    return [Link(record.title, record.source.url), f" (on the {record.source.section} page)"]


def years_text(start: int, end: int) -> str:
    """A filing span as written: '2019' or '2019–2020'."""
    return str(start) if start == end else f"{start}–{end}"


def vendor_words(record: Record) -> str:
    """The vendor a record is about: 'Briefcam', 'COPLINK (named only in the record's title)', '' for none."""
    if not record.vendor:
        return ""
    return f"{record.vendor} ({TITLE_ONLY})" if record.named_in == "title" else record.vendor


def record_details(record: Record) -> str:
    """What a record's line says beside its title: vendor, agency as submitted, years filed, documents."""
    parts = [vendor_words(record), record.submitted_to, f"filed {years_text(record.year_start, record.year_end)}"]
    return " · ".join(p for p in parts if p) + f" · {documents_text(record.documents)}"


def finding_sentence(record: Record) -> Sentence:
    """What the record's own part of the page says its documents showed ([] for none)."""
    return ["The records page: ", Quote(record.finding)] if record.finding else []


def record_line(record: Record) -> Sentence:
    """A record in one line: its linked title, what it is about and holds, and what its page found."""
    finding = finding_sentence(record)
    return [*record_link(record), f": {record_details(record)}.", *([" ", *finding] if finding else [])]


# --- policy --------------------------------------------------------------------------------------------------------


def _adopted(event: Event, kind_label: str, as_of: str | None) -> str:
    """'Surveillance-oversight ordinance, adopted October 2021; in force from August 2022 (after …)'."""
    effective = ""
    if event.effective_date:
        effective = f"; in force from {date_text(event.effective_date)}"
        if event.effective_later and not event.later and as_of:
            effective += f" (after {date_text(as_of)}, the date shown)"
    return f"{kind_label}, adopted {date_text(event.date)}{effective}"


def event_sentence(event: Event, kind_label: str, as_of: str | None = None) -> Sentence:
    """A policy decision: kind, date, effective date, what was decided, the quote and its source (marked †)."""
    sentence: Sentence = []
    if event.later:
        sentence.append(Em(later_words(as_of) + " "))
    sentence += [
        Strong(f"{_adopted(event, kind_label, as_of)}."),
        f" {event.title}. ",
        Quote(event.source_quote),
        " ",
        Link("Source", event.source_url),
        OUTSIDE_MARK,
    ]
    return sentence


def state_law_sentence(event: Event, kind_label: str) -> str:
    """The state law in one sentence (the map draws nothing for it: it applies in every town)."""
    effective = f", in force from {date_text(event.effective_date)}" if event.effective_date else ""
    return (
        f"In every town: {event.title}, signed {date_text(event.date)}{effective} ({kind_label.lower()}).{OUTSIDE_MARK}"
    )


def policy_sentence(
    municipalities: int,
    residents: int,
    share: float,
    by_class: dict[str, int],
    unknown_class: int,
    as_of: str,
    labels: dict[str, str],
) -> str:
    """Residents under a face-surveillance ban or moratorium adopted by the month, and the classes known then."""
    text = (
        f"Under a face-surveillance ban or moratorium{OUTSIDE_MARK} adopted by {date_text(as_of)}: "
        f"{plural(municipalities, 'municipality', 'municipalities')}, {residents:,} residents ({CENSUS}, "
        f"{share:.1%} of the state)"
    )
    if not by_class:
        return text + "."
    classes = ", ".join(f"{labels[c].lower()} {n}" for c, n in by_class.items())
    text += f"; by Clearview class: {classes}"
    if unknown_class:
        text += f"; {NOT_ASKED.lower()}: {unknown_class}"
    return text + "."


# --- the time control -----------------------------------------------------------------------------------------


def reply_rule(last_wave: str) -> str:
    """When a department's Clearview class is shown: the page dates requests, never replies."""
    return (
        "The records page dates the requests, never the replies: a department's class is shown from the month its "
        f"request is known to have gone out (the lists that give no month: from {date_text(last_wave)}, the last "
        "wave), though its reply may have come later."
    )


def asked_words(listing: Listing | None, catalog: Catalog) -> str:
    """When a place's Clearview request went out, in words."""
    if listing is not None and listing.month:
        return f"its request went out in {date_text(listing.month)}"
    waves = join_names([w.label for w in catalog.waves])
    return (
        f"the requests went out in {waves}, and this list gives no month: it counts from {date_text(catalog.last_wave)}"
    )


def not_asked_sentence(count: int, as_of: str, catalog: Catalog, dated: int) -> str:
    """The headline's note on the towns not known to have been asked yet."""
    waves = join_names([w.label for w in catalog.waves])
    return (
        f"As of {date_text(as_of)}, {plural(count, 'municipality', 'municipalities')} "
        f"{'is' if count == 1 else 'are'} not known to have been asked yet: the Clearview AI requests went out in "
        f"{waves}, and the records page dates only the {dated} requests of its first list."
    )


# --- regions -------------------------------------------------------------------------------------------------------


def uasi_explained(members: Sequence[Segment]) -> Sentence:
    """The Metro Boston UASI region in the records page's terms, with its members (names, or links to them)."""
    return [
        "Since 2003 the federal Urban Areas Security Initiative (UASI) designation has enabled the Metro Boston "
        "Homeland Security Region to apply for and obtain federal grants for information sharing, surveillance, "
        "emergency preparedness and other technologies, distributed through Boston's Office of Emergency "
        f"Management. Its {len(members)} municipalities: ",
        *joined(members),
        ".",
    ]


def uasi_sentence(members: Sequence[str]) -> str:
    """The Metro Boston UASI region in the records page's terms, with its members."""
    return plain(uasi_explained(list(members)))


def uasi_member(name: str, member: bool) -> str:
    """Whether a town is in the region, in a sentence."""
    return f"{name} is {'in' if member else 'not in'} the {UASI_KEY}."


# --- what a view shows, in one line ------------------------------------------------------------------------------


def totals_sentence(facts: ViewFacts) -> str:
    """What the map shows under the filters: towns colored by class (and not known to be asked), the vendor records."""
    totals = facts.totals
    not_asked = f" ({facts.not_asked} {NOT_ASKED.lower()})" if facts.not_asked else ""
    return (
        f"Showing {facts.shown} of {len(facts.codes)} municipalities colored by Clearview class{not_asked}; "
        f"{plural(totals.records, 'vendor record')} ({documents_text(totals.documents)}) at "
        f"{plural(totals.municipalities, 'municipality', 'municipalities')} and "
        f"{plural(totals.agencies, 'other agency', 'other agencies')}."
    )


# --- a town's or an agency's page --------------------------------------------------------------------------------

NO_RECORDS = "None in the records index."
MAP_LINKS = {"town": "Open the interactive map on this town", "agency": "Open the interactive map on this agency"}


def town_line(dossier: Dossier, separator: str = " · ") -> str:
    """A town under its name: county, residents, region ('Suffolk County · 617,594 residents (2010 census) · …')."""
    parts = [f"{dossier.county} County", f"{dossier.population or 0:,} residents ({CENSUS})"]
    if dossier.uasi:
        parts.append(UASI_KEY)
    return separator.join(parts)


def records_total(records: Sequence[Record]) -> str:
    """Records and their documents: '3 records, 280 documents'."""
    return f"{plural(len(records), 'record')}, {documents_text(sum(r.documents for r in records))}"


def documents_total(records: Sequence[Record]) -> str:
    """Under a table of records: 'In all, 280 documents.'"""
    return f"In all, {documents_text(sum(r.documents for r in records))}."


def records_heading(dossier: Dossier, count: int) -> str:
    """The heading of a place's records: 'Records about Boston’s agencies (12)', 'Records about this agency (3)'."""
    whose = f"{dossier.name}’s agencies" if dossier.kind == "town" else "this agency"
    return f"Records about {whose} ({count})"


def agency_summary(reaching: Reaching) -> str:
    """An agency reaching a town, in a few words: its records, their documents, their vendors."""
    text = records_total(reaching.known)
    if reaching.vendors:
        text += f" (vendors: {join_names(list(reaching.vendors))})"
    return text


def reaching_item(reaching: Reaching, href: str, county: object = None) -> Sentence:
    """An agency reaching a town, linked, with its records in a few words (its county named for a sheriff)."""
    lead = [f"{county} County: "] if county else []
    return [*lead, Link(reaching.name, href), f"{',' if county else ':'} {agency_summary(reaching)}."]


def reaching_sentence(name: str, count: int) -> str:
    """How many agencies reach a town through their records (its county's sheriff and the statewide agencies)."""
    agencies = plural(count, "state or county agency", "state or county agencies")
    return f"The records of {agencies} reach {name}."


def no_sheriff_sentence(county: object) -> str:
    """A town whose county's sheriff has no record."""
    return f"No record of a {county} County sheriff is in the records index."


def statewide_sentence(count: int) -> str:
    """The statewide agencies, before their list."""
    return f"The records of {plural(count, 'state agency', 'state agencies')} reach the whole state:"


def offices_here(name: str, agencies: Sequence[Segment]) -> Sentence:
    """The agencies with offices in a town (a fact from outside the records page)."""
    return [f"Agencies with offices in {name}{OUTSIDE_MARK}: ", *joined(agencies), "."]


def offices_sentence(town: Segment, outside: bool) -> Sentence:
    """Where an agency has its offices (marked when the records page does not say it)."""
    return ["Offices in ", town, f"{OUTSIDE_MARK if outside else ''}."]


def unlisted_sentence(clearview: str, combined: bool) -> str:
    """An agency named in no Clearview list, or a combined record."""
    if combined:
        return f"A combined record is not listed in any {clearview} class of its own."
    return f"Named in no {clearview} list: whether it was asked is not published."


def county_towns_heading(count: int, county: object) -> str:
    """The heading over a county agency's towns."""
    return f"The {count} municipalities of {county} County"


def no_policy_sentence(name: str) -> str:
    """A town with no policy decision among those this map records."""
    return f"No ban, moratorium or oversight ordinance of {name} is among the decisions this map records."


def town_title(name: str, clearview: str) -> str:
    """A town page's title."""
    return f"{name}, Massachusetts: {clearview} and surveillance vendor records"


def town_description(dossier: Dossier, label: str, clearview: str) -> str:
    """A town page's description (search results, link cards)."""
    vendors = f"; vendors in its records: {join_names(list(dossier.vendors))}" if dossier.vendors else ""
    return (
        f"{dossier.name}, {dossier.county} County, Massachusetts: {clearview} class “{label}”; "
        f"{plural(len(dossier.records), 'public record')} about its agencies{vendors}."
    )


def agency_title(name: str) -> str:
    """An agency page's title."""
    return f"{name}: surveillance vendor records"


def agency_description(dossier: Dossier) -> str:
    """An agency page's description: its kind and reach (this map's reading) and its records."""
    scope = agency_scope(str(dossier.agency_kind), str(dossier.reach), dossier.county).removesuffix(OUTSIDE_MARK)
    return f"{dossier.name}: {scope} {plural(len(dossier.records), 'public record')} in the face-recognition records."


def compare_heading(names: Sequence[str]) -> str:
    """A compare page's heading: 'Boston and Cambridge compared'."""
    return f"{join_names(list(names))} compared"


def compare_title(names: Sequence[str], clearview: str) -> str:
    """A compare page's title."""
    return f"{compare_heading(names)}: {clearview} and surveillance vendor records"


def compare_description(classes: Sequence[tuple[str, str]], clearview: str) -> str:
    """A compare page's description: each town's class ((name, label) pairs)."""
    listed = "; ".join(f"{name}: “{label}”" for name, label in classes)
    return f"{clearview} classes in Massachusetts: {listed}. Records and vendors compared."


# --- slides (exports/images.py, exports/compare_slide.py) ---------------------------------------------------------

VENDOR_KEYS_TITLE = "Vendor records (hollow: 0 documents)"
COMPARED_KEY = "The town compared"
NO_RECORD_LINE = "No record in the records index"
AGENCY_RECORDS_TITLE = "Records at state, county and other agencies"
AGENCY_RECORDS_NOTE = "(they color no town)"
#: The title over a state slide's enlarged map of Metro Boston.
INSET_TITLE = "Metro Boston, enlarged"


def printed(segments: Iterable[Segment]) -> str:
    """A sentence as plain text for print (an image, paper): each link's address written after its text."""
    return "".join(f"{s.text}: {s.href}" if isinstance(s, Link) else plain([s]) for s in segments)


def as_of_words(months: Sequence[str]) -> str:
    """The dates a view shows: 'As of December 2021', 'As of January 2019 and December 2021'."""
    return f"As of {join_names([date_text(m) for m in months])}"


def classes_title(as_of: str) -> str:
    """The heading over the Clearview classes' keys of a slide."""
    return f"Clearview AI classes as of {date_text(as_of)}"


def class_key(
    label: str, municipalities: int, zero_municipalities: int = 0, agencies: int = 0, zero_agencies: int = 0
) -> str:
    """A class's key with its counts, municipalities and other agencies apart: 'Use or communication: 18
    municipalities (3 with a 0-document record) + 2 other agencies (1 with 0 documents)'."""
    text = f"{label}: {plural(municipalities, 'municipality', 'municipalities')}"
    if zero_municipalities:
        text += f" ({zero_municipalities} with a 0-document record)"
    if agencies:
        text += f" + {plural(agencies, 'other agency', 'other agencies')}"
        if zero_agencies:
            text += f" ({zero_agencies} with 0 documents)"
    return text


def policy_key(kind_label: str, as_of: str) -> str:
    """A policy kind's outline in a key: the towns that had adopted one by the month (a fact from outside)."""
    return f"{kind_label} adopted by {date_text(as_of)}{OUTSIDE_MARK}"


def policy_key_each(kind_label: str) -> str:
    """A policy kind's outline in the key of a slide with maps of several dates."""
    return f"{kind_label} adopted by the date of each map{OUTSIDE_MARK}"


def card_class_line(clearview: str, label: str) -> str:
    """A link card's class line: 'Clearview AI: Use or communication'."""
    return f"{clearview}: {label}"


def vendor_key(vendor: str, title_only: Sequence[str] = ()) -> str:
    """A vendor's marker in a key, saying where it is named only in a record's title: 'COPLINK (at Northampton:
    named only in the record's title)'."""
    return f"{vendor} (at {join_names(list(title_only))}: {TITLE_ONLY})" if title_only else vendor


def agency_records_line(vendor: str, groups: Sequence[tuple[str, Sequence[tuple[str, int | None]]]]) -> str:
    """One vendor's records at agencies, by where they reach ((reach label, [(agency, documents)]) pairs):
    'Lan-Tel · Statewide: Massachusetts State Police (14 documents) · No area given: … (2 documents)'."""
    parts = [f"{label}: " + ", ".join(f"{name} ({documents_text(d)})" for name, d in items) for label, items in groups]
    return " · ".join([vendor, *parts])


def panel_policy_heading(municipalities: int) -> str:
    """A before/after panel's line under its date: the bans and moratoria adopted by then."""
    return f"Ban or moratorium adopted in {plural(municipalities, 'municipality', 'municipalities')}{OUTSIDE_MARK}"


def exported_line(day: object, data_version: str) -> str:
    """When a slide was made, and from which data."""
    return f"Exported {date_text(day)}. Data version {data_version}."


def event_line(event: Event, kind_label: str, as_of: str | None = None) -> str:
    """A policy decision in a few words (a slide, a hover): 'Face-surveillance ban, adopted June 24, 2020†'."""
    later = f"{later_words(as_of)} " if event.later else ""
    return f"{later}{_adopted(event, kind_label, as_of)}{OUTSIDE_MARK}"


def vendors_words(dossier: Dossier) -> str:
    """The vendors of a place's records filed by its month, each named only in a title marked: 'vendors: IBM'."""
    titled = {r.vendor for r in dossier.known_records if r.vendor and r.vendor_record and r.named_in == "title"}
    tabled = {r.vendor for r in dossier.known_records if r.vendor and r.vendor_record and r.named_in != "title"}
    names = [f"{v} ({TITLE_ONLY})" if v in titled and v not in tabled else v for v in dossier.vendors]
    return f"vendors: {join_names(names)}" if names else ""


# --- the map page's time control, time chart and footer (web/layout.py, views/time_chart.py) ----------------------

#: The first view's way to the interactive map (zoom, hover, play) and to the records table, which need it.
OPEN_INTERACTIVE = "Open the interactive map"
OPEN_TABLE = "Open the records table"
WHOLE_STATE = "Whole state"  # on a phone's map framed on the chosen town: the view of the whole state
TABLE_WITH_MAP = "The searchable records table opens with the interactive map. Every record is also on its town's page."
PREVIOUS_EVENT = "« Event"
NEXT_EVENT = "Event »"
PREVIOUS_EVENT_LABEL = "Previous event: the last month before this one in which something happened"
NEXT_EVENT_LABEL = "Next event: the next month in which something happened"
SPEED_TITLE = "Speed"
#: Play's speeds: each is a pause between months in milliseconds, or "events" (Play steps from event to event).
SPEEDS = {"slow": "Slow", "normal": "Normal", "fast": "Fast", "events": "Events only"}
TIME_CHART_TITLE = "What changed, month by month"
TIME_CHART_NOTE = (
    "Each bar is a month, under the filters chosen; the chosen month's bars are orange. The orange marks on the "
    "date slider are the months in which something happened (a record filed, a request wave, a decision)."
)
#: The time chart's rows: what each counts as of each month.
TIME_SERIES = {
    "classes": "Municipalities whose Clearview class is known",
    "records": "Vendor records filed (vendors switched on)",
    "policies": f"Municipalities under a face-surveillance ban or moratorium{OUTSIDE_MARK}",
}


def series_summary(label: str, steps: Sequence[tuple[str, int]]) -> str:
    """A time-chart row in words, by the months its count changed: 'Policies: 0 in January 2017, 1 from June 2019'."""
    parts = [f"{value} {'in' if i == 0 else 'from'} {date_text(month)}" for i, (month, value) in enumerate(steps)]
    return f"{label}: {', '.join(parts)}."


def data_dates(first_year: object, last_year: object, index_date: object, last_decision: object) -> str:
    """The data's own dates, apart from the map's revision: the years filed, the index's date, the last decision."""
    index_month = date_text(str(index_date)[:7])
    return (
        f"Dates of the data: records filed {date_text(f'{first_year}-{last_year}')}, records index dated "
        f"{index_month}, policy decisions to {date_text(last_decision)}{OUTSIDE_MARK}."
    )


def revision_line(data_version: str) -> str:
    """The version stamp, said for what it is: when this map's data files last changed, not when the data is from."""
    return f"This map's data revision: {data_version} (when its files last changed; not the date of the records)."


EMBED_HINT = (
    "The presentation view of the map as it is now: it fits any width from 320 to 1280 pixels, and its links open "
    "in a new tab. Any site may show it in a frame: it is a read-only public map, with no sign-in and nothing that "
    "can be changed from it."
)


# --- the data page, the changes page, citing and correcting (site/dataset.py, site/templates/data.html) -----------

#: The compiled data's other name, and what it is in plain words (also the schema.org Dataset description).
DATASET_ALTERNATE_NAME = "Massachusetts face-recognition public records, city by city"
DATASET_DESCRIPTION = (
    "The results of the ACLU of Massachusetts' face-recognition public-records requests, joined to the 351 cities "
    "and towns of Massachusetts: which police departments' records showed communication with, and in some cases "
    "use of, Clearview AI, which showed only solicitations, which had no responsive documents and which are not "
    "listed; the records about other surveillance vendors and the agencies they were filed with; the Metro Boston "
    "UASI region; and the face-surveillance bans, moratoria and oversight ordinances that cities and towns adopted, "
    f"each from a cited public source outside the records page{OUTSIDE_MARK}."
)
#: How the facts were gathered (schema.org measurementTechnique).
DATASET_METHOD = (
    "Public records requests filed by the ACLU of Massachusetts, as its records page reports their results; "
    "transcribed, with each name read as a town or an agency, and joined to the MassGIS municipal boundaries"
)
DATASET_KEYWORDS = ("face recognition", "surveillance", "public records", "police", "Massachusetts", "municipalities")
PLACE_NAME = "Massachusetts, United States"
#: What the boundaries are, named where the data page says what the data is based on.
BOUNDARIES_SOURCE = (
    "MassGIS (Bureau of Geographic Information), Commonwealth of Massachusetts: the municipal boundaries "
    "(layer “Municipalities”), free public data of the Commonwealth"
)
#: Each published table: its name and what a row is (the data page and the Dataset's parts).
DATA_TABLES = {
    "towns": (
        "Cities and towns",
        "One row per Massachusetts city or town (351): its Clearview AI class, its record, the vendors in its "
        "records, the Metro Boston region and its face-surveillance and oversight policies",
    ),
    "agencies": (
        "State, county and other agencies",
        "One row per agency that is not a city or town: its kind, where its records reach, its Clearview AI "
        "listing and the vendors in its records",
    ),
    "events": (
        "Policy decisions",
        f"One row per face-surveillance ban, moratorium, oversight ordinance or state law{OUTSIDE_MARK}, "
        "dated, with its source and a short quote",
    ),
    "records": (
        "Records",
        "One row per record of the records index and per Clearview AI listing, with its link on the records page",
    ),
}
#: A download's format in words, by its media type (without parameters).
FORMAT_NAMES = {
    "text/csv": "CSV (a table for spreadsheets)",
    "application/geo+json": "GeoJSON (the table with places, for mapping software)",
}


def size_text(size: int) -> str:
    """A file's size as people read it: '820 bytes', '38 kB', '1.5 MB'."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{round(size / 1000)} kB"
    return f"{size / 1_000_000:.1f} MB"


def licence_sentence(licence: Link, why: str) -> Sentence:
    """The compiled data's licence and why in one line."""
    return ["The compiled data is published under ", licence, f": {why}."]


def code_licence_sentence(licence: Link) -> Sentence:
    """The code's licence."""
    return ["The code that builds the map and these files is published under ", licence, "."]


def credit_sentence(rights: str) -> str:
    """The source's own credit, beside the licence."""
    return f"{rights}."


def cite_line(creator: str, title: str, data_version: str, address: str, licence: str) -> str:
    """How to cite the data (the data page, town and agency pages, slides' source line): creator, title, version,
    address, licence."""
    return f"{creator}. {title} (data set), data version {data_version}. {address}. Licence: {licence}."


def cite_sentence(creator: str, title: str, data_version: str, address: str, licence: str) -> Sentence:
    """The citation with its address as a link."""
    text = cite_line(creator, title, data_version, address, licence)
    before, after = text.split(address, 1)
    return [before, Link(address, address), after]


CITE_HEADING = "Cite this data"
CHANGES_TITLE = "Changes to the data"
CHANGES_DESCRIPTION = "Every correction and addition to this map's data, newest first, each with its reason."
CHANGES_LINK = "Every change to the data, with its reason"
DATA_TITLE = "About the data: licence, version, downloads"
DATA_LINK = "About the data, its licence and downloads"


def change_reason(reason: str) -> str:
    """Why a change was made, after it."""
    return f"Why: {reason.rstrip('.')}."


DOWNLOADS_NOTE = "Each file holds the whole table, whatever the map's filters show."


def report_error_sentence(corrections_url: str, source: Link, changes_path: str) -> Sentence:
    """How to report an error: to the operator's address when one is set; otherwise, where errors in the records
    themselves go, and the list of the map's corrections."""
    changes = Link("the list of changes", changes_path)
    if corrections_url:
        return [
            "Found an error on this page? ",
            Link("Report it here", corrections_url),
            ". Corrections already made are in ",
            changes,
            ", each with its reason.",
        ]
    return [
        "Errors in the records themselves (a document count, a date, a listing) are the records page's: tell the "
        "ACLU of Massachusetts through its page, ",
        source,
        ". Corrections this map has made are in ",
        changes,
        ", each with its reason.",
    ]


def ask_records_heading(name: str) -> str:
    """The heading of how to ask a town for its records."""
    return f"Ask {name} for records yourself{OUTSIDE_MARK}"


def guidance_sentence(claim: str, quote: str, source: Link) -> Sentence:
    """A fact from outside the records page that helps a reader act (its heading carries the mark), with its source
    and the law's words where quoted."""
    quoted: Sentence = [" The law: ", Quote(quote), "."] if quote else []
    return [claim.rstrip("."), " (", source, ").", *quoted]


REPORT_HEADING = "Report an error"
NOT_FOUND_TITLE = "No page at this address"
NOT_FOUND_DESCRIPTION = "There is no page at this address: find a town or agency, or open the map."
NOT_FOUND_TEXT = "There is no page at this address. Find a town or agency by name, or open the map."
NOT_FOUND_LINKS = {"/": "Open the map", "/town-search": "See every town and agency", "/data": DATA_LINK}


# --- the town search: a place leads to its town and says so; a close spelling is only offered ----------------------

SEARCH_LABEL = "Find a town, village, neighborhood, ZIP code or agency"
SEARCH_HINT = "A village, neighborhood or ZIP code finds its town: Florence finds Northampton."
SEARCH_NOTHING = "No town or agency matches, nor any village, neighborhood or ZIP code."
SEARCH_DID_YOU_MEAN = "Nothing is named exactly so. Did you mean:"
SEARCH_CONTAINING = "Names containing these words:"
SEARCH_EVERY_PAGE = "See every town and agency"
ZIP_CROSSES = "A ZIP code can serve more than one town: each town it is placed in is listed."
GAZETTEER_SOURCE = (
    "Villages, neighborhoods and ZIP codes: the USPS names and ZIP codes, each placed in the town its point lies in, "
    "and names reviewed by hand (Boston's neighborhoods, villages across town lines)."
)


def search_heading(query: str) -> str:
    """The heading of the search's answer."""
    return f"Searching for “{query}”"


def place_sentence(place: str, kind: str | None, postal_name: str | None, towns: Sequence[Segment]) -> Sentence:
    """Where a village, neighborhood or ZIP code is: 'Florence is in Northampton.', 'Dorchester is a neighborhood of
    Boston.', 'ZIP code 01062 (Florence) is in Northampton.', 'Chestnut Hill is in Boston, Brookline and Newton.'"""
    if kind == "zip_code":
        name = f"ZIP code {place}" + (f" ({postal_name})" if postal_name else "")
        return [name, " is in ", *joined(towns), "."]
    if kind == "neighborhood" and len(towns) == 1:
        return [place, " is a neighborhood of ", *towns, "."]
    return [place, " is in ", *joined(towns), "."]


def suggestion_item(target: Segment, place: str | None, kind: str | None, postal_name: str | None) -> Sentence:
    """One "Did you mean" or "containing" line: the town or agency, or the place that leads to its town."""
    if place is None:
        return [target]
    return place_sentence(place, kind, postal_name, [target])


# --- the release bundle: its README and the data's licence statement (exports/release.py) -------------------------

#: Who published the records page, as a citation names an author.
SOURCE_PUBLISHER = "ACLU of Massachusetts"
#: The citation file's request to its readers (CITATION.cff's message).
CITE_MESSAGE = "If you use this data, please cite it as below, with the source's credit."
#: What the other files of a release hold, by path (the tables' rows come from DATA_TABLES).
RELEASE_FILES = {
    "data/": "The reviewed facts the tables are built from, one file per kind, each row with its source",
    "data/changelog.csv": "Every correction to the data, dated, with its reason",
    "datapackage.json": "What each column holds (its type, meaning and allowed values) and how the tables refer to "
    "each other, as a Frictionless Data Package: `frictionless validate datapackage.json` checks every file",
    "openapi.json": "The site's API, which answers with the same tables, described in OpenAPI",
    "CITATION.cff": "How to cite this release (Citation File Format)",
    "DATA-LICENCE.md": "The data's licence and the source's credit",
    "LICENSE": "The licence of the code that builds the map and these files",
    "SHA256SUMS": "A checksum of every other file: `sha256sum -c SHA256SUMS` checks them",
}


def release_readme(
    title: str, version: str, released: str, description: str, tables: Sequence[tuple[str, str]], licence: str
) -> str:
    """The README of a release: what it is, its date, every file and what it holds, and its licence.

    `tables` pairs each published table's files (e.g. "`towns.csv`, `towns.geojson`") with what they hold."""
    rows = [f"| {files} | {what} |" for files, what in tables]
    rows += [f"| `{path}` | {what} |" for path, what in RELEASE_FILES.items()]
    return "\n".join(
        [
            f"# {title}: data release {version}",
            "",
            description,
            "",
            f"Released {date_text(released)}, the date of the latest correction in the changelog. The version is "
            "that date and a check code of the data files: two copies with the same version hold the same data.",
            "",
            "| file | what it holds |",
            "| --- | --- |",
            *rows,
            "",
            f"The data is published under {licence}, with the source's credit (DATA-LICENCE.md).",
            "",
            OUTSIDE_NOTE,
            "",
        ]
    )


def data_licence_text(licence_title: str, licence_id: str, licence_url: str, rights: str, code_licence: str) -> str:
    """The data's licence statement in a release, with the source's credit beside it."""
    return "\n".join(
        [
            "# The data's licence",
            "",
            f"The compiled data in this folder (its tables, the files in data/ and datapackage.json) is published "
            f"under the {licence_title} licence ({licence_id}): {licence_url}",
            "",
            f"Credit: {rights}.",
            "",
            f"The code that builds it is published under the {code_licence}: see LICENSE.",
            "",
        ]
    )


def coverage_sentence(towns: int, first_month: object, last_month: object) -> str:
    """The place and the time the data covers."""
    return (
        f"Place: the {towns} cities and towns of Massachusetts, and the state, county and other agencies in the "
        f"records. Time: {date_text(first_month)} to {date_text(last_month)}, the months the map can show."
    )


def based_on_sentence(records_page: Link, index_date: object) -> Sentence:
    """What the data is based on: the records page (its index's date) and the boundaries."""
    return [
        "The ACLU of Massachusetts' records page, ",
        records_page,
        f" (records index dated {date_text(index_date)}), and {BOUNDARIES_SOURCE}.",
    ]


def api_sentence(docs: Link) -> Sentence:
    """Where the same tables are as JSON."""
    return ["The same tables, and each town on its own, as JSON answers for programs: ", docs, "."]


API_LINK = "the API and its documentation"
