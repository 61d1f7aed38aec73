"""The HTML around every server-rendered page (templates/document.html): head metadata, one inline stylesheet
(templates/style.css, screen and print), the site's links and the footer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.data.model import Model
from dashboard.data.version import data_version
from dashboard.site.templating import render
from dashboard.views import wording
from dashboard.views.captions import dates_sentence
from dashboard.views.wording import TITLE

if TYPE_CHECKING:
    from dashboard.site.pages import Page


@dataclass(frozen=True)
class Site:
    """What every page's footer says: the data version, the source credit and the data's licence; and what a
    citation names (creator, title, licence)."""

    version: str
    credit: str
    source_url: str
    source_title: str
    licence: str = ""
    licence_title: str = ""
    licence_url: str = ""
    creator: str = ""
    title: str = ""
    dates: str = ""  # the data's own dates, set apart from the version (a revision of this map's files)


def site_of(model: Model, data_dir: Path, source: Mapping[str, str]) -> Site:
    """The footer's and citations' facts for every page: version, credit, licence, and the data's own dates."""
    pub = model.publication
    return Site(
        version=data_version(data_dir),
        credit=source["credit"],
        source_url=source["url"],
        source_title=source["title"],
        licence=pub["data_licence"],
        licence_title=pub["data_licence_title"],
        licence_url=pub["data_licence_url"],
        creator=pub["creator"],
        title=pub["title"],
        dates=dates_sentence(model),
    )


@dataclass(frozen=True)
class Preview:
    """The image a link card shows for a page: its path on this site, its size in pixels, what it shows in words."""

    path: str
    width: int
    height: int
    alt: str


def document(site: Site, page: Page, *, base_url: str, path: str) -> str:
    """A whole page: its body with its title, description, canonical address, preview image and footer.
    `base_url` is the site's public address: every absolute address on the page starts with it."""
    base = base_url.rstrip("/")
    canonical = base + path
    cite = wording.cite_sentence(site.creator, site.title, site.version, canonical, site.licence) if page.cite else []
    return str(
        render(
            "document.html",
            site=site,
            page=page,
            base=base,
            canonical=canonical,
            site_name=TITLE,
            cite=cite,
            cite_heading=wording.CITE_HEADING,
            data_link=wording.DATA_LINK,
            changes_link=wording.CHANGES_LINK,
            revision=wording.revision_line(site.version),
        )
    )
