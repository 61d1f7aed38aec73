"""HTML attributes that Dash takes as keyword arguments but Python names cannot spell (aria-*, data-*)."""

from __future__ import annotations

from typing import Any


def attrs(**names: str) -> dict[str, Any]:
    """`attrs(aria_live="polite")` is `{"aria-live": "polite"}`: underscores become dashes."""
    return {name.replace("_", "-"): value for name, value in names.items()}
