"""Dash components written out as plain HTML (web/static_html.py): the DOM React would make, forms for controls."""

from __future__ import annotations

from dash import dcc, html

from dashboard.views.markup import attrs
from dashboard.web.static_html import render, style_text


def test_html_components_keep_their_tags_ids_classes_and_aria() -> None:
    tree = html.Div(
        [html.H2("Boston & Co.", className="title"), html.Br(), html.A("records", href="/town/boston?x=1&y=2")],
        id="panel",
        className="panel",
        **attrs(aria_live="polite", data_month="2020-06"),
    )
    assert render(tree) == (
        '<div id="panel" class="panel" aria-live="polite" data-month="2020-06">'
        '<h2 class="title">Boston &amp; Co.</h2><br><a href="/town/boston?x=1&amp;y=2">records</a></div>'
    )


def test_text_and_attributes_are_escaped() -> None:
    assert render(html.P('<script>"x"</script>', title='"><img src=x>')) == (
        '<p title="&quot;&gt;&lt;img src=x&gt;">&lt;script&gt;&quot;x&quot;&lt;/script&gt;</p>'
    )


def test_styles_are_css_and_browser_only_props_are_left_out() -> None:
    assert (
        style_text({"backgroundColor": "#fff", "borderTopColor": "red"})
        == "background-color: #fff; border-top-color: red"
    )
    button = html.Button("Go", id="go", n_clicks=3, style={"marginTop": "4px"}, type="button")
    assert render(button) == '<button id="go" style="margin-top: 4px" type="button">Go</button>'
    # A pattern-matching id is Dash's only: no id attribute.
    assert render(html.Button("x", id={"type": "item", "index": 2})) == "<button>x</button>"


def test_a_checklist_becomes_named_checkboxes_ticked_as_the_control_is() -> None:
    checklist = dcc.Checklist(
        id="filter-classes",
        options=[{"label": html.Span("Use"), "value": "use"}, {"label": "No records", "value": "none"}],
        value=["none"],
        className="checklist",
    )
    assert render(checklist) == (
        '<div id="filter-classes" class="checklist">'
        '<label><input type="checkbox" name="filter-classes" value="use"><span>Use</span></label>'
        '<label><input type="checkbox" name="filter-classes" value="none" checked>No records</label></div>'
    )


def test_a_dropdown_becomes_a_select_and_data_components_nothing() -> None:
    dropdown = dcc.Dropdown(id="pick", options=[{"label": "A & B", "value": "a"}, "b"], value="b", placeholder="Pick")
    assert render(dropdown) == (
        '<select id="pick" name="pick"><option value="">Pick</option><option value="a">A &amp; B</option>'
        '<option value="b" selected>b</option></select>'
    )
    assert render([dcc.Store(id="s", data={"x": 1}), dcc.Interval(id="i"), dcc.Location(id="u")]) == ""


def test_an_override_replaces_a_component_by_id() -> None:
    tree = html.Div([html.Span("keep"), html.Div("old", id="slot")])
    drawn = render(tree, lambda c: "<svg></svg>" if getattr(c, "id", None) == "slot" else None)
    assert drawn == "<div><span>keep</span><svg></svg></div>"
