"""Taps on the map page timed on a phone profile: Chromium through Selenium, Lighthouse's Moto G Power screen with
touch, its slow 4G and a CPU slowed 4× through the DevTools Protocol, a cold browser cache.

Each tap's time runs from the tap's event time to the first frame in which the answer is on screen, both read in the
page (performance.timeOrigin + performance.now(), in session storage, so a tap that loads a new page is timed across
the page load too): no WebDriver round trip is inside the time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import tempfile
import time
from typing import Any

#: Lighthouse 12's phone (core/config/constants.js): the Moto G Power's screen and user agent.
SCREEN = {"width": 412, "height": 823, "pixelRatio": 1.75, "touch": True}
USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Mobile Safari/537.36"
)
#: Lighthouse's "slow 4G": 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up (bytes per second here), CPU 4× slower.
NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1638.4 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
CPU_SLOWDOWN = 4
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

#: Runs in every page before its own scripts: notes the tap's time, and watches for the answer awaited (kept in
#: session storage, which outlives a page load) once per frame, just before the frame is painted.
WATCH_JS = """
(() => {
  const read = key => sessionStorage.getItem('bench.' + key);
  const onScreen = el => {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  };
  // textContent first (no layout), the rendered text only for a candidate on screen.
  const says = (el, wait) => {
    const text = (el.textContent || '').trim();
    if (wait.text ? !text.includes(wait.text) : (!text || text === wait.before)) return false;
    if (!onScreen(el)) return false;
    const shown = el.innerText.trim();
    return wait.text ? shown.includes(wait.text) : shown !== '' && shown !== wait.before;
  };
  window.__benchAnswered = wait => [...document.querySelectorAll(wait.selector)].some(el => says(el, wait));
  window.__benchShown = wait => [...document.querySelectorAll(wait.selector)].find(onScreen);
  window.__benchWatch = () => {
    const raw = read('wait');
    if (!raw) return;
    const wait = JSON.parse(raw);
    const frame = () => {
      if (read('done') || read('wait') !== raw) return;
      if (read('tap') && window.__benchAnswered(wait)) {
        sessionStorage.setItem('bench.done', String(performance.timeOrigin + performance.now()));
        return;
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
  const tapped = event => {
    if (read('wait') && !read('tap')) {
      sessionStorage.setItem('bench.tap', String(performance.timeOrigin + event.timeStamp));
    }
  };
  for (const type of ['touchstart', 'pointerdown', 'mousedown', 'click']) {
    addEventListener(type, tapped, {capture: true, passive: true});
  }
  window.__benchWatch();
})();
"""

#: Finds the first visible element of the selectors, scrolls it to the middle of the screen, finds a point of it a tap
#: reaches (a town's box may hold its neighbours), and arms the watch. Returns {point} or {missing: why}.
ARM_JS = """
const [selectors, wait] = arguments;
const steps = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9];
const reachable = target => {
  target.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
  const box = target.getBoundingClientRect();
  for (const fy of steps) {
    for (const fx of steps) {
      const x = box.left + fx * box.width, y = box.top + fy * box.height;
      const hit = document.elementFromPoint(x, y);
      if (hit && (hit === target || target.contains(hit))) return [x, y];
    }
  }
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const frame = target.closest('svg');
  const f = frame && frame !== target ? frame.getBoundingClientRect() : null;
  if (f && (x < f.left || x > f.right || y < f.top || y > f.bottom)) return 'outside the map as framed';
  const hit = document.elementFromPoint(x, y);
  if (!hit) return 'off screen';
  return 'covered (by ' + hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '') + ')';
};
let point = null, found = null, why = null;
for (const selector of selectors) {
  const all = [...document.querySelectorAll(selector)];
  if (all.length && !found) found = selector;
  for (const el of all.filter(el => el.checkVisibility())) {
    const got = reachable(el);
    if (typeof got !== 'string') { point = got; found = selector; break; }
    why = why || selector + ' ' + got;
  }
  if (point) break;
}
if (!found) return {missing: selectors[0] + ' not found'};
if (!point) return {missing: why || found + ' not visible'};
if (typeof window.__benchWatch !== 'function') return {missing: 'the watch script did not run in this page'};
const armed = {...wait, before: ''};
if (!wait.text) {
  const label = window.__benchShown(wait);
  if (!label) return {missing: wait.selector + ' not found on screen'};
  armed.before = label.innerText.trim();
} else if (window.__benchAnswered(wait)) {
  return {missing: wait.selector + ' already names ' + wait.text};
}
for (const key of ['tap', 'done']) sessionStorage.removeItem('bench.' + key);
sessionStorage.setItem('bench.wait', JSON.stringify(armed));
window.__benchWatch();
return {point, selector: found, origin: performance.timeOrigin};
"""

#: Where the page is, for a tap not measured: its address, and what the answer's elements say (on screen or not).
STATE_JS = """
const [wait] = arguments;
const place = location.pathname + location.search + (document.getElementById('first-paint') ? '' : ', no #first-paint');
const said = [...document.querySelectorAll(wait.selector)].map(el => {
  const text = el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40);
  return '"' + text + '"' + (window.__benchShown && window.__benchShown(wait) === el ? '' : ' (not on screen)');
});
return 'page ' + place + '; ' + wait.selector + ': ' + (said.join(', ') || 'none');
"""

READ_JS = """
return [sessionStorage.getItem('bench.tap'), sessionStorage.getItem('bench.done'), performance.timeOrigin,
        document.readyState];
"""


@dataclasses.dataclass(frozen=True)
class Tap:
    """One tap: what is tapped (the first selector that matches a visible element), what answers it."""

    label: str
    selectors: tuple[str, ...]
    answer: str  # the selector of the element that answers
    text: str = ""  # the answer names this; empty: the answer's text changes
    timeout: float = 10.0


def town_tap(label: str, town_id: int, name: str, timeout: float = 10.0) -> Tap:
    """A tap on a town of the server-drawn map (or, once the page has taken over, any link to the town)."""
    return Tap(
        label,
        (f'#first-paint svg a[data-town="{town_id}"]', f'a[data-town="{town_id}"]', f'[data-town="{town_id}"]'),
        "#town-panel",
        name,
        timeout,
    )


def phone_taps(towns: dict[str, int]) -> list[Tap]:
    """The first tap (Worcester), then later ones: a month back, the whole state (the phone's map is framed on the
    chosen town), Springfield, and a month forward."""
    return [
        town_tap("first tap: Worcester on the map → the town panel names it", towns["Worcester"], "Worcester", 20.0),
        Tap(
            "later tap: previous month → the month shown changes",
            ('#first-paint a[data-step="previous"]', 'a[data-step="previous"]'),
            "#time-label",
        ),
        Tap("later tap: whole state → the town panel changes", ("#first-paint #whole-state",), "#town-panel"),
        town_tap("later tap: Springfield → the town panel names it", towns["Springfield"], "Springfield"),
        Tap(
            "later tap: next month → the month shown changes",
            ('#first-paint a[data-step="next"]', 'a[data-step="next"]'),
            "#time-label",
        ),
    ]


def _driver(profile: str) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):  # a new profile: a cold cache
        options.add_argument(flag)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": SCREEN, "userAgent": USER_AGENT})
    chrome = shutil.which("chromium")
    if chrome:
        options.binary_location = chrome
    driver_path = shutil.which("chromedriver")  # Debian's, beside its Chromium; else Selenium looks for one
    return webdriver.Chrome(options=options, service=Service(driver_path) if driver_path else Service())


def _throttle(driver: Any) -> None:
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", NETWORK)
    driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})


def _state(driver: Any, wait: dict[str, str]) -> str:
    """The page's address and what the answer's elements say, or why that could not be read."""
    from selenium.common.exceptions import WebDriverException

    try:
        return str(driver.execute_script(STATE_JS, wait))[:160]
    except WebDriverException as error:
        return f"page not readable: {(error.msg or type(error).__name__).splitlines()[0][:60]}"


def _tap(driver: Any, tap: Tap) -> dict[str, Any]:
    """Tap, then wait for the answer: {seconds, navigated} or {missing: why}."""
    from selenium.common.exceptions import WebDriverException

    wait = {"selector": tap.answer, "text": tap.text}
    armed = driver.execute_script(ARM_JS, list(tap.selectors), wait)
    if "missing" in armed:
        return {"missing": f"{armed['missing']} ({_state(driver, wait)})"}
    time.sleep(0.3)  # the scroll settles (before the tap: not timed)
    x, y = armed["point"]
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    deadline = time.monotonic() + tap.timeout
    tapped = done = None
    origin = armed["origin"]
    while time.monotonic() < deadline:
        time.sleep(0.25)  # only reads what the page wrote: the poll's pace is not in the time
        with contextlib.suppress(WebDriverException):  # a page load under way
            tapped, done, origin, _ = driver.execute_script(READ_JS)
            if done:
                break
    navigated = origin != armed["origin"]
    if not tapped:
        return {"missing": f"the tap on {armed['selector']} did not reach the page"}
    if not done:
        return {"missing": f"no answer in {tap.timeout:.0f} s ({_state(driver, wait)})", "navigated": navigated}
    return {"seconds": (float(done) - float(tapped)) / 1000, "navigated": navigated}


def measure_taps(origin: str, taps: list[Tap], load_timeout: float = 120.0) -> dict[str, Any]:
    """Load / on the phone profile with a cold cache, wait until the page is complete, then tap `taps` in turn (a
    second's reading between). {load_s, taps: [{label, seconds or missing, navigated}]} or {missing: why}."""
    try:
        from selenium.common.exceptions import WebDriverException
    except ImportError:
        return {"missing": "selenium not installed"}
    profile = tempfile.mkdtemp(prefix="bench-phone-")
    driver = None
    try:
        driver = _driver(profile)
        driver.set_page_load_timeout(load_timeout)
        driver.set_script_timeout(30)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_JS})
        _throttle(driver)
        driver.get(origin + "/")  # returns once the page is complete (its load event)
        load_s = driver.execute_script(
            "const nav = performance.getEntriesByType('navigation')[0]; return nav ? nav.loadEventEnd / 1000 : null;"
        )
        results = []
        for tap in taps:
            try:
                outcome = _tap(driver, tap)
            except WebDriverException as error:
                outcome = {"missing": f"WebDriver: {error.msg or type(error).__name__}"[:120]}
            results.append({"label": tap.label, **outcome})
            time.sleep(1.0)  # the visitor reads the answer before the next tap
        return {"load_s": float("nan") if load_s is None else float(load_s), "taps": results}
    except WebDriverException as error:
        return {"missing": f"Chromium: {(error.msg or type(error).__name__).splitlines()[0][:120]}"}
    finally:
        if driver is not None:
            with contextlib.suppress(Exception):
                driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
