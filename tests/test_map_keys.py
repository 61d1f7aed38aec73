"""The map's lines cannot be confused: every two differ in color, in dash pattern and in grayscale; the page's keys
draw each line as the map does; a class the filter hides says it is hidden, never "0"."""

from __future__ import annotations

import itertools
from urllib.parse import unquote

import pytest
from dash import html

from dashboard.data.model import Model
from dashboard.state.view import view
from dashboard.state.view_facts import view_facts
from dashboard.views import wording as w
from dashboard.views.figure import build_figure, overlay_traces
from dashboard.views.panels import legend, overlay_keys

#: Two lines' grays must differ by at least this much (0 black, 1 white): about 20 of 255 levels.
GRAY_STEP = 0.08


def _gray(color: str) -> float:
    """Rec. 601 luma, as a grayscale print or a grayscale conversion computes it."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def _lines(model: Model) -> dict[str, dict]:
    """Every line trace's style in a view that draws nearly all: reach, region, policies and a selected town (the
    county reach's trace is there, empty, when no sheriff's record holds documents)."""
    state = view(model.catalog, vendors=model.catalog.vendor_names, town=281)
    return {
        t.name: t.line.to_plotly_json()
        for t in build_figure(model, state).data
        if t.type == "scattergeo" and t.mode == "lines"
    }


def test_the_view_draws_seven_kinds_of_line(model: Model) -> None:
    names = set(_lines(model))
    kinds = {k.label for k in model.catalog.policy_kinds if k.scope == "municipal"}
    assert names == {"county reach", "statewide reach", "Metro Boston UASI region", "selected town"} | kinds


def test_every_two_lines_differ_in_color_pattern_and_gray(model: Model) -> None:
    lines = _lines(model)
    for (a, la), (b, lb) in itertools.combinations(lines.items(), 2):
        assert la["color"].lower() != lb["color"].lower(), (a, b)
        assert la.get("dash", "solid") != lb.get("dash", "solid"), (a, b)
        assert abs(_gray(la["color"]) - _gray(lb["color"])) >= GRAY_STEP, (a, b, _gray(la["color"]), _gray(lb["color"]))


def test_the_region_and_the_moratorium_are_no_longer_two_dashed_greens(model: Model) -> None:
    lines = _lines(model)
    region, moratorium = lines["Metro Boston UASI region"], lines["Face-surveillance moratorium"]
    r, g, b = (int(region["color"][i : i + 2], 16) for i in (1, 3, 5))
    assert b > g  # the region is blue now, the bans and moratorium green
    assert abs(_gray(region["color"]) - _gray(moratorium["color"])) >= 0.1


def _key_images(children: list) -> list[str]:
    found = []

    def walk(node: object) -> None:
        if isinstance(node, html.Img):
            found.append(unquote(node.src))
        for child in getattr(node, "children", None) or [] if not isinstance(node, str) else []:
            walk(child)
        if isinstance(node, list):
            for child in node:
                walk(child)

    walk(children)
    return found


def test_the_page_keys_draw_each_line_in_its_map_color_and_pattern(model: Model) -> None:
    state = view(model.catalog, vendors=model.catalog.vendor_names, town=281)
    traces = overlay_traces(model, state)
    keys = _key_images(overlay_keys(model, view_facts(model, state), traces))
    drawn = {t["name"] for t in traces if t.get("mode") == "lines" and t.get("visible") is not False and t["lon"]}
    lines = {name: line for name, line in _lines(model).items() if name in drawn}
    assert len(keys) == len(lines) >= 6
    for line in lines.values():
        assert any(f'stroke="{line["color"]}"' in key for key in keys), line
    patterns = [key.split('stroke-dasharray="')[1].split('"')[0] if "dasharray" in key else "" for key in keys]
    assert len(set(patterns)) == len(patterns)  # solid once, every other pattern once


@pytest.mark.parametrize("hidden", ["no_response", "use_or_communication"])
def test_a_hidden_class_reads_as_hidden_never_zero(model: Model, hidden: str) -> None:
    shown = tuple(c for c in model.catalog.class_ids if c != hidden)
    facts_ = view_facts(model, view(model.catalog, classes=shown))
    rows = [node for node in legend(model, facts_) if isinstance(node, html.Ul)][0].children
    label = model.catalog.labels[hidden]
    row = next(r for r in rows if r.children[1].children == label)
    assert row.children[2].children == w.HIDDEN_CLASS == "hidden: tick to show"
    others = [r for r in rows if r is not row and r.children[1].children in {model.catalog.labels[c] for c in shown}]
    assert all(r.children[2].children.isdigit() for r in others)
