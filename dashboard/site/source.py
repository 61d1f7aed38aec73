"""The records page every answer cites: its address and title as data/ gives them, and the map's credit line."""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.data import schema
from dashboard.data.model import Model
from dashboard.data.sources import read_table
from dashboard.views.wording import source_line

#: The published figure whose place on the page is the page's own heading ("Facial Recognition in Massachusetts:
#: '1,403 government documents'"): the title is the part before the colon.
TITLE_FIGURE = "government_documents"


def records_page_url(model: Model) -> str:
    """The page every section page of the records index sits under (their common parent address)."""
    urls = sorted(str(u) for u in model.records["section_url"].dropna().unique())
    prefix = os.path.commonprefix(urls)
    return prefix[: prefix.rfind("/") + 1]


def records_page_title(data_dir: Path) -> str:
    """The records page's heading, as the published figures name the place they quote."""
    figures = read_table(data_dir, schema.PUBLISHED_FIGURES).set_index("figure")
    return str(figures.loc[TITLE_FIGURE, "source"]).split(":", 1)[0].strip()


def source_block(model: Model, data_dir: Path) -> dict[str, str]:
    """What every API answer and page cites: the records page (address, title, its index's date), the credit, and the
    compiled data's licence beside the source's own credit."""
    return {
        "title": records_page_title(data_dir),
        "url": records_page_url(model),
        "published": str(model.published["published"]),  # the key the API has always had: the index's date
        "index_dated": str(model.published["published"]),
        "credit": source_line(model.published["published"]),
        "licence": model.publication["data_licence"],
        "licence_title": model.publication["data_licence_title"],
        "licence_url": model.publication["data_licence_url"],
        "rights": model.publication["credit"],
    }
