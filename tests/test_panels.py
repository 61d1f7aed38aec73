"""Text around the map: hover, legend, statewide box and town panel, as pure functions of the model."""

from __future__ import annotations

import dataclasses
import re

import pytest
from dash import html

from dashboard.data.model import Model
from dashboard.state.view import ViewState, view
from dashboard.state.view_facts import ViewFacts, view_facts
from dashboard.views import panels
from dashboard.views import wording as w
from dashboard.views.figure import town_hover

LATEST = "2021-12"  # the time control's last month: every dated fact counts


def _facts(model: Model, **choices: object) -> ViewFacts:
    return view_facts(model, view(model.catalog, **choices))


def town_panel(model: Model, town_id: int | None, state: ViewState) -> list:
    return panels.town_panel(model, view_facts(model, dataclasses.replace(state, town=town_id)))


def legend(model: Model, state: ViewState) -> list:
    return panels.legend(model, view_facts(model, state))


def headline_cards(model: Model, state: ViewState) -> list:
    return panels.headline_cards(model, view_facts(model, state))


def policy_line(model: Model, state: ViewState) -> str:
    return panels.policy_line(model, view_facts(model, state))


def reach(model: Model, state: ViewState) -> list:
    return panels.reach(model, view_facts(model, state))


def totals(model: Model, state: ViewState) -> str:
    return panels.totals(model, view_facts(model, state))


def _text(component: object) -> str:
    """All text inside a Dash component tree, whitespace collapsed."""
    return " ".join(_raw_text(component).split())


def _raw_text(component: object) -> str:
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(_raw_text(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else _raw_text(children)


def _links(component: object) -> list[html.A]:
    if isinstance(component, html.A):
        return [component]
    if isinstance(component, (list, tuple)):
        return [a for c in component for a in _links(c)]
    children = getattr(component, "children", None)
    return [] if children is None else _links(children)


def test_hover_names_town_county_population_class_and_vendor_records(model: Model) -> None:
    hover = dict(zip(model.towns.index, town_hover(model, LATEST)))[35]
    assert "<b>Boston</b> · Suffolk County" in hover
    assert "Population (2010 census): 617,594" in hover
    assert "Clearview AI: Use or communication (listed as “Boston PD”)" in hover
    assert "Its Clearview record holds 0 documents" in hover
    assert "Briefcam: Briefcam at the City of Boston (2019) (7 documents)" in hover
    assert "Lan-Tel: Lantel at the Boston Office of Emergency Management (266 documents)" in hover


def test_hover_escapes_markup_from_data(model: Model) -> None:
    towns = model.towns.copy()
    towns.loc[35, "town"] = "<img src=x onerror=alert(1)>"
    changed = dataclasses.replace(model, towns=towns)
    hover = town_hover(changed, LATEST)[list(towns.index).index(35)]
    assert "<img" not in hover and "&lt;img src=x onerror=alert(1)&gt;" in hover


def test_oxford_panel_shows_the_conflicting_listing_and_links_its_source(model: Model) -> None:
    panel = town_panel(model, 226, view(model.catalog))
    text = _text(panel)
    assert "Listed as “Oxford PD” under Use or communication, request of April 2020: counted." in text
    assert (
        "Listed as “Town Of Oxford” under No responsive documents: a second listing, not counted "
        "(Use or communication wins)" in text
    )
    hrefs = {a.href for a in _links(panel)}
    assert "https://data.aclum.org/public-records/frt-ma/private-companies/" in hrefs


def test_panel_links_a_records_own_page_where_one_is_verified(model: Model) -> None:
    panel = town_panel(model, 322, view(model.catalog))  # West Bridgewater
    hrefs = {a.href for a in _links(panel)}
    assert (
        "https://data.aclum.org/public-records/frt-ma/private-companies/clearview_ai/"
        "clearview-ai-at-the-west-bridgewater-pd/" in hrefs
    )
    assert "11 documents." in _text(panel)  # the records index: Clearview AI at the West Bridgewater PD, 11


def test_reach_table_keeps_statewide_agencies_apart_from_towns(model: Model) -> None:
    text = _text(reach(model, view(model.catalog, vendors=("COPLINK", "DataWorks"))))
    # The COPLINK table of the records page lists the State Police only; Northampton's record names it in its title.
    assert (
        "COPLINK 2 (9 documents) — — Massachusetts State Police Northampton (the vendor named only in the record's "
        "title)" in text
    )
    assert "28,549" not in text  # Northampton's residents: no reach counted from a title
    assert "DataWorks 1 (7 documents) — — Executive Office of Public Safety and Security —" in text
    assert "No records" not in text
    assert reach(model, view(model.catalog, vendors=())) == []


def test_reach_table_marks_records_without_documents_and_the_mbta_as_an_agency(model: Model) -> None:
    text = _text(reach(model, view(model.catalog, vendors=("Lan-Tel",))))
    assert "Executive Office for Administration and Finance (0 documents)" in text
    # The records page gives the MBTA no service area: it is not statewide reach.
    statewide = text.split("(no reach counted)", 1)[1].split("Massachusetts Bay Transportation", 1)[0]
    assert "Massachusetts State Police" in statewide and "MBTA" not in statewide
    assert "Massachusetts Bay Transportation Authority (MBTA) (no area given)" in text
    clearview = _text(reach(model, view(model.catalog, vendors=("Clearview AI",))))
    # Boston, Dalton and Great Barrington are listed with 0-document records: marked, and their residents not counted.
    for name in ("Boston (0 documents)", "Dalton (0 documents)", "Great Barrington (0 documents)"):
        assert name in clearview
    assert "617,594" not in clearview and "Norfolk County (0 documents)" in clearview


def _population(model: Model, *names: str) -> int:
    return int(model.towns.loc[model.towns["town"].isin(names), "population_2010"].sum())


def test_headline_gives_residents_of_towns_whose_record_holds_documents(model: Model) -> None:
    cards = headline_cards(model, view(model.catalog))
    use = _text(cards[0])
    total = int(model.towns.loc[model.towns["clearview_status"].eq("use_or_communication"), "population_2010"].sum())
    documented = total - _population(model, "Boston", "Dalton", "Great Barrington")  # the 0-document listings
    assert f"{total:,} residents" in use
    assert f"{documented:,} where the record has documents" in use
    # Boston, Dalton and Great Barrington; the Norfolk Sheriff's Office is an agency, not a municipality.
    assert "3 municipalities and 1 agency listed with 0 documents" in use
    assert "One shared record: 102 documents" in _text(cards[1])
    assert "One shared record: 445 documents" in _text(cards[2])
    assert "99 municipalities" in _text(cards[3]) and "police" not in _text(cards[3])


def test_town_panel_says_a_listing_record_holds_0_documents(model: Model) -> None:
    for town_id in (35, 70):  # Boston, Dalton
        text = _text(town_panel(model, town_id, view(model.catalog)))
        assert "This record holds 0 documents" in text
    assert "This record holds 0 documents" not in _text(town_panel(model, 322, view(model.catalog)))


def test_agency_panel_lists_its_records_and_marks_facts_from_outside_the_page(model: Model) -> None:
    text = _text(town_panel(model, None, view(model.catalog, agency="msp")))
    assert text.startswith("Massachusetts State Police A state agency")
    assert re.search(rf"Offices in Framingham\s*{w.OUTSIDE_MARK}", text) and w.OUTSIDE_NOTE in text
    assert "Clearview AI at the Massachusetts State Police (MSP)" in text
    assert "COPLINK Facematch at the Massachusetts State Police" in text
    assert "“Msp” under No responsive documents: a second listing, not counted" in text


def test_legend_and_totals_follow_the_filters(model: Model) -> None:
    text = _text(legend(model, view(model.catalog, classes=("use_or_communication",))))
    assert "Outside the filters 333" in text
    assert "Showing 18 of 351" in totals(model, view(model.catalog, classes=("use_or_communication",)))


def test_a_town_panel_lists_its_policy_decisions_with_sources(model: Model) -> None:
    panel = town_panel(model, 35, view(model.catalog))
    text = _text(panel)
    assert f"Policy decisions{w.OUTSIDE_MARK} (2)" in text
    assert "Face-surveillance ban, adopted June 24, 2020." in text
    # A month stays a month; adopted (voted) in October 2021, in force from August 2022 (its source).
    assert (
        "Surveillance-oversight ordinance, adopted October 2021; in force from August 2022 (after December 2021, "
        "the date shown)." in text
    )
    hrefs = {a.href for a in _links(panel)}
    assert set(model.events.loc[model.events["town_id"].eq(35), "source_url"]) <= hrefs
    assert "Policy decisions" not in _text(town_panel(model, 1, view(model.catalog)))  # Abington: none


def test_the_policy_line_counts_residents_under_a_ban_or_moratorium(model: Model) -> None:
    towns = model.towns
    names = ["Somerville", "Brookline", "Northampton", "Cambridge", "Boston", "Easthampton", "Worcester", "Springfield"]
    residents = int(towns.loc[towns["town"].isin(names), "population_2010"].sum())
    line = policy_line(model, view(model.catalog))
    assert f"8 municipalities, {residents:,} residents" in line and "December 2021" in line
    assert "use or communication 1" in line and "later" not in line  # Boston


@pytest.mark.parametrize(
    ("as_of", "names"),
    [
        ("2019-12", ["Somerville", "Brookline", "Northampton"]),
        ("2020-12", ["Somerville", "Brookline", "Northampton", "Cambridge", "Springfield", "Boston", "Easthampton"]),
    ],
)
def test_the_policy_line_follows_the_chosen_month(model: Model, as_of: str, names: list[str]) -> None:
    towns = model.towns
    residents = int(towns.loc[towns["town"].isin(names), "population_2010"].sum())
    line = policy_line(model, view(model.catalog, as_of=as_of))
    assert f"{len(names)} municipalities, {residents:,} residents" in line
    assert "later" not in line.lower()  # Worcester's ban of December 2021 is not named before it
