"""The view state from the URL and from the controls: round trips, canonical form, garbage that falls back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.data.catalog import Catalog
from dashboard.data.model import Model
from dashboard.state.view import Choices, ViewState, choices_of, default_view, from_controls, parse_query, to_query

TOWNS = set(range(1, 352))


@pytest.fixture(scope="module")
def catalog(model: Model) -> Catalog:
    return model.catalog


@pytest.fixture(scope="module")
def choices(catalog: Catalog) -> Choices:
    return choices_of(catalog, TOWNS, {"msp", "eohhs"})


def test_default_view_has_an_empty_query(catalog: Catalog, choices: Choices) -> None:
    assert to_query(default_view(catalog), catalog) == ""
    assert parse_query("", choices) == default_view(catalog)


def test_the_default_view_comes_from_the_data(catalog: Catalog) -> None:
    default = default_view(catalog)
    assert default.classes == ("use_or_communication", "solicitation_only", "no_responsive_documents", "no_response")
    assert default.waves == ("2020-02", "2020-04")
    assert default.as_of == "2021-12"  # the Worcester ban, the latest dated fact
    assert catalog.months[0] == "2017-01" and len(catalog.months) == 60
    assert "Clearview AI" not in default.vendors and "Lan-Tel" in default.vendors


def test_round_trip_of_a_full_view(catalog: Catalog, choices: Choices) -> None:
    state = ViewState(
        classes=("use_or_communication", "no_response"),
        waves=("2020-04",),
        as_of="2019-06",
        vendors=("Briefcam", "Clearview AI"),
        uasi=False,
        town=35,
        compare=("2018-01",),
    )
    query = to_query(state, catalog)
    assert query == (
        "?classes=use,no-response&wave=apr&date=2019-06&compare=2018-01&vendors=briefcam,clearview&uasi=0&town=35"
    )
    assert parse_query(query, choices) == state


def test_empty_selections_survive_the_round_trip(catalog: Catalog, choices: Choices) -> None:
    state = ViewState(classes=(), waves=default_view(catalog).waves, as_of=catalog.months[-1], vendors=())
    assert parse_query(to_query(state, catalog), choices) == state


def test_each_bad_part_falls_back_alone(catalog: Catalog, choices: Choices) -> None:
    state = parse_query("?classes=use,bogus&years=2016-2020&vendors=ibm&town=352&uasi=yes&wave=feb", choices)
    default = default_view(catalog)
    assert state.classes == default.classes  # an unknown slug spoils that part only
    assert state.as_of == default.as_of  # 2016 is outside 2017-2020
    assert state.vendors == ("IBM",)
    assert state.town is None  # no TOWN_ID 352
    assert state.uasi is default.uasi
    assert state.waves == ("2020-02",)


def test_hostile_strings_give_the_default_view(catalog: Catalog, choices: Choices) -> None:
    for query in [
        "?town=<script>alert(1)</script>",
        "?%%%&&&==",
        "?years=2020-2017",
        "?date=2016-12",
        "?date=2022-01",
        "?date=2020-13",
        "?date=2020",
        "?town=1e3",
        "?town=٣٥",
        "?" + "a=1&" * 5000,
        None,
        42,
    ]:
        assert parse_query(query, choices) == default_view(catalog), query


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parse_never_raises_and_always_gives_a_valid_state(model: Model, text: str) -> None:
    catalog = model.catalog
    choices = choices_of(catalog, TOWNS, {"msp"})
    state = parse_query(text, choices)
    assert isinstance(state, ViewState)
    assert state.town is None or state.town in TOWNS
    assert state.as_of in catalog.months and all(m < state.as_of for m in state.compare)
    assert parse_query(to_query(state, catalog), choices) == state


def test_controls_go_through_the_same_checks(catalog: Catalog, choices: Choices) -> None:
    state = from_controls(
        ["no_response", "bogus", "use_or_communication"],
        ["2020-04", 7],
        29,
        ["IBM", "<script>"],
        ["uasi"],
        "agency:msp",
        choices=choices,
    )
    # Known ids only, in the declared order; the slider's position read as a month; the agency checked.
    assert state.classes == ("use_or_communication", "no_response")
    assert state.waves == ("2020-04",)
    assert state.as_of == "2019-06"  # 29 months after January 2017
    assert state.vendors == ("IBM",)
    assert state.agency == "msp" and state.town is None
    garbage = from_controls("x", None, "2019", {"IBM"}, None, "agency:nobody", choices=choices)
    assert garbage.classes == () and garbage.as_of == catalog.months[-1] and garbage.agency is None
    assert from_controls([], [], 5, [], [], 9999, choices=choices).town is None
    for position in (True, -1, 60, 2.5, [2019, 2019]):
        assert from_controls([], [], position, [], [], 35, choices=choices).as_of == catalog.months[-1], position


def test_an_agency_is_shared_by_its_id_and_a_town_wins_over_it(catalog: Catalog, choices: Choices) -> None:
    default = default_view(catalog)
    state = parse_query("?agency=msp", choices)
    assert state.agency == "msp" and state.town is None
    assert to_query(state, catalog) == "?agency=msp"
    assert parse_query("?agency=nobody", choices) == default
    both = parse_query("?agency=msp&town=35", choices)
    assert both.town == 35 and both.agency is None


def test_links_shared_before_keep_their_meaning(catalog: Catalog, choices: Choices) -> None:
    for query in ("?town=35", "?classes=use&vendors=briefcam&uasi=0&town=35", "?wave=feb&date=2019-06"):
        assert to_query(parse_query(query, choices), catalog) == query


def test_year_links_from_before_the_time_control_map_to_the_end_of_their_last_year(
    catalog: Catalog, choices: Choices
) -> None:
    # `years=A-B` meant "records filed from A to B": the map as of December of B shows every one of them.
    assert parse_query("?years=2018-2019", choices).as_of == "2019-12"
    assert parse_query("?years=2019", choices).as_of == "2019-12"
    assert parse_query("?wave=feb&years=2019-2019", choices) == parse_query("?wave=feb&date=2019-12", choices)
    assert to_query(parse_query("?years=2017-2020&town=35", choices), catalog) == "?date=2020-12&town=35"
    # A new parameter wins over an old one; an old one outside the records' years falls back to the default.
    assert parse_query("?years=2018-2019&date=2020-04", choices).as_of == "2020-04"
    assert parse_query("?years=2016-2019", choices).as_of == catalog.months[-1]


def test_compare_keeps_earlier_known_months_only(catalog: Catalog, choices: Choices) -> None:
    state = parse_query("?date=2021-01&compare=2020-01,2019-01,2021-06,bogus,2019-01", choices)
    assert state.compare == ("2019-01", "2020-01")
    assert to_query(state, catalog) == "?date=2021-01&compare=2019-01,2020-01"
    assert parse_query("?compare=" + ",".join(catalog.months[:10]), choices).compare == catalog.months[:3]


def test_the_metro_boston_extent_round_trips_and_garbage_falls_back(catalog: Catalog, choices: Choices) -> None:
    state = parse_query("?extent=metro&town=35", choices)
    assert state.extent == "metro" and state.town == 35
    assert to_query(state, catalog) == "?town=35&extent=metro"
    assert parse_query("?extent=moon", choices).extent == "state"
    assert from_controls([], [], 59, [], ["metro"], None, choices=choices).extent == "metro"
    assert from_controls([], [], 59, [], ["uasi"], None, choices=choices).extent == "state"


def test_the_policy_layer_is_on_by_default_and_switches_off_in_a_link(catalog: Catalog, choices: Choices) -> None:
    assert default_view(catalog).policy is True
    off = parse_query("?policy=0", choices)
    assert off.policy is False and to_query(off, catalog) == "?policy=0"
    assert parse_query("?policy=maybe", choices).policy is True
    assert from_controls([], [], 59, [], ["uasi"], None, choices=choices).policy is False
