"""The slides against the fact-check of issue 17: the map slide, the before/after slide and the compare slide, read
as their text (title, legend, notes), with expected values written from the source page
(/work/shared/seed/000_8bd4ced0884b44f1.txt) and data/, never from the code's output; and the compare slide drawn
by the render pool like the map slide (its queue, cache, ETag key and refusals).

The drawings injected here run in the pool's drawing process, which imports them from this module: they are
module-level functions and count their calls in a file named by an environment variable.
"""

from __future__ import annotations

import csv
import html
import os
import re
import struct
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest
from image_check import png_size, until

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.model import Model
from dashboard.exports.compare_slide import compare_figure
from dashboard.exports.images import export_figure
from dashboard.exports.render_pool import Busy, ChromiumMissing, RenderPool
from dashboard.state.view import ViewState, choices_of, parse_query, view

#: The source page's own words (its Clearview AI section), and the address data/source_caveats.csv gives for them.
LEAK = (
    "Leaked data from April 2021 revealed that dozens of police departments and other government agencies across "
    "Massachusetts have run searches using Clearview’s software"
)
#: The records index's "Date Published" column (2/26/21 on every row): the date of the index, not of the page.
INDEX_DATE = "February 26, 2021"
#: "Use of or Communication with Clearview": 20 rows, 18 of them towns' police departments, plus the Norfolk
#: Sheriff's Office and the Massachusetts State Police. In the records index, 4 of their records hold 0 documents:
#: "Clearview AI at the Boston PD", "… Dalton PD", "… Great Barrington PD" and "… Norfolk Sheriff's Office".
USE_KEY = "Use or communication: 18 municipalities (3 with a 0-document record) + 2 other agencies (1 with 0 documents)"
ZERO_RECORDS = {
    "Clearview AI at the Boston PD",
    "Clearview AI at the Dalton PD",
    "Clearview AI at the Great Barrington PD",
    "Clearview AI at the Norfolk Sheriff's Office",
}
#: The Lan-Tel table: the City of Boston, EOHHS, EOPSS, EOAF, the MBTA and the State Police (October 2019).
LANTEL_STATE = {
    "Executive Office of Health and Human Services",
    "Executive Office of Public Safety and Security",
    "Executive Office for Administration and Finance",
    "Massachusetts State Police",
}
#: Vendors the records index names only in a record's title (the COPLINK table lists only the State Police).
TITLE_ONLY_KEYS = {
    "COPLINK (at Northampton: named only in the record's title)",
    "Suspect Technologies (at Plymouth: named only in the record's title)",
}
COUNT = "TEST_SLIDE_FACTS_COUNT"  # a file: one line per drawing made in the drawing process
EXPORTED = date(2026, 1, 2)


# --- drawings injected into the drawing process ---------------------------------------------------------------


def _counted() -> None:
    path = os.environ.get(COUNT)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")


def titled_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    """As a PNG starts (its size), then the slide's title: which slide the pool built."""
    _counted()
    head = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + struct.pack(">II", width, height)
    title = next(a["text"] for a in figure["layout"]["annotations"] if a.get("name") == "title")
    return head + html.unescape(re.sub(r"<[^>]+>", "", title.replace("<br>", " "))).encode()


def slow_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    time.sleep(3)
    return titled_draw(figure, fmt, width, height)


def no_chromium_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    from choreographer.errors import ChromeNotFoundError

    _counted()
    raise ChromeNotFoundError("Kaleido v1 and later requires Chrome to be installed.")


# --- helpers -----------------------------------------------------------------------------------------------------


@pytest.fixture()
def counter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """How many drawings the drawing processes made (they inherit the variable when the pool starts them)."""
    path = tmp_path / "count"
    monkeypatch.setenv(COUNT, str(path))
    return lambda: len(path.read_text().splitlines()) if path.exists() else 0


def _plain(text: str) -> str:
    """Plotly text as read on the slide: lines joined, tags dropped, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text.replace("<br>", " "))).split())


def legend_names(figure: go.Figure) -> list[str]:
    """The legend's entries as read."""
    return [_plain(t.name) for t in figure.data if t.type != "choropleth" and t.showlegend is not False and t.name]


def slide_text(figure: go.Figure) -> str:
    """Every word printed on the slide: title, annotations, legend entries and group titles, text on the map."""
    parts = [a.text or "" for a in figure.layout.annotations]
    parts += legend_names(figure)
    parts += [
        t.legendgrouptitle.text for t in figure.data if getattr(t, "legendgrouptitle", None) and t.legendgrouptitle.text
    ]
    parts += [
        str(x)
        for t in figure.data
        if "text" in str(getattr(t, "mode", "")) and t.visible is not False
        for x in (t.text or ())
    ]
    return _plain(" ".join(parts))


def heading(figure: go.Figure) -> str:
    """The slide's title and subtitle as read."""
    return _plain(" ".join(a.text for a in figure.layout.annotations if a.name in ("title", "subtitle")))


def agency_block(figure: go.Figure) -> str:
    """The slide's block of records at agencies that are not a town's."""
    found = [_plain(a.text) for a in figure.layout.annotations if a.name == "agency"]
    assert len(found) == 1
    return found[0]


def linked(model: Model, query: str) -> ViewState:
    """The view a shared link names (`?date=2019-12`, `?classes=use`)."""
    return parse_query(query, choices_of(model.catalog, model.towns.index, model.agencies.index))


def town_id(model: Model, name: str) -> int:
    return int(model.towns.index[model.towns["town"].eq(name)][0])


def _csv(name: str) -> list[dict[str, str]]:
    with (DEFAULT_DATA_DIR / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def bans_adopted_by(month: str) -> int:
    """Municipalities with a face-surveillance ban or moratorium voted by the end of `month` (data/policy_events)."""
    rows = _csv("policy_events.csv")
    kinds = {"face_surveillance_ban", "face_surveillance_moratorium"}
    return len({r["jurisdiction"] for r in rows if r["kind"] in kinds and r["date"][:7] <= month})


# --- the map slide ----------------------------------------------------------------------------------------------


def test_the_data_agree_with_the_source_on_the_zero_document_records() -> None:
    documents = {r["title"]: int(r["documents"]) for r in _csv("records_index.csv")}
    assert {title for title in ZERO_RECORDS if documents[title] == 0} == ZERO_RECORDS


@pytest.mark.parametrize("size", ["wide", "square", "card"])
def test_the_use_class_keys_municipalities_and_agencies_apart(model: Model, size: str) -> None:
    figure = export_figure(model, view(model.catalog), size, EXPORTED)
    names = legend_names(figure)
    assert USE_KEY in names
    text = slide_text(figure)
    assert "4 listed with 0 documents" not in text


def test_no_slide_says_published_or_not_yet_asked(model: Model) -> None:
    states = [
        view(model.catalog),
        view(model.catalog, as_of="2019-12"),
        view(model.catalog, compare=("2019-01",)),
        view(model.catalog, extent="metro", vendors=("Lan-Tel", "Briefcam", "Clearview AI")),
    ]
    figures = [export_figure(model, s, size, EXPORTED) for s in states for size in ("wide", "square")]
    figures.append(compare_figure(model, (town_id(model, "Boston"), town_id(model, "Worcester")), EXPORTED))
    for figure in figures:
        text = slide_text(figure)
        assert "published February 26, 2021" not in text and "Not yet asked" not in text
        assert f"records index dated {INDEX_DATE}" in text
    # December 2019: no Clearview request had gone out (the first list is dated February 2020).
    december = legend_names(export_figure(model, states[1], "wide", EXPORTED))
    assert "Not known to have been asked yet: 351 municipalities" in december


def test_the_leak_warning_is_quoted_with_its_address_where_those_classes_are_shown(model: Model) -> None:
    (caveat,) = [c for c in _csv("source_caveats.csv") if c["caveat_id"] == "leak_2021"]
    assert caveat["quote"] == LEAK
    shown = [
        view(model.catalog),
        view(model.catalog, classes=("no_responsive_documents",)),
        view(model.catalog, classes=("no_response",)),
        view(model.catalog, compare=("2019-01",)),
    ]
    for state in shown:
        text = slide_text(export_figure(model, state, "wide", EXPORTED))
        assert f"“{LEAK}”" in text, state
        assert caveat["url"] in text  # an image cannot be clicked: the address is printed
    hidden = [linked(model, "?classes=use"), linked(model, "?date=2019-12")]
    for state in hidden:
        assert "Leaked data" not in slide_text(export_figure(model, state, "wide", EXPORTED)), state


def test_the_mbta_and_the_association_are_never_statewide(model: Model) -> None:
    block = agency_block(export_figure(model, view(model.catalog, vendors=("Lan-Tel",)), "wide", EXPORTED))
    vendor, statewide, no_area = block.removeprefix(
        "Records at state, county and other agencies (they color no town) "
    ).split(" · ")
    assert vendor == "Lan-Tel"
    assert statewide.startswith("Statewide: ") and no_area.startswith("No area given: ")
    assert {
        re.sub(r" \(\d+ documents?\)$", "", name) for name in statewide.removeprefix("Statewide: ").split(", ")
    } == LANTEL_STATE
    assert no_area == "No area given: Massachusetts Bay Transportation Authority (MBTA) (2 documents)"
    every = view(model.catalog, vendors=model.catalog.vendor_names)
    for figure in (
        export_figure(model, every, "wide", EXPORTED),
        export_figure(model, view(model.catalog), "wide", EXPORTED),
    ):
        for part in agency_block(figure).split(" · "):
            if part.startswith("Statewide:"):
                assert "MBTA" not in part and "Transportation Authority" not in part
                assert "Sheriffs' Association" not in part and "Sheriff's Association" not in part


def test_vendors_named_only_in_a_title_are_marked(model: Model) -> None:
    figure = export_figure(model, view(model.catalog), "wide", EXPORTED)
    names = set(legend_names(figure))
    assert TITLE_ONLY_KEYS <= names
    assert "COPLINK" not in names and "Suspect Technologies" not in names
    northampton = compare_figure(model, (town_id(model, "Northampton"), town_id(model, "Plymouth")), EXPORTED)
    text = slide_text(northampton)
    assert "vendors: COPLINK (named only in the record's title)" in text
    assert "vendors: Suspect Technologies (named only in the record's title)" in text


@pytest.mark.parametrize(("earlier", "later"), [("2019-01", "2021-12"), ("2019-12", "2020-06")])
def test_before_and_after_panels_count_the_bans_adopted_by_each_date(model: Model, earlier: str, later: str) -> None:
    figure = export_figure(model, view(model.catalog, as_of=later, compare=(earlier,)), "wide", EXPORTED)
    headings = [_plain(a.text) for a in figure.layout.annotations if "Ban or moratorium" in a.text]
    expected = [bans_adopted_by(month) for month in (earlier, later)]
    # By the data: none before Somerville (June 2019), Somerville, Brookline and Northampton by December 2019,
    # then Cambridge, Springfield and Boston by June 2020; eight by December 2021 (Worcester the eighth).
    assert expected in ([0, 8], [3, 6])
    assert [re.findall(r"adopted in (\d+) municipalit", h) for h in headings] == [[str(n)] for n in expected]
    title = heading(figure)
    first, second = (date.fromisoformat(m + "-01").strftime("%B %Y") for m in (earlier, later))
    assert f"As of {first} and {second}: " in title


def test_the_state_law_line_appears_once_it_was_signed(model: Model) -> None:
    (law,) = [r for r in _csv("policy_events.csv") if r["kind"] == "state_law"]
    assert law["date"] == "2020-12-31"
    before = slide_text(export_figure(model, view(model.catalog, as_of="2020-11"), "wide", EXPORTED))
    after = slide_text(export_figure(model, view(model.catalog, as_of="2021-01"), "wide", EXPORTED))
    assert "Chapter 253" not in before
    assert "Chapter 253 of the Acts of 2020" in after and "signed December 31, 2020" in after


def test_a_december_2019_slide_names_nothing_filed_or_decided_later(model: Model) -> None:
    state = linked(model, "?date=2019-12")
    figure = export_figure(model, state, "wide", EXPORTED)
    names = legend_names(figure)
    # IBM's only record (Springfield PD) was requested in February 2020: no marker, no key.
    assert not any(n.startswith("IBM") for n in names)
    # Springfield's moratorium (February 2020), Boston's ban (June 2020), the state law (December 2020): all later.
    text = slide_text(figure)
    for later in ("moratorium", "June 24, 2020", "Chapter 253", "Briefcam at the City of Boston (2020)"):
        assert later not in text, later
    assert "Face-surveillance ban adopted by December 2019†" in names
    # Every class is 0: the requests went out in February and April 2020.
    for label in model.catalog.labels.values():
        assert f"{label}: 0 municipalities" in names
    # The subtitle names the vendors switched on (IBM among them); nothing else on the slide names IBM.
    subtitle = heading(figure)
    assert "IBM" not in text.replace(subtitle, "")


def test_a_slide_with_a_dagger_explains_it(model: Model) -> None:
    for state in (view(model.catalog), view(model.catalog, as_of="2019-12"), view(model.catalog, compare=("2019-01",))):
        text = slide_text(export_figure(model, state, "wide", EXPORTED))
        assert "†" in text and "† Not stated on the records page" in text


# --- the compare slide --------------------------------------------------------------------------------------------


def test_the_compare_slide_names_worcesters_ban_and_springfields_moratorium(model: Model) -> None:
    events = {r["jurisdiction"]: r for r in _csv("policy_events.csv") if r["kind"].startswith("face_surveillance")}
    assert (events["Worcester"]["date"], events["Springfield"]["date"]) == ("2021-12", "2020-02-24")
    figure = compare_figure(model, (town_id(model, "Worcester"), town_id(model, "Springfield")), EXPORTED)
    assert (figure.layout.width, figure.layout.height) == (1920, 1080)
    assert sorted(k for k in figure.layout.to_plotly_json() if k.startswith("geo")) == ["geo", "geo2"]
    text = slide_text(figure)
    assert "Face-surveillance ban, adopted December 2021†" in text
    assert "Face-surveillance moratorium, adopted February 24, 2020†" in text
    assert "As of December 2021" in text
    # Worcester is on the "No Responsive Documents" list and has no record of its own in the index; Springfield is
    # on no list, and the index holds "IBM at the Springfield Police Department" (2) and "Facial Recognition at the
    # Springfield PD" (14). Each town's heading: its name, its class, its records, one line each.
    assert "Worcester No responsive documents No record in the records index" in text
    assert "Springfield Not listed: no reply published 2 records, 16 documents; vendors: IBM" in text
    assert f"“{LEAK}”" in text and f"records index dated {INDEX_DATE}" in text


def test_the_compare_slide_says_when_bostons_ordinance_takes_effect(model: Model) -> None:
    figure = compare_figure(model, (town_id(model, "Boston"), town_id(model, "Springfield")), EXPORTED)
    text = slide_text(figure)
    assert "Face-surveillance ban, adopted June 24, 2020†" in text
    # Voted in October 2021, in force from August 2022: later than December 2021, and said so.
    assert (
        "Surveillance-oversight ordinance, adopted October 2021; in force from August 2022 (after December 2021" in text
    )
    assert "7 records, 278 documents; vendors: Briefcam, Clearview AI and Lan-Tel" in text


def test_the_compare_slide_takes_two_to_four_different_towns(model: Model) -> None:
    boston, cambridge = town_id(model, "Boston"), town_id(model, "Cambridge")
    for towns in ((boston,), (boston, boston), (boston, cambridge, 1, 2, 3), (boston, 99999)):
        with pytest.raises(ValueError):
            compare_figure(model, towns)
    assert (
        len(
            [k for k in compare_figure(model, (boston, cambridge, 1, 2)).layout.to_plotly_json() if k.startswith("geo")]
        )
        == 4
    )


# --- the compare slide through the render pool ---------------------------------------------------------------------


def test_render_compare_draws_once_and_keys_the_cache_by_towns_order_and_day(model, tmp_path, pools, counter) -> None:
    pool = RenderPool(tmp_path / "images", draw=titled_draw)
    pools.append(pool)
    towns = (town_id(model, "Worcester"), town_id(model, "Springfield"))
    first = pool.render_compare(model, towns, exported=EXPORTED)
    assert not first.cached and counter() == 1
    assert first.key == pool.compare_key(model, towns, "png", EXPORTED)  # the ETag the route sends
    assert png_size(first.data) == (1920, 1080)
    assert b"Worcester and Springfield compared" in first.data  # the compare slide, not the map's
    again = pool.render_compare(model, towns, exported=EXPORTED)
    assert again.cached and again.data == first.data and counter() == 1
    other = RenderPool(tmp_path / "images", draw=titled_draw)  # another worker finds it on disk
    pools.append(other)
    assert other.render_compare(model, towns, exported=EXPORTED).cached
    reversed_ = pool.render_compare(model, towns[::-1], exported=EXPORTED)
    assert not reversed_.cached and reversed_.key != first.key and counter() == 2
    assert pool.compare_key(model, towns, "png", date(2026, 1, 3)) != first.key
    assert pool.compare_key(model, towns, "svg", EXPORTED) != first.key
    assert pool.key(model, view(model.catalog), "png", "wide", EXPORTED) != first.key
    assert len(list((tmp_path / "images").glob("*.png"))) == 2


def test_render_compare_refuses_a_bad_request_without_drawing(model, tmp_path, pools, counter) -> None:
    pool = RenderPool(tmp_path / "images", draw=titled_draw)
    pools.append(pool)
    boston = town_id(model, "Boston")
    for towns, fmt in (((boston,), "png"), ((boston, boston), "png"), ((boston, 99999), "png"), ((boston, 1), "gif")):
        with pytest.raises(ValueError):
            pool.render_compare(model, towns, fmt)
    assert counter() == 0 and pool.draws == 0


@pytest.mark.slow
def test_render_compare_shares_the_queue_and_the_missing_chromium_answer(model, tmp_path, pools, counter) -> None:
    slow = RenderPool(tmp_path / "slow", draw=slow_draw, max_waiting=0)
    pools.append(slow)
    drawing = threading.Thread(target=slow.render, args=(model, view(model.catalog, town=1)))
    drawing.start()
    until(lambda: slow.pending == 1)
    with pytest.raises(Busy):  # the map slide holds the one turn and there is no room to wait
        slow.render_compare(model, (1, 2))
    drawing.join(60)
    assert slow.render_compare(model, (1, 2)).data  # room again

    missing = RenderPool(tmp_path / "missing", draw=no_chromium_draw)
    pools.append(missing)
    drawn = counter()
    with pytest.raises(ChromiumMissing):
        missing.render_compare(model, (1, 2))
    with pytest.raises(ChromiumMissing):  # the map slide is told at once, without looking again
        missing.render(model, view(model.catalog))
    assert counter() == drawn + 1
    assert not (tmp_path / "missing").exists() or not list((tmp_path / "missing").iterdir())


@pytest.mark.browser
def test_a_real_compare_slide_is_a_1920_by_1080_png(model, tmp_path, pools) -> None:
    pool = RenderPool(tmp_path / "images")
    pools.append(pool)
    image = pool.render_compare(model, (town_id(model, "Boston"), town_id(model, "Worcester")), exported=EXPORTED)
    assert png_size(image.data) == (1920, 1080)
    assert len(image.data) > 100_000  # maps, not an empty page
