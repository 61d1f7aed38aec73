"""The map figure: one integer-coded choropleth and a fixed list of small overlay traces."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from dashboard import language
from dashboard.data.catalog import Catalog, PolicyKind
from dashboard.data.dossier import Dossier, dossiers
from dashboard.data.memo import per_model, per_model_and
from dashboard.data.model import Model
from dashboard.data.placement import (
    ConicConformal,
    PixelFrame,
    Wanted,
    fit_frame,
    largest_part,
    place_labels,
    spread,
    text_box,
)
from dashboard.language import _, number
from dashboard.state.filters import RecordFacts, facts, town_code_array
from dashboard.state.view import ViewState, view
from dashboard.state.view_facts import view_facts
from dashboard.views import wording as w
from dashboard.views.styles import (
    COUNTY_COLOR,
    COUNTY_DASH,
    FILTERED_OUT_COLOR,
    HQ_COLOR,
    HQ_FILL,
    NOT_ASKED_COLOR,
    SELECTED_COLOR,
    SELECTED_DASH,
    STATE_COLOR,
    STATE_DASH,
    UASI_COLOR,
    UASI_DASH,
    ZERO_MARK,
)
from dashboard.views.words import date_text, documents_text

#: Trace order is fixed so that a filter change patches traces by position.
CHOROPLETH, COUNTIES, STATE, UASI, UASI_LABEL, HQ, ZERO = 0, 1, 2, 3, 4, 5, 6
#: Traces whose coordinates never change: a filter change patches only their `visible` flag.
STATIC_TRACES = (STATE, UASI, UASI_LABEL)
#: Then one trace per vendor, one per outlined policy kind, the selected town's outline, and the towns' names (on top).
FIRST_VENDOR = 7
#: Massachusetts with a small margin (Nantucket to the New York line).
LON_RANGE = (-73.56, -69.88)
LAT_RANGE = (41.2, 42.92)

#: The map box of the page in a 1280-px window (style.css), the smallest it gets there: 1280 − 2×20 padding − 340
#: controls − 20 gap − a 15-px scrollbar wide, and its 360-px minimum height. A larger box only spreads things apart.
#: Markers and names are placed for it unless a caller (a slide) gives its own.
MAP_BOX = (865, 360)
#: Pixels between the centres of one town's markers: the largest marker (the 19-px star) and a pixel of air.
MARKER_SPACING = 20.0
#: Pixels from a town's edge to its markers' centres: half the largest marker, so that none straddles a border.
MARKER_MARGIN = 9.5
#: The towns' names: size in pixels (slides ask for larger), ink, and a white halo that reads on every class color.
LABEL_SIZE = 12
LABEL_COLOR = "#1d1d1f"
LABEL_HALO = "0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff"


#: The map's projection: conic conformal, with its standard parallels and central meridian across the state.
PARALLELS = (41.72, 42.68)
CENTRAL_LON = -71.7


def _colorscale(catalog: Catalog) -> list[tuple[float, str]]:
    colors = [c.color for c in catalog.classes] + [FILTERED_OUT_COLOR, NOT_ASKED_COLOR]
    steps = len(colors)
    scale: list[tuple[float, str]] = []
    for i, color in enumerate(colors):
        scale += [(i / steps, color), ((i + 1) / steps, color)]
    return scale


def _hover(model: Model, dossier: Dossier, code: int) -> str:
    """One town's hover as of the dossier's month: what was known about it then, and nothing later."""
    catalog = model.catalog
    lines = [
        # Translators: a town's name, then its county: "Boston · Suffolk County".
        _("{town} · {county} County").format(town=f"<b>{escape(dossier.name)}</b>", county=escape(str(dossier.county))),
        _("Population ({census}): {population}").format(census=w.CENSUS, population=number(dossier.population or 0)),
    ]
    counted = dossier.counted
    if code == catalog.not_asked_code:
        lines.append(f"{escape(catalog.clearview)}: {w.NOT_ASKED.lower()}")
    else:
        label = escape(_(catalog.labels[str(dossier.status)]))
        if counted is not None:
            # Translators: a town's Clearview class, and the name the records page lists its department under.
            label = _("{label} (listed as “{name}”)").format(label=label, name=escape(counted.name_as_published))
        lines.append(f"{escape(catalog.clearview)}: {label}")
        if counted is not None and counted.zero:
            lines.append(_("Its Clearview record holds 0 documents"))
        lines += [
            _("Also listed as “{name}” under {label} (not counted)").format(
                name=escape(x.name_as_published), label=escape(_(catalog.labels[x.status]))
            )
            for x in dossier.listings
            if not x.counted and not x.later
        ]
    for event in dossier.events:
        if not event.later:
            kind = _(catalog.policy_kind[event.kind].label)
            lines.append(escape(w.event_line(event, kind, dossier.as_of)))
    for record in dossier.records:
        if record.vendor_record and not record.later:
            lines.append(
                f"{escape(w.vendor_words(record))}: {escape(record.title)} ({documents_text(record.documents)})"
            )
    return "<br>".join(lines)


def town_hover(model: Model, as_of: str) -> tuple[str, ...]:
    """Hover text per town (escaped) as of a month, in the language in use: name, county, population, class,
    listings, policy, records."""
    return _town_hover(model, (as_of, language.current().code))


@per_model_and(64)
def _town_hover(model: Model, key: tuple[str, str]) -> tuple[str, ...]:
    # Keyed by the language too: the words are made once per month and language.
    as_of, _code = key
    catalog = model.catalog
    # The class as the map colors it in a view of every class and wave: asked by then, or not yet.
    codes = town_code_array(model, view(catalog, as_of=as_of))
    towns = dossiers(model).towns
    return tuple(_hover(model, towns[int(t)].at(as_of), int(code)) for t, code in zip(model.towns.index, codes))


def _scattergeo(**props: object) -> dict:
    """A scattergeo trace as a plain dict: plotly's validation costs ~10 ms per call on long outlines."""
    return {"type": "scattergeo", **props}


def _line(lons: list, lats: list, color: str, width: float, name: str, dash: str = "solid") -> dict:
    return _scattergeo(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": color, "width": width, "dash": dash},
        hoverinfo="skip",
        name=name,
        showlegend=False,
    )


@dataclass(frozen=True)
class FrameShapes:
    """One extent fitted into one map box: the pixel frame and every town's largest part and pole in pixels."""

    frame: PixelFrame
    shapes: dict[int, shapely.Geometry]  # TOWN_ID -> the simplified town's largest part, in pixels
    poles: dict[int, tuple[float, float]]  # TOWN_ID -> its pole of inaccessibility, in pixels
    shown: frozenset[int]  # the towns with a part inside the frame


@per_model
def _full_shapes(model: Model) -> dict[int, shapely.Geometry]:
    """Each town's full-resolution boundary (as read from the boundary file), by TOWN_ID."""
    return {int(t): g for t, g in zip(model.geometry["TOWN_ID"], model.geometry.geometry)}


@per_model
def _simple_shapes(model: Model) -> dict[int, shapely.Geometry]:
    """Each town's simplified boundary, as the map draws it."""
    features = model.map.towns_geojson["features"]
    shapes = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    return {int(f["id"]): shapes[i] for i, f in enumerate(features)}


@per_model_and(16)
def frame_shapes(model: Model, key: tuple[str, tuple[int, int]]) -> FrameShapes:
    """The towns in pixels for an (extent, map box): made once per model and key, shared by every view."""
    extent, box = key
    frame = fit_frame(ConicConformal(PARALLELS, CENTRAL_LON), geo_ranges(model, extent), box)
    shapes, poles, shown = {}, {}, set()
    window = shapely.box(*frame.window)
    for town_id, shape in _simple_shapes(model).items():
        px = shapely.transform(shape, frame.to_px)
        part = largest_part(px)
        shapes[town_id] = part
        x, y = shapely.get_coordinates(shapely.maximum_inscribed_circle(part, 0.5))[0]
        poles[town_id] = (float(x), float(y))
        if px.intersects(window):
            shown.add(town_id)
    return FrameShapes(frame, shapes, poles, frozenset(shown))


@per_model_and(2048)
def marker_places(model: Model, key: tuple[str, tuple[int, int], int, int]) -> tuple[tuple[float, float], ...]:
    """Where k markers of one town stand at an (extent, map box): (lon, lat) each, inside the town.

    Inside the town as drawn and as the boundary file has it, MARKER_MARGIN pixels from its edge and
    MARKER_SPACING apart, nearest its pole of inaccessibility; a town too small for that at this scale gets them
    tightened toward its pole (still inside it, overlapping). Made once per model and key, never per callback.
    """
    extent, box, town_id, k = key
    frame = frame_shapes(model, (extent, box)).frame
    full = _full_shapes(model)[town_id]
    drawn = shapely.intersection(full, _simple_shapes(model)[town_id])
    shape = largest_part(shapely.transform(drawn if not drawn.is_empty else full, frame.to_px))
    points, _fits = spread(shape, k, MARKER_SPACING, MARKER_MARGIN)
    lonlat = np.round(frame.to_lonlat(points), 5)
    inside = shapely.contains_xy(full, lonlat[:, 0], lonlat[:, 1])
    if not inside.all():  # rounding on a sliver of a town: its pole in degrees is inside by construction
        x, y = shapely.get_coordinates(shapely.maximum_inscribed_circle(largest_part(full), 1e-5))[0]
        lonlat[~inside] = (round(float(x), 5), round(float(y), 5))
    return tuple((float(x), float(y)) for x, y in lonlat)


def _record_line(rec: dict) -> str:
    parts = {
        "title": escape(rec["record_title"]),
        "documents": documents_text(rec["documents"]),
        "date": escape(date_text(rec["requested"])),
    }
    if rec["named_in"] == "title":
        # Translators: {named_only} is "named only in the record's title".
        return _("{title}: {documents}, requested {date} (the vendor is {named_only})").format(
            **parts, named_only=w.TITLE_ONLY
        )
    # Translators: a record in a marker's hover: its title, its documents and when it was requested.
    return _("{title}: {documents}, requested {date}").format(**parts)


def _none_returned(records: list[RecordFacts]) -> bool:
    return all(not r.documents for r in records)  # None (not stated) or 0


@dataclass(frozen=True)
class OverlayFacts:
    """What the overlays write that no view changes, made once per model (read-only)."""

    record_lines: tuple[str, ...]  # per vendor record, in facts(model).records order: its line in a hover
    agency_lines: dict[str, str]  # per agency: its line in a headquarters star's hover (name and reach)
    agency_hq: dict[str, int | None]  # per agency: the town its offices stand in, where known
    zero_texts: dict[int, str]  # per such town: the hover of its 0-document mark
    policy_towns: tuple[tuple[tuple[str, int], ...], ...]  # per outlined policy kind: (start month, town) of events


def _agency_line(name: str, reach: str, county: object) -> str:
    return f"{escape(name)} ({escape(w.reach_label(reach, county).lower())})"


def overlay_facts(model: Model) -> OverlayFacts:
    """The overlays' per-model texts (in the language in use) and lookups: built on first use, then shared."""
    return _overlay_facts(model, language.current().code)


@per_model_and(8)
def _overlay_facts(model: Model, _code: str) -> OverlayFacts:
    # Keyed by the language: the texts are made once per model and language.
    towns, agencies, events = model.towns, model.agencies, model.events
    zero = towns["clearview_documents"].eq(0).fillna(False).to_numpy(dtype=bool)
    labels = model.catalog.labels
    located = events.dropna(subset=["town_id"])
    return OverlayFacts(
        record_lines=tuple(_record_line(rec) for rec in model.vendor_records.to_dict("records")),
        agency_lines={
            str(a): _agency_line(str(n), str(r), c)
            for a, n, r, c in zip(agencies.index, agencies["name"], agencies["reach"], agencies["county"])
        },
        agency_hq={str(a): None if pd.isna(t) else int(t) for a, t in agencies["hq_town_id"].items()},
        zero_texts={
            int(t): _("{town}: listed under {label}, but its Clearview record holds 0 documents").format(
                town=f"<b>{escape(name)}</b>", label=_(labels[status])
            )
            for t, name, status in zip(towns.index[zero], towns["town"][zero], towns["clearview_status"][zero])
        },
        policy_towns=tuple(
            tuple(
                (s, int(t))
                for s, t, k in zip(located["start"], located["town_id"], located["kind"])
                if k == kind.id and isinstance(s, str)  # an event with no start is never in force
            )
            for kind in outlined_policy_kinds(model)
        ),
    )


def overlay_traces(
    model: Model, state: ViewState, *, box: tuple[int, int] = MAP_BOX, label_size: float = LABEL_SIZE
) -> list[dict]:
    """Every trace after the choropleth (data[1:]), always the same number and order (empty when off).

    `box` is the map's size in pixels, for which markers are spread and names placed; `label_size` the names' size.
    """
    f, o, shown = facts(model), overlay_facts(model), view_facts(model, state)
    town_names = f.town_names
    municipal: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))  # vendor: town: records
    at_hq: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))  # town: agency: records
    reaches: set[str] = set()
    counties: set[int] = set()
    # Records by their position in facts(model).records, which is also that of their hover line.
    for i in shown.kept:
        rec = f.records[i]
        if rec.town_id is not None:
            municipal[rec.vendor][rec.town_id].append(i)
            continue
        agency = str(rec.agency_id)  # a record is either a town's or an agency's
        reach, fips = f.agency_reach[agency], f.agency_fips[agency]
        # Reach is drawn only for records that hold documents: a 0-document request shows nothing but its star.
        if rec.documents:
            reaches.add(reach)
            if reach == "county" and fips is not None:  # (the model refuses a county agency without its county)
                counties.add(fips)
        hq = o.agency_hq[agency]
        if hq is not None:
            at_hq[hq][agency].append(i)
    zero = list(shown.zero_towns)

    # Who stands in each town: the 0-document mark, vendors of its own agencies, then one headquarters star.
    slots: dict[int, list[str]] = defaultdict(list)
    for town_id in zero:
        slots[town_id].append("ZERO")
    for vendor in model.catalog.vendor_names:
        for town_id in sorted(municipal.get(vendor, {})):
            slots[town_id].append(vendor)
    for hq in sorted(at_hq):
        slots[hq].append("HQ")
    spots = {t: marker_places(model, (state.extent, box, t, len(ws))) for t, ws in slots.items()}
    place = {(t, who): spots[t][i] for t, ws in slots.items() for i, who in enumerate(ws)}

    traces: list[dict] = [{}] * FIRST_VENDOR  # [CHOROPLETH] is a placeholder, dropped on return
    county_lons: list = []
    county_lats: list = []
    for fips in sorted(counties):
        lons, lats = model.map.county_outlines[fips]
        county_lons += lons
        county_lats += lats
    traces[COUNTIES] = _line(county_lons, county_lats, COUNTY_COLOR, 2.2, "county reach", dash=COUNTY_DASH)
    # The state and UASI outlines never change shape: they keep their coordinates and are switched by
    # `visible`, so a filter change patches one flag instead of resending thousands of points.
    traces[STATE] = _line(*model.map.state_outline, STATE_COLOR, 2.0, "statewide reach", dash=STATE_DASH)
    traces[STATE]["visible"] = "state" in reaches
    # Every line differs from every other in color, dash and grayscale (views/styles.py, data/policy_kinds.csv).
    traces[UASI] = _line(*model.map.uasi_outline, UASI_COLOR, 2.4, "Metro Boston UASI region", dash=UASI_DASH)
    traces[UASI]["visible"] = state.uasi
    traces[UASI_LABEL] = _scattergeo(
        visible=state.uasi,
        lon=[model.map.uasi_label[0]],
        lat=[model.map.uasi_label[1]],
        mode="text",
        # Translators: the region's name written on the map in two lines, split at <br>.
        text=[_("Metro Boston<br>UASI region")],
        textposition="middle right",
        textfont={"color": UASI_COLOR, "size": 13, "family": "system-ui, sans-serif"},
        hoverinfo="skip",
        showlegend=False,
        name="UASI label",
    )

    hq_points, hq_text, hq_open, hq_ids = [], [], [], []
    for hq, by_agency in sorted(at_hq.items()):
        lines = [
            # Translators: the first line of a star's hover; keep <b>…</b> around the words in bold.
            _("<b>Agency offices in {town}</b> (a place not stated on the records page)").format(
                town=escape(town_names[hq])
            )
        ]
        for agency_id, rows in by_agency.items():
            lines.append(o.agency_lines[agency_id])
            lines += [f"  {escape(f.records[i].vendor)}: {o.record_lines[i]}" for i in rows]
        hq_points.append(place[(hq, "HQ")])
        hq_text.append("<br>".join(lines))
        hq_open.append(_none_returned([f.records[i] for rows in by_agency.values() for i in rows]))
        hq_ids.append(hq)
    traces[HQ] = _scattergeo(
        lon=[p[0] for p in hq_points],
        lat=[p[1] for p in hq_points],
        mode="markers",
        marker={
            "symbol": ["star-open" if o else "star" for o in hq_open],
            "size": 19,
            # White with a dark edge shows on the darkest and the palest class; an open star is drawn in its color.
            "color": [HQ_COLOR if o else HQ_FILL for o in hq_open],
            "line": {"color": HQ_COLOR, "width": 1.6},
        },
        customdata=hq_ids,  # a click on a star selects the town it stands in
        hovertext=hq_text,
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
        name="agency offices",
    )
    traces[ZERO] = _scattergeo(
        lon=[place[(t, "ZERO")][0] for t in zero],
        lat=[place[(t, "ZERO")][1] for t in zero],
        mode="markers+text",
        text=[ZERO_MARK] * len(zero),
        textposition="middle center",
        textfont={"color": HQ_COLOR, "size": 11, "family": "system-ui, sans-serif"},
        marker={"symbol": "circle", "size": 17, "color": HQ_FILL, "line": {"color": HQ_COLOR, "width": 1.6}},
        customdata=zero,
        hovertext=[o.zero_texts[t] for t in zero],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
        name="record with 0 documents",
    )

    for style in model.catalog.vendors:
        vendor, symbol = style.name, style.symbol
        points, texts, symbols, ids = [], [], [], []
        for town_id, rows in sorted(municipal.get(vendor, {}).items()):
            ids.append(town_id)
            points.append(place[(town_id, vendor)])
            # Translators: the first line of a vendor marker's hover: "Briefcam: records at Boston".
            header = _("{vendor}: records at {town}").format(
                vendor=f"<b>{escape(vendor)}</b>", town=escape(town_names[town_id])
            )
            texts.append("<br>".join([header, *(o.record_lines[i] for i in rows)]))
            symbols.append(f"{symbol}-open" if _none_returned([f.records[i] for i in rows]) else symbol)
        traces.append(
            _scattergeo(
                lon=[p[0] for p in points],
                lat=[p[1] for p in points],
                mode="markers",
                marker={
                    "symbol": symbols,
                    "size": 14,
                    "color": style.color,
                    "line": {"color": "#111111", "width": 1.2},
                },
                customdata=ids,  # a click on a marker selects its town
                hovertext=texts,
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
                name=vendor,
            )
        )
    traces += policy_traces(model, state)
    # Last, so that no marker hides the selected town's outline.
    lons, lats = model.map.town_outlines[state.town] if state.town in model.map.town_outlines else ([], [])
    traces.append(_line(lons, lats, SELECTED_COLOR, 3.5, "selected town", dash=SELECTED_DASH))
    traces.append(_names(model, state, slots, spots, box, label_size))
    return traces[1:]


#: Marker radii in pixels by who stands there, for keeping names off them.
_RADIUS = {"ZERO": 9.0, "HQ": 10.0}
_VENDOR_RADIUS = 7.5


def named_towns(
    model: Model, state: ViewState, marked: Collection[int], box: tuple[int, int] = MAP_BOX
) -> list[tuple[int, bool]]:
    """The towns a view would name, by priority: the selected town, towns with markers or a policy in force, then at
    Metro zoom the region's towns and the others in the frame (each tier by population). (town, must) pairs."""
    population = model.towns["population_2010"]
    order: list[tuple[int, bool]] = []
    if state.town is not None and state.town in model.towns.index:
        order.append((state.town, True))
    policy: set[int] = set()
    if state.policy:
        for events in overlay_facts(model).policy_towns:
            policy |= {t for start, t in events if start <= state.as_of}
    tiers = [set(marked) | policy]
    if state.extent == "metro":
        region = {int(t) for t in model.towns.index[model.towns["uasi_region"]]}
        tiers += [region, set(frame_shapes(model, (state.extent, box)).shown) - region]
    seen = {t for t, _ in order}
    for tier in tiers:
        for town_id in sorted(tier - seen, key=lambda t: -int(population[t])):
            order.append((town_id, False))
            seen.add(town_id)
    return order


def _names(
    model: Model,
    state: ViewState,
    slots: dict[int, list[str]],
    spots: dict[int, tuple[tuple[float, float], ...]],
    box: tuple[int, int],
    size: float,
) -> dict:
    """The towns' names as one text trace, placed greedily without covering each other, a marker or the region's
    label (the names are the boundary file's, as the model reads them)."""
    shapes = frame_shapes(model, (state.extent, box))
    frame = shapes.frame
    marks: list[tuple[float, float, float]] = []
    own: dict[int, list[tuple[float, float]]] = {}
    for town_id, who in slots.items():
        px = frame.to_px(np.array(spots[town_id]))
        own[town_id] = [(float(x), float(y)) for x, y in px]
        marks += [(float(x), float(y), _RADIUS.get(w_, _VENDOR_RADIUS)) for (x, y), w_ in zip(px, who)]
    avoid = []
    if state.uasi:  # the region's own two-line label, written to the right of its point
        x, y = frame.to_px(np.array([model.map.uasi_label]))[0]
        avoid.append((float(x), float(y) - 17.0, float(x) + 100.0, float(y) + 17.0))
    names = model.towns["town"]
    wanted = [
        Wanted(t, str(names[t]), shapes.shapes[t], shapes.poles[t], tuple(own.get(t, ())), must)
        for t, must in named_towns(model, state, slots, box)
        if t in shapes.shown
    ]
    placed = place_labels(wanted, size, marks, avoid, frame.window)
    keys = [item.key for item in wanted if item.key in placed]
    # Near the map's sides a name grows inward from its box's outer edge: the browser's map may be drawn at another
    # scale than the box it was placed for, and a centred name there would be cut at the map's edge.
    left, _, right, _ = frame.window
    quarter = (right - left) / 4
    points, positions = [], []
    for k in keys:
        x, y = placed[k]
        box_left, _, box_right, _ = text_box((x, y), str(names[k]), size)
        if x < left + quarter:
            points.append((box_left, y))
            positions.append("middle right")
        elif x > right - quarter:
            points.append((box_right, y))
            positions.append("middle left")
        else:
            points.append((x, y))
            positions.append("middle center")
    lonlat = frame.to_lonlat(np.array(points)) if keys else np.zeros((0, 2))
    return _scattergeo(
        lon=[round(float(x), 5) for x in lonlat[:, 0]],
        lat=[round(float(y), 5) for y in lonlat[:, 1]],
        mode="text",
        text=[str(names[k]) for k in keys],
        customdata=keys,
        textposition=positions,
        textfont={"color": LABEL_COLOR, "size": size, "family": "system-ui, sans-serif", "shadow": LABEL_HALO},
        hoverinfo="skip",
        showlegend=False,
        name="town names",
    )


def outlined_policy_kinds(model: Model) -> list[PolicyKind]:
    """The policy kinds the map outlines on a town (not the state law, which applies to every town)."""
    return [k for k in model.catalog.policy_kinds if k.scope == "municipal"]


_DASH = {"solid": "solid", "dash": "dash", "dot": "dot"}


def policy_traces(model: Model, state: ViewState) -> list[dict]:
    """One outline trace per municipal policy kind: the towns with such a policy (empty when the layer is off)."""
    traces = []
    for kind, events in zip(outlined_policy_kinds(model), overlay_facts(model).policy_towns):
        lons: list = []
        lats: list = []
        if state.policy:
            for town_id in sorted({town_id for start, town_id in events if start <= state.as_of}):
                x, y = model.map.town_outlines[town_id]
                lons += x
                lats += y
        # Solid, dashed, dotted: the kinds differ in grayscale too, and an outline leaves the class fill visible.
        traces.append(_line(lons, lats, kind.color, 3.0 if kind.line == "solid" else 2.6, kind.label, _DASH[kind.line]))
    return traces


def selected_position(model: Model) -> int:
    """The figure's position of the selected town's outline: after every vendor's markers and policy outline."""
    return FIRST_VENDOR + len(model.catalog.vendors) + len(outlined_policy_kinds(model))


def names_position(model: Model) -> int:
    """The figure's position of the towns' names: last, over every line and marker."""
    return selected_position(model) + 1


#: Margin around the Metro Boston region when the map is zoomed to it, in degrees.
METRO_MARGIN = 0.06
METRO_ASPECT = 1.9


def geo_ranges(model: Model, extent: str) -> dict[str, dict]:
    """What the map frames: the whole state, or the Metro Boston UASI region (ranges and their center)."""
    if extent == "metro":
        lons = [x for x in model.map.uasi_outline[0] if x is not None]
        lats = [y for y in model.map.uasi_outline[1] if y is not None]
        lat = [min(lats) - METRO_MARGIN, max(lats) + METRO_MARGIN]
        # As wide as a landscape map box (about 1.9:1 on screen), with room east of the region for its label.
        half = METRO_ASPECT * (lat[1] - lat[0]) / math.cos(math.radians(sum(lat) / 2)) / 2
        middle = (min(lons) + max(lons)) / 2 + METRO_MARGIN
        lon = [middle - half, middle + half]
    else:
        lon, lat = list(LON_RANGE), list(LAT_RANGE)
    # Under a conic projection plotly frames the ranges around `center`: both must move together.
    return {
        "lonaxis": {"range": lon},
        "lataxis": {"range": lat},
        "center": {"lon": round((lon[0] + lon[1]) / 2, 4), "lat": round((lat[0] + lat[1]) / 2, 4)},
    }


def choropleth_z(model: Model, state: ViewState) -> list[int]:
    """The integer class code of each town, in model order."""
    return view_facts(model, state).codes.tolist()


def build_figure(
    model: Model, state: ViewState, *, box: tuple[int, int] = MAP_BOX, label_size: float = LABEL_SIZE
) -> go.Figure:
    """The whole map for a view state (sent once per page load; later changes are patches).

    `box`: the map's size in pixels where it is drawn (markers spread and names placed for it; a slide gives its
    own); `label_size`: the towns' names in pixels.
    """
    choropleth = go.Choropleth(
        geojson=model.map.towns_geojson,
        locations=model.towns.index.tolist(),
        z=choropleth_z(model, state),
        zmin=-0.5,
        zmax=model.catalog.not_asked_code + 0.5,
        colorscale=_colorscale(model.catalog),
        showscale=False,
        marker={"line": {"color": "#8c8c8c", "width": 0.4}},
        hovertext=list(town_hover(model, state.as_of)),
        hovertemplate="%{hovertext}<extra></extra>",
        name="municipalities",
    )
    figure = go.Figure([choropleth, *overlay_traces(model, state, box=box, label_size=label_size)])
    # Explicit view: plotly's fitbounds mis-fits clockwise GeoJSON rings under a conic projection.
    figure.update_geos(
        visible=False,
        projection={"type": "conic conformal", "parallels": list(PARALLELS), "rotation": {"lon": CENTRAL_LON}},
        **geo_ranges(model, state.extent),
        bgcolor="rgba(0,0,0,0)",
    )
    figure.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="rgba(0,0,0,0)",
        hoverlabel={"bgcolor": "#ffffff", "font": {"size": 13, "family": "system-ui, sans-serif"}, "align": "left"},
        dragmode=False,
        uirevision="map",
    )
    return figure
