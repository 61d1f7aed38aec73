"""The method and caveats section, built from the model so that it lists the real conflicts and corrections."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from dashboard.data.model import Model
from dashboard.views.panels import OUTSIDE_MARK, OUTSIDE_NOTE, zero_glyph
from dashboard.views.words import date_text, join_names

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
    names = join_names(members)
    return (
        "The Metro Boston Homeland Security Region is one of the federal government's Urban Areas Security "
        "Initiative (UASI) regions: since 2003 its municipalities have applied together for federal grants for "
        "surveillance, information sharing and emergency preparedness, handed out through Boston's Office of "
        f"Emergency Management. Its {len(members)} members are {names}. The map outlines them together."
    )


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
            "probably never asked (several small towns have no police department of their own). The map cannot "
            "tell which is which, so the class says only what is known: not listed, no reply published."
        ),
        html.P(
            "State, county and college police agencies listed on the page are counted beside the map (never "
            "colored onto a town): a county sheriff reaches its county, a state agency the whole state."
        ),
        html.H3("What a record is, and is not"),
        html.P(
            "A vendor record means a public-records request about that vendor was filed with that agency, and shows "
            "how many documents came back. It is evidence that a relationship was asked about, not proof of a "
            "contract or of use. A request that returned 0 documents is drawn hollow, and reach (the dashed "
            "statewide outline, the dotted county outline) is drawn only for records that hold documents. "
            "“No responsive documents” is not “no use”, and “not listed” says nothing either way."
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
            f"{OUTSIDE_NOTE} The MBTA serves a transit district that the records page does not describe, so its "
            "records are shown as the agency's own, with no area drawn."
        ),
        html.H3("Source"),
        html.P(
            [
                "ACLU of Massachusetts, face-recognition public-records project, published "
                f"{date_text(model.published['published'])} (",
                html.A(
                    "data.aclum.org/public-records/frt-ma", href=SOURCE_URL, target="_blank", rel="noopener noreferrer"
                ),
                f"). Document counts are the records index's: where another part of the page differs ({differences}) "
                "the index is shown. Municipal boundaries and 2010 populations: MassGIS.",
            ]
        ),
    ]
