"""Filtering and classification under the view state, checked against counts taken from data/ directly."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.model import Model
from dashboard.state.view import ViewState, view
from dashboard.state.view_facts import view_facts


def class_counts(model: Model, state: ViewState) -> dict[str, int]:
    return view_facts(model, state).class_counts


def not_asked_count(model: Model, state: ViewState) -> int:
    return view_facts(model, state).not_asked


def town_codes(model: Model, state: ViewState) -> np.ndarray:
    return view_facts(model, state).codes


def vendor_records(model: Model, state: ViewState) -> pd.DataFrame:
    """The kept vendor records as rows of model.vendor_records (the facts keep the model's order)."""
    return model.vendor_records.iloc[list(view_facts(model, state).kept)]


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


def test_before_the_first_wave_every_town_is_not_yet_asked(model: Model) -> None:
    before = view(model.catalog, as_of="2020-01")
    assert sum(class_counts(model, before).values()) == 0
    assert not_asked_count(model, before) == 351
    assert set(town_codes(model, before)) == {model.catalog.not_asked_code}


def test_the_february_wave_shows_its_dated_listings_only(model: Model) -> None:
    february = view(model.catalog, as_of="2020-03")
    dated = model.towns.loc[model.towns["clearview_month"].eq("2020-02")]
    assert class_counts(model, february)["use_or_communication"] == len(dated) > 0
    assert sum(class_counts(model, february).values()) == len(dated)
    # The lists that give no month are shown from the last wave, April 2020.
    april = view(model.catalog, as_of="2020-04")
    assert not_asked_count(model, april) == 0
    assert class_counts(model, april) == class_counts(model, view(model.catalog))


def test_the_class_filter_does_not_hide_that_a_town_was_not_yet_asked(model: Model) -> None:
    state = view(model.catalog, as_of="2019-12", classes=())
    assert not_asked_count(model, state) == 351


def test_vendor_records_count_from_their_filing_month_as_precise_as_the_source(model: Model) -> None:
    def titles(as_of: str) -> set[str]:
        return set(vendor_records(model, view(model.catalog, as_of=as_of))["record_title"])

    # Lan-Tel at the Boston Office of Emergency Management: requested 2019-07.
    assert "Lantel at the Boston Office of Emergency Management" not in titles("2019-06")
    assert "Lantel at the Boston Office of Emergency Management" in titles("2019-07")
    # Suspect Technologies and the Plymouth PD: requested "2018", certain only by December 2018.
    assert "Suspect Technologies and the Plymouth PD" not in titles("2018-11")
    assert "Suspect Technologies and the Plymouth PD" in titles("2018-12")
    # COPLINK Facematch at the State Police: "2019-2020", at least one filing in 2019.
    assert "COPLINK Facematch at the Massachusetts State Police" not in titles("2019-11")
    assert "COPLINK Facematch at the Massachusetts State Police" in titles("2019-12")
    assert titles("2017-12") == set()


@pytest.mark.parametrize("vendor", ["Lan-Tel", "Briefcam", "COPLINK", "Clearview AI"])
def test_vendor_filter_keeps_only_that_vendor(model: Model, vendor: str) -> None:
    rows = vendor_records(model, view(model.catalog, vendors=(vendor,)))
    assert set(rows["vendor"]) == {vendor}
    assert len(rows) == (model.vendor_records["vendor"] == vendor).sum()
