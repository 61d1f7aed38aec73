"""Addresses that are no page answer 404 with the site's search box and a way home, not the whole map page; an
address with one slash too many is sent to its page; the map's own addresses still answer."""

from __future__ import annotations

import json
import re

import pytest
from html_check import Page

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.server import create_app


@pytest.fixture(scope="module")
def client(model: Model, config: Config):
    return create_app(model, data_dir=config.data_dir).server.test_client()


@pytest.mark.parametrize("path", ["/about", "/nothing", "/town/nowhere", "/town/nowhere/", "/a/b/c", "/about?x=1"])
def test_an_unknown_address_is_a_404_page_with_the_search_box(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, path
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    page = Page(body)
    assert page.errors == [] and page.open == []
    forms = page.all("form")
    assert {"action": "/town-search", "method": "get", "role": "search"} in forms
    assert any(i.get("name") == "q" for i in page.all("input"))
    hrefs = {a.get("href") for a in page.all("a")}
    assert "/" in hrefs and "/town-search" in hrefs and "/data" in hrefs
    assert "_dash-" not in body and "<script" not in body  # not the map page


def test_a_known_page_with_a_trailing_slash_is_sent_to_its_page(client) -> None:
    for path, target in [("/town/boston/", "/town/boston"), ("/agency/msp/", "/agency/msp"), ("/data/", "/data")]:
        response = client.get(path)
        assert response.status_code == 301, path
        assert response.headers["Location"] == target
    assert client.get("/town/boston/?x=1").headers["Location"] == "/town/boston?x=1"


@pytest.mark.parametrize(
    "path", ["/", "/?town=35&date=2019-12", "/?present=1", "/_dash-layout", "/_dash-dependencies", "/_reload-hash"]
)
def test_the_maps_own_addresses_still_answer(client, path: str) -> None:
    assert client.get(path).status_code == 200, path


def test_the_maps_scripts_and_assets_still_answer(client) -> None:
    body = client.get("/").get_data(as_text=True)
    page = Page(body)
    sources = [str(s["src"]) for s in page.all("script") if s.get("src")]
    # Dash's scripts wait in the first view's data block until the interactive map is wanted (web/first_view.py).
    listed = re.search(r'<script type="application/json" id="dash-scripts"[^>]*>(.*?)</script>', body)
    assert listed is not None
    sources += json.loads(listed.group(1))
    sheets = [str(link["href"]) for link in page.all("link") if link.get("rel") == "stylesheet"]
    assert any("/_dash-component-suites/" in s for s in sources)
    assert any(s.startswith("/assets/") for s in sources + sheets)
    for address in sources + sheets:
        assert client.get(address).status_code == 200, address
    assert client.get("/assets/no-such-file.js").status_code == 404


def test_the_site_pages_still_answer(client) -> None:
    for path in ["/town/boston", "/agency/msp", "/town-search", "/data", "/data/changes", "/sitemap.xml"]:
        assert client.get(path).status_code == 200, path
