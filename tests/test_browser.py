"""The real Dash server in headless Chromium: the page, filters, town panel and shareable URLs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from browser_wait import wait_until_quiet, wait_until_still
from plotly.offline import get_plotlyjs_version
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.model import Model, build_model
from dashboard.server import create_app
from dashboard.views import wording as w
from dashboard.views.styles import NOT_ASKED_COLOR
from dashboard.web import ids

#: The classes' fill colors, as declared in the data (the page must draw what the data says).
CLASS_COLORS = {
    row["class_id"]: row["color"]
    for row in csv.DictReader((DEFAULT_DATA_DIR / "clearview_classes.csv").open(encoding="utf-8"))
}
CLASS_LABELS = [
    row["label"] for row in csv.DictReader((DEFAULT_DATA_DIR / "clearview_classes.csv").open(encoding="utf-8"))
]
SHAPES = f"#{ids.MAP} path.choroplethlocation"
#: A choice in an open dropdown (assets/a11y.js takes Dash's role="option" off it: it holds a radio button).
OPTION = "//label[contains(@class, 'dash-dropdown-option')]"


def _legend(dash_duo) -> dict[str, str]:
    """Legend label -> count as shown."""
    pairs = dash_duo.driver.execute_script(
        f"return Array.from(document.querySelectorAll('#{ids.LEGEND} .legend-item'))"
        ".map(i => [i.querySelector('.label').textContent, i.querySelector('.count').textContent])"
    )
    return dict(pairs)


def _fills(dash_duo) -> list[str]:
    """The fill of every town shape, read in one go (the map redraws while filters apply)."""
    return dash_duo.driver.execute_script(
        f"return Array.from(document.querySelectorAll('{SHAPES}')).map(p => p.getAttribute('fill'))"
    )


def _count_fill(dash_duo, hex_color: str) -> int:
    return sum(_rgb(hex_color) == fill for fill in _fills(dash_duo))


def _until(dash_duo, predicate, timeout: float = 10) -> None:
    WebDriverWait(dash_duo.driver, timeout).until(lambda _: predicate())


def _rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


#: What `_wait_for_map` reads in one go: the town shapes' fills, the legend's swatch colors, whether Dash is still
#: busy (a component marked loading, or callbacks requested, running or waiting in the renderer's store) and the totals.
_MAP_STATE = """
const [shapes, swatches, totals] = arguments;
const store = window.store && window.store.getState();
const queued = store ? Object.entries(store.callbacks || {})
    .filter(([stage, list]) => stage !== 'stored' && stage !== 'completed' && Array.isArray(list))
    .reduce((n, [, list]) => n + list.length, 0) : 1;
const loading = document.querySelector('[data-dash-is-loading="true"]') !== null;
const box = document.querySelector(totals);
return {
  fills: Array.from(document.querySelectorAll(shapes), p => p.getAttribute('fill')),
  swatches: Array.from(document.querySelectorAll(swatches), s => getComputedStyle(s).backgroundColor),
  busy: !store || Boolean(store.isLoading) || queued > 0 || loading,
  totals: box ? box.textContent.trim() : '',
};
"""
_TOWNS = 351


def _map_state(dash_duo) -> dict:
    return dash_duo.driver.execute_script(_MAP_STATE, SHAPES, f"#{ids.LEGEND} .swatch", f"#{ids.TOTALS}")


def _map_problems(state: dict) -> list[str]:
    """Why the map is not yet drawn and settled (empty when it is)."""
    problems = []
    if len(state["fills"]) != _TOWNS:
        problems.append(f"{len(state['fills'])} of {_TOWNS} town shapes drawn")
    # Every town is filled with a color the legend shows (a class, or white for towns outside the filters, whose
    # swatch the legend adds whenever a town is filtered out): none is left unfilled or with another color.
    unexpected = sorted({str(f) for f in state["fills"]} - set(state["swatches"]))
    if not state["swatches"] or unexpected:
        problems.append(f"fills {unexpected} not among the legend's swatches {state['swatches']}")
    if state["busy"]:
        problems.append("Dash callbacks still pending")
    if not state["totals"]:
        problems.append("no totals text")
    return problems


def _wait_for_map(dash_duo) -> None:
    """Wait until all 351 towns are drawn with legend colors and the page's callbacks have settled.

    Settled: nothing pending in Dash, and the same totals text and fills read twice, 300 ms apart.
    """
    previous: list[dict] = []
    problems: list[str] = []

    def settled(_) -> bool:
        state = _map_state(dash_duo)
        problems[:] = _map_problems(state)
        ready = not problems
        if ready and previous:
            if (state["totals"], state["fills"]) == (previous[0]["totals"], previous[0]["fills"]):
                return True
            problems[:] = ["the totals or fills changed between two reads 300 ms apart"]
        previous[:] = [state] if ready else []
        return False

    try:
        WebDriverWait(dash_duo.driver, 20, poll_frequency=0.3).until(settled)
    except TimeoutException:
        raise AssertionError(f"the map did not settle in 20 s: {'; '.join(problems)}") from None


def test_page_draws_351_towns_without_console_errors(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    assert len(dash_duo.find_elements(SHAPES)) == 351
    assert _legend(dash_duo) == {
        "Use or communication": "18",
        "Solicitation only": "16",
        "No responsive documents": "218",
        "Not listed: no reply published": "99",
    }
    _until(dash_duo, lambda: _count_fill(dash_duo, CLASS_COLORS["use_or_communication"]) == 18)
    assert dash_duo.get_logs() == []


def test_page_load_requests_nothing_from_outside_the_server(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    urls = dash_duo.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert any("topojson/world_110m.json" in u for u in urls)  # plotly's base map came from us
    assert [u for u in urls if not u.startswith(dash_duo.server_url)] == []
    # The map is drawn by plotly.js's geo bundle from our assets: the full bundle (3x its size) is never fetched.
    assert any("/assets/plotly-geo.min.js" in u for u in urls)
    assert not any("plotly.min.js" in u for u in urls)
    assert dash_duo.driver.execute_script("return Plotly.version") == get_plotlyjs_version()


def test_toggling_a_class_changes_counts_colours_and_url(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    pale = CLASS_COLORS["no_response"]
    _until(dash_duo, lambda: _count_fill(dash_duo, pale) == 99)
    checkbox = dash_duo.find_element(f"#{ids.CLASSES} input[value='no_response']")
    checkbox.click()
    _until(dash_duo, lambda: w.FILTERED_OUT in _legend(dash_duo))
    legend = _legend(dash_duo)
    assert legend["Not listed: no reply published"] == w.HIDDEN_CLASS  # hidden, said so: never "0"
    assert legend[w.FILTERED_OUT] == "99"
    dash_duo.wait_for_contains_text(f"#{ids.TOTALS}", "Showing 252 of 351")
    _until(dash_duo, lambda: _count_fill(dash_duo, pale) == 0)
    assert "classes=use,solicitation,no-records" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_choosing_a_town_in_the_search_box_opens_its_records(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    dash_duo.find_element(f"#{ids.TOWN_SEARCH}").click()
    dash_duo.find_element("input.dash-dropdown-search").send_keys("Springfield")
    option = dash_duo.driver.find_element(By.XPATH, f"{OPTION}[normalize-space()='Springfield']")
    option.click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Springfield")
    panel = dash_duo.find_element(f"#{ids.PANEL}").text
    assert "IBM at the Springfield Police Department" in panel
    assert "Facial Recognition at the Springfield PD" in panel
    assert "Not listed: no reply published" in panel
    assert "town=281" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_clicking_a_town_on_the_map_opens_its_panel(dash_duo, model: Model) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    # The centre of the frame falls in central Massachusetts, inside some town.
    graph = dash_duo.find_element(f"#{ids.MAP}")
    ActionChains(dash_duo.driver).move_to_element(graph).click().perform()
    dash_duo.wait_for_element(f"#{ids.PANEL} .panel-title", timeout=10)
    title = dash_duo.find_element(f"#{ids.PANEL} .panel-title").text
    assert title in set(model.towns["town"])
    assert "County" in dash_duo.find_element(f"#{ids.PANEL} .panel-sub").text
    town_id = int(model.towns.index[model.towns["town"] == title][0])
    assert dash_duo.driver.current_url.endswith(f"?town={town_id}")


def test_a_shared_url_restores_the_view(dash_duo) -> None:
    dash_duo.open("/?classes=use&vendors=briefcam&uasi=0&town=35")
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Boston")
    dash_duo.wait_for_text_to_equal(f"#{ids.LEGEND} .legend-item:last-child .count", "333")
    legend = _legend(dash_duo)
    assert legend["Use or communication"] == "18" and legend["Not listed: no reply published"] == w.HIDDEN_CLASS
    checked = [e.get_attribute("value") for e in dash_duo.find_elements(f"#{ids.VENDORS} input:checked")]
    assert checked == ["Briefcam"]
    # The link switched the UASI outline off; the policy layer, added since, is on by default.
    layers = [e.get_attribute("value") for e in dash_duo.find_elements(f"#{ids.LAYERS} input:checked")]
    assert layers == ["policy"]
    _until(dash_duo, lambda: _count_fill(dash_duo, CLASS_COLORS["use_or_communication"]) == 18)
    assert dash_duo.get_logs() == []


def test_a_garbage_query_string_gives_the_default_view(dash_duo) -> None:
    dash_duo.open("/?classes=%3Cscript%3Ealert(1)%3C/script%3E&years=abc&town=-1&%%%")
    dash_duo.wait_for_element(SHAPES, timeout=15)
    dash_duo.wait_for_text_to_equal(f"#{ids.LEGEND} .legend-item:nth-child(4) .count", "99")
    assert len(_legend(dash_duo)) == 4  # nothing outside the filters
    assert dash_duo.find_element(f"#{ids.PANEL} .panel-empty")
    checked = [e.get_attribute("value") for e in dash_duo.find_elements(f"#{ids.CLASSES} input:checked")]
    assert len(checked) == 4
    assert dash_duo.get_logs() == []


def _wait_for_file(folder: str, name: str, timeout: float = 20) -> Path:
    path = Path(folder) / name

    def downloaded(_) -> bool:
        return path.exists() and path.stat().st_size > 0 and not list(Path(folder).glob("*.crdownload"))

    try:
        WebDriverWait(None, timeout, poll_frequency=0.2).until(downloaded)
    except TimeoutException:
        folder_holds = sorted(p.name for p in Path(folder).iterdir())
        raise AssertionError(f"{name} was not downloaded; folder holds {folder_holds}") from None
    return path


def test_headline_figures_follow_a_filter(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    first = f"#{ids.HEADLINE} .card:first-child"
    dash_duo.wait_for_contains_text(first, "18 municipalities + 2 agencies")
    dash_duo.wait_for_contains_text(first, "995,328 residents (15.2%)")
    dash_duo.find_element(f"#{ids.CLASSES} input[value='use_or_communication']").click()
    dash_duo.wait_for_contains_text(first, "0 municipalities")
    dash_duo.wait_for_contains_text(first, "0 residents (0.0%)")
    assert "off" in dash_duo.find_element(first).get_attribute("class")


def test_download_buttons_produce_the_filtered_files(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    search = dash_duo.find_element(f"#{ids.TABLE_SEARCH}")
    search.send_keys("briefcam")
    search.send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal(f"#{ids.TABLE_COUNT}", "2 of 326 rows")
    dash_duo.find_element(f"#{ids.DOWNLOAD_ROWS}").click()
    rows = list(csv.DictReader(_wait_for_file(dash_duo.download_path, "ma-surveillance-records.csv").open()))
    assert [r["title"] for r in rows] == [
        "Briefcam at the City of Boston (2019)",
        "Briefcam at the City of Boston (2020)",
    ]
    dash_duo.find_element(f"#{ids.DOWNLOAD_TOWNS_CSV}").click()
    towns = list(csv.DictReader(_wait_for_file(dash_duo.download_path, "ma-surveillance-towns.csv").open()))
    assert len(towns) == 351
    dash_duo.find_element(f"#{ids.DOWNLOAD_TOWNS_GEOJSON}").click()
    geojson = json.loads(_wait_for_file(dash_duo.download_path, "ma-surveillance-towns.geojson").read_text())
    assert len(geojson["features"]) == 351
    dash_duo.find_element(f"#{ids.IMAGE_FORMAT} input[value='svg']").click()
    dash_duo.find_element(f"#{ids.DOWNLOAD_IMAGE}").click()
    svg = _wait_for_file(dash_duo.download_path, "ma-surveillance-vendors-2021-12-wide.svg", timeout=60).read_text()
    assert 'width="1920"' in svg and "MassGIS" in svg
    assert dash_duo.get_logs() == []


def test_presentation_mode_hides_the_controls(dash_duo) -> None:
    dash_duo.open("/?present=1&vendors=briefcam")
    _wait_for_map(dash_duo)
    _until(dash_duo, lambda: "present" in dash_duo.find_element(f"#{ids.PAGE}").get_attribute("class"))
    for hidden in (".controls", f"#{ids.HEADLINE}", ".records-section", ".method"):
        assert not dash_duo.find_element(hidden).is_displayed(), hidden
    for shown in (f"#{ids.MAP}", f"#{ids.LEGEND}", ".site-header h1", ".source-line", f"#{ids.CAPTION}"):
        assert dash_duo.find_element(shown).is_displayed(), shown
    assert "vendor records: Briefcam" in dash_duo.find_element(f"#{ids.CAPTION}").text
    assert dash_duo.get_logs() == []


def test_every_control_is_reachable_by_keyboard_with_a_visible_focus(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    reached = {}
    for _ in range(44):
        ActionChains(dash_duo.driver).send_keys(Keys.TAB).perform()
        key, outline = dash_duo.driver.execute_script(
            """const e = document.activeElement, s = getComputedStyle(e);
            return [e.id || e.value || e.getAttribute('aria-label') || e.textContent.trim(),
                    s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth)];"""
        )
        reached[key] = outline
    # A radio group is one tab stop (its checked option); arrows move within it.
    wanted = [
        ids.TOWN_SEARCH,
        "use_or_communication",
        "no_response",
        "2020-02",
        ids.DATE_BACK,
        ids.DATE_PLAY,
        ids.DATE_FORWARD,
        "Lan-Tel",
        "Clearview AI",
        "uasi",
        "wide",
        "png",
        ids.DOWNLOAD_IMAGE,
        ids.PRESENT_LINK,
        ids.TABLE_SEARCH,
    ]
    assert [w for w in wanted if w not in reached] == []
    assert {w: reached[w] for w in wanted if reached[w] < 2} == {}
    assert not any("Share chart" in k for k in reached)  # plotly's upload-to-cloud button is removed


HOSTILE = 'Abington <img src=x onerror="window.hacked=1"><script>window.hacked=2</script>'


def test_markup_in_the_data_is_shown_as_text_never_run(dash_duo, copy_config) -> None:
    listings = copy_config.data_dir / "clearview_listings.csv"
    text = listings.read_text(encoding="utf-8")
    assert ",Abington," in text
    quoted = '"' + HOSTILE.replace('"', '""') + '"'
    listings.write_text(text.replace(",Abington,", f",{quoted},", 1), encoding="utf-8")
    with (copy_config.data_dir / "name_resolutions.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{quoted},1,ABINGTON,,test: markup in a published name\n")
    app = create_app(build_model(copy_config))
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/?town=1")
    dash_duo.wait_for_contains_text(f"#{ids.PANEL}", "onerror")
    assert HOSTILE in dash_duo.find_element(f"#{ids.PANEL}").text
    search = dash_duo.find_element(f"#{ids.TABLE_SEARCH}")
    search.send_keys("onerror")  # using the search box brings the records grid in (assets/records-grid.js)
    search.send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal(f"#{ids.TABLE_COUNT}", "1 of 326 rows")
    _until(dash_duo, lambda: len(dash_duo.find_elements(f"#{ids.TABLE} .ag-row")) == 1, timeout=20)
    assert HOSTILE in dash_duo.find_element(".records-grid").text
    assert dash_duo.driver.execute_script("return window.hacked === undefined")
    assert dash_duo.find_elements("img[src='x']") == []


def test_on_a_phone_a_map_click_brings_the_town_panel_into_view(dash_duo) -> None:
    dash_duo.open()
    dash_duo.driver.set_window_size(390, 844)
    _wait_for_map(dash_duo)
    panel_top = f"return document.getElementById('{ids.PANEL}').getBoundingClientRect().top"
    # The user scrolls to the map, then taps a town: the panel (below the map on a phone) is not yet at the top.
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'})", dash_duo.find_element(f"#{ids.MAP}")
    )
    assert dash_duo.driver.execute_script(panel_top) > 200
    ActionChains(dash_duo.driver).move_to_element(dash_duo.find_element(f"#{ids.MAP}")).click().perform()
    dash_duo.wait_for_element(f"#{ids.PANEL} .panel-title", timeout=10)
    # At the top of the screen (scrollIntoView may leave it a fraction of a pixel above: -0.03 was seen).
    _until(dash_duo, lambda: -1 < dash_duo.driver.execute_script(panel_top) < 200)
    assert dash_duo.get_logs() == []


def _marker(dash_duo, trace_name: str):
    """The drawn marker (an SVG path) of the named overlay trace's first point."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#map .scattergeo path.point'))"
        ".find(p => p.closest('.trace').__data__[0].trace.name === arguments[0])",
        trace_name,
    )


@pytest.mark.parametrize(("trace", "town"), [("IBM", "Springfield"), ("COPLINK", "Northampton")])
def test_clicking_a_vendor_marker_selects_its_town(dash_duo, trace: str, town: str) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    _until(dash_duo, lambda: _marker(dash_duo, trace) is not None)
    ActionChains(dash_duo.driver).move_to_element(_marker(dash_duo, trace)).click().perform()
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", town)
    assert dash_duo.get_logs() == []


def test_clicking_a_zero_document_mark_selects_its_town(dash_duo) -> None:
    dash_duo.open("/?vendors=none&uasi=0")
    _wait_for_map(dash_duo)
    _until(dash_duo, lambda: _marker(dash_duo, "record with 0 documents") is not None)
    # The westernmost 0-document listing is Great Barrington, alone in its corner of the state.
    west = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#map .scattergeo path.point'))"
        ".filter(p => p.closest('.trace').__data__[0].trace.name === 'record with 0 documents')"
        ".sort((a, b) => a.getBoundingClientRect().x - b.getBoundingClientRect().x)[0]"
    )
    ActionChains(dash_duo.driver).move_to_element(west).click().perform()
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Great Barrington")
    assert "This record holds 0 documents" in dash_duo.find_element(f"#{ids.PANEL}").text


def _search(dash_duo, words: str) -> None:
    dash_duo.find_element(f"#{ids.TOWN_SEARCH}").click()
    box = dash_duo.find_element("input.dash-dropdown-search")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(words)


def _options(dash_duo) -> list[str]:
    """The choices the open search box offers now."""
    return [o.text for o in dash_duo.driver.find_elements(By.XPATH, OPTION)]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Manchester-by-the-Sea", "Manchester"),
        ("Manchester By The Sea", "Manchester"),
        ("Boston PD", "Boston"),
        ("Belcher", "Belchertown"),
        ("State Police", "Massachusetts State Police (state agency)"),
    ],
)
def test_the_search_finds_published_names_and_aliases(dash_duo, typed: str, found: str) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    _search(dash_duo, typed)
    _until(dash_duo, lambda: found in _options(dash_duo))


def test_choosing_an_agency_opens_its_panel_and_link(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    _search(dash_duo, "State Police")
    _until(dash_duo, lambda: "Massachusetts State Police (state agency)" in _options(dash_duo))
    dash_duo.driver.find_element(
        By.XPATH, f"{OPTION}[normalize-space()='Massachusetts State Police (state agency)']"
    ).click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Massachusetts State Police")
    assert "agency=msp" in dash_duo.driver.current_url
    assert "COPLINK Facematch at the Massachusetts State Police" in dash_duo.find_element(f"#{ids.PANEL}").text
    dash_duo.driver.get(dash_duo.server_url + "/?agency=msp")
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Massachusetts State Police")
    assert dash_duo.get_logs() == []


ALL_LAYERS = "/?vendors=lan-tel,briefcam,coplink,dataworks,morphotrust,ibm,suspect-technologies,clearview&town=35"


def test_nothing_scrolls_sideways_on_a_phone(dash_duo) -> None:
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.open(ALL_LAYERS)
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Boston")
    dash_duo.wait_for_contains_text(f"#{ids.REACH}", "Suspect Technologies")
    widths = dash_duo.driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth,"
        " document.querySelector('.reach-table').getBoundingClientRect().right]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[1], widths


#: Where the map, its drawing, the legend and the keys are on the page (the map settles to its box after a resize).
_BOXES = """
return arguments[0].map(s => { const r = document.querySelector(s).getBoundingClientRect();
    return [r.left, r.top, r.width, r.height]; });
"""

_COVERED = """
const shapes = Array.from(document.querySelectorAll('#map path.choroplethlocation'));
const covered = [];
for (const box of arguments[0].map(s => document.querySelector(s))) {
  const r = box.getBoundingClientRect();
  for (let i = 0; i <= 12; i++) for (let j = 0; j <= 12; j++) {
    const x = r.left + r.width * i / 12, y = r.top + r.height * j / 12;
    for (const s of shapes) {
      const m = s.getScreenCTM().inverse(), p = new DOMPoint(x, y).matrixTransform(m);
      if (s.isPointInFill(p)) { covered.push([box.className, Math.round(x), Math.round(y)]); break; }
    }
  }
}
return covered;
"""


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800), (390, 844)])
def test_the_legend_and_keys_cover_no_town(dash_duo, size: tuple[int, int]) -> None:
    dash_duo.driver.set_window_size(*size)
    dash_duo.open(ALL_LAYERS)
    if size[0] <= 900:  # a phone loads the interactive map when the visitor asks for it
        dash_duo.find_element("#first-paint .map-box .boot-dash").click()
    _wait_for_map(dash_duo)
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Boston")
    wait_until_still(dash_duo, _BOXES, [f"#{ids.MAP}", f"#{ids.MAP} .main-svg", f"#{ids.LEGEND}", f"#{ids.KEYS}"])
    # The check itself sees towns where there are some: inside the map's own box.
    assert dash_duo.driver.execute_script(_COVERED, [f"#{ids.MAP}"]) != []
    assert dash_duo.driver.execute_script(_COVERED, [f"#{ids.LEGEND}", f"#{ids.KEYS}"]) == []


@pytest.mark.parametrize("size", [(1024, 700), (390, 844)])
def test_headline_cards_never_clip_their_titles(dash_duo, size: tuple[int, int]) -> None:
    dash_duo.open()
    dash_duo.driver.set_window_size(*size)
    _wait_for_map(dash_duo)
    clipped = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#headline .card, #headline .card-label'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)"
        ".map(e => e.textContent)"
    )
    assert clipped == []
    labels = [e.text for e in dash_duo.find_elements(f"#{ids.HEADLINE} .card-label")]
    assert labels == [
        "Use or communication",
        "Solicitation only",
        "No responsive documents",
        "Not listed: no reply published",
    ]


def test_the_page_keys_every_line_and_symbol_it_draws(dash_duo) -> None:
    dash_duo.open(ALL_LAYERS)
    _wait_for_map(dash_duo)
    dash_duo.wait_for_contains_text(f"#{ids.KEYS}", "Statewide reach")
    keys = dash_duo.find_element(f"#{ids.KEYS}").text
    for key in (
        "Statewide reach: a state agency's records",
        "Offices of a state or county agency",
        "Listed, but its Clearview record holds 0 documents",
        "Metro Boston UASI region",
        "Selected town",
        "A hollow marker or star: the request returned 0 documents.",
        "Not stated on the records page",
    ):
        assert key in keys, key
    # Clearview records alone: the Norfolk Sheriff's record holds 0 documents, so no county is drawn or keyed.
    dash_duo.driver.get(dash_duo.server_url + "/?vendors=clearview")
    _wait_for_map(dash_duo)
    dash_duo.wait_for_contains_text(f"#{ids.KEYS}", "Clearview AI")
    assert "County reach" not in dash_duo.find_element(f"#{ids.KEYS}").text


def _width(span: list[float]) -> float:
    return span[1] - span[0]


def test_one_click_zooms_to_metro_boston_and_back(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    lon_range = (
        "return document.querySelector('#map .js-plotly-plot')._fullLayout.geo.lonaxis.range"
        ".map(x => Math.round(x * 100) / 100)"
    )
    assert dash_duo.driver.execute_script(lon_range) == [-73.56, -69.88]
    dash_duo.find_element(f"#{ids.LAYERS} input[value='metro']").click()
    _until(
        dash_duo,
        lambda: dash_duo.driver.execute_script(lon_range)[1] - dash_duo.driver.execute_script(lon_range)[0] < 1.5,
    )
    assert "extent=metro" in dash_duo.driver.current_url
    dash_duo.find_element(f"#{ids.LAYERS} input[value='metro']").click()
    _until(dash_duo, lambda: dash_duo.driver.execute_script(lon_range) == [-73.56, -69.88])
    assert dash_duo.get_logs() == []


def test_the_policy_layer_is_keyed_and_switches_off_in_the_link(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    keys = dash_duo.find_element(f"#{ids.KEYS}").text
    for label in ("Face-surveillance ban", "Face-surveillance moratorium", "Surveillance-oversight ordinance"):
        assert label in keys, label
    assert "In every town: Chapter 253 of the Acts of 2020" in keys
    dash_duo.find_element(f"#{ids.LAYERS} input[value='policy']").click()
    _until(dash_duo, lambda: "policy=0" in dash_duo.driver.current_url)
    _until(dash_duo, lambda: "Face-surveillance ban" not in dash_duo.find_element(f"#{ids.KEYS}").text)
    assert dash_duo.get_logs() == []


def _label(dash_duo) -> str:
    return dash_duo.find_element(f"#{ids.DATE_LABEL}").text


def test_the_time_control_steps_plays_and_stops_at_the_end(dash_duo, model: Model) -> None:
    dash_duo.open("/?date=2020-01")
    _wait_for_map(dash_duo)
    dash_duo.wait_for_text_to_equal(f"#{ids.DATE_LABEL}", "January 2020")
    _until(dash_duo, lambda: _count_fill(dash_duo, NOT_ASKED_COLOR) == 351)
    assert _legend(dash_duo) == {w.NOT_ASKED: "351", **{label: "0" for label in CLASS_LABELS}}
    for _ in range(2):
        dash_duo.find_element(f"#{ids.DATE_FORWARD}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.DATE_LABEL}", "March 2020")
    _until(dash_duo, lambda: "date=2020-03" in dash_duo.driver.current_url)
    # In March 2020 only the February wave's dated listings have an answer on the map.
    february = model.towns["clearview_month"].eq("2020-02")
    _until(dash_duo, lambda: _count_fill(dash_duo, CLASS_COLORS["use_or_communication"]) == int(february.sum()))
    assert _count_fill(dash_duo, NOT_ASKED_COLOR) == 351 - int(february.sum())
    dash_duo.find_element(f"#{ids.DATE_BACK}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.DATE_LABEL}", "February 2020")
    # Play from November 2021: a month a tick, then it stops by itself at the last month.
    dash_duo.driver.get(dash_duo.server_url + "/?date=2021-11")
    dash_duo.wait_for_text_to_equal(f"#{ids.DATE_LABEL}", "November 2021")
    dash_duo.find_element(f"#{ids.DATE_PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.DATE_LABEL}", "December 2021", timeout=8)
    dash_duo.wait_for_contains_text(f"#{ids.DATE_PLAY}", "Play", timeout=8)
    _until(dash_duo, lambda: "date=" not in dash_duo.driver.current_url)  # the latest month is the default
    assert dash_duo.get_logs() == []


def test_a_years_link_from_before_the_time_control_still_opens(dash_duo) -> None:
    dash_duo.open("/?years=2019-2019&vendors=briefcam")
    _wait_for_map(dash_duo)
    _until(dash_duo, lambda: "date=2019-12" in dash_duo.driver.current_url)
    assert "years=" not in dash_duo.driver.current_url and "vendors=briefcam" in dash_duo.driver.current_url
    dash_duo.wait_for_text_to_equal(f"#{ids.DATE_LABEL}", "December 2019")
    # Before the Clearview requests the map is not blank: every town is "not known to have been asked yet".
    _until(dash_duo, lambda: _count_fill(dash_duo, NOT_ASKED_COLOR) == 351)
    dash_duo.wait_for_contains_text(f"#{ids.HEADLINE}", "351 municipalities are not known to have been asked yet")
    # Briefcam's 2019 record at Boston is drawn; its 2020 one is not yet.
    dash_duo.wait_for_contains_text(f"#{ids.REACH}", "1 (7 documents)")
    assert dash_duo.get_logs() == []


def test_choosing_a_timeline_event_moves_the_date_and_selects_its_town(dash_duo, model: Model) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    events = dash_duo.find_elements(f"#{ids.TIMELINE} .timeline-button")
    worcester = next(e for e in events if "Worcester" in e.text)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({inline: 'center', block: 'center', behavior: 'instant'})", worcester
    )
    worcester.click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Worcester")
    town = int(model.towns.index[model.towns["town"].eq("Worcester")][0])
    _until(dash_duo, lambda: f"town={town}" in dash_duo.driver.current_url)
    lantel = next(e for e in events if "Lantel at the Boston Office of Emergency Management" in e.text)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({inline: 'center', block: 'center', behavior: 'instant'})", lantel
    )
    lantel.click()
    dash_duo.wait_for_text_to_equal(f"#{ids.DATE_LABEL}", "July 2019")
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Boston")
    _until(dash_duo, lambda: "date=2019-07" in dash_duo.driver.current_url)
    # Later events are dimmed; the strip is one tab stop that the arrow keys walk.
    later = dash_duo.driver.execute_script(
        f"return document.querySelectorAll('#{ids.TIMELINE} .timeline-item.later').length"
    )
    assert later == sum(1 for e in events if e.find_element(By.XPATH, "..").get_attribute("data-month") > "2019-07")
    stops = dash_duo.driver.execute_script(
        f"return Array.from(document.querySelectorAll('#{ids.TIMELINE} button')).filter(b => b.tabIndex === 0).length"
    )
    assert stops == 1
    assert dash_duo.get_logs() == []


_CALLBACK_POSTS = (
    "return performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update-component')).length"
)


def test_a_filter_change_costs_two_requests_at_most(dash_duo) -> None:
    dash_duo.open()
    _wait_for_map(dash_duo)
    wait_until_quiet(dash_duo, 1)  # the page's own first callbacks settle
    for control in (f"#{ids.CLASSES} input[value='use_or_communication']", f"#{ids.DATE_BACK}"):
        before = dash_duo.driver.execute_script(_CALLBACK_POSTS)
        dash_duo.find_element(control).click()
        _until(dash_duo, lambda start=before: dash_duo.driver.execute_script(_CALLBACK_POSTS) >= start + 2)
        wait_until_quiet(dash_duo, 1.5)  # anything slower to start would show up here
        assert dash_duo.driver.execute_script(_CALLBACK_POSTS) - before == 2, control
    assert dash_duo.get_logs() == []
