"""The static snapshot (`python -m dashboard publish DIR`): its address mapping, its reproducibility, a crawl of it
served by `python -m http.server` with no broken link, and its API files equal to the live API's answers."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from dashboard.config import Config, load_config
from dashboard.data.errors import DataError
from dashboard.data.model import Model
from dashboard.publish import Links, file_for, needs_app, publish, rewrite_page, static_link

REPO = Path(__file__).resolve().parents[1]
PUBLIC = "https://snapshot.example.org"
APP = "https://map.example.org"
LINKS = Links(PUBLIC, APP, images=False)


# -- the address mapping --


@pytest.mark.parametrize(
    ("path", "file"),
    [
        ("/town/boston", "town/boston/index.html"),
        ("/agency/msp", "agency/msp/index.html"),
        ("/town/boston.png", "town/boston.png"),
        ("/data", "data/index.html"),
        ("/data/changes", "data/changes/index.html"),
        ("/town-search", "town-search/index.html"),
        ("/api/v1/", "api/v1/index.html"),
        ("/api/v1/towns", "api/v1/towns.json"),
        ("/api/v1/towns/boston", "api/v1/towns/boston.json"),
        ("/api/v1/records", "api/v1/records.json"),
        ("/api/v1/openapi.json", "api/v1/openapi.json"),
        ("/download/towns.geojson", "download/towns.geojson"),
        ("/sitemap.xml", "sitemap.xml"),
        ("/robots.txt", "robots.txt"),
        ("/404", "404.html"),
        ("/", "index.html"),
    ],
)
def test_each_address_has_the_file_a_static_host_serves_there(path: str, file: str) -> None:
    assert file_for(path) == file


def test_each_file_names_the_address_it_answers() -> None:
    from dashboard.publish import address_of

    for path in ("/town/boston", "/api/v1/", "/api/v1/towns", "/api/v1/towns/boston", "/api/v1/openapi.json"):
        assert address_of(file_for(path)) == path
    assert address_of("download/towns.csv") == "/download/towns.csv"
    assert address_of("snapshot.json") is None and address_of("index.html") is None


def test_what_needs_python_goes_to_the_live_app() -> None:
    assert needs_app("/", "town=35", "href")
    assert needs_app("/api/v1/view", "classes=use", "href")
    assert needs_app("/image/view.png", "town=35", "href")
    assert needs_app("/town-search", "", "action")  # the search form
    assert needs_app("/compare", "", "action")
    assert not needs_app("/town-search", "", "href")  # the list of every town is a page of the snapshot
    assert not needs_app("/town/boston", "", "href")


def test_links_are_rewritten_only_where_a_static_host_cannot_answer() -> None:
    assert static_link("/?town=35", "href", LINKS) == f"{APP}/?town=35"
    assert static_link("/", "href", LINKS) == f"{APP}/"
    assert static_link("/api/v1/view?classes=use&amp;town=35", "href", LINKS) == (
        f"{APP}/api/v1/view?classes=use&amp;town=35"
    )
    assert static_link("/api/v1/towns/boston", "href", LINKS) == "/api/v1/towns/boston.json"
    assert static_link("/town-search", "action", LINKS) == f"{APP}/town-search"
    assert static_link("/town/boston", "href", LINKS) == "/town/boston"
    assert static_link("/download/towns.csv", "href", LINKS) == "/download/towns.csv"
    assert static_link("#/api/v1/towns", "href", LINKS) == "#/api/v1/towns"
    assert static_link("https://data.aclum.org/public-records/frt-ma/", "href", LINKS).startswith("https://data.")
    # Without images, a link card comes from the app; the canonical address stays the snapshot's.
    assert static_link(f"{PUBLIC}/town/boston.png", "content", LINKS) == f"{APP}/town/boston.png"
    assert static_link(f"{PUBLIC}/town/boston", "href", LINKS) == f"{PUBLIC}/town/boston"
    with_images = Links(PUBLIC, APP, images=True)
    assert static_link(f"{PUBLIC}/town/boston.png", "content", with_images) == f"{PUBLIC}/town/boston.png"
    page = '<a href="/api/v1/towns">x</a><meta content="website"><form action="/compare">'
    assert rewrite_page(page, LINKS) == (
        f'<a href="/api/v1/towns.json">x</a><meta content="website"><form action="{APP}/compare">'
    )


def test_a_snapshot_needs_its_public_address(model: Model, config: Config, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="DASHBOARD_PUBLIC_URL"):
        publish(model, replace(config, public_url=""), tmp_path / "out", images=False)


def test_the_app_address_is_checked_and_named() -> None:
    with pytest.raises(DataError, match="DASHBOARD_APP_URL"):
        load_config(env={"DASHBOARD_APP_URL": "map.example.org"})
    assert load_config(env={"DASHBOARD_APP_URL": "https://map.example.org/"}).app_url == "https://map.example.org"


def test_a_folder_holding_something_else_is_left_alone(model: Model, config: Config, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(DataError, match="holds no snapshot"):
        publish(model, replace(config, public_url=PUBLIC), tmp_path, images=False)
    assert (tmp_path / "notes.txt").read_text() == "mine"


# -- the whole snapshot --


def _publish(out: Path, seed: str) -> None:
    """Build a snapshot in a process of its own (another hash seed: set order differs between processes)."""
    env = {**os.environ, "PYTHONHASHSEED": seed, "DASHBOARD_PUBLIC_URL": PUBLIC, "DASHBOARD_APP_URL": APP}
    command = [sys.executable, "-m", "dashboard", "publish", str(out), "--no-images"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("snapshot") / "site"
    _publish(out, "1")
    return out


def test_the_same_data_gives_the_same_bytes(snapshot: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    _publish(again, "2")
    first, second = _hashes(snapshot), _hashes(again)
    assert len(first) > 351 + 40  # every town's page and API answer at least
    assert first == second
    # Publishing over an earlier snapshot replaces it, with the same bytes.
    _publish(again, "3")
    assert _hashes(again) == first


def test_the_snapshot_records_the_apps_data_version_and_every_file(snapshot: Path, model: Model) -> None:
    manifest = json.loads((snapshot / "snapshot.json").read_text())
    assert manifest["data_version"] == model.data_version
    live = json.loads((snapshot / "api/v1/towns.json").read_text())
    assert manifest["data_version"] == live["data_version"]
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_disk = _hashes(snapshot)
    on_disk.pop("snapshot.json")
    assert listed == on_disk
    assert model.data_version in (snapshot / "town/boston/index.html").read_text()  # the footer names it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(snapshot: Path) -> Iterator[str]:
    """The snapshot served by Python's plain static server."""
    port = _free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(snapshot)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


_ATTRIBUTE = re.compile(r'\b(href|src|action|content)="([^"]*)"')


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # follows the directory redirects
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def test_every_internal_link_of_every_page_works_on_a_plain_static_server(served: str, snapshot: Path) -> None:
    pages = ["/", "/town-search"] + [
        "/" + str(p.parent.relative_to(snapshot)) for p in sorted(snapshot.rglob("index.html")) if p.parent != snapshot
    ]
    todo, seen, broken, to_app = list(pages), set(), [], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        status, kind, body = _fetch(served + path)
        if status != 200:
            broken.append(path)
            continue
        if not kind.startswith("text/html"):
            continue
        for attribute, value in _ATTRIBUTE.findall(body.decode()):
            value = html.unescape(value)
            if attribute == "content" and "://" not in value:
                continue  # a meta value, not an address
            if value.startswith(APP):
                to_app.add(value)
                continue
            target = urlsplit(urljoin(PUBLIC + path, value))
            if f"{target.scheme}://{target.netloc}" == PUBLIC:
                assert attribute != "action", f"{path}: a form that needs the app sends to the snapshot: {value}"
                todo.append(target.path + ("?" + target.query if target.query else ""))
            else:
                # No other address of this site's: never the host the pages were built on, never a local one.
                assert target.hostname not in ("localhost", "127.0.0.1", "dashboard", "snapshot.example.org")
    assert broken == []
    assert len(seen) > 351 + 40
    # The map and the search are the live app's, at the configured address.
    assert f"{APP}/?town=35" in to_app
    assert f"{APP}/town-search" in to_app


def test_the_api_files_are_the_live_apis_answers(served: str, snapshot: Path, model: Model, config: Config) -> None:
    from dashboard.server import create_app

    client = create_app(model, data_dir=config.data_dir, cache_dir=config.cache_dir).server.test_client()
    files = sorted((snapshot / "api/v1").rglob("*.json"))
    assert len(files) == 4 + 1 + 351  # four tables, the description, every town
    for file in files:
        relative = "/" + str(file.relative_to(snapshot))
        live_path = relative if relative.endswith("openapi.json") else relative.removesuffix(".json")
        status, kind, body = _fetch(served + relative)
        assert status == 200 and kind.startswith("application/json"), relative
        live = client.get(live_path)
        assert live.status_code == 200, live_path
        assert json.loads(body) == live.get_json(), relative


def test_the_host_files_map_the_live_api_addresses(snapshot: Path) -> None:
    redirects = (snapshot / "_redirects").read_text().splitlines()
    assert "/api/v1/towns/:slug /api/v1/towns/:slug.json 200" in redirects
    assert f"/api/v1/view {APP}/api/v1/view 302" in redirects
    headers = (snapshot / "_headers").read_text()
    assert "Access-Control-Allow-Origin: *" in headers
    assert f"form-action 'self' {APP}" in headers  # the forms send to the app
    not_found = (snapshot / "404.html").read_text()
    assert 'action="https://map.example.org/town-search"' in not_found


def test_a_link_card_is_drawn_through_the_render_pool(model: Model, config: Config, tmp_path: Path) -> None:
    import struct

    from dashboard.publish import draw_images, pool_drawer

    files = draw_images(
        [("/town/boston.png", "town", "boston")], pool_drawer(model, replace(config, cache_dir=tmp_path))
    )
    data = files["town/boston.png"]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1920, 1008)  # the link card's size, as the README states
    assert any((tmp_path / "images").iterdir())  # kept in the pool's disk cache
