"""Map geometry and overlays: gap-free simplification on the real boundaries, overlay traces per view."""

from __future__ import annotations

import dataclasses

import shapely

from dashboard.data.geometry import simplify_coverage
from dashboard.data.model import Model
from dashboard.state.view import view
from dashboard.views.figure import COUNTIES, FIRST_VENDOR, HQ, SELECTED, STATE, UASI, ZERO, build_figure, overlay_traces


def test_simplified_towns_leave_no_gaps_or_overlaps(model: Model) -> None:
    original = model.geometry.geometry.to_numpy()
    simple = simplify_coverage(original)
    assert shapely.coverage_is_valid(simple)
    # Gaps: the union of the simplified towns has no holes the original union lacks.
    assert len(shapely.get_parts(shapely.union_all(simple))) <= len(shapely.get_parts(shapely.union_all(original)))
    # The state's shape: its area changes by under 1 %.
    before, after = shapely.union_all(original).area, shapely.union_all(simple).area
    assert abs(after - before) / before < 0.01
    assert shapely.get_num_coordinates(simple).sum() < shapely.get_num_coordinates(original).sum() / 4


def test_simplified_rings_are_clockwise_for_plotly(model: Model) -> None:
    feature = model.map.towns_geojson["features"][0]
    shape = shapely.geometry.shape(feature["geometry"])
    polygon = shape if shape.geom_type == "Polygon" else shape.geoms[0]
    assert not polygon.exterior.is_ccw


def _lonlat(trace: dict) -> list[tuple[float, float]]:
    return [(x, y) for x, y in zip(trace.get("lon", []), trace.get("lat", [])) if x is not None]


def test_overlay_trace_count_is_fixed_whatever_the_view(model: Model) -> None:
    sizes = {
        len(overlay_traces(model, state))
        for state in [
            view(model.catalog),
            view(model.catalog, vendors=()),
            view(model.catalog, uasi=False, town=35),
            view(model.catalog, years=(2018, 2018)),
        ]
    }
    assert sizes == {FIRST_VENDOR - 1 + len(model.catalog.vendors)}


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
    assert _lonlat(traces[SELECTED - 1])
    assert _lonlat(overlay_traces(model, view(model.catalog))[SELECTED - 1]) == []


def test_figure_has_one_choropleth_over_all_towns(model: Model) -> None:
    figure = build_figure(model, view(model.catalog))
    choropleths = [t for t in figure.data if t.type == "choropleth"]
    assert len(choropleths) == 1
    assert len(choropleths[0].locations) == 351
    assert sorted(set(choropleths[0].z)) == [0, 1, 2, 3]
