"""The translation gates: every shipped language is whole and well-formed, and a new language is a new catalogue.

A pseudo-language (tests/pseudo_locale.py: every message accented and 40% longer) is installed as a new catalogue,
as a translator's would be. Every visible word of the map page, its view parts and the site's pages must then be
in that pseudo-language, a name from data/, a number or a CLDR date: an English word left is a string that never
went through the catalogue, and the test names it.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pseudo_locale
import pytest
from babel.dates import format_date, format_skeleton
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from dashboard import language
from dashboard.config import DEFAULT_DATA_DIR, LOCALES_DIR
from dashboard.data.model import Model
from dashboard.exports.card import card_words
from dashboard.exports.images import slide_words
from dashboard.server import create_app
from dashboard.state.view import view

SHIPPED = sorted(LOCALES_DIR.glob("*/LC_MESSAGES/messages.po"))
_BRACES = re.compile(r"\{([^{}]*)\}")


def _placeholders(text: str) -> list[str]:
    return sorted(_BRACES.findall(text))


def test_two_languages_ship_beside_english() -> None:
    assert sorted(p.parent.parent.name for p in SHIPPED) == ["es", "pt_BR"]


def test_the_committed_template_is_the_one_the_code_gives() -> None:
    """`python -m dashboard translations extract` was run after the last change to a message."""
    with (LOCALES_DIR / "messages.pot").open("rb") as handle:
        committed = {m.id for m in read_po(handle) if m.id}
    extracted = {m.id for m in pseudo_locale.template() if m.id}
    assert not extracted - committed, (
        f"messages missing from messages.pot: {sorted(extracted - committed, key=str)[:20]}"
    )
    assert not committed - extracted, (
        f"messages in messages.pot that the code no longer has: {sorted(committed - extracted)[:20]}"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.parent.name)
def test_every_message_is_translated_with_its_placeholders(path: Path) -> None:
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    extracted = {m.id for m in pseudo_locale.template() if m.id}
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id not in extracted:
            continue
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        for form in strings:
            if _placeholders(form) != _placeholders(ids[-1]) and _placeholders(form) != _placeholders(ids[0]):
                problems.append(f"placeholders differ: {ids[0]!r} -> {form!r}")
    missing = extracted - {m.id for m in catalogue if m.id}
    problems += [f"not in the catalogue: {m!r}" for m in sorted(missing, key=str)]
    assert not problems, f"{path}: {len(problems)} problems:\n" + "\n".join(problems[:40])


# --- a new language: the pseudo-language -----------------------------------------------------------------------------

#: Columns of data/ whose values are names: shown as published in every language.
NAME_COLUMNS = {
    "agencies.csv": ("name", "name_as_published"),
    "clearview_listings.csv": ("name_as_published", "record_title"),
    "records_index.csv": ("title", "submitted_to", "section"),
    "vendor_records.csv": ("vendor", "record_title", "agency_as_published"),
    "vendors.csv": ("vendor",),
    "counties.csv": ("county",),
    "places.csv": ("place", "town", "postal_name"),
    "policy_events.csv": ("jurisdiction",),
    "name_resolutions.csv": ("name_as_published", "town"),
    "uasi_region.csv": ("name_as_published",),
    "unmapped_sections.csv": ("section",),
    "outside_guidance.csv": ("source_title",),
    "source_caveats.csv": ("section",),
}
#: Names that are not in a data column: the source's publisher and the boundaries' (and the language names); the
#: towns' names come from the boundaries, the data set's and licences' titles from data/publication.csv.
OTHER_NAMES = (
    "Clearview AI",
    "Clearview",
    "ACLU of Massachusetts",
    "ACLU",
    "MassGIS",
    "Commonwealth of Massachusetts",
    "Massachusetts",
    "UASI",
    "Facial Recognition in Massachusetts",  # the records page's own title
)
#: Addresses and file names (the downloads keep their English names in every language).
_URL = re.compile(r"\S+\.(?:org|com|gov|edu|net|us|io|csv|geojson|json|zip|png)\b\S*|https?://\S+")
_ASCII_WORD = re.compile(r"[A-Za-z]{3,}")
_QUOTED = re.compile(r"“[^”]*”")


def _names(model: Model) -> list[str]:
    names = set(OTHER_NAMES) | {str(t) for t in model.towns["town"]}
    names |= {
        str(v)
        for k, v in model.publication.items()
        if k in ("title", "creator", "data_licence_title", "code_licence_title")
    }
    for file, columns in NAME_COLUMNS.items():
        with (DEFAULT_DATA_DIR / file).open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                names.update(row[c].strip() for c in columns if row.get(c, "").strip())
    names.update(lang.name for lang in language.languages().values())
    return sorted(names, key=len, reverse=True)


def _cldr_words() -> set[str]:
    """Words CLDR writes in the pseudo-language's dates (its month names and date patterns)."""
    from datetime import date

    words: set[str] = set()
    for month in range(1, 13):
        day = date(2020, month, 24)
        for text in (format_date(day, "long", locale="eo"), format_skeleton("yMMMM", day, locale="eo")):
            words.update(_ASCII_WORD.findall(text))
    return words | {w.capitalize() for w in words}  # a date may start a line


class _Visible(HTMLParser):
    """The text a visitor reads: text nodes and the attributes that are read aloud or shown, minus what is marked
    as English on purpose (`lang="en"`: quotes from the source), identifiers (`<code>`) and what is not shown."""

    SKIP = {"script", "style", "template"}
    #: Identifiers (column names, addresses, parameters), which stay as they are in every language.
    CODE = {"code", "kbd", "samp"}
    READ = ("alt", "title", "aria-label", "placeholder", "aria-description", "aria-roledescription")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def _quiet(self) -> bool:
        return any(quiet for _, quiet in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        quiet = tag in self.SKIP | self.CODE or values.get("lang") == "en" or values.get("translate") == "no"
        if not quiet and not self._quiet():
            self.texts += [v for k, v in attrs if k in self.READ and v]
            if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
                self.texts.append(values["value"] or "")
        if tag not in self.VOID:
            self.stack.append((tag, quiet))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._quiet():
            self.texts.append(data.strip())


def visible_texts(html: str) -> list[str]:
    """Every visible text of an HTML page or fragment."""
    parser = _Visible()
    parser.feed(html)
    return parser.texts


def untranslated(texts: list[str], names: list[str], allowed: set[str]) -> list[str]:
    """The texts that still hold an English word once names, addresses and the pseudo-language's words are gone."""
    found = []
    for text in texts:
        # A quote stays in English where plain text shows it (“…”, our translation beside it, in the language).
        rest = _QUOTED.sub(" ", _URL.sub(" ", text))
        for name in names:
            if name in rest:
                rest = rest.replace(name, " ")
        words = [w for w in re.findall(r"\S+", rest) if not pseudo_locale.PSEUDO_WORD.search(w)]
        english = [w for w in words for a in _ASCII_WORD.findall(w) if a not in allowed]
        if english:
            found.append(text)
    return sorted(set(found))


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The pseudo-language installed beside the shipped ones, for this module's tests; its code."""
    folder = pseudo_locale.write_locales(tmp_path_factory.mktemp("locales"))
    language.install(language.read_languages(folder))
    try:
        yield pseudo_locale.CODE
    finally:
        language.install(None)


@pytest.fixture(scope="module")
def client(model: Model, pseudo: str) -> FlaskClient:
    return create_app(model).server.test_client()


@pytest.fixture(scope="module")
def names(model: Model) -> list[str]:
    return _names(model)


PAGES = (
    "/?lang={code}",
    "/?lang={code}&town=35&date=2020-06",
    "/?lang={code}&extent=metro&date=2019-12",
    "/?lang={code}&present=1",
    "/{code}/town/boston",
    "/{code}/town/worcester",
    "/{code}/agency/msp",
    "/{code}/town/",
    "/{code}/compare/boston+worcester",
    "/{code}/search?q=Florence",
    "/{code}/search?q=Bostn",
    "/{code}/data",
    "/{code}/data/changes",
    "/{code}/api/v1/",
    "/{code}/no-such-page",
)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_a_new_language_translates_every_visible_word(
    client: FlaskClient, pseudo: str, names: list[str], page: str
) -> None:
    answer = client.get(page.format(code=pseudo), follow_redirects=True)
    assert answer.status_code in (200, 404), answer.status_code
    html = answer.get_data(as_text=True)
    assert f'<html lang="{pseudo}"' in html
    typed = set(re.findall(r"[A-Za-z]{3,}", page.partition("q=")[2]))  # the visitor's own words, shown back
    left = untranslated(visible_texts(html), names, _cldr_words() | typed)
    assert not left, f"{page}: {len(left)} texts not translated:\n" + "\n".join(left[:40])


@pytest.mark.slow
def test_a_new_language_translates_the_view_parts_a_phone_swaps_in(
    client: FlaskClient, pseudo: str, names: list[str]
) -> None:
    answer = client.get(f"/_view?lang={pseudo}&town=35&date=2020-06")
    assert answer.status_code == 200
    parts = json.loads(answer.get_data(as_text=True))["parts"]
    texts = [t for html in parts.values() for t in visible_texts(html)]
    left = untranslated(texts, names, _cldr_words())
    assert not left, f"{len(left)} texts not translated:\n" + "\n".join(left[:40])


def test_the_pseudo_language_is_offered_like_any_other(client: FlaskClient, pseudo: str) -> None:
    html = client.get(f"/{pseudo}/town/boston").get_data(as_text=True)
    assert 'hreflang="eo"' in html
    assert "Esperanto" in html


#: Elements whose right edge may pass the window: none of a page's own boxes may.
_OVERFLOW = """
const width = document.documentElement.clientWidth;
// Inside a box that scrolls or clips sideways (the timeline strip, a wide table's wrapper) within the window, a box
// may pass the window's edge by design: the reader scrolls that box, not the page.
const scrolled = el => {
  for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
    const x = getComputedStyle(up).overflowX;
    if (x !== 'visible' && up.getBoundingClientRect().right <= width + 1) return true;
  }
  return false;
};
const wide = [...document.querySelectorAll('body *')].filter(el => {
  const box = el.getBoundingClientRect(), style = getComputedStyle(el);
  return box.width > 0 && box.right > width + 1 && style.position !== 'fixed'
    && !el.closest('.visually-hidden, svg, .js-plotly-plot') && !scrolled(el);
}).map(el => el.tagName + '.' + el.className + ': ' + (el.textContent || '').trim().slice(0, 60));
return [document.documentElement.scrollWidth - width, wide.slice(0, 10)];
"""


@pytest.mark.browser
@pytest.mark.parametrize("page", ["/?lang={code}&town=35&date=2020-06", "/{code}/town/boston", "/{code}/data"])
def test_words_40_percent_longer_fit_a_phone(dash_duo, pseudo: str, page: str) -> None:  # type: ignore[no-untyped-def]
    dash_duo.as_phone()
    address = page.format(code=pseudo)
    if address.startswith("/?"):
        dash_duo.open(address)
    else:  # a site page: no Dash to wait for
        dash_duo.driver.get(dash_duo.server_url + address)
        dash_duo.wait_for_element("main")
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == pseudo
    spill, wide = dash_duo.driver.execute_script(_OVERFLOW)
    assert spill <= 0 and not wide, f"{page} at 390 px: {spill} px wider than the window; boxes past its edge: {wide}"


def _strings(value: object) -> Iterator[str]:
    """Every string inside a layout's words (dataclasses, tuples), its markup tags taken out."""
    if isinstance(value, str):
        yield re.sub(r"<[^>]+>", " ", value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            if item.name != "extent":  # the map's extent: an id, not words
                yield from _strings(getattr(value, item.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)


@pytest.mark.slow
@pytest.mark.parametrize(
    "size,choices",
    [
        ("wide", {"town": 35, "as_of": "2020-06"}),
        ("square", {"extent": "metro"}),
        ("wide", {"compare": ("2019-06",)}),
        ("wide", {"agency": "msp"}),
    ],
    ids=["town-wide", "metro-square", "before-after", "agency"],
)
def test_a_new_language_translates_every_word_of_a_slide(
    model: Model, pseudo: str, names: list[str], size: str, choices: dict
) -> None:
    state = view(model.catalog, lang=pseudo, **choices)
    texts = [t.strip() for t in _strings(slide_words(model, state, size)) if t.strip()]
    assert texts
    left = untranslated(texts, names, _cldr_words())
    assert not left, f"{size} slide: {len(left)} texts not translated:\n" + "\n".join(left[:40])


@pytest.mark.slow
def test_a_new_language_translates_every_word_of_a_link_card(model: Model, pseudo: str, names: list[str]) -> None:
    for state in (view(model.catalog, lang=pseudo, town=35), view(model.catalog, lang=pseudo, agency="msp")):
        texts = [t.strip() for t in _strings(card_words(model, state)) if t.strip()]
        left = untranslated(texts, names, _cldr_words())
        assert not left, f"link card: {len(left)} texts not translated:\n" + "\n".join(left[:40])
