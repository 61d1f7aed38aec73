"""Paths and settings: defaults, overridden by environment variables or command-line options."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent

#: Environment variables a deployment can set.
ENV_BOUNDARIES = "MA_TOWNS_GEOJSON"
ENV_DATA_DIR = "DASHBOARD_DATA_DIR"
ENV_CACHE_DIR = "DASHBOARD_CACHE_DIR"
ENV_FRAME_ANCESTORS = "DASHBOARD_FRAME_ANCESTORS"

DEFAULT_BOUNDARIES = REPO_DIR.parent / "shared" / "geodata" / "ma_towns.geojson"
DEFAULT_DATA_DIR = REPO_DIR / "data"
DEFAULT_CACHE_DIR = REPO_DIR / "geodata" / "cache"

BOUNDARY_HELP = (
    "The boundaries are the MassGIS layer 'Municipalities' (TOWNSSURVEY_POLYM), free public data "
    "of the Commonwealth of Massachusetts: download it from MassGIS (search 'MassGIS "
    "Municipalities'), convert it to GeoJSON in longitude/latitude (for example "
    "`ogr2ogr -t_srs EPSG:4326 ma_towns.geojson TOWNSSURVEY_POLYM.shp`), and point the dashboard "
    f"at it with the environment variable {ENV_BOUNDARIES}=/path/to/ma_towns.geojson or the "
    "option --boundaries /path/to/ma_towns.geojson. The file must hold the 351 towns with the "
    "fields TOWN, TOWN_ID, FIPS_STCO and POP2010."
)


@dataclass(frozen=True)
class Config:
    """Where the dashboard reads its inputs and keeps its caches."""

    data_dir: Path
    boundaries: Path
    cache_dir: Path
    frame_ancestors: str = ""  # origins allowed to embed the page in an iframe; empty: none


def load_config(boundaries: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Build the configuration: an explicit argument beats the environment, which beats defaults."""
    env = os.environ if env is None else env
    return Config(
        data_dir=Path(env.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR),
        boundaries=Path(boundaries or env.get(ENV_BOUNDARIES) or DEFAULT_BOUNDARIES),
        cache_dir=Path(env.get(ENV_CACHE_DIR) or DEFAULT_CACHE_DIR),
        frame_ancestors=env.get(ENV_FRAME_ANCESTORS, ""),
    )
