"""Shared fixtures: the real model, a writable copy of data/, and Chrome options for dash_duo."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.config import DEFAULT_BOUNDARIES, DEFAULT_DATA_DIR, Config, load_config
from dashboard.data.model import Model, build_model
from dashboard.exports.render_pool import RenderPool


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(env={})


@pytest.fixture(scope="session")
def model(config: Config) -> Model:
    return build_model(config)


@pytest.fixture(autouse=True, scope="session")
def patient_server_start() -> Iterator[None]:
    """dash_duo waits 3 s for the app's first answer; on a loaded 2-core machine that can take longer: wait 30 s."""
    from dash.testing.application_runners import ThreadedRunner

    original = ThreadedRunner.start

    def start(self: ThreadedRunner, app: object, start_timeout: float = 30, **kwargs: object) -> None:
        original(self, app, start_timeout=start_timeout, **kwargs)

    ThreadedRunner.start = start  # type: ignore[method-assign]
    yield
    ThreadedRunner.start = original  # type: ignore[method-assign]


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for breaking one file at a time."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


@pytest.fixture()
def copy_config(data_copy: Path, tmp_path: Path) -> Config:
    return Config(data_dir=data_copy, boundaries=DEFAULT_BOUNDARIES, cache_dir=tmp_path / "cache")


def pytest_setup_options():
    """Chrome flags for a closed network, run as root (see STACK-NOTES)."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in (
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--window-size=1280,800",
    ):
        options.add_argument(flag)
    return options


@pytest.fixture()
def pools() -> Iterator[list[RenderPool]]:
    """Pools made by a test, closed after it (their drawing processes and any Chromium stop)."""
    made: list[RenderPool] = []
    yield made
    for pool in made:
        pool.close()
