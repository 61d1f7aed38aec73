"""The site's pages in Spanish and Portuguese: `/es/…` and `/pt/…` on the real app, worded from the catalogues, with
the language's own dates and numbers, links that keep the language, alternates, the sitemap, and quotes left in
English. The English pages keep their addresses and words."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from html_check import Page
from shipped_catalogues import shipped

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.server import create_app

REPO = Path(__file__).resolve().parent.parent
#: Each language's address code and its BCP 47 tag.
LANGUAGES = {"es": "es", "pt": "pt-BR"}
#: Boston's ban, adopted June 24, 2020 (data/policy_events.csv), and its 617,594 residents (the records page's
#: 2010 census figure), as CLDR writes them in each language (written out by hand).
BAN_DAY = {"es": "24 de junio de 2020", "pt": "24 de junho de 2020"}
RESIDENTS = {"es": "617.594", "pt": "617.594"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def client(model: Model, config: Config):
    return create_app(model, data_dir=config.data_dir).server.test_client()


def catalogue(code: str) -> dict[str, str]:
    """A language's translated messages (singular msgid -> msgstr), read from its catalogue with Babel."""
    found = {}
    for message in shipped(code):
        if message.id and not isinstance(message.id, tuple) and message.string:
            found[message.id] = message.string
    return found


def get_page(client, path: str, status: int = 200) -> tuple[str, Page]:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code, response.headers.get("Location"))
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    page = Page(text)
    assert page.errors == [] and page.open == [], (path, page.errors[:3], page.open)
    return text, page


def words(page: Page) -> str:
    return " ".join(page.text)


def switch_links(page: Page) -> list[dict[str, str | None]]:
    """The language switch's links: this site's anchors that name their language (a link to the records page names
    its English too)."""
    return [
        a
        for a in page.all("a")
        if a.get("hreflang") and a.get("lang") == a.get("hreflang") and str(a.get("href")).startswith("/")
    ]


@pytest.mark.parametrize("code", ["es", "pt"])
def test_a_town_page_in_another_language(client, code: str) -> None:
    text, page = get_page(client, f"/{code}/town/boston")
    assert len(text.encode()) <= 100 * 1024  # as small as an English page must be (tests/test_site.py)
    tag = LANGUAGES[code]
    assert page.all("html") == [{"lang": tag}]
    said = words(page)
    messages = catalogue(code)
    # The page's own words, as the catalogue translates them (placeholders filled as the template fills them).
    for english, values in [
        ("Who else reaches %(name)s", {"name": "Boston"}),
        ("%(clearview)s: what the records page says of the police department", {"clearview": "Clearview AI"}),
        ("All towns and agencies", {}),
        ("Record (source)", {}),
        ("Submitted to", {}),
        ("Compare %(name)s with", {"name": "Boston"}),
    ]:
        assert english in messages, f"{english!r} is not translated in {code}"
        assert messages[english] % values in said, (code, english)
    assert "Who else reaches Boston" not in said
    # The language's own dates and numbers.
    assert BAN_DAY[code] in said and "June 24, 2020" not in said
    assert RESIDENTS[code] in said and "617,594" not in said
    # Names stay as published.
    assert "<h1>Boston</h1>" in text and "Massachusetts State Police" in said


@pytest.mark.parametrize("code", ["es", "pt"])
def test_links_keep_the_language(client, code: str) -> None:
    _, page = get_page(client, f"/{code}/town/boston")
    switch = switch_links(page)
    hrefs = [str(a["href"]) for a in page.all("a") if a not in switch]
    internal = [h for h in hrefs if h.startswith("/")]
    assert f"/{code}/agency/msp" in internal and f"/{code}/town/winthrop" in internal  # a statewide agency, a UASI town
    assert f"/{code}/data" in internal and f"/{code}/data/changes" in internal and f"/{code}/town-search" in internal
    maps = [h for h in internal if urlsplit(h).path == "/"]
    assert maps, "no link to the map"
    for address in internal:
        parts = urlsplit(address)
        if parts.path == "/":
            # The map is one address for every language: its language is in its query, as every choice of its view.
            assert parse_qs(parts.query)["lang"] == [code], address
        else:
            assert address.startswith(f"/{code}/"), address
    # The map on this town: Boston is TOWN_ID 35 (data/towns in the records page's order).
    assert {"town": ["35"], "lang": [code]} in [parse_qs(urlsplit(h).query) for h in maps]
    forms = {str(f.get("action")) for f in page.all("form")}
    assert forms == {f"/{code}/compare"}


@pytest.mark.parametrize("code", ["es", "pt"])
def test_the_language_switch_keeps_the_page(client, code: str) -> None:
    _, page = get_page(client, f"/{code}/town/boston")
    switch = switch_links(page)
    assert [(a["hreflang"], a["href"]) for a in switch] == [
        ("en", "/town/boston"),
        ("es", "/es/town/boston"),
        ("pt-BR", "/pt/town/boston"),
    ]
    current = [a for a in switch if a.get("aria-current")]
    assert len(current) == 1 and current[0]["hreflang"] == LANGUAGES[code]
    # Each language under its own name.
    assert {"English", "Español", "Português"} <= set(page.text)
    # A search keeps its words when the language changes, but not its old language.
    _, found = get_page(client, f"/{code}/town-search?q=spring&lang={code}")
    assert ("en", "/town-search?q=spring") in [(a["hreflang"], a["href"]) for a in switch_links(found)]


def test_every_page_names_its_alternates(client) -> None:
    for path in ["/town/boston", "/es/agency/msp", "/pt/data", "/es/compare/boston+cambridge", "/town-search"]:
        _, page = get_page(client, path)
        english = re.sub(r"^/(es|pt)/", "/", path)
        alternates = {a["hreflang"]: a["href"] for a in page.all("link") if a.get("rel") == "alternate"}
        assert alternates == {
            "en": f"http://localhost{english}",
            "es": f"http://localhost/es{english}",
            "pt-BR": f"http://localhost/pt{english}",
            "x-default": f"http://localhost{english}",
        }, path
        canonical = [a["href"] for a in page.all("link") if a.get("rel") == "canonical"]
        assert canonical == [f"http://localhost{path}"]


def test_the_sitemap_lists_every_page_in_every_language(client, model: Model) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.get_data())
    urls = {u.findtext(f"{SITEMAP}loc"): u for u in root.iter(f"{SITEMAP}url")}
    for code in ("", "/es", "/pt"):
        towns = [u for u in urls if u and u.startswith(f"http://localhost{code}/town/")]
        assert len(towns) == 351, code
        for agency in model.agencies.index:
            assert f"http://localhost{code}/agency/{agency}" in urls
        assert f"http://localhost{code}/data" in urls
    boston = urls["http://localhost/es/town/boston"]
    alternates = {a.get("hreflang"): a.get("href") for a in boston.iter(f"{XHTML}link")}
    assert alternates == {
        "en": "http://localhost/town/boston",
        "es": "http://localhost/es/town/boston",
        "pt-BR": "http://localhost/pt/town/boston",
        "x-default": "http://localhost/town/boston",
    }
    # The map is one entry: its other languages are its views with lang=.
    home = {a.get("hreflang"): a.get("href") for a in urls["http://localhost/"].iter(f"{XHTML}link")}
    assert home["es"] == "http://localhost/?lang=es" and home["pt-BR"] == "http://localhost/?lang=pt"


def test_an_english_page_is_unchanged(client) -> None:
    text, page = get_page(client, "/town/boston")
    assert page.all("html") == [{"lang": "en"}]
    said = words(page)
    assert "Who else reaches Boston" in said and "June 24, 2020" in said and "617,594" in said
    assert 'href="/?town=35"' in text and 'href="/agency/msp"' in text and 'action="/compare"' in text
    internal = [str(a["href"]) for a in page.all("a") if str(a["href"]).startswith("/") and a not in switch_links(page)]
    assert not [h for h in internal if h.startswith(("/es/", "/pt/")) or "lang=" in h]
    assert "<q>" in text and '<q lang="en">' not in text and "quote-translation" not in text
    current = [a for a in switch_links(page) if a.get("aria-current")]
    assert [a["href"] for a in current] == ["/town/boston"]


def test_pages_are_kept_apart_by_language(client) -> None:
    """The same page asked in one language, then another, then the first again: each in its own words."""
    for path in ["/town/springfield", "/agency/msp", "/data", "/data/changes", "/compare/boston+cambridge"]:
        first, _ = get_page(client, path)
        spanish, _ = get_page(client, f"/es{path}")
        again, _ = get_page(client, path)
        assert '<html lang="en">' in first and '<html lang="es">' in spanish, path
        assert again == first, path
        portuguese, _ = get_page(client, f"/pt{path}")
        assert '<html lang="pt-BR">' in portuguese and portuguese != spanish, path
    assert get_page(client, "/town/boston?lang=es")[0].startswith('<!doctype html>\n<html lang="es">')


@pytest.mark.parametrize("code", ["es", "pt"])
def test_an_unknown_address_is_the_404_page_in_the_language(client, code: str) -> None:
    text, page = get_page(client, f"/{code}/no-such-page", status=404)
    assert page.all("html") == [{"lang": LANGUAGES[code]}]
    messages = catalogue(code)
    assert messages["Find a town or agency"] in words(page)
    assert {"action": f"/{code}/town-search", "method": "get", "role": "search"} in page.all("form")
    hrefs = {a.get("href") for a in page.all("a")}
    assert f"/?lang={code}" in hrefs and f"/{code}/town-search" in hrefs and f"/{code}/data" in hrefs
    assert "_dash-" not in text


@pytest.mark.parametrize("code", ["es", "pt"])
def test_redirects_keep_the_language(client, code: str) -> None:
    for path, target in [
        ("/town/boston-pd", "/town/boston"),
        ("/town/boston/", "/town/boston"),
        ("/town-search?q=Worcester", "/town/worcester"),
        ("/town/", "/town-search"),
        ("/compare?town=boston&town=cambridge", "/compare/boston+cambridge"),
        ("/compare/Boston+cambridge", "/compare/boston+cambridge"),
    ]:
        response = client.get(f"/{code}{path}")
        assert response.status_code in (301, 302), path
        assert response.headers["Location"] == f"/{code}{target}", path


def test_a_compare_problem_is_said_in_the_language(client) -> None:
    messages = catalogue("es")
    _, page = get_page(client, "/es/compare/boston", status=400)
    heading = messages["Compare two to four towns"]
    assert heading in page.text
    problem = messages["Compare {least} to {most} towns: this address names {count}."]
    assert problem.format(least="2", most="4", count="1") in words(page)


def quotes_of_boston() -> list[str]:
    """Boston's policy decisions' quotes, as data/policy_events.csv holds them."""
    with (REPO / "data" / "policy_events.csv").open(encoding="utf-8") as f:
        return [row["source_quote"] for row in csv.DictReader(f) if row["jurisdiction"] == "Boston"]


@pytest.mark.parametrize("code", ["es", "pt"])
def test_a_quote_stays_in_english(client, code: str) -> None:
    text, _ = get_page(client, f"/{code}/town/boston")
    text = text.replace("&#39;", "'").replace("&#34;", '"')  # the apostrophes and quotation marks as typed
    quotes = quotes_of_boston()
    assert quotes
    messages = catalogue(code)
    for quote in quotes:
        quoted = f'<q lang="en">{html.escape(quote, quote=False)}</q>'
        assert quoted in text, quote
        translated = messages.get(quote)
        if translated:  # our translation beside it, said to be ours
            after = text.split(quoted, 1)[1]
            assert after.startswith(' <span class="quote-translation">'), quote
            assert html.escape(translated, quote=False) in after.split("</span>", 1)[0], quote


@pytest.mark.parametrize("code", ["es", "pt"])
def test_the_api_words_follow_the_language(client, code: str) -> None:
    english = client.get("/api/v1/towns/boston").get_json()
    answer = client.get(f"/{code}/api/v1/towns/boston").get_json()
    assert answer.keys() == english.keys() and answer["data"] == english["data"]  # keys, ids and columns: English
    assert answer["links"] == {"page": f"/{code}/town/boston", "map": f"/?town=35&lang={code}"}
    # The records page's index is dated February 26, 2021 (data/published_figures.csv).
    day = {"es": "26 de febrero de 2021", "pt": "26 de fevereiro de 2021"}[code]
    assert day in answer["source"]["credit"] and "February 26, 2021" in english["source"]["credit"]
    view = client.get(f"/api/v1/view?town=35&lang={code}").get_json()
    assert view["query"] == f"?town=35&lang={code}" and view["view"]["lang"] == code
    assert client.get(f"/{code}/api/v1/view?town=35").get_json()["query"] == view["query"]  # the prefix, as lang=
    assert client.get(f"/api/v1/towns?lang={code}").status_code == 200
    assert client.get("/api/v1/towns?page=2").status_code == 400
