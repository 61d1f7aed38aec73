"""The method and caveats section, built from the model so that it lists the real conflicts and corrections, in the
language in use (each language's section built once per model)."""

from __future__ import annotations

from string import Formatter
from typing import Any

import pandas as pd
from dash import html

from dashboard import config
from dashboard.data.dossier import caveats
from dashboard.data.memo import per_model_and
from dashboard.data.model import Model
from dashboard.language import _, current, localized, number
from dashboard.views import wording as w
from dashboard.views.panels import zero_glyph
from dashboard.views.render import components, link
from dashboard.views.words import date_text, join_names

OUTSIDE_MARK = w.OUTSIDE_MARK

SOURCE_URL = "https://data.aclum.org/public-records/frt-ma/"


def _with(message: str, **parts: Any) -> list:
    """A translated message as Dash children, its {placeholders} replaced by components or text (one message per
    sentence, wherever the language puts a link or a mark)."""
    out: list = []
    for text, name, _spec, _conversion in Formatter().parse(message):
        out += [text] if text else []
        if name is not None:
            out.append(parts[name])
    return out


def listing_arithmetic(model: Model) -> dict[str, int]:
    """The figures behind the not-listed class: requests sent, entities listed, municipalities named nowhere."""
    statuses = model.listings.loc[model.listings["outcome"].eq("status")]
    requests = int(str(model.published["clearview_requests"]))
    listed = len(statuses)
    not_listed = int(model.towns["clearview_status"].eq(model.catalog.not_listed).sum())
    silent_at_most = requests - listed
    return {
        "requests": requests,
        "listings": len(model.listings),
        "second_listings": len(model.listings) - listed,
        "listed": listed,
        "listed_municipalities": int(statuses["town_id"].notna().sum()),
        "listed_agencies": int(statuses["agency_id"].notna().sum()),
        "municipalities": len(model.towns),
        "not_listed": not_listed,
        "silent_at_most": silent_at_most,
        "not_asked_at_least": max(not_listed - silent_at_most, 0),
    }


def _uasi_sentence(model: Model) -> str:
    members = sorted(model.towns.loc[model.towns["uasi_region"], "town"])
    outlined = _("The map outlines them together.")  # not inside an f-string: Babel would not extract it
    return f"{w.uasi_sentence(members)} {outlined}"


def _unmapped(model: Model) -> list:
    """What the records page holds that the map leaves out, with the page's own totals, and why."""
    figures = model.published
    return [
        html.H3(_("What this map does not show")),
        html.P(
            _(
                "The records page says the ACLU of Massachusetts filed over {requests} public-records requests about "
                "face recognition in 2019 and 2020 and received {documents} government documents; it links "
                "{clearview}+ Clearview AI requests. The map draws the records of its index ({records} records) and "
                "the three Clearview AI lists. These parts of the page are not drawn:"
            ).format(
                requests=number(int(str(figures["face_recognition_requests_over"]))),
                documents=number(int(str(figures["government_documents"]))),
                clearview=number(int(str(figures["clearview_requests_over"]))),
                records=number(int(str(figures["records_index_rows"]))),
            )
        ),
        html.Ul(
            [
                html.Li(
                    [
                        html.B(row.section),  # the part's name on the records page
                        ": " + _("{what}. Not drawn: {why}.").format(what=_(row.what), why=_(row.why)),
                    ]
                )
                for row in model.unmapped.itertuples()
            ],
            className="corrections",
        ),
        html.P(_with(_("All of them are on {link}."), link=link(_("the records project's pages"), SOURCE_URL))),
    ]


def _translation(corrections_url: str) -> list:
    """Who translated the map and where to report a translation error (said in a translated language only)."""
    if current().code == config.SOURCE_LANGUAGE:
        return []
    if corrections_url:
        report = w.Link(_("the map's address for reporting an error"), corrections_url)
    else:
        report = w.Link(_("the data page, under “Report an error”"), localized("/data"))
    return [html.H3(_("Translation")), html.P(components(w.translated_by_sentence(report)))]


def method_section(model: Model, corrections_url: str = "") -> list:
    """What the classes mean, what a record is and is not, precedence, conflicts, corrections, source: in the language
    in use (`corrections_url`: where readers report an error, named for translation errors; empty: the data page)."""
    return _method_section(model, (current().code, corrections_url))


@per_model_and(8)
def _method_section(model: Model, key: tuple[str, str]) -> list:
    """The section in one language (the key's first part: the language in use when it is built)."""
    corrections_url = key[1]
    listings = model.listings
    conflicts = listings.loc[listings["outcome"].eq("conflict")]
    names = model.towns["town"]
    aliases = listings.loc[listings["method"].eq("alias"), ["name_as_published", "town_id", "agency_id", "reason"]]
    aliases = aliases.drop_duplicates("name_as_published")
    n = listing_arithmetic(model)
    labels = model.catalog.labels
    differences = "; ".join(
        _("for “{title}” {place} says {other} documents, the index {index}").format(
            title=d.record_title,
            place=_(d.other_place),
            other=number(int(d.other_documents)),
            index=number(int(d.index_documents)),
        )
        for d in model.differences.itertuples()
    )
    waves = join_names([_(wave.label) for wave in model.catalog.waves])
    zero = model.towns.loc[model.towns["clearview_documents"].eq(0).fillna(False), "town"].tolist()
    zero += model.agencies.loc[model.agencies["clearview_documents"].eq(0).fillna(False), "name"].tolist()
    outside = model.agencies.loc[model.agencies["hq_town_provenance"].eq("outside_records_page")]

    def resolved(row: Any) -> str:
        town_id, agency_id = row.town_id, row.agency_id
        return names[int(town_id)] if pd.isna(agency_id) else str(model.agencies.loc[agency_id, "name"])

    counts = {key: number(value) for key, value in n.items()}
    return [
        html.H2(_("About the data: method and caveats")),
        html.H3(_("The four Clearview classes")),
        html.P(
            _(
                "In {waves} the ACLU of Massachusetts asked {requests} police departments for their records about "
                "Clearview AI, and published the answers in three lists. Each municipality's police department is in "
                "exactly one class:"
            ).format(waves=waves, requests=counts["requests"])
        ),
        html.Ul(
            [
                html.Li(
                    [
                        html.Span(className="swatch", style={"backgroundColor": c.color}),
                        html.B(_(c.label)),
                        f": {_(c.description)}.",
                    ]
                )
                for c in model.catalog.classes
            ]
        ),
        html.H3(_("Why the not-listed class is not “did not respond”")),
        html.P(
            _(
                "The records page says that departments not listed “did not respond”. Its three lists hold {listings} "
                "names, which are {listed} different departments and agencies once the {second_listings} names listed "
                "twice are counted once ({listed_municipalities} municipalities and {listed_agencies} other agencies). "
                "So at most {requests} − {listed} = {silent_at_most} of the departments asked can have stayed silent, "
                "yet {not_listed} of the {municipalities} municipalities appear in no list: at least "
                "{not_asked_at_least} of them were probably never asked; the records page does not say which, or why. "
                "The map cannot tell which is which, so the class says only what is known: not listed, no reply "
                "published."
            ).format(**counts)
        ),
        html.P(w.reply_rule(model.catalog.last_wave)),
        *[html.P(components(w.caveat_sentence(c))) for c in caveats(model)],
        html.P(
            _(
                "State, county and college police agencies listed on the page are counted beside the map (never "
                "colored onto a town). The records page does not say what kind of agency each is or how far its "
                "records go: that is this map's reading of its name{mark}. A county sheriff is read as covering its "
                "county, a state agency the whole state; for the MBTA and the sheriffs' association the page states "
                "no area, so none is drawn or counted."
            ).format(mark=OUTSIDE_MARK)
        ),
        html.H3(_("What a record is, and is not")),
        html.P(
            _(
                "{record_note} A request that returned 0 documents is drawn hollow, and reach (the dashed statewide "
                "outline, the dotted county outline) is drawn only for records that hold documents. Where a vendor is "
                "{title_only} (COPLINK at the Northampton police, Suspect Technologies at the Plymouth police), the "
                "records page lists no table of that vendor's records there: the map marks it so and counts no reach "
                "from it. {not_no_use}"
            ).format(record_note=w.RECORD_NOTE, title_only=w.TITLE_ONLY, not_no_use=w.NOT_NO_USE)
        ),
        html.P(
            _with(
                _(
                    "Some departments are listed under use or communication although their Clearview record holds 0 "
                    "documents: {names}. They stay in the class the page gives them, marked {glyph} on the map, and "
                    "the headline gives the residents of the towns whose own record holds documents beside the "
                    "class's total. The solicitation and no-records lists share one combined record each (its "
                    "documents are not split among the departments)."
                ),
                names=join_names(zero),
                glyph=zero_glyph(),
            )
        ),
        html.H3(_("When a department is listed twice")),
        html.P(
            _(
                "The stronger evidence wins: use or communication, then solicitation only, then no responsive "
                "documents, then not listed. The weaker listing is kept and shown:"
            )
        ),
        html.Ul(
            [
                html.Li(
                    _("“{name}” under {label} (counted as {winner})").format(
                        name=row.name_as_published, label=_(labels[row.category]), winner=_(labels[row.winner])
                    )
                )
                for row in conflicts.itertuples()
            ]
        ),
        html.H3(_("Names read as a municipality or agency")),
        html.P(_("Names as published that are not the town's official name, and what they were read as:")),
        html.Ul(
            [html.Li(f"“{row.name_as_published}” → {resolved(row)}: {_(row.reason)}") for row in aliases.itertuples()],
            className="corrections",
        ),
        html.H3(_("The Metro Boston UASI region")),
        html.P(_uasi_sentence(model)),
        html.H3(_("Facts from outside the records page")),
        html.P(
            _(
                "Marked {mark} wherever they appear. Where a state or county agency has its offices, used to place "
                "its star on the map:"
            ).format(mark=OUTSIDE_MARK)
        ),
        html.Ul(
            [
                html.Li(f"{a['name']}: {names[int(a['hq_town_id'])]}{OUTSIDE_MARK}")
                for _i, a in outside.iterrows()
                if not pd.isna(a["hq_town_id"])
            ],
            className="corrections",
        ),
        html.P(
            _(
                "Agencies' names: where this map writes an agency's name in full, the records page's own name is kept "
                "beside it: {names}."
            ).format(
                names="; ".join(
                    f"{a['name']} (“{a['name_as_published']}”)"
                    for _i, a in model.agencies.iterrows()
                    if a["name"] != a["name_as_published"] and a["kind"] != "group"
                )
            )
        ),
        html.P(
            _(
                "Policy decisions (face-surveillance bans and moratoria, surveillance-oversight ordinances, the 2020 "
                "state law) come from cited pages outside the records page, each quoted with its link. A decision "
                "counts from the month it was adopted (voted or signed); where its source gives a later date for it "
                "to take effect, the map says so."
            )
        ),
        html.P(w.OUTSIDE_NOTE),
        *_unmapped(model),
        html.H3(_("Source")),
        html.P(
            _with(
                _(
                    "ACLU of Massachusetts, face-recognition public-records project; its records index dates every "
                    "record {date} ({link}). Document counts are the records index's: where another part of the page "
                    "differs ({differences}) the index is shown. Municipal boundaries and 2010 populations: MassGIS."
                ),
                date=date_text(model.published["published"]),
                link=html.A(
                    "data.aclum.org/public-records/frt-ma", href=SOURCE_URL, target="_blank", rel="noopener noreferrer"
                ),
                differences=differences,
            )
        ),
        *_translation(corrections_url),
    ]
