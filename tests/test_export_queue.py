"""Image export off the request path: the render pool's queue, timeout, missing Chromium and cache, through
GET /image/<name>.<fmt>, one real drawing, and the page's status line beside the button.

The drawings injected here run in the pool's drawing process, which imports them from this module: they are
module-level functions and count their calls in a file named by an environment variable.
"""

from __future__ import annotations

import os
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from image_check import png_size, until

from dashboard.data.model import Model
from dashboard.exports.render_pool import MISSING_MESSAGE, RenderPool
from dashboard.server import create_app
from dashboard.serving.images import register_images
from dashboard.state.view import view
from dashboard.web import ids

COUNT = "TEST_EXPORT_QUEUE_COUNT"  # a file: one line per drawing made in the drawing process
PID = "TEST_EXPORT_QUEUE_PID"  # a file: the pid of the drawing process that hung
FAKE_SIZE = 10_000


# --- drawings injected into the drawing process ---------------------------------------------------------------


def _counted() -> None:
    path = os.environ.get(COUNT)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")


def quick_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    _counted()
    head = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + struct.pack(">II", width, height)  # as a PNG starts
    return head + b"\0" * (FAKE_SIZE - len(head))


def slow_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    time.sleep(3)
    return quick_draw(figure, fmt, width, height)


def hanging_square_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    """A square image never finishes (as a hung Chromium); a wide one is drawn at once."""
    if width == height:
        Path(os.environ[PID]).write_text(str(os.getpid()))
        time.sleep(3600)
    return quick_draw(figure, fmt, width, height)


def no_chromium_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    from choreographer.errors import ChromeNotFoundError

    _counted()
    # What kaleido raises when no browser is found (kaleido/kaleido.py).
    raise ChromeNotFoundError(
        "Kaleido v1 and later requires Chrome to be installed. To install Chrome, use the CLI command "
        "`kaleido_get_chrome`, or from Python, use either `await kaleido.get_chrome()` or `kaleido.get_chrome_sync()`."
    )


# --- helpers -----------------------------------------------------------------------------------------------------


@pytest.fixture()
def counter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """How many drawings the drawing processes made (they inherit the variable when the pool starts them)."""
    path = tmp_path / "count"
    monkeypatch.setenv(COUNT, str(path))
    return lambda: len(path.read_text().splitlines()) if path.exists() else 0


def _client(model: Model, pool: RenderPool, pools: list[RenderPool], cache_dir: Path) -> FlaskClient:
    pools.append(pool)
    app = create_app(model)
    register_images(app.server, model, cache_dir, pool=pool)
    return app.server.test_client()


# --- the route ---------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_full_queue_answers_429_with_retry_after_and_cached_images_still_flow(model, tmp_path, pools) -> None:
    pool = RenderPool(tmp_path / "images", draw=slow_draw, max_waiting=1)
    client = _client(model, pool, pools, tmp_path)
    assert client.get("/image/view.png?town=1").status_code == 200  # drawn (and the drawing process started)
    answers: dict[str, Any] = {}

    def ask(town: int) -> None:
        answers[town] = client.get(f"/image/view.png?town={town}")

    first = threading.Thread(target=ask, args=(2,))
    first.start()
    until(lambda: pool.pending == 1)
    second = threading.Thread(target=ask, args=(3,))
    second.start()
    until(lambda: pool.pending == 2)  # one drawing, one waiting: the queue (1) is full

    started = time.monotonic()
    refused = client.get("/image/view.png?town=4")
    assert refused.status_code == 429
    assert time.monotonic() - started < 1  # refused at once, not after waiting
    assert int(refused.headers["Retry-After"]) >= 1
    assert "drawing other images" in refused.get_data(as_text=True)
    assert refused.headers["Cache-Control"] == "no-store"
    cached = client.get("/image/view.png?town=1")  # a drawn image needs no turn
    assert cached.status_code == 200 and png_size(cached.data) == (1920, 1080)
    assert pool.pending == 2

    first.join(30)
    second.join(30)
    assert answers[2].status_code == 200 and answers[3].status_code == 200
    assert client.get("/image/view.png?town=4").status_code == 200  # room again


@pytest.mark.slow
def test_a_request_that_waits_too_long_for_its_turn_is_refused_as_busy(model, tmp_path, pools) -> None:
    pool = RenderPool(tmp_path / "images", draw=slow_draw, queue_wait=1)
    client = _client(model, pool, pools, tmp_path)
    drawing = threading.Thread(target=client.get, args=("/image/view.png?town=2",))
    drawing.start()
    until(lambda: pool.draws == 1, timeout=30)  # its turn came: it is being drawn
    started = time.monotonic()
    # Room in the queue, but the drawing ahead takes seconds, longer than this one would wait: refused at once.
    answer = client.get("/image/view.png?town=3")
    assert answer.status_code == 429 and time.monotonic() - started < 0.5
    assert int(answer.headers["Retry-After"]) >= 1
    drawing.join(60)
    assert pool.pending == 0 and pool.draws == 1


@pytest.mark.slow
def test_a_hung_drawing_is_stopped_with_503_and_the_next_image_is_drawn(
    model, tmp_path, pools, counter, monkeypatch
) -> None:
    monkeypatch.setenv(PID, str(tmp_path / "hung.pid"))
    # A new drawing process's first image has `startup` seconds more (here it imports this test module).
    pool = RenderPool(tmp_path / "images", draw=hanging_square_draw, timeout=3, startup=30)
    client = _client(model, pool, pools, tmp_path)
    assert client.get("/image/view.png?town=1").status_code == 200  # the drawing process is up (counted: 1)
    started = time.monotonic()
    answer = client.get("/image/view.png?size=square")
    assert answer.status_code == 503
    assert 3 <= time.monotonic() - started < 10
    assert int(answer.headers["Retry-After"]) > 0
    assert "took longer than 3 seconds" in answer.get_data(as_text=True)
    hung = int((tmp_path / "hung.pid").read_text())
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left running
        os.kill(hung, 0)
    again = client.get("/image/view.png?town=2")  # a new drawing process, with the same timeout
    assert again.status_code == 200 and png_size(again.data) == (1920, 1080)
    assert counter() == 2
    drawers = (tmp_path / "count").read_text().split()
    assert drawers[0] == str(hung) != drawers[1]  # the next image by a new drawing process
    assert len(list((tmp_path / "images").glob("*.png"))) == 2  # the hung one kept nothing


@pytest.mark.slow
def test_no_chromium_answers_503_in_plain_words(model, tmp_path, pools, counter) -> None:
    client = _client(model, RenderPool(tmp_path / "images", draw=no_chromium_draw), pools, tmp_path)
    answer = client.get("/image/view.png?town=35")
    assert answer.status_code == 503
    assert int(answer.headers["Retry-After"]) > 0
    text = answer.get_data(as_text=True)
    assert text.strip() == MISSING_MESSAGE
    assert "cannot draw images right now" in text and "apt-get install chromium" in text
    assert "Kaleido" not in text and "Error" not in text  # no exception text for the reader
    assert not (tmp_path / "images").exists() or not list((tmp_path / "images").iterdir())
    started = time.monotonic()
    again = client.get("/image/view.png?town=36")  # for a minute the answer comes at once, without looking again
    assert again.status_code == 503 and again.get_data(as_text=True).strip() == MISSING_MESSAGE
    assert time.monotonic() - started < 0.5 and counter() == 1


@pytest.mark.slow
def test_kaleidos_own_error_without_a_browser_is_recognised(model, tmp_path, pools, monkeypatch) -> None:
    # The real drawing, with kaleido pointed at a browser that is not there: it raises ChromeNotFoundError.
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    client = _client(model, RenderPool(tmp_path / "images"), pools, tmp_path)
    answer = client.get("/image/view.png")
    assert answer.status_code == 503
    assert answer.get_data(as_text=True).strip() == MISSING_MESSAGE


@pytest.mark.slow
def test_a_second_request_is_served_from_the_cache_without_drawing(model, tmp_path, pools, counter) -> None:
    client = _client(model, RenderPool(tmp_path / "images", draw=quick_draw), pools, tmp_path)
    first = client.get("/image/slide.png?town=35&vendors=briefcam")
    assert first.status_code == 200 and counter() == 1
    # Named by what it shows (the Briefcam records, Boston chosen, December 2021), whatever the address's name.
    assert first.headers["Content-Disposition"] == (
        'attachment; filename="ma-surveillance-briefcam-boston-2021-12-wide.png"'
    )
    assert first.headers["Cache-Control"] == "public, max-age=3600"
    etag = first.headers["ETag"]
    # The same view written differently (parameters reordered, a present flag) is the same image.
    second = client.get("/image/slide.png?vendors=briefcam&present=1&town=35")
    assert second.status_code == 200 and second.data == first.data and second.headers["ETag"] == etag
    assert counter() == 1
    assert client.get("/image/slide.png?town=35&vendors=briefcam", headers={"If-None-Match": etag}).status_code == 304
    # Another worker (another pool on the same folder) finds it on disk.
    other = _client(model, RenderPool(tmp_path / "images", draw=quick_draw), pools, tmp_path)
    assert other.get("/image/slide.png?town=35&vendors=briefcam").data == first.data
    assert counter() == 1
    square = client.get("/image/slide.png?town=35&vendors=briefcam&size=square")
    assert png_size(square.data) == (1080, 1080) and square.headers["ETag"] != etag
    assert client.get("/image/slide.png?town=35&vendors=briefcam&compare=2019-01").headers["ETag"] != etag
    assert counter() == 3
    svg = client.get("/image/slide.svg?town=35", headers={"Accept-Encoding": "gzip"})  # compressed on the way
    assert svg.status_code == 200 and svg.headers["ETag"].endswith(':gzip"')
    repeat = client.get(
        "/image/slide.svg?town=35", headers={"Accept-Encoding": "gzip", "If-None-Match": svg.headers["ETag"]}
    )
    assert repeat.status_code == 304 and counter() == 4


@pytest.mark.slow
def test_the_cache_folder_keeps_to_its_size_bound_evicting_the_least_recently_used(
    model, tmp_path, pools, counter
) -> None:
    folder = tmp_path / "images"
    pool = RenderPool(folder, draw=quick_draw, max_bytes=int(2.5 * FAKE_SIZE))
    pools.append(pool)
    views = {town: view(model.catalog, town=town) for town in (1, 2, 3, 4)}
    for town in (1, 2):
        pool.render(model, views[town])
        time.sleep(0.05)
    assert pool.render(model, views[1]).cached  # used again: now the most recent
    time.sleep(0.05)
    pool.render(model, views[3])
    kept = sorted(folder.glob("*.png"))
    assert sum(p.stat().st_size for p in kept) <= 2.5 * FAKE_SIZE and len(kept) == 2
    assert pool.render(model, views[1]).cached and pool.render(model, views[3]).cached
    assert counter() == 3
    assert not pool.render(model, views[2]).cached  # evicted: drawn again
    assert counter() == 4


@pytest.mark.slow
def test_an_idle_drawing_process_exits_by_itself_and_the_next_image_starts_another(
    model, tmp_path, pools, counter
) -> None:
    pool = RenderPool(tmp_path / "images", draw=quick_draw, idle=2)
    pools.append(pool)
    pool.render(model, view(model.catalog, town=1))
    first = pool.drawing_pid
    assert first is not None
    os.kill(first, 0)  # running
    until(lambda: pool.drawing_pid is None, timeout=10)  # nobody asked: it left (and would take its Chromium along)
    assert not pool.render(model, view(model.catalog, town=2)).cached
    assert pool.drawing_pid not in (None, first)
    assert counter() == 2


def test_a_bad_size_format_or_name_is_400_and_draws_nothing(model, tmp_path, pools, counter) -> None:
    client = _client(model, RenderPool(tmp_path / "images", draw=quick_draw), pools, tmp_path)
    for path in ("/image/view.gif", "/image/view.png?size=huge", "/image/View!.png", "/image/view", "/image/.png"):
        answer = client.get(path)
        assert answer.status_code == 400, path
        assert answer.mimetype == "text/plain"
    assert counter() == 0


@pytest.mark.browser
def test_a_real_drawing_through_the_route_is_a_1920_by_1080_png(model, tmp_path, pools) -> None:
    client = _client(model, RenderPool(tmp_path / "images"), pools, tmp_path)
    started = time.monotonic()
    answer = client.get("/image/view.png?town=35&vendors=briefcam")
    drawn = time.monotonic() - started
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "image/png"
    assert png_size(answer.data) == (1920, 1080)
    assert len(answer.data) > 100_000  # a map, not an empty page
    started = time.monotonic()
    again = client.get("/image/view.png?town=35&vendors=briefcam")
    hit = time.monotonic() - started
    assert again.data == answer.data
    assert hit < 0.5 < drawn
    print(f"real drawing (new drawing process and Chromium): {drawn:.2f} s; cached: {hit * 1000:.1f} ms")


# --- the page ----------------------------------------------------------------------------------------------------


def test_the_page_shows_progress_then_the_reason_beside_the_button(dash_duo, model, tmp_path, pools) -> None:
    app = create_app(model)
    slow = RenderPool(tmp_path / "images", draw=slow_draw)
    pools.append(slow)
    register_images(app.server, model, tmp_path, pool=slow)
    dash_duo.start_server(app)
    dash_duo.wait_for_element(f"#{ids.MAP} .main-svg", timeout=30)
    button = dash_duo.find_element(f"#{ids.DOWNLOAD_IMAGE}")
    button.click()
    dash_duo.wait_for_text_to_equal(f"#{ids.IMAGE_STATUS}", "Drawing the image…", timeout=10)
    assert not button.is_enabled()
    until(lambda: (Path(dash_duo.download_path) / "ma-surveillance-vendors-2021-12-wide.png").exists(), timeout=60)
    dash_duo.wait_for_text_to_equal(f"#{ids.IMAGE_STATUS}", "", timeout=10)
    assert button.is_enabled()

    missing = RenderPool(tmp_path / "elsewhere", draw=no_chromium_draw)
    pools.append(missing)
    register_images(app.server, model, tmp_path, pool=missing)  # the page's callback asks the server's pool
    dash_duo.find_element(f"#{ids.IMAGE_FORMAT} input[value='svg']").click()
    button.click()
    dash_duo.wait_for_text_to_equal(f"#{ids.IMAGE_STATUS}", MISSING_MESSAGE, timeout=30)
    assert button.is_enabled()
    assert dash_duo.find_element(f"#{ids.IMAGE_STATUS}").get_attribute("aria-live") == "polite"

    dash_duo.find_element(f"#{ids.DOWNLOAD_TOWNS_CSV}").click()  # the other downloads still work
    until(lambda: (Path(dash_duo.download_path) / "ma-surveillance-towns.csv").exists(), timeout=30)
    assert dash_duo.find_element(f"#{ids.IMAGE_STATUS}").text == MISSING_MESSAGE
    assert dash_duo.get_logs() == []
