"""Slide images drawn off the request path: one bounded drawing process per machine, shared by every web process.

Every image the site draws (a view's slide, a town's or agency's link card, a compare slide) goes through
`RenderPool.render` or `render_compare`: from the disk cache if drawn before, else drawn by the machine's one
drawing process, which keeps one Chromium warm between images and draws one image at a time. The drawing process is
shared by the web workers (and by every app server on the machine that keeps its images in the same folder): they
reach it through a Unix socket whose name comes from the image folder and the drawing settings, and whichever needs
it first starts it. So the count of Chromium processes on the machine stays at one browser's, whatever is asked.

Admission answers at once: the drawing process takes one drawing and `max_waiting` more waiting; beyond that, and
beyond `1 + max_waiting` image requests in one web process (its threads serve the pages too), the answer is "busy"
(429 with Retry-After) within milliseconds; so is one whose turn would come later than `queue_wait` seconds at the
measured pace of drawing. One that still waits longer (a drawing ahead ran slow) is answered "busy" then. A
drawing that takes longer than `timeout` is answered 503 and its drawing process kills Chromium and exits; the next
request starts a fresh one. The drawing process dies with the web process that started it (Linux's
parent-death signal; Chromium then exits on its closed pipe) and exits by itself after `idle` seconds without work.

Finished images are kept on disk, named by everything that decides their bytes (the view's canonical query and
size, or the compare slide's towns and language; the format, data version, the export date printed on the slide, and
the drawing code). The query holds the view's language (`lang=es`) when it is not English, so a Spanish image has a
name and ETag of its own. Each file ends with a trailer holding its length and SHA-256: a truncated or damaged file
is deleted and drawn again, never served. The folder is held under a size bound by deleting the least recently used.

The words are placed where the figure is built: in the web process, on the request's turn, inside
`language.speaking(...)` of the view's language (or the compare slide's). The drawing process receives the finished
figure (plotly's JSON, every word already in it and every number already written) and words nothing of its own, so
no language needs to travel to it.

`python -m dashboard.exports.render_pool ADDRESS PARENT SPEC IDLE TIMEOUT STARTUP QUEUE_WAIT CAPACITY` is the
drawing process.
The drawing function SPEC (`module:function`, by default kaleido) is injectable: tests pass a slow or failing one.
"""

from __future__ import annotations

import atexit
import ctypes
import errno
import fcntl
import hashlib
import importlib
import json
import logging
import math
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from dashboard import language
from dashboard.config import REPO_DIR, SOURCE_LANGUAGE, TOPOJSON_DIR
from dashboard.exports.kaleido_tab import drawn_when_ready
from dashboard.language import N_, gettext, number

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
#: The end of every cached image: this mark, the image's length (8 bytes, big-endian) and its SHA-256 (32 bytes).
TRAILER_MARK = b"MASLIDE1"
TRAILER_SIZE = len(TRAILER_MARK) + 8 + 32


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


# The refusals are read by people, in the language in use (the view's: `render` speaks it).


def busy_message(seconds: int) -> str:
    """Why an image waits: the queue is full (in the language in use)."""
    from dashboard.views.words import count_of

    return count_of(
        seconds,
        "The server is drawing other images right now. Please try again in {n} second.",
        "The server is drawing other images right now. Please try again in {n} seconds.",
    )


def timeout_message(seconds: float) -> str:
    """Why there is no image: its drawing overran (in the language in use)."""
    return gettext(
        "Drawing this image took longer than {seconds} seconds, so the server stopped it. Please try again in a minute."
    ).format(seconds=number(seconds))


_MISSING = N_(
    "The server cannot draw images right now: the Chromium browser it draws them with is not installed. "
    "The site's operator can fix this by installing it on the server ({fix})."
)
_FAILED = N_(
    "The server could not draw this image. Please try again in a minute; if it keeps failing, tell the site's operator."
)
#: The refusals in English (scripts and tests compare them); `missing_message()`, `failed_message()` in the language
#: in use.
MISSING_MESSAGE = _MISSING.format(fix=CHROMIUM_FIX)
FAILED_MESSAGE = _FAILED


def missing_message() -> str:
    """Why there is no image: no Chromium (in the language in use)."""
    return gettext(_MISSING).format(fix=CHROMIUM_FIX)


def failed_message() -> str:
    """Why there is no image: the drawing failed (in the language in use)."""
    return gettext(_FAILED)


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
    return drawn_when_ready(
        lambda: _loop.run_until_complete(
            _kaleido.calc_fig(
                figure,
                opts={"format": fmt, "width": width, "height": height, "scale": 1},
                topojson=TOPOJSON_DIR.as_uri() + "/",
            )
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


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Linux: have the kernel SIGKILL this process when the thread that started it ends (the web process was killed,
    even by SIGKILL); exit now if that already happened. Elsewhere nothing: the idle exit still ends it."""
    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(0)


def _send(conn: socket.socket, message: dict[str, Any]) -> bool:
    """One JSON line to a client; False when it has gone."""
    try:
        conn.sendall((json.dumps(message) + "\n").encode())
        return True
    except OSError:
        return False


def _read_line(conn: socket.socket, buffer: bytearray, deadline: float) -> dict[str, Any] | None:
    """The next JSON line from `conn` by `deadline` (monotonic); None when the peer closed. Raises TimeoutError."""
    while b"\n" not in buffer:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([conn], [], [], max(0.0, left))  # what has arrived counts, even when late
        if not ready and left <= 0:
            raise TimeoutError
        if ready:
            try:
                chunk = conn.recv(65536)
            except OSError:  # reset by the peer
                return None
            if not chunk:
                return None
            buffer += chunk
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return json.loads(line)


def _peer_uid(conn: socket.socket) -> int:
    """The user id of the process at the other end of a Unix socket (SO_PEERCRED: pid, uid, gid)."""
    credentials = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", credentials)[1]


class _Service:
    """The drawing process's loop: a thread admits clients at once (or refuses them when full), the main thread
    draws their jobs one at a time in arrival order, and a watchdog ends the process when a drawing overruns."""

    def __init__(self, listener: socket.socket, spec: str, settings: Sequence[str]) -> None:
        self.listener, self.spec = listener, spec
        self.idle, self.timeout, self.startup, self.queue_wait = (float(value) for value in settings[:4])
        self.capacity = int(settings[4])
        self.queue: deque[socket.socket] = deque()
        self.drawing = 0
        self.closing = False
        self.seconds = 5.0  # a running estimate of one drawing's time, for Retry-After
        self.lock = threading.Condition()
        self.deadline = 0.0  # when the current drawing overruns (0: none running)
        self.current: socket.socket | None = None
        self.drawn = 0
        self.starting = True  # still importing the drawing code: a client's wait for its turn allows for it

    def run(self) -> None:
        # Admitting first: clients hear their place at once, while the drawing code is still being imported.
        threading.Thread(target=self._admit, name="admit", daemon=True).start()
        threading.Thread(target=self._watch, name="watchdog", daemon=True).start()
        try:
            draw: Draw | None = _load(self.spec)
            load_error: BaseException | None = None
        except Exception as error:  # answer every job with it: the client reports it
            draw, load_error = None, error
        self.starting = False
        while True:
            with self.lock:
                if not self.queue:
                    self.lock.wait(self.idle)
                if not self.queue:
                    self.closing = True  # idle: no one is admitted from now on, and the process exits
                    return
                conn = self.queue.popleft()
                self.drawing = 1
            try:
                if not self._job(conn, draw, load_error):
                    return  # a drawing process that failed is not trusted with the next image
            finally:
                with suppress(OSError):
                    conn.close()
                with self.lock:
                    self.drawing = 0

    def _job(self, conn: socket.socket, draw: Draw | None, load_error: BaseException | None) -> bool:
        """Draw one client's job; False when the process should exit after it."""
        first = self.drawn == 0
        began = time.monotonic()  # a turn's length, the client's building of its figure included
        if not _send(conn, {"started": True, "first": first}):
            return True  # the client gave up waiting
        buffer = bytearray()
        try:
            job = _read_line(conn, buffer, time.monotonic() + 30)  # the client sends it once its figure is built
        except (TimeoutError, ValueError):
            return True
        if job is None:
            return True
        started = time.monotonic()
        answer: dict[str, Any]
        try:
            if draw is None:
                raise load_error or RuntimeError(f"cannot load {self.spec}")
            figure = json.loads(Path(job["figure"]).read_text(encoding="utf-8"))
            with self.lock:
                self.current = conn
                self.deadline = started + self.timeout + (self.startup if first else 0)
            data = draw(figure, job["format"], job["width"], job["height"])
            with self.lock:
                self.deadline, self.current = 0.0, None
            Path(job["out"]).write_bytes(data)
            answer = {"ok": True}
        except Exception as error:
            with self.lock:
                self.deadline, self.current = 0.0, None
            answer = {"error": _failure_kind(error), "message": f"{type(error).__name__}: {error}"}
        self.drawn += 1
        self.seconds = 0.7 * self.seconds + 0.3 * (time.monotonic() - began)
        with self.lock:
            self.drawing = 0  # free before the answer goes: the client's next request must find its place free
        _send(conn, answer)
        return bool(answer.get("ok"))

    def _admit(self) -> None:
        """Take each connection at once: queued (its place said), or refused as busy with when to try again."""
        uid = os.getuid()
        while True:
            with self.lock:
                if self.closing:
                    self.listener.close()  # new clients are refused by the system, and start another process
                    return
            ready, _, _ = select.select([self.listener], [], [], 0.2)
            if not ready:
                continue
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            try:
                if _peer_uid(conn) != uid:  # the socket name is visible to every user: only ours may ask
                    conn.close()
                    continue
            except OSError:
                conn.close()
                continue
            with self.lock:
                if self.closing:
                    conn.close()
                    continue
                waiting = len(self.queue) + self.drawing
                # Full, or its turn would come later than a client waits: refused now rather than after waiting
                # (with a margin: under load the pace of drawing varies by half).
                if waiting >= self.capacity or waiting * self.seconds > 0.5 * self.queue_wait:
                    seconds = max(1, min(60, math.ceil(self.seconds * waiting)))
                    _send(conn, {"busy": True, "retry_after": seconds})
                    conn.close()
                    continue
                self.queue.append(conn)
                self.lock.notify()
            # The first in line of a process still starting waits for that start too (the others wait as usual).
            _send(conn, {"queued": waiting, "starting": self.starting and waiting == 0})

    def _watch(self) -> None:
        """A drawing past its deadline: tell its client, kill Chromium and end the process (a fresh one follows)."""
        while True:
            time.sleep(0.1)
            with self.lock:
                overdue = self.deadline and time.monotonic() > self.deadline
                conn = self.current
            if overdue:
                if conn is not None:
                    _send(conn, {"error": "timeout"})
                _kill(_descendants(os.getpid()))
                os._exit(3)


def _lock_path(address: str) -> Path:
    """The file the drawing process holds locked while it lives (with its pid and its Chromium's process groups)."""
    return Path(tempfile.gettempdir()) / f"{address.lstrip(chr(0))}.lock"


def _sweep(record: str) -> None:
    """Kill the Chromium a dead drawing process left behind, from the groups it recorded (checked to be Chromium
    still: a group number can be reused)."""
    with suppress(ValueError):
        for group in json.loads(record or "{}").get("chromium", []):
            members = [pid for pid, pgid in _processes() if pgid == group]
            if any(b"chrom" in _cmdline(pid) for pid in members):
                with suppress(ProcessLookupError, PermissionError):
                    os.killpg(group, signal.SIGKILL)


def _record(lock: IO[str]) -> None:
    """Write this process's pid and its Chromium's process groups into the held lock file."""
    groups = sorted({pgid for _, pgid in _descendants(os.getpid())} - {os.getpgrp()})
    lock.seek(0)
    lock.truncate()
    lock.write(json.dumps({"pid": os.getpid(), "chromium": groups}))
    lock.flush()


def child_main(argv: Sequence[str]) -> int:
    """The drawing process: serve jobs on the socket ADDRESS until idle for IDLE seconds, then close kaleido and kill
    whatever else it started. Exits at once when another process already serves that address. Run it through
    `__main__`, which then exits at once."""
    address, parent, spec = argv[0], int(argv[1]), argv[2]
    die_with_parent(parent)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind("\0" + address)  # abstract: no file to clean up, freed when this process ends
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return 0  # another web process started it first: theirs serves everyone
        raise
    listener.listen(64)
    with suppress(OSError):
        os.nice(10)  # Chromium inherits it: when the machine is busy, the web workers' pages come first
    os.dup2(2, 1)  # whatever kaleido or Chromium prints goes to the log
    # Held while this process lives: the next one waits here until this one's Chromium is gone.
    with open(_lock_path(address), "a+", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        _sweep(lock.read())
        _record(lock)  # at once: whoever reads the lock from now on finds this process's pid
        service = _Service(listener, spec, argv[3:])
        recorder = threading.Thread(target=_keep_record, args=(lock, service), daemon=True)
        recorder.start()
        signal.signal(signal.SIGTERM, _stop)
        try:
            service.run()
        except _Stopped:
            pass
        finally:
            with service.lock:
                service.closing = True
            _close_kaleido()
            _kill(_descendants(os.getpid()))  # anything that outlived a graceful close (Chromium in its own session)
            # The address is free before the lock is: whoever sees no drawing process can start the next one at once
            # (else it would find the address still bound by this process's exit, under load for seconds).
            listener.close()
            with suppress(OSError):
                lock.truncate(0)
    return 0


def _keep_record(lock: IO[str], service: _Service) -> None:
    """Record Chromium's process groups once it has started (for the next drawing process's sweep)."""
    recorded = -1
    while True:
        time.sleep(0.5)
        if service.drawn != recorded:
            recorded = service.drawn
            with suppress(OSError, ValueError):
                _record(lock)


class _Stopped(BaseException):
    pass


def _stop(signum: int, frame: Any) -> None:
    raise _Stopped


# --- processes, read from /proc ---------------------------------------------------------------------------------


def _processes() -> list[tuple[int, int]]:
    """(pid, process group) of every process, read from /proc."""
    return [(pid, pgid) for pid, _, pgid in _stats()]


def _stats() -> list[tuple[int, int, int]]:
    """(pid, parent, process group) of every process, read from /proc (empty where there is none)."""
    rows: list[tuple[int, int, int]] = []
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
                rows.append((int(entry.name), int(fields[1]), int(fields[2])))
    return rows


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read()
    except OSError:
        return b""


def _descendants(pid: int) -> list[tuple[int, int]]:
    """(pid, process group) of every process descended from `pid`."""
    parents: dict[int, list[tuple[int, int]]] = {}
    for process, parent, pgid in _stats():
        parents.setdefault(parent, []).append((process, pgid))
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


def _language_of(lang: str | None) -> str | None:
    """The language an image is worded in (`lang`, else the one in use), or None for the source language."""
    code = language.current().code if lang is None else language.known(lang)
    return None if code in (None, SOURCE_LANGUAGE) else code


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


def wrap(data: bytes) -> bytes:
    """An image as it is kept on disk: its bytes, then the trailer (mark, length, SHA-256)."""
    return data + TRAILER_MARK + struct.pack(">Q", len(data)) + hashlib.sha256(data).digest()


def unwrap(stored: bytes) -> bytes | None:
    """The image in a kept file, or None when the file is cut short or damaged (its trailer does not match)."""
    if len(stored) <= TRAILER_SIZE:
        return None
    data, trailer = stored[:-TRAILER_SIZE], stored[-TRAILER_SIZE:]
    mark, length, digest = trailer[: len(TRAILER_MARK)], trailer[len(TRAILER_MARK) : -32], trailer[-32:]
    if mark != TRAILER_MARK or struct.unpack(">Q", length)[0] != len(data):
        return None
    return data if hashlib.sha256(data).digest() == digest else None


# --- the web process's side ---------------------------------------------------------------------------------------


class _Gone(Exception):
    """The drawing process closed the connection."""


#: How often a request that finds no drawing process asks for one again (a start already under way is not repeated).
LAUNCH_EVERY = 0.5

# The thread that starts drawing processes: Linux sends the parent-death signal when the *thread* that started a
# process ends, and request threads come and go (werkzeug starts one per request). One lives as long as the process.
_launcher: ThreadPoolExecutor | None = None
_launcher_pid = 0
_started: dict[str, list[subprocess.Popen[bytes]]] = {}  # drawing processes this process started, by address
_started_lock = threading.Lock()


def _launch(address: str, args: list[str]) -> None:
    """Start a drawing process for `address` from the process's launcher thread (it exits at once if another
    process already serves the address), and reap those that have ended."""
    global _launcher, _launcher_pid
    with _started_lock:
        if _launcher is None or _launcher_pid != os.getpid():  # none yet, or a copy made by fork (gunicorn)
            _launcher, _launcher_pid = ThreadPoolExecutor(1, thread_name_prefix="drawing-launcher"), os.getpid()
            _started.clear()
        launcher = _launcher
    env = dict(os.environ)
    # The same imports as here: the package (installed or not) and whatever module holds an injected drawing.
    paths = [str(REPO_DIR), *(p for p in sys.path if p)]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    command = [sys.executable, "-m", "dashboard.exports.render_pool", address, str(os.getpid()), *args]

    def start() -> subprocess.Popen[bytes]:
        # Its own session: a signal to the web process's group never reaches it, and its group can be killed whole.
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, env=env, start_new_session=True)

    with _started_lock:
        alive = [p for p in _started.get(address, []) if p.poll() is None]  # poll() reaps the ended ones
        _started[address] = alive
        if alive:
            return  # ours is starting: one is enough (another web process may start one too; it exits at once)
    process = launcher.submit(start).result()
    with _started_lock:
        _started[address] = [*_started.get(address, []), process]


def _stop_started(address: str, wait: float = 10.0) -> None:
    """Stop the drawing processes this process started for `address` (SIGTERM, then SIGKILL with their Chromium)."""
    if _launcher_pid != os.getpid():
        return  # a copy inherited through fork: they belong to the parent
    with _started_lock:
        processes = _started.pop(address, [])
    for process in processes:
        if process.poll() is not None:
            continue
        family = [(process.pid, process.pid), *_descendants(process.pid)]
        with suppress(ProcessLookupError):
            process.terminate()
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            _kill(family)
            with suppress(Exception):
                process.wait(timeout=10)


def _reap(address: str, wait: float) -> None:
    """Wait (at most `wait` seconds) for the drawing processes this process started that are ending."""
    with _started_lock:
        processes = list(_started.get(address, [])) if _launcher_pid == os.getpid() else []
    for process in processes:
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)


def drawing_process(address: str) -> int | None:
    """The pid of the drawing process serving `address` now, or None (read from the file it holds locked)."""
    # The holder rewrites its record in place (truncate, then write): a record read empty while the lock is held is
    # read again, so that a running process is never reported gone.
    for _attempt in range(40):
        try:
            with open(_lock_path(address), encoding="utf-8") as lock:
                try:
                    fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:
                    try:
                        record = json.loads(lock.read() or "{}")
                    except ValueError:
                        record = {}
                    if "pid" in record:
                        return int(record["pid"])
                    time.sleep(0.025)
                    continue
                fcntl.flock(lock, fcntl.LOCK_UN)
                return None  # nobody holds it: no drawing process
        except (OSError, ValueError):
            return None
    return None


class RenderPool:
    """Images drawn by the machine's drawing process for these settings: at most one drawing at a time and
    `max_waiting` more waiting machine-wide (each at most `queue_wait` seconds), at most `1 + max_waiting` image
    requests at once in this web process, each drawing stopped after `timeout` seconds (plus `startup` for a new
    drawing process's first), the drawing process gone after `idle` seconds without work, and finished images kept
    in `folder` (None: not kept) up to `max_bytes`.

    `max_waiting` counts web threads: gunicorn runs 4 per worker (gunicorn.conf.py), and 1 drawing + 2 waiting
    leaves at least one thread for the page itself. The defaults keep the longest answer (queue_wait + timeout +
    startup) under nginx's 60 seconds.
    """

    def __init__(
        self,
        folder: Path | None,
        *,
        draw: Draw | str = DEFAULT_DRAW,
        max_waiting: int = 2,
        timeout: float = 20.0,
        queue_wait: float = 10.0,
        max_bytes: int = 200 * 1024 * 1024,
        idle: float = 300.0,
        startup: float = 20.0,
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
        self._pending = 0  # admitted in this process: drawing or waiting
        self._admission = threading.Lock()
        self._cache_warned = False
        self._missing_until = 0.0  # after finding no Chromium, say so at once for a while instead of looking again
        # One drawing process per image folder and settings: every web process and app server sharing the folder
        # shares it. Without a folder the pool is private to this object.
        where = str(folder.resolve()) if folder is not None else f"private-{os.getpid()}-{id(self)}"
        settings = [os.getuid(), where, self.spec, idle, timeout, startup, queue_wait, 1 + max_waiting]
        digest = hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:24]
        self.address = f"ma-surveillance-draw-{digest}"

    # -- what the callers use --

    @property
    def pending(self) -> int:
        """Requests of this process drawing or waiting for their turn now."""
        return self._pending

    @property
    def drawing_pid(self) -> int | None:
        """The pid of the machine's drawing process for this pool, or None when none runs."""
        return drawing_process(self.address)

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

    def compare_key(self, model: Model, town_ids: Sequence[int], fmt: str, day: date, lang: str | None = None) -> str:
        """The name of a compare slide: its towns in their order, its language (by default the one in use), and
        everything else that decides its bytes."""
        parts: dict[str, Any] = {"compare_towns": [int(t) for t in town_ids], "format": fmt}
        code = _language_of(lang)
        if code is not None:  # English keeps the name it always had
            parts["lang"] = code
        return _digest(parts, model, day)

    def cached(self, key: str, fmt: str) -> bytes | None:
        """A finished image from the folder, or None. A file whose trailer does not match its bytes (cut short,
        damaged) is deleted: it is drawn again, never served."""
        if self.folder is None:
            return None
        path = self.folder / f"{key}.{fmt}"
        try:
            stored = path.read_bytes()
        except OSError:
            return None
        data = unwrap(stored)
        if data is None:
            log.warning("deleting the damaged cached image %s (%d bytes): it is drawn again", path.name, len(stored))
            with suppress(OSError):
                path.unlink()
            return None
        with suppress(OSError):
            os.utime(path)  # recently used: evicted last
        return data

    def render(
        self, model: Model, state: ViewState, fmt: str = "png", size: str = "wide", exported: date | None = None
    ) -> Image:
        """The view as an image: from the folder if drawn before, else drawn now (waiting for a turn). Worded in the
        view's language (`state.lang`, part of its query and so of its name), its refusals too.

        Raises ValueError for an unknown format or size, and ImageUnavailable (Busy, RenderTimeout,
        ChromiumMissing, RenderFailed) when it cannot be drawn now."""
        from dashboard.exports.images import FORMATS, SIZES, export_figure

        if fmt not in FORMATS or size not in SIZES:
            raise ValueError(f"format must be one of {FORMATS} and size one of {tuple(SIZES)}")
        day = exported or date.today()
        width, height = SIZES[size]
        key = self.key(model, state, fmt, size, day)
        with language.speaking(state.lang):
            return self._render(key, lambda: export_figure(model, state, size, day), fmt, width, height)

    def render_compare(
        self,
        model: Model,
        town_ids: tuple[int, ...],
        fmt: str = "png",
        exported: date | None = None,
        lang: str | None = None,
    ) -> Image:
        """The compare slide of two to four towns (1920×1080), the same way as `render`: from the folder, or drawn
        now in the drawing process; in `lang` (by default the language in use), named with it. Raises ValueError
        for an unknown format or a wrong list of towns, and ImageUnavailable when it cannot be drawn now."""
        from dashboard.exports.compare_slide import SLIDE, check_towns, compare_figure
        from dashboard.exports.images import FORMATS

        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}")
        check_towns(model, town_ids)
        day = exported or date.today()
        code = language.current().code if lang is None else lang
        key = self.compare_key(model, town_ids, fmt, day, code)
        with language.speaking(code):
            return self._render(key, lambda: compare_figure(model, town_ids, day, lang=code), fmt, *SLIDE)

    def close(self) -> None:
        """Stop the drawing process (and its Chromium) if this process started it; at exit, or in tests."""
        _stop_started(self.address)

    # -- inside --

    def _render(self, key: str, build: Callable[[], go.Figure], fmt: str, width: int, height: int) -> Image:
        """The image named `key`: from the folder, else admitted here and by the drawing process (or refused at
        once), and on its turn built and drawn within the timeout; then kept."""
        data = self.cached(key, fmt)
        if data is not None:
            return Image(data, key, fmt, cached=True)
        if time.monotonic() < self._missing_until:
            raise ChromiumMissing(missing_message(), MISSING_RETRY)
        with self._admission:
            if self._pending >= 1 + self.max_waiting:  # this process's threads serve pages too
                raise Busy(busy_message(5), 5)
            self._pending += 1
        try:
            data = self._drawn(key, build, fmt, width, height)
        finally:
            with self._admission:
                self._pending -= 1
        if data is None:  # drawn by another request while this one waited
            cached = self.cached(key, fmt)
            if cached is not None:
                return Image(cached, key, fmt, cached=True)
            raise RenderFailed(failed_message(), 30)
        self._store(key, fmt, data)
        return Image(data, key, fmt, cached=False)

    def _drawn(self, key: str, build: Callable[[], go.Figure], fmt: str, width: int, height: int) -> bytes | None:
        """Wait for a turn in the machine's drawing process, then build the figure and have it drawn; asking
        again once if the process went away before this job's turn (it exited idle, or another job's overrun ended
        it). None when another request drew the image meanwhile."""
        turn_by = time.monotonic() + self.queue_wait  # the drawing process's start included
        for attempt in range(2):
            conn, buffer, starting = self._admitted()
            try:
                try:
                    started = _read_line(conn, buffer, turn_by + (self.startup if starting else 0))
                except TimeoutError:  # the queue is not moving: give up the place (the process skips it)
                    raise Busy(busy_message(self._retry_after()), self._retry_after()) from None
                if started is None:
                    if attempt == 0:
                        continue
                    raise RenderFailed(failed_message(), 30)
                if self.cached(key, fmt) is not None:
                    return None
                import plotly.io

                # Built on its turn, not before: a request refused as busy has cost no figure.
                figure = plotly.io.to_json(build(), validate=False)
                return self._job(conn, buffer, figure, fmt, width, height, first=bool(started.get("first")))
            finally:
                conn.close()
        raise RenderFailed(failed_message(), 30)

    def _admitted(self) -> tuple[socket.socket, bytearray, bool]:
        """A connection holding a place in the drawing process's queue, and whether that process is still starting;
        Busy at once when the queue is full. Starts the drawing process when none serves the address."""
        deadline = time.monotonic() + self.startup
        launched = -LAUNCH_EVERY  # when this request last asked for a drawing process
        while True:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect("\0" + self.address)
                buffer = bytearray()
                answer = _read_line(conn, buffer, time.monotonic() + 5)
                if answer is not None and answer.get("busy"):
                    conn.close()
                    seconds = int(answer.get("retry_after", 5))
                    raise Busy(busy_message(seconds), seconds)
                if answer is not None:
                    return conn, buffer, bool(answer.get("starting"))
                conn.close()  # closing as it went idle: start another
            except (ConnectionRefusedError, FileNotFoundError):
                conn.close()
            except TimeoutError:
                conn.close()
                raise RenderFailed(failed_message(), 30) from None
            if time.monotonic() > deadline:
                raise RenderFailed(failed_message(), 30)
            # Asked again while nobody serves: a launch skipped because this process's last drawing process was
            # still exiting (not yet reaped) must not leave the address unserved until the deadline.
            if time.monotonic() - launched > LAUNCH_EVERY:
                _launch(
                    self.address,
                    [
                        self.spec,
                        *map(str, (self.idle, self.timeout, self.startup, self.queue_wait, 1 + self.max_waiting)),
                    ],
                )
                launched = time.monotonic()
            time.sleep(0.02)

    def _job(
        self, conn: socket.socket, buffer: bytearray, figure: str, fmt: str, width: int, height: int, first: bool
    ) -> bytes:
        """Send the job (the figure in a file, where to write the image) and wait for the drawing."""
        with tempfile.TemporaryDirectory(prefix="ma-surveillance-render-") as tmp:
            source, out = Path(tmp) / "figure.json", Path(tmp) / f"image.{fmt}"
            source.write_text(figure, encoding="utf-8")
            job = {"figure": str(source), "out": str(out), "format": fmt, "width": width, "height": height}
            self.draws += 1
            if not _send(conn, job):
                raise RenderFailed(failed_message(), 30)
            # The drawing process stops an overrun itself; this wait is the backstop if it cannot.
            limit = self.timeout + (self.startup if first else 0) + 10
            try:
                answer = _read_line(conn, buffer, time.monotonic() + limit)
            except TimeoutError:
                answer = {"error": "timeout"}
                pid = self.drawing_pid
                if pid is not None:
                    family = _descendants(pid)
                    with suppress(ProcessLookupError):
                        family.append((pid, os.getpgid(pid)))
                    _kill(family)
            if answer is not None and answer.get("ok"):
                return out.read_bytes()
        if answer is None:
            log.warning("the image drawing process died")
            raise RenderFailed(failed_message(), 30)
        if answer.get("error") == "timeout":
            log.warning("image drawing took longer than %g s: its process was stopped", self.timeout)
            _reap(self.address, 5)  # the process ends itself: reap it if it was ours
            raise RenderTimeout(timeout_message(self.timeout), 30)
        log.warning("image drawing failed: %s", answer.get("message"))
        _reap(self.address, 5)  # it exits after a failure: reap it if it was ours
        if answer.get("error") == "missing":
            self._missing_until = time.monotonic() + MISSING_RETRY  # then look again: it may have been installed
            raise ChromiumMissing(missing_message(), MISSING_RETRY)
        raise RenderFailed(failed_message(), 60)

    def _retry_after(self) -> int:
        return max(1, min(60, math.ceil(self.queue_wait)))

    def _store(self, key: str, fmt: str, data: bytes) -> None:
        """Keep an image with its trailer (written whole, then renamed: readers never see half a file), then hold
        the size bound. Two web processes or app servers writing the same image at once each rename a whole file."""
        if self.folder is None:
            return
        tmp: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".part")
            with os.fdopen(fd, "wb") as out:
                out.write(wrap(data))
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
