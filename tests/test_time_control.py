"""Time made legible: the months with an event, the chart of what changed, speeds, and a page that holds still."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from browser_wait import SHAPES, wait_until_quiet
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.data.model import Model
from dashboard.state.view import view
from dashboard.views.captions import dates_sentence as data_dates
from dashboard.views.records import all_rows
from dashboard.views.time_chart import event_months, time_series
from dashboard.web import ids
from dashboard.web.layout import build_layout, reserved

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _published() -> dict[str, str]:
    return {row["figure"]: row["value"] for row in _rows("published_figures.csv")}


# --- pure: the months with an event and the series -------------------------------------------------------------------


def test_every_decision_and_request_wave_is_an_event_month(model: Model) -> None:
    months = model.catalog.months
    events = {months[i] for i in event_months(model)}
    decisions = {row["date"][:7] for row in _rows("policy_events.csv")}
    assert decisions <= events
    assert {"2020-02", "2020-04"} <= events  # the two Clearview request waves, as the records page dates them
    assert len(events) < len(months) / 2  # most months have nothing: that is why the jump exists


def test_the_series_count_what_the_map_shows(model: Model) -> None:
    months = model.catalog.months
    series = {s.key: s for s in time_series(model, view(model.catalog))}
    classes = dict(zip(months, series["classes"].values))
    # No Clearview request before February 2020: no class is known; after the last wave, every municipality's is.
    assert classes["2020-01"] == 0 and classes["2020-02"] > 0
    assert classes[months[-1]] == len(model.towns) == 351
    bans = {
        row["jurisdiction"]
        for row in _rows("policy_events.csv")
        if row["kind"] in ("face_surveillance_ban", "face_surveillance_moratorium")
    }
    assert series["policies"].values[-1] == len(bans) == 8
    assert series["policies"].values[0] == 0
    for row in series.values():
        assert list(row.values) == sorted(row.values), row.key  # nothing known is ever un-known


def test_the_series_follow_the_filters_not_the_date(model: Model) -> None:
    catalog = model.catalog
    assert time_series(model, view(catalog, as_of="2019-01")) == time_series(model, view(catalog))
    fewer = {s.key: s for s in time_series(model, view(catalog, vendors=()))}
    assert set(fewer["records"].values) == {0}


def test_the_headline_is_reserved_at_every_month(model: Model) -> None:
    headlines, lines = reserved(model, view(model.catalog))
    # Before the requests (a note only), between the waves (cards and a note), after them (cards only): 3 at least.
    assert len(headlines) >= 3 and len(lines) >= 2
    assert all(h.className == "headline" and getattr(h, "id", None) is None for h in headlines)


def test_the_data_dates_come_from_the_data_and_stand_apart_from_the_revision(model: Model) -> None:
    figures = _published()
    last_decision = max(row["date"] for row in _rows("policy_events.csv"))
    assert last_decision.startswith("2021-12")
    text = data_dates(model)
    assert f"{figures['first_year_filed']}–{figures['last_year_filed']}" in text
    assert "February 2021" in text and figures["published"].startswith("2021-02")
    assert "December 2021" in text
    layout = build_layout(model, all_rows(model), "/assets/topojson/")
    footer = next(c for c in layout.children if getattr(c, "className", "") == "site-footer")
    lines = {getattr(p, "className", ""): p.children for p in footer.children}
    assert lines["data-dates"] == text
    assert lines["data-version"].startswith(f"This map's data revision: {model.data_version} ")
    assert "not the date of the records" in lines["data-version"]


# --- in the browser -------------------------------------------------------------------------------------------------

_WHERE = """
const top = s => Math.round(document.querySelector(s).getBoundingClientRect().top + window.scrollY);
return [document.getElementById('time-label').textContent, top('.map-box'), top('.time-control'),
        top('#time-play'), top('#time-next-event'), top('.time-slider')];
"""


def _open_interactive(dash_duo, path: str) -> None:
    """Open `path` with the interactive map: a phone loads it when the visitor asks (the map's button)."""
    dash_duo.open(path)
    if dash_duo.driver.execute_script("return window.innerWidth") <= 900:
        dash_duo.find_element("#first-paint .map-box .boot-dash").click()


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["1280", "390"])
def test_nothing_moves_while_it_plays(dash_duo, size: tuple[int, int]) -> None:
    driver = dash_duo.driver
    driver.set_window_size(*size)
    _open_interactive(dash_duo, "/?date=2017-01")
    dash_duo.wait_for_element(SHAPES, timeout=30)
    wait_until_quiet(dash_duo, 1.0)
    driver.execute_script(f"document.querySelector('#{ids.DATE_SPEED} input[value=fast]').click()")
    driver.find_element("id", ids.DATE_PLAY).click()
    seen: dict[str, list[int]] = {}
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        label, *tops = driver.execute_script(_WHERE)
        seen.setdefault(label, tops)
        if label == "December 2021":
            break
        time.sleep(0.1)
    # Before the requests and after them the headline reads differently; a busy machine may skip a frame or two.
    assert any(label.endswith(("2017", "2018")) for label in seen), sorted(seen)
    assert "December 2021" in seen and len(seen) >= 20, sorted(seen)
    # Between the two waves (a two-month span that Play may pass between two looks): opened directly.
    _open_interactive(dash_duo, "/?date=2020-03")
    dash_duo.wait_for_element(SHAPES, timeout=30)  # Dash's page, not the first view (its label says the same)
    dash_duo.wait_for_text_to_equal(f"#{ids.DATE_LABEL}", "March 2020")
    wait_until_quiet(dash_duo, 1.0)
    label, *tops = driver.execute_script(_WHERE)
    seen[label] = tops
    first = next(iter(seen.values()))
    for label, tops in seen.items():
        assert all(abs(a - b) <= 1 for a, b in zip(tops, first)), (label, tops, first)
    assert dash_duo.get_logs() == []


def test_before_the_requests_the_note_takes_the_cards_place(dash_duo) -> None:
    # June 2019: no Clearview request yet, so no card; the band kept for the later months' cards holds the note.
    dash_duo.open("/?date=2019-06")
    dash_duo.wait_for_element(SHAPES, timeout=30)
    wait_until_quiet(dash_duo, 1.0)
    boxes = dash_duo.driver.execute_script(
        f"""const headline = document.getElementById('{ids.HEADLINE}');
        const cell = headline.closest('.reserve').getBoundingClientRect();
        const note = headline.querySelector('.headline-note').getBoundingClientRect();
        return [headline.children.length, cell.top, cell.bottom, note.top, note.bottom];"""
    )
    children, cell_top, cell_bottom, note_top, note_bottom = boxes
    assert children == 1
    assert cell_bottom - cell_top > 100  # the later months' cards (the reserve holds them)
    assert note_top - cell_top <= 8 and cell_bottom - note_bottom <= 8, boxes  # no blank band under the note
    assert dash_duo.get_logs() == []


def _month(driver) -> str:
    return driver.find_element("id", ids.DATE_LABEL).text


def test_jump_to_the_next_and_previous_event(dash_duo, model: Model) -> None:
    months = model.catalog.months
    events = [months[i] for i in event_months(model)]
    dash_duo.open("/?date=2019-01")
    dash_duo.wait_for_element(SHAPES, timeout=30)
    driver = dash_duo.driver
    after = next(m for m in events if m > "2019-01")
    before = max(m for m in events if m < after)
    driver.find_element("id", ids.DATE_NEXT_EVENT).click()
    WebDriverWait(driver, 10).until(lambda d: f"date={after}" in d.current_url)
    driver.find_element("id", ids.DATE_PREV_EVENT).click()
    WebDriverWait(driver, 10).until(lambda d: f"date={before}" in d.current_url)
    # The chart marks the chosen month in every row.
    index = months.index(before)
    marked = driver.execute_script(
        "return Array.from(document.querySelectorAll('#time-chart .time-bars')).map("
        "row => Array.from(row.children).findIndex(bar => bar.classList.contains('now')));"
    )
    assert marked == [index] * 3


def test_events_only_plays_from_event_to_event(dash_duo, model: Model) -> None:
    months = model.catalog.months
    events = {months[i] for i in event_months(model)}
    dash_duo.open("/?date=2019-06")
    dash_duo.wait_for_element(SHAPES, timeout=30)
    driver = dash_duo.driver
    driver.execute_script(f"document.querySelector('#{ids.DATE_SPEED} input[value=events]').click()")
    driver.find_element("id", ids.DATE_PLAY).click()
    visited: list[str] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(visited) < 4:
        query = driver.current_url.split("date=")[-1][:7] if "date=" in driver.current_url else months[-1]
        if not visited or visited[-1] != query:
            visited.append(query)
        time.sleep(0.05)
    driver.find_element("id", ids.DATE_PLAY).click()  # pause
    assert len(visited) >= 3, visited
    assert set(visited[1:]) <= events, visited  # every step lands on a month where something happened
