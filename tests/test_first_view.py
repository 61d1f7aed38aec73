"""The first view: the whole page of a shared link as server HTML (map, panel, time control, filters), working as
links and a form without any script; Dash loaded at once on a wide screen and only when asked for on a phone."""

from __future__ import annotations

import csv
import gzip
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from browser_wait import wait_until_quiet
from html_check import Page
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from touch import tap

from dashboard import language
from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.model import Model
from dashboard.server import create_app
from dashboard.state.view import default_view, view
from dashboard.views.figure import overlay_traces
from dashboard.views.map_svg import MapPicture
from dashboard.views.styles import FILTERED_OUT_COLOR, NOT_ASKED_COLOR, SELECTED_COLOR
from dashboard.web import ids

TOWNS = 351
#: The classes' fill colors as the data declares them.
CLASS_COLORS = {
    row["class_id"]: row["color"]
    for row in csv.DictReader((DEFAULT_DATA_DIR / "clearview_classes.csv").open(encoding="utf-8"))
}
WAVES = DEFAULT_DATA_DIR / "request_waves.csv"
SVG = re.compile(r'<svg class="first-paint-map".*?</svg>', re.S)


@pytest.fixture(scope="module")
def picture(model: Model) -> MapPicture:
    return MapPicture(model)


@pytest.fixture(scope="module")
def client(model: Model):
    return create_app(model).server.test_client()


def _fills(svg: str) -> Counter:
    """How many town shapes the picture fills with each color (the town shapes are the framed first group's)."""
    towns = ET.fromstring(svg)[0][0]
    return Counter({g.get("fill"): len(list(g.iter("path"))) for g in towns.findall("g")})


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


#: Where plotly writes a text for the horizontal part of its `textposition`, as SVG's text-anchor says it.
PLOTLY_SIDES = {"right": "start", "left": "end", "center": "middle"}


def test_each_name_is_on_the_side_of_its_point_that_plotly_writes_it(picture: MapPicture, model: Model) -> None:
    # The Metro Boston label right of its region, names near the map's sides growing inward: a name centred on its
    # point instead ran over Boston's markers, or out of a phone's map.
    for state in (default_view(model.catalog), view(model.catalog, town=35, lang="pt")):
        wanted: Counter[tuple[str, str]] = Counter()
        with language.speaking(state.lang):
            traces, svg = overlay_traces(model, state), picture.svg(state)
        for trace in traces:
            if trace.get("visible") is False or "text" not in (trace.get("mode") or "") or not trace.get("text"):
                continue
            positions = trace.get("textposition") or "middle center"
            for index, text in enumerate(trace["text"]):
                at = positions if isinstance(positions, str) else positions[index]
                wanted[(str(text).replace("<br>", " "), PLOTLY_SIDES[at.split()[-1]])] += 1
        drawn = Counter(
            (" ".join(t.itertext()), t.get("text-anchor"))
            for t in ET.fromstring(svg).iter("text")
            if " ".join(t.itertext()) in {text for text, _ in wanted}
        )
        assert drawn == wanted
        assert any(side == "start" and "UASI" in text for text, side in drawn), drawn


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
    holder = page[page.index('<form id="first-paint"') : page.index('<div class="dash-scripts">')]
    assert ('class="page present"' in holder) == (path == "/?present=1")
    # Nothing inline to run: the page's Content-Security-Policy allows no inline script; the blocks are data.
    for attributes in re.findall(r"<script([^>]*)>", page):
        assert "src=" in attributes or re.search(
            r'type="(application/json|application/ld\+json|text/plain)"', attributes
        ), attributes


def test_a_garbage_query_draws_the_default_view(client) -> None:
    default = SVG.search(_page(client, "/")).group(0)
    garbage = _page(client, "/?town=abc&date=99999&classes=%ff%fe&present=yes&extent=%00&" + "x=1&" * 50)
    assert SVG.search(garbage).group(0) == default
    assert 'class="present"' not in garbage


def test_the_town_view_differs_from_the_default(client) -> None:
    assert SVG.search(_page(client, "/?town=35")).group(0) != SVG.search(_page(client, "/")).group(0)


def _slugs(file: str, key: str) -> dict[str, str]:
    """The URL slugs of a data file's rows, by the row's id (as the data declares them)."""
    return {row[key]: row["slug"] for row in csv.DictReader((DEFAULT_DATA_DIR / file).open(encoding="utf-8"))}


def _town_id(model: Model, name: str) -> int:
    return int(model.towns.index[model.towns["town"] == name][0])


def test_a_shared_link_is_readable_in_the_first_html(client, model: Model) -> None:
    body = _page(client, "/?town=35&date=2020-06&vendors=briefcam")
    page = Page(body[body.index('<form id="first-paint"') : body.index('<div class="dash-scripts">')])
    assert page.errors == [] and page.open == []  # well formed: every element closed where it should be
    text = " ".join(page.text)
    assert "June 2020" in text  # the time control's month, in words
    panel = body[body.index(f'id="{ids.PANEL}"') :][:3000]
    assert re.search(r"<h\d[^>]*>Boston</h\d>", panel)  # the town panel, filled by the server
    ticked = [a["value"] for a in page.all("input") if a.get("name") == ids.VENDORS and "checked" in a]
    assert ticked == ["Briefcam"]  # the vendor filter as the link says
    selected = [a.get("value") for a in page.all("option") if "selected" in a]
    assert str(model.catalog.months.index("2020-06")) in selected  # the month select at June 2020


def test_every_town_is_a_link_to_its_view(client, model: Model) -> None:
    page = _page(client, "/?date=2020-06")
    found = re.findall(r'<a href="([^"]*)" data-town="(\d+)" data-view=""><title>([^<]*)</title>', page)
    links = {int(town): (href, name) for href, town, name in found}
    assert len(found) == len(links) == TOWNS
    worcester = _town_id(model, "Worcester")
    assert links[worcester] == (f"/?date=2020-06&amp;town={worcester}", "Worcester")


def test_the_month_steps_and_events_are_links(client) -> None:
    page = _page(client, "/?date=2020-06")
    back = re.search(rf'<a [^>]*id="{ids.DATE_BACK}"[^>]*>', page)
    forward = re.search(rf'<a [^>]*id="{ids.DATE_FORWARD}"[^>]*>', page)
    assert back and 'href="/?date=2020-05"' in back.group(0) and 'data-step="previous"' in back.group(0)
    assert forward and 'href="/?date=2020-07"' in forward.group(0) and 'data-step="next"' in forward.group(0)
    # The latest month has no next month: the step is shown, disabled, and is no link.
    latest = _page(client, "/")
    assert re.search(rf'<span [^>]*id="{ids.DATE_FORWARD}"[^>]*aria-disabled="true"', latest)
    assert not re.search(rf'<a [^>]*id="{ids.DATE_FORWARD}"', latest)


def test_the_form_answers_with_the_views_address(client, model: Model) -> None:
    classes = _slugs("clearview_classes.csv", "class_id")
    june = model.catalog.months.index("2020-06")
    answer = client.get(
        f"/?view=1&{ids.CLASSES}=use_or_communication&{ids.CLASSES}=solicitation_only&{ids.DATE}={june}"
        f"&{ids.VENDORS}=Briefcam&{ids.LAYERS}=policy&{ids.TOWN_SEARCH}=35"
        + "".join(f"&{ids.WAVES}={row['month']}" for row in csv.DictReader(WAVES.open(encoding="utf-8")))
    )
    assert answer.status_code == 303
    location = answer.headers["Location"]
    expected = (
        f"classes={classes['use_or_communication']},{classes['solicitation_only']}&date=2020-06&vendors=briefcam"
        "&uasi=0&town=35"
    )
    assert location.endswith("/?" + expected), location
    # A form with nothing ticked is a view of nothing, not the default; a garbage form is still an address.
    assert "classes=none" in client.get("/?view=1").headers["Location"]
    garbage = client.get(f"/?view=1&{ids.DATE}=abc&{ids.TOWN_SEARCH}=%00&{ids.CLASSES}=<x>")
    assert garbage.status_code == 303 and _page(client, garbage.headers["Location"].split("localhost", 1)[-1])


def test_the_first_html_does_not_carry_the_figure(client) -> None:
    page = _page(client, "/")
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page, re.S)
    assert config is not None and "validation_layout" not in config.group(1)
    assert '"geojson"' not in page and "choropleth" not in page  # the geometry comes once, with Dash's layout


def test_a_views_parts_are_what_its_page_shows(client, model: Model) -> None:
    """boot.js moves between views with these parts: each must be the part of that view's own page."""
    answer = client.get("/_view?date=2020-06&town=35")
    assert answer.status_code == 200 and "public" in answer.headers["Cache-Control"]
    view = answer.get_json()
    assert view["url"] == "/?date=2020-06&town=35" and view["extent"] == "state"
    page = _page(client, view["url"])
    for part, html in view["parts"].items():
        assert html in page, part
    svg = SVG.search(page).group(0)
    assert Counter(view["fills"].values()) == _fills(svg)
    assert view["town_href"].replace("town=-1", "town=348") == "/?date=2020-06&town=348"
    # A sent form's fields answer with the view they name, and its address.
    form = client.get(f"/_view?view=1&{ids.CLASSES}=use_or_communication&{ids.DATE}=0").get_json()
    assert form["url"].startswith("/?classes=use&") and f"date={model.catalog.months[0]}" in form["url"]
    assert set(form["fills"].values()) <= {CLASS_COLORS["use_or_communication"], FILTERED_OUT_COLOR, NOT_ASKED_COLOR}


def test_the_browser_paints_the_first_view_only_once_it_has_it_whole(client) -> None:
    """A phone orders the page its own way: a half-read page would paint parts that the rest then pushes down (a
    layout shift of 0.4-0.8 measured with Lighthouse). The head holds rendering until the first view's end is read."""
    page = _page(client, "/?town=35")
    head = page[: page.index("</head>")]
    expect = re.search(r'<link rel="expect" href="#([\w-]+)" blocking="render">', head)
    assert expect is not None
    end = page.index(f'id="{expect.group(1)}"')
    assert page.index('<form id="first-paint"') < page.index('id="image-form"') < end
    assert page.index('<div class="dash-scripts">') > end


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


# --- on a phone, and without script ----------------------------------------------------------------------------------

RESOURCES = "return performance.getEntriesByType('resource').map(e => e.name)"


def _panel_names(driver, name: str) -> bool:
    panel = driver.execute_script(f"const p = document.getElementById('{ids.PANEL}'); return p ? p.innerText : '';")
    return name in panel


def test_a_phone_gets_the_view_without_dash_and_moves_without_reloading(dash_duo, model: Model) -> None:
    driver = dash_duo.driver
    dash_duo.as_phone()
    driver.get(dash_duo.server_url + "/?town=35")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    wait_until_quiet(dash_duo, 1.0)
    assert not any("dash_renderer" in name or "plotly" in name for name in driver.execute_script(RESOURCES))
    assert driver.execute_script("return document.querySelector('#react-entry-point.taken')") is None
    # The first screen holds the search, the map and the chosen town named.
    first_screen = """return ['.town-search-box', '.map-box', '#town-panel h2'].map(s => {
        const box = document.querySelector('#first-paint ' + s).getBoundingClientRect();
        return box.top >= 0 && box.top < innerHeight; });"""
    assert driver.execute_script(first_screen) == [True, True, True]
    driver.execute_script("window.__sameDocument = true;")
    cambridge = _town_id(model, "Cambridge")  # in the map framed on Boston
    tap(driver, f'#first-paint svg a[data-town="{cambridge}"]')
    WebDriverWait(driver, 10).until(lambda d: _panel_names(d, "Cambridge"))
    assert driver.current_url.endswith(f"/?town={cambridge}")
    assert driver.execute_script("return window.__sameDocument === true")  # swapped in, not reloaded
    # Unticking a class takes its towns off the map, without a reload.
    using = f"#first-paint svg a[fill='{CLASS_COLORS['use_or_communication']}']"
    assert driver.find_elements(By.CSS_SELECTOR, using)
    box = driver.find_element(
        By.CSS_SELECTOR, f"#first-paint input[name='{ids.CLASSES}'][value='use_or_communication']"
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.click()  # a real click: the history entry it adds counts as the visitor's (the back button stops at it)
    WebDriverWait(driver, 10).until(lambda d: "classes=" in d.current_url)
    assert not driver.find_elements(By.CSS_SELECTOR, using)
    assert driver.execute_script("return window.__sameDocument === true")
    driver.back()
    driver.back()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/?town=35") and _panel_names(d, "Boston"))
    # Asked for, the interactive map loads and takes over the same view.
    driver.find_element(By.CSS_SELECTOR, "#first-paint .map-box .boot-dash").click()
    drawn = "return document.querySelectorAll('#map path.choroplethlocation').length"
    try:
        WebDriverWait(driver, 60).until(lambda d: d.execute_script(drawn) == TOWNS)
    except TimeoutException:  # say where the page was, for a failure seen once under load
        state = "return [location.href, document.documentElement.className, !!window.DashRenderer, !!window.store]"
        raise AssertionError(f"no interactive map: {driver.execute_script(state)} {dash_duo.get_logs()}") from None
    assert driver.execute_script("return document.getElementById('first-paint')") is None
    assert _panel_names(driver, "Boston") and driver.current_url.endswith("/?town=35")
    assert dash_duo.get_logs() == []


def test_a_phones_first_time_control_keeps_no_place_for_what_it_cannot_do_yet(dash_duo) -> None:
    # Speeds and Play need the interactive map, which a phone loads only when asked: no blank band for them.
    dash_duo.as_phone()
    dash_duo.driver.get(dash_duo.server_url + "/?date=2019-06&lang=es")
    boxes = dash_duo.driver.execute_script(
        f"""const control = document.querySelector('#first-paint #{ids.TIME_CONTROL}');
        const select = control.querySelector('select').getBoundingClientRect();
        const style = (s) => getComputedStyle(control.querySelector(s)).display;
        return [control.getBoundingClientRect().bottom - select.bottom, style('.time-speed'), style('.play')];"""
    )
    below, speed, play = boxes
    assert below < 30 and speed == play == "none", boxes  # the box's padding and margin only


def test_without_script_a_shared_link_reads_and_its_links_and_form_work(dash_duo, model: Model) -> None:
    driver = dash_duo.driver
    dash_duo.without_script()
    driver.get(dash_duo.server_url + "/?town=35&date=2020-06&vendors=briefcam")
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "June 2020" in body and _panel_names(driver, "Boston")
    assert driver.find_element(
        By.CSS_SELECTOR, f"#first-paint input[name='{ids.VENDORS}'][value='Briefcam']"
    ).is_selected()
    # Following a town's link opens that town's view.
    springfield = _town_id(model, "Springfield")
    link = driver.find_element(By.CSS_SELECTOR, f"#first-paint svg a[data-town='{springfield}']")
    driver.get(dash_duo.server_url + link.get_dom_attribute("href"))
    assert _panel_names(driver, "Springfield")
    # A month step is a link; the form, sent by its button, opens the view it names.
    driver.find_element(By.CSS_SELECTOR, f"#first-paint a#{ids.DATE_BACK}").click()
    WebDriverWait(driver, 10).until(lambda d: "date=2020-05" in d.current_url)
    assert "May 2020" in driver.find_element(By.ID, ids.DATE_LABEL).text
    box = driver.find_element(By.CSS_SELECTOR, f"#first-paint input[name='{ids.VENDORS}'][value='Lan-Tel']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.click()
    button = driver.find_element(By.CSS_SELECTOR, "#first-paint .show-view")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    before = driver.current_url
    button.click()
    # The month's address already names a vendor: wait for the form's own answer, not for any address.
    WebDriverWait(driver, 10).until(lambda d: d.current_url != before and "view=1" not in d.current_url)
    assert "lan-tel" in driver.current_url and "briefcam" in driver.current_url
    assert _panel_names(driver, "Springfield")
