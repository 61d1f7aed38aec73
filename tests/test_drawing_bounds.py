"""Drawing bounded on the machine: one drawing process shared by every web process, refusals at once, no drawing
process outliving the web process that started it, and a damaged cached image drawn again instead of served.

The drawings injected here run in the pool's drawing process, which imports them from this module.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from image_check import png_size, until
from test_export_queue import COUNT, quick_draw

from dashboard.exports.render_pool import RenderPool, _descendants
from dashboard.server import create_app
from dashboard.serving.images import register_images
from dashboard.state.view import view

TESTS = Path(__file__).resolve().parent
HELD = "TEST_DRAWING_BOUNDS_HELD"  # a file: while it exists, `held_draw` waits


def held_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    """Waits while the test holds it (at most 30 s), then draws as quick_draw."""
    deadline = time.monotonic() + 30
    while Path(os.environ[HELD]).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return quick_draw(figure, fmt, width, height)


def kaleido_then_hang(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    """A real drawing (Chromium started), then a hang, as a Chromium that stopped answering."""
    from dashboard.exports.render_pool import draw_with_kaleido

    draw_with_kaleido(figure, fmt, width, height)
    time.sleep(3600)
    return b""


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _drawers(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_web_processes_sharing_the_image_folder_share_one_drawing_process(model, tmp_path, pools, monkeypatch) -> None:
    """Two processes (as gunicorn's two workers) draw through one drawing process, not one each."""
    monkeypatch.setenv(COUNT, str(tmp_path / "count"))
    worker = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(TESTS)!r})
        from pathlib import Path
        from dashboard.config import load_config
        from dashboard.data.model import build_model
        from dashboard.exports.render_pool import RenderPool
        from dashboard.state.view import view
        model = build_model(load_config())
        pool = RenderPool(Path(sys.argv[1]), draw="test_export_queue:quick_draw", idle=30)
        pool.render(model, view(model.catalog, town=int(sys.argv[2])))
        print(pool.drawing_pid, flush=True)
        sys.stdin.read()  # alive until the test is done: its drawing process dies with it
        """
    )
    folder = tmp_path / "images"
    # The first worker's drawing process lives on (idle 30 s) while the second draws: the second uses it.
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", worker, str(folder), town], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for town in ("1", "2")
    ]
    try:
        outputs = [p.stdout.readline().strip() for p in workers if p.stdout is not None]
    finally:
        for p in workers:
            p.communicate(timeout=30)
    drawers = _drawers(tmp_path / "count")
    assert len(drawers) == 2  # two images drawn
    assert len(set(drawers)) == 1  # by one drawing process
    assert outputs == [drawers[0], drawers[0]]  # each worker names it


def test_a_full_machine_queue_refuses_another_web_process_at_once(model, tmp_path, pools, monkeypatch) -> None:
    held = tmp_path / "held"
    held.touch()
    monkeypatch.setenv(HELD, str(held))
    # Two pools on one folder with the same settings: two web processes' views of the machine's one drawing process.
    one = RenderPool(tmp_path / "images", draw=held_draw, max_waiting=1)
    other = RenderPool(tmp_path / "images", draw=held_draw, max_waiting=1)
    pools.extend([one, other])
    assert one.address == other.address
    results: dict[int, Any] = {}

    def draw(pool: RenderPool, town: int) -> None:
        try:
            results[town] = pool.render(model, view(model.catalog, town=town))
        except Exception as error:
            results[town] = error

    threads = [threading.Thread(target=draw, args=(one, 1)), threading.Thread(target=draw, args=(other, 2))]
    threads[0].start()
    until(lambda: one.draws == 1, timeout=60)  # drawing (held)
    threads[1].start()
    until(lambda: other.pending == 1)
    time.sleep(0.3)  # it holds the one waiting place of the machine's queue (1 drawing + 1 waiting)
    client = create_app(model).server
    register_images(client, model, tmp_path, pool=other)
    timings = []
    for town in (3, 4, 5):
        started = time.monotonic()
        refused = client.test_client().get(f"/image/view.png?town={town}")
        timings.append(time.monotonic() - started)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    print(f"refusal times: {', '.join(f'{t * 1000:.0f} ms' for t in timings)}")
    assert min(timings) < 0.1 and max(timings) < 0.5  # at once, never after seconds of waiting
    held.unlink()
    for thread in threads:
        thread.join(60)
    assert png_size(results[1].data) == (1920, 1080) and png_size(results[2].data) == (1920, 1080)


def test_a_damaged_cached_image_is_drawn_again_never_served(model, tmp_path, pools, monkeypatch) -> None:
    monkeypatch.setenv(COUNT, str(tmp_path / "count"))
    pool = RenderPool(tmp_path / "images", draw="test_export_queue:quick_draw")
    pools.append(pool)
    app = create_app(model)
    register_images(app.server, model, tmp_path, pool=pool)
    client = app.server.test_client()
    first = client.get("/image/view.png?town=35")
    assert first.status_code == 200 and len(_drawers(tmp_path / "count")) == 1
    (kept,) = (tmp_path / "images").glob("*.png")
    whole = kept.read_bytes()
    damages = {
        "cut short": whole[: len(whole) // 2],
        "a byte changed": whole[:100] + bytes([whole[100] ^ 0xFF]) + whole[101:],
        "emptied": b"",
        "not ours": first.data,  # the image without its trailer
    }
    for count, (damage, stored) in enumerate(damages.items(), start=2):
        kept.write_bytes(stored)
        again = client.get("/image/view.png?town=35")
        assert again.status_code == 200, damage
        assert again.data == first.data, damage  # the image, never the damaged file
        assert again.headers["ETag"] == first.headers["ETag"]
        assert len(_drawers(tmp_path / "count")) == count, damage  # drawn again
        assert kept.read_bytes() == whole, damage  # and kept whole again
    assert client.get("/image/view.png?town=35").data == first.data
    assert len(_drawers(tmp_path / "count")) == len(damages) + 1  # a whole file is served without drawing


WORKER = """
import sys, time
sys.path.insert(0, {tests!r})
from pathlib import Path
from dashboard.config import load_config
from dashboard.data.model import build_model
from dashboard.exports.render_pool import RenderPool
from dashboard.state.view import view
model = build_model(load_config())
pool = RenderPool(Path(sys.argv[1]), draw=sys.argv[2], timeout=600, startup=600)
pool.render(model, view(model.catalog, town=35))
"""


@pytest.mark.parametrize("draw", ["test_drawing_bounds:kaleido_then_hang", "test_drawing_bounds:held_draw"])
def test_no_drawing_process_outlives_its_web_process(tmp_path, draw, monkeypatch) -> None:
    """A web process killed (SIGKILL, nothing runs after it) mid-drawing: its drawing process and Chromium go."""
    held = tmp_path / "held"
    held.touch()
    monkeypatch.setenv(HELD, str(held))
    monkeypatch.setenv(COUNT, str(tmp_path / "count"))
    worker = subprocess.Popen([sys.executable, "-c", WORKER.format(tests=str(TESTS)), str(tmp_path / "images"), draw])
    try:
        pool = RenderPool(tmp_path / "images", draw=draw, timeout=600, startup=600)  # to find its drawing process

        def drawing() -> bool:
            pid = pool.drawing_pid
            family = _descendants(pid) if pid else []
            # The real drawing: Chromium is up and holds the job; the stand-in: the drawing process holds it.
            return pid is not None and (len(family) >= 3 if "kaleido" in draw else True)

        until(drawing, timeout=90)
        time.sleep(0.5)
        drawer = pool.drawing_pid
        assert drawer is not None
        family = [pid for pid, _ in _descendants(drawer)]
        if "kaleido" in draw:
            assert len(family) >= 3  # the wrapper, Chromium and its helpers
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        killed = time.monotonic()
        # The lock goes with the process's last thread, which can outlive its main thread (a zombie already).
        until(lambda: not any(_alive(pid) for pid in [drawer, *family]) and pool.drawing_pid is None, timeout=10)
        print(f"{draw}: the drawing process and {len(family)} descendants gone {time.monotonic() - killed:.1f} s")
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)
