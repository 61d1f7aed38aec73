"""The records grid loads only when the table is wanted: never with the first page, never in the presentation view.

The grid's library (dash_ag_grid, 1.3 MB of script and a 0.85 MB chunk) and the table's rows stay off the first
load; scrolling to the records section, or focusing or using a control in it, brings both, and the grid then keeps
everything it did (its search, count, sorting, the one-tab-stop keyboard: see test_accessibility.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from browser_wait import wait_until_quiet, wait_until_settled
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.data.model import Model
from dashboard.server import create_app
from dashboard.views.records import all_rows, display_records
from dashboard.web import ids
from dashboard.web.lazy_grid import split_grid_scripts

ROWS = f"#{ids.TABLE} .ag-center-cols-container .ag-row"
#: What the page has of the grid: its scripts asked for or in the page, its library run, its element, its rows.
_GRID_STATE = """
return {
  fetched: performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/dash_ag_grid/')),
  tags: Array.from(document.scripts).map(s => s.src).filter(s => s.includes('dash_ag_grid')),
  library: Boolean(window.dash_ag_grid),
  grid: document.getElementById(arguments[0]) !== null,
  rows: document.querySelectorAll(arguments[1]).length,
  placeholder: document.querySelector('.records-grid-loading') !== null,
};
"""
_CALLBACK_POSTS = (
    "return performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update-component')).length"
)


@pytest.fixture(scope="module")
def client(model: Model):
    return create_app(model).server.test_client()


# The page as the server writes it.


def test_the_page_lists_the_grid_scripts_as_data_instead_of_loading_them(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert not re.search(r'<script src="[^"]*dash_ag_grid', page)
    block = re.search(rf'<script type="application/json" id="{ids.TABLE_SCRIPTS}">(.*?)</script>', page)
    assert block is not None
    (source,) = json.loads(block.group(1))
    # Dash's own cache-busting name, still served (its path stays registered), as is the chunk the grid fetches.
    assert re.fullmatch(r"/_dash-component-suites/dash_ag_grid/dash_ag_grid\.v[\w]+\.min\.js", source), source
    for path in (source, "/_dash-component-suites/dash_ag_grid/async-community.js"):
        response = client.get(path)
        assert response.status_code == 200 and "javascript" in response.mimetype, path
    # The other component libraries are still listed for the interactive map (web/first_view.py's data block).
    dash_scripts = re.search(r'<script type="application/json" id="dash-scripts"[^>]*>(.*?)</script>', page)
    assert dash_scripts is not None
    assert any("dash_core_components" in src for src in json.loads(dash_scripts.group(1)))
    assert not any("dash_ag_grid" in src for src in json.loads(dash_scripts.group(1)))


def test_the_presentation_view_gets_no_grid_scripts_at_all(client) -> None:
    page = client.get("/?present=1").get_data(as_text=True)
    assert "_dash-component-suites/dash_ag_grid" not in page and ids.TABLE_SCRIPTS not in page


def test_a_data_block_needs_no_change_to_the_script_policy(client) -> None:
    # Dash hashes its inline scripts into script-src; a JSON data block is never run, so none is added for it.
    policy = client.get("/").headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    page = client.get("/").get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    data_blocks = ('type="application/json"', 'type="application/ld+json"')  # data, never run: no hash needed
    assert all(any(t in attrs for t in data_blocks) or "_dash-renderer" in attrs for attrs in inline), inline


def test_split_grid_scripts_takes_out_only_the_grid() -> None:
    scripts = (
        '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>\n'
        '<script src="/app/_dash-component-suites/dash_ag_grid/dash_ag_grid.v35_3_0m2.min.js"></script>\n'
        '<script src="/assets/a11y.js?m=3"></script>'
    )
    rest, sources = split_grid_scripts(scripts)
    assert sources == ["/app/_dash-component-suites/dash_ag_grid/dash_ag_grid.v35_3_0m2.min.js"]
    assert rest == (
        '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>\n'
        '<script src="/assets/a11y.js?m=3"></script>'
    )
    assert split_grid_scripts(rest) == (rest, [])


def test_the_layout_carries_the_grid_once_as_a_spec_and_no_rows(client) -> None:
    text = client.get("/_dash-layout").get_data(as_text=True)
    layout = json.loads(text)

    def walk(node: object) -> list[dict]:
        found = []
        if isinstance(node, dict):
            if "type" in node and "props" in node:
                found.append(node)
            for value in node.values():
                found.extend(walk(value))
        elif isinstance(node, list):
            for value in node:
                found.extend(walk(value))
        return found

    components = walk(layout)
    stores = {c["props"].get("id"): c["props"] for c in components if c["type"] == "Store"}
    spec = stores[ids.TABLE_SPEC]["data"]
    assert spec["type"] == "AgGrid" and spec["namespace"] == "dash_ag_grid"
    assert spec["props"]["id"] == ids.TABLE and "rowData" not in spec["props"]
    assert spec["props"]["dashGridOptions"]["tabToNextCell"] == {"function": "false"}
    # The only grid in the layout is that spec, inside its store: Dash never has to render a grid it cannot load.
    assert [c for c in components if c["type"] == "AgGrid"] == [spec]
    assert stores[ids.TABLE_ROWS].get("data") is None and stores[ids.TABLE_WANTED]["data"] is False
    assert "rowData" not in text


def _render(client, changed: str, wanted: bool) -> dict:
    """The answer of the map-and-table callback to one change, as the page would post it."""
    spec = next(d for d in client.get("/_dash-dependencies").json if f"{ids.TABLE_ROWS}.data" in d["output"])
    values = {
        ids.CLASSES: ["use_or_communication", "solicitation_only", "no_responsive_documents", "no_response"],
        ids.WAVES: ["2020-02", "2020-04"],
        ids.DATE: 59,
        ids.VENDORS: [],
        ids.LAYERS: ["uasi"],
        ids.TOWN_SEARCH: None,
        ids.TABLE_SEARCH: "agawam",
        ids.TABLE_WANTED: wanted,
    }
    outputs = [part.rsplit(".", 1) for part in spec["output"].strip(".").split("...")]
    body = {
        "output": spec["output"],
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{**i, "value": values[i["id"]]} for i in spec["inputs"]],
        "changedPropIds": [changed],
        "state": [{**s, "value": "en"} for s in spec.get("state", [])],  # the view's language (its store)
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return response.json["response"]


def test_rows_go_out_only_once_the_table_is_wanted(client) -> None:
    before = _render(client, f"{ids.TABLE_SEARCH}.value", wanted=False)
    assert before[ids.TABLE_COUNT]["children"] == "2 of 326 rows"  # the count works before the grid loads
    assert ids.TABLE_ROWS not in before
    opened = _render(client, f"{ids.TABLE_WANTED}.data", wanted=True)
    assert len(opened[ids.TABLE_ROWS]["data"]) == 2
    assert ids.MAP not in opened  # the table coming into view resends nothing of the map
    later = _render(client, f"{ids.CLASSES}.value", wanted=True)
    assert len(later[ids.TABLE_ROWS]["data"]) == 2 and ids.MAP in later


# In the browser.


def _until(dash_duo, predicate: Callable[[], object], timeout: float = 20, what: str = "") -> None:
    WebDriverWait(dash_duo.driver, timeout).until(lambda _: predicate(), message=what)


def _grid(dash_duo) -> dict:
    return dash_duo.driver.execute_script(_GRID_STATE, ids.TABLE, ROWS)


def _open(dash_duo, path: str) -> None:
    dash_duo.open(path)
    wait_until_settled(dash_duo)
    wait_until_quiet(dash_duo, 1.5)  # anything the page would fetch late on its own shows up here


def _scroll_to_records(dash_duo) -> None:
    dash_duo.driver.execute_script("document.querySelector('.records-section').scrollIntoView()")


def _paging_total(dash_duo) -> str:
    """The grid's own count of its rows ("1 to 15 of 326": the last number)."""
    text = dash_duo.find_element(f"#{ids.TABLE} .ag-paging-row-summary-panel").text
    return text.split()[-1]


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
def test_the_first_page_loads_no_grid(dash_duo, size: tuple[int, int]) -> None:
    dash_duo.driver.set_window_size(*size)
    if size[0] <= 900:  # a phone shows the first view, then loads the interactive map when the visitor asks
        dash_duo.open("/")
        wait_until_quiet(dash_duo, 1.5)
        state = _grid(dash_duo)
        assert state["fetched"] == [] and state["tags"] == [] and not state["library"], state
        dash_duo.find_element("#first-paint .map-box .boot-dash").click()
        wait_until_settled(dash_duo)
        wait_until_quiet(dash_duo, 1.5)
    else:
        _open(dash_duo, "/")
    state = _grid(dash_duo)
    assert state == {"fetched": [], "tags": [], "library": False, "grid": False, "rows": 0, "placeholder": True}
    # The section shows all it can without the grid: heading, search box, the count, the downloads.
    assert dash_duo.find_element(".records-section h2").text == "The records behind the map"
    assert dash_duo.find_element(f"#{ids.TABLE_COUNT}").text == "326 of 326 rows"
    assert dash_duo.find_element(".records-grid-loading").text == "Loading the records table…"
    assert dash_duo.find_element(f"#{ids.DOWNLOAD_ROWS}").text == "Download these rows (CSV)"
    assert dash_duo.get_logs() == []


def test_the_presentation_view_never_loads_the_grid(dash_duo) -> None:
    _open(dash_duo, "/?present=1")
    _until(dash_duo, lambda: "present" in dash_duo.find_element(f"#{ids.PAGE}").get_attribute("class"))
    dash_duo.driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    wait_until_quiet(dash_duo, 2)
    state = _grid(dash_duo)
    assert state["fetched"] == [] and state["tags"] == [] and not state["library"] and not state["grid"], state
    assert dash_duo.get_logs() == []


def test_scrolling_to_the_records_loads_the_grid_in_place(dash_duo, model: Model) -> None:
    _open(dash_duo, "/")
    where = "return [document.querySelector('.records-section').getBoundingClientRect().height, window.scrollY]"
    method_top = "return document.getElementById('method').getBoundingClientRect().top + window.scrollY"
    before = dash_duo.driver.execute_script(method_top)
    _scroll_to_records(dash_duo)
    _until(dash_duo, lambda: _grid(dash_duo)["rows"] == 15, what="the grid's first page")
    wait_until_settled(dash_duo)
    state = _grid(dash_duo)
    assert state["library"] and not state["placeholder"], state
    assert len(state["tags"]) == 1 and "/_dash-component-suites/dash_ag_grid/dash_ag_grid.v" in state["tags"][0]
    assert any(name.endswith("/dash_ag_grid/async-community.js") for name in state["fetched"]), state["fetched"]
    assert _paging_total(dash_duo) == "326"
    # The placeholder had the height of the grid's first page: what follows the section did not move.
    assert abs(dash_duo.driver.execute_script(method_top) - before) <= 40, dash_duo.driver.execute_script(where)
    # Sorting still works: the documents column, largest first after two clicks.
    largest = max(r["documents"] for r in display_records(all_rows(model)) if r["documents"] is not None)
    header = dash_duo.find_element(f"#{ids.TABLE} .ag-header-cell[col-id='documents'] .ag-header-cell-label")
    header.click()
    header.click()
    first = f"{ROWS}[row-index='0'] [col-id='documents']"
    _until(dash_duo, lambda: dash_duo.find_element(first).text == str(largest), what="sorted by documents")
    assert dash_duo.get_logs() == []


def test_a_filter_chosen_before_the_grid_loads_is_the_grids_too(dash_duo) -> None:
    _open(dash_duo, "/")
    dash_duo.find_element(f"#{ids.CLASSES} input[value='use_or_communication']").click()
    dash_duo.find_element(f"#{ids.WAVES} input[value='2020-02']").click()
    _until(dash_duo, lambda: dash_duo.find_element(f"#{ids.TABLE_COUNT}").text != "326 of 326 rows")
    wait_until_settled(dash_duo)
    count = dash_duo.find_element(f"#{ids.TABLE_COUNT}").text
    shown = int(count.split()[0])
    assert 0 < shown < 326 and not _grid(dash_duo)["library"], count  # the count follows; the grid is not loaded
    _scroll_to_records(dash_duo)
    _until(dash_duo, lambda: _grid(dash_duo)["rows"] == min(15, shown), what="the filtered rows")
    assert _paging_total(dash_duo) == str(shown)
    assert dash_duo.find_element(f"#{ids.TABLE_COUNT}").text == count
    assert dash_duo.get_logs() == []


def test_keyboard_focus_in_the_section_loads_the_grid(dash_duo) -> None:
    _open(dash_duo, "/")
    # Focus without scrolling: the focus itself (a Tab into the search box) is what asks for the table.
    dash_duo.driver.execute_script(f"document.getElementById('{ids.TABLE_SEARCH}').focus({{preventScroll: true}})")
    _until(dash_duo, lambda: _grid(dash_duo)["rows"] == 15, what="the grid after focus")
    assert dash_duo.get_logs() == []


def test_with_the_grid_shown_a_filter_change_still_costs_two_requests(dash_duo) -> None:
    _open(dash_duo, "/")
    _scroll_to_records(dash_duo)
    _until(dash_duo, lambda: _grid(dash_duo)["rows"] == 15, what="the grid")
    wait_until_settled(dash_duo)
    wait_until_quiet(dash_duo, 1)
    for control, total in (
        (f"#{ids.CLASSES} input[value='use_or_communication']", None),
        (f"#{ids.DATE_BACK}", None),
        (f"#{ids.CLASSES} input[value='use_or_communication']", "326"),
    ):
        before = dash_duo.driver.execute_script(_CALLBACK_POSTS)
        dash_duo.find_element(control).click()
        _until(dash_duo, lambda start=before: dash_duo.driver.execute_script(_CALLBACK_POSTS) >= start + 2)
        wait_until_quiet(dash_duo, 1.5)  # anything slower to start would show up here
        assert dash_duo.driver.execute_script(_CALLBACK_POSTS) - before == 2, control
        # The grid follows the filters from the rows in the map's answer, with no request of its own.
        count = dash_duo.find_element(f"#{ids.TABLE_COUNT}").text.split()[0]
        _until(dash_duo, lambda c=count: _paging_total(dash_duo) == c, what="the grid's rows follow the count")
        if total:
            assert count == total
    assert dash_duo.get_logs() == []
