"""The HTML around every server-rendered page (templates/document.html): head metadata, one inline stylesheet
(templates/style.css, screen and print), the site's links, the language switch and the footer.

A page is worded in the language in use; its address in each language is named in the head (hreflang alternates,
English the default) and offered in the language switch, each language under its own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.coverage import DataDates, data_dates
from dashboard.data.model import Model
from dashboard.data.version import data_version
from dashboard.site.templating import href, render
from dashboard.views import wording

if TYPE_CHECKING:
    from collections.abc import Mapping

    from dashboard.site.pages import Page


@dataclass(frozen=True)
class Site:
    """What every page's footer says: the data version, the source (its index's date for the credit) and the data's
    licence; and what a citation names (creator, title, licence). Facts only: each page words them in its language."""

    version: str
    index_dated: str
    source_url: str
    source_title: str
    licence: str = ""
    licence_title: str = ""
    licence_url: str = ""
    creator: str = ""
    title: str = ""
    dates: DataDates | None = None  # the data's own dates, set apart from the version (a revision of this map's files)


def site_of(model: Model, data_dir: Path, source: Mapping[str, str]) -> Site:
    """The footer's and citations' facts for every page: version, source, licence, and the data's own dates."""
    pub = model.publication
    return Site(
        version=data_version(data_dir),
        index_dated=source["index_dated"],
        source_url=source["url"],
        source_title=source["title"],
        licence=pub["data_licence"],
        licence_title=pub["data_licence_title"],
        licence_url=pub["data_licence_url"],
        creator=pub["creator"],
        title=pub["title"],
        dates=data_dates(model),
    )


@dataclass(frozen=True)
class Preview:
    """The image a link card shows for a page: its path on this site, its size in pixels, what it shows in words."""

    path: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class Alternate:
    """The page in one language: its language, its address, and whether it is the one shown."""

    tag: str  # BCP 47, for hreflang and lang
    name: str  # the language's name in itself
    path: str
    current: bool


def alternates(path: str, query: str = "") -> list[Alternate]:
    """The page at `path` in every language, English first (`query` kept: the language switch keeps the page)."""
    now = language.current().code
    return [
        Alternate(lang.tag, lang.name, href(path, code) + (f"?{query}" if query else ""), code == now)
        for code, lang in language.languages().items()
    ]


def dates_words(dates: DataDates | None) -> str:
    """The data's own dates in words, in the language in use."""
    if dates is None:
        return ""
    return wording.data_dates(dates.first_year, dates.last_year, dates.index_dated, dates.last_decision)


def document(site: Site, page: Page, *, base_url: str, path: str, query: str = "") -> str:
    """A whole page, in the language in use: its body with its title, description, canonical address (this
    language's), the page in every language, preview image and footer. `base_url` is the site's public address: every
    absolute address on the page starts with it; `path` is the page's address in English, `query` what the language
    switch keeps of the request's."""
    base = base_url.rstrip("/")
    canonical = base + href(path)
    cite = wording.cite_sentence(site.creator, site.title, site.version, canonical, site.licence) if page.cite else []
    return str(
        render(
            "document.html",
            lang=language.current().tag,
            site=site,
            page=page,
            base=base,
            canonical=canonical,
            alternates=alternates(path),
            default=base + href(path, SOURCE_LANGUAGE),
            switch=alternates(path, query),
            site_name=wording.TITLE,
            credit=wording.source_line(site.index_dated),
            dates=dates_words(site.dates),
            cite=cite,
            cite_heading=wording.CITE_HEADING,
            data_link=wording.DATA_LINK,
            changes_link=wording.CHANGES_LINK,
            revision=wording.revision_line(site.version),
        )
    )
