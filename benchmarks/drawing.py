"""Drawing under a crawler: link cards and compare slides asked by several clients at once through gunicorn (2
workers × 4 threads, gunicorn.conf.py) while other people change the map's filters.

`python benchmarks/drawing.py [--cards 60] [--compares 10] [--clients 4]` prints, each against its goal: the peak
memory of the whole process tree (gunicorn, its workers, the drawing process and Chromium; summed RSS, and PSS,
which counts a page shared by several processes once), the peak count of Chromium processes, how fast a refusal
answers, and the other people's callback p95 during the crawl. Images are drawn afresh (an empty image folder).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from run import FILTERS, DashClient, Server, descendants, is_chromium, pct, request, run_users  # noqa: E402

MEMORY_GOAL_MB = 1536
REFUSAL_GOAL_MS = 50


def _kb(path: str, field: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    """Peak summed RSS and PSS of a process tree, and peak count of Chromium processes in it."""

    def __init__(self, root: int, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.root, self.every = root, every
        self.done = threading.Event()
        self.peak_rss = self.peak_pss = 0.0
        self.peak_chromium = self.peak_drawers = 0

    def run(self) -> None:
        while not self.done.is_set():
            pids = [self.root, *descendants(self.root)]
            rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids) / 1024
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024
            drawers = sum(1 for p in pids if b"render_pool" in _cmdline(p))
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_chromium = max(self.peak_chromium, sum(1 for p in pids if is_chromium(p)))
            self.peak_drawers = max(self.peak_drawers, drawers)
            self.done.wait(self.every)

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=5)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def towns(port: int) -> list[str]:
    """The towns' slugs, from the sitemap."""
    _, data, _ = request(port, "GET", "/sitemap.xml")
    return sorted(set(re.findall(r"/town/([a-z0-9-]+)</loc>", data.decode())))


def crawl_paths(slugs: list[str], cards: int, compares: int) -> list[str]:
    """Link-card images of `cards` towns and `compares` distinct compare slides of two towns."""
    paths = [f"/town/{slug}.png" for slug in slugs[:cards]]
    return paths + [f"/compare/{slugs[i]}+{slugs[-1 - i]}.png" for i in range(compares)]


def crawl(cards: int, compares: int, clients: int, people: int) -> dict[str, Any]:
    """The crawl through a gunicorn of its own; returns what was measured."""
    with Server("app:server") as server:
        client = DashClient(server.port)
        slugs = towns(server.port)
        paths = crawl_paths(slugs, cards, compares)
        sampler = Sampler(server.process.pid)
        sampler.start()
        outcome: dict[str, list[float]] = {"drawn": [], "refused": [], "errors": []}
        statuses: dict[int, int] = {}
        lock = threading.Lock()
        queue = list(paths)

        def crawler() -> None:
            # A polite crawler: on a refusal it waits Retry-After (at most 5 s here) and asks again.
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=90)
            while True:
                with lock:
                    if not queue:
                        break
                    path = queue.pop(0)
                for _ in range(20):
                    started = time.monotonic()
                    try:
                        status, _, headers = request(server.port, "GET", path, conn=conn, timeout=90)
                    except (OSError, http.client.HTTPException):
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=90)
                        status, headers = 0, {}
                    took = time.monotonic() - started
                    with lock:
                        statuses[status] = statuses.get(status, 0) + 1
                        kind = "drawn" if status == 200 else "refused" if status in (429, 503) else "errors"
                        outcome[kind].append(took)
                    if status != 429 and status != 503:
                        break
                    time.sleep(min(5.0, float(headers.get("retry-after", "1"))))
            conn.close()

        stop = threading.Event()
        records: list[list[tuple[float, float, bool]]] = []
        users = threading.Thread(
            target=lambda: records.append(run_users(client, people, 900, controls=FILTERS, stop=stop)), daemon=True
        )
        users.start()
        time.sleep(2.0)
        began = time.monotonic()
        threads = [threading.Thread(target=crawler, daemon=True) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=900)
        seconds = time.monotonic() - began
        stop.set()
        users.join(timeout=60)
        sampler.stop()
        # A burst beyond the bound: 12 distinct compare slides at once, never drawn before.
        burst_paths = [f"/compare/{slugs[i]}+{slugs[i + 100]}+{slugs[i + 200]}.png" for i in range(12)]
        burst: list[tuple[int, float]] = []

        def ask(path: str) -> None:
            started = time.monotonic()
            status, _, _ = request(server.port, "GET", path, timeout=90)
            with lock:
                burst.append((status, time.monotonic() - started))

        asking = [threading.Thread(target=ask, args=(p,), daemon=True) for p in burst_paths]
        for t in asking:
            t.start()
        for t in asking:
            t.join(timeout=120)
    latencies = [ms for _, ms, _ in (records[0] if records else [])]
    refusals = [s for status, s in burst if status in (429, 503)] + outcome["refused"]
    return {
        "images": len(paths),
        "seconds": seconds,
        "statuses": statuses,
        "drawn_median_s": statistics.median(outcome["drawn"]) if outcome["drawn"] else float("nan"),
        "errors": len(outcome["errors"]),
        "refusals": len(refusals),
        "refusal_max_ms": max(refusals) * 1000 if refusals else float("nan"),
        "refusal_median_ms": statistics.median(refusals) * 1000 if refusals else float("nan"),
        "burst": sorted(status for status, _ in burst),
        "peak_rss_mb": sampler.peak_rss,
        "peak_pss_mb": sampler.peak_pss,
        "peak_chromium": sampler.peak_chromium,
        "peak_drawers": sampler.peak_drawers,
        "callback_p95_ms": pct(latencies, 0.95) if latencies else float("nan"),
        "callbacks": len(latencies),
    }


def main() -> None:
    """Run the crawl and print each figure against its goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=60)
    parser.add_argument("--compares", type=int, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--people", type=int, default=2, help="people changing filters meanwhile")
    args = parser.parse_args()
    r = crawl(args.cards, args.compares, args.clients, args.people)
    ok = "goal met" if r["peak_pss_mb"] < MEMORY_GOAL_MB and r["peak_rss_mb"] < MEMORY_GOAL_MB else "GOAL MISSED"
    print(
        f"crawl: {r['images']} images ({args.cards} link cards, {args.compares} compare slides), {args.clients} clients"
    )
    print(f"  took {r['seconds']:.0f} s; answers {r['statuses']}; drawn median {r['drawn_median_s']:.1f} s")
    print(
        f"  peak memory of the process tree: {r['peak_rss_mb']:.0f} MB RSS summed, {r['peak_pss_mb']:.0f} MB PSS "
        f"(goal < {MEMORY_GOAL_MB} MB): {ok}"
    )
    print(f"  peak Chromium processes: {r['peak_chromium']}; peak drawing processes: {r['peak_drawers']} (goal 1)")
    fast = r["refusal_median_ms"] < REFUSAL_GOAL_MS
    print(
        f"  refusals: {r['refusals']}, median {r['refusal_median_ms']:.0f} ms, max {r['refusal_max_ms']:.0f} ms "
        f"(goal: at once, < {REFUSAL_GOAL_MS} ms): {'goal met' if fast else 'GOAL MISSED'}; burst of 12: {r['burst']}"
    )
    print(f"  other people's callbacks during the crawl: p95 {r['callback_p95_ms']:.0f} ms ({r['callbacks']} requests)")


if __name__ == "__main__":
    main()
