"""The dates the data itself covers, set apart from its version (a revision of this map's files)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.data.model import Model


@dataclass(frozen=True)
class DataDates:
    """The data's own dates, set apart from its version: years filed, the index's date, the last decision, the span
    the map's time control covers (first and last month)."""

    first_year: int
    last_year: int
    index_dated: str
    last_decision: str
    first_month: str
    last_month: str


def data_dates(model: Model) -> DataDates:
    """The dates the data itself covers, read from the published figures, the policy events and the catalog."""
    published = model.published
    return DataDates(
        first_year=int(str(published["first_year_filed"])),
        last_year=int(str(published["last_year_filed"])),
        index_dated=str(published["published"]),
        last_decision=str(model.events["date"].astype(str).max()),
        first_month=model.catalog.months[0],
        last_month=model.catalog.months[-1],
    )
