"""Accessibility in headless Chromium: axe-core finds nothing on the map and the town pages; the keyboard reaches all.

axe-core comes from the npm registry at test time (`npm pack`, a pinned version), so the repository carries no
copy of it. It is injected with WebDriver's execute_script, which Chromium runs through the DevTools protocol,
outside the page's Content-Security-Policy (the page itself allows no inline script).
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from collections.abc import Callable

import pytest
from browser_wait import wait_until_settled
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.web import ids

AXE_VERSION = "4.14.1"
#: The rules axe runs: every WCAG 2.0, 2.1 and 2.2 A/AA rule and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="session")
def axe_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    """axe.min.js of the pinned axe-core release, fetched with npm into a temporary folder."""
    npm = shutil.which("npm")
    assert npm is not None, "the accessibility tests need npm (Node.js) to fetch axe-core"
    folder = tmp_path_factory.mktemp("axe")
    done = subprocess.run(
        [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(folder), "--silent"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"npm pack axe-core failed: {done.stderr.strip()}"
    (tarball,) = folder.glob("axe-core-*.tgz")
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode("utf-8")


def _until(dash_duo, predicate: Callable[[], object], timeout: float = 20, what: str = "") -> None:
    WebDriverWait(dash_duo.driver, timeout).until(lambda _: predicate(), message=what)


_RUN_AXE = """
const [source, tags, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
if (!window.axe) { (0, eval)(source); }
window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
    .then(r => done(r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map(n => n.target.join(' ')).slice(0, 8), count: v.nodes.length}))))
    .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), targets: [], count: 0}]));
"""


def _axe(dash_duo, source: str) -> list[dict]:
    """axe-core's violations on the page as it is now: id, impact, help, the nodes' selectors."""
    dash_duo.driver.set_script_timeout(60)
    return dash_duo.driver.execute_async_script(_RUN_AXE, source, AXE_TAGS)


def _report(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}, {v['count']} nodes): {v['help']} -> {'; '.join(v['targets'])}" for v in violations
    )


def _open_map(dash_duo, path: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    wait_until_settled(dash_duo)


def _town_selected(dash_duo) -> None:
    _open_map(dash_duo, "/?town=35")
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Boston")


def _presentation(dash_duo) -> None:
    _open_map(dash_duo, "/?present=1")
    _until(dash_duo, lambda: "present" in dash_duo.find_element(f"#{ids.PAGE}").get_attribute("class"))


def _earlier_month(dash_duo) -> None:
    """A month before the last: the timeline's later events are dimmed (their text must keep its contrast)."""
    _open_map(dash_duo, "/?date=2019-07")
    dash_duo.wait_for_text_to_equal(f"#{ids.DATE_LABEL}", "July 2019")
    _until(dash_duo, lambda: dash_duo.find_elements(f"#{ids.TIMELINE} .timeline-item.later"), what="dimmed events")


def _phone(dash_duo, path: str = "/") -> None:
    """What a phone shows first: the server's first view, the interactive map not yet loaded."""
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.driver.get(dash_duo.server_url + path)
    _until(dash_duo, lambda: dash_duo.driver.execute_script("return window.innerWidth") <= 400, what="phone width")
    _until(dash_duo, lambda: dash_duo.driver.execute_script("return document.readyState") == "complete")
    dash_duo.wait_for_element("#first-paint .first-paint-map")
    assert dash_duo.driver.execute_script("return window.DashRenderer === undefined")  # the first view, alone


def _phone_interactive(dash_duo) -> None:
    """A phone once the visitor asked for the interactive map: Dash's page at phone width."""
    _phone(dash_duo)
    dash_duo.find_element("#first-paint .map-box .boot-dash").click()
    wait_until_settled(dash_duo)
    _until(dash_duo, lambda: not dash_duo.find_elements("#first-paint"), what="the first view taken over")


def _show_records_table(dash_duo) -> None:
    """Scroll to the records section as a reader would: the grid loads then (assets/records-grid.js) and fills."""
    dash_duo.driver.execute_script("document.querySelector('.records-section').scrollIntoView()")
    dash_duo.wait_for_element(f"#{ids.TABLE} .ag-cell", timeout=20)


def _records_table(dash_duo) -> None:
    """The map page with its records grid loaded and shown (it is not in the page until it is wanted)."""
    _open_map(dash_duo, "/")
    _show_records_table(dash_duo)
    wait_until_settled(dash_duo)


def _dropdown_open(dash_duo) -> None:
    _open_map(dash_duo, "/")
    dash_duo.find_element(f"#{ids.TOWN_SEARCH}").click()
    dash_duo.find_element("input.dash-dropdown-search").send_keys("Spring")
    options = ".dash-dropdown-content .dash-options-list-option"
    _until(dash_duo, lambda: any("Springfield" in o.text for o in dash_duo.find_elements(options)), what=options)


def _page(path: str, heading: str) -> Callable:
    def open_page(dash_duo) -> None:
        dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_contains_text("h1", heading)

    return open_page


VIEWS: dict[str, Callable] = {
    "map-default": lambda dash_duo: _open_map(dash_duo, "/"),
    "map-town": _town_selected,
    "map-presentation": _presentation,
    "map-earlier-month": _earlier_month,
    "map-phone": _phone,
    "map-phone-interactive": _phone_interactive,
    "map-dropdown-open": _dropdown_open,
    "map-records-table": _records_table,
    "town-page": _page("/town/boston", "Boston"),
    "not-found-page": _page("/town/no-such-town", "No page at this address"),
    "compare-page": _page("/compare/boston+cambridge", "Boston and Cambridge compared"),
    # The same checks in the other languages: their words must not break a name, a label or a landmark.
    "map-town-es": lambda dash_duo: _open_map(dash_duo, "/?lang=es&town=35"),
    "map-phone-pt": lambda dash_duo: _phone(dash_duo, "/?lang=pt&town=35"),
    "town-page-es": _page("/es/town/chelsea", "Chelsea"),
    "town-page-pt": _page("/pt/town/framingham", "Framingham"),
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_axe_finds_no_violations(dash_duo, axe_source: str, view: str) -> None:
    VIEWS[view](dash_duo)
    violations = _axe(dash_duo, axe_source)
    assert violations == [], f"axe-core {AXE_VERSION} on {view}:\n{_report(violations)}"
    # Lighthouse's crawlable-anchors: a link without an address is a dead end unless it says it is a button.
    dead = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('a:not([href]):not([role])')].map(a => a.outerHTML.slice(0, 120));"
    )
    assert dead == [], f"links without an address on {view}: {dead}"
    if view.startswith("map-"):  # the repairs in assets/a11y.js run on every change of the page: never an error
        assert dash_duo.get_logs() == []


_ACTIVE = """
const e = document.activeElement;
return {tag: e.tagName, id: e.id, cls: String(e.className), grid: Boolean(e.closest(arguments[0])),
        col: e.getAttribute('col-id'), link: Boolean(e.querySelector && e.querySelector('a[href]'))};
"""


def _active(dash_duo) -> dict:
    return dash_duo.driver.execute_script(_ACTIVE, f"#{ids.TABLE} .ag-header, #{ids.TABLE} .ag-body")


def _press(dash_duo, *keys: str) -> dict:
    ActionChains(dash_duo.driver).send_keys(*keys).perform()
    return _active(dash_duo)


def test_the_records_grid_is_one_tab_stop_and_enter_opens_a_source(dash_duo) -> None:
    dash_duo.open()
    wait_until_settled(dash_duo)
    _show_records_table(dash_duo)
    dash_duo.driver.execute_script(f"document.getElementById('{ids.TABLE_SEARCH}').focus()")
    # From the search box to the first download button: the grid's headers and cells are one stop in all.
    stops = []
    for _ in range(30):
        stops.append(_press(dash_duo, Keys.TAB))
        if stops[-1]["id"] == ids.DOWNLOAD_ROWS:
            break
    assert stops[-1]["id"] == ids.DOWNLOAD_ROWS, stops
    assert [s["grid"] for s in stops].count(True) == 1, stops
    assert stops[0]["grid"], stops[0]
    # Back into the grid; the arrow keys move inside it, to the first row's source cell.
    dash_duo.driver.execute_script(f"document.getElementById('{ids.TABLE_SEARCH}').focus()")
    at = _press(dash_duo, Keys.TAB)
    at = _press(dash_duo, Keys.ARROW_DOWN)
    assert at["grid"] and "ag-cell" in at["cls"], at
    for _ in range(12):
        if at["col"] == "source":
            break
        at = _press(dash_duo, Keys.ARROW_RIGHT)
    assert at["col"] == "source" and at["link"], at
    link = dash_duo.driver.execute_script("return document.activeElement.querySelector('a[href]')")
    assert link.get_attribute("tabindex") == "-1"  # no tab stop of its own
    assert link.get_attribute("target") == "_blank"
    # The record's page is elsewhere and this machine may be offline: point the link at this server to see it open.
    dash_duo.driver.execute_script("arguments[0].href = '/robots.txt'", link)
    before = set(dash_duo.driver.window_handles)
    _press(dash_duo, Keys.ENTER)
    _until(dash_duo, lambda: len(dash_duo.driver.window_handles) > len(before), 10, "a new window")
    (opened,) = set(dash_duo.driver.window_handles) - before
    dash_duo.driver.switch_to.window(opened)
    _until(dash_duo, lambda: dash_duo.driver.current_url.endswith("/robots.txt"), 10, "the link's page")


def test_the_view_is_announced_in_one_sentence_when_it_changes(dash_duo) -> None:
    dash_duo.open()
    wait_until_settled(dash_duo)
    caption = dash_duo.find_element(f"#{ids.CAPTION}")
    assert caption.get_attribute("aria-live") == "polite"
    # Out of sight but not display:none (a region that is not rendered is never read out).
    shown = dash_duo.driver.execute_script(
        "const e = arguments[0], s = getComputedStyle(e); return [s.display, s.visibility, e.getClientRects().length]",
        caption,
    )
    assert shown[0] != "none" and shown[1] == "visible" and shown[2] > 0, shown
    assert "all Clearview classes" in caption.get_attribute("textContent")
    dash_duo.find_element(f"#{ids.CLASSES} input[value='no_response']").click()
    _until(dash_duo, lambda: "Clearview classes: " in caption.get_attribute("textContent"), what="the new sentence")
    assert caption.get_attribute("textContent").count(".") == 1  # one sentence


def test_the_town_search_and_the_month_slider_work_from_the_keyboard(dash_duo) -> None:
    dash_duo.open()
    wait_until_settled(dash_duo)
    # The dropdown's button is the tab stop (not a hidden input), and opens with Enter; typing filters, Enter chooses.
    dash_duo.find_element(f"#{ids.CLASSES} input").send_keys(Keys.NULL)  # focus the first checkbox
    ActionChains(dash_duo.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    at = _active(dash_duo)
    assert at["id"] == ids.TOWN_SEARCH and at["tag"] == "BUTTON", at
    _press(dash_duo, Keys.ENTER)
    dash_duo.wait_for_element(".dash-dropdown-content[role='dialog'][aria-label='Find a town or agency']")
    _until(dash_duo, lambda: "dash-dropdown-search" in _active(dash_duo)["cls"], what="focus in the search box")
    _press(dash_duo, "Springfield")
    _until(dash_duo, lambda: dash_duo.find_elements(".dash-dropdown-content .dash-options-list-option"))
    _press(dash_duo, Keys.ENTER)
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Springfield")
    # The month slider's handle is named by the control's title and tells its month in words.
    thumb = dash_duo.find_element(f"#{ids.DATE} [role='slider']")
    assert thumb.get_attribute("aria-labelledby") == "time-title"
    assert dash_duo.find_element("#time-title").text == "Show the map as of"
    assert thumb.get_attribute("aria-valuetext") == "December 2021"
    thumb.send_keys(Keys.ARROW_LEFT)
    dash_duo.wait_for_text_to_equal(f"#{ids.DATE_LABEL}", "November 2021")
    _until(dash_duo, lambda: thumb.get_attribute("aria-valuetext") == "November 2021", what="the month in words")
    wait_until_settled(dash_duo)  # no callback still running when the server stops
    assert dash_duo.get_logs() == []
