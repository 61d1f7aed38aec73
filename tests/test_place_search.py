"""Search that never sends you elsewhere: villages, neighborhoods and ZIP codes lead to their municipality and say so;
a misspelling is offered as "Did you mean", never taken; the gazetteer behind it is whole and sourced.

Expected towns are public knowledge, written here: Florence and Leeds are villages of Northampton; Osterville and
Hyannis of Barnstable; Pocasset of Bourne; Dorchester a neighborhood of Boston; ZIP code 01062 is Florence's and 02601
Hyannis's; Chestnut Hill lies in Boston, Brookline and Newton."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.data.place_search import place_index, search
from dashboard.server import create_app
from dashboard.web import ids
from dashboard.web.search_box import search_options

REPO = Path(__file__).resolve().parents[1]
#: (typed, the municipality it is in): public knowledge, not read from the code or the data.
PLACES = [
    ("Florence", "Northampton"),
    ("Leeds", "Northampton"),
    ("Osterville", "Barnstable"),
    ("Hyannis", "Barnstable"),
    ("Pocasset", "Bourne"),
    ("Dorchester", "Boston"),
    ("Jamaica Plain", "Boston"),
    ("01062", "Northampton"),
    ("02601", "Barnstable"),
]
#: The towns the old search jumped to for those names: none may be offered for them.
WRONG = {"Florence": "Lawrence", "Osterville": "Somerville", "Pocasset": "Cohasset", "Leeds": "Lee"}


@pytest.fixture(scope="module")
def client(model: Model, config: Config):
    return create_app(model, data_dir=config.data_dir).server.test_client()


def _text(body: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", body))


@pytest.mark.parametrize(("typed", "town"), PLACES)
def test_a_place_or_zip_code_leads_to_its_town_only(model: Model, typed: str, town: str) -> None:
    result = search(place_index(model), typed)
    assert [m.target.name for m in result.exact] == [town]
    assert result.exact[0].place is not None  # found through the place, so the answer can say so
    assert result.only_target is None  # and never taken as if the town had been typed
    assert WRONG.get(typed) not in [m.target.name for m in (*result.exact, *result.partial, *result.suggestions)]


def test_a_name_in_three_towns_offers_all_three(model: Model) -> None:
    result = search(place_index(model), "Chestnut Hill")
    assert sorted(m.target.name for m in result.exact) == ["Boston", "Brookline", "Newton"]


@pytest.mark.parametrize(
    ("typed", "meant", "town"), [("Florance", "Florence", "Northampton"), ("Dorchestr", "Dorchester", "Boston")]
)
def test_a_misspelling_is_only_offered(model: Model, typed: str, meant: str, town: str) -> None:
    result = search(place_index(model), typed)
    assert result.exact == () and result.only_target is None
    assert (meant, town) in [(m.place, m.target.name) for m in result.suggestions]


@pytest.mark.parametrize(
    ("typed", "town", "says"),
    [
        ("Florence", "Northampton", "Florence is in Northampton."),
        ("Osterville", "Barnstable", "Osterville is in Barnstable."),
        ("Dorchester", "Boston", "Dorchester is a neighborhood of Boston."),
        ("01062", "Northampton", "ZIP code 01062 (Florence) is in Northampton."),
        ("Hyannis", "Barnstable", "Hyannis is in Barnstable."),
    ],
)
def test_the_search_page_says_where_a_place_is_and_links_its_town(client, typed: str, town: str, says: str) -> None:
    for path in ("/town-search", "/search"):
        response = client.get(path, query_string={"q": typed})
        assert response.status_code == 200, (path, typed)  # an answer, not a redirect to some town
        body = response.get_data(as_text=True)
        assert says in " ".join(_text(body).split())
        assert f'href="/town/{town.lower()}"' in body


def test_the_search_page_never_redirects_a_misspelling(client) -> None:
    response = client.get("/town-search", query_string={"q": "Florance"})
    assert response.status_code == 200
    text = " ".join(_text(response.get_data(as_text=True)).split())
    assert "Did you mean" in text and "Florence is in Northampton." in text
    nothing = client.get("/town-search", query_string={"q": "Qqqzzz"})
    assert nothing.status_code == 200 and "nor any village, neighborhood or ZIP code" in nothing.get_data(as_text=True)


def test_a_towns_own_name_still_opens_its_page(client) -> None:
    assert client.get("/town-search", query_string={"q": "Northampton"}).headers["Location"] == "/town/northampton"
    assert client.get("/town-search", query_string={"q": "Boston PD"}).headers["Location"] == "/town/boston"
    assert client.get("/town-search", query_string={"q": "Lee"}).headers["Location"] == "/town/lee"


def test_the_map_search_box_finds_a_town_by_its_places(model: Model) -> None:
    words = {o["label"]: o["search"].split() for o in search_options(model)}
    for typed, town in PLACES:
        first = typed.split()[0]
        # The dropdown matches each typed word inside an option's words: the place's town has it, no other town does.
        holders = [label for label, ws in words.items() if any(first.lower() in w.lower() for w in ws)]
        assert town in holders, typed
        assert WRONG.get(typed) not in holders


def test_every_gazetteer_row_names_a_municipality_and_its_source() -> None:
    with (REPO / "data" / "places.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 500
    for row in rows:
        assert 1 <= int(row["town_id"]) <= 351, row
        assert row["provenance"].strip() and row["source"] in ("usps", "reviewed"), row
        assert row["kind"] in ("zip_code", "postal_name", "village", "neighborhood"), row
        if row["kind"] == "zip_code":
            assert re.fullmatch(r"\d{5}", row["place"]), row
            assert row["place"][:3] in {f"0{n}" for n in range(10, 28)}, row  # Massachusetts ZIP codes: 010-027
    kinds = {row["kind"] for row in rows}
    assert kinds == {"zip_code", "postal_name", "village", "neighborhood"}


def test_the_gazetteer_build_is_reproducible(tmp_path: Path, config: Config) -> None:
    import shutil

    from dashboard.data.gazetteer import write_gazetteer

    data = tmp_path / "data"
    shutil.copytree(config.data_dir, data)
    path, _ = write_gazetteer(data, config.boundaries)
    assert path.read_bytes() == (config.data_dir / "places.csv").read_bytes()


@pytest.mark.browser
def test_typing_a_village_in_the_map_search_box_offers_its_town(dash_duo) -> None:
    dash_duo.open()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.TOWN_SEARCH}"))
    dash_duo.find_element(f"#{ids.TOWN_SEARCH}").click()
    dash_duo.find_element("input.dash-dropdown-search").send_keys("Florence")
    option = "//label[contains(@class, 'dash-dropdown-option')]"
    WebDriverWait(dash_duo.driver, 10).until(lambda d: d.find_elements(By.XPATH, option))
    offered = [e.text.strip() for e in dash_duo.driver.find_elements(By.XPATH, option)]
    assert offered == ["Northampton"]
    dash_duo.driver.find_element(By.XPATH, f"{option}[normalize-space()='Northampton']").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PANEL} .panel-title", "Northampton")
