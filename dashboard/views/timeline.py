"""The timeline strip under the map: every dated fact in order (records filed, requests, decisions).

The events are worded in the language in use when they are made; their order and positions are the same in every
language (a callback may look up by position an event made in another language).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from dash import html

from dashboard.data.model import Model
from dashboard.language import N_, _
from dashboard.views import wording as w
from dashboard.views.markup import attrs
from dashboard.views.wording import years_text
from dashboard.views.words import count_of, date_text

RECORD_COLOR = "#595959"
REQUEST_COLOR = "#3b0f70"
#: The kinds of dated fact that are not policy decisions, by their id, and how the strip names them.
RECORDS, REQUESTS, POLICY = "records", "requests", "policy"
_KIND_WORDS = {RECORDS: N_("Records filed"), REQUESTS: N_("Clearview requests")}


@dataclass(frozen=True)
class TimelineEvent:
    """One dated fact: when, what kind, what it says, and whose it is (a town, an agency, or everyone)."""

    month: str  # YYYY-MM: the month the map counts it from
    when: str  # the date in words, as precise as its source
    kind: str  # plain words: "Records filed", "Clearview requests" or a policy kind's label (translated)
    text: str
    color: str
    town_id: int | None = None
    agency_id: str | None = None
    detail: str = ""  # the full title, shown on hover
    category: str = POLICY  # RECORDS, REQUESTS or POLICY: its place among a month's events, and its mark


def _record_events(model: Model) -> list[TimelineEvent]:
    """The records index's filings, one per agency and month; the Clearview lists are the request waves."""
    clearview_rows = set(model.listings["record_row"])
    records = model.records.loc[~model.records["row"].isin(clearview_rows)]
    requested = model.vendor_records.drop_duplicates("record_row").set_index("record_row")["requested"]
    # As precise as the source: the vendor table's month where it gives one, else the years filed. (Grouped by these
    # words: a month is told from a year and from every other month alike in every language, so the groups and their
    # order are the same in every language.)
    whens = [
        date_text(requested[row]) if isinstance(requested.get(row), str) else years_text(start, end)
        for row, start, end in zip(records["row"], records["year_start"], records["year_end"])
    ]
    owners = [a if isinstance(a, str) else int(t) for t, a in zip(records["town_id"], records["agency_id"])]
    keys = records.assign(_owner=owners, _when=whens)
    events = []
    for (month, owner, when), rows in keys.groupby(["filed_month", "_owner", "_when"], sort=False):
        first = rows.iloc[0]
        if isinstance(owner, str):
            town_id, agency_id, name = None, owner, str(model.agencies.loc[owner, "name"])
        else:
            town_id, agency_id, name = owner, None, str(model.towns.loc[owner, "town"])
        records = count_of(len(rows), "{n} record", "{n} records")
        # Translators: a town or agency and how many records were filed there that month.
        text = str(first["title"]) if len(rows) == 1 else _("{name}: {records}").format(name=name, records=records)
        detail = "; ".join(rows["title"])
        kind = _(_KIND_WORDS[RECORDS])
        events.append(
            TimelineEvent(str(month), str(when), kind, text, RECORD_COLOR, town_id, agency_id, detail, RECORDS)
        )
    return events


def timeline_events(model: Model) -> list[TimelineEvent]:
    """Every dated fact the map counts, in order: records filed, the Clearview request waves, policy events."""
    events = _record_events(model)
    for wave in model.catalog.waves:
        text = _("Public records requests to police departments about Clearview AI")
        requests = _(_KIND_WORDS[REQUESTS])
        events.append(TimelineEvent(wave.month, _(wave.label), requests, text, REQUEST_COLOR, category=REQUESTS))
    for event in model.events.itertuples():
        kind = model.catalog.policy_kind[event.kind]
        town_id = None if pd.isna(event.town_id) else int(event.town_id)
        place = str(model.towns.loc[town_id, "town"]) if town_id is not None else "Massachusetts"
        events.append(
            TimelineEvent(
                event.start, date_text(event.date), _(kind.label), place, kind.color, town_id, None, _(event.title)
            )
        )
    order = {RECORDS: 0, REQUESTS: 1, POLICY: 2}
    return sorted(events, key=lambda e: (e.month, order[e.category]))


def timeline_strip(events: list[TimelineEvent], item_type: str) -> list:
    """The strip: one button per event (choosing it moves the date there and selects its town), years between."""
    children: list = []
    year = ""
    for index, event in enumerate(events):
        if event.month[:4] != year:
            year = event.month[:4]
            children.append(html.Li(year, className="timeline-year", **attrs(aria_hidden="true")))
        outside = w.OUTSIDE_MARK if event.category == POLICY else ""
        children.append(
            html.Li(
                html.Button(
                    [
                        html.Span(event.when, className="timeline-when"),
                        html.Span(f"{event.kind}{outside}", className="timeline-kind"),
                        html.Span(event.text, className="timeline-text"),
                    ],
                    id={"type": item_type, "index": index},
                    type="button",
                    # One tab stop for the whole strip; the arrow keys move along it (assets/clientside.js).
                    tabIndex="0" if index == 0 else "-1",
                    n_clicks=0,
                    className="timeline-button",
                    title=event.detail or event.text,
                    style={"borderTopColor": event.color},
                ),
                className="timeline-item",
                **attrs(data_month=event.month),
            )
        )
    return children
