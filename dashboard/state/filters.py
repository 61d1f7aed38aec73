"""The pure functions that apply a view state to the model: which towns, listings and records it shows."""

from __future__ import annotations

import pandas as pd

from dashboard.data.model import Model
from dashboard.state.view import ViewState


def in_years(start: object, end: object, years: tuple[int, int]) -> bool:
    """Whether a filing span (start to end year) overlaps the chosen years."""
    return int(str(start)) <= years[1] and int(str(end)) >= years[0]


def listing_visible(model: Model, category: str, month: object, state: ViewState) -> bool:
    """Whether a Clearview class/listing passes the filters (a month not published passes any wave)."""
    year = model.catalog.clearview_year
    if category not in state.classes or not in_years(year, year, state.years):
        return False
    return bool(pd.isna(month)) or month in state.waves


def town_codes(model: Model, state: ViewState) -> pd.Series:
    """The choropleth's integer code per town: its class, or the filtered-out code."""
    towns = model.towns
    catalog = model.catalog
    visible = [listing_visible(model, c, m, state) for c, m in zip(towns["clearview_status"], towns["clearview_month"])]
    codes = towns["clearview_status"].map(catalog.codes)
    return codes.where(visible, catalog.filtered_out_code).astype(int)


def class_counts(model: Model, state: ViewState) -> dict[str, int]:
    """Municipalities shown in each class (0 for a class filtered out)."""
    codes = town_codes(model, state).value_counts()
    return {status: int(codes.get(code, 0)) for status, code in model.catalog.codes.items()}


def agency_class_counts(model: Model, state: ViewState) -> dict[str, int]:
    """Non-municipal agencies in each Clearview class under the filters."""
    agencies = model.agencies.dropna(subset=["clearview_status"])
    shown = [
        s
        for s, m in zip(agencies["clearview_status"], agencies["clearview_month"])
        if listing_visible(model, s, m, state)
    ]
    return {status: shown.count(status) for status in model.catalog.class_ids}


def vendor_records(model: Model, state: ViewState) -> pd.DataFrame:
    """The vendor records that pass the vendor, year and (for Clearview) wave filters."""
    records = model.vendor_records
    clearview = model.catalog.clearview
    keep = [
        vendor in state.vendors
        and in_years(start, end, state.years)
        and (vendor != clearview or pd.isna(month) or month in state.waves)
        for vendor, start, end, month in zip(
            records["vendor"], records["year_start"], records["year_end"], records["requested"]
        )
    ]
    return records.loc[keep]
