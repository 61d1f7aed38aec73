"""The pure functions that apply a view state to the model: which towns, listings and records it shows."""

from __future__ import annotations

import pandas as pd

from dashboard.data.model import Model
from dashboard.state.view import ViewState


def asked_by(model: Model, month: object, state: ViewState) -> bool:
    """Whether a Clearview listing's request (its month, or the last wave where none is published) was filed."""
    return model.catalog.asked_month(month) <= state.as_of


def listing_visible(model: Model, category: str, month: object, state: ViewState) -> bool:
    """Whether a Clearview class/listing is shown: asked by the chosen month and passing the class and wave filters."""
    if category not in state.classes or not asked_by(model, month, state):
        return False
    return bool(pd.isna(month)) or month in state.waves


def town_codes(model: Model, state: ViewState) -> pd.Series:
    """The choropleth's integer code per town: its class, 'not yet asked', or the filtered-out code."""
    towns = model.towns
    catalog = model.catalog
    visible = [listing_visible(model, c, m, state) for c, m in zip(towns["clearview_status"], towns["clearview_month"])]
    asked = [asked_by(model, m, state) for m in towns["clearview_month"]]
    codes = towns["clearview_status"].map(catalog.codes)
    codes = codes.where(visible, catalog.filtered_out_code)
    # Before its request a town's answer did not exist yet: neutral, whatever the class filter says.
    return codes.where(asked, catalog.not_asked_code).astype(int)


def class_counts(model: Model, state: ViewState) -> dict[str, int]:
    """Municipalities shown in each class (0 for a class filtered out or not yet asked)."""
    codes = town_codes(model, state).value_counts()
    return {status: int(codes.get(code, 0)) for status, code in model.catalog.codes.items()}


def not_asked_count(model: Model, state: ViewState) -> int:
    """Municipalities whose Clearview request was not yet filed as of the chosen month."""
    return int(town_codes(model, state).eq(model.catalog.not_asked_code).sum())


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
    """The vendor records filed by the chosen month that pass the vendor and (for Clearview) wave filters."""
    records = model.vendor_records
    clearview = model.catalog.clearview
    keep = [
        vendor in state.vendors
        and filed <= state.as_of
        and (vendor != clearview or pd.isna(month) or month in state.waves)
        for vendor, filed, month in zip(records["vendor"], records["filed_month"], records["requested"])
    ]
    return records.loc[keep]
