"""The static snapshot's figures: build time, size, file count, and the share of the site's routes it answers.

python benchmarks/snapshot.py            # without the link cards (about 15 s)
python benchmarks/snapshot.py --images   # with them: 351 town and about 40 agency cards, drawn or from the cache

It runs `python -m dashboard publish` in a process of its own (model built, every page asked of the app, files
written), into a temporary folder it removes. A route counts as covered when at least one of the snapshot's files
answers an address of it; the map's own routes (its page, scripts, callbacks) are the live app's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PUBLIC = "https://snapshot.example.org"
APP = "https://map.example.org"


def build(out: Path, images: bool) -> float:
    """Publish into `out`; the seconds it took, start of the process included."""
    command = [sys.executable, "-m", "dashboard", "publish", str(out), "--public-url", PUBLIC, "--app-url", APP]
    if not images:
        command.append("--no-images")
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def coverage(out: Path) -> tuple[set[str], list[str]]:
    """The app's GET routes that some snapshot file answers, and every GET route (by rule)."""
    from werkzeug.exceptions import HTTPException

    from dashboard.config import load_config
    from dashboard.data.model import build_model
    from dashboard.publish import MANIFEST, address_of
    from dashboard.server import create_app

    app = create_app(build_model(load_config()))
    rules = [r for r in app.server.url_map.iter_rules() if "GET" in (r.methods or set())]
    adapter = app.server.url_map.bind("localhost")
    covered = set()
    for entry in json.loads((out / MANIFEST).read_text())["files"]:
        address = address_of(entry["path"])
        if address is None:
            continue
        try:
            rule, _ = adapter.match(address, method="GET", return_rule=True)
        except HTTPException:
            continue
        covered.add(rule.rule)
    return covered, sorted(r.rule for r in rules)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", action="store_true", help="draw the link cards too (minutes on a cold cache)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        seconds = build(out, args.images)
        files = [p for p in out.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        covered, routes = coverage(out)
    print("| metric | value | goal |")
    print("| --- | --- | --- |")
    print(f"| snapshot{' with link cards' if args.images else ''}: build time, s | {seconds:.1f} | reported |")
    print(f"| … size, MB | {size / 1e6:.1f} | reported |")
    print(f"| … files | {len(files)} | reported |")
    share = 100 * len(covered) / len(routes)
    print(f"| … the site's GET routes it answers | {len(covered)} of {len(routes)} ({share:.0f} %) | reported |")
    print("routes answered:", ", ".join(sorted(covered)), file=sys.stderr)
    print("routes left to the app:", ", ".join(r for r in routes if r not in covered), file=sys.stderr)


if __name__ == "__main__":
    main()
