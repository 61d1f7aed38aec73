"""The page's own copy of plotly.js: the geo bundle of the very version plotly.py speaks, with its license."""

from __future__ import annotations

import re

from plotly.offline import get_plotlyjs_version

from dashboard.config import ASSETS_DIR

BUNDLE = ASSETS_DIR / "plotly-geo.min.js"


def test_the_geo_bundle_is_the_version_plotly_py_writes_figures_for() -> None:
    header = BUNDLE.read_text(encoding="utf-8")[:300]
    match = re.search(r"plotly\.js \(geo - minified\) v(\d+\.\d+\.\d+)", header)
    assert match, header
    # After upgrading plotly: `npm pack plotly.js-geo-dist-min@<version>` and copy plotly-geo.min.js here.
    assert match.group(1) == get_plotlyjs_version()


def test_the_bundle_ships_with_its_license() -> None:
    license_text = (ASSETS_DIR / "plotly-geo.LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT License" in license_text and "Plotly" in license_text
