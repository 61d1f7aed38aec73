"""The map page in Spanish and Portuguese: its language in the address (`lang=`), the page's `lang` and `hreflang`
alternates, a language switch that keeps the view (without script and with Dash), the browser's language offered but
never imposed, plotly's own locale, and Dash's callbacks answering in the view's language.

Expected words come from the catalogues (dashboard/locales/*/LC_MESSAGES/messages.po) and from CLDR month names
written out here; expected addresses from the request's own query.
"""

from __future__ import annotations

import codecs
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from browser_wait import wait_until_quiet, wait_until_settled
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait
from shipped_catalogues import by_message
from touch import tap

from dashboard.config import ASSETS_DIR
from dashboard.data.model import Model
from dashboard.server import create_app
from dashboard.web import ids

TOWNS = 351
BOSTON = 35  # Boston's TOWN_ID in data/ (the records page's largest city)
#: The map's title, as wording.py words it in English (its msgid).
TITLE = "Surveillance vendor reach in Massachusetts"
#: The language switch's links: code in the address -> (BCP 47 tag, the language's own name).
LANGUAGES = {"en": ("en", "English"), "es": ("es", "Español"), "pt": ("pt-BR", "Português")}


@pytest.fixture(scope="module")
def spanish() -> dict[str, object]:
    return by_message("es")


@pytest.fixture(scope="module")
def portuguese() -> dict[str, object]:
    return by_message("pt")


@pytest.fixture(scope="module")
def client(model: Model):
    return create_app(model).server.test_client()


class Anchors(HTMLParser):
    """A page's links (attributes and text), its `<link>`s, its `<html>` attributes and its `<title>`."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[dict[str, str | None], str]] = []
        self.links: list[dict[str, str | None]] = []
        self.root: dict[str, str | None] = {}
        self.titles: list[str] = []
        self._in: list[tuple[dict[str, str | None], list[str]]] = []
        self._title: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.root = dict(attrs)
        elif tag == "link":
            self.links.append(dict(attrs))
        elif tag == "a":
            self._in.append((dict(attrs), []))
        elif tag == "title" and not self.titles:
            self._title = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._in:
            attrs, text = self._in.pop()
            self.anchors.append((attrs, "".join(text).strip()))
        elif tag == "title" and self._title is not None:
            self.titles.append("".join(self._title).strip())
            self._title = None

    def handle_data(self, data: str) -> None:
        for _attrs, text in self._in:
            text.append(data)
        if self._title is not None:
            self._title.append(data)

    def by_id(self, element_id: str) -> tuple[dict[str, str | None], str]:
        found = [(a, t) for a, t in self.anchors if a.get("id") == element_id]
        assert len(found) == 1, element_id
        return found[0]


def _get(client, path: str, accept: str = "en-US,en;q=0.9") -> tuple[str, Anchors]:
    response = client.get(path, headers={"Accept-Language": accept})
    assert response.status_code == 200, path
    text = response.get_data(as_text=True)
    return text, Anchors(text)


def _query(href: str | None) -> dict[str, str]:
    """The view an address of the map page names (root-relative, or absolute on the test client's host)."""
    assert href is not None and href.removeprefix("http://localhost").startswith("/"), href
    parts = urlsplit(href)
    assert parts.path == "/", href
    return dict(parse_qsl(parts.query))


def _text(html: str) -> str:
    """The first view's words (tags, the map picture and data blocks left out)."""
    start = html.index('id="first-paint"')
    body = re.sub(r"<(svg|script|style)\b.*?</\1>", " ", html[start:], flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


# --- the first view, through the Flask test client -------------------------------------------------------------------

#: The default view in each language: absolute, as search engines read hreflang (the test client's host: no public
#: address is configured).
DEFAULT_ALTERNATES = {
    "en": "http://localhost/",
    "es": "http://localhost/?lang=es",
    "pt-BR": "http://localhost/?lang=pt",
    "x-default": "http://localhost/",
}


def test_the_spanish_page_says_its_language_and_its_alternates(client) -> None:
    _html, page = _get(client, "/?lang=es")
    assert page.root.get("lang") == "es"
    alternates = {link["hreflang"]: link["href"] for link in page.links if link.get("rel") == "alternate"}
    assert alternates == DEFAULT_ALTERNATES


def test_the_alternates_and_the_switch_keep_the_views_query(client) -> None:
    view = {"town": str(BOSTON), "date": "2020-06", "vendors": "briefcam"}
    _html, page = _get(client, "/?town=35&date=2020-06&vendors=briefcam&lang=es")
    alternates = {link["hreflang"]: link["href"] for link in page.links if link.get("rel") == "alternate"}
    assert _query(alternates["x-default"]) == view == _query(alternates["en"])
    assert _query(alternates["pt-BR"]) == {**view, "lang": "pt"}
    for code, (tag, name) in LANGUAGES.items():
        attrs, text = page.by_id(ids.language_link(code))
        assert text == name and attrs.get("lang") == tag and attrs.get("hreflang") == tag
        assert _query(attrs.get("href")) == (view if code == "en" else {**view, "lang": code})
        assert (attrs.get("aria-current") == "page") == (code == "es")


def test_the_spanish_page_is_worded_from_the_spanish_catalogue(client, spanish: dict) -> None:
    html, page = _get(client, "/?lang=es&town=35")
    words = _text(html)
    # The headline, the time control and the town search: what a visitor reads first.
    for msgid in (TITLE, "Show the map as of", "Find a town or agency", "Reset the view", "Timeline"):
        msgstr = spanish.get(msgid)
        assert msgstr and msgstr != msgid, f"{msgid!r} has no Spanish translation in the catalogue"
        assert str(msgstr) in words, msgid
    assert page.titles[0] == spanish[TITLE]
    assert "diciembre de 2021" in words  # the latest month, in Spanish (CLDR)
    # Its own language's name, never a translation of it.
    assert page.by_id(ids.language_link("pt"))[1] == "Português"


def test_the_first_views_forms_keep_the_language(client) -> None:
    html, _page = _get(client, "/?lang=pt&town=35")
    assert '<input type="hidden" name="lang" value="pt">' in html
    assert 'action="/pt/search"' in html  # the site's search page, in Portuguese
    # The form's answer is the view's address, in its language.
    response = client.get("/?view=1&lang=pt&town-search=35&time-date=0")
    assert response.status_code == 303
    assert dict(parse_qsl(urlsplit(response.headers["Location"]).query))["lang"] == "pt"


def test_the_language_prefix_of_the_map_is_a_permanent_redirect_to_lang(client) -> None:
    response = client.get("/es/")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/?lang=es")
    response = client.get("/pt/?town=35")
    assert response.status_code == 301
    assert dict(parse_qsl(urlsplit(response.headers["Location"]).query)) == {"town": "35", "lang": "pt"}


@pytest.mark.parametrize("path", ["/?lang=xx", "/?lang=", "/?lang=%3Cb%3E"])
def test_an_unknown_language_is_english(client, path: str) -> None:
    html, page = _get(client, path)
    assert page.root.get("lang") == "en"
    assert page.titles[0] == TITLE
    assert page.by_id(ids.language_link("en"))[0].get("aria-current") == "page"
    # Nothing of the unknown value is written back: the alternates are those of the default view.
    alternates = {link["hreflang"]: link["href"] for link in page.links if link.get("rel") == "alternate"}
    assert alternates == DEFAULT_ALTERNATES
    assert "lang=xx" not in html and "%3Cb%3E" not in html


def test_the_browsers_language_is_offered_never_imposed(client, spanish: dict, portuguese: dict) -> None:
    offer = "See this page in English"
    # An address without a language, a browser preferring Spanish: the English page, and one line in Spanish.
    response = client.get("/?town=35", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert response.status_code == 200 and "Accept-Language" in response.headers["Vary"]
    page = Anchors(response.get_data(as_text=True))
    assert page.root.get("lang") == "en"
    attrs, text = page.by_id(ids.LANGUAGE_SUGGESTION)
    assert text == spanish[offer] and attrs.get("lang") == "es"
    assert _query(attrs.get("href")) == {"town": "35", "lang": "es"}
    _html, page = _get(client, "/", accept="pt-BR,pt;q=0.9")
    assert page.by_id(ids.LANGUAGE_SUGGESTION)[1] == portuguese[offer]
    # An address that names its language, or a browser that prefers the page's: no offer.
    for path, accept in (("/?lang=en", "es"), ("/?lang=es", "es"), ("/", "en-US,en;q=0.9,es;q=0.8"), ("/", "fr")):
        html, _page = _get(client, path, accept=accept)
        assert f'id="{ids.LANGUAGE_SUGGESTION}"' not in html, (path, accept)


def test_a_views_parts_carry_the_switch_for_that_view(client) -> None:
    parts = client.get("/_view?town=35&lang=es").get_json()
    switch = Anchors(parts["parts"][ids.LANGUAGE_SWITCH])
    assert _query(switch.by_id(ids.language_link("en"))[0].get("href")) == {"town": "35"}
    assert _query(switch.by_id(ids.language_link("pt"))[0].get("href")) == {"town": "35", "lang": "pt"}
    assert parts["url"] == "/?town=35&lang=es"


def test_dash_gets_the_views_language_and_plotly_its_locale(client) -> None:
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/?lang=pt&town=35"}).get_json()
    text = json.dumps(layout)
    assert json.dumps({"data": "pt"})[1:-1] in text  # the language store the callbacks read
    assert '"locale": "pt-BR"' in text  # plotly's number formats and modebar
    # plotly's dictionary is listed for Dash only on a page in that language.
    scripts = {
        path: json.loads(re.search(r'id="dash-scripts"[^>]*>(.*?)</script>', _get(client, path)[0]).group(1))
        for path in ("/", "/?lang=pt", "/?lang=es")
    }
    assert not any("plotly-locale" in src for src in scripts["/"])
    assert [src.split("?")[0] for src in scripts["/?lang=pt"] if "plotly-locale" in src] == [
        "/assets/plotly-locale-pt-br.js"
    ]
    assert [src.split("?")[0] for src in scripts["/?lang=es"] if "plotly-locale" in src] == [
        "/assets/plotly-locale-es.js"
    ]
    # The vendored files are plotly's own: each registers its locale by the name the page's config asks for.
    assert 'name:"pt-BR"' in (ASSETS_DIR / "plotly-locale-pt-br.js").read_text(encoding="utf-8")
    assert client.get("/assets/plotly-locale-es.js").status_code == 200


def test_the_english_page_has_only_the_switch_and_alternates_more(client) -> None:
    html, page = _get(client, "/")
    assert page.root.get("lang") == "en" and page.titles[0] == TITLE
    assert f'id="{ids.LANGUAGE_SUGGESTION}"' not in html
    assert '<input type="hidden" name="lang"' not in html and 'action="/search"' in html
    assert page.by_id(ids.RESET)[0].get("href") == "/"


# --- in the browser --------------------------------------------------------------------------------------------------


def _url_query(driver) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(driver.current_url).query))


def _text_of(driver, element_id: str) -> str:
    return driver.execute_script(f"const e = document.getElementById('{element_id}'); return e ? e.innerText : '';")


def _plotly_dictionary(path: Path) -> dict[str, str]:
    """English -> translation of a plotly.js locale file (its `dictionary`, JavaScript escapes decoded)."""
    text = path.read_text(encoding="utf-8")
    block = text[text.index("dictionary:") : text.index("format:")]
    pairs = re.findall(r'(?:"((?:[^"\\]|\\.)*)"|(\w+)):"((?:[^"\\]|\\.)*)"', block)
    decode = lambda s: codecs.decode(s, "unicode_escape")  # noqa: E731
    return {decode(quoted or bare): decode(value) for quoted, bare, value in pairs}


def _count_pattern(msgstr: object) -> re.Pattern:
    """A table count as a catalogue's plural forms word it ("{count} de {total} filas")."""
    forms = [form for form in (msgstr if isinstance(msgstr, (list, tuple)) else [msgstr]) if form]
    assert forms, "the count has no translation"
    alternatives = [re.escape(str(f)).replace(r"\{count\}", r"[\d.]+").replace(r"\{total\}", r"[\d.]+") for f in forms]
    return re.compile("^(" + "|".join(alternatives) + ")$")


def test_the_spanish_map_stays_spanish_through_dash(dash_duo, spanish: dict) -> None:
    dash_duo.open("/?lang=es")
    wait_until_settled(dash_duo)
    driver = dash_duo.driver
    assert driver.execute_script("return document.documentElement.lang") == "es"
    assert driver.execute_script("return document.querySelector('#react-entry-point.taken') !== null")
    # plotly speaks Spanish too: its modebar's titles are the vendored dictionary's Spanish words.
    dictionary = _plotly_dictionary(ASSETS_DIR / "plotly-locale-es.js")
    titles = driver.execute_script(
        f"return Array.from(document.querySelectorAll('#{ids.MAP} .modebar-btn'), b => b.getAttribute('data-title'))"
    )
    assert titles and set(titles) <= set(dictionary.values()) - set(dictionary), titles
    # A click on a town: its panel, and the address keeps the language.
    ActionChains(driver).move_to_element(dash_duo.find_element(f"#{ids.MAP}")).click().perform()
    dash_duo.wait_for_element(f"#{ids.PANEL} .panel-title", timeout=10)
    WebDriverWait(driver, 10).until(lambda d: "town" in _url_query(d))
    town = _url_query(driver)["town"]
    assert _url_query(driver)["lang"] == "es"
    # A month earlier: the date, the caption and the table's count in Spanish, the address still Spanish.
    dash_duo.find_element(f"#{ids.DATE_BACK}").click()
    WebDriverWait(driver, 10).until(lambda d: _url_query(d).get("date") == "2021-11")
    assert _url_query(driver) == {"date": "2021-11", "town": town, "lang": "es"}
    WebDriverWait(driver, 10).until(lambda d: _text_of(d, ids.DATE_LABEL) == "noviembre de 2021")
    WebDriverWait(driver, 10).until(lambda d: "noviembre de 2021" in _text_of(d, ids.CAPTION))
    count = _count_pattern(spanish["{count} of {total} row"])
    WebDriverWait(driver, 10).until(lambda d: count.match(_text_of(d, ids.TABLE_COUNT)))
    assert _text_of(driver, "time-title") == spanish["Show the map as of"]
    # The switch follows the view shown.
    english = driver.find_element("id", ids.language_link("en")).get_dom_attribute("href")
    assert _query(english) == {"date": "2021-11", "town": town}
    assert dash_duo.get_logs() == []


def test_the_switch_opens_the_same_town_in_portuguese(dash_duo, portuguese: dict) -> None:
    dash_duo.open(f"/?town={BOSTON}")
    wait_until_settled(dash_duo)
    driver = dash_duo.driver
    dash_duo.find_element(f"#{ids.DATE_BACK}").click()  # a view Dash made, not the one the page was loaded with
    WebDriverWait(driver, 10).until(lambda d: _url_query(d).get("date") == "2021-11")
    link = f"#{ids.language_link('pt')}"
    WebDriverWait(driver, 10).until(
        lambda d: "date=2021-11" in (d.find_element("css selector", link).get_dom_attribute("href"))
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", dash_duo.find_element(link))
    dash_duo.find_element(link).click()
    WebDriverWait(driver, 15).until(lambda d: _url_query(d).get("lang") == "pt")
    assert _url_query(driver) == {"date": "2021-11", "town": str(BOSTON), "lang": "pt"}
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.documentElement.lang") == "pt-BR")
    wait_until_settled(dash_duo)
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Boston")
    assert _text_of(driver, ids.DATE_LABEL) == "novembro de 2021"
    assert _text_of(driver, "time-title") == portuguese["Show the map as of"]
    current = driver.find_element("css selector", f"#{ids.LANGUAGE_SWITCH} [aria-current='page']")
    assert current.text == "Português"
    assert dash_duo.get_logs() == []


def test_on_a_phone_the_switch_follows_the_view_without_dash(dash_duo, model: Model) -> None:
    dash_duo.as_phone()
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/?lang=es")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    wait_until_quiet(dash_duo, 1.0)
    driver.execute_script("window.__sameDocument = true;")
    worcester = str(model.towns.index[model.towns["town"] == "Worcester"][0])
    tap(driver, f'#first-paint svg a[data-town="{worcester}"]')
    WebDriverWait(driver, 10).until(lambda d: _url_query(d).get("town") == worcester)
    assert _url_query(driver) == {"town": worcester, "lang": "es"}
    assert driver.execute_script("return window.__sameDocument === true")  # swapped in by boot.js, not reloaded

    def switch(code: str) -> dict[str, str]:
        return _query(driver.find_element("id", ids.language_link(code)).get_dom_attribute("href"))

    assert switch("en") == {"town": worcester} and switch("pt") == {"town": worcester, "lang": "pt"}
    assert dash_duo.get_logs() == []
