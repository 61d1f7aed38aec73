"""The page layout, built by pure functions of the model."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import lru_cache
from string import Formatter
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dash_ag_grid as dag
import pandas as pd
import plotly.utils
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.model import Model
from dashboard.language import _, ngettext, number
from dashboard.state.view import Choices, ViewState, default_view, month_index, parse_query, to_query
from dashboard.state.view_facts import view_facts
from dashboard.views import wording as w
from dashboard.views.captions import dates_sentence, filters_in_words
from dashboard.views.figure import build_figure, geo_ranges, overlay_traces, town_hover
from dashboard.views.markup import attrs
from dashboard.views.method import SOURCE_URL, method_section
from dashboard.views.panels import (
    headline_cards,
    legend,
    overlay_keys,
    policy_line,
    reach,
    totals,
    town_panel,
    vendor_glyph,
)
from dashboard.views.records import columns, filter_rows
from dashboard.views.time_chart import event_months, event_ticks, time_chart, undated
from dashboard.views.timeline import timeline_events, timeline_strip
from dashboard.views.words import count_of, date_text, join_names
from dashboard.web import ids
from dashboard.web.search_box import AGENCY_VALUE, search_options

#: Play's pause between months per speed, in milliseconds ("events" steps from event to event at the normal pace).
SPEED_MS = {"slow": 2000, "normal": 1100, "fast": 450, "events": 1400}
#: Column widths and renderers of the records grid; SourceLink is in assets/dashAgGridComponentFunctions.js.
COLUMN_OPTIONS: dict[str, dict] = {
    "kind": {"width": 110},
    "title": {"flex": 2, "minWidth": 200},
    "filed": {"width": 92},
    "documents": {"width": 118, "type": "rightAligned"},
    "source": {"width": 118, "cellRenderer": "SourceLink", "sortable": False},
}


def _fieldset(legend_text: str, control: Component, hint: str = "") -> html.Fieldset:
    children: list[Component] = [html.Legend(legend_text), control]
    if hint:
        children.append(html.P(hint, className="hint"))
    return html.Fieldset(children, className="control")


def _button(text: str, button_id: str) -> html.Button:
    return html.Button(text, id=button_id, type="button", className="button", n_clicks=0)


def _around(message: str, **parts: Component) -> list:
    """A translated message whose {placeholders} are components (one sentence for the translator, however it is cut
    around them)."""
    out: list = []
    for text, name, _spec, _conversion in Formatter().parse(message):
        if text:
            out.append(text)
        if name is not None:
            out.append(parts[name])
    return out


def dropdown_labels() -> dcc.Dropdown.Labels:
    """The words Dash's dropdown shows of its own (its defaults are English), in the language in use."""
    return {
        "select_all": _("Select All"),
        "deselect_all": _("Deselect All"),
        # Translators: how many choices of a list are ticked; keep {num_selected} as it is.
        "selected_count": _("{num_selected} selected"),
        # Translators: the search field of a drop-down list.
        "search": _("Search"),
        "clear_search": _("Clear search"),
        "clear_selection": _("Clear selection"),
        "no_options_found": _("No options found"),
    }


def play_words() -> dict[str, str]:
    """The play button's two states (the browser swaps them: assets/clientside.js reads them from the events store).

    The button keeps one width for both (assets/style.css): the words must stay short in every language.
    """
    return {
        # Translators: the time control's play button, with its sign; keep it as short as "▶ Play".
        "play": _("▶ Play"),
        # Translators: the play button while it plays, with its sign; keep it as short as "❚❚ Pause".
        "pause": _("❚❚ Pause"),
    }


def language_href(model: Model, state: ViewState, code: str) -> str:
    """The address of the same view in another language (root-relative)."""
    return "/" + to_query(dataclasses.replace(state, lang=code), model.catalog)


def language_switch(model: Model, state: ViewState) -> html.Nav:
    """The map's languages, each in its own name and a link to this view in it; the one shown is marked current.

    Plain links: they work before any script, and the URL callback keeps their addresses on the view shown.
    """
    links: list = []
    for code, spoken in language.languages().items():
        if links:
            links.append(" · ")
        current = attrs(aria_current="page") if code == state.lang else {}
        links.append(
            html.A(
                spoken.name,
                href=language_href(model, state, code),
                id=ids.language_link(code),
                lang=spoken.tag,
                hrefLang=spoken.tag,
                **current,
            )
        )
    # Translators: the name of the list of links to the map in other languages.
    return html.Nav(links, id=ids.LANGUAGE_SWITCH, className="language-switch", **attrs(aria_label=_("Language")))


#: The suggestion's message: each catalogue words it in its own language ("Ver esta página en español").
SUGGESTION = "See this page in English"


def language_suggestion(model: Model, state: ViewState, code: str | None) -> html.P | None:
    """A line offering this view in the visitor's preferred language, worded in that language; None when there is
    none to offer (no preference, the page's own language, or a catalogue that does not word the offer)."""
    if code is None or code == state.lang or language.known(code) is None:
        return None
    with language.speaking(code) as spoken:
        # Translators: offered to visitors whose browser prefers your language, on a page in another one. Say
        # "See this page in <your language>" in your language ("Ver esta página en español").
        text = _("See this page in English")
    if text == SUGGESTION and code != SOURCE_LANGUAGE:
        return None  # an untranslated offer would speak English to someone who asked for another language
    link = html.A(
        text, href=language_href(model, state, code), id=ids.LANGUAGE_SUGGESTION, lang=spoken.tag, hrefLang=spoken.tag
    )
    return html.P(link, className="language-suggestion")


def names_language(query: str) -> bool:
    """Whether a query names a language (`lang=`, whatever its value)."""
    return "lang" in parse_qs(query.lstrip("?"), keep_blank_values=True)


def suggested_language(accepted: Any, page: str, query: str) -> str | None:
    """The language to offer a visitor: the best of the map's languages for the browser's Accept-Language (werkzeug's
    LanguageAccept) when it is not the page's and the address names no language (a shared link is never second-guessed).
    Never a redirect: only a suggestion."""
    if names_language(query):
        return None
    tags = {spoken.tag: code for code, spoken in language.languages().items()}
    best = accepted.best_match(list(tags)) if accepted is not None else None
    code = tags.get(best) if isinstance(best, str) else None
    return code if code != page else None


def search_value(state: ViewState) -> int | str | None:
    """The search box's value for a view: the town, the agency, or nothing."""
    return AGENCY_VALUE + state.agency if state.agency is not None else state.town


def layer_values(state: ViewState) -> list[str]:
    """The layers checklist's values for a view: policy outlines, the UASI outline and the Metro Boston zoom."""
    return (
        (["policy"] if state.policy else [])
        + (["uasi"] if state.uasi else [])
        + (["metro"] if state.extent == "metro" else [])
    )


def uasi_hint(model: Model) -> str:
    """The Metro Boston UASI region in one sentence, with its members."""
    return w.uasi_sentence(sorted(model.towns.loc[model.towns["uasi_region"], "town"]))


def _time_button(text: str, button_id: str, kind: str, label: str) -> html.Button:
    return html.Button(
        text, id=button_id, type="button", className=f"button {kind}", n_clicks=0, **attrs(aria_label=label)
    )


def label_width(months: tuple[str, ...]) -> dict[str, Any]:
    """The date's box wide enough for the language's longest month (nothing moves as it plays): English's width is
    the stylesheet's (`.time-label`); another language's is estimated from its longest month in words."""
    if language.current().code == SOURCE_LANGUAGE:
        return {}
    longest = max(len(date_text(m)) for m in months)
    return {"style": {"width": f"{round(longest * 0.66, 1)}em"}}  # 0.66 em a bold character: 9.2 em for 14


def time_control(model: Model, state: ViewState) -> html.Div:
    """The date the map shows: a month slider across the dated data, with step, jump to an event, play and speed.

    Every part has a fixed size (the date's words, the play button's two states), so nothing moves as it plays.
    """
    catalog = model.catalog
    months = catalog.months
    words = play_words()
    return html.Div(
        [
            html.Div(
                [
                    html.Span(_("Show the map as of"), id="time-title", className="time-title"),
                    html.Output(
                        date_text(state.as_of), id=ids.DATE_LABEL, className="time-label", **label_width(months)
                    ),
                    html.Div(
                        [
                            _time_button(w.PREVIOUS_EVENT, ids.DATE_PREV_EVENT, "event", w.PREVIOUS_EVENT_LABEL),
                            _time_button("‹", ids.DATE_BACK, "step", _("One month earlier")),
                            _time_button(words["play"], ids.DATE_PLAY, "play", _("Play: step through the months")),
                            _time_button("›", ids.DATE_FORWARD, "step", _("One month later")),
                            _time_button(w.NEXT_EVENT, ids.DATE_NEXT_EVENT, "event", w.NEXT_EVENT_LABEL),
                        ],
                        className="time-buttons",
                    ),
                ],
                className="time-head",
            ),
            html.Div(
                [
                    dcc.Slider(
                        id=ids.DATE,
                        min=0,
                        max=len(months) - 1,
                        step=1,
                        value=month_index(state, catalog),
                        marks={i: m[:4] for i, m in enumerate(months) if m.endswith("-01")},
                        included=True,
                        updatemode="mouseup",
                        allow_direct_input=False,
                    ),
                    html.Div(event_ticks(model), className="time-ticks", **attrs(aria_hidden="true")),
                ],
                className="time-slider",
            ),
            html.Div(
                [
                    html.Span(w.SPEED_TITLE, id="time-speed-title", className="time-title"),
                    dcc.RadioItems(
                        id=ids.DATE_SPEED,
                        options=[{"label": text, "value": key} for key, text in w.SPEEDS.items()],
                        value="normal",
                        className="checklist inline time-speed-options",
                    ),
                ],
                className="time-speed",
                role="radiogroup",
                **attrs(aria_labelledby="time-speed-title"),
            ),
            dcc.Interval(id=ids.DATE_TICK, interval=SPEED_MS["normal"], disabled=True),
            dcc.Store(id=ids.DATE_LABELS, data=[date_text(m) for m in months]),
            dcc.Store(id=ids.DATE_EVENTS, data={"months": list(event_months(model)), "speeds": SPEED_MS, **words}),
        ],
        id=ids.TIME_CONTROL,
        className="time-control",
        role="group",
        **attrs(aria_labelledby="time-title"),
    )


def time_chart_section(model: Model, state: ViewState) -> html.Section:
    """What changed over time, under the map: one row of monthly bars per count, the chosen month outlined."""
    return html.Section(
        [
            html.H2(w.TIME_CHART_TITLE, className="timeline-title"),
            html.P(w.TIME_CHART_NOTE, className="hint"),
            html.Div(time_chart(model, state), id=ids.TIME_CHART, className="time-chart"),
        ],
        className="time-chart-section",
        **attrs(aria_label=w.TIME_CHART_TITLE),
    )


def _variants(parts: list) -> list:
    """Each distinct part once, in order (Dash components compare by their JSON)."""
    seen: dict[str, object] = {}
    for part in parts:
        seen.setdefault(json.dumps(part, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True), part)
    return list(seen.values())


def reserved(model: Model, state: ViewState) -> tuple[list, list]:
    """The headline and the policy line as they read at each month of the view's filters, each variant once.

    Laid unseen in the same box as the live one, they make its height the tallest of any month at any width: the
    map and the time control under them never move while the date changes (see `.reserve` in assets/style.css).
    """
    base = undated(state)
    facts = [view_facts(model, dataclasses.replace(base, as_of=m)) for m in model.catalog.months]
    headlines = _variants([headline_cards(model, f) for f in facts])
    lines = _variants([policy_line(model, f) for f in facts])
    return (
        [html.Div(children, className="headline") for children in headlines],
        [html.P(children, className="policy-line") for children in lines],
    )


def _reserve(live: Component, sizers: list, sizer_id: str) -> html.Div:
    """The live part and its unseen variants in one grid cell (hidden from screen readers and from clicks)."""
    return html.Div(
        [live, html.Div(sizers, id=sizer_id, className="reserve-sizers", **attrs(aria_hidden="true"))],
        className="reserve",
    )


def timeline_section(model: Model) -> html.Section:
    """The timeline strip: every dated fact the map counts; choosing one moves the date and selects its town."""
    return html.Section(
        [
            html.H2(_("Timeline"), className="timeline-title"),
            html.P(
                " ".join(
                    [
                        _(
                            "Every dated record, request and decision, oldest first (the arrow keys move along it). "
                            "Choose one to see the map as of that month, with its town or agency selected. Records "
                            "count from the month they were filed (dated only by a year: from its December); "
                            "decisions from the month of the vote."
                        ),
                        w.reply_rule(model.catalog.last_wave),
                        # Translators: {mark} is the dagger (†) that marks facts from outside the records page.
                        _("{mark} Decisions come from cited sources outside the records page.").format(
                            mark=w.OUTSIDE_MARK
                        ),
                    ]
                ),
                className="hint",
            ),
            html.Ol(
                timeline_strip(timeline_events(model), ids.TIMELINE_ITEM),
                id=ids.TIMELINE,
                className="timeline",
                **attrs(data_months=",".join(model.catalog.months)),
            ),
            dcc.Store(id=ids.TIMELINE_SINK),
        ],
        className="timeline-section",
        **attrs(aria_label=_("Timeline")),
    )


def footer_lines(model: Model) -> tuple[str, str, str]:
    """The footer's own lines: the source (before its link), the data's dates, and this map's data revision."""
    return w.source_line(model.published["published"]), dates_sentence(model), w.revision_line(model.data_version)


def page_class(state: ViewState) -> str:
    """The page's class names for a view (the presentation view has its own layout)."""
    return "page present" if state.present else "page"


def present_href(model: Model, state: ViewState) -> str:
    """The presentation view's link for a view (the same view, presented)."""
    return to_query(dataclasses.replace(state, present=True), model.catalog)


def reset_href(model: Model, state: ViewState) -> str:
    """The default view, in the view's language ('/' in English)."""
    return "/" + to_query(dataclasses.replace(default_view(model.catalog), lang=state.lang), model.catalog)


def controls(model: Model, state: ViewState, search: list[dict] | None = None) -> list:
    """The town search, the town panel, the filter and layer controls, and the image export."""
    catalog = model.catalog
    dated_listings = model.listings.loc[model.listings["request_month"].notna(), "category"]
    dated = len(dated_listings)
    dated_lists = [_(catalog.labels[c]).lower() for c in catalog.listed_ids if c in set(dated_listings)]
    return [
        html.Div(
            [
                html.Label(_("Find a town or agency"), htmlFor=ids.TOWN_SEARCH, className="control-label"),
                dcc.Dropdown(
                    id=ids.TOWN_SEARCH,
                    options=search_options(model) if search is None else search,
                    value=search_value(state),
                    placeholder=_("Type a town or agency name…"),
                    clearable=True,
                    labels=dropdown_labels(),
                ),
            ],
            id=ids.SEARCH_BOX,
            className="town-search-box",
        ),
        html.Div(
            town_panel(model, view_facts(model, state)), id=ids.PANEL, className="panel", **attrs(aria_live="polite")
        ),
        _fieldset(
            _("Clearview class"),
            dcc.Checklist(
                id=ids.CLASSES,
                options=[
                    {
                        "label": html.Span(
                            [
                                html.Span(className="swatch", style={"backgroundColor": c.color}),
                                _(c.label),
                            ],
                            title=_(c.description),
                        ),
                        "value": c.id,
                    }
                    for c in catalog.classes
                ],
                value=list(state.classes),
                className="checklist",
            ),
        ),
        _fieldset(
            _("Clearview request wave"),
            dcc.Checklist(
                id=ids.WAVES,
                options=[{"label": _(wave.label), "value": wave.month} for wave in catalog.waves],
                value=list(state.waves),
                className="checklist inline",
            ),
            # Translators: {lists} names Clearview's lists ("solicited and trial"); {count} is how many listings.
            hint=ngettext(
                "The page gives the month for the {count} {lists} listing only; the other lists stay under either "
                "wave.",
                "The page gives the month for the {count} {lists} listings only; the other lists stay under either "
                "wave.",
                dated,
            ).format(count=number(dated), lists=join_names(dated_lists)),
        ),
        _fieldset(
            _("Vendor records on the map"),
            dcc.Checklist(
                id=ids.VENDORS,
                options=[
                    {
                        "label": html.Span([vendor_glyph(vendor), vendor.name]),
                        "value": vendor.name,
                    }
                    for vendor in catalog.vendors
                ],
                value=list(state.vendors),
                className="checklist",
            ),
        ),
        _fieldset(
            # Translators: the map's layers (outlines drawn over the towns).
            _("Layers"),
            dcc.Checklist(
                id=ids.LAYERS,
                options=[
                    {"label": _("Face-surveillance bans, moratoria and oversight ordinances"), "value": "policy"},
                    {"label": _("Metro Boston UASI region"), "value": "uasi"},
                    {"label": _("Zoom the map to Metro Boston"), "value": "metro"},
                ],
                value=layer_values(state),
                className="checklist",
            ),
            hint=uasi_hint(model),
        ),
        _fieldset(
            _("Image of this view, for slides"),
            html.Div(
                [
                    dcc.RadioItems(
                        id=ids.IMAGE_SIZE,
                        options=[
                            # Translators: the wide slide's shape and size in pixels.
                            {"label": _("16:9 (1920×1080)"), "value": "wide"},
                            {"label": _("Square (1080×1080)"), "value": "square"},
                        ],
                        value="wide",
                        className="checklist",
                    ),
                    html.Label(
                        _("Before and after: also draw the map as of"),
                        htmlFor=ids.IMAGE_COMPARE,
                        className="control-label",
                    ),
                    dcc.Dropdown(
                        id=ids.IMAGE_COMPARE,
                        options=[{"label": date_text(m), "value": m} for m in catalog.months],
                        placeholder=_("(no earlier date)"),
                        clearable=True,
                        searchable=True,
                        labels=dropdown_labels(),
                    ),
                    dcc.RadioItems(
                        id=ids.IMAGE_FORMAT,
                        options=[{"label": f.upper(), "value": f} for f in ("png", "svg", "pdf")],
                        value="png",
                        className="checklist inline",
                    ),
                    _button(_("Download image"), ids.DOWNLOAD_IMAGE),
                    html.P(id=ids.IMAGE_STATUS, className="hint", **attrs(aria_live="polite")),
                    # Shown beside the button while the image is drawn (assets/clientside.js).
                    dcc.Store(id=ids.IMAGE_WORDS, data={"drawing": _("Drawing the image…")}),
                ]
            ),
            hint=_(
                "With title, filters in words, legend, source and date. An earlier date puts its map beside the "
                "chosen one."
            ),
        ),
        html.P(
            _around(
                # Translators: {link} is the link "Presentation view".
                _("{link} (map, legend and source only: for screenshots and embedding)"),
                link=html.A(
                    _("Presentation view"), href=present_href(model, state), id=ids.PRESENT_LINK, target="_blank"
                ),
            ),
            className="hint",
        ),
        embed_control(),
        html.A(_("Reset the view"), href=reset_href(model, state), id=ids.RESET, className="reset"),
    ]


def embed_control() -> html.Details:
    """Copy-paste iframe code for the presentation view of the current view (filled in by assets/clientside.js)."""
    return html.Details(
        [
            html.Summary(_("Embed this view")),
            html.Label(_("Code to paste into a web page"), htmlFor=ids.EMBED_CODE, className="control-label"),
            dcc.Textarea(id=ids.EMBED_CODE, value="", readOnly=True, rows=5, className="embed-code"),
            html.P(w.EMBED_HINT, className="hint"),
        ],
        className="embed",
    )


def records_grid() -> dag.AgGrid:
    """The records grid without its rows: columns, sorting, pagination and the one-tab-stop keyboard options."""
    return dag.AgGrid(
        id=ids.TABLE,
        columnDefs=[
            {
                "field": c,
                "headerName": name,
                **COLUMN_OPTIONS.get(c, {"flex": 1, "minWidth": 120}),
            }
            for c, name in columns()  # the headers in the language in use
        ],
        defaultColDef={"sortable": True, "resizable": True, "wrapText": True, "autoHeight": True},
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": 15,
            "paginationPageSizeSelector": False,
            "domLayout": "autoHeight",
            "enableCellTextSelection": True,
            # One tab stop: Tab leaves the grid from any header or cell, the arrow keys move inside it.
            "tabToNextCell": {"function": "false"},
            "tabToNextHeader": {"function": "false"},
            "ensureDomOrder": True,  # rows in the page in their visible order, for screen readers
        },
        className="ag-theme-quartz records-grid",
        style={"width": "100%"},
    )


def records_section(model: Model, rows: pd.DataFrame, state: ViewState) -> list:
    """The searchable, sortable table of every record and listing, with downloads.

    The grid itself is not in the layout: its library (1.3 MB of script) and its rows load only when the section
    nears the view or takes focus (assets/records-grid.js), into a placeholder of the height of its first page.
    """
    rows = filter_rows(model, rows, state)
    return [
        html.H2(_("The records behind the map")),
        html.P(
            _(
                "Every record of the index and every Clearview listing, following the filters above. Sort by a "
                "column header; each source links to the record's page or its section."
            ),
            className="hint",
        ),
        html.Div(
            [
                html.Label(_("Search the records"), htmlFor=ids.TABLE_SEARCH, className="control-label"),
                dcc.Input(
                    id=ids.TABLE_SEARCH,
                    type="search",
                    debounce=True,
                    # Translators: examples of what one may search for; the names stay as they are.
                    placeholder=_("e.g. Boston, Briefcam, 2019"),
                    className="search",
                ),
                html.Span(
                    count_of(len(rows), "{n} row", "{n} rows"),
                    id=ids.TABLE_COUNT,
                    className="hint",
                    **attrs(aria_live="polite"),
                ),
            ],
            className="table-tools",
        ),
        html.Div(
            html.P(_("Loading the records table…"), className="records-grid-loading hint"),
            id=ids.TABLE_SLOT,
            className="records-grid-slot",
            # Read by assets/records-grid.js if the grid's library cannot be loaded.
            **attrs(
                data_failed=_(
                    "The records table could not be loaded: reload the page to try again. “{button}” below gives "
                    "the same rows."
                ).format(button=_("Download these rows (CSV)"))
            ),
        ),
        # The grid as Dash would send it, made into the page by the browser (one definition, here).
        dcc.Store(id=ids.TABLE_SPEC, data=records_grid().to_plotly_json()),
        dcc.Store(id=ids.TABLE_ROWS),
        dcc.Store(id=ids.TABLE_WANTED, data=False),
        html.Div(
            [
                _button(_("Download these rows (CSV)"), ids.DOWNLOAD_ROWS),
                _button(_("Per-town table (CSV)"), ids.DOWNLOAD_TOWNS_CSV),
                _button(_("Per-town table with boundaries (GeoJSON)"), ids.DOWNLOAD_TOWNS_GEOJSON),
            ],
            className="downloads",
        ),
    ]


def view_figure(model: Model, base: dict[str, Any], state: ViewState) -> dict[str, Any]:
    """The default view's figure (plain JSON) with a view's colors, frame and overlays: `build_figure` of that view.

    The towns' outlines and hover texts, most of the figure's bytes and of its time (~0.5 s), are the same in every
    view; what a view changes is what the `render` callback patches, and only that is made per view.
    """
    layout = base["layout"]
    return {
        **base,
        "data": [
            {
                **base["data"][0],
                "z": view_facts(model, state).codes.tolist(),
                "hovertext": list(town_hover(model, state.as_of)),
            },
            *overlay_traces(model, state),
        ],
        "layout": {**layout, "geo": {**layout["geo"], **geo_ranges(model, state.extent)}},
    }


def referer_query(referer: object) -> str:
    """The query of a Referer (the page asking for its layout); '' for anything else."""
    if isinstance(referer, str):
        try:
            return urlsplit(referer).query
        except ValueError:  # "http://[" and the like: not a page of ours
            return ""
    return ""


def view_of_referer(referer: object, choices: Choices) -> ViewState:
    """The page view named by the query of a Referer (the page asking for its layout); the default for anything else.

    Slides' `compare` is dropped: the page never shows it, and a view the page's controls can make never has it.
    """
    return dataclasses.replace(parse_query(referer_query(referer), choices), compare=())


@dataclass(frozen=True)
class Shared:
    """The parts of the page that no view changes, in one language."""

    base_figure: dict[str, Any]
    search: list[dict]
    timeline: html.Section
    method: list


class PageLayout:
    """The page for any view: its view-independent parts made once per language, a view's page once per view
    (cached; the view names its language)."""

    def __init__(self, model: Model, table_rows: pd.DataFrame, topojson_url: str, cache_size: int = 256) -> None:
        self.model = model
        self.table_rows = table_rows
        self.topojson_url = topojson_url
        #: A language's view-independent parts, made when that language is first asked for.
        self.shared = lru_cache(maxsize=None)(self._shared)
        self.shared(SOURCE_LANGUAGE)  # at start, as before: the first visitor does not wait for it
        #: The page of a view (with a suggestion of another language, or none); the same view is the same page
        #: (components are only read once made). Called with both arguments, always: one cache entry per page.
        self.for_view = lru_cache(maxsize=cache_size)(self.page)

    @property
    def base_figure(self) -> dict[str, Any]:
        """The default view's figure (plain JSON) in the language in use: what `view_figure` makes each view's of."""
        return self.shared(language.current().code).base_figure

    def _shared(self, code: str) -> Shared:
        model = self.model
        with language.speaking(code):
            return Shared(
                base_figure=build_figure(model, default_view(model.catalog)).to_plotly_json(),
                search=search_options(model),
                timeline=timeline_section(model),
                method=method_section(model),
            )

    def page(self, state: ViewState, suggest: str | None = None) -> html.Div:
        """The whole page at a view, in its language: what the first `render` of that view returns is already in it.
        `suggest`: a language to offer the visitor (`suggested_language`), or None."""
        with language.speaking(state.lang) as spoken:
            return self._page(state, self.shared(spoken.code), suggest)

    def _page(self, state: ViewState, shared: Shared, suggest: str | None) -> html.Div:
        model = self.model
        facts = view_facts(model, state)
        headlines, lines = reserved(model, state)
        source, dates, revision = footer_lines(model)
        suggestion = language_suggestion(model, state, suggest)
        graph = dcc.Graph(
            id=ids.MAP,
            figure=view_figure(model, shared.base_figure, state),
            config={
                "topojsonURL": self.topojson_url,  # served locally: the page works offline
                # plotly's own words (the modebar) and number formats; its dictionaries are in assets/.
                "locale": language.current().tag,
                "displaylogo": False,
                "scrollZoom": False,
                "responsive": True,
                "modeBarButtonsToRemove": [
                    "select2d",
                    "lasso2d",
                    "pan2d",
                    "toImage",
                    "sendDataToCloud",
                    "sendChartToCloud",
                ],
            },
            className="map",
        )
        return html.Div(
            [
                dcc.Location(id=ids.URL, refresh=False),
                dcc.Download(id=ids.DOWNLOAD),
                dcc.Store(id=ids.SCROLL_SINK),
                dcc.Store(id=ids.LANGUAGE, data=state.lang),  # the callbacks' language: the controls do not say it
                html.Header(
                    [
                        language_switch(model, state),
                        html.H1(w.TITLE),
                        html.P(w.SUBTITLE, className="subtitle"),
                        *([suggestion] if suggestion else []),
                        # The view in one sentence: shown in presentation mode, announced when it changes in any mode.
                        html.P(
                            filters_in_words(model, state),
                            id=ids.CAPTION,
                            className="caption",
                            **attrs(aria_live="polite"),
                        ),
                    ],
                    className="site-header",
                ),
                html.Div(
                    [
                        html.Main(
                            [
                                _reserve(
                                    html.Div(
                                        headline_cards(model, facts),
                                        id=ids.HEADLINE,
                                        className="headline",
                                        **attrs(aria_live="polite"),
                                    ),
                                    headlines,
                                    ids.HEADLINE_RESERVE,
                                ),
                                _reserve(
                                    html.P(policy_line(model, facts), id=ids.POLICY_LINE, className="policy-line"),
                                    lines,
                                    ids.POLICY_RESERVE,
                                ),
                                time_control(model, state),
                                html.P(
                                    _(
                                        "Map of the {count} Massachusetts municipalities colored by Clearview class, "
                                        "with vendor records marked. The town search, the town panel and the records "
                                        "table below give the same information as text."
                                    ).format(count=number(len(model.towns))),
                                    className="visually-hidden",
                                ),
                                html.Div(
                                    html.Div(
                                        [html.Div(id=ids.FIRST_PAINT_SLOT, className="first-paint-slot"), graph],
                                        className="map-box",
                                    ),
                                    className="map-wrap",
                                ),
                                html.Div(
                                    [
                                        html.Div(legend(model, facts), id=ids.LEGEND, className="legend"),
                                        html.Div(
                                            overlay_keys(model, facts, overlay_traces(model, state)),
                                            id=ids.KEYS,
                                            className="keys",
                                        ),
                                    ],
                                    className="map-keys",
                                ),
                                time_chart_section(model, state),
                                shared.timeline,
                                html.P(
                                    totals(model, facts), id=ids.TOTALS, className="totals", **attrs(aria_live="polite")
                                ),
                                html.Div(reach(model, facts), id=ids.REACH, className="reach"),
                            ],
                            className="map-column",
                        ),
                        html.Aside(
                            controls(model, state, shared.search),
                            className="controls",
                            **attrs(aria_label=_("Filters and layers")),
                        ),
                    ],
                    className="layout",
                ),
                html.Section(
                    records_section(model, self.table_rows, state),
                    className="records-section",
                    **attrs(aria_label=_("Records table")),
                ),
                html.Section(
                    shared.method,
                    className="method",
                    id="method",
                    **attrs(aria_label=_("About the data: method and caveats")),
                ),
                html.Footer(
                    [
                        html.P(
                            [
                                source,
                                " ",
                                html.A(
                                    # Translators: the link to the ACLU of Massachusetts's records project.
                                    _("The records project"),
                                    href=SOURCE_URL,
                                    target="_blank",
                                    rel="noopener noreferrer",
                                ),
                                ".",
                            ],
                            className="source-line",
                        ),
                        html.P(dates, className="data-dates"),
                        html.P(f"{w.RECORD_NOTE} {w.NOT_NO_USE}", className="caveat"),
                        html.P(revision, className="data-version"),
                    ],
                    className="site-footer",
                ),
            ],
            id=ids.PAGE,
            className=page_class(state),
        )


def build_layout(model: Model, table_rows: pd.DataFrame, topojson_url: str, state: ViewState | None = None) -> html.Div:
    """The whole page at a view (the default view if none): the first `render` of that view changes nothing in it."""
    return PageLayout(model, table_rows, topojson_url).page(state or default_view(model.catalog))
