"""The site's routes on the Flask server: town and agency pages and their preview images, search, sitemap, robots,
compare pages, the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from flask import Flask, redirect, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as ResponseBase

from dashboard import language
from dashboard.config import (
    SOURCE_LANGUAGE,
    check_corrections_url,
    check_public_url,
    corrections_url_from_env,
    public_url_from_env,
)
from dashboard.data.model import Model
from dashboard.data.place_search import place_index
from dashboard.data.place_search import search as search_places
from dashboard.serving.http import answer as http_answer
from dashboard.site import data_pages, dataset
from dashboard.site.api import Api, register_api
from dashboard.site.compare import Compare, register_compare
from dashboard.site.document import document, site_of
from dashboard.site.locator import Locator
from dashboard.site.pages import Page, Pages, not_found_page, search_page
from dashboard.site.preview import IMAGE_SUFFIX, preview_image
from dashboard.site.search_results import page_of, search_results_page
from dashboard.site.slugs import Directory, Place, build_directory
from dashboard.site.source import source_block
from dashboard.site.templating import href, render

HTML = "text/html"
#: A search box's text longer than this is not a name.
MAX_SEARCH = 200


@dataclass(frozen=True)
class SitemapEntry:
    """A page in one language, and the same page in every language (its alternates, by language tag)."""

    path: str
    alternates: tuple[tuple[str, str], ...]


def sitemap_xml(directory: Directory, base: str) -> str:
    """Every page's absolute address in every language, each with its alternates, as a sitemap. The map page is one
    entry: its other languages are its views with `lang=`, named as its alternates."""
    paths = ["/town-search", dataset.DATA_PATH, dataset.CHANGES_PATH] + [p.path for p in directory.towns.values()]
    paths += [p.path for p in directory.agencies.values()]
    codes = [(lang.tag, code) for code, lang in language.languages().items()]
    default = ("x-default", SOURCE_LANGUAGE)
    entries = [SitemapEntry("/", tuple((tag, href("/", code)) for tag, code in (*codes, default)))]
    for path in paths:
        alternates = tuple((tag, href(path, code)) for tag, code in (*codes, default))
        entries += [SitemapEntry(href(path, code), alternates) for _, code in codes]
    return str(render("sitemap.xml", base=base, entries=entries)) + "\n"


def switch_query() -> str:
    """The request's query as the language switch keeps it: all but its language."""
    return urlencode([(k, v) for k, v in parse_qsl(request.query_string.decode("latin-1")) if k != "lang"])


def register_site(
    server: Flask,
    model: Model,
    data_dir: Path,
    public_url: str | None = None,
    corrections_url: str | None = None,
    catch_all: str | None = None,
) -> Callable[..., ResponseBase]:
    """Add the town and agency pages, their preview images, the search, the compare pages, the data page and its
    changes, /sitemap.xml, /robots.txt and /api/v1 to the server. Absolute addresses start with `public_url`; None
    reads DASHBOARD_PUBLIC_URL (config.py), and an empty one uses the host each request names. `corrections_url`
    (None: DASHBOARD_CORRECTIONS_URL) is where readers report an error. Returns the view for an address that is no
    page (a 404 page with the search box; an address with one slash too many is sent to its page): the composition
    root puts it on the catch-all rule named `catch_all`, which it skips when matching."""
    # Checked here too: a bad value stops the start with the variable named, before any page is served.
    configured = public_url_from_env() if public_url is None else check_public_url(public_url)
    corrections = corrections_url_from_env() if corrections_url is None else check_corrections_url(corrections_url)
    source = source_block(model, data_dir)
    site = site_of(model, data_dir, source)
    directory = build_directory(model)
    locator = Locator(model.map)
    report = partial(data_pages.report, corrections, source)
    pages = Pages(model, directory, locator, partial(data_pages.guidance, model), report)
    # Pages are pure functions of the read-only model and the language: each is built once per language, on its first
    # request, and kept under its address in that language.
    built: dict[str, Page] = {}

    def base() -> str:
        return configured or request.host_url.rstrip("/")

    def answer(page: Page, path: str, status: int = 200) -> ResponseBase:
        text = document(site, page, base_url=base(), path=path, query=switch_query())
        return http_answer(text.encode(), HTML, status=status)

    def cached(place: Place, build: Callable[[], Page]) -> ResponseBase:
        key = href(place.path)
        if key not in built:
            built[key] = build()
        return answer(built[key], place.path)

    def not_found() -> ResponseBase:
        return answer(not_found_page(), request.path, status=404)

    def moved(place: Place | None) -> ResponseBase:
        if place is None:
            return not_found()
        return redirect(href(place.path), code=301)

    def town(slug: str) -> ResponseBase:
        if slug.endswith(IMAGE_SUFFIX):
            return preview_image(model, directory, "town", slug.removesuffix(IMAGE_SUFFIX))
        if slug in directory.towns:
            place = directory.towns[slug]
            town_id = directory.town_id(slug)
            return cached(place, lambda: pages.town(town_id))
        return moved(directory.find(slug))

    def agency(agency_id: str) -> ResponseBase:
        if agency_id.endswith(IMAGE_SUFFIX):
            return preview_image(model, directory, "agency", agency_id.removesuffix(IMAGE_SUFFIX))
        if agency_id in directory.agencies:
            return cached(directory.agencies[agency_id], lambda: pages.agency(agency_id))
        return moved(directory.find(agency_id))

    def search() -> ResponseBase:
        query = request.args.get("q", "")[:MAX_SEARCH]
        if not query.strip():
            return answer(search_page(query, [], directory), "/town-search")
        # Only a town's or agency's own name (or an address typed as one) leads straight to its page; a village,
        # neighborhood or ZIP code is said to be in its town, and a close spelling is only offered.
        result = search_places(place_index(model), query)
        target = result.only_target
        exact = page_of(target, directory) if target is not None else None
        if exact is None and not result.exact:
            exact = directory.find(query)
        if exact is not None:
            return redirect(href(exact.path), code=302)
        return answer(search_results_page(result, directory), "/town-search")

    def index() -> ResponseBase:
        return redirect(href("/town-search"), code=302)

    data_built: dict[tuple[str, str], Page] = {}

    def data() -> ResponseBase:
        at = (base(), language.current().code)
        page = data_built.get(at) or data_pages.data_page(model, data_dir, source, corrections, at[0])
        if len(data_built) < dataset.MAX_HOSTS * len(language.languages()):  # the Host header is the client's: keep
            data_built[at] = page  # a few pages, not one each
        return answer(page, dataset.DATA_PATH)

    def changes() -> ResponseBase:
        key = href(dataset.CHANGES_PATH)
        if key not in built:
            built[key] = data_pages.changes_page(data_dir)
        return answer(built[key], dataset.CHANGES_PATH)

    def known(path: str) -> bool:
        """Whether an address names a page: a rule other than the catch-all, and a town or agency that exists."""
        try:
            endpoint, values = server.url_map.bind("localhost").match(path, method="GET")
        except HTTPException:
            return False
        if endpoint == catch_all:
            return False
        if endpoint == "site_town":
            slug = str(values["slug"])
            return slug in directory.towns or directory.find(slug) is not None
        if endpoint == "site_agency":
            name = str(values["agency_id"])
            return name in directory.agencies or directory.find(name) is not None
        return True

    def unknown(path: str = "") -> ResponseBase:
        """An address no rule serves: its page without the trailing slash if there is one, or a 404 page."""
        trimmed = request.path.rstrip("/")
        if trimmed and trimmed != request.path and known(trimmed):
            query = request.query_string.decode("latin-1")
            return redirect(href(trimmed) + ("?" + query if query else ""), code=301)
        return not_found()

    def sitemap() -> ResponseBase:
        return http_answer(sitemap_xml(directory, base()).encode(), "application/xml")

    def robots() -> ResponseBase:
        text = f"User-agent: *\nAllow: /\nSitemap: {base()}/sitemap.xml\n"
        return http_answer(text.encode(), "text/plain")

    server.add_url_rule("/town/<slug>", endpoint="site_town", view_func=town)
    server.add_url_rule("/agency/<agency_id>", endpoint="site_agency", view_func=agency)
    server.add_url_rule("/town/", endpoint="site_towns", view_func=index)
    server.add_url_rule("/agency/", endpoint="site_agencies", view_func=index)
    server.add_url_rule("/town-search", endpoint="site_search", view_func=search)
    server.add_url_rule("/search", endpoint="site_search_short", view_func=search)
    server.add_url_rule(dataset.DATA_PATH, endpoint="site_data", view_func=data)
    server.add_url_rule(dataset.CHANGES_PATH, endpoint="site_changes", view_func=changes)
    server.add_url_rule("/sitemap.xml", endpoint="site_sitemap", view_func=sitemap)
    server.add_url_rule("/robots.txt", endpoint="site_robots", view_func=robots)
    register_api(server, Api(model, directory, site.version, source))
    register_compare(server, Compare(model, directory, locator), answer)
    return unknown
