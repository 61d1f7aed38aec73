"""What changed over time, as pure functions of the view facts: the months with an event, and a compact bar chart.

The series are what the map shows as of each month under a view's filters (the date itself is ignored), read from
`view_facts`; the chart is plain HTML (one bar per month), so it costs no script and prints.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from dash import html

from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.memo import per_model, per_model_and
from dashboard.data.model import Model
from dashboard.language import _, number
from dashboard.state.view import ViewState
from dashboard.state.view_facts import view_facts
from dashboard.views import wording as w
from dashboard.views.markup import attrs
from dashboard.views.timeline import timeline_events
from dashboard.views.words import date_text


@dataclass(frozen=True)
class Series:
    """One row of the chart: what it counts, and its value as of each month of the span."""

    key: str
    label: str
    values: tuple[int, ...]

    def steps(self, months: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
        """The months where the value changes (the first month always), with the value from then on."""
        out: list[tuple[str, int]] = []
        for month, value in zip(months, self.values):
            if not out or out[-1][1] != value:
                out.append((month, value))
        return tuple(out)


@per_model
def event_months(model: Model) -> tuple[int, ...]:
    """The positions, in the span's months, of the months with a dated record, a request wave or a decision."""
    months = model.catalog.months
    dated = {event.month for event in timeline_events(model)}
    return tuple(i for i, month in enumerate(months) if month in dated)


def undated(state: ViewState) -> ViewState:
    """A view without its date (and selection): what the series and the reserved heights depend on."""
    return dataclasses.replace(state, as_of="", town=None, agency=None, compare=(), present=False, extent="state")


@per_model_and(64)
def _values(model: Model, state: ViewState) -> dict[str, tuple[int, ...]]:
    # Numbers only (no words): the same in every language.
    months = model.catalog.months
    facts = [view_facts(model, dataclasses.replace(state, as_of=month)) for month in months]
    return {
        "classes": tuple(sum(f.class_counts.values()) for f in facts),
        "records": tuple(len(f.kept) for f in facts),
        "policies": tuple(f.policy.municipalities for f in facts),
    }


def time_series(model: Model, state: ViewState) -> tuple[Series, ...]:
    """Per row of the chart, its label in the language in use and its value as of each month under the view's
    filters (the values cached per undated view)."""
    values = _values(model, dataclasses.replace(undated(state), lang=SOURCE_LANGUAGE))  # one entry for every language
    labels = w.TIME_SERIES
    return tuple(Series(key, labels[key], values[key]) for key in labels)


def _row(series: Series, months: tuple[str, ...], chosen: int) -> html.Div:
    top = max(series.values) or 1
    bars = [
        html.Span(
            # A bar for a zero is a hairline, so a month with nothing still has its place.
            className="time-bar" + (" now" if i == chosen else ""),
            style={"height": f"{max(value / top * 100, 4):.1f}%" if value else "1px"},
            title=f"{date_text(month)}: {number(value)}",
        )
        for i, (month, value) in enumerate(zip(months, series.values))
    ]
    return html.Div(
        [
            html.Span(
                [
                    series.label,
                    " ",
                    # Translators: after a chart row's label: the largest value its bars reach, "(to 18)".
                    html.Strong(_("(to {n})").format(n=number(max(series.values))), className="time-row-top"),
                ],
                className="time-row-label",
            ),
            html.Div(
                bars,
                className="time-bars",
                role="img",
                **attrs(aria_label=w.series_summary(series.label, series.steps(months))),
            ),
        ],
        className=f"time-row time-row-{series.key}",
    )


def time_chart(model: Model, state: ViewState) -> list:
    """The chart's rows for a view, the chosen month outlined (the browser moves the outline as the date moves)."""
    months = model.catalog.months
    chosen = months.index(state.as_of) if state.as_of in months else len(months) - 1
    return [_row(series, months, chosen) for series in time_series(model, state)]


def event_ticks(model: Model) -> list:
    """Marks under the date slider at the months with an event, at the slider's own positions for those months."""
    months = model.catalog.months
    last = len(months) - 1
    return [
        html.Span(
            className="time-tick",
            # The slider places month i at i/last of its track, inset by half its 16 px thumb at both ends.
            style={"left": f"calc({i / last * 100:.4f}% + {8 - 16 * i / last:.3f}px)"},
            title=date_text(months[i]),
        )
        for i in event_months(model)
    ]
