"""Text around the map: hover, legend, statewide box and town panel, as pure functions of the model."""

from __future__ import annotations

import dataclasses

from dash import html

from dashboard.figure import town_hover
from dashboard.filters import ViewState
from dashboard.model import Model
from dashboard.panels import legend, reach, totals, town_panel


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
    hover = dict(zip(model.towns.index, town_hover(model)))[35]
    assert "<b>Boston</b> · Suffolk County" in hover
    assert "Population (2010): 617,594" in hover
    assert "Use or communication (listed as “Boston PD”)" in hover
    assert "Briefcam: Briefcam at the City of Boston (2019) (7 documents)" in hover
    assert "Lan-Tel: Lantel at the Boston Office of Emergency Management (266 documents)" in hover


def test_hover_escapes_markup_from_data(model: Model) -> None:
    towns = model.towns.copy()
    towns.loc[35, "town"] = "<img src=x onerror=alert(1)>"
    hover = town_hover(dataclasses.replace(model, towns=towns))[list(towns.index).index(35)]
    assert "<img" not in hover and "&lt;img src=x onerror=alert(1)&gt;" in hover


def test_oxford_panel_shows_the_conflicting_listing_and_links_its_source(model: Model) -> None:
    panel = town_panel(model, 226, ViewState())
    text = _text(panel)
    assert "Listed as “Oxford PD” under Use or communication, request 2020-04 — counted." in text
    assert "Listed as “Town Of Oxford” under No responsive documents — conflicting listing, not counted" in text
    hrefs = {a.href for a in _links(panel)}
    assert "https://data.aclum.org/public-records/frt-ma/private-companies/" in hrefs


def test_panel_links_a_records_own_page_where_one_is_verified(model: Model) -> None:
    panel = town_panel(model, 322, ViewState())  # West Bridgewater
    hrefs = {a.href for a in _links(panel)}
    assert (
        "https://data.aclum.org/public-records/frt-ma/private-companies/clearview_ai/"
        "clearview-ai-at-the-west-bridgewater-pd/" in hrefs
    )
    assert "(11 documents)" in _text(panel)


def test_reach_table_keeps_statewide_agencies_apart_from_towns(model: Model) -> None:
    text = _text(reach(model, ViewState(vendors=("COPLINK", "DataWorks"))))
    assert "COPLINK 2 (9 documents) Northampton 28,549 Massachusetts State Police" in text
    assert "DataWorks 1 (7 documents) — — Executive Office of Public Safety and Security" in text
    assert "No records" not in text
    assert reach(model, ViewState(vendors=())) == []


def test_legend_and_totals_follow_the_filters(model: Model) -> None:
    text = _text(legend(model, ViewState(classes=("use_or_communication",))))
    assert "Outside the filters 333" in text
    assert "Showing 18 of 351" in totals(model, ViewState(classes=("use_or_communication",)))
