"""Callbacks, registered on an app by `register(app, model)`; they read the model and never change it."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, Patch, ctx, no_update

from dashboard import ids
from dashboard.figure import choropleth_z, overlay_traces
from dashboard.filters import ViewState
from dashboard.model import Model
from dashboard.panels import legend, overlay_keys, reach, totals, town_panel
from dashboard.schema import CLEARVIEW_STATUSES
from dashboard.styles import VENDOR_STYLE, WAVES
from dashboard.urlstate import parse_query, to_query

CONTROLS = [
    (ids.CLASSES, "value"),
    (ids.WAVES, "value"),
    (ids.YEARS, "value"),
    (ids.VENDORS, "value"),
    (ids.LAYERS, "value"),
    (ids.TOWN_SEARCH, "value"),
]


def state_from_controls(
    classes: Any, waves: Any, years: Any, vendors: Any, layers: Any, town: Any, town_ids: set[int]
) -> ViewState:
    """A view state from control values, ignoring anything the controls could not have sent."""

    def pick(values: Any, order: tuple[str, ...]) -> tuple[str, ...]:
        chosen = set(values) if isinstance(values, list) else set()
        return tuple(v for v in order if v in chosen)

    default = ViewState()
    span = default.years
    if isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years):
        low, high = sorted(years)
        span = (max(low, default.years[0]), min(high, default.years[1]))
    return ViewState(
        classes=pick(classes, CLEARVIEW_STATUSES),
        waves=pick(waves, tuple(WAVES)),
        years=span,
        vendors=pick(vendors, tuple(VENDOR_STYLE)),
        uasi=isinstance(layers, list) and "uasi" in layers,
        town=town if isinstance(town, int) and town in town_ids else None,
    )


def register(app: dash.Dash, model: Model) -> None:
    """Attach the URL sync, map rendering and town selection callbacks to the app."""
    town_ids = set(int(t) for t in model.towns.index)

    @app.callback(
        Output(ids.URL, "search"),
        *[Output(cid, prop) for cid, prop in CONTROLS],
        Input(ids.URL, "search"),
        *[Input(cid, prop) for cid, prop in CONTROLS],
    )
    def sync_url(search: Any, *values: Any) -> tuple:
        """The URL and the controls follow each other: opening a link restores its view."""
        if ctx.triggered_id in (None, ids.URL):
            state = parse_query(search, town_ids)
            canonical = to_query(state)
            return (
                canonical if canonical != (search or "") else no_update,
                list(state.classes),
                list(state.waves),
                list(state.years),
                list(state.vendors),
                ["uasi"] if state.uasi else [],
                state.town,
            )
        state = state_from_controls(*values, town_ids=town_ids)
        query = to_query(state)
        return (query if query != (search or "") else no_update, *([no_update] * len(CONTROLS)))

    @app.callback(
        Output(ids.MAP, "figure"),
        Output(ids.LEGEND, "children"),
        Output(ids.KEYS, "children"),
        Output(ids.TOTALS, "children"),
        Output(ids.REACH, "children"),
        Output(ids.PANEL, "children"),
        *[Input(cid, prop) for cid, prop in CONTROLS],
    )
    def render(*values: Any) -> tuple:
        """Patch the map's colours and overlays (never its geometry) and rebuild the text around it."""
        state = state_from_controls(*values, town_ids=town_ids)
        figure = Patch()
        figure["data"][0]["z"] = choropleth_z(model, state)
        for position, trace in enumerate(overlay_traces(model, state), start=1):
            figure["data"][position] = trace
        return (
            figure,
            legend(model, state),
            overlay_keys(model, state),
            totals(model, state),
            reach(model, state),
            town_panel(model, state.town, state),
        )

    @app.callback(
        Output(ids.TOWN_SEARCH, "value", allow_duplicate=True),
        Input(ids.MAP, "clickData"),
        prevent_initial_call=True,
    )
    def select_clicked_town(click: Any) -> Any:
        """Clicking a town, or a marker inside it, selects that town."""
        try:
            point = click["points"][0]
            town = point.get("location", point.get("customdata"))
            town = int(town)
        except (TypeError, KeyError, IndexError, ValueError):
            return no_update
        return town if town in town_ids else no_update
