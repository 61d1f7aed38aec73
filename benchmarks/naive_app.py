"""The naive baseline for the benchmark: the whole figure, full-resolution geometry, on every change.

Benchmark-only code: one graph and one control, no compression, no patches, no simplification.
"""

from __future__ import annotations

import dataclasses
import json

import dash
import shapely
from dash import Input, Output, dcc, html

from dashboard.config import ASSETS_DIR as ASSETS
from dashboard.config import load_config
from dashboard.data.model import build_model
from dashboard.state.view import default_view, view
from dashboard.views.figure import build_figure


def full_resolution_geojson(model) -> dict:
    """Every vertex of the MassGIS file, rings turned for plotly, default float precision."""
    shapes = shapely.orient_polygons(model.geometry.geometry.to_numpy(), exterior_cw=True)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": int(t), "properties": {}, "geometry": json.loads(shapely.to_geojson(g))}
            for t, g in zip(model.geometry["TOWN_ID"], shapes)
        ],
    }


model = build_model(load_config())
model = dataclasses.replace(model, map=dataclasses.replace(model.map, towns_geojson=full_resolution_geojson(model)))
CLASSES = model.catalog.class_ids
app = dash.Dash(__name__, assets_folder=str(ASSETS))  # the local topojson stub, as ours
app.layout = html.Div(
    [
        dcc.Checklist(id="filter-classes", options=list(CLASSES), value=list(CLASSES)),
        dcc.Graph(
            id="map",
            figure=build_figure(model, default_view(model.catalog)),
            config={"topojsonURL": "/assets/topojson/"},
        ),
    ]
)


@app.callback(Output("map", "figure"), Input("filter-classes", "value"))
def whole_figure(classes):
    return build_figure(model, view(model.catalog, classes=tuple(c for c in CLASSES if c in (classes or []))))


server = app.server
