"""A fresh clone, with nothing beside it, starts and serves the 351 towns from its own files."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: Settings that would point the clone at files outside it.
STRIPPED = ("MA_TOWNS_GEOJSON", "DASHBOARD_DATA_DIR", "DASHBOARD_CACHE_DIR", "DASHBOARD_FRAME_ANCESTORS")
START_SECONDS = 60


def _tracked_files() -> list[str]:
    # --others --exclude-standard: new files not yet committed count, as they will be in the commit.
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot list the repository's files with git: {exc}")
    return [os.fsdecode(name) for name in listing.split(b"\0") if name]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's files as a clone has them, alone in an empty folder."""
    target = tmp_path_factory.mktemp("fresh") / "clone"
    for name in _tracked_files():
        source = REPO / name
        if not source.is_file():  # deleted in the working tree, so not in the next commit either
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    return target


def _env(port: int | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in STRIPPED}
    # Debug mode's reloader would fork a child that terminating the parent leaves behind.
    env.pop("DASH_DEBUG", None)
    if port is not None:
        env["HOST"] = "127.0.0.1"
        env["PORT"] = str(port)
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _walk(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _inside(path: str, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


def _wait_for_layout(process: subprocess.Popen, url: str, log: Path) -> bytes:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"python app.py exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
                return response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"no answer from {url} within {START_SECONDS} s:\n{log.read_text()[-3000:]}")


def test_no_code_of_the_clone_names_the_shared_folder(clone: Path) -> None:
    code = [*clone.glob("*.py"), *clone.glob("dashboard/**/*.py"), *clone.glob("geodata/*")]
    assert clone / "dashboard" / "config.py" in code
    for path in code:
        assert b"../shared" not in path.read_bytes(), path


def test_python_app_py_serves_the_351_towns_from_a_fresh_clone(
    clone: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    port = _free_port()
    log = tmp_path_factory.mktemp("logs") / "app.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "app.py"], cwd=clone, env=_env(port), stdout=output, stderr=subprocess.STDOUT
        )
        try:
            layout = json.loads(_wait_for_layout(process, f"http://127.0.0.1:{port}/_dash-layout", log))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    nodes = list(_walk(layout))
    maps = [n for n in nodes if n.get("type") == "choropleth" and len(n.get("locations") or []) == 351]
    towns = [n for n in nodes if n.get("type") == "FeatureCollection" and len(n.get("features") or []) == 351]
    assert maps, "no choropleth of the 351 towns in the served layout"
    assert towns, "no FeatureCollection of the 351 towns in the served layout"


def test_the_clone_runs_its_own_package_and_boundary_file(clone: Path) -> None:
    code = "import app, dashboard; print(dashboard.__file__); print(app.model.boundaries_path)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=clone, env=_env(), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    package, boundaries = result.stdout.strip().splitlines()[-2:]
    assert _inside(package, clone), package
    assert _inside(boundaries, clone) and Path(boundaries).name == "ma_towns.geojson", boundaries


def test_python_app_py_reports_a_missing_boundary_file(clone: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.geojson"
    result = subprocess.run(
        [sys.executable, "app.py", "--boundaries", str(missing)],
        cwd=clone,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and str(missing) in result.stderr
    assert "Traceback" not in result.stderr


def test_python_app_py_help(clone: Path) -> None:
    result = subprocess.run(
        [sys.executable, "app.py", "--help"], cwd=clone, env=_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "--boundaries FILE" in result.stdout


def test_the_boundaries_option_reads_a_copy_kept_elsewhere(clone: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "towns.geojson"
    copy.parent.mkdir()
    shutil.copy2(clone / "geodata" / "ma_towns.geojson", copy)
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "--boundaries", str(copy), "check"],
        cwd=clone,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
