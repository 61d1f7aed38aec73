"""The map as of a month says only what was known by then: hover, panels, legend, headline and policy line.

Expected dates come from the records page (../shared/seed) and data/policy_events.csv, not from the code:
Boston's Clearview request went out in February 2020 (its row of the use-or-communication table), Briefcam at the
City of Boston was asked in August 2019 and May 2020, Lan-Tel at Boston's Office of Emergency Management in July 2019;
Boston's face-surveillance ban was voted on June 24, 2020 and its oversight ordinance in October 2021 (in force from
August 2022); the State Police's Clearview request went out in April 2020.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from dash import html

from dashboard.data.model import Model
from dashboard.state.view import view
from dashboard.state.view_facts import view_facts
from dashboard.views import panels
from dashboard.views.figure import town_hover

BOSTON = 35


def _text(component: object) -> str:
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else " ".join(_text(children).split())


def _items(component: object, kind: type) -> list[str]:
    """The text of every element of a kind (paragraphs, list items) in a component tree."""
    found: list[str] = []

    def walk(c: object) -> None:
        if isinstance(c, (list, tuple)):
            for x in c:
                walk(x)
            return
        if isinstance(c, kind):
            found.append(" ".join(_text(c).split()))
        children = getattr(c, "children", None)
        if children is not None and not isinstance(children, str):
            walk(children)

    walk(component)
    return found


def _hover(model: Model, town_id: int, as_of: str) -> str:
    return dict(zip(model.towns.index, town_hover(model, as_of)))[town_id]


def test_bostons_hover_in_december_2019_names_nothing_later(model: Model) -> None:
    hover = _hover(model, BOSTON, "2019-12")
    assert "Briefcam at the City of Boston (2019)" in hover  # asked August 2019
    assert "Lantel at the Boston Office of Emergency Management" in hover  # asked July 2019
    assert "Briefcam at the City of Boston (2020)" not in hover  # asked May 2020
    assert "Use or communication" not in hover and "listed as" not in hover  # its request went out in February 2020
    assert "ban" not in hover and "ordinance" not in hover  # voted June 2020 and October 2021
    assert "not known to have been asked yet" in hover


def test_bostons_hover_follows_the_month(model: Model) -> None:
    assert "Use or communication (listed as “Boston PD”)" in _hover(model, BOSTON, "2020-02")
    assert "Face-surveillance ban, adopted June 24, 2020" not in _hover(model, BOSTON, "2020-05")
    assert "Face-surveillance ban, adopted June 24, 2020" in _hover(model, BOSTON, "2020-06")
    assert "Briefcam at the City of Boston (2020)" in _hover(model, BOSTON, "2020-05")


def test_every_hover_before_the_first_request_names_no_class(model: Model) -> None:
    labels = [c.label for c in model.catalog.classes]
    for hover in town_hover(model, "2020-01"):
        assert not any(label in hover for label in labels)


def test_bostons_panel_in_december_2019_marks_every_later_fact(model: Model) -> None:
    panel = panels.town_panel(model, view_facts(model, view(model.catalog, as_of="2019-12", town=BOSTON)))
    later = "Later than December 2019, the date shown."
    lines = _items(panel, html.Li) + _items(panel, html.P)
    for title in ("Briefcam at the City of Boston (2020)", "Clearview AI at the Boston PD"):
        line = next(t for t in lines if title in t)
        assert line.startswith(later), line
    for adopted in ("Face-surveillance ban, adopted June 24, 2020", "Surveillance-oversight ordinance, adopted"):
        line = next(t for t in lines if adopted in t)
        assert line.startswith(later), line
    line = next(t for t in lines if "Briefcam at the City of Boston (2019)" in t)
    assert later not in line
    text = _text(panel)
    assert "Not known to have been asked yet as of December 2019: its request went out in February 2020." in text
    assert "(5 by December 2019; 1 later)" in text  # Briefcam 2020 is the later one
    assert "Policy decisions† (0 by December 2019; 2 later)" in text


def test_the_state_polices_panel_in_december_2019_marks_its_april_2020_listing_later(model: Model) -> None:
    panel = panels.town_panel(model, view_facts(model, view(model.catalog, as_of="2019-12", agency="msp")))
    listing = next(t for t in _items(panel, html.P) if "Listed as “Massachusetts State Police”" in t)
    assert listing.startswith("Later than December 2019, the date shown.")


def test_the_legend_says_not_known_to_have_been_asked_in_february_and_march_2020(model: Model) -> None:
    # Nine towns of the February 2020 wave are dated on the page; 351 - 9 = 342 are not known to be asked yet.
    february = [
        r for r in model.listings.itertuples() if r.request_month == "2020-02" and not isinstance(r.agency_id, str)
    ]
    for month in ("2020-02", "2020-03"):
        text = _text(panels.legend(model, view_facts(model, view(model.catalog, as_of=month))))
        assert f"Not known to have been asked yet {351 - len(february)}" in text
        assert "Not yet asked" not in text


@pytest.mark.parametrize("month", ["2017-01", "2019-06", "2019-12", "2020-01", "2020-03"])
def test_the_ban_sentence_gives_no_class_before_any_class_is_known(model: Model, month: str) -> None:
    line = panels.policy_line(model, view_facts(model, view(model.catalog, as_of=month)))
    assert "by Clearview class" not in line
    assert "later" not in line.lower()
    assert "2010 census" in line


def test_the_ban_sentence_counts_classes_once_they_are_known(model: Model) -> None:
    # Somerville, Brookline, Northampton, Cambridge, Springfield and (June 2020) Boston, Easthampton by December 2020.
    line = panels.policy_line(model, view_facts(model, view(model.catalog, as_of="2020-12")))
    assert re.search(r"7 municipalities, [\d,]+ residents \(2010 census", line)
    assert "by Clearview class: use or communication 1" in line  # Boston


def test_the_headline_note_says_what_is_known_of_the_requests(model: Model) -> None:
    cards = panels.headline_cards(model, view_facts(model, view(model.catalog, as_of="2020-03")))
    note = _text(cards[-1])
    assert "342 municipalities are not known to have been asked yet" in note
    assert "February 2020 and April 2020" in note


def test_the_sheriffs_association_is_not_a_state_agency(model: Model) -> None:
    panel = panels.town_panel(model, view_facts(model, view(model.catalog, agency="mass_sheriffs_association")))
    text = _text(panel)
    assert "state agency" not in text and "whole state" not in text
    assert "Named on the records page “MA Sheriff's Association”" in text
    assert "gives no area" in text


def test_the_town_panel_counts_the_agencies_reaching_it_with_every_record(model: Model) -> None:
    # Boston (Suffolk County, no sheriff record): the statewide agencies with records in the index are the State
    # Police, the three executive offices, DCJIS and DOT (whose only record, 380 documents, is about no vendor).
    text = _text(panels.town_panel(model, view_facts(model, view(model.catalog, town=BOSTON))))
    assert "The records of 6 state or county agencies reach Boston." in text
    assert "Massachusetts Department of Transportation (DOT): 1 record, 380 documents." in text
    assert "Sheriffs' Association" not in text
    # Dedham, Norfolk County: its sheriff too.
    dedham = int(model.towns.index[model.towns["town"].eq("Dedham")][0])
    text = _text(panels.town_panel(model, view_facts(model, view(model.catalog, town=dedham))))
    assert "The records of 7 state or county agencies reach Dedham." in text
    assert "Norfolk County Sheriff's Office" in text


def test_the_leak_warning_sits_beside_the_classes_it_concerns(model: Model) -> None:
    quote = "Leaked data from April 2021 revealed that dozens of police departments"
    assert quote in _text(panels.legend(model, view_facts(model, view(model.catalog))))
    only_use = view_facts(model, view(model.catalog, classes=("use_or_communication",)))
    assert quote not in _text(panels.legend(model, only_use))
    abington = int(model.towns.index[model.towns["town"].eq("Abington")][0])  # no responsive documents
    assert quote in _text(panels.town_panel(model, view_facts(model, view(model.catalog, town=abington))))
    assert quote not in _text(panels.town_panel(model, view_facts(model, view(model.catalog, town=BOSTON))))


def test_revere_shows_what_its_schools_record_found(model: Model) -> None:
    revere = int(model.towns.index[model.towns["town"].eq("Revere")][0])
    text = _text(panels.town_panel(model, view_facts(model, view(model.catalog, town=revere))))
    assert "LobbyGuard does not use facial recognition technology" in text


def test_a_vendor_named_only_in_a_title_is_said_so(model: Model) -> None:
    northampton = int(model.towns.index[model.towns["town"].eq("Northampton")][0])
    text = _text(panels.town_panel(model, view_facts(model, view(model.catalog, town=northampton))))
    assert "COPLINK (named only in the record's title)" in text
    hover = unescape(_hover(model, northampton, model.catalog.months[-1]))
    assert "COPLINK (named only in the record's title)" in hover
