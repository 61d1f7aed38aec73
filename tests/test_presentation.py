"""The presentation view is one screen at common sizes, and "Embed this view" works as offered, from another site."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from browser_wait import SHAPES
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.data.model import Model
from dashboard.server import create_app
from dashboard.web import ids

SIZES = [(1280, 800), (1366, 768), (1920, 1080)]


# --- who may frame what (headers) -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(model: Model):
    return create_app(model).server.test_client()


def _ancestors(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", policy).group(1)  # type: ignore[union-attr]


def test_the_presentation_view_may_be_framed_by_any_site(client) -> None:
    response = client.get("/?present=1&town=35")
    assert response.status_code == 200
    assert _ancestors(response) == "*"
    assert "X-Frame-Options" not in response.headers
    # The rest of the policy stays as strict as on every page.
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/?town=35", "/?present=0", "/?present=yes", "/_dash-layout?present=1"])
def test_everything_else_refuses_to_be_framed(client, path: str) -> None:
    response = client.get(path)
    assert _ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_an_operators_setting_applies_to_the_presentation_view_too(model: Model) -> None:
    client = create_app(model, frame_ancestors="https://example.org").server.test_client()
    for path in ("/", "/?present=1"):
        response = client.get(path)
        assert _ancestors(response) == "https://example.org", path
        assert "X-Frame-Options" not in response.headers


def test_the_embed_dialog_says_who_may_frame_it(model: Model) -> None:
    from dashboard.web.layout import embed_control

    text = str(embed_control().to_plotly_json())
    assert "Any site may show it in a frame" in text


# --- one screen -----------------------------------------------------------------------------------------------------

_SCREEN = """
const line = document.querySelector('#page .site-footer .source-line');
const doc = document.documentElement;
const box = line ? line.getBoundingClientRect() : null;
return {inner: window.innerHeight, width: window.innerWidth, scroll: doc.scrollHeight, client: doc.clientHeight,
        body: document.body.scrollHeight, line: box ? box.bottom : null, shown: box ? box.height > 0 : false,
        map: document.querySelector('#map').getBoundingClientRect().height,
        legend: (document.querySelector('#legend') || {}).innerText || ''};
"""


def _inner_size(driver, width: int, height: int) -> None:
    """The window sized so that its page area is width x height."""
    driver.set_window_size(width, height)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_presentation_view_fits_one_screen(dash_duo, size: tuple[int, int]) -> None:
    driver = dash_duo.driver
    _inner_size(driver, *size)
    dash_duo.open("/?present=1")
    WebDriverWait(driver, 30).until(lambda d: len(d.find_elements("css selector", SHAPES)) == 351)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(_SCREEN)["shown"])
    state = driver.execute_script(_SCREEN)
    assert (state["width"], state["inner"]) == size
    assert state["line"] <= state["inner"], state  # the source line is on the screen, whole
    assert state["scroll"] <= state["client"] and state["body"] <= state["inner"], state  # and nothing scrolls
    assert state["map"] >= 0.6 * size[1], state  # the map takes most of the height
    assert "Use or communication" in state["legend"]
    assert dash_duo.get_logs() == []


# --- the embed code in a page of another site -----------------------------------------------------------------------


@contextmanager
def host_page(body: str) -> Iterator[str]:
    """A page of another origin (another host name and port) holding `body`: the reader's site."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            head = '<title>Host</title><link rel="icon" href="data:,">'  # no favicon asked for: a 404 logged
            page = f'<!doctype html><html lang="en"><head>{head}</head><body>{body}</body></html>'
            data = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_the_offered_embed_code_shows_the_map_on_another_site(dash_duo) -> None:
    driver = dash_duo.driver
    driver.set_window_size(1400, 1000)
    dash_duo.open("/?town=35&vendors=briefcam")
    dash_duo.wait_for_element(SHAPES, timeout=30)
    read = f"return document.getElementById('{ids.EMBED_CODE}').value"
    WebDriverWait(driver, 10).until(lambda d: "town=35" in d.execute_script(read))
    code = driver.execute_script(read)
    src = html.unescape(re.search(r'src="([^"]+)"', code).group(1))  # type: ignore[union-attr]
    assert "present=1" in src and src.startswith(dash_duo.server_url)
    with host_page(code) as url:
        assert not url.startswith(dash_duo.server_url)  # another origin
        driver.get(url)
        frame = dash_duo.find_element("iframe")
        driver.switch_to.frame(frame)
        try:
            # A refused frame stays an empty document: the map's towns drawn inside prove it was let in.
            WebDriverWait(driver, 30).until(lambda d: len(d.find_elements("css selector", SHAPES)) == 351)
            page_class = driver.find_element("id", ids.PAGE).get_attribute("class")
            assert "present" in page_class.split()
            assert "Boston" in driver.find_element("id", ids.CAPTION).text
        finally:
            driver.switch_to.default_content()
