"""The method and caveats section, built from the model so that it lists the real conflicts and corrections."""

from __future__ import annotations

from dash import html

from dashboard.model import Model
from dashboard.schema import CLEARVIEW_STATUSES
from dashboard.styles import CLASS_COLORS, CLASS_HELP, CLASS_LABELS

SOURCE_URL = "https://data.aclum.org/public-records/frt-ma/"


def method_section(model: Model) -> list:
    """What the classes mean, what a record is and is not, precedence, conflicts, corrections, source."""
    listings = model.listings
    conflicts = listings.loc[listings["outcome"].eq("conflict")]
    names = model.towns["town"]
    aliases = listings.loc[listings["method"].eq("alias"), ["name_as_published", "town_id", "agency_id", "reason"]]
    aliases = aliases.drop_duplicates("name_as_published")

    def resolved(row: object) -> str:
        town_id, agency_id = row.town_id, row.agency_id  # type: ignore[attr-defined]
        return (
            names[int(town_id)]
            if isinstance(agency_id, float) or agency_id is None
            else str(model.agencies.loc[agency_id, "name"])
        )

    return [
        html.H2("About the data: method and caveats"),
        html.H3("The four Clearview classes"),
        html.P(
            "In February and April 2020 the ACLU of Massachusetts asked 346 police departments for their records "
            "about Clearview AI. Each municipality's police department is in exactly one class:"
        ),
        html.Ul(
            [
                html.Li(
                    [
                        html.Span(className="swatch", style={"backgroundColor": CLASS_COLORS[s]}),
                        html.B(CLASS_LABELS[s]),
                        f": {CLASS_HELP[s]}.",
                    ]
                )
                for s in CLEARVIEW_STATUSES
            ]
        ),
        html.P(
            "State, county and college police agencies listed on the page are counted beside the map (never "
            "coloured onto a town): a county sheriff reaches its county, a state agency the whole state."
        ),
        html.H3("What a vendor record is, and is not"),
        html.P(
            "A vendor record means a public-records request about that vendor was filed with that agency, and shows "
            "how many documents came back. It is evidence that a relationship was asked about, not proof of a "
            "contract or of use. A request that returned 0 documents is drawn hollow. “No responsive documents” "
            "is not “no use”, and “no response” says nothing either way."
        ),
        html.H3("When a department is listed twice"),
        html.P(
            "The stronger evidence wins: use or communication, then solicitation only, then no responsive "
            "documents, then no response. The weaker listing is kept and shown:"
        ),
        html.Ul(
            [
                html.Li(
                    f"“{row.name_as_published}” under {CLASS_LABELS[row.category]} "
                    f"(counted as {CLASS_LABELS[row.winner]})"
                )
                for row in conflicts.itertuples()
            ]
        ),
        html.H3("Names corrected"),
        html.P("Names as published that are not the MassGIS name, and what they were read as:"),
        html.Ul(
            [html.Li(f"“{row.name_as_published}” → {resolved(row)}: {row.reason}") for row in aliases.itertuples()],
            className="corrections",
        ),
        html.H3("Source"),
        html.P(
            [
                "ACLU of Massachusetts, face-recognition public-records project, published 2/26/21 (",
                html.A(
                    "data.aclum.org/public-records/frt-ma", href=SOURCE_URL, target="_blank", rel="noopener noreferrer"
                ),
                "). Document counts are the records index's: where another part of the page differs (the "
                "solicitations record page says 100 documents, the index 102; the Revere Public Schools section says "
                "22, the index 23) the index is shown. Municipal boundaries and 2010 populations: MassGIS.",
            ]
        ),
    ]
