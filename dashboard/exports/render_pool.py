"""Slide images drawn off the request path: a bounded render service, one per process.

Requests for images share one drawing process per web process (its Chromium kept warm between images), one image
at a time. A few more may wait their turn; beyond that, or after waiting too long, the answer is "busy". A drawing
that takes longer than the timeout is stopped by killing the drawing process and everything it started (its process
group, and Chromium's, found through /proc), and the next image starts a fresh one. A drawing process left idle
exits by itself and takes its Chromium with it. Finished images are kept on disk, named by everything that decides
their bytes (the view's canonical query and size, or the compare slide's towns; the format, data version, the export
date printed on the slide, and the drawing code), and the folder is held under a size bound by deleting the least
recently used. The map slide (`render`) and the compare slide (`render_compare`) share all of it.

`python -m dashboard.exports.render_pool SPEC IDLE` is the drawing process: it reads one job a line on stdin (the
figure as a JSON file, where to write the image), draws it with SPEC (`module:function`, by default kaleido) and
answers one JSON line. The drawing function is injectable (tests pass a slow or failing one).
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import json
import logging
import math
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from dashboard.config import REPO_DIR, TOPOJSON_DIR

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from dashboard.data.model import Model
    from dashboard.state.view import ViewState

log = logging.getLogger(__name__)

#: The subfolder of the configured cache folder (`Config.cache_dir`) that holds finished images.
IMAGES_SUBFOLDER = "images"
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: Draws a figure (plotly's JSON as a dict) as bytes: (figure, format, width, height) -> bytes. Runs in the child.
Draw = Callable[[dict[str, Any], str, int, int], bytes]
DEFAULT_DRAW = "dashboard.exports.render_pool:draw_with_kaleido"

CHROMIUM_FIX = "apt-get install chromium"
MISSING_RETRY = 60  # seconds: how long "no Chromium" is answered without looking again, and its Retry-After


class ImageUnavailable(Exception):
    """An image the server will not or cannot draw now. `message` is for people; `status` and `retry_after` for
    HTTP; `kind` for scripts and logs."""

    status = 503
    kind = "failed"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Busy(ImageUnavailable):
    """The queue is full, or the wait for a turn was too long."""

    status = 429
    kind = "busy"


class RenderTimeout(ImageUnavailable):
    """The drawing took longer than the timeout and was stopped."""

    kind = "timeout"


class ChromiumMissing(ImageUnavailable):
    """kaleido found no Chromium to draw with: an operator has to install it."""

    kind = "chromium-missing"


class RenderFailed(ImageUnavailable):
    """The drawing process failed or died for another reason (the log has the details)."""

    kind = "failed"


def busy_message(seconds: int) -> str:
    return f"The server is drawing other images right now. Please try again in {seconds} seconds."


def timeout_message(seconds: float) -> str:
    return (
        f"Drawing this image took longer than {seconds:g} seconds, so the server stopped it. "
        "Please try again in a minute."
    )


MISSING_MESSAGE = (
    "The server cannot draw images right now: the Chromium browser it draws them with is not installed. "
    f"The site's operator can fix this by installing it on the server ({CHROMIUM_FIX})."
)
FAILED_MESSAGE = (
    "The server could not draw this image. Please try again in a minute; if it keeps failing, tell the site's operator."
)


@dataclass(frozen=True)
class Image:
    """A finished image: its bytes and the cache key that names them (also its ETag)."""

    data: bytes
    key: str
    fmt: str
    cached: bool

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.fmt]


# --- the drawing process (child side) ---------------------------------------------------------------------------

_kaleido: Any = None
_loop: Any = None


def draw_with_kaleido(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    """The default drawing: kaleido in one headless Chromium, opened on the first image and kept for the process."""
    import asyncio

    import kaleido

    global _kaleido, _loop
    if _kaleido is None:
        _loop = asyncio.new_event_loop()

        async def start() -> Any:
            # No MathJax (the slides hold no formulas): nothing is fetched from outside.
            browser = kaleido.Kaleido(n=1, timeout=None, mathjax=False)  # raises ChromeNotFoundError
            await browser.open()
            return browser

        _kaleido = _loop.run_until_complete(start())
    # Plotly asks for a world base map even when it is hidden: our local stub keeps it offline.
    return _loop.run_until_complete(
        _kaleido.calc_fig(
            figure,
            opts={"format": fmt, "width": width, "height": height, "scale": 1},
            topojson=TOPOJSON_DIR.as_uri() + "/",
        )
    )


def _close_kaleido() -> None:
    """Close kaleido's Chromium, giving it 5 seconds."""
    import asyncio

    global _kaleido
    if _kaleido is not None and _loop is not None:
        with suppress(Exception):
            _loop.run_until_complete(asyncio.wait_for(_kaleido.close(), 5))
        _kaleido = None


def _failure_kind(error: BaseException) -> str:
    """'missing' when kaleido (choreographer) found no browser, else 'failed'."""
    try:
        from choreographer.errors import ChromeNotFoundError
    except ImportError:  # kaleido itself is missing: nothing can draw
        return "missing"
    return "missing" if isinstance(error, ChromeNotFoundError) else "failed"


def _load(spec: str) -> Draw:
    module, _, name = spec.partition(":")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def child_main(argv: Sequence[str]) -> int:
    """The drawing process: one job a line on stdin, one JSON answer a line on the original stdout. It returns when
    stdin ends (the web process closed it, or died) or after `idle` seconds without a job, having closed kaleido
    and killed whatever else it started: run it through `__main__`, which then exits at once."""
    spec, idle = argv[0], float(argv[1])
    with suppress(OSError):
        os.nice(10)  # Chromium inherits it: when the machine is busy, the web workers' pages come first
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever kaleido or Chromium prints goes to the log, never into the answers
    try:
        _serve(spec, idle, answers)
    finally:
        _close_kaleido()
        _kill(_descendants(os.getpid()))  # anything that outlived a graceful close (Chromium in its own session)
    return 0


def _serve(spec: str, idle: float, answers: IO[str]) -> None:
    try:
        draw: Draw | None = _load(spec)
        load_error: BaseException | None = None
    except Exception as error:  # answer every job with it: the parent reports it
        draw, load_error = None, error
    stdin = sys.stdin.buffer
    while True:
        ready, _, _ = select.select([stdin], [], [], idle)
        if not ready:
            return  # idle: exit, and Chromium with it
        line = stdin.readline()
        if not line:
            return  # the web process is gone
        answer: dict[str, Any]
        try:
            job = json.loads(line)
            if draw is None:
                raise load_error or RuntimeError(f"cannot load {spec}")
            figure = json.loads(Path(job["figure"]).read_text(encoding="utf-8"))
            Path(job["out"]).write_bytes(draw(figure, job["format"], job["width"], job["height"]))
            answer = {"ok": True}
        except Exception as error:
            answer = {"error": _failure_kind(error), "message": f"{type(error).__name__}: {error}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


# --- the web process's side ---------------------------------------------------------------------------------------


class _ChildGone(Exception):
    pass


class _Child:
    """One drawing process, in a process group of its own so that killing it kills its Chromium too."""

    def __init__(self, spec: str, idle: float) -> None:
        env = dict(os.environ)
        # The same imports as here: the package (installed or not) and whatever module holds an injected drawing.
        paths = [str(REPO_DIR), *(p for p in sys.path if p)]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard.exports.render_pool", spec, str(idle)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        self.owner = os.getpid()
        self.last_used = time.monotonic()
        self.answered = 0  # jobs answered: the first one also starts Chromium
        self._buffer = b""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def ask(self, job: dict[str, Any], deadline: float) -> dict[str, Any]:
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write((json.dumps(job) + "\n").encode())  # one short line: never blocks on the pipe
            stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise _ChildGone(str(error)) from error
        fd = stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise _ChildGone(f"the drawing process exited ({self.proc.poll()})")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        self.last_used = time.monotonic()
        self.answered += 1
        return json.loads(line)

    def kill(self) -> None:
        """Kill the drawing process and everything it started, and reap it. kaleido's Chromium runs in a session
        of its own (choreographer starts it so): its process groups are found through /proc and killed too."""
        if self.owner != os.getpid():
            return  # a copy inherited through fork: the process belongs to the parent
        # Found before the drawing process dies: after, its children belong to init and cannot be traced to it.
        _kill([(self.proc.pid, self.proc.pid), *_descendants(self.proc.pid)])
        with suppress(Exception):
            self.proc.wait(timeout=10)
        self._close_pipes()

    def stop(self) -> None:
        """Ask the drawing process to exit (closing its stdin), killing it if it does not within 10 s."""
        if self.owner != os.getpid():
            return
        with suppress(OSError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
        self._close_pipes()

    def _close_pipes(self) -> None:
        pipes: list[IO[bytes] | None] = [self.proc.stdin, self.proc.stdout]
        for pipe in pipes:
            with suppress(OSError):
                if pipe is not None:
                    pipe.close()


def _descendants(pid: int) -> list[tuple[int, int]]:
    """(pid, process group) of every process descended from `pid`, read from /proc (empty where there is none)."""
    parents: dict[int, list[tuple[int, int]]] = {}
    with suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as stat:
                    fields = stat.read().rpartition(")")[2].split()  # after "pid (command)": state ppid pgrp
            except OSError:
                continue  # exited meanwhile
            if len(fields) >= 3:
                parents.setdefault(int(fields[1]), []).append((int(entry.name), int(fields[2])))
    found: list[tuple[int, int]] = []
    queue = [pid]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child[0])
    return found


def _kill(family: list[tuple[int, int]]) -> None:
    """SIGKILL these (pid, process group) pairs and their groups, never the caller's own group."""
    ours = os.getpgrp()
    for group in dict.fromkeys(pgid for _, pgid in family):
        if group != ours:
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
    for pid, _ in family:
        if pid != os.getpid():
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


_code_version_value: str | None = None


def _code_version() -> str:
    """A short hash of the code that decides how a slide looks: a new deployment never serves an old drawing."""
    global _code_version_value
    if _code_version_value is None:
        package = Path(__file__).resolve().parent.parent
        files = [
            # The slides' words, layout and drawing (images, compare_slide, card, slide_layout, slide_draw, …).
            *sorted((package / "exports").glob("*.py")),
            package / "data" / "dossier.py",
            *sorted((package / "views").glob("*.py")),
            *sorted((package / "state").glob("*.py")),
        ]
        digest = hashlib.sha256()
        for path in files:
            with suppress(OSError):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        try:
            from importlib.metadata import version

            digest.update(f"plotly {version('plotly')} kaleido {version('kaleido')}".encode())
        except Exception:  # a missing package changes nothing here: drawing will say so
            pass
        _code_version_value = digest.hexdigest()[:16]
    return _code_version_value


def _digest(parts: dict[str, Any], model: Model, day: date) -> str:
    """An image's name: a hash of what it shows, the data, the export date printed on it and the drawing code."""
    named = {**parts, "data": model.data_version, "exported": day.isoformat(), "code": _code_version()}
    return hashlib.sha256(json.dumps(named, sort_keys=True).encode()).hexdigest()[:40]


def _draw_spec(draw: Draw | str) -> str:
    if isinstance(draw, str):
        return draw
    module, name = getattr(draw, "__module__", None), getattr(draw, "__qualname__", "")
    if not module or module == "__main__" or "<" in name:
        raise ValueError("an injected drawing must be a module-level function the drawing process can import")
    return f"{module}:{name}"


class RenderPool:
    """At most one drawing at a time, `max_waiting` more waiting (each at most `queue_wait` seconds), each drawing
    stopped after `timeout` seconds (plus `startup` for a new drawing process's first), a drawing process left idle
    for `idle` seconds gone, and finished images kept in `folder` (None: not kept) up to `max_bytes`.

    `max_waiting` counts web threads: gunicorn runs 4 per worker (gunicorn.conf.py), and 1 drawing + 2 waiting
    leaves at least one thread for the page itself.
    """

    def __init__(
        self,
        folder: Path | None,
        *,
        draw: Draw | str = DEFAULT_DRAW,
        max_waiting: int = 2,
        timeout: float = 30.0,
        queue_wait: float = 20.0,
        max_bytes: int = 200 * 1024 * 1024,
        idle: float = 300.0,
        startup: float = 30.0,
    ) -> None:
        self.folder = folder
        self.spec = _draw_spec(draw)
        self.max_waiting = max_waiting
        self.timeout = timeout
        self.queue_wait = queue_wait
        self.max_bytes = max_bytes
        self.idle = idle
        self.startup = startup  # more time for a new drawing process's first image: it starts Python and Chromium
        self.draws = 0  # images sent to the drawing process (cache hits are not drawn)
        self._seconds = 5.0  # a running estimate of one drawing's time, for Retry-After
        self._pending = 0  # admitted: drawing or waiting
        self._admission = threading.Lock()
        self._turn = threading.Lock()
        self._child: _Child | None = None
        self._owner = os.getpid()
        self._cache_warned = False
        self._missing_until = 0.0  # after finding no Chromium, say so at once for a while instead of looking again

    # -- what the callers use --

    @property
    def pending(self) -> int:
        """Requests drawing or waiting for their turn now."""
        return self._pending

    def key(self, model: Model, state: ViewState, fmt: str, size: str, day: date) -> str:
        """The name of an image: everything that decides its bytes."""
        from dashboard.state.view import to_query

        parts = {
            "query": to_query(replace(state, present=False), model.catalog),  # holds the compared months too
            "compare": list(state.compare),
            "size": size,
            "format": fmt,
        }
        return _digest(parts, model, day)

    def compare_key(self, model: Model, town_ids: Sequence[int], fmt: str, day: date) -> str:
        """The name of a compare slide: its towns in their order, and everything else that decides its bytes."""
        return _digest({"compare_towns": [int(t) for t in town_ids], "format": fmt}, model, day)

    def cached(self, key: str, fmt: str) -> bytes | None:
        """A finished image from the folder, or None."""
        if self.folder is None:
            return None
        path = self.folder / f"{key}.{fmt}"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if not data:
            return None
        with suppress(OSError):
            os.utime(path)  # recently used: evicted last
        return data

    def render(
        self, model: Model, state: ViewState, fmt: str = "png", size: str = "wide", exported: date | None = None
    ) -> Image:
        """The view as an image: from the folder if drawn before, else drawn now (waiting for a turn).

        Raises ValueError for an unknown format or size, and ImageUnavailable (Busy, RenderTimeout,
        ChromiumMissing, RenderFailed) when it cannot be drawn now."""
        from dashboard.exports.images import FORMATS, SIZES, export_figure

        if fmt not in FORMATS or size not in SIZES:
            raise ValueError(f"format must be one of {FORMATS} and size one of {tuple(SIZES)}")
        day = exported or date.today()
        width, height = SIZES[size]
        key = self.key(model, state, fmt, size, day)
        return self._render(key, lambda: export_figure(model, state, size, day), fmt, width, height)

    def render_compare(
        self, model: Model, town_ids: tuple[int, ...], fmt: str = "png", exported: date | None = None
    ) -> Image:
        """The compare slide of two to four towns (1920×1080), the same way as `render`: from the folder, or drawn
        now in the drawing process. Raises ValueError for an unknown format or a wrong list of towns, and
        ImageUnavailable when it cannot be drawn now."""
        from dashboard.exports.compare_slide import SLIDE, check_towns, compare_figure
        from dashboard.exports.images import FORMATS

        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}")
        check_towns(model, town_ids)
        day = exported or date.today()
        key = self.compare_key(model, town_ids, fmt, day)
        return self._render(key, lambda: compare_figure(model, town_ids, day), fmt, *SLIDE)

    def close(self) -> None:
        """Stop the drawing process (and its Chromium); at exit, or when the pool is no longer used."""
        self._stop_child()

    # -- inside --

    def _render(self, key: str, build: Callable[[], go.Figure], fmt: str, width: int, height: int) -> Image:
        """The image named `key`: from the folder, else admitted, its turn waited for, `build` called and the
        figure drawn in the drawing process, within the timeout; then kept."""
        data = self.cached(key, fmt)
        if data is not None:
            return Image(data, key, fmt, cached=True)
        if time.monotonic() < self._missing_until:
            raise ChromiumMissing(MISSING_MESSAGE, MISSING_RETRY)
        with self._admitted():
            if not self._turn.acquire(timeout=self.queue_wait):  # waited too long: the queue is not moving
                seconds = self._retry_after()
                raise Busy(busy_message(seconds), seconds)
            try:
                data = self.cached(key, fmt)  # drawn while this one waited (the same view asked twice)
                if data is not None:
                    return Image(data, key, fmt, cached=True)
                data = self._draw(build, fmt, width, height)
            finally:
                self._turn.release()
        self._store(key, fmt, data)
        return Image(data, key, fmt, cached=False)

    @contextmanager
    def _admitted(self) -> Iterator[None]:
        with self._admission:
            if self._pending >= 1 + self.max_waiting:
                seconds = self._retry_after()
                raise Busy(busy_message(seconds), seconds)
            self._pending += 1
        try:
            yield
        finally:
            with self._admission:
                self._pending -= 1

    def _retry_after(self) -> int:
        return max(1, min(60, math.ceil(self._seconds * max(1, self._pending))))

    def _draw(self, build: Callable[[], go.Figure], fmt: str, width: int, height: int) -> bytes:
        """Build the figure here, draw it in the drawing process; called holding the turn."""
        import plotly.io

        started = time.monotonic()
        figure = plotly.io.to_json(build(), validate=False)
        with tempfile.TemporaryDirectory(prefix="ma-surveillance-render-") as tmp:
            source, out = Path(tmp) / "figure.json", Path(tmp) / f"image.{fmt}"
            source.write_text(figure, encoding="utf-8")
            job = {"figure": str(source), "out": str(out), "format": fmt, "width": width, "height": height}
            answer = self._ask(job, started + self.timeout)
            if answer.get("ok"):
                data = out.read_bytes()
                self._seconds = 0.7 * self._seconds + 0.3 * (time.monotonic() - started)
                return data
        log.warning("image drawing failed: %s", answer.get("message"))
        if answer.get("error") == "missing":
            self._stop_child()
            self._missing_until = time.monotonic() + MISSING_RETRY  # then look again: it may have been installed
            raise ChromiumMissing(MISSING_MESSAGE, MISSING_RETRY)
        self._stop_child()  # a drawing process that failed is not trusted with the next image
        raise RenderFailed(FAILED_MESSAGE, 60)

    def _ask(self, job: dict[str, Any], deadline: float) -> dict[str, Any]:
        child = self._ensure_child()
        self.draws += 1
        try:
            return child.ask(job, deadline if child.answered else deadline + self.startup)
        except TimeoutError:
            log.warning("image drawing took longer than %g s: stopping its process %d", self.timeout, child.proc.pid)
            self._kill_child()
            raise RenderTimeout(timeout_message(self.timeout), 30) from None
        except _ChildGone as error:
            log.warning("the image drawing process died: %s", error)
            self._kill_child()
            raise RenderFailed(FAILED_MESSAGE, 30) from None

    def _ensure_child(self) -> _Child:
        if self._owner != os.getpid():  # a copy made by fork (gunicorn's workers): start afresh in this process
            self._child, self._owner = None, os.getpid()
        child = self._child
        # A process idle for (nearly) its idle time may be exiting: replace it rather than race it.
        if child is not None and (not child.alive() or time.monotonic() - child.last_used > 0.9 * self.idle):
            child.stop()
            child = None
        if child is None:
            child = self._child = _Child(self.spec, self.idle)
        return child

    def _kill_child(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child = None

    def _stop_child(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None

    def _store(self, key: str, fmt: str, data: bytes) -> None:
        """Keep an image (written whole, then renamed: readers never see half a file), then hold the size bound."""
        if self.folder is None:
            return
        tmp: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".part")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, self.folder / f"{key}.{fmt}")
        except OSError as error:
            if not self._cache_warned:
                self._cache_warned = True
                log.warning("cannot keep drawn images in %s (%s): every image is drawn anew", self.folder, error)
            if tmp is not None:
                with suppress(OSError):
                    os.unlink(tmp)
            return
        self._evict()

    def _evict(self) -> None:
        """Delete the least recently used images until the folder is within `max_bytes`."""
        assert self.folder is not None
        entries = []
        stale = time.time() - 3600
        for path in self.folder.iterdir():
            with suppress(OSError):
                stat = path.stat()
                if path.name.startswith("."):
                    if path.suffix == ".part" and stat.st_mtime < stale:
                        path.unlink()  # left by a process killed while writing
                elif path.suffix.lstrip(".") in MEDIA_TYPES:
                    entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda entry: entry[0]):
            if total <= self.max_bytes:
                break
            with suppress(FileNotFoundError):  # another worker may have deleted it first
                path.unlink()
            total -= size


_shared: dict[Path, RenderPool] = {}
_shared_lock = threading.Lock()


def shared_pool(cache_dir: Path) -> RenderPool:
    """The process's render pool for a configured cache folder (images in its `images/` subfolder)."""
    folder = Path(cache_dir) / IMAGES_SUBFOLDER
    with _shared_lock:
        if folder not in _shared:
            pool = _shared[folder] = RenderPool(folder)
            atexit.register(pool.close)
        return _shared[folder]


if __name__ == "__main__":
    status = child_main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)  # not sys.exit: it would wait for the threads choreographer leaves behind, for ever
