"""The method and caveats section, built from the model so that it lists the real conflicts and corrections."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from dashboard.data.dossier import caveats
from dashboard.data.model import Model
from dashboard.views import wording as w
from dashboard.views.panels import zero_glyph
from dashboard.views.render import components, link
from dashboard.views.words import date_text, join_names

OUTSIDE_MARK, OUTSIDE_NOTE = w.OUTSIDE_MARK, w.OUTSIDE_NOTE

SOURCE_URL = "https://data.aclum.org/public-records/frt-ma/"


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
    return f"{w.uasi_sentence(members)} The map outlines them together."


def _unmapped(model: Model) -> list:
    """What the records page holds that the map leaves out, with the page's own totals, and why."""
    figures = model.published
    return [
        html.H3("What this map does not show"),
        html.P(
            f"The records page says the ACLU of Massachusetts filed over {figures['face_recognition_requests_over']} "
            f"public-records requests about face recognition in 2019 and 2020 and received "
            f"{int(str(figures['government_documents'])):,} government documents; it links "
            f"{figures['clearview_requests_over']}+ Clearview AI requests. The map draws the records of its index "
            f"({int(str(figures['records_index_rows']))} records) and the three Clearview AI lists. These parts of the "
            "page are not drawn:"
        ),
        html.Ul(
            [
                html.Li([html.B(row.section), f": {row.what}. Not drawn: {row.why}."])
                for row in model.unmapped.itertuples()
            ],
            className="corrections",
        ),
        html.P(["All of them are on ", link("the records project's pages", SOURCE_URL), "."]),
    ]


def method_section(model: Model) -> list:
    """What the classes mean, what a record is and is not, precedence, conflicts, corrections, source."""
    listings = model.listings
    conflicts = listings.loc[listings["outcome"].eq("conflict")]
    names = model.towns["town"]
    aliases = listings.loc[listings["method"].eq("alias"), ["name_as_published", "town_id", "agency_id", "reason"]]
    aliases = aliases.drop_duplicates("name_as_published")
    n = listing_arithmetic(model)
    labels = model.catalog.labels
    differences = "; ".join(
        f"for “{d.record_title}” {d.other_place} says {d.other_documents} documents, the index {d.index_documents}"
        for d in model.differences.itertuples()
    )
    waves = join_names([w.label for w in model.catalog.waves])
    zero = model.towns.loc[model.towns["clearview_documents"].eq(0).fillna(False), "town"].tolist()
    zero += model.agencies.loc[model.agencies["clearview_documents"].eq(0).fillna(False), "name"].tolist()
    outside = model.agencies.loc[model.agencies["hq_town_provenance"].eq("outside_records_page")]

    def resolved(row: Any) -> str:
        town_id, agency_id = row.town_id, row.agency_id
        return names[int(town_id)] if pd.isna(agency_id) else str(model.agencies.loc[agency_id, "name"])

    return [
        html.H2("About the data: method and caveats"),
        html.H3("The four Clearview classes"),
        html.P(
            f"In {waves} the ACLU of Massachusetts asked {n['requests']} police departments for "
            "their records about Clearview AI, and published the answers in three lists. Each municipality's police "
            "department is in exactly one class:"
        ),
        html.Ul(
            [
                html.Li(
                    [
                        html.Span(className="swatch", style={"backgroundColor": c.color}),
                        html.B(c.label),
                        f": {c.description}.",
                    ]
                )
                for c in model.catalog.classes
            ]
        ),
        html.H3("Why the not-listed class is not “did not respond”"),
        html.P(
            f"The records page says that departments not listed “did not respond”. Its three lists hold "
            f"{n['listings']} names, which are {n['listed']} different departments and agencies once the "
            f"{n['second_listings']} names listed twice are counted once ({n['listed_municipalities']} municipalities "
            f"and {n['listed_agencies']} other agencies). So at most {n['requests']} − {n['listed']} = "
            f"{n['silent_at_most']} of the departments asked can have stayed silent, yet {n['not_listed']} of the "
            f"{n['municipalities']} municipalities appear in no list: at least {n['not_asked_at_least']} of them were "
            "probably never asked; the records page does not say which, or why. The map cannot tell which is which, "
            "so the class says only what is known: not listed, no reply published."
        ),
        html.P(w.reply_rule(model.catalog.last_wave)),
        *[html.P(components(w.caveat_sentence(c))) for c in caveats(model)],
        html.P(
            "State, county and college police agencies listed on the page are counted beside the map (never "
            "colored onto a town). The records page does not say what kind of agency each is or how far its records "
            f"go: that is this map's reading of its name{OUTSIDE_MARK}. A county sheriff is read as covering its "
            "county, a state agency the whole state; for the MBTA and the sheriffs' association the page states no "
            "area, so none is drawn or counted."
        ),
        html.H3("What a record is, and is not"),
        html.P(
            f"{w.RECORD_NOTE} A request that returned 0 documents is drawn hollow, and reach (the dashed statewide "
            "outline, the dotted county outline) is drawn only for records that hold documents. Where a vendor is "
            f"{w.TITLE_ONLY} (COPLINK at the Northampton police, Suspect Technologies at the Plymouth police), the "
            "records page lists no table of that vendor's records there: the map marks it so and counts no reach "
            f"from it. {w.NOT_NO_USE}"
        ),
        html.P(
            [
                "Some departments are listed under use or communication although their Clearview record holds 0 "
                f"documents: {join_names(zero)}. They stay in the class the page gives them, marked ",
                zero_glyph(),
                " on the map, and the headline gives the residents of the towns whose own record holds documents "
                "beside the class's total. The solicitation and no-records lists share one combined record each "
                "(its documents are not split among the departments).",
            ]
        ),
        html.H3("When a department is listed twice"),
        html.P(
            "The stronger evidence wins: use or communication, then solicitation only, then no responsive "
            "documents, then not listed. The weaker listing is kept and shown:"
        ),
        html.Ul(
            [
                html.Li(f"“{row.name_as_published}” under {labels[row.category]} (counted as {labels[row.winner]})")
                for row in conflicts.itertuples()
            ]
        ),
        html.H3("Names read as a municipality or agency"),
        html.P("Names as published that are not the town's official name, and what they were read as:"),
        html.Ul(
            [html.Li(f"“{row.name_as_published}” → {resolved(row)}: {row.reason}") for row in aliases.itertuples()],
            className="corrections",
        ),
        html.H3("The Metro Boston UASI region"),
        html.P(_uasi_sentence(model)),
        html.H3("Facts from outside the records page"),
        html.P(
            f"Marked {OUTSIDE_MARK} wherever they appear. Where a state or county agency has its offices, used to "
            "place its star on the map:"
        ),
        html.Ul(
            [
                html.Li(f"{a['name']}: {names[int(a['hq_town_id'])]}{OUTSIDE_MARK}")
                for _, a in outside.iterrows()
                if not pd.isna(a["hq_town_id"])
            ],
            className="corrections",
        ),
        html.P(
            "Agencies' names: where this map writes an agency's name in full, the records page's own name is kept "
            "beside it: "
            + "; ".join(
                f"{a['name']} (“{a['name_as_published']}”)"
                for _, a in model.agencies.iterrows()
                if a["name"] != a["name_as_published"] and a["kind"] != "group"
            )
            + "."
        ),
        html.P(
            "Policy decisions (face-surveillance bans and moratoria, surveillance-oversight ordinances, the 2020 "
            "state law) come from cited pages outside the records page, each quoted with its link. A decision counts "
            "from the month it was adopted (voted or signed); where its source gives a later date for it to take "
            "effect, the map says so."
        ),
        html.P(OUTSIDE_NOTE),
        *_unmapped(model),
        html.H3("Source"),
        html.P(
            [
                "ACLU of Massachusetts, face-recognition public-records project; its records index dates every "
                f"record {date_text(model.published['published'])} (",
                html.A(
                    "data.aclum.org/public-records/frt-ma", href=SOURCE_URL, target="_blank", rel="noopener noreferrer"
                ),
                f"). Document counts are the records index's: where another part of the page differs ({differences}) "
                "the index is shown. Municipal boundaries and 2010 populations: MassGIS.",
            ]
        ),
    ]
