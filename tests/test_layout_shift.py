"""The page is laid out for the view of its address from the start: opening a shared link shifts no layout."""

from __future__ import annotations

import json

import pytest
from browser_wait import wait_until_quiet
from dash._utils import to_json
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.data.model import Model
from dashboard.server import create_app
from dashboard.state.view import choices_of, default_view, view
from dashboard.views.figure import build_figure
from dashboard.views.records import all_rows
from dashboard.web import ids
from dashboard.web.layout import PageLayout, view_figure, view_of_referer


@pytest.fixture(scope="module")
def choices(model: Model):
    return choices_of(model.catalog, model.towns.index, model.agencies.index)


@pytest.fixture(scope="module")
def pages(model: Model) -> PageLayout:
    return PageLayout(model, all_rows(model), "/assets/topojson/")


@pytest.fixture(scope="module")
def client(model: Model):
    return create_app(model).server.test_client()


# --- the view read from the Referer --------------------------------------------------------------------------------


def test_the_referer_names_the_view(model: Model, choices) -> None:
    catalog = model.catalog
    assert view_of_referer("https://example.org/?town=35&extent=metro", choices) == view(
        catalog, town=35, extent="metro"
    )
    assert view_of_referer("http://127.0.0.1:8050/?date=2019-12&present=1", choices) == view(
        catalog, as_of="2019-12", present=True
    )


@pytest.mark.parametrize(
    "referer",
    [None, "", "https://example.org/", "not a url", "http://[::1", "http://x/?town=abc&date=99999&" + "y=1&" * 60, 42],
)
def test_no_usable_referer_gives_the_default_view(model: Model, choices, referer: object) -> None:
    assert view_of_referer(referer, choices) == default_view(model.catalog)


def test_the_page_never_keeps_a_slide_comparison(model: Model, choices) -> None:
    # `compare` is for slides; the page's controls cannot make it, so a page with it would be one more cached page.
    assert view_of_referer("http://x/?date=2020-06&compare=2019-01", choices) == view(model.catalog, as_of="2020-06")


# --- the page at a view --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"town": 35},
        {"as_of": "2019-12", "extent": "metro"},
        {"classes": ("use_or_communication",), "as_of": "2020-06"},
        {"agency": "msp", "uasi": False, "policy": False, "vendors": ()},
    ],
)
def test_the_view_figure_is_the_figure_of_that_view(model: Model, pages: PageLayout, changes: dict) -> None:
    state = view(model.catalog, **changes)
    made = json.loads(to_json(view_figure(model, pages.base_figure, state)))
    assert made == json.loads(to_json(build_figure(model, state)))


def _find(node: object, component_id: str) -> dict:
    """The serialized component of an id, anywhere in a layout."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("props", {}).get("id") == component_id:
                return item["props"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    raise KeyError(component_id)


def _layout(client, referer: str | None) -> dict:
    response = client.get("/_dash-layout", headers={"Referer": referer} if referer else {})
    assert response.status_code == 200
    assert "Referer" in response.headers["Vary"]
    return json.loads(response.get_data(as_text=True))


def test_the_layout_follows_the_page_asking(client, model: Model) -> None:
    default, town = _layout(client, None), _layout(client, "http://localhost/?town=35&date=2019-12&classes=use")
    assert _find(town, ids.TOWN_SEARCH)["value"] == 35
    assert _find(town, ids.CLASSES)["value"] == ["use_or_communication"]
    assert _find(town, ids.DATE)["value"] == model.catalog.months.index("2019-12")
    assert _find(town, ids.PRESENT_LINK)["href"] == "?classes=use&date=2019-12&town=35&present=1"
    assert _find(town, ids.PANEL) != _find(default, ids.PANEL)
    assert _find(town, ids.HEADLINE) != _find(default, ids.HEADLINE)
    assert _find(default, ids.TOWN_SEARCH)["value"] is None
    assert _find(default, ids.PAGE)["className"] == "page"
    assert _find(_layout(client, "http://localhost/?present=1"), ids.PAGE)["className"] == "page present"


def test_a_garbage_referer_gets_the_default_layout(client) -> None:
    default = _layout(client, None)
    assert _layout(client, "http://localhost/?town=abc&date=99999&classes=%ff%fe&extent=%00") == default
    assert _layout(client, "http://[") == default


def test_a_view_is_made_once(pages: PageLayout, model: Model) -> None:
    state = view(model.catalog, town=35)
    assert pages.for_view(state) is pages.for_view(view(model.catalog, town=35))


# --- in the browser ------------------------------------------------------------------------------------------------

#: Runs before the page's scripts: sums the layout shifts not caused by input, and notes when plotly has drawn.
WATCH = """
(() => {
  const marks = window.__shift = {total: 0, sources: []};
  const check = () => {
    if (document.querySelectorAll('#map path.choroplethlocation').length === 351) { marks.drawn = true; return; }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) { continue; }
      marks.total += entry.value;
      for (const s of entry.sources || []) {
        marks.sources.push(s.node ? (s.node.id || s.node.className || s.node.nodeName) : '?');
      }
    }
  }).observe({type: 'layout-shift', buffered: true});
})();
"""


@pytest.mark.parametrize("path", ["/?town=35", "/?date=2019-12&extent=metro"])
def test_opening_a_shared_view_shifts_no_layout(dash_duo, path: str) -> None:
    dash_duo.open()  # the page once, as a returning reader has it in the browser's cache
    driver = dash_duo.driver
    driver.set_window_size(1280, 800)
    dash_duo.on_new_document(WATCH)
    driver.get(dash_duo.server_url + path)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return (window.__shift || {}).drawn === true;"))
    # The view's own text must be in place, so the test cannot pass on a page that never showed its view.
    shown = "return document.getElementById(arguments[0]).innerText"
    if "town=35" in path:
        WebDriverWait(driver, 10).until(lambda d: "Boston" in d.execute_script(shown, ids.PANEL))
    else:
        WebDriverWait(driver, 10).until(lambda d: "2019" in d.execute_script(shown, ids.DATE_LABEL))
    # The first callbacks' answers and Dash's late scripts (dropdown, slider) land after the map.
    wait_until_quiet(dash_duo, 2.5)
    marks = driver.execute_script("return window.__shift;")
    assert marks["total"] < 0.05, marks["sources"]
    assert dash_duo.get_logs() == []
