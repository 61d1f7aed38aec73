"""Every marker the map draws stands inside the town it is about, in the shipped boundary file, at every extent.

The towns each marker should be about come from the data (vendor records, the Clearview listings' document counts,
the agencies' offices), never from the placement code. The pixel rule for overlaps: two markers of one town overlap
when their centres are closer than the mean of their two diameters (plotly's marker `size`) at the page's map box
of a 1280-px window (865×360 px, measured in Chromium); a town counts as large enough for its k markers when the
largest circle inside it (shapely's maximum inscribed circle, in pixels) has a radius of at least
9.5 + 10·(k − 1) + 3 px: room for a row of k markers 20 px apart, each 9.5 px from the edge, and 3 px to spare.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
import shapely

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.data.placement import ConicConformal, fit_frame
from dashboard.data.sources import read_boundaries
from dashboard.exports.images import NAMED_VIEWS
from dashboard.state.view import ViewState, choices_of, parse_query, view
from dashboard.views.figure import CENTRAL_LON, HQ, PARALLELS, ZERO, build_figure, geo_ranges

BOX = (865, 360)  # 1280 − 2×20 padding − 340 controls − 20 gap − 15 scrollbar; the box's minimum height


@pytest.fixture(scope="module")
def boundaries(config: Config) -> dict[int, shapely.Geometry]:
    """The shipped boundaries at full resolution, read through the project's loader."""
    frame = read_boundaries(config.boundaries)
    return {int(t): g for t, g in zip(frame["TOWN_ID"], frame.geometry)}


def _views(model: Model) -> list[tuple[str, ViewState]]:
    catalog = model.catalog
    choices = choices_of(catalog, model.towns.index, model.agencies.index)
    every = catalog.vendor_names
    views = [(f"slide {name}", parse_query(query, choices)) for name, query in NAMED_VIEWS.items()]
    for extent in ("state", "metro"):
        views += [
            (f"{extent} default", view(catalog, extent=extent)),
            (f"{extent} every vendor", view(catalog, extent=extent, vendors=every)),
            (f"{extent} Boston", view(catalog, extent=extent, town=35, vendors=every)),
            (f"{extent} 2019-12", view(catalog, extent=extent, vendors=every, as_of="2019-12")),
        ]
    return views


@pytest.fixture(scope="module")
def figures(model: Model) -> list[tuple[str, ViewState, dict[str, list[tuple[int, float, float, float]]]]]:
    """Each built-in view's markers, read from the traces of `build_figure` (made once for the module's tests)."""
    return [(name, state, _markers(build_figure(model, state))) for name, state in _views(model)]


def _expected(model: Model, state: ViewState) -> dict[str, set[int]]:
    """At the latest month, with every class shown: the towns each marker trace is about, from the data tables."""
    records = model.vendor_records
    shown = records[records["vendor"].isin(state.vendors)]
    expected = {
        vendor: {int(t) for t in rows["town_id"].dropna()} for vendor, rows in shown.groupby("vendor") if vendor
    }
    agencies = model.agencies.loc[shown["agency_id"].dropna().unique()]
    expected["agency offices"] = {int(t) for t in agencies["hq_town_id"].dropna()}
    zero = model.towns["clearview_documents"].eq(0).fillna(False)
    expected["record with 0 documents"] = {int(t) for t in model.towns.index[zero.to_numpy(dtype=bool)]}
    return {k: v for k, v in expected.items() if v}


def _markers(figure) -> dict[str, list[tuple[int, float, float, float]]]:
    """Marker traces by name: (town, lon, lat, diameter) per point."""
    found: dict[str, list[tuple[int, float, float, float]]] = {}
    for trace in figure.data:
        if trace.type != "scattergeo" or "markers" not in (trace.mode or "") or not trace.lon:
            continue
        sizes = trace.marker.size
        sizes = list(sizes) if isinstance(sizes, (list, tuple)) else [sizes] * len(trace.lon)
        found[trace.name] = [
            (int(t), float(x), float(y), float(s)) for t, x, y, s in zip(trace.customdata, trace.lon, trace.lat, sizes)
        ]
    return found


def test_every_marker_stands_inside_its_own_town(
    model: Model, boundaries: dict[int, shapely.Geometry], figures: list
) -> None:
    checked = 0
    for name, state, markers in figures:
        assert markers, name
        if state.as_of == model.catalog.months[-1] and state.classes == model.catalog.class_ids:
            expected = _expected(model, state)
            assert {k: {t for t, *_ in v} for k, v in markers.items()} == expected, name
        for trace, points in markers.items():
            for town, lon, lat, _size in points:
                assert shapely.contains_xy(boundaries[town], lon, lat), f"{name}: {trace} of town {town} is outside it"
                checked += 1
    assert checked > 100


def test_bostons_markers_are_in_boston_not_its_neighbours(
    model: Model, boundaries: dict[int, shapely.Geometry]
) -> None:
    """The issue's cases: Briefcam was drawn in Milton, the 0 disc on the Somerville/Cambridge line, the star in
    Brookline, Lan-Tel in the harbour."""
    names = model.towns["town"]
    neighbours = [int(t) for t in names.index[names.isin(["Milton", "Somerville", "Cambridge", "Brookline"])]]
    assert len(neighbours) == 4
    for extent in ("state", "metro"):
        state = view(model.catalog, extent=extent, vendors=("Lan-Tel", "Briefcam"))
        markers = _markers(build_figure(model, state))
        boston = [
            (x, y)
            for name in ("Lan-Tel", "Briefcam", "agency offices", "record with 0 documents")
            for t, x, y, _ in markers[name]
            if t == 35
        ]
        assert len(boston) == 4
        for lon, lat in boston:
            assert shapely.contains_xy(boundaries[35], lon, lat)
            assert not any(shapely.contains_xy(boundaries[t], lon, lat) for t in neighbours)


def test_markers_of_one_town_do_not_overlap_where_the_town_has_room(
    model: Model, boundaries: dict[int, shapely.Geometry], figures: list
) -> None:
    projection = ConicConformal(PARALLELS, CENTRAL_LON)
    roomy = 0
    for name, state, markers in figures:
        frame = fit_frame(projection, geo_ranges(model, state.extent), BOX)
        by_town: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
        for points in markers.values():
            for town, lon, lat, size in points:
                x, y = frame.to_px(np.array([[lon, lat]]))[0]
                by_town[town].append((x, y, size))
        for town, marks in by_town.items():
            if len(marks) < 2:
                continue
            shape = shapely.transform(boundaries[town], frame.to_px)
            largest = max(shapely.get_parts(shape), key=lambda p: p.area)
            radius = shapely.length(shapely.maximum_inscribed_circle(largest, 0.5))
            if radius < 9.5 + 10 * (len(marks) - 1) + 3:
                continue
            roomy += 1
            for (x1, y1, s1), (x2, y2, s2) in itertools.combinations(marks, 2):
                assert np.hypot(x1 - x2, y1 - y2) >= (s1 + s2) / 2 - 0.01, f"{name}: markers of {town} overlap"
    assert roomy >= 4  # Boston with several markers at both extents, at least


def test_the_marker_traces_never_show_a_town_twice(model: Model) -> None:
    figure = build_figure(model, view(model.catalog, vendors=model.catalog.vendor_names))
    for position in (HQ, ZERO):
        towns = pd.Series(list(figure.data[position].customdata))
        assert not towns.duplicated().any()
