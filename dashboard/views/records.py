"""The records table: every record of the index and every Clearview listing, filtered like the map.

The table itself is in English, whatever the language of the request (its CSV and the API carry it as data); the
grid words its rows and headers in the language in use when it shows them (`display_records`, `columns`).
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.model import Model
from dashboard.language import N_, _
from dashboard.state.filters import ViewState, listing_visible
from dashboard.views import wording as w
from dashboard.views.wording import reach_label, years_text
from dashboard.views.words import date_text

#: (column id, header) in display order; "source" is a link in the page, a URL in the CSV. The headers are English
#: messages: `columns()` gives them in the language in use.
COLUMNS = [
    # Translators: the records table's column headers.
    ("kind", N_("Kind")),
    ("title", N_("Record, or name as listed")),
    ("agency", N_("Agency")),
    ("reach", N_("Town or reach")),
    ("vendor", N_("Vendor")),
    ("clearview_class", N_("Clearview class")),
    ("filed", N_("Filed")),
    ("documents", N_("Documents")),
    ("source", N_("Source")),
]
#: The rows' kinds, as the table holds them (English) and as the grid shows them (translated).
# Translators: a row of the records table that is a record (a request and what came back).
RECORD = N_("Record")
# Translators: a row of the records table that is a department's listing in a Clearview list.
LISTING = N_("Clearview listing")
#: Columns the CSV and the API carry beyond the grid's: where the vendor is named, what the record's page found, and
#: the record's technology and vendor as the Atlas of Surveillance names them (so the two can be joined).
EXTRA_COLUMNS = ["vendor_named_in", "finding", "atlas_technology", "atlas_vendor"]
TEXT_COLUMNS = ["kind", "title", "agency", "reach", "vendor", "clearview_class", "filed"]


def columns() -> list[tuple[str, str]]:
    """(column id, header) in display order, the headers in the language in use."""
    return [(column, _(header)) for column, header in COLUMNS]


def _reach(model: Model, town_id: object, agency_id: object) -> str:
    if not pd.isna(town_id):
        return str(model.towns.loc[int(str(town_id)), "town"])
    agency = model.agencies.loc[agency_id]
    return reach_label(str(agency["reach"]), agency["county"])


def _agency(model: Model, town_id: object, agency_id: object) -> str:
    if not pd.isna(town_id):
        return f"{model.towns.loc[int(str(town_id)), 'town']} (municipal)"
    return str(model.agencies.loc[agency_id, "name"])


def _reach_kind(model: Model, town_id: object, agency_id: object) -> str | None:
    return None if not pd.isna(town_id) else str(model.agencies.loc[agency_id, "reach"])


def _county(model: Model, town_id: object, agency_id: object) -> object:
    return None if not pd.isna(town_id) else model.agencies.loc[agency_id, "county"]


def all_rows(model: Model) -> pd.DataFrame:
    """One row per record and per Clearview listing, in English, with what the filters and the grid's words need;
    built once per model."""
    with language.speaking(SOURCE_LANGUAGE):  # the table is data: the same whatever the request's language
        return _all_rows(model)


def _all_rows(model: Model) -> pd.DataFrame:
    index = model.records_by_row
    clearview_rows = set(model.listings["record_row"])
    records = pd.DataFrame(
        {
            "kind": RECORD,
            "title": model.records["title"],
            "agency": model.records["submitted_to"],
            "reach": [_reach(model, t, a) for t, a in zip(model.records["town_id"], model.records["agency_id"])],
            "vendor": model.records["vendor"].fillna(""),
            "clearview_class": "",
            "filed": [years_text(s, e) for s, e in zip(model.records["year_start"], model.records["year_end"])],
            "documents": model.records["documents"].astype("Int64"),
            "vendor_named_in": model.records["named_in"].fillna(""),
            "finding": model.records["finding"].fillna(""),
            "atlas_technology": model.records["atlas_technology"],
            "atlas_vendor": model.records["atlas_vendor"].fillna(""),
            "url": model.records["record_url"].fillna(model.records["section_url"]),
            "_own_page": model.records["record_url"].notna(),
            "_record_row": model.records["row"],
            "_clearview": model.records["row"].isin(clearview_rows),
            "_category": None,
            "_month": None,
            "_filed": model.records["filed_month"],
            "_town_id": model.records["town_id"],
            "_agency_id": model.records["agency_id"],
            # What the grid words in the language in use: the town of a municipal listing, an agency's reach and
            # county, a listing's class label and whether it is a second listing.
            "_town": None,
            "_reach": [_reach_kind(model, t, a) for t, a in zip(model.records["town_id"], model.records["agency_id"])],
            "_county": [_county(model, t, a) for t, a in zip(model.records["town_id"], model.records["agency_id"])],
            "_class": "",
            "_conflict": False,
        }
    )
    listings = model.listings
    year = model.catalog.clearview_year  # every Clearview request was filed in it
    conflict = listings["outcome"].eq("conflict")
    classes = (
        listings["category"]
        .map(model.catalog.labels)
        .where(~conflict, listings["category"].map(model.catalog.labels) + f" ({w.SECOND_LISTING})")
    )
    rows = pd.DataFrame(
        {
            "kind": LISTING,
            "title": listings["name_as_published"],
            "agency": [_agency(model, t, a) for t, a in zip(listings["town_id"], listings["agency_id"])],
            "reach": [_reach(model, t, a) for t, a in zip(listings["town_id"], listings["agency_id"])],
            "vendor": model.catalog.clearview,
            "clearview_class": classes,
            "filed": [date_text(m) if isinstance(m, str) else str(year) for m in listings["request_month"]],
            "documents": listings["documents"].astype("Int64"),
            "vendor_named_in": "vendor_table",
            "finding": "",
            # A listing is about what its record is about.
            "atlas_technology": [index.loc[r, "atlas_technology"] for r in listings["record_row"]],
            "atlas_vendor": index.loc[listings["record_row"], "atlas_vendor"].fillna("").to_numpy(),
            "url": [
                index.loc[r, "record_url"]
                if isinstance(index.loc[r, "record_url"], str)
                else index.loc[r, "section_url"]
                for r in listings["record_row"]
            ],
            "_own_page": [isinstance(index.loc[r, "record_url"], str) for r in listings["record_row"]],
            "_record_row": listings["record_row"],
            "_clearview": True,
            "_category": listings["category"],
            "_month": listings["request_month"],
            "_filed": [model.catalog.asked_month(m) for m in listings["request_month"]],
            "_town_id": listings["town_id"],
            "_agency_id": listings["agency_id"],
            "_town": [None if pd.isna(t) else str(model.towns.loc[int(t), "town"]) for t in listings["town_id"]],
            "_reach": [_reach_kind(model, t, a) for t, a in zip(listings["town_id"], listings["agency_id"])],
            "_county": [_county(model, t, a) for t, a in zip(listings["town_id"], listings["agency_id"])],
            "_class": listings["category"].map(model.catalog.labels),
            "_conflict": conflict,
        }
    )
    return pd.concat([records, rows], ignore_index=True)


def filter_rows(model: Model, rows: pd.DataFrame, state: ViewState, query: str = "") -> pd.DataFrame:
    """The rows the map's filters keep, then those holding every word searched (any case, accents or not)."""
    # Plain values, row by row: this runs on most changes of the map, and pandas' per-call cost exceeds the work.
    listings = [kind == LISTING for kind in rows["kind"].tolist()]
    listing_ok = [
        is_listing and listing_visible(model, category, month, state)
        for is_listing, category, month in zip(listings, rows["_category"].tolist(), rows["_month"].tolist())
    ]
    # A Clearview record stays while any of its listings is shown; other records follow vendor and year.
    record_rows = rows["_record_row"].tolist()
    shown_records = {r for r, ok in zip(record_rows, listing_ok) if ok}
    keep = [
        ok
        or (
            not is_listing
            and (
                record_row in shown_records
                if clearview
                else (vendor == "" or vendor in state.vendors) and filed <= state.as_of
            )
        )
        for ok, is_listing, record_row, clearview, vendor, filed in zip(
            listing_ok,
            listings,
            record_rows,
            rows["_clearview"].tolist(),
            rows["vendor"].tolist(),
            rows["_filed"].tolist(),
        )
    ]
    words = _folded(query).split() if isinstance(query, str) else []
    if words:
        # The text searched: the row's text columns as str() writes them, joined by spaces; in another language,
        # also as the grid shows them, so that a visitor finds what they read ("condado", "ningun").
        texts = [" ".join(map(str, values)) for values in zip(*(rows[c].tolist() for c in TEXT_COLUMNS))]
        if language.current().code != SOURCE_LANGUAGE:
            shown = display_records(rows)
            texts = [f"{text} {' '.join(str(row[c]) for c in TEXT_COLUMNS)}" for text, row in zip(texts, shown)]
        keep = [k and all(w in _folded(text) for w in words) for k, text in zip(keep, texts)]
    return rows.take(np.flatnonzero(keep))


def _folded(text: str) -> str:
    """Lower case without accents: a search typed on a keyboard without them still finds "Ningún"."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def display_records(rows: pd.DataFrame) -> list[dict]:
    """Rows for the grid in the language in use: plain values, the source address and its label (rendered as a link
    by the page)."""
    title_only, second = w.TITLE_ONLY, w.SECOND_LISTING
    # Translators: the records table's link to a record's own page, and to the page of its section.
    source_labels = {True: _("record page"), False: _("section page")}
    extra = ["documents", "url", "_own_page", "vendor_named_in", "_town", "_reach", "_county", "_class", "_conflict"]
    out = []
    for kind, title, agency, reach, vendor, filed, month, *more in zip(
        *(rows[c].tolist() for c in ["kind", "title", "agency", "reach", "vendor", "filed", "_month", *extra])
    ):
        documents, url, own_page, named_in, town, reach_kind, county, label, conflict = more
        out.append(
            {
                "kind": _(kind),
                "title": title,
                # Translators: a municipal police department in the records table: "Boston (municipal)".
                "agency": _("{town} (municipal)").format(town=town) if isinstance(town, str) else agency,
                "reach": reach_label(reach_kind, county) if isinstance(reach_kind, str) else reach,
                # The grid says where a vendor is named only in the title; the CSV keeps it in its own column.
                "vendor": f"{vendor} ({title_only})" if named_in == "title" else vendor,
                "clearview_class": f"{_(label)} ({second})" if conflict else _(label) if label else "",
                "filed": date_text(month) if isinstance(month, str) else filed,
                "documents": None if pd.isna(documents) else int(documents),
                "source": url,
                "source_label": source_labels[bool(own_page)],
            }
        )
    return out


def to_csv(rows: pd.DataFrame) -> str:
    """The rows as CSV, with the source address in full."""
    from dashboard.exports.csv_safe import safe_csv  # cells a spreadsheet would run as formulas keep their text

    table = rows[[c for c, _ in COLUMNS if c != "source"] + EXTRA_COLUMNS + ["url"]].rename(
        columns={"url": "source_url"}
    )
    return safe_csv(table)
