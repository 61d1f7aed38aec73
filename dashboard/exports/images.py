"""Images of a view for slides (PNG, SVG, PDF at 16:9 or square), rendered offline with kaleido."""

from __future__ import annotations

import dataclasses
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from html import escape

import plotly.graph_objects as go

from dashboard.config import TOPOJSON_DIR
from dashboard.data.model import Model
from dashboard.data.policy import NO_POLICY, policy_as_of
from dashboard.state.filters import class_counts, not_asked_count, vendor_records
from dashboard.state.view import ViewState
from dashboard.views.captions import filters_in_words
from dashboard.views.figure import (
    COUNTIES,
    FIRST_VENDOR,
    HQ,
    STATE,
    UASI,
    UASI_LABEL,
    ZERO,
    build_figure,
    outlined_policy_kinds,
    selected_position,
)
from dashboard.views.headline import class_figures
from dashboard.views.panels import source_line, state_law_sentences
from dashboard.views.styles import FILTERED_OUT, FILTERED_OUT_COLOR, NOT_ASKED, NOT_ASKED_COLOR
from dashboard.views.words import date_text, documents_text

#: Width and height in pixels. "card" is the wide slide a little shorter, at the 1.91:1 of social preview cards
#: (1200×630 scaled by 1.6): the town and agency pages offer it as their preview image.
SIZES = {"wide": (1920, 1080), "square": (1080, 1080), "card": (1920, 1008)}
FORMATS = ("png", "svg", "pdf")
TITLE = "Clearview AI and surveillance vendors in Massachusetts public records"
FONT = "DejaVu Sans, Arial, sans-serif"

#: Named views for `python -m dashboard render`: the same query strings the page's URL holds.
NAMED_VIEWS = {
    "clearview": "",
    "lan-tel-briefcam-coplink": "?vendors=lan-tel,briefcam,coplink",
    "clearview-records": "?vendors=clearview",
    "use-or-communication": "?classes=use&vendors=clearview",
    "metro-boston": "?vendors=lan-tel,briefcam,clearview&extent=metro",
    "before-after": "?compare=2019-01",
}

_kaleido_lock = threading.Lock()  # one export at a time: each starts a Chromium


def export_figure(model: Model, state: ViewState, size: str = "wide", exported: date | None = None) -> go.Figure:
    """The map for a slide: title, filters in words, a legend drawn by plotly, source line and date."""
    width, height = SIZES[size]
    wide = width > height  # the wide slide's layout, and the card's: it is only shorter
    earlier = [dataclasses.replace(state, as_of=month, compare=()) for month in state.compare]
    state = dataclasses.replace(state, compare=())
    figure = build_figure(model, state)
    counts = class_counts(model, state)
    not_asked = not_asked_count(model, state)
    hidden = len(model.towns) - sum(counts.values()) - not_asked
    zero = {f.status: f.zero_document for f in class_figures(model, state)}
    keys = [
        (c.label, c.color, counts[c.id], f" ({zero[c.id]} listed with 0 documents)" if zero[c.id] else "")
        for c in model.catalog.classes
    ]
    if not_asked or any(not_asked_count(model, s) for s in earlier):
        keys.append((NOT_ASKED, NOT_ASKED_COLOR, not_asked, ""))
    if hidden:
        keys.append((FILTERED_OUT, FILTERED_OUT_COLOR, hidden, ""))
    # Choropleths draw no legend entries: one invisible square marker per class stands in.
    for label, color, count, note in keys:
        figure.add_trace(
            go.Scattergeo(
                lon=[None],
                lat=[None],
                mode="markers",
                name=f"{label}: {count} municipalit{'y' if count == 1 else 'ies'}{note}",
                marker={"symbol": "square", "size": 18, "color": color, "line": {"color": "#8c8c8c", "width": 1}},
                legendgroup="classes",
                legendrank=1,
                legendgrouptitle_text=f"Clearview AI classes as of {date_text(state.as_of)}"
                if earlier
                else "Clearview AI: what police departments' records showed",
            )
        )
    labels = {
        COUNTIES: "County reach (sheriff's records)",
        STATE: "Statewide reach (state agencies' records)",
        UASI: "Metro Boston UASI region",
        HQ: "State or county agency offices (place not from the records page)",
        ZERO: "Listed, but its Clearview record holds 0 documents",
        selected_position(model): "Highlighted town",
    }
    first_policy = FIRST_VENDOR + len(model.catalog.vendors)
    for i, kind in enumerate(outlined_policy_kinds(model)):
        labels[first_policy + i] = f"{kind.label} (cited source outside the records page)"
    for position, trace in enumerate(figure.data):
        if position in labels and trace.visible is not False and trace.lon is not None and len(trace.lon) > 0:
            trace.update(showlegend=True, name=labels[position], legendgroup="keys", legendrank=3)
        elif position > UASI_LABEL and trace.type == "scattergeo" and trace.lon and trace.name in state.vendors:
            # On a square slide the vendors get a column of their own beside the classes and keys.
            trace.update(
                showlegend=True,
                legend="legend" if wide else "legend2",
                legendgroup="vendors",
                legendrank=2,
                legendgrouptitle_text="Vendor records (hollow: 0 documents)",
            )
    figure.update_traces(selector={"mode": "markers"}, marker_size=24)
    figure.update_traces(selector={"name": "record with 0 documents"}, marker_size=26, textfont_size=16)
    figure.update_traces(selector={"mode": "text"}, textfont_size=22)
    day = date_text(exported or date.today())
    note = (
        f"{source_line(model)} Exported {day}. A vendor record is a request about a vendor filed with an agency: "
        "not proof of a contract or of use. Reach is drawn only for records with documents."
        f" Data version {model.data_version}."
    )
    if state.policy:
        note += " " + " ".join(state_law_sentences(model, state.as_of))
    statewide = _statewide_lines(model, state) if wide else []
    note_wrapped = textwrap.wrap(note, 150 if wide else 112)
    note_lines = len(note_wrapped)  # the margin under the map holds the whole note, however long
    title = TITLE if wide else TITLE.replace(" in Massachusetts", "<br>in Massachusetts")
    # Plotly reads <b>, <a> … in text: data-derived words are escaped.
    filters = "<br>".join(escape(line) for line in textwrap.wrap(filters_in_words(model, state), 125 if wide else 78))
    top = 56 + 44 * (title.count("<br>") + 1) + 42 * (filters.count("<br>") + 1) + 20
    map_x, map_y = ((0.0, 0.64), (0.0, 1.0)) if wide else ((0.0, 1.0), (0.44, 1.0))
    figure.update_geos(domain={"x": list(map_x), "y": list(map_y)})
    figure.update_layout(
        width=width,
        height=height,
        margin={"l": 40, "r": 40, "t": top, "b": 16 + 25 * note_lines if wide else 16 + 21 * note_lines},
        paper_bgcolor="#ffffff",
        font={"family": FONT, "size": 22 if wide else 17, "color": "#1d1d1f"},
        title={
            "text": f"<b>{title}</b><br><span style='font-size:{24 if wide else 21}px;color:#444'>{filters}</span>",
            "x": 0.02,
            "xanchor": "left",
            "y": 1 - 48 / height,  # plotly hangs a multi-line title above its anchor: leave room
            "yanchor": "top",
            "font": {"size": 36 if wide else 32},
        },
        showlegend=True,
        legend={
            "x": 0.66,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "traceorder": "grouped",
            "itemsizing": "constant",
            "tracegroupgap": 22,
        }
        if wide
        else {
            "x": 0.0,
            "y": 0.42,
            "xanchor": "left",
            "yanchor": "top",
            "traceorder": "grouped",
            "itemsizing": "constant",
            "tracegroupgap": 8,
            "font": {"size": 15},
        },
        legend2={"x": 0.7, "y": 0.42, "xanchor": "left", "yanchor": "top", "font": {"size": 15}},
        annotations=[
            *statewide,
            {
                "text": "<br>".join(escape(line) for line in note_wrapped),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -20,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": 18 if wide else 15, "color": "#444"},
            },
        ],
    )
    if earlier:
        figure = _side_by_side(model, figure, [*earlier, state], map_x, map_y)
    return figure


def _panel_title(model: Model, state: ViewState) -> str:
    """A before/after panel's heading: its date and the municipalities under a ban or moratorium then."""
    under = int(policy_as_of(model, state.as_of)["face_surveillance_policy"].ne(NO_POLICY).sum())
    municipalities = "municipality" if under == 1 else "municipalities"
    return f"<b>{escape(date_text(state.as_of))}</b><br>{under} {municipalities} under a ban or moratorium"


def _side_by_side(
    model: Model, figure: go.Figure, states: list[ViewState], map_x: tuple[float, float], map_y: tuple[float, float]
) -> go.Figure:
    """The slide's map split into one panel per date, oldest first; the legend keys the last (the chosen date)."""
    gap = 0.02
    step = (map_x[1] - map_x[0] + gap) / len(states)
    top = map_y[1] - 0.09  # room for each panel's heading
    geo = figure.layout.geo.to_plotly_json()
    titles = []
    for i, panel in enumerate(states):
        name = "geo" if i == len(states) - 1 else f"geo{i + 2}"
        domain = {"x": [map_x[0] + i * step, map_x[0] + (i + 1) * step - gap], "y": [map_y[0], top]}
        figure.layout[name] = {**geo, "domain": domain}
        if name != "geo":
            for trace in build_figure(model, panel).data:
                figure.add_trace(trace.update(geo=name, showlegend=False))
        titles.append(
            {
                "text": _panel_title(model, panel),
                "xref": "paper",
                "yref": "paper",
                "x": (domain["x"][0] + domain["x"][1]) / 2,
                "y": map_y[1],
                "xanchor": "center",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 20, "color": "#1d1d1f"},
            }
        )
    figure.layout.annotations = [*figure.layout.annotations, *titles]
    figure.update_traces(selector={"mode": "text"}, textfont_size=14)  # the region's name, in a smaller map
    return figure


def _statewide_lines(model: Model, state: ViewState) -> list[dict]:
    """An annotation under the legend naming the records of agencies that are not a town's (they color no town)."""
    records = vendor_records(model, state).dropna(subset=["agency_id"])
    if records.empty:
        return []
    lines = ["<b>Records at state, county and other agencies</b> (they color no town)"]
    no_area = {"agency": "; no area given", "campus": "; its campus"}
    for vendor, rows in records.groupby("vendor", sort=False):
        names = [
            # Escaped below, after wrapping.
            f"{model.agencies.loc[a, 'name']} ({documents_text(d)}{no_area.get(model.agencies.loc[a, 'reach'], '')})"
            for a, d in zip(rows["agency_id"], rows["documents"])
        ]
        lines += [escape(line) for line in textwrap.wrap(f"{vendor}: {'; '.join(names)}", 58)]
    # Bottom left, over Connecticut: the one corner of the state map's frame that no town reaches (maps side by
    # side leave the whole bottom free). A map of Metro Boston has no empty corner: the list goes under the legend.
    return [
        {
            "text": "<br>".join(lines),
            "xref": "paper",
            "yref": "paper",
            "x": 0.0 if state.extent == "state" else 0.66,
            "y": 0.0,
            "xanchor": "left",
            "yanchor": "bottom",
            "showarrow": False,
            "align": "left",
            "font": {"size": 16, "color": "#333"},
        }
    ]


@contextmanager
def kaleido_session() -> Iterator[None]:
    """Keep one Chromium running for a batch of images, and stop it after (else the process cannot exit)."""
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    try:
        yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def render_image(
    model: Model, state: ViewState, fmt: str = "png", size: str = "wide", exported: date | None = None
) -> bytes:
    """The view as PNG, SVG or PDF bytes, drawn by kaleido in headless Chromium (no network needed)."""
    if fmt not in FORMATS or size not in SIZES:
        raise ValueError(f"format must be one of {FORMATS} and size one of {tuple(SIZES)}")
    figure = export_figure(model, state, size, exported)
    width, height = SIZES[size]
    import kaleido

    with _kaleido_lock:
        # kaleido directly, not figure.to_image: it takes the base map's address per call, so nothing global is set.
        # Plotly asks for a world base map even when it is hidden: our local stub keeps it offline.
        return kaleido.calc_fig_sync(
            figure.to_plotly_json(),
            opts={"format": fmt, "width": width, "height": height, "scale": 1},
            topojson=TOPOJSON_DIR.as_uri() + "/",
        )


def image_filename(name: str, size: str, fmt: str) -> str:
    """A file name that says what the image is."""
    return f"ma-surveillance-{name}-{size}.{fmt}"
