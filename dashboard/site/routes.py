"""The site's routes on the Flask server: town and agency pages and their preview images, search, sitemap, robots,
compare pages, the API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask, redirect, request
from werkzeug.wrappers import Response as ResponseBase

from dashboard.config import check_public_url, public_url_from_env
from dashboard.data.model import Model
from dashboard.data.version import data_version
from dashboard.serving.http import answer as http_answer
from dashboard.site.api import Api, register_api
from dashboard.site.compare import Compare, register_compare
from dashboard.site.document import Site, document
from dashboard.site.locator import Locator
from dashboard.site.pages import Page, Pages, not_found_page, search_page
from dashboard.site.preview import IMAGE_SUFFIX, preview_image
from dashboard.site.slugs import Directory, Place, build_directory
from dashboard.site.source import source_block
from dashboard.site.templating import render

HTML = "text/html"
#: A search box's text longer than this is not a name.
MAX_SEARCH = 200


def sitemap_xml(directory: Directory, base: str) -> str:
    """Every page's absolute address, as a sitemap."""
    paths = ["/", "/town-search"] + [p.path for p in directory.towns.values()]
    paths += [p.path for p in directory.agencies.values()]
    return str(render("sitemap.xml", base=base, paths=paths)) + "\n"


def register_site(server: Flask, model: Model, data_dir: Path, public_url: str | None = None) -> None:
    """Add the town and agency pages, their preview images, the search, the compare pages, /sitemap.xml,
    /robots.txt and /api/v1 to the server. Absolute addresses start with `public_url`; None reads
    DASHBOARD_PUBLIC_URL (config.py), and an empty one uses the host each request names."""
    # Checked here too: a bad value stops the start with the variable named, before any page is served.
    configured = public_url_from_env() if public_url is None else check_public_url(public_url)
    source = source_block(model, data_dir)
    site = Site(
        version=data_version(data_dir), credit=source["credit"], source_url=source["url"], source_title=source["title"]
    )
    directory = build_directory(model)
    locator = Locator(model.map)
    pages = Pages(model, directory, locator)
    # Pages are pure functions of the read-only model: each is built once, on its first request.
    built: dict[str, Page] = {}

    def base() -> str:
        return configured or request.host_url.rstrip("/")

    def answer(page: Page, path: str, status: int = 200) -> ResponseBase:
        text = document(site, page, base_url=base(), path=path)
        return http_answer(text.encode(), HTML, status=status)

    def cached(place: Place, build: Callable[[], Page]) -> ResponseBase:
        if place.path not in built:
            built[place.path] = build()
        return answer(built[place.path], place.path)

    def moved(place: Place | None) -> ResponseBase:
        if place is None:
            return answer(not_found_page(request.path), request.path, status=404)
        return redirect(place.path, code=301)

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
        exact = directory.find(query) if query.strip() else None
        found = [exact] if exact is not None else directory.search(query)
        if len(found) == 1:
            return redirect(found[0].path, code=302)
        return answer(search_page(query, found, directory), "/town-search")

    def index() -> ResponseBase:
        return redirect("/town-search", code=302)

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
    server.add_url_rule("/sitemap.xml", endpoint="site_sitemap", view_func=sitemap)
    server.add_url_rule("/robots.txt", endpoint="site_robots", view_func=robots)
    register_api(server, Api(model, directory, site.version, source))
    register_compare(server, Compare(model, directory, locator), answer)
