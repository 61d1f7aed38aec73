"""The view state (layers, filters, selected town) and the pure functions that apply it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.data.model import CLEARVIEW, Model
from dashboard.data.schema import CLEARVIEW_STATUSES
from dashboard.views.styles import CLASS_CODE, DEFAULT_VENDORS, FILTERED_OUT_CODE, WAVES, YEAR_RANGE

#: Every Clearview request (and so every Clearview class) was filed in 2020.
CLEARVIEW_YEAR = 2020


@dataclass(frozen=True)
class ViewState:
    """What the user chose: shared through the URL, applied by pure functions."""

    classes: tuple[str, ...] = CLEARVIEW_STATUSES
    waves: tuple[str, ...] = tuple(WAVES)
    years: tuple[int, int] = YEAR_RANGE
    vendors: tuple[str, ...] = DEFAULT_VENDORS
    uasi: bool = True
    town: int | None = field(default=None)
    agency: str | None = None  # a non-municipal agency chosen in the search box (its panel; nothing to highlight)
    present: bool = False  # presentation mode: map, legend, title and source only


def in_years(start: object, end: object, years: tuple[int, int]) -> bool:
    """Whether a filing span (start to end year) overlaps the chosen years."""
    return int(start) <= years[1] and int(end) >= years[0]  # type: ignore[call-overload]


def listing_visible(category: str, month: object, state: ViewState) -> bool:
    """Whether a Clearview class/listing passes the filters (a month not published passes any wave)."""
    if category not in state.classes or not in_years(CLEARVIEW_YEAR, CLEARVIEW_YEAR, state.years):
        return False
    return pd.isna(month) or month in state.waves


def town_codes(model: Model, state: ViewState) -> pd.Series:
    """The choropleth's integer code per town: its class, or the filtered-out code."""
    towns = model.towns
    visible = [listing_visible(c, m, state) for c, m in zip(towns["clearview_status"], towns["clearview_month"])]
    codes = towns["clearview_status"].map(CLASS_CODE)
    return codes.where(visible, FILTERED_OUT_CODE).astype(int)


def class_counts(model: Model, state: ViewState) -> dict[str, int]:
    """Municipalities shown in each class (0 for a class filtered out)."""
    codes = town_codes(model, state).value_counts()
    return {status: int(codes.get(CLASS_CODE[status], 0)) for status in CLEARVIEW_STATUSES}


def agency_class_counts(model: Model, state: ViewState) -> dict[str, int]:
    """Non-municipal agencies in each Clearview class under the filters."""
    agencies = model.agencies.dropna(subset=["clearview_status"])
    shown = [
        s for s, m in zip(agencies["clearview_status"], agencies["clearview_month"]) if listing_visible(s, m, state)
    ]
    return {status: shown.count(status) for status in CLEARVIEW_STATUSES}


def vendor_records(model: Model, state: ViewState) -> pd.DataFrame:
    """The vendor records that pass the vendor, year and (for Clearview) wave filters."""
    records = model.vendor_records
    keep = [
        vendor in state.vendors
        and in_years(start, end, state.years)
        and (vendor != CLEARVIEW or pd.isna(month) or month in state.waves)
        for vendor, start, end, month in zip(
            records["vendor"], records["year_start"], records["year_end"], records["requested"]
        )
    ]
    return records.loc[keep]
