"""The Dash application factory."""

from __future__ import annotations

import dash
from dash import html

from dashboard.model import Model


def create_app(model: Model) -> dash.Dash:
    """Build the Dash app for a model (placeholder page until the map lands)."""
    app = dash.Dash(__name__, title="Surveillance vendor reach in Massachusetts")
    counts = model.towns["clearview_status"].value_counts()
    app.layout = html.Main(
        [
            html.H1("Surveillance vendor reach in Massachusetts"),
            html.Ul([html.Li(f"{k}: {v} municipalities") for k, v in counts.items()]),
        ]
    )
    return app
