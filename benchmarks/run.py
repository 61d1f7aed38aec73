"""Measure payload, callback speed, first load, load and cold start, beside a naive baseline, and print a table.

python benchmarks/run.py            # about 4 minutes on 2 cores
python benchmarks/run.py --quick    # a short smoke run (5 s of load, fewer samples)
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import shapely  # noqa: E402

from dashboard.config import load_config  # noqa: E402
from dashboard.data.catalog import Catalog  # noqa: E402
from dashboard.data.geometry import simplify_coverage  # noqa: E402
from dashboard.data.model import build_model  # noqa: E402

WORKERS = 2  # one per core
THREADS = 4


def compact(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn serving one app on loopback, for the length of a `with` block."""

    def __init__(self, target: str, extra_path: str = "") -> None:
        self.port = free_port()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), extra_path) if p)}
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
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status, _, _ = request(self.port, "GET", "/")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("server did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    gzip_ok: bool = False,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes, dict]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if gzip_ok:
        headers["Accept-Encoding"] = "gzip"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    result = (response.status, data, dict(response.getheaders()))
    if own:
        conn.close()
    return result


@functools.lru_cache(maxsize=1)
def _catalog() -> Catalog:
    return build_model(load_config()).catalog


def random_values(rng: random.Random) -> dict[str, object]:
    catalog = _catalog()
    classes = [c for c in catalog.class_ids if rng.random() < 0.75]
    vendors = [v for v in catalog.vendor_names if rng.random() < 0.5]
    years = list(range(catalog.years[0], catalog.years[1] + 1))
    start = rng.choice(years)
    return {
        "filter-classes": classes,
        "filter-waves": [w.month for w in catalog.waves if rng.random() < 0.8],
        "filter-years": [start, rng.choice([y for y in years if y >= start])],
        "filter-vendors": vendors,
        "layers": ["uasi"] if rng.random() < 0.5 else [],
        "town-search": rng.choice([None, None, 35, 281, 214, 226]),
        "records-search": "",
        "url": "",
    }


def measure_callbacks(port: int, prefixes: tuple[str, ...], samples: int) -> dict[str, float]:
    rng = random.Random(7)
    times, raw, zipped = [], [], []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(samples):
        values = random_values(rng)
        total_raw = total_gz = 0
        started = time.perf_counter()
        for body in callback_bodies_cached(port, values, prefixes):
            status, data, headers = request(port, "POST", "/_dash-update-component", body, gzip_ok=True, conn=conn)
            assert status in (200, 204), status
            plain = gzip.decompress(data) if headers.get("Content-Encoding") == "gzip" else data
            total_raw += len(plain)
            total_gz += len(data) if headers.get("Content-Encoding") == "gzip" else len(gzip.compress(plain))
        times.append((time.perf_counter() - started) * 1000)
        raw.append(total_raw)
        zipped.append(total_gz)
    conn.close()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": pct(times, 0.95),
        "raw_kb": statistics.median(raw) / 1024,
        "wire_kb": statistics.median(zipped) / 1024,
    }


_DEPS: dict[tuple[int, tuple[str, ...]], list[dict]] = {}


def callback_bodies_cached(port: int, values: dict[str, object], prefixes: tuple[str, ...]) -> list[bytes]:
    key = (port, prefixes)
    if key not in _DEPS:
        _, data, _ = request(port, "GET", "/_dash-dependencies")
        _DEPS[key] = [d for d in json.loads(data) if d["output"].startswith(prefixes)]
    bodies = []
    for dep in _DEPS[key]:
        multi = dep["output"].startswith("..")
        names = dep["output"].strip(".").split("...") if multi else [dep["output"]]
        outs = [{"id": n.rsplit(".", 1)[0].split("@")[0], "property": n.rsplit(".", 1)[1].split("@")[0]} for n in names]
        first = dep["inputs"][0]
        bodies.append(
            compact(
                {
                    "output": dep["output"],
                    "outputs": outs if multi else outs[0],
                    "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
                    "changedPropIds": [f"{first['id']}.{first['property']}"],
                    "state": [],
                }
            )
        )
    return bodies


def first_load(port: int) -> dict[str, float]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    options = Options()
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
        f"--user-data-dir={tempfile.mkdtemp()}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    try:
        driver.set_script_timeout(60)
        driver.get(f"http://127.0.0.1:{port}/")
        drawn_ms = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            const check = () => document.querySelectorAll('#map path.choroplethlocation').length === 351
                ? done(performance.now()) : setTimeout(check, 20);
            check();""")
        time.sleep(1.5)  # let the first callbacks finish
        transfer = driver.execute_script("""
            const nav = performance.getEntriesByType('navigation')[0];
            return [nav.transferSize, ...performance.getEntriesByType('resource').map(e => e.transferSize)]
                   .reduce((a, b) => a + b, 0);""")
    finally:
        driver.quit()
    return {"drawn_ms": drawn_ms, "wire_kb": transfer / 1024}


def load_test(port: int, prefixes: tuple[str, ...], users: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            for body in callback_bodies_cached(port, random_values(rng), prefixes):
                started = time.perf_counter()
                try:
                    status, _, _ = request(port, "POST", "/_dash-update-component", body, gzip_ok=True, conn=conn)
                    ok = status in (200, 204)
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors[0] += 0 if ok else 1
            time.sleep(rng.uniform(0.5, 1.5))  # a person reading the map between changes
        conn.close()

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(latencies, 0.5),
        "p95_ms": pct(latencies, 0.95),
    }


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short smoke run")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    seconds = 5 if args.quick else args.seconds
    samples = 20 if args.quick else 200
    ours_prefixes = ("..url.search", "..map.figure", "..records-table")
    naive_prefixes = ("map.figure",)

    rows: list[tuple[str, str, str, str, str]] = []

    def row(metric: str, ours: float, naive: float | None, goal: str, fmt: str = "{:.1f}") -> None:
        ratio = "" if not naive else f"{ours / naive:.2f}×"
        rows.append((metric, fmt.format(ours), "" if naive is None else fmt.format(naive), ratio, goal))

    print("geometry…", file=sys.stderr)
    geo = geometry()
    row("geometry sent, KB (before gzip)", geo["ours_kb"], geo["naive_kb"], "≤ 300")
    row("geometry sent, KB (gzip)", geo["ours_gz_kb"], geo["naive_gz_kb"], "")
    row("coverage valid (1 = no gaps/overlaps)", geo["coverage_valid"], None, "1", "{:.0f}")
    row("invalid shared edges", geo["invalid_edges"], None, "0", "{:.0f}")
    row("state area change, %", geo["area_change_pct"], None, "small", "{:.3f}")
    row("state outline Hausdorff distance, m", geo["hausdorff_m"], None, "state scale", "{:.0f}")

    print("cold start…", file=sys.stderr)
    warm_cache = tempfile.mkdtemp()
    cold_start(warm_cache, 1)  # fill it
    runs = 1 if args.quick else 3
    uncached, cached = cold_start(None, runs), cold_start(warm_cache, runs)
    row("cold start: import app → ready, ms (cached geometry)", cached, uncached, "reported", "{:.0f}")

    with Server("app:server") as ours, Server("naive_app:server", str(REPO / "benchmarks")) as naive:
        print("filter changes…", file=sys.stderr)
        mine = measure_callbacks(ours.port, ours_prefixes, samples)
        theirs = measure_callbacks(naive.port, naive_prefixes, max(10, samples // 4))
        row("filter change: response, KB (raw)", mine["raw_kb"], theirs["raw_kb"], "≤ 20")
        row("filter change: response, KB (gzip on the wire)", mine["wire_kb"], theirs["wire_kb"], "≤ 20")
        row("filter change: server answer, median ms", mine["median_ms"], theirs["median_ms"], "< 50")
        row("filter change: server answer, p95 ms", mine["p95_ms"], theirs["p95_ms"], "< 100")
        print("first load…", file=sys.stderr)
        first, base = first_load(ours.port), first_load(naive.port)
        row("first load: bytes on the wire, KB", first["wire_kb"], base["wire_kb"], "reported")
        row("first load: until the map is drawn, ms", first["drawn_ms"], base["drawn_ms"], "reported", "{:.0f}")
        print(f"load: {args.users} users × {seconds:.0f} s, each…", file=sys.stderr)
        load = load_test(ours.port, ours_prefixes, args.users, seconds)
        naive_load = load_test(naive.port, naive_prefixes, args.users, seconds)
        row(f"load ({args.users} users, {seconds:.0f} s): errors", load["errors"], naive_load["errors"], "0", "{:.0f}")
        row("load: throughput, requests/s", load["rps"], naive_load["rps"], "reported")
        row("load: latency p50, ms", load["p50_ms"], naive_load["p50_ms"], "reported", "{:.0f}")
        row("load: latency p95, ms", load["p95_ms"], naive_load["p95_ms"], "reported", "{:.0f}")
        row("load: requests served", load["requests"], naive_load["requests"], "", "{:.0f}")

    widths = [max(len(r[i]) for r in rows + [("metric", "ours", "naive", "ratio", "goal")]) for i in range(5)]
    header = ("metric", "ours", "naive", "ratio", "goal")
    print(
        f"gunicorn {WORKERS} workers × {THREADS} threads, gzip; {os.cpu_count()} cores; naive = whole figure, "
        "full-resolution geometry, no compression"
    )
    for r in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")


if __name__ == "__main__":
    main()
