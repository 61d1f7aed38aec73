"""Server-rendered town and agency pages, the open-data API and its description, sitemap and robots:
`register_site(server, model, dir)`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.wrappers import Response as ResponseBase

from dashboard.data.model import Model
from dashboard.site import routes
from dashboard.site.api_docs import register_api_docs


def register_site(server: Flask, model: Model, data_dir: Path, **options: Any) -> Callable[..., ResponseBase]:
    """routes.register_site (the pages and the API; `options` are its), then the API's description at
    /api/v1/openapi.json and /api/v1/; returns what routes.register_site returns."""
    unknown = routes.register_site(server, model, data_dir, **options)
    register_api_docs(server, model, data_dir, options.get("public_url"))
    return unknown


__all__ = ["register_site"]
