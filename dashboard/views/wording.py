"""Every fixed word the map says, in one place: marks, caveats, reach and kind names, and the sentences that word a
dossier's or a view's values.

Sentences are lists of segments (plain text, `Link`, `Quote`, `Strong`, `Em`), so that each surface renders the same
words its own way: Dash components (views/render.py), Jinja templates (site/templates), images' text (`plain`,
`printed`).
Labels that are data (Clearview classes, vendors, policy kinds) come from data/ through the catalog. One place to
change a sentence, and one place for a translation to start from.

Every word is a gettext message, translated when a function is called or a constant is read (`wording.TITLE`), in
the language in use (dashboard.language): a sentence is one message with named placeholders (`rich` for links and
quotes in it), counts through `count_of`, numbers, dates and percentages as the language writes them. Quotes stay in
the source's English; in another language `Quote.translation` is this map's translation of one, shown beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from string import Formatter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from dashboard import config
from dashboard.data.catalog import Catalog
from dashboard.data.dossier import Caveat, Dossier, Event, Listing, Reaching, Record
from dashboard.language import N_, _, current, gettext, ngettext, number
from dashboard.views.words import count_of, date_text, decimal_text, documents_text, join_names, percent_text

if TYPE_CHECKING:
    from dashboard.state.view_facts import ViewFacts

_Word = TypeVar("_Word", str, dict[str, Any], tuple[Any, ...], list[Any])

# The word constants below are English messages (N_) under private names (`_TITLE`): `wording.TITLE` reads them
# translated into the language in use when it is read (the module's __getattr__), never frozen at import. A "{mark}"
# in one is the outside mark (†), which no language translates.


def _t(value: _Word) -> _Word:
    """A word constant in the language in use: a message translated, a dict/tuple/list the same shape translated."""
    if isinstance(value, str):
        return gettext(value).replace("{mark}", OUTSIDE_MARK) if value else value
    if isinstance(value, dict):
        return {key: _t(item) for key, item in value.items()}
    return type(value)(_t(item) for item in value)


def __getattr__(name: str) -> Any:
    """`wording.TITLE`, `wording.REACH_LABELS`, …: the word constant translated into the language in use."""
    value = globals().get(f"_{name}") if name.isupper() else None
    if not isinstance(value, str | dict | tuple | list):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _t(cast(Any, value))


_TITLE = N_("Surveillance vendor reach in Massachusetts")
#: The page's subtitle, also its meta description.
_SUBTITLE = N_(
    "What Massachusetts police departments' records showed about Clearview AI, and where records about other "
    "surveillance vendors were found."
)
_SLIDE_TITLE = N_("Clearview AI and surveillance vendors in Massachusetts public records")

#: Marks a fact that the records page does not state: a public fact, or this map's reading of a name.
OUTSIDE_MARK = "†"
_OUTSIDE_NOTE = N_(
    "{mark} Not stated on the records page: added by this map (a public fact with its source, or our reading)."
)
#: What a record is, said once for every surface.
_RECORD_NOTE = N_(
    "A record shows that a public-records request about a vendor was filed with an agency and how many documents "
    "came back: evidence that a relationship was asked about, not proof of a contract or of use."
)
#: A weaker listing of a department listed twice: kept and shown, not counted (the precedence rule).
# Translators: said of a department's weaker listing, when it is listed twice.
_SECOND_LISTING = N_("second listing, not counted")
_NOT_NO_USE = N_("“No responsive documents” is not “no use”, and “not listed” says nothing either way.")
#: The map's class for a town before its Clearview request is known to have been filed.
_NOT_ASKED = N_("Not known to have been asked yet")
# Translators: the legend's key for towns the chosen filters leave out.
_FILTERED_OUT = N_("Outside the filters")
#: The legend's count of a class the class filter hides: hidden, never "0 municipalities".
# Translators: in the legend, instead of a class's count when its checkbox is off.
_HIDDEN_CLASS = N_("hidden: tick to show")
_ZERO_KEY = N_("Listed, but its Clearview record holds 0 documents")
#: The map's keys to its lines and symbols (the page and the slides name them alike).
_OFFICES_KEY = N_("Offices of a state or county agency{mark}")
_STATE_KEY = N_("Statewide reach: a state agency's records about a vendor switched on")
_COUNTY_KEY = N_("County reach: a sheriff's records about a vendor switched on")
_UASI_KEY = N_("Metro Boston UASI region")  # the region's name on the map, its keys and its pages
# Translators: the map's key for the outline of the town chosen.
_SELECTED_KEY = N_("Selected town")
_REACH_DRAWN = N_("Reach is drawn only for records about a vendor switched on that hold documents.")
_HOLLOW = N_("A hollow marker or star: the request returned 0 documents.")
# Translators: said of a vendor, in parentheses after its name.
_TITLE_ONLY = N_("named only in the record's title")
#: The reach table's column of records that count no reach (no area given; a vendor named only in a title).
_NO_REACH_HEADER = N_("Also at (no reach counted)")
# Translators: after a number of residents, in parentheses.
_CENSUS = N_("2010 census")
_EMPTY_PANEL = N_("Click a town on the map, or find a town or agency by name above, to see its records.")

#: How a table names where an agency's records reach ({county}: its county's name).
_REACH_LABELS = {
    # Translators: a table cell: where an agency's records reach.
    "state": N_("Statewide"),
    "county": N_("{county} County"),
    "campus": N_("Its campus"),
    "agency": N_("No area given"),
    "none": N_("Several agencies"),
}
#: The same in a sentence about the agency.
_REACH_SENTENCES = {
    "state": N_("its records reach the whole state"),
    "county": N_("its records reach {county} County"),
    "campus": N_("its records reach its campus"),
    "agency": N_("the records page gives no area for its records, so none is drawn or counted"),
    "none": N_("a combined record over several agencies, not an agency of its own"),
}
#: An agency's kind in words (agencies.csv `kind`).
_KIND_NAMES = {
    "state": N_("state agency"),
    "county": N_("county agency"),
    "college": N_("college police"),
    "transit": N_("transit authority"),
    # Translators: an agency's kind (the Massachusetts Sheriffs' Association).
    "association": N_("association"),
    # Translators: a record filed with several agencies at once.
    "group": N_("combined record"),
}
#: An agency's kind and reach in one sentence ({reach}: its REACH_SENTENCES), marked as this map's reading; the
#: article is part of each message (the language's own article and gender).
_KIND_SCOPES = {
    "state": N_("A state agency: {reach}.{mark}"),
    "county": N_("A county agency: {reach}.{mark}"),
    "college": N_("A college police: {reach}.{mark}"),
    "transit": N_("A transit authority: {reach}.{mark}"),
    "association": N_("An association: {reach}.{mark}"),
    "group": N_("A combined record: {reach}.{mark}"),
}


@dataclass(frozen=True)
class Link:
    """A link: its text and address."""

    text: str
    href: str


@dataclass(frozen=True)
class Quote:
    """Words quoted from a source, shown as a quotation: in the source's own English in every language."""

    text: str

    @property
    def translation(self) -> str:
        """This map's translation of the quote into the language in use ('' in English, or where there is none)."""
        return quote_translation(self.text)


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


def quote_translation(text: str) -> str:
    """This map's translation of an English quote (data/ extracts the quotes for the catalogues) into the language in
    use: '' in English, or where the catalogue holds none."""
    if current().code == config.SOURCE_LANGUAGE:
        return ""
    translated = gettext(text)
    return "" if translated == text else translated


def translation_note(quote: Quote) -> str:
    """What follows a quote in another language, marked as this map's: '(our translation: “…”)'; '' for none."""
    translation = quote.translation
    if not translation:
        return ""
    # Translators: follows a quotation left in its original English; what is inside is your translation of it.
    return _("(our translation: “{translation}”)").format(translation=translation)


def _plain(segment: Segment) -> str:
    if isinstance(segment, Quote):
        note = translation_note(segment)
        return f"“{segment.text}”" + (f" {note}" if note else "")
    return segment if isinstance(segment, str) else segment.text


def plain(segments: Iterable[Segment]) -> str:
    """A sentence as plain text: links as their text, quotes in quotation marks (in another language with this map's
    translation beside them: '“Leaked data …” (our translation: “…”)')."""
    return "".join(_plain(s) for s in segments)


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
    return merged(out)


def merged(segments: Iterable[Segment]) -> Sentence:
    """Segments with neighbouring plain strings read as one (the renderers need not care where a placeholder was)."""
    out: Sentence = []
    for segment in segments:
        if isinstance(segment, str) and out and isinstance(out[-1], str):
            out[-1] = out[-1] + segment
        elif segment != "":
            out.append(segment)
    return out


def joined(items: Sequence[Segment]) -> Sentence:
    """Segments joined as names are: 'A', 'A and B', 'A, B and C' (the language's own 'and')."""
    if len(items) < 2:
        return list(items)
    head: Sentence = []
    for i, item in enumerate(items[:-1]):
        head += [", ", item] if i else [item]
    return rich(_("{items} and {last}"), items=head, last=items[-1])


# --- the source ----------------------------------------------------------------------------------------------------


def source_line(index_date: object) -> str:
    """The credit line: the records project with the date its records index gives, and the boundaries."""
    return _(
        "Source: ACLU of Massachusetts face-recognition public records (records index dated {date}); MassGIS "
        "municipal boundaries."
    ).format(date=date_text(index_date))


def caveat_sentence(caveat: Caveat) -> Sentence:
    """One of the page's own warnings, quoted with its link."""
    # Translators: the link to a part of the records page; {section} is its name, e.g. "Clearview AI".
    section = Link(_("{section} section").format(section=caveat.section), caveat.url)
    return rich(
        _("The records page warns: {quote} ({section}). {not_no_use}"),
        quote=Quote(caveat.quote),
        section=section,
        not_no_use=_t(_NOT_NO_USE),
    )


# --- agencies ------------------------------------------------------------------------------------------------------


def reach_label(reach: str, county: object = None) -> str:
    """Where an agency's records reach, as a table cell: 'Statewide', 'Norfolk County', 'No area given'."""
    return _t(_REACH_LABELS)[reach].format(county=county)


def agency_scope(kind: str, reach: str, county: object = None) -> str:
    """An agency's kind and reach in one sentence, marked as this map's reading."""
    return _t(_KIND_SCOPES)[kind].format(reach=_t(_REACH_SENTENCES)[reach].format(county=county))


def published_as(dossier: Dossier) -> str:
    """How the records page names an agency, where this map writes a fuller name ('' where the same)."""
    published = dossier.name_as_published
    if not published or published == dossier.name:
        return ""
    return _("Named on the records page “{name}”.").format(name=published)


# --- listings and records ------------------------------------------------------------------------------------------


def counted_by(known: int, later: int, as_of: str | None) -> str:
    """A heading's count as of the month: '(5)', or '(5 by December 2019; 1 later)'."""
    if not later or as_of is None:
        return f"({number(known)})"
    # Translators: a count after a heading: {known} known by the date shown, {later} more after it.
    return _("({known} by {date}; {later} later)").format(
        known=number(known), date=date_text(as_of), later=number(later)
    )


def later_words(as_of: str | None) -> str:
    """The mark of a fact that came after the chosen month."""
    return _("Later than {date}, the date shown.").format(date=date_text(as_of)) if as_of else ""


def listing_sentence(listing: Listing, labels: dict[str, str], as_of: str | None = None) -> Sentence:
    """A Clearview listing: how it was listed, whether it counts, its record and documents."""
    if listing.counted:
        # Translators: a Clearview listing that counts for its place's class.
        role = _("counted")
    else:
        role = _("a second listing, not counted ({label} wins)").format(label=_(labels[listing.winner]))
    if listing.documents is None:
        documents = count_of(
            listing.shared_by,
            "one record shared by {n} listed department: {documents}",
            "one record shared by {n} listed departments: {documents}",
            documents=documents_text(listing.record.documents),
        )
    else:
        documents = documents_text(listing.documents)
    parts = {"name": listing.name_as_published, "label": _(labels[listing.status]), "role": role}
    if listing.month:
        message = _("Listed as “{name}” under {label}, request of {month}: {role}. Record: {record}, {documents}.")
        parts["month"] = date_text(listing.month)
    else:
        message = _("Listed as “{name}” under {label}: {role}. Record: {record}, {documents}.")
    sentence: Sentence = [Em(later_words(as_of) + " ")] if listing.later else []
    return sentence + rich(message, record=record_link(listing.record), documents=documents, **parts)


def zero_sentence(listing: Listing, labels: dict[str, str]) -> str:
    """Why a counted listing with a 0-document record is still in its class."""
    return _(
        "This record holds 0 documents: the records page lists it under {label}, but publishes no document that "
        "shows it."
    ).format(label=_(labels[listing.status]))


def record_link(record: Record) -> Sentence:
    """The record's title linked to its own page, or to its section's page (said so)."""
    link = Link(record.title, record.source.url)
    if record.source.own_page:
        return [link]
    # Translators: {section} is the name of a part of the records page.
    return rich(_("{record} (on the {section} page)"), record=link, section=record.source.section)


def years_text(start: int, end: int) -> str:
    """A filing span as written: '2019' or '2019–2020'."""
    return str(start) if start == end else f"{start}–{end}"


def vendor_words(record: Record) -> str:
    """The vendor a record is about: 'Briefcam', 'COPLINK (named only in the record's title)', '' for none."""
    if not record.vendor:
        return ""
    return f"{record.vendor} ({_t(_TITLE_ONLY)})" if record.named_in == "title" else record.vendor


def record_details(record: Record) -> str:
    """What a record's line says beside its title: vendor, agency as submitted, years filed, documents."""
    # Translators: when a record was filed: "filed 2019" or "filed 2019–2020".
    filed = _("filed {years}").format(years=years_text(record.year_start, record.year_end))
    parts = [vendor_words(record), record.submitted_to, filed]
    return " · ".join(p for p in parts if p) + f" · {documents_text(record.documents)}"


def finding_sentence(record: Record) -> Sentence:
    """What the record's own part of the page says its documents showed ([] for none)."""
    return rich(_("The records page: {quote}"), quote=Quote(record.finding)) if record.finding else []


def record_line(record: Record) -> Sentence:
    """A record in one line: its linked title, what it is about and holds, and what its page found."""
    finding = finding_sentence(record)
    line = rich(_("{record}: {details}."), record=record_link(record), details=record_details(record))
    return merged([*line, *([" ", *finding] if finding else [])])


# --- policy --------------------------------------------------------------------------------------------------------


def _adopted(event: Event, kind_label: str, as_of: str | None) -> str:
    """'Surveillance-oversight ordinance, adopted October 2021; in force from August 2022 (after …)'."""
    parts = {"kind": _(kind_label), "date": date_text(event.date)}
    if not event.effective_date:
        return _("{kind}, adopted {date}").format(**parts)
    parts["effective"] = date_text(event.effective_date)
    if event.effective_later and not event.later and as_of:
        return _("{kind}, adopted {date}; in force from {effective} (after {as_of}, the date shown)").format(
            as_of=date_text(as_of), **parts
        )
    return _("{kind}, adopted {date}; in force from {effective}").format(**parts)


def event_sentence(event: Event, kind_label: str, as_of: str | None = None) -> Sentence:
    """A policy decision: kind, date, effective date, what was decided, the quote and its source (marked †)."""
    sentence: Sentence = [Em(later_words(as_of) + " ")] if event.later else []
    return sentence + rich(
        # Translators: {decision} is e.g. "Face-surveillance ban, adopted June 24, 2020."; {title} what was decided.
        _("{decision} {title}. {quote} {source}{mark}"),
        decision=Strong(f"{_adopted(event, kind_label, as_of)}."),
        title=_(event.title),
        quote=Quote(event.source_quote),
        # Translators: a link to the page a decision is quoted from.
        source=Link(_("Source"), event.source_url),
        mark=OUTSIDE_MARK,
    )


def state_law_sentence(event: Event, kind_label: str) -> str:
    """The state law in one sentence (the map draws nothing for it: it applies in every town)."""
    parts = {
        "title": _(event.title),
        "date": date_text(event.date),
        "kind": _(kind_label).lower(),
        "mark": OUTSIDE_MARK,
    }
    if event.effective_date:
        return _("In every town: {title}, signed {date}, in force from {effective} ({kind}).{mark}").format(
            effective=date_text(event.effective_date), **parts
        )
    return _("In every town: {title}, signed {date} ({kind}).{mark}").format(**parts)


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
    parts = {
        "date": date_text(as_of),
        "municipalities": count_of(municipalities, "{n} municipality", "{n} municipalities"),
        "residents": count_of(residents, "{n} resident", "{n} residents"),
        "census": _t(_CENSUS),
        "share": percent_text(share),
        "classes": ", ".join(f"{_(labels[c]).lower()} {number(n)}" for c, n in by_class.items()),
        "unknown": number(unknown_class),
        "mark": OUTSIDE_MARK,
    }
    if not by_class:
        message = _(
            "Under a face-surveillance ban or moratorium{mark} adopted by {date}: {municipalities}, {residents} "
            "({census}, {share} of the state)."
        )
    elif not unknown_class:
        message = _(
            "Under a face-surveillance ban or moratorium{mark} adopted by {date}: {municipalities}, {residents} "
            "({census}, {share} of the state); by Clearview class: {classes}."
        )
    else:
        message = _(
            "Under a face-surveillance ban or moratorium{mark} adopted by {date}: {municipalities}, {residents} "
            "({census}, {share} of the state); by Clearview class: {classes}; not known to have been asked yet: "
            "{unknown}."
        )
    return message.format(**parts)


# --- the time control -----------------------------------------------------------------------------------------


def reply_rule(last_wave: str) -> str:
    """When a department's Clearview class is shown: the page dates requests, never replies."""
    return _(
        "The records page dates the requests, never the replies: a department's class is shown from the month its "
        "request is known to have gone out (the lists that give no month: from {date}, the last wave), though its "
        "reply may have come later."
    ).format(date=date_text(last_wave))


def asked_words(listing: Listing | None, catalog: Catalog) -> str:
    """When a place's Clearview request went out, in words."""
    if listing is not None and listing.month:
        return _("its request went out in {date}").format(date=date_text(listing.month))
    return _("the requests went out in {waves}, and this list gives no month: it counts from {date}").format(
        waves=_waves(catalog), date=date_text(catalog.last_wave)
    )


def _waves(catalog: Catalog) -> str:
    """The request waves' labels, joined: 'January 2020 and April 2020' (data labels, translated)."""
    return join_names([_(w.label) for w in catalog.waves])


def not_asked_sentence(count: int, as_of: str, catalog: Catalog, dated: int) -> str:
    """The headline's note on the towns not known to have been asked yet."""
    return count_of(
        count,
        "As of {date}, {n} municipality is not known to have been asked yet: the Clearview AI requests went out in "
        "{waves}, and the records page dates only the {dated} requests of its first list.",
        "As of {date}, {n} municipalities are not known to have been asked yet: the Clearview AI requests went out "
        "in {waves}, and the records page dates only the {dated} requests of its first list.",
        date=date_text(as_of),
        waves=_waves(catalog),
        dated=number(dated),
    )


# --- regions -------------------------------------------------------------------------------------------------------


def uasi_explained(members: Sequence[Segment]) -> Sentence:
    """The Metro Boston UASI region in the records page's terms, with its members (names, or links to them)."""
    message = ngettext(
        "Since 2003 the federal Urban Areas Security Initiative (UASI) designation has enabled the Metro Boston "
        "Homeland Security Region to apply for and obtain federal grants for information sharing, surveillance, "
        "emergency preparedness and other technologies, distributed through Boston's Office of Emergency "
        "Management. Its {n} municipality: {members}.",
        "Since 2003 the federal Urban Areas Security Initiative (UASI) designation has enabled the Metro Boston "
        "Homeland Security Region to apply for and obtain federal grants for information sharing, surveillance, "
        "emergency preparedness and other technologies, distributed through Boston's Office of Emergency "
        "Management. Its {n} municipalities: {members}.",
        len(members),
    )
    return rich(message, n=number(len(members)), members=joined(members))


def uasi_sentence(members: Sequence[str]) -> str:
    """The Metro Boston UASI region in the records page's terms, with its members."""
    return plain(uasi_explained(list(members)))


def uasi_member(name: str, member: bool) -> str:
    """Whether a town is in the region, in a sentence."""
    if member:
        return _("{name} is in the {region}.").format(name=name, region=_t(_UASI_KEY))
    return _("{name} is not in the {region}.").format(name=name, region=_t(_UASI_KEY))


# --- what a view shows, in one line ------------------------------------------------------------------------------


def totals_sentence(facts: ViewFacts) -> str:
    """What the map shows under the filters: towns colored by class (and not known to be asked), the vendor records."""
    totals = facts.totals
    parts = {
        "shown": number(facts.shown),
        "total": number(len(facts.codes)),
        "not_asked": number(facts.not_asked),
        "records": count_of(totals.records, "{n} vendor record", "{n} vendor records"),
        "documents": documents_text(totals.documents),
        "municipalities": count_of(totals.municipalities, "{n} municipality", "{n} municipalities"),
        "agencies": count_of(totals.agencies, "{n} other agency", "{n} other agencies"),
    }
    if facts.not_asked:
        message = _(
            "Showing {shown} of {total} municipalities colored by Clearview class ({not_asked} not known to have been "
            "asked yet); {records} ({documents}) at {municipalities} and {agencies}."
        )
    else:
        message = _(
            "Showing {shown} of {total} municipalities colored by Clearview class; {records} ({documents}) at "
            "{municipalities} and {agencies}."
        )
    return message.format(**parts)


# --- a town's or an agency's page --------------------------------------------------------------------------------

_NO_RECORDS = N_("None in the records index.")
_MAP_LINKS = {
    "town": N_("Open the interactive map on this town"),
    "agency": N_("Open the interactive map on this agency"),
}


def town_line(dossier: Dossier, separator: str = " · ") -> str:
    """A town under its name: county, residents, region ('Suffolk County · 617,594 residents (2010 census) · …')."""
    residents = count_of(
        dossier.population or 0, "{n} resident ({census})", "{n} residents ({census})", census=_t(_CENSUS)
    )
    parts = [reach_label("county", dossier.county), residents]
    if dossier.uasi:
        parts.append(_t(_UASI_KEY))
    return separator.join(parts)


def records_total(records: Sequence[Record]) -> str:
    """Records and their documents: '3 records, 280 documents'."""
    return _("{records}, {documents}").format(
        records=count_of(len(records), "{n} record", "{n} records"),
        documents=documents_text(sum(r.documents for r in records)),
    )


def documents_total(records: Sequence[Record]) -> str:
    """Under a table of records: 'In all, 280 documents.'"""
    return _("In all, {documents}.").format(documents=documents_text(sum(r.documents for r in records)))


def records_heading(dossier: Dossier, count: int) -> str:
    """The heading of a place's records: 'Records about Boston’s agencies (12)', 'Records about this agency (3)'."""
    if dossier.kind == "town":
        return _("Records about {name}’s agencies ({count})").format(name=dossier.name, count=number(count))
    return _("Records about this agency ({count})").format(count=number(count))


def agency_summary(reaching: Reaching) -> str:
    """An agency reaching a town, in a few words: its records, their documents, their vendors."""
    text = records_total(reaching.known)
    if reaching.vendors:
        return _("{records} (vendors: {vendors})").format(records=text, vendors=join_names(list(reaching.vendors)))
    return text


def reaching_item(reaching: Reaching, href: str, county: object = None) -> Sentence:
    """An agency reaching a town, linked, with its records in a few words (its county named for a sheriff)."""
    link, summary = Link(reaching.name, href), agency_summary(reaching)
    if county:
        return rich(_("{county} County: {agency}, {summary}."), county=str(county), agency=link, summary=summary)
    return rich(_("{agency}: {summary}."), agency=link, summary=summary)


def reaching_sentence(name: str, count: int) -> str:
    """How many agencies reach a town through their records (its county's sheriff and the statewide agencies)."""
    return count_of(
        count,
        "The records of {n} state or county agency reach {name}.",
        "The records of {n} state or county agencies reach {name}.",
        name=name,
    )


def no_sheriff_sentence(county: object) -> str:
    """A town whose county's sheriff has no record."""
    return _("No record of a {county} County sheriff is in the records index.").format(county=county)


def statewide_sentence(count: int) -> str:
    """The statewide agencies, before their list."""
    return count_of(
        count,
        "The records of {n} state agency reach the whole state:",
        "The records of {n} state agencies reach the whole state:",
    )


def offices_here(name: str, agencies: Sequence[Segment]) -> Sentence:
    """The agencies with offices in a town (a fact from outside the records page)."""
    return rich(
        _("Agencies with offices in {name}{mark}: {agencies}."), name=name, mark=OUTSIDE_MARK, agencies=joined(agencies)
    )


def offices_sentence(town: Segment, outside: bool) -> Sentence:
    """Where an agency has its offices (marked when the records page does not say it)."""
    return rich(_("Offices in {town}{mark}."), town=town, mark=OUTSIDE_MARK if outside else "")


def unlisted_sentence(clearview: str, combined: bool) -> str:
    """An agency named in no Clearview list, or a combined record."""
    if combined:
        return _("A combined record is not listed in any {clearview} class of its own.").format(clearview=clearview)
    return _("Named in no {clearview} list: whether it was asked is not published.").format(clearview=clearview)


def county_towns_heading(count: int, county: object) -> str:
    """The heading over a county agency's towns."""
    return count_of(
        count, "The {n} municipality of {county} County", "The {n} municipalities of {county} County", county=county
    )


def no_policy_sentence(name: str) -> str:
    """A town with no policy decision among those this map records."""
    return _("No ban, moratorium or oversight ordinance of {name} is among the decisions this map records.").format(
        name=name
    )


def town_title(name: str, clearview: str) -> str:
    """A town page's title."""
    return _("{name}, Massachusetts: {clearview} and surveillance vendor records").format(
        name=name, clearview=clearview
    )


def town_description(dossier: Dossier, label: str, clearview: str) -> str:
    """A town page's description (search results, link cards)."""
    parts = {"name": dossier.name, "county": dossier.county, "clearview": clearview, "label": _(label)}
    if dossier.vendors:
        return count_of(
            len(dossier.records),
            "{name}, {county} County, Massachusetts: {clearview} class “{label}”; {n} public record about its "
            "agencies; vendors in its records: {vendors}.",
            "{name}, {county} County, Massachusetts: {clearview} class “{label}”; {n} public records about its "
            "agencies; vendors in its records: {vendors}.",
            vendors=join_names(list(dossier.vendors)),
            **parts,
        )
    return count_of(
        len(dossier.records),
        "{name}, {county} County, Massachusetts: {clearview} class “{label}”; {n} public record about its agencies.",
        "{name}, {county} County, Massachusetts: {clearview} class “{label}”; {n} public records about its agencies.",
        **parts,
    )


def agency_title(name: str) -> str:
    """An agency page's title."""
    return _("{name}: surveillance vendor records").format(name=name)


def agency_description(dossier: Dossier) -> str:
    """An agency page's description: its kind and reach (this map's reading) and its records."""
    scope = agency_scope(str(dossier.agency_kind), str(dossier.reach), dossier.county).removesuffix(OUTSIDE_MARK)
    return count_of(
        len(dossier.records),
        "{name}: {scope} {n} public record in the face-recognition records.",
        "{name}: {scope} {n} public records in the face-recognition records.",
        name=dossier.name,
        scope=scope,
    )


def compare_heading(names: Sequence[str]) -> str:
    """A compare page's heading: 'Boston and Cambridge compared'."""
    return _("{names} compared").format(names=join_names(list(names)))


def compare_title(names: Sequence[str], clearview: str) -> str:
    """A compare page's title."""
    return _("{heading}: {clearview} and surveillance vendor records").format(
        heading=compare_heading(names), clearview=clearview
    )


def compare_description(classes: Sequence[tuple[str, str]], clearview: str) -> str:
    """A compare page's description: each town's class ((name, label) pairs)."""
    listed = "; ".join(f"{name}: “{_(label)}”" for name, label in classes)
    return _("{clearview} classes in Massachusetts: {classes}. Records and vendors compared.").format(
        clearview=clearview, classes=listed
    )


# --- slides (exports/images.py, exports/compare_slide.py) ---------------------------------------------------------

_VENDOR_KEYS_TITLE = N_("Vendor records (hollow: 0 documents)")
_COMPARED_KEY = N_("The town compared")
_NO_RECORD_LINE = N_("No record in the records index")
_AGENCY_RECORDS_TITLE = N_("Records at state, county and other agencies")
_AGENCY_RECORDS_NOTE = N_("(they color no town)")
#: The title over a state slide's enlarged map of Metro Boston.
_INSET_TITLE = N_("Metro Boston, enlarged")


def printed(segments: Iterable[Segment]) -> str:
    """A sentence as plain text for print (an image, paper): each link's address written after its text."""
    return "".join(f"{s.text}: {s.href}" if isinstance(s, Link) else plain([s]) for s in segments)


def as_of_words(months: Sequence[str]) -> str:
    """The dates a view shows: 'As of December 2021', 'As of January 2019 and December 2021'."""
    return _("As of {dates}").format(dates=join_names([date_text(m) for m in months]))


def classes_title(as_of: str) -> str:
    """The heading over the Clearview classes' keys of a slide."""
    return _("Clearview AI classes as of {date}").format(date=date_text(as_of))


def class_key(
    label: str, municipalities: int, zero_municipalities: int = 0, agencies: int = 0, zero_agencies: int = 0
) -> str:
    """A class's key with its counts, municipalities and other agencies apart: 'Use or communication: 18
    municipalities (3 with a 0-document record) + 2 other agencies (1 with 0 documents)'."""
    towns = count_of(municipalities, "{n} municipality", "{n} municipalities")
    if zero_municipalities:
        # Translators: {n} of the municipalities before it; a record that holds no document.
        towns = _("{municipalities} ({n} with a 0-document record)").format(
            municipalities=towns, n=number(zero_municipalities)
        )
    if not agencies:
        return _("{label}: {municipalities}").format(label=_(label), municipalities=towns)
    others = count_of(agencies, "{n} other agency", "{n} other agencies")
    if zero_agencies:
        # Translators: {n} of the agencies before it.
        others = _("{agencies} ({n} with 0 documents)").format(agencies=others, n=number(zero_agencies))
    return _("{label}: {municipalities} + {agencies}").format(label=_(label), municipalities=towns, agencies=others)


def policy_key(kind_label: str, as_of: str) -> str:
    """A policy kind's outline in a key: the towns that had adopted one by the month (a fact from outside)."""
    return _("{kind} adopted by {date}{mark}").format(kind=_(kind_label), date=date_text(as_of), mark=OUTSIDE_MARK)


def policy_key_each(kind_label: str) -> str:
    """A policy kind's outline in the key of a slide with maps of several dates."""
    return _("{kind} adopted by the date of each map{mark}").format(kind=_(kind_label), mark=OUTSIDE_MARK)


def card_class_line(clearview: str, label: str) -> str:
    """A link card's class line: 'Clearview AI: Use or communication'."""
    return f"{clearview}: {_(label)}"


def vendor_key(vendor: str, title_only: Sequence[str] = ()) -> str:
    """A vendor's marker in a key, saying where it is named only in a record's title: 'COPLINK (at Northampton:
    named only in the record's title)'."""
    if not title_only:
        return vendor
    # Translators: {places} are towns or agencies; {title_only} is "named only in the record's title".
    return _("{vendor} (at {places}: {title_only})").format(
        vendor=vendor, places=join_names(list(title_only)), title_only=_t(_TITLE_ONLY)
    )


def agency_records_line(vendor: str, groups: Sequence[tuple[str, Sequence[tuple[str, int | None]]]]) -> str:
    """One vendor's records at agencies, by where they reach ((reach label, [(agency, documents)]) pairs):
    'Lan-Tel · Statewide: Massachusetts State Police (14 documents) · No area given: … (2 documents)'."""
    parts = [f"{label}: " + ", ".join(f"{name} ({documents_text(d)})" for name, d in items) for label, items in groups]
    return " · ".join([vendor, *parts])


def panel_policy_heading(municipalities: int) -> str:
    """A before/after panel's line under its date: the bans and moratoria adopted by then."""
    return count_of(
        municipalities,
        "Ban or moratorium adopted in {n} municipality{mark}",
        "Ban or moratorium adopted in {n} municipalities{mark}",
        mark=OUTSIDE_MARK,
    )


def exported_line(day: object, data_version: str) -> str:
    """When a slide was made, and from which data (named as the map page names it: its data revision)."""
    return _("Exported {date}. Data revision {version}.").format(date=date_text(day), version=data_version)


def event_line(event: Event, kind_label: str, as_of: str | None = None) -> str:
    """A policy decision in a few words (a slide, a hover): 'Face-surveillance ban, adopted June 24, 2020†'."""
    later = f"{later_words(as_of)} " if event.later else ""
    return f"{later}{_adopted(event, kind_label, as_of)}{OUTSIDE_MARK}"


def vendors_words(dossier: Dossier) -> str:
    """The vendors of a place's records filed by its month, each named only in a title marked: 'vendors: IBM'."""
    titled = {r.vendor for r in dossier.known_records if r.vendor and r.vendor_record and r.named_in == "title"}
    tabled = {r.vendor for r in dossier.known_records if r.vendor and r.vendor_record and r.named_in != "title"}
    names = [f"{v} ({_t(_TITLE_ONLY)})" if v in titled and v not in tabled else v for v in dossier.vendors]
    return _("vendors: {names}").format(names=join_names(names)) if names else ""


# --- the map page's time control, time chart and footer (web/layout.py, views/time_chart.py) ----------------------

#: The first view's way to the interactive map (zoom, hover, play) and to the records table, which need it.
_OPEN_INTERACTIVE = N_("Open the interactive map")
_OPEN_TABLE = N_("Open the records table")
# Translators: a button on a phone: shows the whole state on the map.
_WHOLE_STATE = N_("Whole state")  # on a phone's map framed on the chosen town: the view of the whole state
_TABLE_WITH_MAP = N_(
    "The searchable records table opens with the interactive map. Every record is also on its town's page."
)
# Translators: a button: go back to the previous month in which something happened.
_PREVIOUS_EVENT = N_("« Event")
# Translators: a button: go on to the next month in which something happened.
_NEXT_EVENT = N_("Event »")
_PREVIOUS_EVENT_LABEL = N_("Previous event: the last month before this one in which something happened")
_NEXT_EVENT_LABEL = N_("Next event: the next month in which something happened")
# Translators: the label of the time control's playback speed (Slow, Normal, Fast, Events only).
_SPEED_TITLE = N_("Speed")
#: Play's speeds: each is a pause between months in milliseconds, or "events" (Play steps from event to event).
_SPEEDS = {
    # Translators: playback speeds of the time control (an adjective each).
    "slow": N_("Slow"),
    "normal": N_("Normal"),
    "fast": N_("Fast"),
    "events": N_("Events only"),
}
_TIME_CHART_TITLE = N_("What changed, month by month")
_TIME_CHART_NOTE = N_(
    "Each bar is a month, under the filters chosen; the chosen month's bars are orange. The orange marks on the "
    "date slider are the months in which something happened (a record filed, a request wave, a decision)."
)
#: The time chart's rows: what each counts as of each month.
_TIME_SERIES = {
    "classes": N_("Municipalities whose Clearview class is known"),
    "records": N_("Vendor records filed (vendors switched on)"),
    "policies": N_("Municipalities under a face-surveillance ban or moratorium{mark}"),
}


def series_summary(label: str, steps: Sequence[tuple[str, int]]) -> str:
    """A time-chart row in words, by the months its count changed: 'Policies: 0 in January 2017, 1 from June 2019'."""
    parts = [
        # Translators: a count in a month, then from a month on: "0 in January 2017, 1 from June 2019".
        (_("{value} in {date}") if i == 0 else _("{value} from {date}")).format(
            value=number(value), date=date_text(month)
        )
        for i, (month, value) in enumerate(steps)
    ]
    return f"{label}: {', '.join(parts)}."


def data_dates(first_year: object, last_year: object, index_date: object, last_decision: object) -> str:
    """The data's own dates, apart from the map's revision: the years filed, the index's date, the last decision."""
    return _(
        "Dates of the data: records filed {years}, records index dated {index}, policy decisions to {decision}{mark}."
    ).format(
        years=date_text(f"{first_year}-{last_year}"),
        index=date_text(str(index_date)[:7]),
        decision=date_text(last_decision),
        mark=OUTSIDE_MARK,
    )


def revision_line(data_version: str) -> str:
    """The version stamp, said for what it is: when this map's data files last changed, not when the data is from."""
    return _("This map's data revision: {version} (when its files last changed; not the date of the records).").format(
        version=data_version
    )


_EMBED_HINT = N_(
    "The presentation view of the map as it is now: it fits any width from 320 to 1280 pixels, and its links open "
    "in a new tab. Any site may show it in a frame: it is a read-only public map, with no sign-in and nothing that "
    "can be changed from it."
)


# --- the data page, the changes page, citing and correcting (site/dataset.py, site/templates/data.html) -----------

#: The compiled data's other name, and what it is in plain words (also the schema.org Dataset description).
_DATASET_ALTERNATE_NAME = N_("Massachusetts face-recognition public records, city by city")
_DATASET_DESCRIPTION = N_(
    "The results of the ACLU of Massachusetts' face-recognition public-records requests, joined to the 351 cities "
    "and towns of Massachusetts: which police departments' records showed communication with, and in some cases "
    "use of, Clearview AI, which showed only solicitations, which had no responsive documents and which are not "
    "listed; the records about other surveillance vendors and the agencies they were filed with; the Metro Boston "
    "UASI region; and the face-surveillance bans, moratoria and oversight ordinances that cities and towns adopted, "
    "each from a cited public source outside the records page{mark}."
)
#: How the facts were gathered (schema.org measurementTechnique).
_DATASET_METHOD = N_(
    "Public records requests filed by the ACLU of Massachusetts, as its records page reports their results; "
    "transcribed, with each name read as a town or an agency, and joined to the MassGIS municipal boundaries"
)
_DATASET_KEYWORDS = (
    # Translators: keywords of the data set (search engines' data set search).
    N_("face recognition"),
    N_("surveillance"),
    N_("public records"),
    N_("police"),
    "Massachusetts",
    N_("municipalities"),
)
_PLACE_NAME = N_("Massachusetts, United States")
#: What the boundaries are, named where the data page says what the data is based on.
_BOUNDARIES_SOURCE = N_(
    "MassGIS (Bureau of Geographic Information), Commonwealth of Massachusetts: the municipal boundaries "
    "(layer “Municipalities”), free public data of the Commonwealth"
)
#: Each published table: its name and what a row is (the data page and the Dataset's parts).
_DATA_TABLES = {
    "towns": (
        N_("Cities and towns"),
        N_(
            "One row per Massachusetts city or town (351): its Clearview AI class, its record, the vendors in its "
            "records, the Metro Boston region and its face-surveillance and oversight policies"
        ),
    ),
    "agencies": (
        N_("State, county and other agencies"),
        N_(
            "One row per agency that is not a city or town: its kind, where its records reach, its Clearview AI "
            "listing and the vendors in its records"
        ),
    ),
    "events": (
        N_("Policy decisions"),
        N_(
            "One row per face-surveillance ban, moratorium, oversight ordinance or state law{mark}, "
            "dated, with its source and a short quote"
        ),
    ),
    "records": (
        N_("Records"),
        N_("One row per record of the records index and per Clearview AI listing, with its link on the records page"),
    ),
}
#: A download's format in words, by its media type (without parameters).
_FORMAT_NAMES = {
    "text/csv": N_("CSV (a table for spreadsheets)"),
    "application/geo+json": N_("GeoJSON (the table with places, for mapping software)"),
}


def size_text(size: int) -> str:
    """A file's size as people read it: '820 bytes', '38 kB', '1.5 MB'."""
    if size < 1000:
        return count_of(size, "{n} byte", "{n} bytes")
    if size < 1_000_000:
        return f"{number(round(size / 1000))} kB"
    return f"{decimal_text(size / 1_000_000, 1)} MB"


def licence_sentence(licence: Link, why: str) -> Sentence:
    """The compiled data's licence and why in one line (`why` from data/publication.csv, translated)."""
    return rich(_("The compiled data is published under {licence}: {why}."), licence=licence, why=_(why))


def code_licence_sentence(licence: Link) -> Sentence:
    """The code's licence."""
    return rich(_("The code that builds the map and these files is published under {licence}."), licence=licence)


def credit_sentence(rights: str) -> str:
    """The source's own credit, beside the licence."""
    return f"{_(rights)}."


def cite_line(creator: str, title: str, data_version: str, address: str, licence: str) -> str:
    """How to cite the data (the data page, town and agency pages, slides' source line): creator, title, version,
    address, licence."""
    return _("{creator}. {title} (data set), data version {version}. {address}. Licence: {licence}.").format(
        creator=creator, title=title, version=data_version, address=address, licence=licence
    )


def cite_sentence(creator: str, title: str, data_version: str, address: str, licence: str) -> Sentence:
    """The citation with its address as a link."""
    text = cite_line(creator, title, data_version, address, licence)
    before, after = text.split(address, 1)
    return [before, Link(address, address), after]


# Translators: a heading.
_CITE_HEADING = N_("Cite this data")
_CHANGES_TITLE = N_("Changes to the data")
_CHANGES_DESCRIPTION = N_("Every correction and addition to this map's data, newest first, each with its reason.")
_CHANGES_LINK = N_("Every change to the data, with its reason")
_DATA_TITLE = N_("About the data: licence, version, downloads")
_DATA_LINK = N_("About the data, its licence and downloads")


def change_reason(reason: str) -> str:
    """Why a change was made, after it (the changelog's reason, translated)."""
    return _("Why: {reason}.").format(reason=_(reason).rstrip("."))


_DOWNLOADS_NOTE = N_("Each file holds the whole table, whatever the map's filters show.")


def report_error_sentence(corrections_url: str, source: Link, changes_path: str) -> Sentence:
    """How to report an error: to the operator's address when one is set; otherwise, where errors in the records
    themselves go, and the list of the map's corrections."""
    changes = Link(_("the list of changes"), changes_path)
    if corrections_url:
        return rich(
            _(
                "Found an error on this page? {report}. Corrections already made are in {changes}, each with its "
                "reason."
            ),
            report=Link(_("Report it here"), corrections_url),
            changes=changes,
        )
    return rich(
        _(
            "Errors in the records themselves (a document count, a date, a listing) are the records page's: tell the "
            "ACLU of Massachusetts through its page, {source}. Corrections this map has made are in {changes}, each "
            "with its reason."
        ),
        source=source,
        changes=changes,
    )


def translated_by_sentence(report: Link) -> Sentence:
    """Who translated the map, how quotes are shown, and where to report a translation error (said in a translated
    language only: `report` is the map's report-an-error link)."""
    return rich(
        _(
            "Translated by this map's team from the English; quotes from the records page and from cited decisions "
            "stay in English, with our translation beside them. Report a translation error: {report}."
        ),
        report=report,
    )


def ask_records_heading(name: str) -> str:
    """The heading of how to ask a town for its records."""
    return _("Ask {name} for records yourself{mark}").format(name=name, mark=OUTSIDE_MARK)


def guidance_sentence(claim: str, quote: str, source: Link) -> Sentence:
    """A fact from outside the records page that helps a reader act (its heading carries the mark), with its source
    and the law's words where quoted (the claim translated; the law's words stay in English)."""
    sentence = rich(_("{claim} ({source})."), claim=_(claim).rstrip("."), source=source)
    if quote:
        sentence = merged([*sentence, " ", *rich(_("The law: {quote}."), quote=Quote(quote))])
    return sentence


# Translators: a heading.
_REPORT_HEADING = N_("Report an error")
_NOT_FOUND_TITLE = N_("No page at this address")
_NOT_FOUND_DESCRIPTION = N_("There is no page at this address: find a town or agency, or open the map.")
_NOT_FOUND_TEXT = N_("There is no page at this address. Find a town or agency by name, or open the map.")
_NOT_FOUND_LINKS = {"/": N_("Open the map"), "/town-search": N_("See every town and agency"), "/data": _DATA_LINK}


# --- the town search: a place leads to its town and says so; a close spelling is only offered ----------------------

_SEARCH_LABEL = N_("Find a town, village, neighborhood, ZIP code or agency")
_SEARCH_HINT = N_("A village, neighborhood or ZIP code finds its town: Florence finds Northampton.")
_SEARCH_NOTHING = N_("No town or agency matches, nor any village, neighborhood or ZIP code.")
_SEARCH_DID_YOU_MEAN = N_("Nothing is named exactly so. Did you mean:")
_SEARCH_CONTAINING = N_("Names containing these words:")
_SEARCH_EVERY_PAGE = N_("See every town and agency")
_ZIP_CROSSES = N_("A ZIP code can serve more than one town: each town it is placed in is listed.")
_GAZETTEER_SOURCE = N_(
    "Villages, neighborhoods and ZIP codes: the USPS names and ZIP codes, each placed in the town its point lies in, "
    "and names reviewed by hand (Boston's neighborhoods, villages across town lines)."
)


def search_heading(query: str) -> str:
    """The heading of the search's answer."""
    return _("Searching for “{query}”").format(query=query)


def place_sentence(place: str, kind: str | None, postal_name: str | None, towns: Sequence[Segment]) -> Sentence:
    """Where a village, neighborhood or ZIP code is: 'Florence is in Northampton.', 'Dorchester is a neighborhood of
    Boston.', 'ZIP code 01062 (Florence) is in Northampton.', 'Chestnut Hill is in Boston, Brookline and Newton.'"""
    if kind == "zip_code":
        if postal_name:
            name = _("ZIP code {zip} ({postal_name})").format(zip=place, postal_name=postal_name)
        else:
            name = _("ZIP code {zip}").format(zip=place)
        return rich(_("{place} is in {towns}."), place=name, towns=joined(towns))
    if kind == "neighborhood" and len(towns) == 1:
        return rich(_("{place} is a neighborhood of {town}."), place=place, town=towns[0])
    return rich(_("{place} is in {towns}."), place=place, towns=joined(towns))


def suggestion_item(target: Segment, place: str | None, kind: str | None, postal_name: str | None) -> Sentence:
    """One "Did you mean" or "containing" line: the town or agency, or the place that leads to its town."""
    if place is None:
        return [target]
    return place_sentence(place, kind, postal_name, [target])


# --- the release bundle: its README and the data's licence statement (exports/release.py) -------------------------

#: Who published the records page, as a citation names an author.
SOURCE_PUBLISHER = "ACLU of Massachusetts"
#: The citation file's request to its readers (CITATION.cff's message).
_CITE_MESSAGE = N_("If you use this data, please cite it as below, with the source's credit.")
#: What the other files of a release hold, by path (the tables' rows come from DATA_TABLES).
_RELEASE_FILES = {
    "data/": N_("The reviewed facts the tables are built from, one file per kind, each row with its source"),
    "data/changelog.csv": N_("Every correction to the data, dated, with its reason"),
    "datapackage.json": N_(
        "What each column holds (its type, meaning and allowed values) and how the tables refer to "
        "each other, as a Frictionless Data Package: `frictionless validate datapackage.json` checks every file"
    ),
    "openapi.json": N_("The site's API, which answers with the same tables, described in OpenAPI"),
    "CITATION.cff": N_("How to cite this release (Citation File Format)"),
    "DATA-LICENCE.md": N_("The data's licence and the source's credit"),
    "LICENSE": N_("The licence of the code that builds the map and these files"),
    "SHA256SUMS": N_("A checksum of every other file: `sha256sum -c SHA256SUMS` checks them"),
}


def release_readme(
    title: str, version: str, released: str, description: str, tables: Sequence[tuple[str, str]], licence: str
) -> str:
    """The README of a release: what it is, its date, every file and what it holds, and its licence.

    `tables` pairs each published table's files (e.g. "`towns.csv`, `towns.geojson`") with what they hold."""
    rows = [f"| {files} | {what} |" for files, what in tables]
    rows += [f"| `{path}` | {what} |" for path, what in _t(_RELEASE_FILES).items()]
    return "\n".join(
        [
            "# " + _("{title}: data release {version}").format(title=title, version=version),
            "",
            description,
            "",
            _(
                "Released {date}, the date of the latest correction in the changelog. The version is that date and a "
                "check code of the data files: two copies with the same version hold the same data."
            ).format(date=date_text(released)),
            "",
            # Translators: the headings of a table's two columns (Markdown): a file, and what it holds.
            "| " + _("file") + " | " + _("what it holds") + " |",
            "| --- | --- |",
            *rows,
            "",
            _("The data is published under {licence}, with the source's credit (DATA-LICENCE.md).").format(
                licence=licence
            ),
            "",
            _t(_OUTSIDE_NOTE),
            "",
        ]
    )


def data_licence_text(licence_title: str, licence_id: str, licence_url: str, rights: str, code_licence: str) -> str:
    """The data's licence statement in a release, with the source's credit beside it."""
    return "\n".join(
        [
            "# " + _("The data's licence"),
            "",
            _(
                "The compiled data in this folder (its tables, the files in data/ and datapackage.json) is published "
                "under the {title} licence ({id}): {url}"
            ).format(title=licence_title, id=licence_id, url=licence_url),
            "",
            _("Credit: {rights}.").format(rights=_(rights)),
            "",
            _("The code that builds it is published under the {licence}: see LICENSE.").format(licence=code_licence),
            "",
        ]
    )


def coverage_sentence(towns: int, first_month: object, last_month: object) -> str:
    """The place and the time the data covers."""
    return _(
        "Place: the {towns} cities and towns of Massachusetts, and the state, county and other agencies in the "
        "records. Time: {first} to {last}, the months the map can show."
    ).format(towns=number(towns), first=date_text(first_month), last=date_text(last_month))


def based_on_sentence(records_page: Link, index_date: object) -> Sentence:
    """What the data is based on: the records page (its index's date) and the boundaries."""
    return rich(
        _("The ACLU of Massachusetts' records page, {records_page} (records index dated {date}), and {boundaries}."),
        records_page=records_page,
        date=date_text(index_date),
        boundaries=_t(_BOUNDARIES_SOURCE),
    )


def api_sentence(docs: Link) -> Sentence:
    """Where the same tables are as JSON."""
    return rich(_("The same tables, and each town on its own, as JSON answers for programs: {docs}."), docs=docs)


_API_LINK = N_("the API and its documentation")
