"""The records table as open data: the rows of the table under the map, unfiltered, as the page downloads them."""

from __future__ import annotations

import pandas as pd

from dashboard.data.model import Model
from dashboard.views import records as table

#: The columns of the page's "download the rows shown", in its order (the link becomes its address).
RECORD_COLUMNS = [c for c, _ in table.COLUMNS if c != "source"] + table.EXTRA_COLUMNS + ["source_url"]


def records_table(model: Model, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every record of the index and every Clearview listing (`rows`: all_rows(model), when already built)."""
    rows = table.all_rows(model) if rows is None else rows
    return rows.rename(columns={"url": "source_url"})[RECORD_COLUMNS].reset_index(drop=True)


def records_csv(model: Model) -> str:
    """The records table as CSV, exactly as the page downloads it with no filter chosen."""
    return table.to_csv(table.all_rows(model))
