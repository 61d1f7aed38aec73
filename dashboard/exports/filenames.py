"""File names that say what an image shows: one rule for every download link and Content-Disposition.

`ma-surveillance-<what>-<where>-<when>-<size>.<format>`: what (the classes and vendors shown when they differ from
the default view), where (the town or agency chosen, `metro` for the Metro Boston map), when (the month, or the
months of a before/after slide joined by `-vs-`); e.g. `ma-surveillance-clearview-metro-2020-06-wide.png`. An image
worded in another language than English ends its name with the language's code (`…-2020-06-es-wide.png`): the
name's words stay English, as every file name does.
"""

from __future__ import annotations

import re

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.model import Model
from dashboard.state.view import ViewState, default_view

PREFIX = "ma-surveillance"
MAX_NAME = 120  # characters before the size and format: a file name stays short
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def image_filename(name: str, size: str, fmt: str) -> str:
    """A file name from a name already chosen (a named view of `python -m dashboard render`)."""
    return f"{PREFIX}-{name}-{size}.{fmt}"


def view_name(model: Model, state: ViewState) -> str:
    """What a view shows, as a file name's words: e.g. 'use-clearview-metro-2020-06', 'all-vendors-boston-2021-12'."""
    catalog = model.catalog
    default = default_view(catalog)
    parts: list[str] = []
    if state.classes != default.classes:
        slugs = {c.id: c.slug for c in catalog.classes}
        parts.append("-".join(slugs[c] for c in state.classes) or "no-classes")
    if state.vendors != default.vendors:
        slugs = {v.name: v.slug for v in catalog.vendors}
        if set(state.vendors) == set(catalog.vendor_names):
            parts.append("all-vendors")
        else:
            parts.append("-".join(slugs[v] for v in state.vendors) or "no-vendors")
    if not parts:
        parts.append("vendors")
    if state.waves != default.waves:
        parts.append("wave-" + "-".join(w.slug for w in catalog.waves if w.month in state.waves))
    if state.town is not None:
        parts.append(_slug(str(model.towns.loc[state.town, "town"])))
    elif state.agency is not None:
        parts.append(_slug(state.agency))
    if state.extent != default.extent:
        parts.append(state.extent)
    if not state.policy:
        parts.append("no-policy")
    parts.append("-vs-".join([*state.compare, state.as_of]))
    return _with_language("-".join(parts)[:MAX_NAME].strip("-"), state.lang)


def _with_language(name: str, lang: str) -> str:
    """A name with the code of the language the image is worded in, unless English."""
    return name if lang == SOURCE_LANGUAGE else f"{name}-{lang}"


def view_filename(model: Model, state: ViewState, size: str, fmt: str) -> str:
    """The file name of a view's image: what it shows, its size and format."""
    return image_filename(view_name(model, state), size, fmt)


def compare_filename(
    model: Model, town_ids: tuple[int, ...], fmt: str, size: str = "wide", lang: str | None = None
) -> str:
    """The file name of a compare slide: its towns in order, its month and its language (by default the one in use)."""
    towns = "-".join(_slug(str(model.towns.loc[t, "town"])) for t in town_ids)
    code = language.current().code if lang is None else lang
    return image_filename(_with_language(f"compare-{towns}-{model.catalog.months[-1]}"[:MAX_NAME], code), size, fmt)
