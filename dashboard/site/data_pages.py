"""The /data page (what the data is, its licence, version, dates, place, sources, downloads, API, citation and how to
report an error) and the /data/changes page (the data changelog in plain words, newest first)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard.data import schema
from dashboard.data.coverage import data_dates
from dashboard.data.model import Model
from dashboard.data.sources import read_table
from dashboard.data.version import CHANGELOG
from dashboard.language import _
from dashboard.site import dataset
from dashboard.site.pages import Page
from dashboard.site.templating import render
from dashboard.views import wording
from dashboard.views.captions import dates_sentence
from dashboard.views.wording import Link, Sentence
from dashboard.views.words import date_text

#: The API's documentation page (site/openapi.py serves it).
API_DOCS_PATH = "/api/v1/"


@dataclass(frozen=True)
class DownloadRow:
    """A download as the page's table lists it."""

    table_name: str
    table_description: str
    name: str
    path: str
    format: str
    size: str


@dataclass(frozen=True)
class Day:
    """A changelog date: as the machine reads it and in words."""

    iso: str
    words: str


@dataclass(frozen=True)
class Change:
    """One change and why."""

    change: str
    reason: str


def guidance(model: Model) -> tuple[Sentence, ...]:
    """How anyone may ask a town for its records: each outside fact in our words, the law's words, its source."""
    return tuple(
        wording.guidance_sentence(
            str(r.claim), r.quote if isinstance(r.quote, str) else "", Link(r.source_title, r.source_url)
        )
        for r in model.guidance.itertuples()
    )


def report(corrections_url: str, source: Mapping[str, str]) -> Sentence:
    """How to report an error: the operator's address, or the records page and the list of changes."""
    return wording.report_error_sentence(corrections_url, Link(source["title"], source["url"]), dataset.CHANGES_PATH)


def data_page(model: Model, data_dir: Path, source: Mapping[str, str], corrections_url: str, base: str) -> Page:
    """The /data page, with the Dataset's JSON-LD in its head (absolute addresses start with `base`)."""
    pub = model.publication
    why = read_table(data_dir, schema.PUBLICATION).set_index("field")["why"]
    dates = data_dates(model)
    tables: dict[str, tuple[str, str]] = wording.DATA_TABLES  # read once: each read words them again
    rows = [
        DownloadRow(*tables[d.table], name=d.name, path=d.path, format=d.format, size=d.size)
        for d in dataset.downloads(model, source)
    ]
    body = render(
        "data.html",
        title=pub["title"],
        alternate_name=wording.DATASET_ALTERNATE_NAME,
        description=wording.DATASET_DESCRIPTION,
        outside_note=wording.OUTSIDE_NOTE,
        licence=wording.licence_sentence(
            Link(pub["data_licence_title"], pub["data_licence_url"]), str(why["data_licence"])
        ),
        credit=wording.credit_sentence(pub["credit"]),
        code_licence=wording.code_licence_sentence(Link(pub["code_licence_title"], pub["code_licence_url"])),
        revision=wording.revision_line(model.data_version),
        dates=dates_sentence(model),
        changes_path=dataset.CHANGES_PATH,
        changes_link=wording.CHANGES_LINK,
        coverage=wording.coverage_sentence(len(model.towns), dates.first_month, dates.last_month),
        based_on=wording.based_on_sentence(Link(source["title"], source["url"]), dates.index_dated),
        downloads_note=wording.DOWNLOADS_NOTE,
        downloads=rows,
        api=wording.api_sentence(Link(wording.API_LINK, API_DOCS_PATH)),
        report_heading=wording.REPORT_HEADING,
        report=report(corrections_url, source),
    )
    return Page(
        # Translators: a page's title: the data's published title (a name), then what the page is.
        title=_("{title}: {page}").format(title=pub["title"], page=wording.DATA_TITLE),
        description=wording.DATASET_DESCRIPTION,
        body=body,
        cite=True,
        head=dataset.jsonld_script(dataset.dataset_jsonld(model, data_dir, source, base)),
    )


def changes(data_dir: Path) -> list[tuple[Day, list[Change]]]:
    """The changelog, newest first: by date, and within a date the last written first (rows are appended)."""
    log = read_table(data_dir, CHANGELOG)
    days: dict[str, list[Change]] = {}
    for row in log.itertuples():
        days.setdefault(str(row.date), []).append(
            Change(_(str(row.change)).rstrip("."), wording.change_reason(row.reason))  # data/ extracts both
        )
    return [(Day(day, date_text(day)), days[day][::-1]) for day in sorted(days, reverse=True)]


def changes_page(data_dir: Path) -> Page:
    """The /data/changes page."""
    body = render(
        "changes.html",
        title=wording.CHANGES_TITLE,
        description=wording.CHANGES_DESCRIPTION,
        data_path=dataset.DATA_PATH,
        data_link=wording.DATA_LINK,
        days=changes(data_dir),
    )
    return Page(title=wording.CHANGES_TITLE, description=wording.CHANGES_DESCRIPTION, body=body)
