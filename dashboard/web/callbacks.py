"""Callbacks, registered on an app by `register(app, model)`; they read the model and never change it."""

from __future__ import annotations

import dataclasses
import logging
from functools import lru_cache
from typing import Any

import dash
import pandas as pd
from dash import ALL, ClientsideFunction, Input, Output, Patch, State, ctx, dcc, no_update

from dashboard import language
from dashboard.data.model import Model
from dashboard.exports import tables as export
from dashboard.exports.filenames import view_filename
from dashboard.exports.images import FORMATS, SIZES
from dashboard.exports.render_pool import ImageUnavailable
from dashboard.language import ngettext, number
from dashboard.serving.images import image_pool
from dashboard.state.view import ViewState, choices_of, from_controls, month_index, parse_query, to_query
from dashboard.state.view_facts import view_facts
from dashboard.views.captions import filters_in_words
from dashboard.views.figure import STATIC_TRACES, geo_ranges, overlay_traces, town_hover
from dashboard.views.panels import headline_cards, legend, overlay_keys, policy_line, reach, totals, town_panel
from dashboard.views.records import all_rows, display_records, filter_rows, to_csv
from dashboard.views.time_chart import time_chart, undated
from dashboard.views.timeline import timeline_events
from dashboard.web import ids
from dashboard.web.layout import (
    AGENCY_VALUE,
    language_href,
    layer_values,
    page_class,
    present_href,
    reserved,
    search_value,
)

log = logging.getLogger(__name__)

CONTROLS = [
    (ids.CLASSES, "value"),
    (ids.WAVES, "value"),
    (ids.DATE, "value"),
    (ids.VENDORS, "value"),
    (ids.LAYERS, "value"),
    (ids.TOWN_SEARCH, "value"),
]
#: What a view state changes around the map, in the order render_state returns it.
VIEW_OUTPUTS = [
    (ids.MAP, "figure"),
    (ids.HEADLINE, "children"),
    (ids.LEGEND, "children"),
    (ids.KEYS, "children"),
    (ids.TOTALS, "children"),
    (ids.REACH, "children"),
    (ids.PANEL, "children"),
    (ids.CAPTION, "children"),
    (ids.POLICY_LINE, "children"),
]
#: What only the filters change (not the date), in the order undated_state returns it.
UNDATED_OUTPUTS = [
    (ids.HEADLINE_RESERVE, "children"),
    (ids.POLICY_RESERVE, "children"),
    (ids.TIME_CHART, "children"),
]


def register(app: dash.Dash, model: Model, table_rows: pd.DataFrame | None = None) -> None:
    """Attach the URL sync, map rendering, table, town selection and download callbacks to the app."""
    choices = choices_of(model.catalog, model.towns.index, model.agencies.index)

    def from_values(*values: Any, lang: object, present: bool = False) -> ViewState:
        # The controls do not carry the language: the page's language store does (ids.LANGUAGE).
        return from_controls(*values, choices=choices, present=present, lang=lang, agency_prefix=AGENCY_VALUE)

    rows_all = all_rows(model) if table_rows is None else table_rows
    codes = list(language.languages())
    tags = {spoken.tag: code for code, spoken in language.languages().items()}

    def links(state: ViewState) -> list[str]:
        """The language switch's addresses for a view, in the order of its links."""
        return [language_href(model, state, code) for code in codes]

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.PAGE, "className"),
        Output(ids.PRESENT_LINK, "href"),
        *[Output(ids.language_link(code), "href") for code in codes],
        *[Output(cid, prop) for cid, prop in CONTROLS],
        Input(ids.URL, "search"),
        *[Input(cid, prop) for cid, prop in CONTROLS],
        State(ids.LANGUAGE, "data"),
    )
    def sync_url(search: Any, *inputs: Any) -> tuple:
        """The URL and the controls follow each other: opening a link restores its view (the language links follow
        the view too)."""
        *values, lang = inputs
        if ctx.triggered_id in (None, ids.URL):
            state = parse_query(search, choices)
            canonical = to_query(state, model.catalog)
            return (
                canonical if canonical != (search or "") else no_update,
                page_class(state),
                present_href(model, state),
                *links(state),
                list(state.classes),
                list(state.waves),
                month_index(state, model.catalog),
                list(state.vendors),
                layer_values(state),
                search_value(state),
            )
        state = from_values(*values, lang=lang, present=parse_query(search, choices).present)
        query = to_query(state, model.catalog)
        return (
            query if query != (search or "") else no_update,
            no_update,
            present_href(model, state),
            *links(state),
            *([no_update] * len(CONTROLS)),
        )

    @app.callback(
        Output(ids.LANGUAGE_SUGGESTION, "href"),
        Input(ids.URL, "search"),
        State(ids.LANGUAGE_SUGGESTION, "hrefLang"),
        prevent_initial_call=True,
    )
    def follow_suggestion(search: Any, tag: Any) -> Any:
        """The offer of another language (on pages that have one) links to the view shown, in that language."""
        code = tags.get(tag) if isinstance(tag, str) else None
        if code is None:
            return no_update
        return language_href(model, parse_query(search, choices), code)

    @app.callback(
        *[Output(cid, prop) for cid, prop in VIEW_OUTPUTS],
        *[Output(cid, prop) for cid, prop in UNDATED_OUTPUTS],
        Output(ids.TABLE_ROWS, "data"),
        Output(ids.TABLE_COUNT, "children"),
        *[Input(cid, prop) for cid, prop in CONTROLS],
        Input(ids.TABLE_SEARCH, "value"),
        Input(ids.TABLE_WANTED, "data"),
        State(ids.LANGUAGE, "data"),
    )
    def render(*values: Any) -> tuple:
        """Patch the map's colors and overlays (never its geometry), rebuild the text around it, filter the table.

        One request per change, beside the URL's: the map's outputs are skipped when only the table's search
        changed or the table became wanted, the table's when only the town or a layer did (choosing a town must
        not resend every row). The rows themselves go out only once the table is wanted (its section neared the
        view); until then only their count does.
        """
        *controls, query, wanted, lang = values
        state = from_values(*controls, lang=lang)
        # A link opened sets every control at once: skip a part only when all that changed leaves it alone.
        changed = {key.split(".")[0] for key in ctx.triggered_prop_ids}
        table_only = bool(changed) and changed <= {ids.TABLE_SEARCH, ids.TABLE_WANTED}
        view = (no_update,) * len(VIEW_OUTPUTS) if table_only else render_state(state)
        # The reserved heights and the time chart follow the filters, never the date: playing sends neither.
        if changed & {ids.CLASSES, ids.WAVES, ids.VENDORS}:
            view = (*view, *undated_state(undated(state), state.as_of))
        else:
            view = (*view, *(no_update,) * len(UNDATED_OUTPUTS))
        if changed and changed <= {ids.TOWN_SEARCH, ids.LAYERS}:
            return (*view, no_update, no_update)
        # The table follows the filters only: the town, agency and layers never change its rows.
        table = dataclasses.replace(state, town=None, agency=None, uasi=True, policy=True, extent="state")
        rows, count = table_state(table, query[:200] if isinstance(query, str) else "")
        return (*view, rows if wanted is True else no_update, count)

    # Everything the map callback returns is a pure function of the (hashable) view state: views that
    # people share and revisit are answered from memory.
    # Each cache below is keyed by a view state, which names its language; each answer is worded in it.
    @lru_cache(maxsize=2048)
    def render_state(state: ViewState) -> tuple:
        with language.speaking(state.lang):
            return _render_state(state)

    def _render_state(state: ViewState) -> tuple:
        facts = view_facts(model, state)
        figure = Patch()
        figure["data"][0]["z"] = facts.codes.tolist()
        # The hover says what was known as of the month: its text follows the date, the geometry stays.
        figure["data"][0]["hovertext"] = list(town_hover(model, state.as_of))
        for key, value in geo_ranges(model, state.extent).items():
            figure["layout"]["geo"][key] = value
        traces = overlay_traces(model, state)
        for position, trace in enumerate(traces, start=1):
            if position in STATIC_TRACES:
                figure["data"][position]["visible"] = trace["visible"]
            else:
                figure["data"][position] = trace
        return (
            figure,
            headline_cards(model, facts),
            legend(model, facts),
            overlay_keys(model, facts, traces),
            totals(model, facts),
            reach(model, facts),
            town_panel(model, facts),
            filters_in_words(model, state),
            policy_line(model, facts),
        )

    @lru_cache(maxsize=256)
    def undated_state(base: ViewState, as_of: str) -> tuple:
        with language.speaking(base.lang):
            headlines, lines = reserved(model, base)
            return headlines, lines, time_chart(model, dataclasses.replace(base, as_of=as_of))

    @lru_cache(maxsize=2048)
    def table_state(state: ViewState, query: str) -> tuple:
        with language.speaking(state.lang):
            rows = filter_rows(model, rows_all, state, query)
            # Translators: the records table's count: how many rows the search and filters leave, of all.
            count = ngettext("{count} of {total} row", "{count} of {total} rows", len(rows_all))
            return display_records(rows), count.format(count=number(len(rows)), total=number(len(rows_all)))

    @app.callback(
        Output(ids.TOWN_SEARCH, "value", allow_duplicate=True),
        Input(ids.MAP, "clickData"),
        prevent_initial_call=True,
    )
    def select_clicked_town(click: Any) -> Any:
        """Clicking a town, or a marker inside it, selects that town."""
        try:
            point = click["points"][0]
            # A marker's point carries `location: null` and its town in `customdata`.
            location = point.get("location")
            town = int(location if location is not None else point.get("customdata"))
        except (TypeError, KeyError, IndexError, ValueError, AttributeError):
            return no_update
        return town if town in choices.town_ids else no_update

    events = timeline_events(model)

    @app.callback(
        Output(ids.TOWN_SEARCH, "value", allow_duplicate=True),
        Output(ids.DATE, "value", allow_duplicate=True),
        Input({"type": ids.TIMELINE_ITEM, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def choose_event(_clicks: Any) -> tuple:
        """Choosing a timeline event shows the map as of its month, with its town or agency selected."""
        trigger = ctx.triggered_id
        if not ctx.triggered or not ctx.triggered[0].get("value") or not isinstance(trigger, dict):
            return no_update, no_update
        index = trigger.get("index")
        if not isinstance(index, int) or not 0 <= index < len(events):
            return no_update, no_update
        event = events[index]
        selection = AGENCY_VALUE + event.agency_id if event.agency_id else event.town_id
        return selection, model.catalog.months.index(event.month)

    app.clientside_callback(
        ClientsideFunction(namespace="time", function_name="step"),
        Output(ids.DATE, "value", allow_duplicate=True),
        Output(ids.DATE_TICK, "disabled"),
        Output(ids.DATE_PLAY, "children"),
        Input(ids.DATE_BACK, "n_clicks"),
        Input(ids.DATE_FORWARD, "n_clicks"),
        Input(ids.DATE_PLAY, "n_clicks"),
        Input(ids.DATE_TICK, "n_intervals"),
        Input(ids.DATE_PREV_EVENT, "n_clicks"),
        Input(ids.DATE_NEXT_EVENT, "n_clicks"),
        State(ids.DATE, "value"),
        State(ids.DATE, "max"),
        State(ids.DATE_TICK, "disabled"),
        State(ids.DATE_EVENTS, "data"),
        State(ids.DATE_SPEED, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="time", function_name="speed"),
        Output(ids.DATE_TICK, "interval"),
        Input(ids.DATE_SPEED, "value"),
        State(ids.DATE_EVENTS, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="time", function_name="label"),
        Output(ids.DATE_LABEL, "children"),
        Output(ids.TIMELINE_SINK, "data"),
        Input(ids.DATE, "value"),
        State(ids.DATE_LABELS, "data"),
    )

    app.clientside_callback(
        ClientsideFunction(namespace="image", function_name="drawing"),
        Output(ids.IMAGE_STATUS, "children", allow_duplicate=True),
        Input(ids.DOWNLOAD_IMAGE, "n_clicks"),
        State(ids.IMAGE_WORDS, "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction(namespace="embed", function_name="code"),
        Output(ids.EMBED_CODE, "value"),
        Input(ids.PRESENT_LINK, "href"),
    )

    # The records grid: watched for until wanted, then its library loaded and the grid made from its spec, or
    # given new rows (assets/records-grid.js). In the browser: a filter change still costs no extra request.
    app.clientside_callback(
        ClientsideFunction(namespace="records", function_name="show"),
        Output(ids.TABLE_SLOT, "children"),
        Input(ids.TABLE_WANTED, "data"),
        Input(ids.TABLE_ROWS, "data"),
        State(ids.TABLE_SPEC, "data"),
    )

    app.clientside_callback(
        ClientsideFunction(namespace="map", function_name="revealPanel"),
        Output(ids.SCROLL_SINK, "data"),
        Input(ids.MAP, "clickData"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_ROWS, "n_clicks"),
        Input(ids.DOWNLOAD_TOWNS_CSV, "n_clicks"),
        Input(ids.DOWNLOAD_TOWNS_GEOJSON, "n_clicks"),
        *[State(cid, prop) for cid, prop in CONTROLS],
        State(ids.TABLE_SEARCH, "value"),
        State(ids.LANGUAGE, "data"),
        prevent_initial_call=True,
    )
    def download(*args: Any) -> Any:
        """Files for the user: filtered rows or the per-town table (the image of the view: download_image)."""
        values, (query, lang) = args[3 : 3 + len(CONTROLS)], args[3 + len(CONTROLS) :]
        state = from_values(*values, lang=lang)
        with language.speaking(state.lang):
            return _download(state, query)

    def _download(state: ViewState, query: Any) -> Any:
        trigger = ctx.triggered_id
        if trigger == ids.DOWNLOAD_ROWS:
            rows = filter_rows(model, rows_all, state, query or "")
            return {"content": to_csv(rows), "filename": "ma-surveillance-records.csv", "type": "text/csv"}
        if trigger == ids.DOWNLOAD_TOWNS_CSV:  # made once per model
            return {"content": export.towns_csv(model), "filename": "ma-surveillance-towns.csv", "type": "text/csv"}
        if trigger == ids.DOWNLOAD_TOWNS_GEOJSON:
            return {
                "content": export.towns_geojson_text(model),
                "filename": "ma-surveillance-towns.geojson",
                "type": "application/geo+json",
            }
        return no_update

    @app.callback(
        Output(ids.DOWNLOAD, "data", allow_duplicate=True),
        Output(ids.IMAGE_STATUS, "children"),
        Input(ids.DOWNLOAD_IMAGE, "n_clicks"),
        *[State(cid, prop) for cid, prop in CONTROLS],
        State(ids.IMAGE_SIZE, "value"),
        State(ids.IMAGE_FORMAT, "value"),
        State(ids.IMAGE_COMPARE, "value"),
        State(ids.LANGUAGE, "data"),
        # While it is drawn the button is off, and the line beside it says so (and is announced): in the page's
        # language, so by the browser from the page's words (`running` is one value for every page).
        running=[(Output(ids.DOWNLOAD_IMAGE, "disabled"), True, False)],
        prevent_initial_call=True,
    )
    def download_image(_clicks: Any, *args: Any) -> tuple[Any, str]:
        """An image of the view from the process's render pool, or why it cannot be drawn now, in plain words."""
        values, (size, fmt, earlier, lang) = args[: len(CONTROLS)], args[len(CONTROLS) :]
        state = from_values(*values, lang=lang)
        with language.speaking(state.lang):
            return _download_image(state, size, fmt, earlier)

    def _download_image(state: ViewState, size: Any, fmt: Any, earlier: Any) -> tuple[Any, str]:
        if isinstance(earlier, str) and earlier in model.catalog.months and earlier < state.as_of:
            state = dataclasses.replace(state, compare=(earlier,))
        size = size if size in SIZES else "wide"
        fmt = fmt if fmt in FORMATS else "png"
        try:
            image = image_pool(app.server).render(model, state, fmt, size)
        except ImageUnavailable as error:  # busy, too slow, or no Chromium: the reason beside the button
            log.warning("image export refused (%s)", error.kind)
            return no_update, error.message
        return dcc.send_bytes(image.data, view_filename(model, state, size, fmt), type=image.media_type), ""
