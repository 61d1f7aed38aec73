"""Filtering and classification under the view state, checked against counts taken from data/ directly."""

from __future__ import annotations

import csv

import pytest

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.model import Model
from dashboard.state.filters import class_counts, town_codes, vendor_records
from dashboard.state.view import view


def _listings() -> list[dict[str, str]]:
    with (DEFAULT_DATA_DIR / "clearview_listings.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_default_view_shows_every_municipality(model: Model) -> None:
    counts = class_counts(model, view(model.catalog))
    assert sum(counts.values()) == 351
    assert (town_codes(model, view(model.catalog)) != model.catalog.filtered_out_code).all()


def test_turning_a_class_off_moves_exactly_its_towns_outside_the_filters(model: Model) -> None:
    full = class_counts(model, view(model.catalog))
    state = view(model.catalog, classes=("use_or_communication", "solicitation_only", "no_responsive_documents"))
    counts = class_counts(model, state)
    assert counts["no_response"] == 0
    assert (town_codes(model, state) == model.catalog.filtered_out_code).sum() == full["no_response"]
    assert {k: v for k, v in counts.items() if k != "no_response"} == {
        k: v for k, v in full.items() if k != "no_response"
    }


def test_wave_filter_drops_the_other_waves_use_listings_only(model: Model) -> None:
    # Towns of the April use listings, read straight from the CSV (two are agencies, not towns).
    april = [r for r in _listings() if r["request_month"] == "2020-04"]
    agencies = {"Norfolk Sheriff's Office", "Massachusetts State Police"}
    april_towns = [r for r in april if r["name_as_published"] not in agencies]
    counts = class_counts(model, view(model.catalog, waves=("2020-02",)))
    full = class_counts(model, view(model.catalog))
    assert counts["use_or_communication"] == full["use_or_communication"] - len(april_towns)
    assert counts["solicitation_only"] == full["solicitation_only"]  # no month published: kept


def test_years_before_2020_leave_no_clearview_class(model: Model) -> None:
    assert sum(class_counts(model, view(model.catalog, years=(2017, 2019))).values()) == 0


def test_year_filter_on_vendor_records_uses_the_filing_span(model: Model) -> None:
    only_2018 = vendor_records(model, view(model.catalog, years=(2018, 2018)))
    assert only_2018["record_title"].tolist() == ["Suspect Technologies and the Plymouth PD"]
    span = vendor_records(model, view(model.catalog, years=(2020, 2020)))
    # "COPLINK Facematch" was filed 2019-2020: it overlaps 2020.
    assert "COPLINK Facematch at the Massachusetts State Police" in set(span["record_title"])
    assert "Briefcam at the City of Boston (2019)" not in set(span["record_title"])


@pytest.mark.parametrize("vendor", ["Lan-Tel", "Briefcam", "COPLINK", "Clearview AI"])
def test_vendor_filter_keeps_only_that_vendor(model: Model, vendor: str) -> None:
    rows = vendor_records(model, view(model.catalog, vendors=(vendor,)))
    assert set(rows["vendor"]) == {vendor}
    assert len(rows) == (model.vendor_records["vendor"] == vendor).sum()
