"""The view in words: the caption the page shows in presentation mode and the slides print under their title."""

from __future__ import annotations

from dashboard.data.coverage import data_dates
from dashboard.data.model import Model
from dashboard.state.view import ViewState, default_view
from dashboard.views import wording
from dashboard.views.words import date_text


def filters_in_words(model: Model, state: ViewState) -> str:
    """The active filters as one sentence of plain words."""
    default = default_view(model.catalog)
    labels = model.catalog.labels
    parts = []
    if state.classes == default.classes:
        parts.append("all Clearview classes")
    elif state.classes:
        parts.append("Clearview classes: " + ", ".join(labels[c].lower() for c in state.classes))
    else:
        parts.append("no Clearview class")
    if state.waves != default.waves:
        parts.append("request wave: " + (" and ".join(model.catalog.wave_labels[w] for w in state.waves) or "none"))
    parts.append("vendor records: " + (", ".join(state.vendors) or "none"))
    if state.extent == "metro":
        parts.append("map of the Metro Boston region")
    if state.town is not None:
        parts.append(f"highlighted: {model.towns.loc[state.town, 'town']}")
    elif state.agency is not None:
        parts.append(f"chosen: {model.agencies.loc[state.agency, 'name']}")
    return f"As of {date_text(state.as_of)}: " + "; ".join(parts) + "."


def dates_sentence(model: Model) -> str:
    """The data's own dates in words: the years filed, the index's date, the last policy decision."""
    d = data_dates(model)
    return wording.data_dates(d.first_year, d.last_year, d.index_dated, d.last_decision)
