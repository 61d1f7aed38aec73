"""Measure payload, callback speed, time steps, first load, load, abuse, cold start, a news spike through the caching
front and the map page on a phone (Lighthouse, taps), beside a naive baseline.

python benchmarks/run.py                              # everything, about 15 minutes on 2 cores
python benchmarks/run.py --quick                      # a short smoke run (seconds per scenario)
python benchmarks/run.py --only time-step,first-load  # a subset (names: see --help)
python benchmarks/run.py --only phone                 # Lighthouse's phone preset and taps: 3–6 minutes

Everything runs on loopback, on free ports, and stops by itself: servers (gunicorn, nginx, Chromium, Lighthouse) are
started here and stopped here. The callbacks a change fires are read from the app's /_dash-dependencies, and the
controls' starting values from its layout and first URL callback, as the page does.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import gzip
import http.client
import json
import os
import random
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the front's harness: nginx and gunicorn on free ports, shared with the tests

from front_harness import (  # noqa: E402
    Gunicorn,
    Nginx,
    answers,
    children_map,
    descendants,
    free_port,
    request,
    stop_tree,
)
from phone import measure_taps, phone_taps  # noqa: E402

WORKERS = 2  # one per core
THREADS = 4
SCENARIOS = (
    "geometry",
    "cold-start",
    "filter-change",
    "time-step",
    "first-load",
    "town-pages",
    "load",
    "load-100",
    "kill-worker",
    "exports",
    "slow-clients",
    "phone",
    "spike",
)
#: The table's sections, in print order (scenarios run in another order: the time step first, on a cold cache).
SECTIONS = SCENARIOS
FILTERS = ("filter-classes", "filter-waves", "filter-vendors")
CONTROLS = ("filter-classes", "filter-waves", "time-date", "filter-vendors", "layers", "town-search")
#: The views a shared link opens, measured on a phone (issue 19).
PHONE_VIEWS = ("/", "/?town=35", "/?present=1", "/?date=2019-12&extent=metro")
PHONE_BUDGET_S = 330  # the phone scenario stops starting Lighthouse runs when a next round would not fit
LIGHTHOUSE_PACKAGE = "lighthouse@12.2.3"  # pinned: figures comparable from run to run (runs on Node 20)
LIGHTHOUSE_RUNS = 3
LIGHTHOUSE_DIR = Path(tempfile.gettempdir()) / "ma-surveillance-map-benchmark" / "lighthouse"
PAGE = os.sysconf("SC_PAGE_SIZE")


def compact(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def num(value: float, fmt: str = "{:.1f}") -> str:
    return "n/a" if value != value else fmt.format(value)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- processes, read from /proc ------------------------------------------------------------------------------------


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far, in seconds (from /proc; a process gone counts 0)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def own_cpu_seconds() -> float:
    """This process's CPU time so far (all its threads: the simulated people, the load generator)."""
    times = os.times()
    return times.user + times.system


def is_chromium(pid: int) -> bool:
    return bool(re.search(r"chrom|headless_shell", _comm(pid), re.I))


class TreeSampler(threading.Thread):
    """Peak RSS (summed) of a process and its descendants, and peak count of Chromium processes among them."""

    def __init__(self, root: int, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.root, self.every = root, every
        self.stop_event = threading.Event()
        self.first_mb = self.peak_mb = 0.0
        self.peak_chromium = 0

    def sample(self) -> tuple[float, int]:
        pids = [self.root, *descendants(self.root)]
        return sum(_rss(p) for p in pids) / 2**20, sum(1 for p in pids if is_chromium(p))

    def run(self) -> None:
        self.first_mb, _ = self.sample()
        while not self.stop_event.is_set():
            mb, chromium = self.sample()
            self.peak_mb, self.peak_chromium = max(self.peak_mb, mb), max(self.peak_chromium, chromium)
            self.stop_event.wait(self.every)

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=5)


# --- servers ------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def server_cache() -> str:
    """The servers' cache folder: a copy of the prepared geometry in geodata/cache (no images), so that slide images
    are drawn afresh in every run and nothing is written into the checkout."""
    folder = tempfile.mkdtemp(prefix="bench-cache-")
    source = Path(os.environ.get("DASHBOARD_CACHE_DIR") or REPO / "geodata" / "cache")
    if source.is_dir():
        for item in source.iterdir():
            if item.is_file():
                shutil.copy2(item, folder)
    return folder


class Server:
    """A gunicorn (reading gunicorn.conf.py) serving one app on a free loopback port, for a `with` block."""

    def __init__(self, target: str, extra_path: str = "") -> None:
        self.port = free_port()
        self.target = target
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), extra_path) if p),
            "DASHBOARD_CACHE_DIR": server_cache(),
        }
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                target,
            ],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> Server:
        if answers(self.process, self.port, "/", within=120):
            return self
        self.__exit__()
        raise RuntimeError(f"{self.target} did not start; its log:\n{Path(self.log.name).read_text()[-3000:]}")

    def __exit__(self, *exc: object) -> None:
        stop_tree(self.process)
        self.log.close()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)

    def workers(self) -> list[int]:
        return list(children_map().get(self.process.pid, []))


# --- HTTP and Dash callbacks ---------------------------------------------------------------------------------------


def plain_body(data: bytes, headers: dict[str, str]) -> bytes:
    return gzip.decompress(data) if headers.get("content-encoding") == "gzip" else data


@functools.lru_cache(maxsize=1)
def _model():  # noqa: ANN202 - dashboard.data.model.Model, imported late
    from dashboard.config import load_config
    from dashboard.data.model import build_model

    return build_model(load_config())


def _catalog():  # noqa: ANN202 - dashboard.data.catalog.Catalog, imported late
    return _model().catalog


def town_ids(names: tuple[str, ...]) -> dict[str, int]:
    """Town ids by name, from the model (a name not found is left out)."""
    towns = _model().towns
    return {name: int(towns.index[towns["town"] == name][0]) for name in names if (towns["town"] == name).any()}


def random_values(rng: random.Random) -> dict[str, object]:
    """A random value for every control of the page (component id: its `value`)."""
    catalog = _catalog()
    return {
        "filter-classes": [c for c in catalog.class_ids if rng.random() < 0.75],
        "filter-waves": [w.month for w in catalog.waves if rng.random() < 0.8],
        "time-date": rng.randrange(len(catalog.months)),  # the month slider: an index into catalog.months
        "filter-vendors": [v for v in catalog.vendor_names if rng.random() < 0.5],
        "layers": [layer for layer, p in (("policy", 0.7), ("uasi", 0.4), ("metro", 0.2)) if rng.random() < p],
        "town-search": rng.choice([None, None, 35, 281, 214, 226, "agency:msp"]),
    }


def _prop(item: dict) -> str:
    ident = item["id"]
    return f"{ident if isinstance(ident, str) else compact(ident).decode()}.{item['property']}"


def _walk_layout(node: object, values: dict[str, object]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_layout(item, values)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "type" in node:
            if isinstance(props.get("id"), str):
                for key, value in props.items():
                    if key != "children":
                        values[f"{props['id']}.{key}"] = value
            for value in props.values():
                _walk_layout(value, values)


class DashClient:
    """The server-side callbacks of an app, as the page sees them in /_dash-dependencies."""

    def __init__(self, port: int) -> None:
        self.port = port
        _, data, _ = request(port, "GET", "/_dash-dependencies")
        self.deps = [d for d in json.loads(data) if not d.get("clientside_function")]
        self.watched = {_prop(i) for d in self.deps for i in (*d["inputs"], *d["state"])}
        _, data, headers = request(port, "GET", "/_dash-layout", gzip_ok=True)
        self.layout_values: dict[str, object] = {}
        self._page_values: dict[str, object] | None = None
        self._fired: dict[tuple[str, ...], list[dict]] = {}
        _walk_layout(json.loads(plain_body(data, headers)), self.layout_values)

    def fired_by(self, changed: list[str]) -> list[dict]:
        """The server callbacks a change of these properties fires (the page posts one request each)."""
        key = tuple(changed)
        if key not in self._fired:
            self._fired[key] = [d for d in self.deps if any(_prop(i) in changed for i in d["inputs"])]
        return self._fired[key]

    def sets_controls(self, dep: dict) -> bool:
        """Whether a callback's answer sets something other callbacks read (only those answers are parsed)."""
        names = dep["output"].strip(".").split("...")
        return any(n.split("@")[0] in self.watched for n in names)

    def body(self, dep: dict, values: dict[str, object], changed: list[str]) -> bytes:
        multi = dep["output"].startswith("..")
        names = dep["output"].strip(".").split("...") if multi else [dep["output"]]
        outs = [{"id": n.rsplit(".", 1)[0], "property": n.rsplit(".", 1)[1].split("@")[0]} for n in names]
        return compact(
            {
                "output": dep["output"],
                "outputs": outs if multi else outs[0],
                "inputs": [{**i, "value": values.get(_prop(i))} for i in dep["inputs"]],
                "changedPropIds": changed,
                "state": [{**s, "value": values.get(_prop(s))} for s in dep["state"]],
            }
        )

    def apply(self, data: bytes, headers: dict[str, str], values: dict[str, object]) -> None:
        """Keep what a response sets on the controls (the URL, the controls the URL restores)."""
        try:
            response = json.loads(plain_body(data, headers)).get("response", {})
        except ValueError:
            return
        for ident, props in response.items():
            for prop, value in props.items():
                if f"{ident}.{prop}" in self.watched:
                    values[f"{ident}.{prop}"] = value

    def page_values(self) -> dict[str, object]:
        """The controls' values once the page at / has loaded: its layout, then its URL callback's answer (asked
        once, so that people arriving while the server is under attack start from them too)."""
        if self._page_values is None:
            self._page_values = self._load_page_values()
        return dict(self._page_values)

    def _load_page_values(self) -> dict[str, object]:
        values = dict(self.layout_values)
        values.setdefault("url.search", "")
        values["url.search"] = values["url.search"] or ""
        for dep in self.fired_by(["url.search"]):
            status, data, headers = request(
                self.port, "POST", "/_dash-update-component", self.body(dep, values, ["url.search"])
            )
            if status == 200:
                self.apply(data, headers, values)
        return values


class Change:
    """What one change of the page cost: the requests it fired, each timed and weighed."""

    def __init__(self) -> None:
        self.ms = 0.0
        self.wire = self.raw = self.requests = self.errors = 0
        self.latencies: list[tuple[float, float, bool]] = []  # (start, ms, ok) per request


def fire(
    client: DashClient,
    values: dict[str, object],
    changed: list[str],
    conn: http.client.HTTPConnection | None,
    port: int | None = None,
    timeout: float = 30,
    weigh: bool = True,
) -> tuple[Change, http.client.HTTPConnection | None]:
    """Post, one after the other on a kept-alive connection, every callback the change fires (server time summed).
    Under load (`weigh` False) answers are not unzipped unless they set a control: the load generator shares the
    machine's cores with the server."""
    port = port or client.port
    change = Change()
    for dep in client.fired_by(changed):
        body = client.body(dep, values, changed)
        conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        began = time.monotonic()
        started = time.perf_counter()
        try:
            status, data, headers = request(port, "POST", "/_dash-update-component", body, gzip_ok=True, conn=conn)
            ok = status in (200, 204)
        except (OSError, http.client.HTTPException):
            ok, data, headers = False, b"", {}
            conn.close()
            conn = None
        elapsed = (time.perf_counter() - started) * 1000
        change.latencies.append((began, elapsed, ok))
        change.ms += elapsed
        change.requests += 1
        change.errors += 0 if ok else 1
        if ok:
            change.wire += len(data)
            if weigh:
                change.raw += len(plain_body(data, headers))
            if client.sets_controls(dep):
                client.apply(data, headers, values)
    return change, conn


def summarize(changes: list[Change]) -> dict[str, float]:
    times = [c.ms for c in changes]
    return {
        "median_ms": statistics.median(times),
        "p95_ms": pct(times, 0.95),
        "raw_kb": statistics.median([c.raw for c in changes]) / 1024,
        "wire_kb": statistics.median([c.wire for c in changes]) / 1024,
        "max_wire_kb": max(c.wire for c in changes) / 1024,
        "requests": max(c.requests for c in changes),
        "errors": sum(c.errors for c in changes),
    }


def measure_filter_changes(client: DashClient, samples: int) -> dict[str, float]:
    """A person changing one filter at a time (classes, waves or vendors), from a random view."""
    rng = random.Random(7)
    values = client.page_values()
    values.update({f"{k}.value": v for k, v in random_values(rng).items() if f"{k}.value" in client.watched})
    filters = [f for f in FILTERS if client.fired_by([f"{f}.value"])]
    changes, conn = [], None
    for _ in range(samples):
        control = rng.choice(filters)
        new = values[f"{control}.value"]
        while new == values[f"{control}.value"]:
            new = random_values(rng)[control]
        values[f"{control}.value"] = new
        change, conn = fire(client, values, [f"{control}.value"], conn)
        changes.append(change)
    if conn:
        conn.close()
    return summarize(changes)


def measure_time_steps(client: DashClient, plays: int = 2) -> list[dict[str, float]]:
    """Play through every month (▶ from the latest month restarts at the first, then one month per frame), `plays`
    times: the first on views the server has not seen, the next on views it has."""
    months = len(_catalog().months)
    values = client.page_values()
    runs = []
    # One kept-alive connection for every play: one worker answers them all, so the next plays find the views that
    # worker cached (on a new connection they might reach the other worker, whose cache is still cold).
    conn: http.client.HTTPConnection | None = None
    for _ in range(plays):
        changes = []
        for index in range(months):  # the first frame jumps from the latest month to the first
            values["time-date.value"] = index
            change, conn = fire(client, values, ["time-date.value"], conn)
            changes.append(change)
        runs.append(summarize(changes))
    if conn:
        conn.close()
    return runs


# --- load --------------------------------------------------------------------------------------------------------


def run_users(
    client: DashClient,
    users: int,
    seconds: float,
    port: int | None = None,
    controls: tuple[str, ...] = CONTROLS,
    stop: threading.Event | None = None,
    timeout: float = 30,
    think: tuple[float, float] = (0.5, 1.5),
    seed: int = 0,
) -> list[tuple[float, float, bool]]:
    """Simulated people, each on its own kept-alive connection, changing one control at a time and reading the map
    between changes. Returns (start, ms, ok) per request. Another `seed`, other people: views the server has not
    already answered (and cached) for the same seed."""
    records: list[tuple[float, float, bool]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    stop = stop or threading.Event()
    start_values = client.page_values()
    usable = [c for c in controls if client.fired_by([f"{c}.value"])]

    def user(seed: int) -> None:
        rng = random.Random(seed)
        values = dict(start_values)
        conn = None
        time.sleep(rng.uniform(0, think[1]))  # people do not all arrive in the same millisecond
        while time.monotonic() < deadline and not stop.is_set():
            control = rng.choice(usable)
            values[f"{control}.value"] = random_values(rng)[control]
            change, conn = fire(client, values, [f"{control}.value"], conn, port=port, timeout=timeout, weigh=False)
            with lock:
                records.extend(change.latencies)
            stop.wait(rng.uniform(*think))
        if conn:
            conn.close()

    threads = [threading.Thread(target=user, args=(seed + i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + timeout + 10)
    with lock:
        return list(records)


def load_summary(records: list[tuple[float, float, bool]], seconds: float) -> dict[str, float]:
    times = [ms for _, ms, _ in records]
    return {
        "requests": len(records),
        "errors": sum(1 for *_, ok in records if not ok),
        "rps": len(records) / seconds,
        "p50_ms": pct(times, 0.5),
        "p95_ms": pct(times, 0.95),
    }


def _established_by_worker(port: int, workers: list[int]) -> dict[int, int]:
    """How many kept-alive client connections each worker holds (from /proc/net/tcp and the workers' fds)."""
    inodes: set[str] = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(name).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                    inodes.add(fields[9])
    counts = {}
    for pid in workers:
        count = 0
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    link = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        count += 1
        counts[pid] = count
    return counts


def kill_worker(
    server: Server, client: DashClient, users: int, before: float, after: float, port: int | None = None
) -> dict[str, float]:
    """kill -9 one worker mid-load, the people reaching gunicorn through `port` (nginx) or directly: the share of
    requests that failed, how long until p95 is back to normal, and how much of the work the restarted worker takes
    (its share of the workers' CPU time from 5 s after the kill; about 50 % once balanced)."""
    result: list[list[tuple[float, float, bool]]] = []
    began = time.monotonic()
    thread = threading.Thread(
        target=lambda: result.append(run_users(client, users, before + after, port=port)), daemon=True
    )
    thread.start()
    time.sleep(before)
    before_workers = server.workers()
    killed_at = time.monotonic()
    os.kill(before_workers[0], signal.SIGKILL)
    time.sleep(5.0)
    workers = server.workers()
    restarted_pids = [pid for pid in workers if pid not in before_workers]
    cpu_from = {pid: cpu_seconds([pid]) for pid in workers}
    time.sleep(max(0.0, after - 6.0))
    cpu_used = {pid: cpu_seconds([pid]) - cpu_from[pid] for pid in workers}
    connections = _established_by_worker(server.port, workers)  # while the people are still connected
    thread.join()
    records = result[0] if result else []
    normal = [ms for t, ms, ok in records if began + min(2.0, before / 2) <= t < killed_at and ok]
    normal_p95 = pct(normal, 0.95)
    threshold = max(1.5 * normal_p95, normal_p95 + 50)
    windows: list[tuple[float, int, int]] = []  # p95, requests, errors per second after the kill
    for second in range(int(after)):
        inside = [(ms, ok) for t, ms, ok in records if killed_at + second <= t < killed_at + second + 1]
        windows.append((pct([ms for ms, _ in inside], 0.95), len(inside), sum(1 for _, ok in inside if not ok)))

    def fine(w: tuple[float, int, int]) -> bool:
        return w[1] == 0 or (w[0] <= threshold and w[2] == 0)

    # Back to normal: from the first second after which three seconds in a row are as fast as before, error-free.
    recovered = next((s for s in range(len(windows) - 2) if all(fine(w) for w in windows[s : s + 3])), None)
    late = [ms for t, ms, ok in records if t >= killed_at + 5 and ok]
    errors = sum(1 for *_, ok in records if not ok)
    held = sum(connections.values())
    restarted = sum(n for pid, n in connections.items() if pid not in before_workers)
    cpu_total = sum(cpu_used.values())
    return {
        "requests": len(records),
        "errors": errors,
        "error_pct": 100 * errors / len(records) if records else float("nan"),
        "normal_p95": normal_p95,
        "late_p95": pct(late, 0.95),
        "recovered_s": float("nan") if recovered is None else float(recovered),
        "after_s": after,
        "restarted_share_pct": 100 * restarted / held if held else float("nan"),
        "restarted_cpu_pct": (
            100 * sum(cpu_used[p] for p in restarted_pids) / cpu_total if cpu_total and restarted_pids else float("nan")
        ),
        "connections": held,
    }


# --- town pages -------------------------------------------------------------------------------------------------


def town_pages(port: int, passes: int = 2, limit: int | None = None) -> dict[str, Any]:
    """Every /town/<slug> of /sitemap.xml, fetched `passes` times in a row on one kept-alive connection (so every
    pass reaches the same worker: the first builds each page, the next answer from its cache). Per pass: p50/p95 ms
    per page; and the largest page, raw and gzipped at nginx's level (gzip_comp_level 5, deploy/nginx.conf)."""
    status, data, headers = request(port, "GET", "/sitemap.xml", gzip_ok=True)
    if status != 200:
        return {"missing": f"/sitemap.xml answered {status}"}
    slugs = re.findall(r"/town/([^<>/?#]+)</loc>", plain_body(data, headers).decode())
    if not slugs:
        return {"missing": "no /town/ page in /sitemap.xml"}
    slugs = slugs[:limit] if limit else slugs
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times: list[list[float]] = []
    largest = largest_gz = errors = 0
    try:
        for n in range(passes):
            this: list[float] = []
            for slug in slugs:
                started = time.perf_counter()
                try:  # asked plain: the app's time to build and send the page, without compressing it
                    status, body, _ = request(port, "GET", f"/town/{slug}", conn=conn)
                except (OSError, http.client.HTTPException):
                    status, body = 0, b""
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                this.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    errors += 1
                    continue
                largest = max(largest, len(body))
                if n == 0:  # between requests, off the timed path
                    largest_gz = max(largest_gz, len(gzip.compress(body, compresslevel=5)))
            times.append(this)
    finally:
        conn.close()
    return {
        "pages": len(slugs),
        "passes": [{"p50_ms": pct(t, 0.5), "p95_ms": pct(t, 0.95)} for t in times],
        "largest_kb": largest / 1024,
        "largest_gz_kb": largest_gz / 1024,
        "errors": errors,
    }


# --- image exports -----------------------------------------------------------------------------------------------


def image_route(port: int) -> bool:
    """Whether the server answers GET /image/<name>.<fmt> itself (any answer but Dash's catch-all page or a 404);
    asked with a format no route draws, so that the question draws nothing."""
    try:
        status, _, headers = request(port, "GET", "/image/benchmark-probe.none", timeout=30)
    except (OSError, http.client.HTTPException):
        return False
    return status != 404 and not (status == 200 and headers.get("content-type", "").startswith("text/html"))


def _export_outcome(status: int, data: bytes, headers: dict[str, str], callback: bool) -> str:
    """done, refused (busy: 429/503 with Retry-After, or the page's status line instead of a file) or errors."""
    if status in (429, 503):
        return "refused"
    if status != 200:
        return "errors"
    if not callback:
        return "done" if headers.get("content-type", "").startswith("image/") else "errors"
    try:
        response = json.loads(plain_body(data, headers)).get("response", {})
    except ValueError:
        return "errors"
    if response.get("download", {}).get("data"):
        return "done"
    said = [v for ident, props in response.items() for v in props.values() if isinstance(v, str) and v]
    return "refused" if said else "errors"


def exports_under_load(exports: int, users: int, cap: float) -> dict[str, Any]:
    """Concurrent image exports (distinct views) while people change filters, on a server of its own whose process
    tree (workers, render processes, Chromium) is sampled for memory. Through GET /image/… where the server has it,
    else as the page's "Download image" button does (the callback it fires, read from /_dash-dependencies)."""
    with Server("app:server") as server:
        client = DashClient(server.port)
        sampler = TreeSampler(server.process.pid)
        sampler.start()
        route = image_route(server.port)
        button = client.fired_by(["download-image.n_clicks"])
        if not route and not button:
            sampler.stop()
            return {"missing": "no image export found (no /image/ route, no callback on download-image)"}
        rng = random.Random(11)
        base = client.page_values()
        url_deps = [d for d in client.fired_by(["filter-classes.value"]) if "url.search" in map(_prop, d["inputs"])]
        jobs: list[tuple[str, bytes | None]] = []
        for _ in range(exports):
            values = dict(base)
            values.update({f"{k}.value": v for k, v in random_values(rng).items()})
            if route:  # the view's address, as the page's URL callback writes it
                for dep in url_deps:
                    body = client.body(dep, values, ["filter-classes.value"])
                    _, data, headers = request(server.port, "POST", "/_dash-update-component", body)
                    client.apply(data, headers, values)
                query = str(values.get("url.search") or "").lstrip("?")
                jobs.append((f"/image/view.png?{query + '&' if query else ''}size=wide", None))
            else:  # the button's callback, with the image controls as the page leaves them
                values.update({"image-size.value": "wide", "image-format.value": "png", "image-compare.value": None})
                values["download-image.n_clicks"] = 1
                body = client.body(button[0], values, ["download-image.n_clicks"])
                jobs.append(("/_dash-update-component", body))

        outcome: dict[str, list[float]] = {"done": [], "refused": [], "errors": []}
        lock = threading.Lock()
        began = time.monotonic()
        deadline = began + cap

        def export(path: str, body: bytes | None) -> None:
            started = time.monotonic()
            kind = "errors"
            try:  # bounded: whatever has not answered by the cap is an error
                status, data, headers = request(
                    server.port, "POST" if body else "GET", path, body, timeout=max(1.0, deadline - started)
                )
                kind = _export_outcome(status, data, headers, callback=body is not None)
            except (OSError, http.client.HTTPException):
                pass
            with lock:
                outcome[kind].append(time.monotonic() - started)

        stop = threading.Event()
        users_result: list[list[tuple[float, float, bool]]] = []
        users_thread = threading.Thread(
            target=lambda: users_result.append(run_users(client, users, cap, controls=FILTERS, stop=stop)), daemon=True
        )
        users_thread.start()
        time.sleep(2.0)  # the people are changing filters before the exports arrive
        threads = [threading.Thread(target=export, args=job, daemon=True) for job in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(0.0, deadline - time.monotonic()) + 5)
        stop.set()
        users_thread.join(timeout=40)
        sampler.stop()
    records = users_result[0] if users_result else []
    done = outcome["done"]
    return {
        "path": "GET /image/" if route else "the page's callback",
        "done": len(done),
        "refused": len(outcome["refused"]),
        "export_errors": len(outcome["errors"]) + exports - sum(len(v) for v in outcome.values()),
        "median_s": statistics.median(done) if done else float("nan"),
        "max_s": max(done) if done else float("nan"),
        "filter_p95": pct([ms for _, ms, _ in records], 0.95),
        "filter_errors": sum(1 for *_, ok in records if not ok),
        "peak_mb": sampler.peak_mb,
        "first_mb": sampler.first_mb,
        "peak_chromium": sampler.peak_chromium,
    }


# --- slow clients -------------------------------------------------------------------------------------------------


class SlowClients(threading.Thread):
    """Sockets that send a request's headers one byte every `every` seconds, reconnecting when closed."""

    def __init__(self, port: int, count: int, every: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.port, self.count, self.every = port, count, every
        self.payload = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\nX-Slow: " + b"a" * 100_000
        self.stop_event = threading.Event()
        self.closed = self.connect_failures = 0

    def _connect(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
        except OSError:
            self.connect_failures += 1
            return None
        sock.setblocking(False)
        return sock

    def run(self) -> None:
        now = time.monotonic()
        socks: list[socket.socket | None] = [self._connect() for _ in range(self.count)]
        sent = [0] * self.count
        due = [now + self.every * i / self.count for i in range(self.count)]
        while not self.stop_event.is_set():
            live = [s for s in socks if s is not None]
            readable, _, _ = select.select(live, [], [], 0.05) if live else ([], [], [])
            now = time.monotonic()
            for i, sock in enumerate(socks):
                if sock is None:
                    if now >= due[i]:
                        socks[i], sent[i], due[i] = self._connect(), 0, now + self.every
                    continue
                gone = False
                if sock in readable:
                    try:
                        gone = True
                        sock.recv(65536)  # an answer (408, 400) or the end: either way the server let go
                    except OSError:
                        pass
                elif now >= due[i]:
                    try:
                        sock.send(self.payload[sent[i] : sent[i] + 1])
                        sent[i] += 1
                        due[i] = now + self.every
                    except OSError:
                        gone = True
                if gone:
                    self.closed += 1
                    sock.close()
                    socks[i], sent[i], due[i] = self._connect(), 0, now + self.every
        for sock in socks:
            if sock is not None:
                sock.close()

    def __enter__(self) -> SlowClients:
        self.start()
        time.sleep(min(3.0, self.every * 1.5))  # every slow socket is open and has sent something
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self.join(timeout=10)


def slow_clients(
    client: DashClient, front_port: int | None, direct_port: int, slow: int, users: int, seconds: float
) -> dict[str, float]:
    """People changing filters while `slow` sockets trickle headers: through the front end, then straight to
    gunicorn for comparison (requests there time out after 10 s, counted as errors)."""
    out: dict[str, float] = {}
    client.page_values()  # asked before the attack
    if front_port is not None:
        calm = run_users(client, users, min(10.0, seconds / 2), port=front_port)
        out["calm_p95"] = pct([ms for _, ms, _ in calm], 0.95)
        with SlowClients(front_port, slow) as trickle:
            records = run_users(client, users, seconds, port=front_port)
        out.update(
            front_p95=pct([ms for _, ms, _ in records], 0.95),
            front_errors=sum(1 for *_, ok in records if not ok),
            front_requests=len(records),
            front_closed=trickle.closed,
        )
    with SlowClients(direct_port, slow) as trickle:
        records = run_users(client, users, min(seconds, 20.0), port=direct_port, timeout=10)
    out.update(
        direct_p95=pct([ms for _, ms, _ in records], 0.95),
        direct_errors=sum(1 for *_, ok in records if not ok),
        direct_requests=len(records),
    )
    return out


# --- the browser: first load and Lighthouse ------------------------------------------------------------------------

#: Runs in the page before its own scripts: when a map first shows (any visible <svg> with a path per town: plotly's,
#: or a server-rendered picture), when plotly has drawn the 351 towns, and the largest contentful paint.
WATCH_JS = """
(() => {
  const marks = window.__bench = {};
  const check = () => {
    const now = performance.now();
    if (marks.visible === undefined) {
      for (const svg of document.querySelectorAll('svg')) {
        const box = svg.getBoundingClientRect();
        if (box.width > 100 && box.height > 100 && svg.querySelectorAll('path').length >= 351) {
          marks.visible = now;
          break;
        }
      }
    }
    if (marks.drawn === undefined && document.querySelectorAll('#map path.choroplethlocation').length === 351) {
      marks.drawn = now;
      if (marks.visible === undefined) { marks.visible = now; }
    }
    if (marks.drawn === undefined) { requestAnimationFrame(check); }
  };
  requestAnimationFrame(check);
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) { marks.lcp = entry.startTime; }
  }).observe({type: 'largest-contentful-paint', buffered: true});
})();
"""


def first_load(port: int) -> dict[str, float]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    options = Options()
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    try:
        driver.set_script_timeout(60)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_JS})
        driver.get(f"http://127.0.0.1:{port}/")
        deadline = time.monotonic() + 60
        marks: dict = {}
        while time.monotonic() < deadline:
            marks = driver.execute_script("return window.__bench || {};")
            if "drawn" in marks:
                break
            time.sleep(0.1)
        time.sleep(1.5)  # let the first callbacks finish
        marks = driver.execute_script("return window.__bench || {};")
        transfer, count = driver.execute_script("""
            const nav = performance.getEntriesByType('navigation')[0];
            const all = [nav, ...performance.getEntriesByType('resource')];
            return [all.reduce((a, e) => a + e.transferSize, 0), all.length];""")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    nan = float("nan")
    return {
        "visible_ms": marks.get("visible", nan),
        "drawn_ms": marks.get("drawn", nan),
        "lcp_ms": marks.get("lcp", nan),
        "wire_mb": transfer / 2**20,
        "requests": count,
    }


def lighthouse(
    base: str, views: tuple[str, ...], folder: Path, timeout: float = 240
) -> dict[str, dict[str, float] | str]:
    """Lighthouse's default (phone) preset on each view, with Debian's Chromium; a string says why not measured."""
    cli = folder / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        if not shutil.which("npm") or not shutil.which("node"):
            return dict.fromkeys(views, "not measured: node/npm missing")
        log(f"  npm install lighthouse into {folder}…")
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "package.json").exists():
            (folder / "package.json").write_text('{"private": true}\n')
        try:
            subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", LIGHTHOUSE_PACKAGE],
                cwd=folder,
                capture_output=True,
                timeout=300,
                check=True,
            )
        except (subprocess.SubprocessError, OSError) as error:
            return dict.fromkeys(views, f"not measured: npm install lighthouse failed ({type(error).__name__})")
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chrome).exists():
        return dict.fromkeys(views, "not measured: no Chromium (apt-get install chromium)")
    results: dict[str, dict[str, float] | str] = {}
    for view in views:
        out = Path(tempfile.mkdtemp(prefix="bench-lighthouse-"))
        process = subprocess.Popen(
            [
                "node",
                str(cli),
                base + view,
                "--only-categories=performance,accessibility,seo",
                "--output=json",
                f"--output-path={out / 'report.json'}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
                "--quiet",
            ],
            env={**os.environ, "CHROME_PATH": chrome},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own group, so a hung run is stopped with its Chromium
        )
        err = b""
        try:
            _, err = process.communicate(timeout=timeout)
            report = json.loads((out / "report.json").read_text())
            if report.get("runtimeError"):
                results[view] = f"not measured: {report['runtimeError'].get('code', 'runtime error')}"
            else:
                audits, categories = report["audits"], report["categories"]
                results[view] = {
                    "performance": categories["performance"]["score"] * 100,
                    "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
                    "tbt_ms": audits["total-blocking-time"]["numericValue"],
                    "cls": audits["cumulative-layout-shift"]["numericValue"],
                    "accessibility": categories["accessibility"]["score"] * 100,
                    "seo": categories["seo"]["score"] * 100,
                    "benchmark_index": report.get("environment", {}).get("benchmarkIndex", float("nan")),
                }
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
            results[view] = f"not measured: Lighthouse ran over {timeout:.0f} s"
        except (OSError, ValueError, KeyError, TypeError) as error:
            results[view] = f"not measured: {type(error).__name__} ({(err or b'').decode()[-120:].strip()})"
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return results


# --- the map page on a phone --------------------------------------------------------------------------------------

DASH_CONFIG = re.compile(r'<script[^>]*\bid="_dash-config"[^>]*>(.*?)</script>', re.S)


def first_html(port: int, view: str) -> dict[str, Any]:
    """A view's first HTML through the front, asked as a phone asks (gzip): its size raw and as sent, and the size of
    the validation layout in Dash's `_dash-config` (None: not there, or no `_dash-config` at all)."""
    status, data, headers = request(port, "GET", view, gzip_ok=True)
    text = plain_body(data, headers).decode("utf-8", "replace")
    found = DASH_CONFIG.search(text)
    validation_kb = None
    if found and "validation_layout" in found.group(1):
        try:
            validation_kb = len(compact(json.loads(found.group(1)).get("validation_layout"))) / 1024
        except (ValueError, AttributeError):
            validation_kb = len(found.group(1).encode()) / 1024  # unreadable: the whole config, an upper bound
    return {
        "status": status,
        "raw_kb": len(text.encode()) / 1024,
        "wire_kb": len(data) / 1024,
        "gzip": headers.get("content-encoding") == "gzip",
        "config_kb": len(found.group(1).encode()) / 1024 if found else 0.0,
        "validation_kb": validation_kb,
    }


def lighthouse_rounds(
    origin: str, views: tuple[str, ...], folder: Path, runs: int, deadline: float
) -> tuple[dict[str, list[dict[str, float]]], dict[str, str]]:
    """Lighthouse on every view, round after round (each view once a round, so that a slow machine still measures
    every view), `runs` rounds or fewer: a run is started only if the longest run so far fits before `deadline`
    (time.monotonic()), and the first round always runs. Per view: the runs measured, and why one was not."""
    measured: dict[str, list[dict[str, float]]] = {view: [] for view in views}
    why: dict[str, str] = {}
    longest = 45.0  # a guess until a run is timed
    for round_ in range(runs):
        for view in views:
            left = deadline - time.monotonic()
            if round_ and left < longest:
                return measured, why
            started = time.monotonic()
            result = lighthouse(origin, (view,), folder, timeout=max(90.0, min(240.0, left)))[view]
            longest = max(longest, time.monotonic() - started)
            if isinstance(result, str):
                why[view] = result
            else:
                measured[view].append(result)
        if not any(measured.values()):  # nothing measured in a whole round (no Node, no Chromium): no use going on
            break
    return measured, why


def lighthouse_version(folder: Path) -> str:
    """The installed Lighthouse's version ("" if none)."""
    with contextlib.suppress(OSError, ValueError, KeyError):
        return json.loads((folder / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    return ""


def phone(views: tuple[str, ...], folder: Path, runs: int) -> dict[str, Any]:
    """The map page on a phone through deploy/nginx.conf before one gunicorn (gunicorn.conf.py), the front's cache
    empty at the start: each view's first HTML, taps on / (phone.py), then Lighthouse's phone preset on each view
    `runs` times, within PHONE_BUDGET_S."""
    began = time.monotonic()
    with contextlib.ExitStack() as stack:
        port = free_port()
        nginx = Nginx(port)  # started first: the app server empties its cache when it starts
        stack.callback(nginx.__exit__)
        env = {"DASHBOARD_CACHE_DIR": server_cache(), "DASHBOARD_FRONT_CACHE": str(nginx.cache)}
        stack.enter_context(Gunicorn(env=env, port=port))
        nginx.__enter__()
        origin = f"http://127.0.0.1:{nginx.port}"
        html = {view: first_html(nginx.port, view) for view in views}
        log("  taps on / (phone profile, cold cache)…")
        taps = measure_taps(origin, phone_taps(town_ids(("Worcester", "Springfield", "Boston"))))
        log(f"  Lighthouse, {runs} round(s) within {PHONE_BUDGET_S} s…")
        measured, why = lighthouse_rounds(origin, views, folder, runs, began + PHONE_BUDGET_S)
    return {"html": html, "taps": taps, "lighthouse": measured, "why": why}


def phone_rows(table: Table, result: dict[str, Any], runs: int, folder: Path) -> None:
    """The phone scenario's rows, each against issue 19's goal, and its notes."""
    section = "phone"
    for view, page in result["html"].items():
        if page["status"] != 200:
            table.missing(section, f"phone {view}: first HTML via nginx", f"answered {page['status']}")
            continue
        sent = f"{page['wire_kb']:.0f}" if page["gzip"] else f"{page['wire_kb']:.0f} (not gzipped)"
        table.row(section, f"phone {view}: first HTML via nginx, KB raw / gzip", f"{page['raw_kb']:.0f} / {sent}")
        kb = page["validation_kb"]
        table.row(
            section,
            "… validation_layout in _dash-config, KB",
            "absent" if kb is None else f"{kb:.1f} (of {page['config_kb']:.0f})",
            None,
            "absent or ≤ 5",
            met="met" if kb is None or kb <= 5 else "NOT met",
        )

    taps = result["taps"]
    if "missing" in taps:
        table.missing(section, "phone taps on /", taps["missing"], "≤ 2")
    else:
        table.row(
            section, "phone taps on / (cold cache): page complete (load event), s", taps["load_s"], None, "reported"
        )
        later: list[float] = []
        for n, tap in enumerate(taps["taps"]):
            goal = "≤ 2" if n == 0 else "≤ 0.5"
            label = f"… {tap['label']}, s" + (" (a new page load)" if tap.get("navigated") else "")
            if "seconds" in tap:
                table.row(section, label, tap["seconds"], None, goal, "{:.2f}")
                later.extend([tap["seconds"]] if n else [])
            else:
                table.missing(section, label, tap["missing"], goal)
        count = len(taps["taps"]) - 1
        if later:
            shown = "" if len(later) == count else f" (of {len(later)} measured)"
            table.row(section, f"… later taps: the slowest{shown}, s", max(later), None, "≤ 0.5", "{:.2f}")
        else:
            table.missing(section, "… later taps: the slowest, s", "no later tap measured", "≤ 0.5")

    goals = (
        ("performance", "performance", "≥ 90", "{:.0f}"),
        ("largest contentful paint (LCP), s", "lcp_s", "≤ 2.5", "{:.2f}"),
        ("total blocking time (TBT), ms", "tbt_ms", "≤ 200", "{:.0f}"),
        ("cumulative layout shift (CLS)", "cls", "< 0.05", "{:.3f}"),
        ("accessibility", "accessibility", "100", "{:.0f}"),
        ("SEO", "seo", "100", "{:.0f}"),
    )
    indexes: list[float] = []
    for view, done in result["lighthouse"].items():
        if not done:
            why = result["why"].get(view, "not measured: no run fitted").removeprefix("not measured: ")
            table.missing(section, f"Lighthouse phone {view} via nginx: performance", why, "≥ 90")
            continue
        fewer = "" if len(done) == runs else f", median of {len(done)}"
        for n, (label, key, goal, fmt) in enumerate(goals):
            name = f"Lighthouse phone {view} via nginx{fewer}: {label}" if n == 0 else f"… {label}"
            table.row(section, name, statistics.median(r[key] for r in done), None, goal, fmt)
        indexes.extend(r["benchmark_index"] for r in done)
    version = lighthouse_version(folder)
    table.notes.append(
        f"phone: through deploy/nginx.conf before gunicorn (gunicorn.conf.py), the front's cache empty at the start "
        f"(each view's page fetched once for its size, then cached); Lighthouse {version or '(not installed)'}, its "
        f"default phone preset (Moto G Power screen, simulated slow 4G, CPU 4× slower), each figure the median of "
        f"{runs} run{'s' if runs > 1 else ''} per view, the views taken in turn"
        + (f"; this machine's benchmarkIndex {statistics.median(indexes):.0f}" if indexes else "")
    )
    table.notes.append(
        "phone taps: Selenium + Chromium (headless), 412×823 with touch, DevTools Protocol slow 4G (150 ms, "
        "1.6 Mbit/s down, 750 kbit/s up) and CPU 4× slower, a cold browser cache; / loaded to its load event, then "
        "each tap at once (1 s between taps); time from the tap's event time to the first frame in which the answer "
        "is on screen, both read in the page (across a page load if the tap loads one)"
    )


# --- a news spike through the caching front -----------------------------------------------------------------------

#: The 20 shared views a story's readers arrive at: the map's views, and town pages (whose readers then open the map
#: at that town). A town page's entry: (page, the map view its "see it on the map" link opens).
SPIKE_VIEWS: tuple[str, ...] = (
    "/",
    "/?town=35",
    "/?town=281",
    "/?town=214",
    "/?town=226",
    "/?date=2019-06",
    "/?date=2020-04",
    "/?date=2020-12",
    "/?date=2018-01&town=35",
    "/?extent=metro",
    "/?extent=metro&town=35",
    "/?present=1",
    "/?present=1&extent=metro",
    "/?vendors=briefcam",
    "/?vendors=clearview&date=2020-04",
    "/?classes=use",
    "/?policy=0&uasi=1",
    "/town/boston",
    "/town/springfield",
    "/town/northampton",
)
#: A town page's map view (its readers go on to the map there).
SPIKE_TOWN_MAP = {"/town/boston": "/?town=35", "/town/springfield": "/?town=281", "/town/northampton": "/?town=214"}
#: What readers change, and how often (weights): the month most, then a town, a vendor, a layer, a class. Values are
#: drawn from short lists, the first ones likelier (readers of one story try the same few things).
SPIKE_CHANGES = (("time-date", 40), ("town-search", 30), ("filter-vendors", 15), ("layers", 10), ("filter-classes", 5))
SPIKE_KINDS = (
    "page",
    "script or style",
    "layout",
    "dependencies",
    "callback, first load",
    "callback, change",
    "town page",
)
PAGE_FILES = re.compile(r'<(?:script|link)[^>]*?(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"')
END_ID = re.compile(r'"end_id":"([^"]*)"')
#: X-Cache-Status values whose answer came from Python (REVALIDATED: the app was asked, answered 304).
REACHED_PYTHON = {"MISS", "EXPIRED", "BYPASS", "REVALIDATED", ""}


def _likely(rng: random.Random, options: list[Any]) -> Any:
    """One of `options`, the first ones likelier (weights 1, 1/2, 1/3, …)."""
    return rng.choices(options, weights=[1 / (i + 1) for i in range(len(options))])[0]


def spike_change(rng: random.Random, values: dict[str, object]) -> str:
    """Change one control the way a story's reader would; the control changed."""
    catalog = _catalog()
    control = rng.choices([c for c, _ in SPIKE_CHANGES], weights=[w for _, w in SPIKE_CHANGES])[0]
    key = f"{control}.value"
    current = values.get(key)
    if control == "time-date":
        months = [m for m in ("2020-04", "2020-02", "2019-06", "2021-12", "2018-01", "2017-01") if m in catalog.months]
        values[key] = catalog.months.index(_likely(rng, months))
    elif control == "town-search":
        values[key] = _likely(rng, [35, 281, 214, 226, None, "agency:msp"])
    elif control in ("filter-vendors", "filter-classes", "layers"):
        everything = {
            "filter-vendors": list(catalog.vendor_names),
            "filter-classes": list(catalog.class_ids),
            "layers": ["policy", "uasi", "metro"],
        }[control]
        chosen = list(current) if isinstance(current, list) else []
        item = _likely(rng, everything)
        values[key] = [v for v in everything if (v in chosen) != (v == item)]  # one item switched on or off
    return key


class SpikeView:
    """What the page at one view holds once loaded (its controls' values), read once from an app server directly."""

    def __init__(self, client: DashClient, port: int, view: str) -> None:
        self.view = view
        _, data, headers = request(port, "GET", "/_dash-layout", gzip_ok=True, headers={"Referer": view})
        values: dict[str, object] = {}
        _walk_layout(json.loads(plain_body(data, headers)), values)
        values["url.search"] = "?" + view.split("?", 1)[1] if "?" in view else ""
        self.values = values


def spike_visitor(
    client: DashClient,
    port: int,
    views: dict[str, SpikeView],
    entry: str,
    seed: int,
    think: tuple[float, float],
    record: Callable[[str, float, int, str], None],
    changes: int = 5,
) -> None:
    """One reader: the first load of `entry` as the browser makes it (page, its scripts and styles, layout,
    dependencies, the callbacks the page fires on load), then `changes` changes, on one kept-alive connection."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(kind: str, path: str, headers: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
        nonlocal conn
        started = time.perf_counter()
        try:
            status, data, answer = request(port, "GET", path, gzip_ok=True, conn=conn, headers=headers)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status, data, answer = -1, b"", {}
        record(kind, (time.perf_counter() - started) * 1000, status, answer.get("x-cache-status", ""))
        return (data, answer) if status == 200 else (b"", {})  # (204 never answers a GET)

    def post(kind: str, dep: dict, values: dict[str, object], changed: list[str], end_id: str) -> None:
        nonlocal conn
        path = "/_dash-update-component" + (f"?endId={end_id}" if end_id else "")  # as Dash's renderer posts it
        started = time.perf_counter()
        try:
            status, data, answer = request(port, "POST", path, client.body(dep, values, changed), True, conn)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status, data, answer = -1, b"", {}
        record(kind, (time.perf_counter() - started) * 1000, status, answer.get("x-cache-status", ""))
        if status == 200 and client.sets_controls(dep):
            client.apply(data, answer, values)

    view = entry
    if entry in SPIKE_TOWN_MAP:
        get("town page", entry)
        time.sleep(rng.uniform(*think))
        view = SPIKE_TOWN_MAP[entry]
    text = plain_body(*get("page", view)).decode("utf-8", "replace")
    for path in PAGE_FILES.findall(text):
        get("script or style", path.replace("&amp;", "&"))
    get("layout", "/_dash-layout", {"Referer": f"http://127.0.0.1:{port}{view}"})
    get("dependencies", "/_dash-dependencies")
    end_id = (END_ID.findall(text) or [""])[0]
    values = dict(views[view].values)
    first = client.fired_by(["url.search"])
    controls = [f"{c}.value" for c in CONTROLS if f"{c}.value" in client.watched]
    for dep in [*first, *[d for d in client.fired_by(controls) if d not in first]]:
        post("callback, first load", dep, values, [], end_id)  # the page's initial calls
    for dep in [d for d in client.fired_by(controls) if d not in first]:
        post("callback, first load", dep, values, controls, end_id)  # the controls the URL callback restored
    for _ in range(changes):
        time.sleep(rng.uniform(*think))
        changed = [spike_change(rng, values)]
        for dep in client.fired_by(changed):
            post("callback, change", dep, values, changed, end_id)
    conn.close()


def spike(visitors: int, seconds: float, changes: int = 5, think: tuple[float, float] = (1.0, 3.0)) -> dict[str, Any]:
    """`visitors` readers arriving evenly over `seconds` at the 20 shared views, each making `changes` changes,
    through deploy/nginx.conf before two app servers (one worker × 4 threads each, on this machine's 2 cores),
    starting from an empty cache."""
    with contextlib.ExitStack() as stack:
        ports = [free_port(), free_port()]
        nginx = Nginx(ports)  # started first: the app servers empty its cache when they start
        stack.callback(nginx.__exit__)
        env = {"DASHBOARD_CACHE_DIR": server_cache(), "DASHBOARD_FRONT_CACHE": str(nginx.cache)}
        apps = [stack.enter_context(Gunicorn(env=env, args=("--workers", "1"), port=port)) for port in ports]
        nginx.__enter__()
        _catalog()  # built once here, before the readers' threads ask for it at once
        client = DashClient(apps[0].port)
        views = {v: SpikeView(client, apps[0].port, v) for v in SPIKE_VIEWS if v.startswith("/?") or v == "/"}
        records: list[tuple[str, float, int, str]] = []
        lock = threading.Lock()

        def record(kind: str, ms: float, status: int, cache: str) -> None:
            with lock:
                records.append((kind, ms, status, cache))

        origin = [pid for app in apps for pid in (app.process.pid, *app.workers())]
        front = [nginx.process.pid, *descendants(nginx.process.pid)]
        origin_cpu, front_cpu, own_cpu = cpu_seconds(origin), cpu_seconds(front), own_cpu_seconds()
        began = time.monotonic()
        threads = []
        for n in range(visitors):
            time.sleep(max(0.0, began + n * seconds / visitors - time.monotonic()))
            entry = SPIKE_VIEWS[n % len(SPIKE_VIEWS)]
            thread = threading.Thread(
                target=spike_visitor, args=(client, nginx.port, views, entry, n, think, record, changes), daemon=True
            )
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join(timeout=120)
        wall = time.monotonic() - began
        origin_cpu = cpu_seconds(origin) - origin_cpu
        front_cpu, own_cpu = cpu_seconds(front) - front_cpu, own_cpu_seconds() - own_cpu
    dynamic = [r for r in records if r[0] != "script or style"]
    return {
        "visitors": visitors,
        "requests": len(records),
        "errors": sum(1 for r in records if r[2] not in (200, 204)),  # 204: a callback with nothing to change
        "error_kinds": collections.Counter(f"{r[0]} {r[2]}" for r in records if r[2] not in (200, 204)),
        "p95": {k: pct([ms for kind, ms, *_ in records if kind == k], 0.95) for k in SPIKE_KINDS},
        "reached_pct": 100 * sum(1 for r in records if r[3] in REACHED_PYTHON) / max(1, len(records)),
        "dynamic_reached_pct": 100 * sum(1 for r in dynamic if r[3] in REACHED_PYTHON) / max(1, len(dynamic)),
        "changes_reached_pct": 100
        * sum(1 for r in records if r[0] == "callback, change" and r[3] in REACHED_PYTHON)
        / max(1, sum(1 for r in records if r[0] == "callback, change")),
        "per_visitor": len(records) / visitors,
        "origin_cpu_ms": 1000 * origin_cpu / visitors,
        "front_cpu_ms": 1000 * front_cpu / visitors,
        "own_cores": own_cpu / wall,
        "wall": wall,
    }


# --- without a server ---------------------------------------------------------------------------------------------


def cold_start(cache_dir: str | None, runs: int) -> float:
    code = "import time; t = time.perf_counter(); import app; print(time.perf_counter() - t)"
    times = []
    for _ in range(runs):
        env = dict(os.environ)
        if cache_dir is None:
            env["DASHBOARD_CACHE_DIR"] = tempfile.mkdtemp()  # empty: the geometry is prepared again
        else:
            env["DASHBOARD_CACHE_DIR"] = cache_dir
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
        )
        times.append(float(out.stdout.strip().splitlines()[-1]) * 1000)
    return statistics.median(times)


def geometry() -> dict[str, float]:
    import shapely

    from dashboard.config import load_config
    from dashboard.data.geometry import simplify_coverage
    from dashboard.data.model import build_model

    sys.path.insert(0, str(REPO / "benchmarks"))
    from naive_app import full_resolution_geojson

    model = build_model(load_config())
    ours = compact(model.map.towns_geojson)
    naive = compact(full_resolution_geojson(model))
    original = model.geometry.geometry.to_numpy()
    simple = simplify_coverage(original)
    state_before, state_after = shapely.union_all(original), shapely.union_all(simple)
    return {
        "ours_kb": len(ours) / 1024,
        "ours_gz_kb": len(gzip.compress(ours)) / 1024,
        "naive_kb": len(naive) / 1024,
        "naive_gz_kb": len(gzip.compress(naive)) / 1024,
        "coverage_valid": float(shapely.coverage_is_valid(simple)),
        "invalid_edges": float((~shapely.is_empty(shapely.coverage_invalid_edges(simple))).sum()),
        "area_change_pct": abs(state_after.area - state_before.area) / state_before.area * 100,
        "hausdorff_m": shapely.hausdorff_distance(state_before.boundary, state_after.boundary) * 111_000 * 0.74,
    }


# --- the table ----------------------------------------------------------------------------------------------------

_GOAL = re.compile(r"(≤|<|≥|>|=)?\s*(-?[\d.]+)\b")


def verdict(value: object, goal: str) -> str:
    """'met' / 'NOT met' for a numeric goal ("≤ 20", "< 100", "0", "≥ 80"); '' for a goal in words."""
    match = _GOAL.fullmatch(goal.strip())
    if not match:
        return ""
    if not isinstance(value, int | float) or value != value:  # a string, or NaN: not measured
        return "n/a"
    op, target = match.group(1) or "=", float(match.group(2))
    ok = {"≤": value <= target, "<": value < target, "≥": value >= target, ">": value > target, "=": value == target}
    return "met" if ok[op] else "NOT met"


class Table:
    def __init__(self) -> None:
        self.sections: dict[str, list[tuple[str, ...]]] = {}
        self.notes: list[str] = []

    def row(
        self,
        section: str,
        metric: str,
        ours: object,
        naive: object = None,
        goal: str = "",
        fmt: str = "{:.1f}",
        met: str | None = None,
    ) -> None:
        def show(value: object) -> str:
            if value is None:
                return ""
            if isinstance(value, str):
                return value
            if isinstance(value, float) and value != value:
                return "n/a"
            return fmt.format(value)

        ratio = ""
        if isinstance(ours, int | float) and isinstance(naive, int | float) and naive and ours and ours == ours:
            ratio = f"{ours / naive:.2f}×"
        self.sections.setdefault(section, []).append(
            (metric, show(ours), show(naive), ratio, goal, verdict(ours, goal) if met is None else met)
        )

    def missing(self, section: str, metric: str, why: str, goal: str = "") -> None:
        self.sections.setdefault(section, []).append((metric, f"not measured: {why}", "", "", goal, "n/a"))

    def print(self, header: str) -> None:
        names = ("metric", "ours", "naive", "ratio", "goal", "goal met")
        rows = [r for s in SECTIONS for r in self.sections.get(s, [])]
        widths = [max(len(r[i]) for r in [*rows, names]) for i in range(len(names))]
        print(header)
        for r in [names, tuple("-" * w for w in widths), *rows]:
            print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
        for note in self.notes:
            print(note)


# --- the run ------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short smoke run: seconds per scenario")
    parser.add_argument("--only", default="", help="comma-separated scenarios: " + ",".join(SCENARIOS))
    parser.add_argument("--users", type=int, default=50, help="people in the load scenario (ours against naive)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load scenarios")
    parser.add_argument("--visitors", type=int, default=1000, help="readers in the spike scenario (--quick: 100)")
    parser.add_argument("--spike-changes", type=int, default=5, help="changes each reader makes in the spike")
    parser.add_argument("--spike-seconds", type=float, default=60, help="over how long they arrive (--quick: 10)")
    parser.add_argument("--lighthouse-dir", type=Path, default=LIGHTHOUSE_DIR, help="where npm installs Lighthouse")
    parser.add_argument(
        "--lighthouse-runs", type=int, default=LIGHTHOUSE_RUNS, help="Lighthouse runs per view (the median is shown)"
    )
    args = parser.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()} or set(SCENARIOS)
    unknown = only - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIOS)}")
    quick = args.quick
    seconds = 5 if quick else args.seconds
    users = min(args.users, 10) if quick else args.users
    samples = 20 if quick else 200
    table = Table()
    load_before = os.getloadavg()[0]
    began = time.monotonic()

    def timed(name: str) -> Callable[[], None]:
        started = time.monotonic()
        log(f"{name}…")
        return lambda: log(f"  {name}: {time.monotonic() - started:.0f} s")

    if "geometry" in only:
        done = timed("geometry")
        geo = geometry()
        section = "geometry"
        table.row(section, "geometry sent, KB (before gzip)", geo["ours_kb"], geo["naive_kb"], "≤ 300")
        table.row(section, "geometry sent, KB (gzip)", geo["ours_gz_kb"], geo["naive_gz_kb"])
        table.row(section, "coverage valid (1 = no gaps/overlaps)", geo["coverage_valid"], None, "1", "{:.0f}")
        table.row(section, "invalid shared edges", geo["invalid_edges"], None, "0", "{:.0f}")
        table.row(section, "state area change, %", geo["area_change_pct"], None, "small", "{:.3f}")
        table.row(section, "state outline Hausdorff distance, m", geo["hausdorff_m"], None, "state scale", "{:.0f}")
        done()

    if "cold-start" in only:
        done = timed("cold start")
        warm_cache = tempfile.mkdtemp()
        cold_start(warm_cache, 1)  # fill it
        runs = 1 if quick else 3
        uncached, cached = cold_start(None, runs), cold_start(warm_cache, runs)
        table.row(
            "cold-start", "cold start: import app → ready, ms (cached geometry)", cached, uncached, "reported", "{:.0f}"
        )
        table.notes.append("cold start: naive column = the same import with an empty geometry cache")
        shutil.rmtree(warm_cache, ignore_errors=True)
        done()

    on_ours = {
        "filter-change",
        "time-step",
        "first-load",
        "town-pages",
        "load",
        "load-100",
        "kill-worker",
        "slow-clients",
    }
    with contextlib.ExitStack() as stack:
        ours = stack.enter_context(Server("app:server")) if only & on_ours else None
        naive_stack = stack.enter_context(contextlib.ExitStack())
        naive = (
            naive_stack.enter_context(Server("naive_app:server", str(REPO / "benchmarks")))
            if only & {"filter-change", "first-load", "load"}
            else None
        )
        mine = DashClient(ours.port) if ours else None
        theirs = DashClient(naive.port) if naive else None

        if "time-step" in only and mine:  # first, while the server's view cache is cold
            done = timed("time steps (play through every month)")
            play, *again = measure_time_steps(mine, 1 if quick else 2)
            section = "time-step"
            table.row(section, "time step: requests (callbacks) per step", play["requests"], None, "reported", "{:.0f}")
            table.row(section, "time step: response, KB (raw), median", play["raw_kb"])
            table.row(section, "time step: response, KB on the wire (gzip), median", play["wire_kb"], None, "≤ 20")
            table.row(section, "time step: response, KB on the wire (gzip), largest", play["max_wire_kb"], None, "≤ 20")
            table.row(section, "time step: server answer, median ms", play["median_ms"])
            table.row(section, "time step: server answer, p95 ms", play["p95_ms"], None, "≤ 150")
            if again:
                table.row(section, "time step, second play (cached views): p95 ms", again[0]["p95_ms"], None, "≤ 150")
            errors = sum(r["errors"] for r in (play, *again))
            table.row(section, "time step: errors", errors, None, "0", "{:.0f}")
            done()

        if "filter-change" in only and mine and theirs:
            done = timed("filter changes")
            a = measure_filter_changes(mine, samples)
            b = measure_filter_changes(theirs, 5 if quick else 50)
            section = "filter-change"
            table.row(
                section, "filter change: requests (callbacks) per change", a["requests"], b["requests"], "≤ 2", "{:.0f}"
            )
            table.row(section, "filter change: response, KB (raw)", a["raw_kb"], b["raw_kb"], "≤ 20")
            table.row(section, "filter change: response, KB on the wire (gzip)", a["wire_kb"], b["wire_kb"], "≤ 20")
            table.row(section, "filter change: server answer, median ms", a["median_ms"], b["median_ms"], "< 50")
            table.row(section, "filter change: server answer, p95 ms", a["p95_ms"], b["p95_ms"], "< 100")
            table.notes.append(
                "server answer: from loopback, every request one change fires, posted one after another on a "
                "kept-alive connection (the browser posts them side by side); filter change = one of classes, waves, "
                "vendors changed"
            )
            done()

        if "first-load" in only and ours and naive:
            done = timed("first load (headless Chromium)")
            first, base = first_load(ours.port), first_load(naive.port)
            section = "first-load"
            table.row(
                section, "first load: bytes on the wire, MB", first["wire_mb"], base["wire_mb"], "≤ 1.2", "{:.2f}"
            )
            table.row(section, "first load: requests", first["requests"], base["requests"], "reported", "{:.0f}")
            table.row(
                section, "first load: map visible, ms", first["visible_ms"], base["visible_ms"], "≤ 1000", "{:.0f}"
            )
            table.row(
                section,
                "first load: interactive map drawn (plotly), ms",
                first["drawn_ms"],
                base["drawn_ms"],
                "reported",
                "{:.0f}",
            )
            table.row(
                section,
                "first load: largest contentful paint, ms",
                first["lcp_ms"],
                base["lcp_ms"],
                "reported",
                "{:.0f}",
            )
            done()

        if "town-pages" in only and ours:
            done = timed("town pages: every /town/<slug>, twice")
            pages = town_pages(ours.port, limit=40 if quick else None)
            section = "town-pages"
            if "missing" in pages:
                table.missing(section, "town pages", str(pages["missing"]), "< 50 ms p95 cached")
            else:
                first_pass, *cached_passes = pages["passes"]
                n = pages["pages"]
                table.row(
                    section,
                    f"town pages ({n}), first request (built): p50 / p95 ms",
                    f"{first_pass['p50_ms']:.1f} / {first_pass['p95_ms']:.1f}",
                    None,
                    "reported",
                )
                if cached_passes:
                    again = cached_passes[0]
                    table.row(section, "town pages, again (cached): p50 ms", again["p50_ms"], None, "reported")
                    table.row(section, "town pages, again (cached): p95 ms", again["p95_ms"], None, "< 50")
                table.row(section, "town pages: largest page, KB (raw)", pages["largest_kb"], None, "≤ 100")
                table.row(section, "town pages: largest page, KB (gzip, as nginx sends it)", pages["largest_gz_kb"])
                table.row(section, "town pages: errors", pages["errors"], None, "0", "{:.0f}")
                table.notes.append(
                    "town pages: GET /town/<slug> for every town of /sitemap.xml, asked plain, one after another on "
                    "one kept-alive connection (one worker), straight to gunicorn; time = from loopback"
                )
            done()

        if "load" in only and mine and theirs:
            done = timed(f"load: {users} users × {seconds:.0f} s, ours then naive")
            a = load_summary(run_users(mine, users, seconds), seconds)
            b = load_summary(run_users(theirs, users, seconds, controls=("filter-classes",)), seconds)
            section = "load"
            table.row(
                section, f"load ({users} users, {seconds:.0f} s): errors", a["errors"], b["errors"], "0", "{:.0f}"
            )
            table.row(section, "load: throughput, requests/s", a["rps"], b["rps"], "reported")
            table.row(section, "load: latency p50, ms", a["p50_ms"], b["p50_ms"], "reported", "{:.0f}")
            table.row(section, "load: latency p95, ms", a["p95_ms"], b["p95_ms"], "reported", "{:.0f}")
            table.row(section, "load: requests served", a["requests"], b["requests"], "", "{:.0f}")
            done()
        naive_stack.close()  # the naive server's part is over: free its cores and memory

        front: Nginx | None = None
        why_no_front = ""
        if only & {"load-100", "slow-clients", "kill-worker"} and ours:
            if not shutil.which("nginx"):
                why_no_front = "nginx not installed (apt-get install -y nginx)"
            else:
                try:
                    front = stack.enter_context(Nginx(ours.port))
                except (RuntimeError, OSError) as error:
                    why_no_front = f"nginx did not start ({str(error)[:80]})"

        if "load-100" in only and mine and ours:
            many = 20 if quick else 100
            _catalog(), mine.page_values()  # read before the CPU count starts: only the people's work is counted
            # The production topology first (people reach nginx, which spreads requests over the workers), then the
            # same people straight to gunicorn, each worker keeping the connections it accepted.
            fronts: list[tuple[str, Nginx | None]] = [("via nginx", front)] if front else []
            fronts.append(("straight to gunicorn", None))
            if not front:
                table.missing("load-100", f"{many} users × {seconds:.0f} s via nginx", why_no_front, "< 300")
            for n, (via, proxy) in enumerate(fronts):
                done = timed(f"load: {many} users × {seconds:.0f} s {via}, kept-alive connections")
                workers = ours.workers()
                proxies = [proxy.process.pid, *descendants(proxy.process.pid)] if proxy else []
                before_cpu = {pid: cpu_seconds([pid]) for pid in [ours.process.pid, *workers, *proxies]}
                own_cpu, wall = own_cpu_seconds(), time.monotonic()
                # Other people in each run (seed): the second must not find the first's views in the server's cache.
                timings = run_users(mine, many, seconds, port=proxy.port if proxy else None, seed=1000 * (n + 1))
                a = load_summary(timings, seconds)
                used = {pid: cpu_seconds([pid]) - cpu for pid, cpu in before_cpu.items()}
                own_cpu, wall = own_cpu_seconds() - own_cpu, time.monotonic() - wall
                server_cpu = sum(used[p] for p in [ours.process.pid, *workers])
                proxy_cpu = sum(used[p] for p in proxies)
                per_worker = " + ".join(f"{used[p] / wall:.2f}" for p in workers)
                section = "load-100"
                goal = n == 0
                table.row(
                    section,
                    f"{many} users × {seconds:.0f} s, kept alive, {via}: errors",
                    a["errors"],
                    None,
                    "0" if goal else "reported",
                    "{:.0f}",
                )
                table.row(
                    section, f"… {via}: latency p95, ms", a["p95_ms"], None, "< 300" if goal else "reported", "{:.0f}"
                )
                table.row(
                    section, f"… {via}: latency p50, ms / throughput, req/s", f"{a['p50_ms']:.0f} / {a['rps']:.1f}"
                )
                table.row(
                    section,
                    f"… {via}: gunicorn CPU per request, ms (user + system time / requests)",
                    1000 * server_cpu / a["requests"] if a["requests"] else float("nan"),
                    None,
                    "reported",
                )
                table.row(
                    section,
                    f"… {via}: cores used by the workers (each) / nginx / the load generator",
                    f"{per_worker} / {proxy_cpu / wall:.2f} / {own_cpu / wall:.2f} (of {os.cpu_count()})",
                    None,
                    "reported",
                )
                done()
            table.notes.append(
                f"{many} users: each on one kept-alive connection, a change of one control then 0.5–1.5 s of reading; "
                "CPU from /proc (a worker is one Python process: at most one core each)"
            )

        if "slow-clients" in only and mine and ours:
            slow, people, length = (10, 5, 6.0) if quick else (50, 10, 30.0)
            done = timed(f"slow clients: {slow} sockets, a byte every 2 s, {length:.0f} s")
            s = slow_clients(mine, front.port if front else None, ours.port, slow, people, length)
            section = "slow-clients"
            if front:
                table.row(
                    section,
                    f"{slow} slow clients via nginx: {people} other users' p95, ms",
                    s["front_p95"],
                    None,
                    "< 250",
                    "{:.0f}",
                )
                table.row(section, "… via nginx: other users' errors", s["front_errors"], None, "0", "{:.0f}")
                table.row(section, "… via nginx, no slow clients: p95, ms", s["calm_p95"], None, "reported", "{:.0f}")
                table.row(
                    section,
                    "… slow connections closed by nginx (then reopened)",
                    s["front_closed"],
                    None,
                    "reported",
                    "{:.0f}",
                )
            else:
                table.missing(
                    section, f"{slow} slow clients via nginx: {people} other users' p95, ms", why_no_front, "< 250"
                )
            table.row(
                section, "… straight to gunicorn (no front end): p95, ms", s["direct_p95"], None, "reported", "{:.0f}"
            )
            table.row(
                section,
                "… straight to gunicorn: errors (10 s timeout) / requests",
                f"{s['direct_errors']:.0f} / {s['direct_requests']:.0f}",
                None,
                "reported",
            )
            done()

        if "kill-worker" in only and ours and mine:  # last on this server: it loses a worker (twice)
            people, before, after = (10, 4.0, 8.0) if quick else (15, 15.0, 25.0)
            # The production topology first: people reach nginx, which opens a connection to gunicorn per request;
            # then the same people straight to gunicorn on kept-alive connections, for comparison.
            topologies: list[tuple[str, int | None]] = [("via nginx", front.port)] if front else []
            topologies.append(("straight to gunicorn", None))
            for n, (via, port) in enumerate(topologies):
                done = timed(f"kill -9 one worker {via}: {people} users, {before:.0f} s before, {after:.0f} s after")
                k = kill_worker(ours, mine, people, before, after, port=port)
                section = "kill-worker"
                # The goals are the production topology's (nginx in front); the other row is for comparison.
                goal = n == 0
                if not front and n == 0:
                    table.missing(section, f"kill -9 a worker via nginx ({people} users)", why_no_front, "< 1")
                table.row(
                    section,
                    f"kill -9 a worker {via} ({people} users): errors, % of requests",
                    k["error_pct"],
                    None,
                    "< 1" if goal else "reported",
                    "{:.2f}",
                )
                table.row(section, "… errors / requests", f"{k['errors']:.0f} / {k['requests']:.0f}", None, "reported")
                recovered = k["recovered_s"]
                table.row(
                    section,
                    "… seconds until p95 is back to normal",
                    recovered if recovered == recovered else f"> {k['after_s'] - 3:.0f} (not back)",
                    None,
                    "≤ 5" if goal else "reported",
                    "{:.0f}",
                    met=None if recovered == recovered or not goal else "NOT met",
                )
                table.row(
                    section,
                    "… p95 before the kill / from 5 s after it, ms",
                    f"{num(k['normal_p95'], '{:.0f}')} / {num(k['late_p95'], '{:.0f}')}",
                    None,
                    "reported",
                )
                table.row(
                    section,
                    "… the restarted worker's share of the work from 5 s after the kill, % (of CPU time; 50 = even)",
                    k["restarted_cpu_pct"],
                    None,
                    "reported",
                    "{:.0f}",
                )
                if port is None:
                    table.row(
                        section,
                        "… kept-alive connections on the restarted worker at the end, %",
                        k["restarted_share_pct"],
                        None,
                        "reported",
                        "{:.0f}",
                    )
                done()
            if front:
                table.notes.append(
                    "kill -9: through nginx (deploy/nginx.conf, the production topology: it reuses a connection to "
                    "gunicorn for 5 s at most), then straight to gunicorn on the people's kept-alive connections"
                )

    if "exports" in only:
        count, people, cap = (3, 5, 45.0) if quick else (20, 20, 90.0)
        done = timed(f"{count} concurrent image exports while {people} users change filters (at most {cap:.0f} s)")
        e = exports_under_load(count, people, cap)
        section = "exports"
        if "missing" in e:
            table.missing(section, f"{count} exports while {people} users change filters", str(e["missing"]))
        else:
            table.row(
                section,
                f"{count} exports at once ({e['path']}): done / refused busy / failed",
                f"{e['done']} / {e['refused']} / {e['export_errors']}",
                None,
                "reported",
            )
            table.row(section, "… export time, median / max, s", f"{num(e['median_s'])} / {num(e['max_s'])}")
            table.row(
                section,
                f"… {people} users' filter changes meanwhile: p95, ms",
                e["filter_p95"],
                None,
                "< 250",
                "{:.0f}",
            )
            table.row(section, "… their errors", e["filter_errors"], None, "0", "{:.0f}")
            table.row(
                section,
                "… peak memory, MB (sum RSS: gunicorn tree incl. Chromium)",
                f"{e['peak_mb']:.0f} (idle {e['first_mb']:.0f})",
                None,
                "reported",
            )
            table.row(section, "… peak Chromium processes", e["peak_chromium"], None, "reported", "{:.0f}")
        done()

    if "phone" in only:
        views = PHONE_VIEWS[:1] if quick else PHONE_VIEWS
        runs = 1 if quick else max(1, args.lighthouse_runs)
        done = timed(f"phone: first HTML, taps, Lighthouse × {runs} on {', '.join(views)} through nginx")
        if not shutil.which("nginx"):
            table.missing("phone", "phone", "nginx not installed (apt-get install -y nginx)")
        else:
            phone_rows(table, phone(views, args.lighthouse_dir, runs), runs, args.lighthouse_dir)
        done()

    if "spike" in only:
        visitors, over = (
            (min(args.visitors, 100), min(args.spike_seconds, 10.0))
            if quick
            else (
                args.visitors,
                args.spike_seconds,
            )
        )
        done = timed(f"spike: {visitors} readers over {over:.0f} s through nginx, two app servers")
        section = "spike"
        if not shutil.which("nginx"):
            table.missing(section, "spike", "nginx not installed (apt-get install -y nginx)", "0")
        else:
            burst = spike(visitors, over, args.spike_changes)
            table.row(
                section,
                f"spike: {visitors} readers over {over:.0f} s, {args.spike_changes} changes each, two app servers "
                "via nginx: errors",
                burst["errors"],
                None,
                "0",
                "{:.0f}",
            )
            table.row(
                section, "… requests", f"{burst['requests']} ({burst['per_visitor']:.0f} per reader)", None, "reported"
            )
            if burst["errors"]:
                kinds = ", ".join(f"{n} × {what}" for what, n in burst["error_kinds"].most_common(5))
                table.row(section, "… errors by kind and status", kinds, None, "reported")
            for kind, p95 in burst["p95"].items():
                table.row(section, f"… p95 ms, {kind}", p95, None, "< 500", "{:.0f}")
            table.row(section, "… requests that reached Python, %", burst["reached_pct"], None, "≤ 10")
            table.row(
                section,
                "… of the page, layout, dependencies and callbacks / of the changes' callbacks, %",
                f"{burst['dynamic_reached_pct']:.1f} / {burst['changes_reached_pct']:.1f}",
                None,
                "reported",
            )
            table.row(
                section, "… origin CPU per reader, ms (both app servers)", burst["origin_cpu_ms"], None, "reported"
            )
            table.row(
                section,
                "… nginx CPU per reader, ms / the load generator's cores",
                f"{burst['front_cpu_ms']:.1f} / {burst['own_cores']:.2f}",
                None,
                "reported",
            )
            table.notes.append(
                "spike: each reader opens one of 20 shared views (3 of them town pages, whose readers then open the "
                "map at that town) as the browser does (page, its scripts and styles, layout, dependencies, the "
                "callbacks the page fires on load, with Dash's ?endId=), then makes its changes 1-3 s apart (the "
                "month, a town, a vendor, a layer or a class, from short lists, the first options likelier), on one "
                "kept-alive connection; an empty cache at the start; two gunicorn servers (1 worker × 4 threads each)"
            )
        done()

    load_after = os.getloadavg()[0]
    table.print(
        f"gunicorn {WORKERS} workers × {THREADS} threads (gunicorn.conf.py), gzip; {os.cpu_count()} cores, "
        f"load average {load_before:.1f} before and {load_after:.1f} after; {time.monotonic() - began:.0f} s"
        f"{' (--quick)' if quick else ''}; naive = whole figure, full-resolution geometry, no compression"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        if server_cache.cache_info().currsize:
            shutil.rmtree(server_cache(), ignore_errors=True)
