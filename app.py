"""Start the dashboard: `python app.py [--boundaries FILE]`; servers import `server` (`gunicorn app:server`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dashboard.config import ENV_BOUNDARIES, Config, load_config
from dashboard.data.errors import DataError

if TYPE_CHECKING:
    import dash

    from dashboard.data.model import Model


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The options of `python app.py`; the host, port and debug mode come from the environment."""
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="Start the dashboard's development server. Environment: HOST (default 127.0.0.1), "
        "PORT (default 8050), DASH_DEBUG=1 for Dash debug mode (never on a public server).",
    )
    parser.add_argument(
        "--boundaries",
        metavar="FILE",
        help=f"municipal boundary GeoJSON (default: ${ENV_BOUNDARIES} or the shipped geodata/ma_towns.geojson)",
    )
    return parser.parse_args(argv)


def start(boundaries: str | None = None) -> tuple[Config, Model, dash.Dash]:
    """Build the model and the app; a data problem prints `error: ...` and exits 2, never a traceback."""
    # Imported here so that `--help` answers at once, before Dash and geopandas load.
    from dashboard.data.model import build_model
    from dashboard.server import create_app

    try:
        config = load_config(boundaries=boundaries)
        model = build_model(config)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    return (
        config,
        model,
        create_app(model, frame_ancestors=config.frame_ancestors, data_dir=config.data_dir, cache_dir=config.cache_dir),
    )


# Options are read only when run as a script: gunicorn's own argv is not ours to parse.
_args = parse_args() if __name__ == "__main__" else argparse.Namespace(boundaries=None)
config, model, app = start(_args.boundaries)
server = app.server

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8050")),
        debug=os.environ.get("DASH_DEBUG") == "1",
    )
