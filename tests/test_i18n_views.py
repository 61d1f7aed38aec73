"""The map's views in Spanish and Portuguese: legend, keys, cards, panel, hover, map picture, timeline, chart and
records grid in the catalogue's words, numbers and dates as the language writes them, quotes left in English with
this map's translation beside them, and no cache handing out one language's words for another."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from dash import html
from shipped_catalogues import by_message

from dashboard import language
from dashboard.data.model import Model
from dashboard.state.view import ViewState, view
from dashboard.state.view_facts import view_facts
from dashboard.views import panels, records
from dashboard.views.figure import UASI_LABEL, build_figure, town_hover
from dashboard.views.map_svg import MapPicture
from dashboard.views.render import components
from dashboard.views.time_chart import time_chart, time_series
from dashboard.views.timeline import timeline_events, timeline_strip
from dashboard.views.wording import Quote

LATEST = "2021-12"  # the time control's last month: every dated fact counts
BOSTON = 35


@pytest.fixture(scope="module")
def es() -> dict[str, object]:
    return by_message("es")


def _text(component: object) -> str:
    """All text inside a Dash component tree (and the strings given), spaces collapsed (a no-break space kept)."""
    return re.sub(r"[ \t\n]+", " ", _raw(component)).strip()


def _raw(component: object) -> str:
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(_raw(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else _raw(children)


def _translated(catalogue: dict[str, object], message: str) -> str:
    """The catalogue's translation of one of the views' messages, which must be there and differ from English."""
    translation = catalogue.get(message)
    assert isinstance(translation, str) and translation and translation != message, message
    return translation


def _spanish(model: Model, **choices: object) -> ViewState:
    return view(model.catalog, lang="es", **choices)


def test_the_legend_and_keys_speak_the_catalogues_spanish(model: Model, es: dict[str, object]) -> None:
    english = view(model.catalog, policy=True, uasi=True)
    with language.speaking("es"):
        facts = view_facts(model, _spanish(model, policy=True, uasi=True))
        legend = _text(panels.legend(model, facts))
        traces = [t.to_plotly_json() for t in build_figure(model, facts.state).data[1:]]
        keys = _text(panels.overlay_keys(model, facts, traces))
    assert _translated(es, "Clearview AI: what police departments' records showed") in legend
    # The Clearview requests were all filed in 2020 (the source page); a year is never grouped like a number.
    assert "Municipios en cada clase (solicitudes de 2020)" in legend
    assert "Municipalities in each class" not in legend
    assert keys.startswith(_translated(es, "On the map"))
    english_legend = _text(panels.legend(model, view_facts(model, english)))
    assert "Municipalities in each class (requests of 2020)" in english_legend and english_legend != legend


def test_the_hover_writes_numbers_and_words_in_spanish_and_english_stays_as_it_was(model: Model) -> None:
    position = list(model.towns.index).index(BOSTON)
    before = town_hover(model, LATEST)[position]
    with language.speaking("es"):
        spanish = town_hover(model, LATEST)[position]
    after = town_hover(model, LATEST)[position]
    assert before == after  # the English cached first is not replaced by the Spanish, nor the other way
    assert "Population (2010 census): 617,594" in before  # Boston, 2010 census (data/towns)
    assert "<b>Boston</b> · Condado de Suffolk" in spanish
    assert "617.594" in spanish and "617,594" not in spanish
    assert "Su registro de Clearview contiene 0 documentos" in spanish
    assert "24 de junio de 2020" in spanish  # the ban's day, as CLDR writes it in Spanish


def test_a_figure_built_in_english_is_not_handed_out_in_spanish(model: Model) -> None:
    state = view(model.catalog, uasi=True)
    english = build_figure(model, state)
    with language.speaking("es"):
        spanish = build_figure(model, state)
    again = build_figure(model, state)
    assert english.data[0].hovertext != spanish.data[0].hovertext
    assert english.data[0].hovertext == again.data[0].hovertext
    assert spanish.data[UASI_LABEL].text == ("Región UASI<br>Gran Boston",)
    assert english.data[UASI_LABEL].text == ("Metro Boston<br>UASI region",)
    # A vendor's marker: its records' lines are made once per model and language.
    spanish_marker = next(t for t in spanish.data if t.name == "Briefcam").hovertext
    english_marker = next(t for t in again.data if t.name == "Briefcam").hovertext
    assert any(t.startswith("<b>Briefcam</b>: registros en Boston<br>") and "solicitado" in t for t in spanish_marker)
    assert any(t.startswith("<b>Briefcam</b>: records at Boston<br>") and "requested" in t for t in english_marker)
    # plotly's JSON takes plain strings only: every text of the Spanish figure is one.
    texts = [t for trace in spanish.data for t in (trace.hovertext or ()) + (getattr(trace, "text", None) or ())]
    assert texts and all(type(t) is str for t in texts)


def test_cards_and_reach_table_write_numbers_and_shares_as_spanish_does(model: Model, es: dict[str, object]) -> None:
    state = _spanish(model, vendors=("Lan-Tel",))
    with language.speaking("es"):
        facts = view_facts(model, state)
        cards = _text(panels.headline_cards(model, facts))
        reach = _text(panels.reach(model, facts))
    english = _text(panels.headline_cards(model, view_facts(model, dataclasses.replace(state, lang="en"))))
    # A thousands point and a decimal comma, a space before the percent sign (CLDR's Spanish).
    assert re.search(r"\d{1,3}(\.\d{3})+ residentes \(\d+,\d\xa0%\)", cards), cards
    assert re.search(r"\d{1,3}(,\d{3})+ residents \(\d+\.\d%\)", english), english
    assert _translated(es, "Vendor") in reach
    # The statewide header counts the state's 6,547,629 residents (2010 census), as Spanish groups digits.
    assert "6.547.629" in reach
    assert "Executive Office for Administration and Finance (0 documentos)" in reach  # a name stays as published


def test_the_panel_dates_as_cldr_spanish(model: Model, es: dict[str, object]) -> None:
    state = _spanish(model, as_of="2019-12", town=BOSTON)  # before Boston's Clearview request of 2020
    with language.speaking("es"):
        panel = _text(panels.town_panel(model, view_facts(model, state)))
    assert "hasta diciembre de 2019" in panel
    assert _translated(es, "Other records about {name}'s agencies").format(name="Boston") in panel
    english = _text(panels.town_panel(model, view_facts(model, dataclasses.replace(state, lang="en"))))
    assert "as of December 2019" in english and "Other records about Boston's agencies" in english


def test_the_map_picture_is_cached_per_language(model: Model) -> None:
    picture, state = MapPicture(model), view(model.catalog)
    english = picture.svg(state)
    with language.speaking("es"):
        spanish = picture.svg(state)
    assert english == picture.svg(state)
    assert 'aria-label="Map of the 351 Massachusetts cities and towns' in english
    assert 'aria-label="Mapa de los 351 municipios de Massachusetts' in spanish


def test_the_timeline_says_the_same_events_in_each_language(model: Model) -> None:
    english = timeline_events(model)
    with language.speaking("es"):
        spanish = timeline_events(model)
        strip = _text(timeline_strip(spanish, "item"))
    # A callback may look an event up by position in a list made in another language.
    assert [(e.month, e.town_id, e.agency_id) for e in spanish] == [(e.month, e.town_id, e.agency_id) for e in english]
    assert "Registros presentados" in strip and "24 de junio de 2020" in strip
    assert "June 24, 2020" in _text(timeline_strip(english, "item"))


def test_the_time_chart_labels_follow_the_language_not_the_cache(model: Model) -> None:
    state = view(model.catalog)
    english = time_series(model, state)
    with language.speaking("es"):
        spanish = time_series(model, state)
        chart = _text(time_chart(model, state))
    assert [s.values for s in spanish] == [s.values for s in english]
    assert "(hasta " in chart and "(to " not in chart
    assert time_series(model, state) == english


def test_the_records_grid_words_its_rows_in_spanish_and_the_table_stays_english(model: Model) -> None:
    rows = records.all_rows(model)
    with language.speaking("es"):
        assert records.all_rows(model).equals(rows)  # the table, its CSV and the API: data, in English
        headers = dict(records.columns())
        shown = records.display_records(rows)
    english = records.display_records(rows)
    assert headers["source"] == "Fuente" and headers["kind"] == "Tipo"
    assert dict(records.columns())["source"] == "Source"
    kinds = {row["kind"] for row in shown}
    assert kinds == {"Registro", "Listado de Clearview"}
    assert {row["kind"] for row in english} == {"Record", "Clearview listing"}
    assert [row["title"] for row in shown] == [row["title"] for row in english]  # names as published
    assert any(row["agency"] == "Boston (municipal)" for row in english)
    assert any(row["filed"] == "abril de 2020" for row in shown)  # a Clearview request month, CLDR Spanish


def test_the_records_search_finds_what_the_grid_shows_in_the_language_in_use(model: Model) -> None:
    rows = records.all_rows(model)
    county = rows.index[rows["reach"].eq("Worcester County")]
    nothing = rows.index[rows["_category"].eq("no_responsive_documents")]
    assert len(county) and len(nothing)

    def found(code: str, query: str) -> list[int]:
        with language.speaking(code):
            return list(records.filter_rows(model, rows, view(model.catalog, lang=code), query).index)

    assert found("es", "condado worcester") == list(county)  # the grid shows "Condado de Worcester"
    assert found("pt", "condado worcester") == list(county)
    assert found("es", "ningun documento") == list(nothing)  # typed without its accent: "Ningún documento pertinente"
    assert found("pt", "NENHUM documento") == list(nothing)
    assert found("es", "briefcam boston") == found("en", "briefcam boston") != []  # names as published, any language
    assert found("en", "condado") == []  # English searches what English shows


QUOTE = "No responsive documents"
FAKE_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"

msgid "No responsive documents"
msgstr "Ningún documento pertinente"

msgid "(our translation: “{translation}”)"
msgstr "(nuestra traducción: “{translation}”)"
"""


@pytest.fixture()
def fake_spanish(tmp_path: Path) -> Iterator[None]:
    """A Spanish catalogue that translates one quote (the shipped ones are installed again after)."""
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(FAKE_PO, encoding="utf-8")
    language.install(language.read_languages(tmp_path))
    try:
        yield
    finally:
        language.install(None)


def test_a_quote_stays_english_with_our_translation_beside_it(fake_spanish: None) -> None:
    sentence = ["The records page: ", Quote(QUOTE), "."]
    with language.speaking("es"):
        spanish = components(sentence)
    quoted = [c for c in spanish if isinstance(c, html.Q)]
    assert len(quoted) == 1 and quoted[0].children == QUOTE and quoted[0].lang == "en"
    notes = [c for c in spanish if isinstance(c, html.Span) and c.className == "quote-translation"]
    assert len(notes) == 1 and notes[0].children == "(nuestra traducción: “Ningún documento pertinente”)"
    assert spanish.index(notes[0]) == spanish.index(quoted[0]) + 2  # right after the quote and a space
    english = components(sentence)
    assert [type(c) for c in english] == [str, html.Q, str]
    assert getattr(english[1], "lang", None) is None  # in an English page a quote needs no mark


def test_brazilian_portuguese_speaks_its_own_catalogue(model: Model) -> None:
    pt = by_message("pt")
    position = list(model.towns.index).index(BOSTON)
    with language.speaking("pt") as spoken:
        assert spoken.tag == "pt-BR"
        legend = _text(panels.legend(model, view_facts(model, view(model.catalog, lang="pt"))))
        hover = town_hover(model, LATEST)[position]
    assert _translated(pt, "Clearview AI: what police departments' records showed") in legend
    assert "Municípios em cada classe (pedidos de 2020)" in legend
    assert "617.594" in hover and "24 de junho de 2020" in hover
