"""Waiting in a real browser until the map page has settled: shared by the browser tests."""

from __future__ import annotations

import time

from dashboard.web import ids

#: The map's town shapes, as plotly draws them.
SHAPES = f"#{ids.MAP} path.choroplethlocation"

#: Dash has nothing left to do: no callback queued or running, no component loading, and the 351 towns drawn.
_SETTLED = """
const store = window.store && window.store.getState();
const queued = store ? Object.entries(store.callbacks || {})
    .filter(([stage, list]) => stage !== 'stored' && stage !== 'completed' && Array.isArray(list))
    .reduce((n, [, list]) => n + list.length, 0) : 1;
return Boolean(store) && !store.isLoading && queued === 0
    && document.querySelector('[data-dash-is-loading="true"]') === null
    && document.querySelectorAll(arguments[0]).length === 351;
"""


def wait_until_settled(dash_duo, timeout: float = 30) -> None:
    """All 351 towns drawn and no Dash callback pending, twice in a row 300 ms apart."""
    deadline = time.monotonic() + timeout
    settled = 0
    while settled < 2:
        settled = settled + 1 if dash_duo.driver.execute_script(_SETTLED, SHAPES) else 0
        assert time.monotonic() < deadline, f"the map page did not settle in {timeout:.0f} s"
        time.sleep(0.3)
