"""The page layout, built by pure functions of the model."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.figure import build_figure
from dashboard.filters import ViewState
from dashboard.model import Model
from dashboard.panels import SOURCE_LINE, legend, overlay_keys, reach, totals, town_panel
from dashboard.schema import CLEARVIEW_STATUSES
from dashboard.styles import CLASS_COLORS, CLASS_HELP, CLASS_LABELS, VENDOR_STYLE, WAVES, YEAR_RANGE

TITLE = "Surveillance vendor reach in Massachusetts"
SOURCE_URL = "https://data.aclum.org/public-records/frt-ma/"


def _fieldset(legend_text: str, control: object, hint: str = "") -> html.Fieldset:
    children = [html.Legend(legend_text), control]
    if hint:
        children.append(html.P(hint, className="hint"))
    return html.Fieldset(children, className="control")


def controls(model: Model, state: ViewState) -> list:
    """The filter and layer controls, set to a view state."""
    towns = model.towns.sort_values("town")
    return [
        html.Label("Find a town", htmlFor=ids.TOWN_SEARCH, className="control-label"),
        dcc.Dropdown(
            id=ids.TOWN_SEARCH,
            options=[{"label": name, "value": int(t)} for t, name in towns["town"].items()],
            value=state.town,
            placeholder="Type a town name…",
            clearable=True,
        ),
        html.Div(town_panel(model, state.town, state), id=ids.PANEL, className="panel", **{"aria-live": "polite"}),
        _fieldset(
            "Clearview class",
            dcc.Checklist(
                id=ids.CLASSES,
                options=[
                    {
                        "label": html.Span(
                            [
                                html.Span(className="swatch", style={"backgroundColor": CLASS_COLORS[s]}),
                                CLASS_LABELS[s],
                            ],
                            title=CLASS_HELP[s],
                        ),
                        "value": s,
                    }
                    for s in CLEARVIEW_STATUSES
                ],
                value=list(state.classes),
                className="checklist",
            ),
        ),
        _fieldset(
            "Clearview request wave",
            dcc.Checklist(
                id=ids.WAVES,
                options=[{"label": label, "value": w} for w, label in WAVES.items()],
                value=list(state.waves),
                className="checklist inline",
            ),
            hint="The page gives the month for the 20 use-or-communication departments only; the other lists "
            "stay under either wave.",
        ),
        _fieldset(
            "Year the request was filed",
            dcc.RangeSlider(
                id=ids.YEARS,
                min=YEAR_RANGE[0],
                max=YEAR_RANGE[1],
                step=1,
                value=list(state.years),
                marks={y: str(y) for y in range(YEAR_RANGE[0], YEAR_RANGE[1] + 1)},
                allowCross=True,
            ),
            hint="All Clearview requests were filed in 2020.",
        ),
        _fieldset(
            "Vendor records on the map",
            dcc.Checklist(
                id=ids.VENDORS,
                options=[
                    {
                        "label": html.Span([html.Span(glyph, className="glyph", style={"color": color}), vendor]),
                        "value": vendor,
                    }
                    for vendor, (color, _, _, glyph) in VENDOR_STYLE.items()
                ],
                value=list(state.vendors),
                className="checklist",
            ),
        ),
        _fieldset(
            "Regions",
            dcc.Checklist(
                id=ids.LAYERS,
                options=[{"label": "Metro Boston UASI region", "value": "uasi"}],
                value=["uasi"] if state.uasi else [],
                className="checklist",
            ),
        ),
        html.A("Reset the view", href="/", id=ids.RESET, className="reset"),
    ]


def build_layout(model: Model, topojson_url: str) -> html.Div:
    """The whole page at its default view (the URL callback then applies any shared view)."""
    state = ViewState()
    graph = dcc.Graph(
        id=ids.MAP,
        figure=build_figure(model, state),
        config={
            "topojsonURL": topojson_url,  # served locally: the page works offline
            "displaylogo": False,
            "scrollZoom": False,
            "responsive": True,
            "modeBarButtonsToRemove": ["select2d", "lasso2d", "pan2d"],
        },
        className="map",
    )
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            html.Header(
                [
                    html.H1(TITLE),
                    html.P(
                        "Which Massachusetts police departments used, were solicited by, or had no records about "
                        "Clearview AI, and where records about other surveillance vendors were found.",
                        className="subtitle",
                    ),
                ],
                className="site-header",
            ),
            html.Div(
                [
                    html.Main(
                        [
                            html.Div(
                                [
                                    html.Div(graph, className="map-box"),
                                    html.Div(legend(model, state), id=ids.LEGEND, className="legend"),
                                ],
                                className="map-wrap",
                            ),
                            html.Div(overlay_keys(model, state), id=ids.KEYS, className="keys"),
                            html.P(totals(model, state), id=ids.TOTALS, className="totals", **{"aria-live": "polite"}),
                            html.Div(reach(model, state), id=ids.REACH, className="reach"),
                        ],
                        className="map-column",
                    ),
                    html.Aside(controls(model, state), className="controls", **{"aria-label": "Filters and layers"}),
                ],
                className="layout",
            ),
            html.Footer(
                [
                    html.P(
                        [
                            SOURCE_LINE,
                            " ",
                            html.A("The records project", href=SOURCE_URL, target="_blank", rel="noopener noreferrer"),
                            ".",
                        ]
                    ),
                    html.P(
                        "A vendor record means a request about that vendor was filed with that agency: evidence that a "
                        "relationship was asked about, not proof of a contract or of use. “No records” is not “no use”."
                    ),
                ],
                className="site-footer",
            ),
        ],
        className="page",
    )
