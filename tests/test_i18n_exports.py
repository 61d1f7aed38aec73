"""Slides, link cards, compare slides and downloads in the view's language (issue 20).

A slide is worded in its view's language (`lang=` of the map's query), whatever the language in use where it is
built; a Spanish image has a cache name, file and ETag of its own; a language 40% longer than English still fits the
square slide; the downloads and the release stay the same English files in every language.

Expected words come from the shipped catalogues (dashboard/locales/es, read here with Babel, not through the code),
from data/ (class labels, the records index's date 2021-02-26) and from CLDR's Spanish months.
"""

from __future__ import annotations

import gettext
import html
import re
import struct
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from flask import Flask
from flask.testing import FlaskClient
from pseudo_locale import PSEUDO_WORD, pseudo
from shipped_catalogues import shipped
from test_slide_layout import VIEWS, assert_clean, assert_ink_inside, assert_note_band, png_pixels

from dashboard import language
from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.model import Model
from dashboard.exports import text_measure
from dashboard.exports.card import card_words
from dashboard.exports.citation import citation_cff
from dashboard.exports.compare_slide import compare_words
from dashboard.exports.datapackage import plain_description
from dashboard.exports.filenames import compare_filename
from dashboard.exports.images import export_figure, slide_words
from dashboard.exports.render_pool import MISSING_MESSAGE, RenderPool, busy_message
from dashboard.exports.slide_layout import Layout, layout_card, layout_compare, layout_slide
from dashboard.exports.text_measure import text_width
from dashboard.server import create_app
from dashboard.serving.downloads import register_downloads
from dashboard.serving.images import register_images
from dashboard.serving.languages import register_languages
from dashboard.state.view import ViewState, choices_of, parse_query

EXPORTED = date(2026, 1, 2)
#: The issue's own view: Clearview in Metro Boston, as of June 2020.
ISSUE_VIEW = "vendors=clearview&extent=metro&date=2020-06"
#: The records index's date (data/published_figures.csv: "2/26/21" on every row) and the export date, in CLDR Spanish.
INDEX_DATE_ES, EXPORTED_ES = "26 de febrero de 2021", "2 de enero de 2026"
ENGLISH_DATES = ("February", "January", "June")


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    """Each test ends in English: a request's language is set for the rest of its thread, which a test client's
    requests share with the test (dashboard/serving/languages.py)."""
    yield
    language.set_language(None)


def spanish(message: str, count: int = 1) -> str:
    """The shipped Spanish catalogue's translation of an English message (for a plural one, its form for `count`, by
    the catalogue's own plural rule)."""
    catalogue = shipped("es")
    found = catalogue.get(message)
    assert found is not None and not found.fuzzy, f"not in the Spanish catalogue: {message!r}"
    form = gettext.c2py(catalogue.plural_expr)(count)
    string = found.string[form] if isinstance(found.string, tuple) else found.string
    assert string, f"not translated into Spanish: {message!r}"
    return string


def class_labels() -> list[str]:
    """The Clearview classes' labels as data/clearview_classes.csv declares them."""
    import csv

    with (DEFAULT_DATA_DIR / "clearview_classes.csv").open(encoding="utf-8") as handle:
        return [row["label"] for row in csv.DictReader(handle)]


def state_of(model: Model, query: str) -> ViewState:
    return parse_query(query, choices_of(model.catalog, model.towns.index, model.agencies.index))


def town_id(model: Model, name: str) -> int:
    return int(model.towns.index[model.towns["town"].eq(name)][0])


def texts(layout: Layout, kind: str) -> list[str]:
    """The layout's blocks of one kind, each as read (its lines joined)."""
    return [" ".join(line for line, _ in placed.lines) for placed in layout.texts if placed.kind == kind]


# --- a Spanish slide ---------------------------------------------------------------------------------------------


def test_a_spanish_wide_slide_holds_spanish_title_keys_and_source_line(model: Model) -> None:
    english = layout_slide(slide_words(model, state_of(model, ISSUE_VIEW), "wide", EXPORTED))
    layout = layout_slide(slide_words(model, state_of(model, f"{ISSUE_VIEW}&lang=es"), "wide", EXPORTED))
    (title,) = texts(layout, "title")
    (english_title,) = texts(english, "title")
    assert title == spanish(english_title) != english_title
    (subtitle,) = texts(layout, "subtitle")
    assert "junio de 2020" in subtitle and "June" not in subtitle, subtitle
    keys = " | ".join(texts(layout, "key"))
    for label in class_labels():
        assert spanish(label) in keys, (label, keys)
    assert "municipalities" not in keys and "municipios" in keys, keys
    (note,) = texts(layout, "note")
    assert INDEX_DATE_ES in note and EXPORTED_ES in note, note
    assert not [month for month in ENGLISH_DATES if month in note], note
    assert "Exported" not in note and "Data revision" not in note, note


def test_the_drawn_figure_is_the_views_language_whatever_the_language_in_use(model: Model) -> None:
    """The state decides: an English view built while Spanish is in use is English, and the other way round."""
    english, spanish_state = state_of(model, ISSUE_VIEW), state_of(model, f"{ISSUE_VIEW}&lang=es")

    def words(figure: Any) -> dict[str, str]:
        return {a.name: a.text for a in figure.layout.annotations if a.name in ("title", "subtitle", "note")}

    with language.speaking("es"):
        english_in_spanish = words(export_figure(model, english, "wide", EXPORTED))
    spanish_in_english = words(export_figure(model, spanish_state, "wide", EXPORTED))
    assert english_in_spanish == words(export_figure(model, english, "wide", EXPORTED))
    assert "February 26, 2021" in english_in_spanish["note"]
    assert INDEX_DATE_ES in spanish_in_english["note"]
    assert spanish_in_english["title"] != english_in_spanish["title"]


def test_a_spanish_town_card_and_compare_slide_are_spanish(model: Model) -> None:
    boston = town_id(model, "Boston")  # listed under "Use of or Communication with Clearview" (the records page)
    card = layout_card(card_words(model, state_of(model, f"town={boston}&lang=es")))
    card_text = " ".join(line for placed in card.texts for line, _ in placed.lines)
    assert spanish("Use or communication") in card_text and "Use or communication" not in card_text
    assert INDEX_DATE_ES in card_text
    worcester, springfield = town_id(model, "Worcester"), town_id(model, "Springfield")
    compare = layout_compare(compare_words(model, (worcester, springfield), EXPORTED, lang="es"))
    keys = " | ".join(texts(compare, "key"))
    for label in class_labels():
        assert spanish(label) in keys, (label, keys)
    assert INDEX_DATE_ES in texts(compare, "note")[0]
    assert compare_filename(model, (worcester, springfield), "png", lang="es") == (
        "ma-surveillance-compare-worcester-springfield-2021-12-es-wide.png"
    )


# --- one image per language in the cache ---------------------------------------------------------------------------


def worded_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    """A stand-in drawing (no Chromium): a PNG's start (its size), then every word of the slide's annotations."""
    head = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + struct.pack(">II", width, height)
    words = " ".join(a["text"] for a in figure["layout"]["annotations"])
    return head + " ".join(html.unescape(re.sub(r"<[^>]+>", " ", words)).split()).encode()


@pytest.fixture(scope="module")
def app_server(model: Model) -> Flask:
    """The real app (its language prefixes and routes), once for the module; each test registers its own pool."""
    return create_app(model).server


def _client(server: Flask, model: Model, tmp_path: Path, pools: list[RenderPool]) -> FlaskClient:
    pool = RenderPool(tmp_path / "images", draw=worded_draw)
    pools.append(pool)
    register_images(server, model, tmp_path, pool)
    return server.test_client()


def _meta(page: str, name: str) -> str:
    found = re.search(rf'<meta property="{re.escape(name)}" content="([^"]*)"', page)
    assert found, name
    return html.unescape(found.group(1))


@pytest.mark.slow
def test_spanish_and_english_images_of_one_view_are_kept_and_tagged_apart(
    model: Model, app_server: Flask, tmp_path: Path, pools: list[RenderPool]
) -> None:
    client = _client(app_server, model, tmp_path, pools)
    english = client.get(f"/image/view.png?{ISSUE_VIEW}")
    spanish_image = client.get(f"/image/view.png?{ISSUE_VIEW}&lang=es")
    assert english.status_code == spanish_image.status_code == 200
    assert english.headers["ETag"] != spanish_image.headers["ETag"]
    assert "February 26, 2021" in english.get_data().decode(errors="replace")
    assert INDEX_DATE_ES in spanish_image.get_data().decode(errors="replace")
    assert len([p for p in (tmp_path / "images").iterdir() if p.suffix == ".png"]) == 2
    assert spanish_image.headers["Content-Disposition"] == (
        'attachment; filename="ma-surveillance-clearview-metro-2020-06-es-wide.png"'
    )
    # The language in the address (/es/…) is the same Spanish image; each language's ETag answers only its own.
    prefixed = client.get(f"/es/image/view.png?{ISSUE_VIEW}")
    assert prefixed.headers["ETag"] == spanish_image.headers["ETag"]
    held = {"If-None-Match": spanish_image.headers["ETag"]}
    assert client.get(f"/image/view.png?{ISSUE_VIEW}&lang=es", headers=held).status_code == 304
    assert client.get(f"/image/view.png?{ISSUE_VIEW}", headers=held).status_code == 200
    # Compare slides too: a name per language, English's unchanged by the language in use elsewhere.
    pool = pools[-1]
    towns = (town_id(model, "Worcester"), town_id(model, "Springfield"))
    keys = {pool.compare_key(model, towns, "png", EXPORTED, lang) for lang in ("en", "es", "pt")}
    assert len(keys) == 3
    with language.speaking("es"):
        assert pool.compare_key(model, towns, "png", EXPORTED) == pool.compare_key(model, towns, "png", EXPORTED, "es")
    assert pool.compare_key(model, towns, "png", EXPORTED) == pool.compare_key(model, towns, "png", EXPORTED, "en")
    drawn = pool.render_compare(model, towns, "png", EXPORTED, lang="es")
    assert INDEX_DATE_ES in drawn.data.decode(errors="replace")


@pytest.mark.slow
def test_a_spanish_town_pages_link_card_and_its_alt_text_are_spanish(
    model: Model, app_server: Flask, tmp_path: Path, pools: list[RenderPool]
) -> None:
    client = _client(app_server, model, tmp_path, pools)
    english_page = client.get("/town/boston").get_data(as_text=True)
    spanish_page = client.get("/es/town/boston").get_data(as_text=True)
    alt = _meta(spanish_page, "og:image:alt")
    assert alt != _meta(english_page, "og:image:alt")
    assert "Boston" in alt and f"“{spanish('Use or communication')}”" in alt, alt
    image = _meta(spanish_page, "og:image")
    assert image.endswith("/es/town/boston.png"), image
    card = client.get(image.removeprefix("http://localhost"))
    english_card = client.get("/town/boston.png")
    assert card.status_code == english_card.status_code == 200
    assert card.headers["ETag"] != english_card.headers["ETag"]
    words = card.get_data().decode(errors="replace")
    assert spanish("Use or communication") in words and INDEX_DATE_ES in words, words[:400]


def test_the_image_routes_refusals_are_in_the_views_language(
    model: Model, app_server: Flask, tmp_path: Path, pools: list[RenderPool]
) -> None:
    answer = _client(app_server, model, tmp_path, pools).get(f"/image/view.gif?{ISSUE_VIEW}&lang=es")
    assert answer.status_code == 400
    expected = spanish("The format must be one of: {formats} (e.g. {example})")
    assert answer.get_data(as_text=True).strip() == expected.format(formats="png, svg, pdf", example="/image/view.png")
    with language.speaking("es"):
        assert busy_message(5) == spanish(
            "The server is drawing other images right now. Please try again in {n} second.", count=5
        ).format(n=5)
    assert MISSING_MESSAGE.startswith("The server cannot draw images right now")  # English for scripts, unchanged


# --- a longer language ------------------------------------------------------------------------------------------


class _Lengthened(gettext.NullTranslations):
    """Every message accented and 40% longer (tests/pseudo_locale.py), the moment it is asked for."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


@pytest.fixture()
def longer() -> Iterator[str]:
    """A language whose every message is 40% longer than English, installed beside the shipped ones."""
    found = dict(language.languages())
    found["eo"] = language.Language("eo", Locale.parse("eo"), _Lengthened())
    language.install(found)
    try:
        yield "eo"
    finally:
        language.install(None)


def _title_width(layout: Layout) -> float:
    """The title's words measured at one size, whatever size the layout chose."""
    return sum(
        text_width(line, 36, True) for placed in layout.texts if placed.kind == "title" for line, _ in placed.lines
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", list(VIEWS))
def test_a_language_40_percent_longer_keeps_the_square_slides_boxes_inside_and_apart(
    model: Model, longer: str, name: str
) -> None:
    query = VIEWS[name].lstrip("?")
    english = layout_slide(slide_words(model, state_of(model, query), "square", EXPORTED))
    layout = layout_slide(slide_words(model, state_of(model, f"{query}&lang={longer}".lstrip("&")), "square", EXPORTED))
    assert_clean(layout)
    (title,) = texts(layout, "title")
    assert PSEUDO_WORD.search(title), title  # the words laid out are the longer language's
    assert _title_width(layout) >= 1.3 * _title_width(english)


@pytest.mark.slow
def test_a_language_40_percent_longer_fits_the_wide_slide_the_card_and_the_compare_slide(
    model: Model, longer: str
) -> None:
    # The issue's view, and four maps of the Metro Boston region: the most words beside the least room.
    for query in (ISSUE_VIEW, "compare=2019-01,2019-12,2020-06&extent=metro"):
        for size in ("wide", "square", "card"):
            assert_clean(layout_slide(slide_words(model, state_of(model, f"{query}&lang={longer}"), size, EXPORTED)))
    for name in ("Boston", "North Attleborough"):
        assert_clean(layout_card(card_words(model, state_of(model, f"town={town_id(model, name)}&lang={longer}"))))
    towns = tuple(town_id(model, name) for name in ("Boston", "Cambridge", "Somerville", "Worcester"))
    assert_clean(layout_compare(compare_words(model, towns, EXPORTED, lang=longer)))


def test_the_letters_of_every_translation_are_measured_as_the_font_draws_them() -> None:
    """Each character of the shipped translations and of the longer pseudo-language at its advance in DejaVu Sans
    (read from the font files here): never a guess that is too narrow, nor a full em for "ñ"."""
    from PIL import ImageFont as image_font  # the test extra's Pillow reads the font files

    fonts = Path("/usr/share/fonts/truetype/dejavu")  # the README's apt-get line installs fonts-dejavu-core
    assert (fonts / "DejaVuSans.ttf").exists(), "DejaVu Sans is not installed (Debian: fonts-dejavu-core)"
    used = set("áçéîñöûšýÁÇÉÎÑÖÛŠÝ¿¡«»ºª")
    for code in ("es", "pt"):
        for message in shipped(code):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            used.update(c for s in strings if s for c in s if c.isprintable())
    for filename, bold in (("DejaVuSans.ttf", False), ("DejaVuSans-Bold.ttf", True)):
        font = image_font.truetype(
            str(fonts / filename), text_measure.UNITS_PER_EM, layout_engine=image_font.Layout.BASIC
        )
        table = text_measure.BOLD if bold else text_measure.BOOK
        measured = {c: (text_width(c, text_measure.UNITS_PER_EM, bold), font.getlength(c)) for c in used}
        wrong = {c: widths for c, widths in measured.items() if c in table and widths[0] != widths[1]}
        unlisted_letters = sorted(c for c in used if c.isalpha() and c not in table)
        # A sign the tables do not list (a star in a page's sentence) counts as a full em: never narrower than drawn.
        narrow = {c: widths for c, widths in measured.items() if widths[0] < widths[1]}
        assert not wrong and not unlisted_letters and not narrow, (filename, wrong, unlisted_letters, narrow)


# --- real drawings --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kaleido() -> Iterator[None]:
    from dashboard.exports.images import kaleido_session

    with kaleido_session():
        yield


def _assert_drawn_inside(model: Model, state: ViewState, size: str) -> None:
    """The slide drawn by Chromium inks only its layout's boxes, its note's last line included."""
    from dashboard.exports.images import SIZES, draw_figure

    layout = layout_slide(slide_words(model, state, size, EXPORTED))
    figure = export_figure(model, state, size, EXPORTED)
    data = draw_figure(figure, "png", *SIZES[size])
    pixels = png_pixels(data)
    assert_note_band(layout, pixels)
    assert_ink_inside(layout, pixels)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "query", "size"), [("es", ISSUE_VIEW, "wide"), ("pt", "town=35", "square")])
def test_a_real_translated_slide_inks_only_its_boxes(
    model: Model, kaleido: None, lang: str, query: str, size: str
) -> None:
    _assert_drawn_inside(model, state_of(model, f"{query}&lang={lang}"), size)


@pytest.mark.browser
def test_a_real_square_slide_40_percent_longer_inks_only_its_boxes(model: Model, kaleido: None, longer: str) -> None:
    _assert_drawn_inside(model, state_of(model, f"town=35&lang={longer}"), "square")


# --- downloads and the release stay English --------------------------------------------------------------------


def test_a_download_is_the_same_english_file_from_a_spanish_page(model: Model) -> None:
    answers = {}
    for first in ("/es/download/", "/download/"):  # a fresh server each: whichever language asks first
        server = Flask(__name__)
        register_languages(server)
        register_downloads(server, model)
        client = server.test_client()
        for name in ("towns.csv", "records.csv"):
            asked = client.get(first + name)
            again = client.get(("/download/" if first == "/es/download/" else "/es/download/") + name)
            assert asked.status_code == again.status_code == 200
            assert asked.get_data() == again.get_data() and asked.headers["ETag"] == again.headers["ETag"]
            assert asked.headers["Content-Disposition"] == f'attachment; filename="ma-surveillance-{name}"'
            answers.setdefault(name, set()).add(asked.get_data())
    assert all(len(bodies) == 1 for bodies in answers.values())
    towns = next(iter(answers["towns.csv"])).decode()
    assert towns.startswith("town_id,town,county,population_2010,clearview_status,")


def test_the_citation_and_the_packages_description_stay_english(model: Model) -> None:
    english = citation_cff(model, DEFAULT_DATA_DIR), plain_description()
    with language.speaking("es"):
        assert (citation_cff(model, DEFAULT_DATA_DIR), plain_description()) == english
