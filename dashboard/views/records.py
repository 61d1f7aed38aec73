"""The records table: every record of the index and every Clearview listing, filtered like the map."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.data.model import Model
from dashboard.state.filters import ViewState, listing_visible
from dashboard.views.wording import SECOND_LISTING, TITLE_ONLY, reach_label, years_text
from dashboard.views.words import date_text

#: (column id, header) in display order; "source" is a link in the page, a URL in the CSV.
COLUMNS = [
    ("kind", "Kind"),
    ("title", "Record, or name as listed"),
    ("agency", "Agency"),
    ("reach", "Town or reach"),
    ("vendor", "Vendor"),
    ("clearview_class", "Clearview class"),
    ("filed", "Filed"),
    ("documents", "Documents"),
    ("source", "Source"),
]
#: Columns the CSV and the API carry beyond the grid's: where the vendor is named, what the record's page found, and
#: the record's technology and vendor as the Atlas of Surveillance names them (so the two can be joined).
EXTRA_COLUMNS = ["vendor_named_in", "finding", "atlas_technology", "atlas_vendor"]
TEXT_COLUMNS = ["kind", "title", "agency", "reach", "vendor", "clearview_class", "filed"]


def _reach(model: Model, town_id: object, agency_id: object) -> str:
    if not pd.isna(town_id):
        return str(model.towns.loc[int(str(town_id)), "town"])
    agency = model.agencies.loc[agency_id]
    return reach_label(str(agency["reach"]), agency["county"])


def _agency(model: Model, town_id: object, agency_id: object) -> str:
    if not pd.isna(town_id):
        return f"{model.towns.loc[int(str(town_id)), 'town']} (municipal)"
    return str(model.agencies.loc[agency_id, "name"])


def all_rows(model: Model) -> pd.DataFrame:
    """One row per record and per Clearview listing, with what the filters need; built once per model."""
    index = model.records_by_row
    clearview_rows = set(model.listings["record_row"])
    records = pd.DataFrame(
        {
            "kind": "Record",
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
        }
    )
    listings = model.listings
    year = model.catalog.clearview_year  # every Clearview request was filed in it
    conflict = listings["outcome"].eq("conflict")
    classes = (
        listings["category"]
        .map(model.catalog.labels)
        .where(~conflict, listings["category"].map(model.catalog.labels) + f" ({SECOND_LISTING})")
    )
    rows = pd.DataFrame(
        {
            "kind": "Clearview listing",
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
        }
    )
    return pd.concat([records, rows], ignore_index=True)


def filter_rows(model: Model, rows: pd.DataFrame, state: ViewState, query: str = "") -> pd.DataFrame:
    """The rows the map's filters keep, then those matching the search text (case-insensitive)."""
    # Plain values, row by row: this runs on most changes of the map, and pandas' per-call cost exceeds the work.
    listings = [kind == "Clearview listing" for kind in rows["kind"].tolist()]
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
    words = query.strip().lower().split() if isinstance(query, str) else []
    if words:
        # The text searched: the row's text columns as str() writes them, joined by spaces.
        texts = (" ".join(map(str, values)).lower() for values in zip(*(rows[c].tolist() for c in TEXT_COLUMNS)))
        keep = [k and all(w in text for w in words) for k, text in zip(keep, texts)]
    return rows.take(np.flatnonzero(keep))


def display_records(rows: pd.DataFrame) -> list[dict]:
    """Rows for the grid: plain values, the source address and its label (rendered as a link by the page)."""
    columns = ["kind", "title", "agency", "reach", "vendor", "clearview_class", "filed"]
    return [
        {
            **dict(zip(columns, values)),
            # The grid says where a vendor is named only in the title; the CSV keeps it in its own column.
            "vendor": f"{values[4]} ({TITLE_ONLY})" if named_in == "title" else values[4],
            "documents": None if pd.isna(documents) else int(documents),
            "source": url,
            "source_label": "record page" if own_page else "section page",
        }
        for *values, documents, url, own_page, named_in in zip(
            *(rows[c].tolist() for c in [*columns, "documents", "url", "_own_page", "vendor_named_in"])
        )
    ]


def to_csv(rows: pd.DataFrame) -> str:
    """The rows as CSV, with the source address in full."""
    from dashboard.exports.csv_safe import safe_csv  # cells a spreadsheet would run as formulas keep their text

    table = rows[[c for c, _ in COLUMNS if c != "source"] + EXTRA_COLUMNS + ["url"]].rename(
        columns={"url": "source_url"}
    )
    return safe_csv(table)
