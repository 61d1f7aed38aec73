"""The map painted with the first HTML: the view's towns in their colors, before plotly.js, and no layout shift."""

from __future__ import annotations

import csv
import gzip
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from browser_wait import wait_until_quiet
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.model import Model
from dashboard.server import create_app
from dashboard.state.view import default_view, view
from dashboard.views.map_svg import MapPicture
from dashboard.views.styles import FILTERED_OUT_COLOR, NOT_ASKED_COLOR, SELECTED_COLOR
from dashboard.web import ids

TOWNS = 351
#: The classes' fill colors as the data declares them.
CLASS_COLORS = {
    row["class_id"]: row["color"]
    for row in csv.DictReader((DEFAULT_DATA_DIR / "clearview_classes.csv").open(encoding="utf-8"))
}
SVG = re.compile(r'<svg class="first-paint-map".*?</svg>', re.S)


@pytest.fixture(scope="module")
def picture(model: Model) -> MapPicture:
    return MapPicture(model)


@pytest.fixture(scope="module")
def client(model: Model):
    return create_app(model).server.test_client()


def _fills(svg: str) -> Counter:
    """How many town shapes the picture fills with each color (the town shapes are the first group's)."""
    root = ET.fromstring(svg)
    towns = root[0]
    return Counter({g.get("fill"): len(g.findall("path")) for g in towns.findall("g")})


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_default_view_fills_every_town_with_its_class_color(picture: MapPicture, model: Model) -> None:
    expected = Counter(CLASS_COLORS[status] for status in model.towns["clearview_status"])
    fills = _fills(picture.svg(default_view(model.catalog)))
    assert fills == expected
    assert sum(fills.values()) == TOWNS


def test_filtered_view_leaves_other_towns_white(picture: MapPicture, model: Model) -> None:
    using = int(model.towns["clearview_status"].eq("use_or_communication").sum())
    state = view(model.catalog, classes=("use_or_communication",))
    assert _fills(picture.svg(state)) == {
        CLASS_COLORS["use_or_communication"]: using,
        FILTERED_OUT_COLOR: TOWNS - using,
    }


def test_before_the_requests_every_town_is_not_yet_asked(picture: MapPicture, model: Model) -> None:
    # Every Clearview request was filed in 2020: as of December 2019 none had been asked.
    assert _fills(picture.svg(view(model.catalog, as_of="2019-12"))) == {NOT_ASKED_COLOR: TOWNS}


def test_the_label_says_what_the_colors_mean(picture: MapPicture, model: Model) -> None:
    label = picture.label(view(model.catalog, as_of="2019-12"))
    assert f"{TOWNS} not known to have been asked yet" in label and "Clearview AI" in label


def test_the_picture_is_small(picture: MapPicture, model: Model) -> None:
    svg = picture.svg(default_view(model.catalog))
    assert len(gzip.compress(svg.encode())) <= 25 * 1024
    # Whole units only: no long decimals in the path data.
    assert not re.search(r"\d\.\d", " ".join(re.findall(r' d="([^"]*)"', svg)))


def test_the_selected_town_is_outlined(picture: MapPicture, model: Model) -> None:
    assert SELECTED_COLOR not in picture.svg(default_view(model.catalog))
    assert f'stroke="{SELECTED_COLOR}"' in picture.svg(view(model.catalog, town=35))


def test_the_metro_view_leaves_out_towns_outside_its_frame(picture: MapPicture, model: Model) -> None:
    drawn = sum(_fills(picture.svg(view(model.catalog, extent="metro"))).values())
    assert 9 <= drawn < TOWNS  # the nine UASI members at least, far from the whole state


@pytest.mark.parametrize("path", ["/", "/?town=35", "/?present=1"])
def test_the_first_html_holds_the_map(client, model: Model, path: str) -> None:
    page = _page(client, path)
    svg = SVG.search(page)
    assert svg is not None
    assert sum(_fills(svg.group(0)).values()) == TOWNS
    assert ('id="react-entry-point" class="present"' in page) == (path == "/?present=1")
    # Nothing inline to run: the page's Content-Security-Policy allows only Dash's own inline script.
    holder = page[page.index('<div id="first-paint"') : page.index('<div class="dash-scripts">')]
    assert "<script" not in holder


def test_a_garbage_query_draws_the_default_view(client) -> None:
    default = SVG.search(_page(client, "/")).group(0)
    garbage = _page(client, "/?town=abc&date=99999&classes=%ff%fe&present=yes&extent=%00&" + "x=1&" * 50)
    assert SVG.search(garbage).group(0) == default
    assert 'class="present"' not in garbage


def test_the_town_view_differs_from_the_default(client) -> None:
    assert SVG.search(_page(client, "/?town=35")).group(0) != SVG.search(_page(client, "/")).group(0)


# --- in the browser ------------------------------------------------------------------------------------------------

#: Runs before the page's scripts: when a visible server-drawn picture and plotly's towns first show, and the layout
#: shifts (PerformanceObserver).
WATCH = """
(() => {
  const marks = window.__firstPaint = {shift: 0};
  const check = () => {
    const now = performance.now();
    const svg = document.querySelector('svg.first-paint-map');
    if (marks.picture === undefined && svg) {
      const box = svg.getBoundingClientRect();
      if (box.width > 100 && getComputedStyle(svg).visibility === 'visible') { marks.picture = now; }
    }
    if (document.querySelectorAll('#map path.choroplethlocation').length === 351) { marks.drawn = now; return; }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) { if (!entry.hadRecentInput) { marks.shift += entry.value; } }
  }).observe({type: 'layout-shift', buffered: true});
})();
"""
SLOT = f"#{ids.FIRST_PAINT_SLOT}"


def _open(dash_duo, path: str, blocked: tuple[str, ...] = ()) -> None:
    dash_duo.open()  # the page once, as a returning reader has it in the browser's cache
    dash_duo.on_new_document(WATCH)
    if blocked:
        dash_duo.block_urls(blocked)
    dash_duo.driver.get(dash_duo.server_url + path)


def _marks(dash_duo) -> dict:
    return dash_duo.driver.execute_script("return window.__firstPaint || {};")


def test_the_picture_shows_in_the_map_box_until_plotly_draws(dash_duo) -> None:
    # Without plotly.js the page still renders; the picture must then fill the map box, where the graph draws.
    _open(dash_duo, "/", blocked=("*plotly*",))
    script = f"""const slot = document.querySelector('{SLOT}'), svg = slot && slot.querySelector('svg');
        if (!svg) return null;
        const a = svg.getBoundingClientRect(), b = slot.closest('.map-box').getBoundingClientRect();
        return {{paths: svg.querySelectorAll('path').length, shown: getComputedStyle(slot).display !== 'none',
                 holder: document.getElementById('first-paint') !== null,
                 box: [a.left, a.top, a.width, a.height].map(Math.round),
                 mapBox: [b.left, b.top, b.width, b.height].map(Math.round)}};"""
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.execute_script(script))
    state = dash_duo.driver.execute_script(script)
    assert state["paths"] >= TOWNS and state["shown"] and not state["holder"]
    assert state["box"] == state["mapBox"] and state["box"][2] > 300  # the graph's area: the map box, whole


def test_the_picture_comes_first_and_goes_once_plotly_has_drawn(dash_duo) -> None:
    _open(dash_duo, "/")
    WebDriverWait(dash_duo.driver, 30).until(lambda _: "drawn" in _marks(dash_duo))
    marks = _marks(dash_duo)
    assert marks["picture"] < marks["drawn"]
    hidden = f"return getComputedStyle(document.querySelector('{SLOT}')).display === 'none'"
    assert dash_duo.driver.execute_script(hidden)
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize("path", ["/?present=1", "/"])
def test_loading_shifts_no_layout(dash_duo, path: str) -> None:
    _open(dash_duo, path)
    WebDriverWait(dash_duo.driver, 30).until(lambda _: "drawn" in _marks(dash_duo))
    wait_until_quiet(dash_duo, 1.5)  # the first callbacks' text lands after the map
    assert _marks(dash_duo)["shift"] < 0.05
    assert dash_duo.get_logs() == []
