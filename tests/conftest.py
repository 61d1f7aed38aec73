"""Shared fixtures: the real model, a writable copy of data/, and one app server and one Chrome for the browser tests.

The app is read-only, so a test session serves it once and drives it with one Chrome (each xdist worker has its own
session, so its own server on a port the system picks and its own Chrome): `dash_duo` is that Chrome, reset for each
test. It replaces dash.testing's fixture of that name, which started a server on a fixed port and a Chrome per test.
"""

from __future__ import annotations

import shutil
import threading
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import dash
import pytest
from dash.testing.browser import Browser
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import WSGIRequestHandler, make_server

from dashboard.config import DEFAULT_BOUNDARIES, DEFAULT_DATA_DIR, Config, load_config
from dashboard.data.model import Model, build_model
from dashboard.exports.render_pool import RenderPool
from dashboard.server import create_app
from dashboard.serving.images import image_pool

#: Tests marked here rather than in their files (which other people edit): module -> test function -> its mark, or
#: "*" -> a mark for the whole module. `browser`: drives Chromium (selenium, or kaleido drawing an image); `slow`: over
#: ~2 s without a browser. Every test that takes `dash_duo` is marked `browser` without being listed here.
MARKS: dict[str, dict[str, str]] = {
    "test_export_queue.py": {"*": "slow"},  # a drawing process per test, drawings that wait on purpose
    "test_drawing_bounds.py": {"*": "slow"},  # worker processes, one killed mid-drawing; one real Chromium
    "test_fresh_clone.py": {"*": "slow"},  # a fresh clone, installed and started
    "test_speed_equivalence.py": {"*": "slow"},  # every month of the time control, against plain pandas
    "test_briefing.py": {
        "test_png_export_has_the_slide_size": "browser",
        "test_svg_export_carries_title_filters_source_and_date": "browser",
        "test_render_command_writes_one_image_per_named_view": "browser",
        "test_the_render_command_draws_a_before_and_after_slide": "browser",
        "test_render_command_rejects_a_bad_view_name": "slow",
    },
    "test_embed_compare.py": {
        "test_compare_slide_png": "browser",
        "test_a_slide_names_the_data_version": "browser",
        "test_exports_name_the_data_version": "slow",
        "test_compare_slide_figure_has_a_map_per_town": "slow",
        "test_the_map_page_footer_names_the_data_version": "slow",
    },
    "test_plain_words.py": {
        "test_a_slide_speaks_plain_words": "browser",
        "test_the_page_panels_hover_and_table_speak_plain_words": "slow",
        "test_sentences_start_with_a_capital": "slow",  # shares the slow fixture of the one above
    },
    "test_preview_images.py": {
        "test_a_real_preview_is_a_1920_by_1008_png_then_served_from_the_cache": "browser",
        "test_a_full_queue_refuses_a_preview_at_once": "slow",
        "test_a_configured_public_address_is_written_everywhere": "slow",
        "test_the_preview_is_the_image_routes_view_with_its_cache_and_etag": "slow",
        "test_a_page_names_its_preview_image_and_the_app_answers_it": "slow",
        "test_the_compare_slide_is_drawn_by_the_pool_once_with_its_etag": "slow",
    },
    "test_site_facts.py": {"test_no_if_none_match_makes_a_500": "slow"},
    "test_snapshot.py": {  # each whole snapshot is built in a process of its own (about 15 s)
        "test_the_same_data_gives_the_same_bytes": "slow",
        "test_the_snapshot_records_the_apps_data_version_and_every_file": "slow",
        "test_every_internal_link_of_every_page_works_on_a_plain_static_server": "slow",
        "test_the_api_files_are_the_live_apis_answers": "slow",
        "test_the_host_files_map_the_live_api_addresses": "slow",
        "test_a_link_card_is_drawn_through_the_render_pool": "browser",
    },
    "test_slide_facts.py": {
        "test_no_slide_says_published_or_not_yet_asked": "slow",
        "test_render_compare_draws_once_and_keys_the_cache_by_towns_order_and_day": "slow",
        "test_the_leak_warning_is_quoted_with_its_address_where_those_classes_are_shown": "slow",
    },
    "test_slide_layout.py": {"test_type_is_projector_sized_on_the_wide_slides": "slow"},  # every view laid out
    "test_export.py": {
        "test_events_export_as_geojson": "slow",
        "test_geojson_export_to_file": "slow",
        "test_agencies_export_lists_statewide_and_county_agencies": "slow",
    },
    "test_hardening.py": {
        "test_the_app_stops_at_once_on_a_bad_frame_ancestors_value": "slow",
        "test_the_app_stops_at_once_on_a_bad_public_address": "slow",
        "test_the_app_refuses_an_unchecked_frame_ancestors_value": "slow",
        "test_a_cache_of_the_wrong_shape_is_rebuilt_with_one_warning": "slow",
        "test_a_usable_cache_folder_says_nothing": "slow",
        "test_gunicorn_fails_fast_on_broken_data": "slow",
    },
    "test_security.py": {
        "test_production_server_serves_the_page_compressed": "slow",
        "test_framing_allowed_only_when_configured": "slow",
    },
    "test_site.py": {"test_every_town_page": "slow", "test_text_from_the_data_is_escaped": "slow"},
    "test_validation.py": {
        "test_a_new_vendor_is_a_data_only_change": "slow",
        "test_duplicate_town_id_in_boundaries": "slow",
        "test_real_data_matches_the_published_counts": "slow",
        "test_a_spreadsheet_byte_order_mark_still_loads": "slow",
    },
    "test_geodata.py": {"test_the_build_runs_without_a_usable_model": "slow"},
    "test_geometry.py": {"test_simplified_towns_leave_no_gaps_or_overlaps": "slow"},
    "test_model.py": {"test_a_corrupt_cache_is_rebuilt": "slow"},
    "test_openapi.py": {"test_schemathesis_finds_no_fault": "slow"},  # Schemathesis's run, about 50 s
}
#: A test slower than this that is neither `slow` nor `browser` is named at the end of the run (it slows the fast lane).
SLOW_SECONDS = 2.0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the browser tests and the slow ones (see MARKS); a listed test that no longer exists is warned about."""
    marked: set[tuple[str, str]] = set()
    for item in items:
        if "dash_duo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        module = Path(str(item.fspath)).name
        name = getattr(item, "originalname", item.name)
        listed = MARKS.get(module, {})
        for key in ("*", name):
            if key in listed:
                item.add_marker(getattr(pytest.mark, listed[key]))
                marked.add((module, key))
    collected = {Path(str(item.fspath)).name for item in items}
    stale = [f"{m}::{n}" for m in sorted(collected & MARKS.keys()) for n in MARKS[m] if (m, n) not in marked]
    if stale:
        gone = ", ".join(stale)
        warnings.warn(pytest.PytestWarning(f"tests/conftest.py MARKS names tests that are gone: {gone}"), stacklevel=2)


_unmarked_slow: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Note a test that took longer than SLOW_SECONDS but is in the fast lane."""
    if report.when == "call" and report.duration > SLOW_SECONDS:
        if "slow" not in report.keywords and "browser" not in report.keywords:
            _unmarked_slow.append(f"{report.duration:.1f} s  {report.nodeid}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Name the fast lane's slow tests: mark them `slow` in MARKS, or make them faster."""
    if _unmarked_slow:
        terminalreporter.section(f"over {SLOW_SECONDS:.0f} s but not marked slow (tests/conftest.py MARKS)")
        for line in _unmarked_slow:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(env={})


@pytest.fixture(scope="session")
def model(config: Config) -> Model:
    return build_model(config)


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for breaking one file at a time."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


@pytest.fixture()
def copy_config(data_copy: Path, tmp_path: Path) -> Config:
    return Config(data_dir=data_copy, boundaries=DEFAULT_BOUNDARIES, cache_dir=tmp_path / "cache")


def pytest_setup_options():
    """Chrome flags for a closed network, run as root (see STACK-NOTES)."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in (
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--window-size=1280,800",
    ):
        options.add_argument(flag)
    return options


@pytest.fixture()
def pools() -> Iterator[list[RenderPool]]:
    """Pools made by a test, closed after it (their drawing processes and any Chromium stop)."""
    made: list[RenderPool] = []
    yield made
    for pool in made:
        pool.close()


# --- one server and one Chrome per session --------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's request handler without a log line per request (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serving(app: dash.Dash) -> Iterator[str]:
    """`app` served by a threaded WSGI server on a port the system picks (no clash between runs or workers)."""
    server = make_server("127.0.0.1", 0, app.server, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name=f"app-{server.server_port}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def app_url(model: Model, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of the session's one server of `create_app(model)` (its image cache in a folder of its own)."""
    app = create_app(model, cache_dir=tmp_path_factory.mktemp("cache"))
    with serving(app) as url:
        yield url
    image_pool(app.server).close()


class SharedBrowser(Browser):
    """dash.testing's Browser (its waits, find_element, get_logs...), made once and reset between tests.

    `open(path)` loads a page of the session's server; `start_server(app)` serves another app for one test (a
    different model, pool or header) on a free port and opens it, as dash_duo did. Whatever a test changes in the
    browser (window size and windows, storage, cookies, cache, scripts added to new pages, blocked addresses, the
    download folder) is put back before the next.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._made_with = kwargs
        super().__init__(**kwargs)
        self._fresh()
        self._servers = ExitStack()
        self._origins: set[str] = set()
        self._scripts: list[str] = []

    def _fresh(self) -> None:
        """Note the new driver's starting state, to go back to it after each test."""
        self._home = self.driver.current_window_handle
        self._size = self.driver.get_window_size()
        self._script_timeout = self.driver.timeouts.script

    def begin(self, url: str, downloads: Path) -> None:
        """Ready for a test: a working Chrome, pointed at `url` (not yet loaded), downloading into `downloads`."""
        try:
            self.driver.get_log("browser")  # read out (and so cleared): get_logs() shows this test's lines only
        except WebDriverException:  # Chrome died in an earlier test: start another
            self._restart()
        self._last_ts = 0
        self._url = url
        self._origins.add(url)
        downloads.mkdir(parents=True, exist_ok=True)
        self._download_path = str(downloads)
        self.driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )

    def end(self) -> None:
        """Put back what the test changed, so the next test meets a browser as fresh as a new one."""
        self._servers.close()
        driver = self.driver
        try:
            for handle in driver.window_handles:
                if handle != self._home:
                    driver.switch_to.window(handle)
                    driver.close()
            driver.switch_to.window(self._home)
            for identifier in self._scripts:
                driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": identifier})
            self._scripts.clear()
            driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
            driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
            driver.get("about:blank")
            for origin in self._origins:
                driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            self._origins.clear()
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
            driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
            driver.set_window_size(self._size["width"], self._size["height"])
            driver.set_script_timeout(self._script_timeout)
        except WebDriverException:
            self._restart()

    def _restart(self) -> None:
        """A new Chrome in place of one that no longer answers."""
        try:
            self.driver.quit()
        except WebDriverException:
            pass
        Browser.__init__(self, **self._made_with)
        self._fresh()
        self._origins.clear()
        self._scripts.clear()

    def open(self, path: str = "/") -> None:
        """Load `path` of the current server and wait for Dash's entry point (as dash_duo's start_server did) and, where
        the page loads Dash at once (a wide window), for Dash's layout to take over from the first view."""
        self.wait_for_page(self.server_url + path)
        taken = (
            "return !document.getElementById('dash-scripts') || !matchMedia('(min-width: 901px)').matches"
            " || document.querySelector('#react-entry-point.taken') !== null"
        )
        WebDriverWait(self.driver, 30).until(lambda driver: driver.execute_script(taken))

    def start_server(self, app: dash.Dash) -> None:
        """Serve `app` for this test only, on a free port, and open its first page."""
        url = self._servers.enter_context(serving(app))
        self._origins.add(url)
        self.server_url = url  # loads it and waits for Dash's entry point

    def on_new_document(self, source: str) -> None:
        """Run `source` in every page this test loads, before the page's own scripts."""
        added = self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
        self._scripts.append(added["identifier"])

    def as_phone(self, width: int = 390, height: int = 844) -> None:
        """Make the page a phone's for this test (its width, a touch screen), before the page is loaded."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
        )
        self.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})

    def without_script(self) -> None:
        """Run no page script for this test (a browser with JavaScript off), from the next page loaded."""
        self.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})

    def block_urls(self, patterns: tuple[str, ...]) -> None:
        """Fail every request whose address matches one of `patterns` (wildcards `*`) for this test."""
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": list(patterns)})


@pytest.fixture(scope="session")
def _chrome(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedBrowser]:
    """The session's one headless Chrome (the flags of pytest_setup_options)."""
    config = request.config
    browser = SharedBrowser(
        browser=config.getoption("webdriver"),
        remote=config.getoption("remote"),
        remote_url=config.getoption("remote_url"),
        headless=config.getoption("headless"),
        options=config.hook.pytest_setup_options(),
        download_path=str(tmp_path_factory.mktemp("downloads")),
        percy_run=False,
        pause=config.getoption("pause"),
    )
    yield browser
    browser.driver.quit()


@pytest.fixture()
def dash_duo(_chrome: SharedBrowser, app_url: str, tmp_path: Path) -> Iterator[SharedBrowser]:
    """The session's Chrome for one test, at the session's app server (`dash_duo.open(path)` loads a page)."""
    _chrome.begin(app_url, tmp_path / "download")
    yield _chrome
    _chrome.end()
