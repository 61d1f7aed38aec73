"""The view in words: the caption the page shows in presentation mode and the slides print under their title."""

from __future__ import annotations

from dashboard.data.coverage import data_dates
from dashboard.data.model import Model
from dashboard.language import _
from dashboard.state.view import ViewState, default_view
from dashboard.views import wording
from dashboard.views.words import date_text, join_names


def filters_in_words(model: Model, state: ViewState) -> str:
    """The active filters as one sentence of plain words, in the language in use."""
    default = default_view(model.catalog)
    labels = model.catalog.labels
    parts = []
    if state.classes == default.classes:
        parts.append(_("all Clearview classes"))
    elif state.classes:
        classes = ", ".join(_(labels[c]).lower() for c in state.classes)
        parts.append(_("Clearview classes: {classes}").format(classes=classes))
    else:
        parts.append(_("no Clearview class"))
    if state.waves != default.waves:
        waves = join_names([_(model.catalog.wave_labels[w]) for w in state.waves])
        # Translators: {waves} are months, or "none".
        parts.append(_("request wave: {waves}").format(waves=waves or _("none")))
    # Translators: {vendors} are vendors' names, or "none".
    parts.append(_("vendor records: {vendors}").format(vendors=", ".join(state.vendors) or _("none")))
    if state.extent == "metro":
        parts.append(_("map of the Metro Boston region"))
    if state.town is not None:
        # Translators: the town the map highlights.
        parts.append(_("highlighted: {town}").format(town=model.towns.loc[state.town, "town"]))
    elif state.agency is not None:
        # Translators: the agency chosen on the map.
        parts.append(_("chosen: {agency}").format(agency=model.agencies.loc[state.agency, "name"]))
    return _("As of {date}: {filters}.").format(date=date_text(state.as_of), filters="; ".join(parts))


def dates_sentence(model: Model) -> str:
    """The data's own dates in words: the years filed, the index's date, the last policy decision."""
    d = data_dates(model)
    return wording.data_dates(d.first_year, d.last_year, d.index_dated, d.last_decision)
