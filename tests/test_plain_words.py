"""What the public reads (page, panels, hover, slides, export notes) is in plain words: no code words or file names."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from dash import html

from dashboard.data.model import Model
from dashboard.exports.images import render_image
from dashboard.state.view import view
from dashboard.state.view_facts import view_facts
from dashboard.views.figure import overlay_traces, town_hover
from dashboard.views.panels import agency_panel, overlay_keys, town_panel
from dashboard.views.records import all_rows, display_records
from dashboard.web.layout import build_layout

FORBIDDEN = {
    "an internal file name": re.compile(r"DATA-NOTES|STACK-NOTES|\.csv\b|\.py\b"),
    "a code word": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "a month written as a code (write 'February 2020')": re.compile(r"\b\d{4}-\d{2}\b(?!-\d)"),
    "a date written as a code": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2}\b"),
    "British spelling": re.compile(r"colour|Colour|labelled|neighbour"),
    "an internal note": re.compile(r"\bStyling\b"),
}


def _texts(component: object) -> list[str]:
    """The text of every paragraph-like element, one string each."""
    found: list[str] = []

    def text(c: object) -> str:
        if isinstance(c, str):
            return c
        if isinstance(c, (list, tuple)):
            return "".join(text(x) for x in c)
        children = getattr(c, "children", None)
        return "" if children is None else text(children)

    def walk(c: object) -> None:
        if isinstance(c, (list, tuple)):
            for x in c:
                walk(x)
            return
        if isinstance(c, (html.P, html.Li, html.H1, html.H2, html.H3, html.Summary, html.Td, html.Th, html.Label)):
            found.append(" ".join(text(c).split()))
        children = getattr(c, "children", None)
        if children is not None and not isinstance(children, str):
            walk(children)
        for prop in ("options",):
            for option in getattr(c, prop, None) or []:
                if isinstance(option, dict):
                    found.append(text(option.get("label", "")))

    walk(component)
    return [t for t in found if t]


def _problems(texts: list[str]) -> list[str]:
    problems = []
    for t in texts:
        for what, pattern in FORBIDDEN.items():
            if pattern.search(t):
                problems.append(f"{what}: {t[:140]}")
    return problems


@pytest.fixture(scope="module")
def page_texts(model: Model) -> list[str]:
    texts = _texts(build_layout(model, all_rows(model), "/assets/topojson/"))
    every_vendor = view(model.catalog, vendors=model.catalog.vendor_names, town=35)
    texts += _texts(overlay_keys(model, view_facts(model, every_vendor), overlay_traces(model, every_vendor)))
    for as_of in ("2019-12", model.catalog.months[-1]):  # before the Clearview requests, and every fact known
        for town_id in model.towns.index:
            texts += _texts(town_panel(model, view_facts(model, view(model.catalog, as_of=as_of, town=int(town_id)))))
        for agency_id in model.agencies.index:
            texts += _texts(agency_panel(model, str(agency_id), as_of))
        texts += [re.sub(r"<[^>]+>", " ", h) for h in town_hover(model, as_of)]
    for row in display_records(all_rows(model)):
        texts += [str(row[c]) for c in ("kind", "title", "agency", "reach", "clearview_class", "filed")]
    return texts


def test_the_page_panels_hover_and_table_speak_plain_words(page_texts: list[str]) -> None:
    assert len(page_texts) > 1000
    assert _problems(page_texts) == []


def test_sentences_start_with_a_capital(page_texts: list[str]) -> None:
    # Leading marks (★, a swatch, a quote) are skipped; a figure may open a table cell.
    lower = [t for t in page_texts if re.match(r"^[^A-Za-z0-9]*[a-z]", t)]
    assert lower == []


def test_a_slide_speaks_plain_words(model: Model) -> None:
    svg = render_image(model, view(model.catalog, vendors=model.catalog.vendor_names, town=35), "svg", "wide")
    text = " ".join(ElementTree.fromstring(svg).itertext())
    assert "Use or communication" in text
    assert _problems([text]) == []


def test_the_checker_sees_each_kind_of_problem() -> None:
    # The patterns above catch what they claim to (so a clean result means something).
    samples = ["see DATA-NOTES", "class no_response", "request 2020-02", "published 2/26/21", "coloured", "Styling"]
    assert len(_problems(samples)) == len(samples)
    assert _problems(["February 2020", "2019–2020", "filed 2019-2020", "Manchester-by-the-Sea"]) == []
    assert [t for t in ["the map", "“boston”", "6 (285 documents)"] if re.match(r"^[^A-Za-z0-9]*[a-z]", t)] == [
        "the map",
        "“boston”",
    ]
