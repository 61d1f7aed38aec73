"""Waiting in a real browser until the map page has settled or gone quiet: shared by the browser tests.

Every wait polls a condition (selenium's WebDriverWait); none sleeps a fixed time.
"""

from __future__ import annotations

import time
from typing import Any

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.web import ids

#: The map's town shapes, as plotly draws them.
SHAPES = f"#{ids.MAP} path.choroplethlocation"

#: Dash has something to do: loading (assets/boot.js marks the page `booting`), a callback queued or running, or a
#: component loading. A first view that has not asked for Dash (a phone) has nothing to do.
_BUSY = """
const store = window.store && window.store.getState();
const queued = store ? Object.entries(store.callbacks || {})
    .filter(([stage, list]) => stage !== 'stored' && stage !== 'completed' && Array.isArray(list))
    .reduce((n, [, list]) => n + list.length, 0) : 1;
const booting = document.documentElement.classList.contains('booting');
const busy = (!store && booting) || (Boolean(store) && (Boolean(store.isLoading) || queued > 0))
    || document.querySelector('[data-dash-is-loading="true"]') !== null;
"""

#: Dash has nothing left to do, and the 351 towns are drawn.
_SETTLED = _BUSY + "return !busy && document.querySelectorAll(arguments[0]).length === 351;"

#: What the page is doing: how many requests it has made so far, and whether Dash is busy.
_ACTIVITY = _BUSY + "return [performance.getEntriesByType('resource').length, busy];"


def wait_until_settled(dash_duo, timeout: float = 30) -> None:
    """All 351 towns drawn and no Dash callback pending, twice in a row 300 ms apart."""
    reads: list[bool] = []

    def settled(driver: Any) -> bool:
        reads.append(bool(driver.execute_script(_SETTLED, SHAPES)))
        return reads[-2:] == [True, True]

    WebDriverWait(dash_duo.driver, timeout, poll_frequency=0.3).until(
        settled, message=f"the map page did not settle in {timeout:.0f} s"
    )


def wait_until_quiet(dash_duo, seconds: float, timeout: float = 30) -> None:
    """The page has made no request and Dash has had nothing to do for `seconds` in a row.

    For tests of what does NOT happen (no late request, no layout shift): they need a window in which it could have;
    here the window starts again whenever the page does something.
    """
    since: list[float] = []
    last: list[Any] = []

    def quiet(driver: Any) -> bool:
        count, busy = driver.execute_script(_ACTIVITY)
        now = time.monotonic()
        if busy or [count] != last:
            last[:] = [count]
            since[:] = [now]
            return False
        return now - since[0] >= seconds

    WebDriverWait(dash_duo.driver, timeout, poll_frequency=0.1).until(
        quiet, message=f"the page did not stay quiet for {seconds} s within {timeout:.0f} s"
    )


def wait_until_still(dash_duo, script: str, *args: object, timeout: float = 10) -> Any:
    """What `script` returns, once it returned the same twice in a row 300 ms apart (e.g. boxes done moving)."""
    reads: list[Any] = []

    def still(driver: Any) -> bool:
        reads.append(driver.execute_script(script, *args))
        return len(reads) > 1 and reads[-1] == reads[-2]

    try:
        WebDriverWait(dash_duo.driver, timeout, poll_frequency=0.3).until(still)
    except TimeoutException:
        raise AssertionError(f"still changing after {timeout:.0f} s: {reads[-2:]}") from None
    return reads[-1]
