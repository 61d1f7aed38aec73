"""The slides' layout (issue 18): every built-in view at every size places its words, keys and maps in boxes that
lie inside the slide and overlap nothing; real drawings put every inked pixel inside those boxes (so the measured
text widths and line heights hold in Chromium); file names say what the view is.

Expected values come from the issue (1920×1080, projector type of at least 24 px where the words allow, a card
read at 500 px wide) and from data/ (town names, the months of the time control)."""

from __future__ import annotations

import struct
import zlib
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np
import pytest
from flask import Flask
from image_check import png_size

from dashboard.data.model import Model
from dashboard.exports.card import card_words
from dashboard.exports.compare_slide import compare_figure, compare_words
from dashboard.exports.filenames import compare_filename, view_filename, view_name
from dashboard.exports.images import NAMED_VIEWS, SIZES, export_figure, slide_words
from dashboard.exports.render_pool import RenderPool
from dashboard.exports.slide_layout import (
    Box,
    Layout,
    layout_card,
    layout_compare,
    layout_slide,
    wrap,
)
from dashboard.exports.text_measure import text_width
from dashboard.serving.images import register_images
from dashboard.state.view import ViewState, choices_of, parse_query, view

EXPORTED = date(2026, 1, 2)
#: The issue's own view: "Clearview use in Metro Boston with the policy layer", as of June 2020.
ISSUE_VIEW = "?vendors=clearview&extent=metro&date=2020-06"
EVERY_VENDOR = "?vendors=lan-tel,briefcam,coplink,dataworks,morphotrust,ibm,suspect-technologies,clearview"
#: Views beyond the built-in ones (which hold the issue's own, `clearview-metro-2020-06`): every vendor, a town
#: chosen, an agency chosen, classes hidden, three dates.
MORE_VIEWS = {
    "every-vendor": EVERY_VENDOR,
    "boston": "?town=35",
    "state-police": "?agency=msp",
    "use-only-2019": "?classes=use&date=2019-12",
    "three-dates": "?compare=2019-01,2020-03,2020-12&vendors=briefcam",
}
VIEWS = {**NAMED_VIEWS, **MORE_VIEWS}


def state_of(model: Model, query: str) -> ViewState:
    return parse_query(query, choices_of(model.catalog, model.towns.index, model.agencies.index))


def town_id(model: Model, name: str) -> int:
    return int(model.towns.index[model.towns["town"].eq(name)][0])


def layout_of(model: Model, state: ViewState, size: str) -> Layout:
    """The layout export_figure draws for the view at the size."""
    if size == "card" and (state.town is not None or state.agency is not None):
        return layout_card(card_words(model, state))
    return layout_slide(slide_words(model, state, size, EXPORTED))


def assert_clean(layout: Layout) -> None:
    """Every text box and symbol inside the slide; none overlapping another, a map or the inset."""
    texts = [t.box for t in layout.texts]
    symbols = [s.box for s in layout.symbols]
    for box in [*texts, *symbols, *layout.maps, *([layout.inset] if layout.inset else [])]:
        assert box.inside(layout.width, layout.height), box
    for a, b in combinations([*texts, *symbols], 2):
        assert not a.overlaps(b), (a, b)
    for box in [*texts, *symbols]:
        for covered in layout.covered:
            assert not box.overlaps(covered), (box, covered)
    for a, b in combinations(layout.maps, 2):
        assert not a.overlaps(b)
    for placed in layout.texts:  # each line no wider than its box
        for line, bold in placed.lines:
            assert text_width(line, placed.size, bold) <= placed.box.w + 0.5, line


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(VIEWS))
def test_every_view_at_every_size_places_its_boxes_apart(model: Model, name: str, size: str) -> None:
    # The layout does not depend on the format: PNG, SVG and PDF are drawn from the same figure.
    layout = layout_of(model, state_of(model, VIEWS[name]), size)
    assert (layout.width, layout.height) == SIZES[size]
    assert_clean(layout)
    assert layout.maps, "a slide without a map"


@pytest.mark.parametrize("towns", [("Worcester", "Springfield"), ("Boston", "Cambridge", "Somerville")])
def test_compare_slides_place_their_boxes_apart(model: Model, towns: tuple[str, ...]) -> None:
    ids = tuple(town_id(model, t) for t in towns)
    layout = layout_compare(compare_words(model, ids, EXPORTED))
    assert_clean(layout)
    assert len(layout.maps) == len(towns)


def test_a_four_town_compare_slide_is_a_grid(model: Model) -> None:
    ids = tuple(town_id(model, t) for t in ("Boston", "Cambridge", "Northampton", "Manchester"))
    layout = layout_compare(compare_words(model, ids, EXPORTED))
    assert_clean(layout)
    assert len({m.y for m in layout.maps}) == 2 and len({m.x for m in layout.maps}) == 2


@pytest.mark.parametrize("name", ["North Attleborough", "Boston", "Dalton", "Springfield"])
def test_town_cards_place_their_boxes_apart(model: Model, name: str) -> None:
    assert_clean(layout_card(card_words(model, view(model.catalog, town=town_id(model, name)))))


def test_type_is_projector_sized_on_the_wide_slides(model: Model) -> None:
    """Titles 44 px; body text 24 px where the words allow it, never below 18 px on a 1920×1080 slide."""
    for name, query in VIEWS.items():
        layout = layout_of(model, state_of(model, query), "wide")
        title = next(t for t in layout.texts if t.kind == "title")
        assert title.size == 44
        assert layout.body >= 18 and layout.note >= 14, name
    # The issue's own slide and the single-class slide keep 24 px keys and a note of at least 20 px.
    for query in (ISSUE_VIEW, NAMED_VIEWS["use-or-communication"]):
        layout = layout_of(model, state_of(model, query), "wide")
        assert layout.body == 24 and layout.note >= 20, query
        keys = [t for t in layout.texts if t.kind == "key"]
        assert keys and all(t.size == 24 for t in keys)


def test_the_map_is_as_large_as_the_slide_allows(model: Model) -> None:
    """The issue measured a map of about 800×525 px on the 1920×1080 slide; the Metro Boston slide of the issue's
    view now has a larger one, with its keys at 24 px beside it."""
    layout = layout_of(model, state_of(model, ISSUE_VIEW), "wide")
    (frame,) = layout.maps
    assert frame.w * frame.h > 1.2 * 800 * 525


def test_a_state_slide_has_a_metro_boston_inset_in_the_maps_empty_corner(model: Model) -> None:
    layout = layout_of(model, view(model.catalog), "wide")
    assert layout.inset is not None
    frame = layout.maps[0]
    assert frame.x <= layout.inset.x and layout.inset.bottom <= frame.bottom + 0.01
    assert any(t.kind == "inset-title" and t.lines[0][0].startswith("Metro Boston") for t in layout.texts)
    figure = export_figure(model, view(model.catalog), "wide", EXPORTED)
    geos = [k for k in figure.layout.to_plotly_json() if k.startswith("geo")]
    assert sorted(geos) == ["geo", "geo2"]
    # The inset frames the Metro Boston region: its longitudes lie inside the state map's.
    inset, state = figure.layout.geo2.lonaxis.range, figure.layout.geo.lonaxis.range
    assert state[0] < inset[0] < inset[1] < state[1]


def test_each_before_and_after_panel_keys_its_own_date(model: Model) -> None:
    layout = layout_of(model, view(model.catalog, compare=("2019-01",)), "wide")
    titles = [t.lines for t in layout.texts if t.kind == "key-title"]
    flat = [" ".join(line for line, _ in lines) for lines in titles]
    assert "Clearview AI classes as of January 2019" in flat and "Clearview AI classes as of December 2021" in flat
    keys = [" ".join(line for line, _ in t.lines) for t in layout.texts if t.kind == "key"]
    # January 2019: no Clearview request had gone out (the first list is dated February 2020); all 351 unasked.
    assert "Not known to have been asked yet: 351 municipalities" in keys
    assert "Not known to have been asked yet: 0 municipalities" in keys
    assert not any("adopted by December 2021" in k for k in keys)  # the policy keys name no single date


def test_wrap_breaks_by_measured_width_and_keeps_every_word() -> None:
    text = "Records at state, county and other agencies https://data.aclum.org/public-records/frt-ma/private-companies/"
    lines = wrap(text, 300, 24)
    assert all(text_width(line, 24) <= 300 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_box_overlap_is_strict() -> None:
    a = Box(0, 0, 10, 10)
    assert not a.overlaps(Box(10, 0, 5, 5)) and a.overlaps(Box(9, 9, 5, 5))
    assert a.inside(10, 10) and not Box(5, 5, 10, 10).inside(10, 10)


# --- file names ---------------------------------------------------------------------------------------------------


def test_file_names_say_what_the_view_is(model: Model) -> None:
    names = {name: view_name(model, state_of(model, q)) for name, q in VIEWS.items()}
    assert len(set(names.values())) == len(names), names
    assert view_filename(model, state_of(model, ISSUE_VIEW), "wide", "png") == (
        "ma-surveillance-clearview-metro-2020-06-wide.png"
    )
    assert names["boston"] == "vendors-boston-2021-12"
    assert names["before-after"] == "vendors-2019-01-vs-2021-12"
    worcester, springfield = town_id(model, "Worcester"), town_id(model, "Springfield")
    assert compare_filename(model, (worcester, springfield), "png") == (
        "ma-surveillance-compare-worcester-springfield-2021-12-wide.png"
    )


def named_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    """A stand-in drawing (no Chromium): a PNG header of the right size."""
    return b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + struct.pack(">II", width, height)


def test_the_image_route_names_the_file_by_the_view(model: Model, tmp_path, pools) -> None:
    server = Flask(__name__)
    pool = RenderPool(tmp_path / "images", draw=named_draw)
    pools.append(pool)
    register_images(server, model, tmp_path, pool)
    client = server.test_client()
    first = client.get("/image/view.png?vendors=clearview&extent=metro&date=2020-06")
    second = client.get("/image/view.png?town=35&size=square")
    assert first.status_code == second.status_code == 200
    assert first.headers["Content-Disposition"] == (
        'attachment; filename="ma-surveillance-clearview-metro-2020-06-wide.png"'
    )
    assert (
        second.headers["Content-Disposition"]
        == 'attachment; filename="ma-surveillance-vendors-boston-2021-12-square.png"'
    )


# --- real drawings ------------------------------------------------------------------------------------------------


def png_pixels(data: bytes) -> np.ndarray:
    """A PNG's pixels (height × width × channels), decoded here: every filter of the PNG standard."""
    width, height = png_size(data)
    depth, color = data[24], data[25]
    assert depth == 8
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    position, chunks = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        if data[position + 4 : position + 8] == b"IDAT":
            chunks.append(data[position + 8 : position + 8 + length])
        position += 12 + length
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.int32)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, row = raw[y, 0], raw[y, 1:].astype(np.int32)
        if kind == 0:
            current = row
        elif kind == 1:
            current = row.reshape(-1, channels).cumsum(axis=0).reshape(-1) % 256
        elif kind == 2:
            current = (row + previous) % 256
        else:  # average or Paeth: pixel by pixel (Chromium's PNGs use "up")
            current = np.zeros(stride, dtype=np.int32)
            for i in range(stride):
                a = current[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                if kind == 3:
                    current[i] = (row[i] + (a + b) // 2) % 256
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    current[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) % 256
        out[y] = previous = current
    return out.reshape(height, width, channels).astype(np.uint8)


def inked(pixels: np.ndarray) -> np.ndarray:
    """Where something is drawn: any pixel not (nearly) white."""
    return (pixels[:, :, :3] < 235).any(axis=2)


def assert_ink_inside(layout: Layout, pixels: np.ndarray, slack: float = 6) -> None:
    """Every inked pixel lies in a text box, a symbol, a map frame or the inset (with a few pixels of slack for
    antialiasing and line caps): the measured widths and line heights hold in the drawing."""
    allowed = np.zeros(pixels.shape[:2], dtype=bool)
    boxes = [t.box for t in layout.texts] + [s.box for s in layout.symbols] + list(layout.maps)
    boxes += [layout.inset] if layout.inset else []
    for box in boxes:
        x0, y0 = max(0, int(box.x - slack)), max(0, int(box.y - slack))
        allowed[y0 : int(box.bottom + slack) + 1, x0 : int(box.right + slack) + 1] = True
    stray = inked(pixels) & ~allowed
    ys, xs = np.nonzero(stray)
    assert stray.sum() == 0, f"{stray.sum()} inked pixels outside every box, e.g. at {list(zip(xs[:5], ys[:5]))}"


def assert_note_band(layout: Layout, pixels: np.ndarray) -> None:
    """The source note's last line is drawn, and nothing is drawn in the bottom margin."""
    note = next(t for t in layout.texts if t.kind == "note")
    last_line = pixels[int(note.box.bottom - note.size * 1.3) : int(note.box.bottom)]
    assert inked(last_line).sum() > 200
    assert inked(pixels[int(note.box.bottom) + 6 :]).sum() == 0


@pytest.fixture(scope="module")
def kaleido():
    from dashboard.exports.images import kaleido_session

    with kaleido_session():
        yield


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "size"),
    [(ISSUE_VIEW, "wide"), ("", "square"), (NAMED_VIEWS["before-after"], "wide"), ("?town=35", "card")],
)
def test_a_real_slide_inks_only_its_boxes(model: Model, kaleido: None, query: str, size: str) -> None:
    from dashboard.exports.images import draw_figure

    state = state_of(model, query)
    layout = layout_of(model, state, size)
    data = draw_figure(export_figure(model, state, size, EXPORTED), "png", *SIZES[size])
    assert png_size(data) == SIZES[size]
    pixels = png_pixels(data)
    assert_note_band(layout, pixels)
    assert_ink_inside(layout, pixels)


@pytest.mark.browser
def test_a_real_compare_slide_inks_only_its_boxes(model: Model, kaleido: None) -> None:
    from dashboard.exports.images import draw_figure

    ids = (town_id(model, "Worcester"), town_id(model, "Springfield"))
    layout = layout_compare(compare_words(model, ids, EXPORTED))
    data = draw_figure(compare_figure(model, ids, EXPORTED), "png", 1920, 1080)
    pixels = png_pixels(data)
    assert_note_band(layout, pixels)
    assert_ink_inside(layout, pixels)


@pytest.mark.browser
def test_a_real_pdf_and_svg_keep_the_slide_size(model: Model, kaleido: None) -> None:
    from dashboard.exports.images import draw_figure

    figure = export_figure(model, state_of(model, ISSUE_VIEW), "wide", EXPORTED)
    svg = draw_figure(figure, "svg", 1920, 1080).decode()
    assert 'width="1920"' in svg and 'height="1080"' in svg
    assert "Not stated on the records page" in svg  # the note's last sentence is in it
    pdf = draw_figure(figure, "pdf", 1920, 1080)
    assert pdf.startswith(b"%PDF")
