"""The view drawn by the server into the first HTML, so the map shows before plotly.js has loaded."""

from __future__ import annotations

from typing import Any

import flask

from dashboard.data.model import Model


def index_hook(model: Model):  # noqa: ANN201 - placeholder, filled in by the first-paint work
    """A page hook that leaves the page as Dash makes it (the first paint is not drawn yet)."""

    def hook(kwargs: dict[str, Any], request: flask.Request) -> dict[str, Any]:
        return kwargs

    return hook
