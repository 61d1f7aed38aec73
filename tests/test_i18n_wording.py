"""The fixed words in Spanish and Portuguese: views/wording.py's sentences and constants, counts, dates and
percentages as each language writes them (CLDR), quotes kept in English with this map's translation beside them,
and the catalogues' placeholders.

Expected words come from the catalogues as Babel reads them (dashboard/locales), from data/ and from CLDR's own
patterns written out here; never from the code under test.
"""

from __future__ import annotations

import csv
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog
from shipped_catalogues import shipped

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.dossier import caveats
from dashboard.data.model import Model
from dashboard.language import speaking
from dashboard.views import wording as w
from dashboard.views.method import method_section
from dashboard.views.wording import Link, Quote
from dashboard.views.words import count_of, percent_text

LOCALES = {"es": "es", "pt": "pt_BR"}
#: Constants' words that are the same in Spanish as in English: a name, and a word both languages spell alike.
SAME_IN_SPANISH = {"Massachusetts", "Normal"}


@pytest.fixture(scope="module")
def catalogues() -> dict[str, Catalog]:
    return {code: shipped(code) for code in LOCALES}


def _translation(catalogue: Catalog, msgid: str) -> str:
    message = catalogue.get(msgid)
    assert message is not None and message.string, f"no translation of {msgid!r}"
    return str(message.string)


def _names(text: str) -> list[str]:
    return sorted(name for _text, name, _spec, _conv in Formatter().parse(text) if name is not None)


def _word_constants() -> list[str]:
    return sorted(name[1:] for name in vars(w) if name[:1] == "_" and name[1:].isupper() and name[1:2].isalpha())


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    assert isinstance(value, tuple | list), value
    return [s for item in value for s in _strings(item)]


def test_a_sentence_in_spanish_is_the_catalogues_translation_with_the_cldr_date(
    catalogues: dict[str, Catalog],
) -> None:
    with speaking("es"):
        line = w.exported_line("2020-06-24", "2024-05-01+abc1234")
    expected = _translation(catalogues["es"], "Exported {date}. Data revision {version}.")
    assert line == expected.format(date="24 de junio de 2020", version="2024-05-01+abc1234")
    with speaking("pt"):
        assert "24 de junho de 2020" in w.exported_line("2020-06-24", "v")
    assert w.exported_line("2020-06-24", "v") == "Exported June 24, 2020. Data revision v."


def test_a_month_stays_a_month_in_each_language() -> None:
    with speaking("es"):
        assert w.later_words("2019-12").startswith("Posterior a diciembre de 2019")
    with speaking("pt"):
        assert "dezembro de 2019" in w.later_words("2019-12")


@pytest.mark.parametrize(
    ("code", "count", "expected"),
    [
        ("en", 1, "1 document"),
        ("en", 1234, "1,234 documents"),
        ("es", 1, "1 documento"),
        ("es", 0, "0 documentos"),  # Spanish: only 1 is singular
        ("es", 1234, "1.234 documentos"),
        ("pt", 0, "0 documentos"),  # Brazilian usage: 0 takes the plural (CLDR puts it with 1; the header says why)
        ("pt", 1, "1 documento"),
        ("pt", 2, "2 documentos"),
        ("pt", 1_000_000, "1.000.000 documentos"),  # CLDR's third form (millions) is written as the plural
    ],
)
def test_count_of_picks_each_languages_plural_form(code: str, count: int, expected: str) -> None:
    with speaking(code):
        assert count_of(count, "{n} document", "{n} documents") == expected


#: Where the wording's messages are defined (the catalogue's locations).
WORDING_FILES = ("dashboard/views/wording.py", "dashboard/views/words.py", "dashboard/views/captions.py", "data/")


def test_every_plural_message_of_the_wording_fills_each_form_of_its_language(
    catalogues: dict[str, Catalog],
) -> None:
    # Spanish and Portuguese have three CLDR forms (one, many: the millions, other): an empty one reads as English.
    for code, catalogue in catalogues.items():
        assert catalogue.num_plurals == 3, code
        empty = [
            m.id[0]
            for m in catalogue
            if m.id
            and isinstance(m.id, tuple)
            and any(path.startswith(WORDING_FILES) for path, _line in m.locations)
            and any(not form for form in m.string[: catalogue.num_plurals])
        ]
        assert empty == [], f"{code}: plural messages with an empty form ({catalogue.plural_forms})"


@pytest.mark.parametrize(("code", "expected"), [("en", "12.3%"), ("es", "12,3\xa0%"), ("pt", "12,3%")])
def test_a_percentage_is_written_as_the_language_writes_it(code: str, expected: str) -> None:
    with speaking(code):
        assert percent_text(0.1234) == expected


def test_rich_keeps_a_link_a_link_in_a_translated_message(catalogues: dict[str, Catalog]) -> None:
    source = Link("ACLU of Massachusetts", "https://data.aclum.org/public-records/frt-ma/")
    with speaking("es"):
        sentence = w.report_error_sentence("https://corrections.example.org", source, "/changes")
    links = [s for s in sentence if isinstance(s, Link)]
    assert [link.href for link in links] == ["https://corrections.example.org", "/changes"]
    assert links[0].text == _translation(catalogues["es"], "Report it here")
    assert links[1].text == _translation(catalogues["es"], "the list of changes")
    assert all(isinstance(s, str | Link) for s in sentence) and w.plain(sentence).startswith("¿")


def test_joined_names_use_the_languages_and_and_keep_their_links() -> None:
    towns = [Link("Boston", "/town/boston"), Link("Brookline", "/town/brookline"), Link("Newton", "/town/newton")]
    with speaking("es"):
        sentence = w.place_sentence("Chestnut Hill", None, None, towns)
    assert [s for s in sentence if isinstance(s, Link)] == towns
    assert w.plain(sentence) == "Chestnut Hill está en Boston, Brookline y Newton."


@pytest.mark.parametrize("code", ["en", *LOCALES])
def test_every_word_constant_is_words_in_each_language(code: str) -> None:
    names = _word_constants()
    assert {"TITLE", "NOT_ASKED", "REACH_LABELS", "KIND_NAMES", "SPEEDS", "DATA_TABLES", "FORMAT_NAMES"} <= set(names)
    with speaking(code):
        for name in names:
            value = getattr(w, name)
            assert _strings(value) and all(isinstance(s, str) and s for s in _strings(value)), name
            assert "{mark}" not in str(value), name  # the outside mark is written in


def test_every_word_constant_reads_differently_in_spanish() -> None:
    for name in _word_constants():
        english = _strings(getattr(w, name))
        with speaking("es"):
            spanish = _strings(getattr(w, name))
        same = [e for e, s in zip(english, spanish, strict=True) if e == s and e not in SAME_IN_SPANISH]
        assert same == [], f"{name} is not translated"


def test_a_constant_is_translated_when_read_not_when_imported() -> None:
    with speaking("es"):
        spanish = w.NOT_ASKED
    assert spanish == "Sin constancia de que se le haya preguntado"  # the glossary's words
    assert w.NOT_ASKED == "Not known to have been asked yet"
    assert w.OUTSIDE_MARK == "†"  # a mark, not a word: the same in every language
    with speaking("pt"):
        assert w.OUTSIDE_NOTE.startswith("† ")
    with pytest.raises(AttributeError):
        _ = w.NO_SUCH_WORDS


def test_an_article_belongs_to_the_message_not_to_english_code() -> None:
    assert w.agency_scope("association", "none").startswith("An association: ")
    with speaking("es"):
        assert w.agency_scope("association", "none").startswith("Una asociación: ")
        assert w.agency_scope("group", "none").startswith("Un registro combinado: ")


def test_a_quote_stays_english_with_our_translation_beside_it(model: Model, catalogues: dict[str, Catalog]) -> None:
    with (DEFAULT_DATA_DIR / "source_caveats.csv").open(encoding="utf-8") as f:
        english = next(csv.DictReader(f))["quote"]
    caveat = next(c for c in caveats(model) if c.quote == english)
    spanish = _translation(catalogues["es"], english)
    beside = _translation(catalogues["es"], "(our translation: “{translation}”)").format(translation=spanish)
    with speaking("es"):
        sentence = w.caveat_sentence(caveat)
        quote = next(s for s in sentence if isinstance(s, Quote))
        assert quote.text == english and quote.translation == spanish
        assert w.translation_note(quote) == beside
        assert f"“{english}” {beside}" in w.plain(sentence)
    # In English the quote is itself: no translation beside it.
    assert quote.translation == "" and w.translation_note(quote) == ""
    assert f"“{english}” (" in w.plain(w.caveat_sentence(caveat))
    assert "our translation" not in w.plain(w.caveat_sentence(caveat))


def test_a_quote_with_no_translation_is_shown_alone() -> None:
    with speaking("es"):
        assert Quote("Words no catalogue holds.").translation == ""
        assert w.plain([Quote("Words no catalogue holds.")]) == "“Words no catalogue holds.”"


def _text(component: object) -> str:
    if isinstance(component, str):
        return component
    if isinstance(component, list):
        return "".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else _text(children)


def test_the_method_says_who_translated_and_where_to_report_in_each_translated_language(
    model: Model, catalogues: dict[str, Catalog]
) -> None:
    english = _text(method_section(model, "https://corrections.example.org"))
    assert "Translated by" not in english and english.startswith("About the data: method and caveats")
    for code, catalogue in catalogues.items():
        with speaking(code):
            section = method_section(model, "https://corrections.example.org")
        text = _text(section)
        heading = _translation(catalogue, "About the data: method and caveats")
        note = _translation(
            catalogue,
            "Translated by this map's team from the English; quotes from the records page and from cited decisions "
            "stay in English, with our translation beside them. Report a translation error: {report}.",
        )
        assert text.startswith(heading)
        assert note.split("{report}")[0] in text
        links = [c for c in _descendants(section) if getattr(c, "href", None) == "https://corrections.example.org"]
        assert len(links) == 1, code


def _descendants(component: object) -> list:
    if isinstance(component, list):
        return [d for c in component for d in _descendants(c)]
    children = getattr(component, "children", None)
    return [component, *([] if children is None or isinstance(children, str) else _descendants(children))]


def test_the_catalogues_placeholders_match_the_english(catalogues: dict[str, Catalog]) -> None:
    for code, catalogue in catalogues.items():
        errors = [(m.id, [str(e) for e in found]) for m, found in catalogue.check()]
        assert errors == [], f"{code}: {errors[:5]}"
        broken = []
        for message in catalogue:
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            try:
                wanted = {name for text in ids for name in _names(text)}
                if any(text and set(_names(text)) - wanted for text in strings):
                    broken.append(ids[0])
                if len(ids) == 1 and strings[0] and _names(strings[0]) != _names(ids[0]):
                    broken.append(ids[0])
            except ValueError:  # a lone brace: not a placeholder message
                continue
        assert broken == [], f"{code}: placeholders differ in {broken[:5]}"


def test_the_data_columns_a_visitor_reads_are_in_the_catalogues(catalogues: dict[str, Catalog]) -> None:
    data: Path = DEFAULT_DATA_DIR
    with (data / "policy_events.csv").open(encoding="utf-8") as f:
        events = list(csv.DictReader(f))
    for code, catalogue in catalogues.items():
        for event in events:
            assert _translation(catalogue, event["title"]), code  # some titles are names, kept as published
            assert _translation(catalogue, event["source_quote"]), code
