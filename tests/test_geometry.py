"""Map geometry and overlays: gap-free simplification on the real boundaries, overlay traces per view."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import shapely

from dashboard.data.geometry import simplify_coverage
from dashboard.data.model import Model
from dashboard.state.view import view
from dashboard.views.figure import (
    COUNTIES,
    FIRST_VENDOR,
    HQ,
    STATE,
    UASI,
    ZERO,
    build_figure,
    outlined_policy_kinds,
    overlay_traces,
    selected_position,
)


def _shared_borders(geoms: np.ndarray) -> dict[tuple[int, int], float]:
    """(i, j) -> length of the border towns i < j share, for every pair that touches."""
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    left, right = left[left < right], right[left < right]
    lengths = shapely.length(shapely.intersection(shapely.boundary(geoms[left]), shapely.boundary(geoms[right])))
    return {(int(i), int(j)): float(n) for i, j, n in zip(left, right, lengths)}


def _coverage_problems(original: np.ndarray, simple: np.ndarray) -> list[str]:
    """How `simple` fails to tile what the coverage `original` tiles: overlaps, gaps between towns (empty if none).

    `shapely.coverage_is_valid` at its default gap width sees mismatched edges and overlaps but no gap, so gaps are
    looked for directly: a hole in the union where the original had land (a sliver enclosed by towns), and
    neighbours that no longer share a border of positive length (a town pulled away from its neighbour).
    """
    problems = []
    if not shapely.coverage_is_valid(simple):
        problems.append("neighbours' edges do not match (an overlap or a crossing)")
    union = shapely.union_all(simple)
    overlap = shapely.area(simple).sum() - union.area
    if overlap > 1e-9 * union.area:
        problems.append(f"overlap: the towns' areas sum to {overlap:.2e} square degrees more than their union")
    land = shapely.union_all(original)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
    new_holes = [hole for hole in holes if shapely.intersection(hole, land).area > 1e-12]
    if new_holes:
        problems.append(f"gap: {len(new_holes)} hole(s) in the union where the original has land")
    after = _shared_borders(simple)
    parted = [pair for pair, length in _shared_borders(original).items() if length > 0 and not after.get(pair, 0) > 0]
    if parted:
        problems.append(f"gap: {len(parted)} pair(s) of neighbours no longer share a border, e.g. towns {parted[0]}")
    return problems


def test_simplified_towns_leave_no_gaps_or_overlaps(model: Model) -> None:
    original = model.geometry.geometry.to_numpy()
    simple = simplify_coverage(original)
    assert _coverage_problems(original, simple) == []
    assert len(_shared_borders(original)) > 800  # the check compared the real neighbours (about 900 pairs)
    # The state's shape: its area changes by under 1 %.
    before, after = shapely.union_all(original).area, shapely.union_all(simple).area
    assert abs(after - before) / before < 0.01
    assert shapely.get_num_coordinates(simple).sum() < shapely.get_num_coordinates(original).sum() / 4


def _move_a_vertex(geom: shapely.Geometry, step: float) -> shapely.Geometry:
    """`geom` with its second vertex moved `step` degrees away from its centroid (towards it if negative)."""
    xy = shapely.get_coordinates(geom)
    away = xy[1] - shapely.get_coordinates(shapely.centroid(geom))[0]
    xy[1] += step * away / np.hypot(*away)
    return shapely.set_coordinates(geom, xy)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("shrink the town by about 1 m", "gap:"),  # a thin ring of nothing all around it
        ("pull one vertex 10 m in", "gap:"),  # a sliver between it and one neighbour
        ("push one vertex 10 m out", "overlap:"),
    ],
)
def test_the_coverage_check_sees_a_sliver_gap_or_an_overlap(model: Model, damage: str, expected: str) -> None:
    original = model.geometry.geometry.to_numpy()
    simple = simplify_coverage(original).copy()
    worcester = model.geometry["TOWN_ID"].tolist().index(model.towns.index[model.towns["town"] == "Worcester"][0])
    town = simple[worcester]  # inland: every edge is shared with a neighbour
    if damage.startswith("shrink"):
        simple[worcester] = shapely.buffer(town, -1e-5)
    else:
        simple[worcester] = _move_a_vertex(town, -1e-4 if damage.startswith("pull") else 1e-4)
    assert shapely.is_valid(simple[worcester])
    problems = _coverage_problems(original, simple)
    assert any(p.startswith(expected) for p in problems), problems


def _wrongly_wound_rings(geojson: dict) -> list[str]:
    """Rings plotly would fill inside out: every exterior must run clockwise, every hole counter-clockwise."""
    wrong = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        assert geometry["type"] in ("Polygon", "MultiPolygon"), geometry["type"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for p, rings in enumerate(polygons):
            for r, ring in enumerate(rings):
                counter_clockwise = shapely.LinearRing(ring).is_ccw
                if counter_clockwise == (r == 0):
                    wrong.append(f"town {feature['id']}, polygon {p}, {'exterior' if r == 0 else f'hole {r}'}")
    return wrong


def test_simplified_rings_are_clockwise_for_plotly(model: Model) -> None:
    geojson = model.map.towns_geojson
    assert len(geojson["features"]) == 351
    assert _wrongly_wound_rings(geojson) == []


def _lonlat(trace: dict) -> list[tuple[float, float]]:
    return [(x, y) for x, y in zip(trace.get("lon", []), trace.get("lat", [])) if x is not None]


def test_overlay_trace_count_is_fixed_whatever_the_view(model: Model) -> None:
    sizes = {
        len(overlay_traces(model, state))
        for state in [
            view(model.catalog),
            view(model.catalog, vendors=()),
            view(model.catalog, uasi=False, town=35),
            view(model.catalog, as_of="2018-06"),
        ]
    }
    # The vendors, the policy outlines, the selected town, then the towns' names.
    assert sizes == {FIRST_VENDOR + len(model.catalog.vendors) + len(outlined_policy_kinds(model)) + 1}


def test_uasi_outline_surrounds_the_nine_towns_only(model: Model) -> None:
    traces = overlay_traces(model, view(model.catalog))
    points = shapely.multipoints(_lonlat(traces[UASI - 1]))
    nine = model.geometry.loc[model.geometry["TOWN_ID"].isin(model.towns.index[model.towns["uasi_region"]])]
    assert shapely.union_all(nine.geometry.to_numpy()).buffer(0.01).contains(points)
    assert overlay_traces(model, view(model.catalog, uasi=False))[UASI - 1]["visible"] is False


def test_state_agency_records_draw_the_statewide_outline_and_hq_stars(model: Model) -> None:
    traces = overlay_traces(model, view(model.catalog, vendors=("Lan-Tel",)))
    assert len(_lonlat(traces[STATE - 1])) > 100 and traces[STATE - 1]["visible"] is True
    stars = traces[HQ - 1]
    assert len(stars["lon"]) == 2  # Boston (EOHHS, EOPSS, EOAF, MBTA) and Framingham (State Police)
    assert all(s == "star" for s in stars["marker"]["symbol"])
    assert overlay_traces(model, view(model.catalog, vendors=("IBM",)))[STATE - 1]["visible"] is False


def test_county_outline_is_drawn_only_for_a_record_with_documents(model: Model) -> None:
    traces = overlay_traces(model, view(model.catalog, vendors=("Clearview AI",)))
    # The Norfolk Sheriff's only record (Clearview AI) holds 0 documents: no county is drawn, its star is hollow.
    assert _lonlat(traces[COUNTIES - 1]) == []
    assert traces[HQ - 1]["marker"]["symbol"].count("star-open") == 1
    norfolk_towns = model.towns.index[model.towns["county"] == "Norfolk"]
    documented = dataclasses.replace(
        model,
        vendor_records=model.vendor_records.assign(
            documents=model.vendor_records["documents"].where(
                model.vendor_records["agency_id"].ne("norfolk_sheriff"), 3
            )
        ),
    )
    outline = shapely.multipoints(
        _lonlat(overlay_traces(documented, view(model.catalog, vendors=("Clearview AI",)))[COUNTIES - 1])
    )
    norfolk = model.geometry.loc[model.geometry["TOWN_ID"].isin(norfolk_towns)]
    assert len(outline.geoms) > 50
    assert shapely.union_all(norfolk.geometry.to_numpy()).buffer(0.01).contains(outline)


def test_zero_document_listings_get_a_mark_that_selects_their_town(model: Model) -> None:
    zero = overlay_traces(model, view(model.catalog))[ZERO - 1]
    names = set(model.towns.loc[zero["customdata"], "town"])
    assert names == {"Boston", "Dalton", "Great Barrington"}  # the use-list records with 0 documents
    assert zero["text"] == ["0"] * 3 and zero["marker"]["color"] == "#ffffff"
    hidden = overlay_traces(model, view(model.catalog, classes=("solicitation_only",)))[ZERO - 1]
    assert hidden["customdata"] == []


def test_zero_document_records_are_hollow_markers(model: Model) -> None:
    traces = overlay_traces(model, view(model.catalog, vendors=("Clearview AI",)))
    clearview = traces[FIRST_VENDOR - 1 + model.catalog.vendor_names.index("Clearview AI")]
    symbols = dict(zip(clearview["customdata"], clearview["marker"]["symbol"]))
    assert symbols[35] == "x-open"  # Clearview AI at the Boston PD: 0 documents
    assert symbols[322] == "x"  # West Bridgewater: 11 documents


def test_selected_town_is_outlined(model: Model) -> None:
    traces = overlay_traces(model, view(model.catalog, town=281))
    assert _lonlat(traces[selected_position(model) - 1])
    assert _lonlat(overlay_traces(model, view(model.catalog))[selected_position(model) - 1]) == []


def test_figure_has_one_choropleth_over_all_towns(model: Model) -> None:
    figure = build_figure(model, view(model.catalog))
    choropleths = [t for t in figure.data if t.type == "choropleth"]
    assert len(choropleths) == 1
    assert len(choropleths[0].locations) == 351
    assert sorted(set(choropleths[0].z)) == [0, 1, 2, 3]


def test_the_selected_outline_is_drawn_over_every_marker(model: Model) -> None:
    traces = overlay_traces(model, view(model.catalog, town=35, vendors=model.catalog.vendor_names))
    # Only the towns' names come after it: text, which hides no line.
    assert traces[-2]["name"] == "selected town" and _lonlat(traces[-2])
    assert selected_position(model) - 1 == len(traces) - 2
    assert traces[-1]["name"] == "town names" and traces[-1]["mode"] == "text"


def test_the_metro_boston_frame_holds_the_nine_towns(model: Model) -> None:
    frame = build_figure(model, view(model.catalog, extent="metro")).layout.geo
    (west, east), (south, north) = frame.lonaxis.range, frame.lataxis.range
    lons, lats = model.map.uasi_outline
    assert west < min(x for x in lons if x is not None) and east > max(x for x in lons if x is not None)
    assert south < min(y for y in lats if y is not None) and north > max(y for y in lats if y is not None)
    assert east - west < 1.5  # a region, not the state (3.7 degrees wide)
    assert west < frame.center.lon < east and south < frame.center.lat < north


def test_the_policy_layer_outlines_each_kind_apart_and_switches_off(model: Model) -> None:
    traces = overlay_traces(model, view(model.catalog))
    first = FIRST_VENDOR - 1 + len(model.catalog.vendors)
    by_name = {t["name"]: t for t in traces[first : first + len(outlined_policy_kinds(model))]}
    ban = shapely.multipoints(_lonlat(by_name["Face-surveillance ban"]))
    # The seven bans of the policy data: Somerville, Brookline, Northampton, Cambridge, Boston, Easthampton, Worcester.
    banned = model.geometry.loc[model.geometry["TOWN_ID"].isin([274, 46, 214, 49, 35, 87, 348])]
    assert shapely.union_all(banned.geometry.to_numpy()).buffer(0.01).contains(ban)
    moratorium = shapely.multipoints(_lonlat(by_name["Face-surveillance moratorium"]))
    springfield = model.geometry.loc[model.geometry["TOWN_ID"].eq(281)].geometry.iloc[0]
    assert springfield.buffer(0.01).contains(moratorium)
    dashes = {t["line"]["dash"] for t in by_name.values()}
    assert len(dashes) == len(by_name)  # solid, dashed, dotted: apart without color
    off = overlay_traces(model, view(model.catalog, policy=False))
    assert all(_lonlat(t) == [] for t in off[first : first + len(by_name)])
