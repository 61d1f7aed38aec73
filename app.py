"""Start the dashboard: `python app.py`; production servers import `server` (e.g. `gunicorn app:server`)."""

from __future__ import annotations

import os
import sys

from dashboard.app import create_app
from dashboard.config import load_config
from dashboard.errors import DataError
from dashboard.model import build_model

config = load_config()
try:
    model = build_model(config)
except DataError as error:
    sys.exit(f"error: {error}")

app = create_app(model, frame_ancestors=config.frame_ancestors)
server = app.server

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8050")),
        debug=os.environ.get("DASH_DEBUG") == "1",
    )
