"""Link-card preview images: the page heads that name them, /town/<slug>.png and /agency/<id>.png through the
render pool (its cache, ETag and refusals), one real drawing, and the configured public address.

The drawing injected here runs in the pool's drawing process, which imports it from this module: it is a
module-level function and counts its calls in a file named by an environment variable.
"""

from __future__ import annotations

import os
import struct
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from html_check import Page
from image_check import png_size

from dashboard.config import ENV_PUBLIC_URL
from dashboard.data.model import Model
from dashboard.exports.render_pool import MISSING_MESSAGE, Busy, ChromiumMissing, RenderPool, RenderTimeout
from dashboard.server import create_app
from dashboard.serving.images import register_images
from dashboard.state.view import ViewState

COUNT = "TEST_PREVIEW_IMAGES_COUNT"  # a file: one line per drawing made in the drawing process
FAKE_SIZE = 5_000
#: The social cards' 1.91:1 (1200×630), at the slide's width: written here, not read from the code.
CARD = (1920, 1008)
SLIDE = (1920, 1080)


def quick_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    path = os.environ.get(COUNT)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
    head = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + struct.pack(">II", width, height)  # as a PNG starts
    return head + b"\0" * (FAKE_SIZE - len(head))


def slow_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    time.sleep(2)
    return quick_draw(figure, fmt, width, height)


class RefusingPool(RenderPool):
    """A pool that cannot draw now: every image not yet drawn is refused with `error`."""

    def __init__(self, error: Exception) -> None:
        super().__init__(None, draw=quick_draw)
        self.error = error

    def render(
        self, model: Model, state: ViewState, fmt: str = "png", size: str = "wide", exported: date | None = None
    ) -> Any:
        raise self.error

    def render_compare(
        self, model: Model, town_ids: tuple[int, ...], fmt: str = "png", exported: date | None = None
    ) -> Any:
        raise self.error


# --- helpers -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(model: Model) -> Iterator[Flask]:
    """The app as configured with no public address: absolute addresses name the request's host."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_PUBLIC_URL, raising=False)
        yield create_app(model).server


@pytest.fixture()
def counter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """How many drawings the drawing processes made (they inherit the variable when the pool starts them)."""
    path = tmp_path / "count"
    monkeypatch.setenv(COUNT, str(path))
    return lambda: len(path.read_text().splitlines()) if path.exists() else 0


def _with_pool(server: Flask, model: Model, pool: RenderPool, pools: list[RenderPool], tmp: Path) -> FlaskClient:
    pools.append(pool)
    register_images(server, model, tmp, pool=pool)
    return server.test_client()


def _metas(text: str) -> dict[str, str]:
    page = Page(text)
    assert page.errors == [] and page.open == []
    return {str(a.get("name") or a.get("property")): str(a.get("content")) for a in page.all("meta")}


def _town_id(model: Model, name: str) -> int:
    return int(model.towns.index[model.towns["town"].eq(name)][0])


# --- the page heads ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "image", "size", "words"),
    [
        ("/town/boston", "/town/boston.png", CARD, ["Boston highlighted", "Use or communication"]),
        ("/town/west-springfield", "/town/west-springfield.png", CARD, ["West Springfield highlighted"]),
        ("/town/alford", "/town/alford.png", CARD, ["Alford highlighted", "Not listed: no reply published"]),
        ("/agency/msp", "/agency/msp.png", CARD, ["Massachusetts State Police"]),
        ("/compare/boston+cambridge", "/compare/boston+cambridge.png", SLIDE, ["comparing Boston and Cambridge"]),
    ],
)
def test_a_page_names_its_preview_image_and_the_app_answers_it(
    server, model, tmp_path, pools, path, image, size, words
) -> None:
    # Every image, the compare slide's too, is drawn by the render pool: here with the quick stand-in drawing.
    client = _with_pool(server, model, RenderPool(tmp_path / "images", draw=quick_draw), pools, tmp_path)
    page = client.get(path)
    assert page.status_code == 200
    metas = _metas(page.get_data(as_text=True))
    assert metas["og:image"] == "http://localhost" + image
    assert (metas["og:image:width"], metas["og:image:height"]) == (str(size[0]), str(size[1]))
    assert metas["og:image:type"] == "image/png"
    assert metas["twitter:card"] == "summary_large_image"
    alt = metas["og:image:alt"]
    assert metas["twitter:image:alt"] == alt
    for word in words:
        assert word in alt, (word, alt)
    assert "Clearview AI" in alt and len(alt) <= 420  # the longest alt text the big platforms keep
    assert "_" not in alt and ".png" not in alt and "?" not in alt  # plain words: no code, file or query
    answer = client.get(metas["og:image"])  # the absolute address, as a crawler asks for it
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    assert png_size(answer.data) == size


def test_a_combined_record_has_no_preview_and_the_home_page_is_dashs(server, model, tmp_path, pools) -> None:
    client = _with_pool(server, model, RenderPool(tmp_path / "images", draw=quick_draw), pools, tmp_path)
    combined = client.get("/agency/various_police")  # several agencies' record: no view of its own on the map
    assert combined.status_code == 200 and "og:image" not in _metas(combined.get_data(as_text=True))
    assert client.get("/agency/various_police.png").status_code == 404
    assert "og:image" not in client.get("/").get_data(as_text=True)


def test_an_unknown_address_is_404_and_another_spelling_redirects(server, model, tmp_path, pools, counter) -> None:
    client = _with_pool(server, model, RenderPool(tmp_path / "images", draw=quick_draw), pools, tmp_path)
    for path in ("/town/atlantis.png", "/agency/nobody.png", "/town/.png", "/town/%3Cscript%3E.png"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.mimetype == "text/plain" and "<" not in answer.get_data(as_text=True)
    for path, target in [
        ("/town/boston-pd.png", "/town/boston.png"),
        ("/town/Manchester-By-The-Sea.png", "/town/manchester.png"),
        ("/agency/norfolk-sheriff.png", "/agency/norfolk_sheriff.png"),
        ("/town/massachusetts-state-police.png", "/agency/msp.png"),
    ]:
        answer = client.get(path)
        assert answer.status_code == 301 and answer.headers["Location"] == target, path
    assert counter() == 0  # nothing drawn for any of them


# --- the image route -------------------------------------------------------------------------------------------


def test_the_preview_is_the_image_routes_view_with_its_cache_and_etag(server, model, tmp_path, pools, counter) -> None:
    client = _with_pool(server, model, RenderPool(tmp_path / "images", draw=quick_draw), pools, tmp_path)
    first = client.get("/town/boston.png")
    assert first.status_code == 200 and counter() == 1
    assert png_size(first.data) == CARD
    assert first.headers["Content-Disposition"] == 'inline; filename="ma-surveillance-vendors-boston-2021-12-card.png"'
    assert first.headers["Cache-Control"] == "public, max-age=3600"
    etag = first.headers["ETag"]
    # The same view through /image/ (the map's `?town=<id>` at the card size) is the same image, drawn once.
    same = client.get(f"/image/view.png?town={_town_id(model, 'Boston')}&size=card")
    assert same.status_code == 200 and same.headers["ETag"] == etag and same.data == first.data
    assert counter() == 1
    assert client.get("/town/boston.png", headers={"If-None-Match": etag}).status_code == 304
    other = client.get("/town/cambridge.png")
    assert other.status_code == 200 and other.headers["ETag"] != etag and counter() == 2
    agency = client.get("/agency/msp.png")
    assert agency.status_code == 200 and agency.headers["ETag"] not in (etag, other.headers["ETag"])
    assert counter() == 3


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Busy("The server is drawing other images right now. Please try again in 7 seconds.", 7), 429),
        (RenderTimeout("Drawing this image took longer than 30 seconds.", 30), 503),
        (ChromiumMissing(MISSING_MESSAGE, 60), 503),
    ],
)
def test_a_pool_that_cannot_draw_now_is_429_or_503_with_retry_after(
    server, model, tmp_path, pools, error, status
) -> None:
    client = _with_pool(server, model, RefusingPool(error), pools, tmp_path)
    for path in ("/town/worcester.png", "/agency/msp.png", "/compare/boston+cambridge.png"):
        answer = client.get(path)
        assert answer.status_code == status, path
        assert answer.headers["Retry-After"] == str(error.retry_after)
        assert answer.headers["Cache-Control"] == "no-store"  # a refusal is not kept by a cache on the way
        assert answer.mimetype == "text/plain" and answer.get_data(as_text=True).strip() == error.message
    page = client.get("/town/worcester")  # the page itself does not wait for its image
    assert page.status_code == 200 and "og:image" in page.get_data(as_text=True)


def test_the_compare_slide_is_drawn_by_the_pool_once_with_its_etag(server, model, tmp_path, pools, counter) -> None:
    client = _with_pool(server, model, RenderPool(tmp_path / "images", draw=quick_draw), pools, tmp_path)
    first = client.get("/compare/boston+cambridge.png")
    assert first.status_code == 200 and first.mimetype == "image/png" and counter() == 1
    assert png_size(first.data) == SLIDE
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.headers["Cache-Control"] == "public, max-age=3600"
    again = client.get("/compare/boston+cambridge.png")
    assert again.data == first.data and again.headers["ETag"] == etag and counter() == 1  # from the disk cache
    held = client.get("/compare/boston+cambridge.png", headers={"If-None-Match": etag})
    assert held.status_code == 304 and held.data == b"" and counter() == 1
    other = client.get("/compare/cambridge+boston.png")  # another order is another slide
    assert other.status_code == 200 and other.headers["ETag"] != etag and counter() == 2
    for garbage in ('""', "W/", ",", '"', "nonsense"):
        answer = client.get("/compare/boston+cambridge.png", headers={"If-None-Match": garbage})
        assert answer.status_code == 200 and answer.data == first.data, garbage


def test_a_full_queue_refuses_a_preview_at_once(server, model, tmp_path, pools) -> None:
    pool = RenderPool(tmp_path / "images", draw=slow_draw, max_waiting=0)  # one drawing, none waiting beside it
    client = _with_pool(server, model, pool, pools, tmp_path)
    drawing = threading.Thread(target=client.get, args=("/town/boston.png",))
    drawing.start()
    deadline = time.monotonic() + 30
    while pool.pending < 1:
        assert time.monotonic() < deadline, "the first drawing never started"
        time.sleep(0.02)
    started = time.monotonic()
    refused = client.get("/town/springfield.png")
    assert refused.status_code == 429 and time.monotonic() - started < 1  # refused at once, not after waiting
    assert int(refused.headers["Retry-After"]) >= 1
    drawing.join(60)
    assert client.get("/town/springfield.png").status_code == 200  # room again


def test_a_real_preview_is_a_1920_by_1008_png_then_served_from_the_cache(server, model, tmp_path, pools) -> None:
    pool = RenderPool(tmp_path / "images")  # kaleido and Chromium, as in production
    client = _with_pool(server, model, pool, pools, tmp_path)
    started = time.monotonic()
    answer = client.get("/town/worcester.png")
    drawn = time.monotonic() - started
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "image/png"
    assert png_size(answer.data) == CARD
    assert len(answer.data) > 100_000  # a map, not an empty page
    started = time.monotonic()
    again = client.get("/town/worcester.png")
    hit = time.monotonic() - started
    assert again.data == answer.data and again.headers["ETag"] == answer.headers["ETag"]
    assert hit < 0.5 < drawn and pool.draws == 1
    print(f"real preview (new drawing process and Chromium): {drawn:.2f} s; cached: {hit * 1000:.1f} ms")


# --- the public address --------------------------------------------------------------------------------------


def test_a_configured_public_address_is_written_everywhere(model, tmp_path, pools, monkeypatch) -> None:
    monkeypatch.setenv(ENV_PUBLIC_URL, "https://map.example.org/ma/")
    app = create_app(model)
    client = _with_pool(app.server, model, RenderPool(tmp_path / "images", draw=quick_draw), pools, tmp_path)
    # The request names another host (as behind a proxy): the configured address wins.
    page = client.get("/town/boston", base_url="http://127.0.0.1:8050")
    metas = _metas(page.get_data(as_text=True))
    canonical = [a for a in Page(page.get_data(as_text=True)).all("link") if a.get("rel") == "canonical"]
    assert canonical == [{"rel": "canonical", "href": "https://map.example.org/ma/town/boston"}]
    assert metas["og:url"] == "https://map.example.org/ma/town/boston"
    assert metas["og:image"] == "https://map.example.org/ma/town/boston.png"
    compared = _metas(client.get("/compare/boston+cambridge").get_data(as_text=True))
    assert compared["og:image"] == "https://map.example.org/ma/compare/boston+cambridge.png"
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "<loc>https://map.example.org/ma/town/boston</loc>" in sitemap
    assert "localhost" not in sitemap and "127.0.0.1" not in sitemap
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: https://map.example.org/ma/sitemap.xml" in robots.splitlines()
    # The app answers the image under its own path; the prefix is the front end's.
    assert client.get(urlsplit(metas["og:image"]).path.removeprefix("/ma")).status_code == 200


def test_without_a_public_address_the_requests_host_is_used(server, model, tmp_path, pools) -> None:
    client = _with_pool(server, model, RenderPool(tmp_path / "images", draw=quick_draw), pools, tmp_path)
    page = client.get("/town/boston", base_url="https://other.example:8443")
    metas = _metas(page.get_data(as_text=True))
    assert metas["og:url"] == "https://other.example:8443/town/boston"
    assert metas["og:image"] == "https://other.example:8443/town/boston.png"
    robots = client.get("/robots.txt", base_url="https://other.example:8443").get_data(as_text=True)
    assert "Sitemap: https://other.example:8443/sitemap.xml" in robots.splitlines()
