"""Town names on the map: the selected town always named, names from the boundary file, no two names overlapping
and none covering a marker's centre, at the page's map box (865×360 px in a 1280-px window, measured in Chromium)
and at Metro zoom.

A name's box is estimated here on its own: 0.6 em a character wide (DejaVu Sans, which headless Chromium falls back
to, averages about that) and 1.2 em tall, centred on the name's point.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.data.placement import ConicConformal, fit_frame
from dashboard.data.sources import read_boundaries
from dashboard.state.view import ViewState, view
from dashboard.views.figure import CENTRAL_LON, PARALLELS, build_figure, geo_ranges, names_position

BOX = (865, 360)  # the page's map box in a 1280-px window: 1280 − 40 − 340 − 20 − 15 scrollbar; 360 px tall


@pytest.fixture(scope="module")
def boundary_names(config: Config) -> dict[int, str]:
    """TOWN of each TOWN_ID in the shipped boundary file."""
    frame = read_boundaries(config.boundaries)
    return {int(t): str(n) for t, n in zip(frame["TOWN_ID"], frame["TOWN"])}


def _names(model: Model, state: ViewState, **options: object) -> dict:
    return build_figure(model, state, **options).data[names_position(model)].to_plotly_json()


def _boxes(model: Model, state: ViewState, trace: dict, size: float) -> list[tuple[float, float, float, float]]:
    frame = fit_frame(ConicConformal(PARALLELS, CENTRAL_LON), geo_ranges(model, state.extent), BOX)
    points = frame.to_px(np.column_stack([trace["lon"], trace["lat"]])) if trace["lon"] else np.zeros((0, 2))
    positions = trace["textposition"]
    positions = [positions] * len(trace["text"]) if isinstance(positions, str) else positions
    boxes = []
    for (x, y), text, position in zip(points, trace["text"], positions):
        width = 0.6 * size * len(text)
        # Where plotly draws the text from its point: to its right, to its left, or centred on it.
        left = {"middle right": x, "middle left": x - width}.get(position, x - width / 2)
        boxes.append((left, y - 0.6 * size, left + width, y + 0.6 * size))
    return boxes


def _marker_centres(model: Model, state: ViewState) -> np.ndarray:
    frame = fit_frame(ConicConformal(PARALLELS, CENTRAL_LON), geo_ranges(model, state.extent), BOX)
    points = [
        (x, y)
        for trace in build_figure(model, state).data
        if trace.type == "scattergeo" and "markers" in (trace.mode or "") and trace.lon
        for x, y in zip(trace.lon, trace.lat)
    ]
    return frame.to_px(np.array(points)) if points else np.zeros((0, 2))


def _drawn_window(model: Model, state: ViewState) -> tuple[float, float, float, float]:
    """The pixels the map draws in the box: its longitude and latitude ranges' corners, projected."""
    ranges = geo_ranges(model, state.extent)
    frame = fit_frame(ConicConformal(PARALLELS, CENTRAL_LON), ranges, BOX)
    (west, east), (south, north) = ranges["lonaxis"]["range"], ranges["lataxis"]["range"]
    corners = frame.to_px(np.array([[west, south], [west, north], [east, south], [east, north]]))
    return (
        max(0.0, corners[:, 0].min()),
        max(0.0, corners[:, 1].min()),
        min(BOX[0], corners[:, 0].max()),
        min(BOX[1], corners[:, 1].max()),
    )


def _views(model: Model) -> list[ViewState]:
    catalog = model.catalog
    every = catalog.vendor_names
    return [
        view(catalog),
        view(catalog, vendors=every),
        view(catalog, town=35, vendors=every),
        view(catalog, extent="metro"),
        view(catalog, extent="metro", town=35, vendors=every),
        view(catalog, extent="metro", town=274),
    ]


@pytest.mark.parametrize("town_id", [35, 281, 70, 1, 100, 239, 274, 49, 189, 351, 160, 9])
def test_the_selected_town_is_always_named(model: Model, boundary_names: dict[int, str], town_id: int) -> None:
    for extent in ("state", "metro"):
        state = view(model.catalog, town=town_id, extent=extent, vendors=model.catalog.vendor_names)
        trace = _names(model, state)
        ranges = geo_ranges(model, extent)
        (west, east), (south, north) = ranges["lonaxis"]["range"], ranges["lataxis"]["range"]
        lon, lat = model.map.points[town_id]  # a point inside the town: it is in the frame when that point is
        if west < lon < east and south < lat < north:
            named = dict(zip(trace["customdata"], trace["text"]))
            assert town_id in named, (extent, town_id)
            assert named[town_id].upper() == boundary_names[town_id]


def test_names_come_from_the_boundary_file(model: Model, boundary_names: dict[int, str]) -> None:
    for state in _views(model):
        trace = _names(model, state)
        assert trace["text"]
        for town_id, text in zip(trace["customdata"], trace["text"]):
            assert text.upper() == boundary_names[int(town_id)]


def test_metro_zoom_names_the_regions_towns(model: Model) -> None:
    trace = _names(model, view(model.catalog, extent="metro"))
    region = set(model.towns.index[model.towns["uasi_region"]])
    assert len(region) == 9
    assert region <= set(trace["customdata"])


def test_no_two_names_overlap_and_none_covers_a_marker(model: Model) -> None:
    for state in _views(model):
        trace = _names(model, state)
        boxes = _boxes(model, state, trace, trace["textfont"]["size"])
        for a, b in itertools.combinations(boxes, 2):
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (state, a, b)
        centres = _marker_centres(model, state)
        left, top, right, bottom = _drawn_window(model, state)
        for x0, y0, x1, y1 in boxes:
            for x, y in centres:
                assert not (x0 <= x <= x1 and y0 <= y <= y1), state
            # Inside the map drawn, not only the box: plotly clips the map at the ranges' edges.
            assert x0 >= left and y0 >= top and x1 <= right and y1 <= bottom, (state, x0, y0, x1, y1)


def test_the_names_size_is_a_parameter(model: Model) -> None:
    state = view(model.catalog, extent="metro", town=35)
    small, large = _names(model, state), _names(model, state, label_size=22)
    assert small["textfont"]["size"] == 12 and large["textfont"]["size"] == 22
    assert 35 in large["customdata"]
    boxes = _boxes(model, state, large, 22)
    for a, b in itertools.combinations(boxes, 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


@pytest.mark.parametrize("extent", ["state", "metro"])
def test_names_stay_inside_the_map_when_the_browser_draws_it_smaller(model: Model, extent: str) -> None:
    # The page's map may be drawn at a smaller scale than the box the names were placed for (a narrower window):
    # text keeps its pixel size, so a name centred near a side would run past the map's edge and be cut there.
    state = view(model.catalog, extent=extent)
    trace = _names(model, state)
    for scale in (1.0, 0.6):
        small = (int(BOX[0] * scale), int(BOX[1] * scale))
        frame = fit_frame(ConicConformal(PARALLELS, CENTRAL_LON), geo_ranges(model, extent), small)
        points = frame.to_px(np.column_stack([trace["lon"], trace["lat"]]))
        west, _, east, _ = frame.window
        positions = trace["textposition"]
        for (x, _), text, position in zip(points, trace["text"], positions):
            width = 0.6 * 12 * len(text)
            left = {"middle right": x, "middle left": x - width}.get(position, x - width / 2)
            assert west - 1 <= left and left + width <= east + 1, (text, scale, left, left + width, west, east)
