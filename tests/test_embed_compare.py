"""The compare page and its slide, the "Embed this view" code in a real iframe, and the data version everywhere."""

from __future__ import annotations

import csv
import html
import json
import re
import struct
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from browser_wait import wait_until_quiet
from html_check import Page
from markupsafe import escape
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.data.version import data_version
from dashboard.exports.compare_slide import compare_figure
from dashboard.exports.images import render_image
from dashboard.server import create_app
from dashboard.site.compare import parse_spec
from dashboard.site.slugs import build_directory
from dashboard.state.view import view
from dashboard.views.records import all_rows
from dashboard.web import ids
from dashboard.web.layout import build_layout

REPO = Path(__file__).resolve().parent.parent
MAX_PAGE = 100 * 1024
COMPARISONS = [
    ["boston", "cambridge"],
    ["northampton", "boston", "dalton"],
    ["worcester", "springfield", "somerville", "great-barrington"],
]


def valid_page(text: str) -> Page:
    """Well nested, one h1, in English, no script, ids unique."""
    assert text.startswith("<!doctype html>")
    assert "<script" not in text.lower() and "plotly" not in text.lower()
    page = Page(text)
    assert page.errors == [] and page.open == [], (page.errors[:3], page.open)
    assert page.all("html") == [{"lang": "en"}]
    assert len(page.all("h1")) == 1
    element_ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(element_ids) == len(set(element_ids)), element_ids
    return page


@pytest.fixture(scope="module")
def client(model: Model, config: Config):
    return create_app(model, data_dir=config.data_dir).server.test_client()


@pytest.fixture(scope="module")
def classes() -> dict[str, dict[str, str]]:
    with (REPO / "data" / "clearview_classes.csv").open(encoding="utf-8") as f:
        return {row["class_id"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def towns_by_slug(model: Model) -> dict[str, int]:
    return {re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-"): int(t) for t, name in model.towns["town"].items()}


# --- the compare page -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slugs", COMPARISONS, ids=lambda s: str(len(s)))
def test_compare_page_for_two_three_and_four_towns(
    client, model: Model, config: Config, classes: dict[str, dict[str, str]], towns_by_slug: dict[str, int], slugs
) -> None:
    path = "/compare/" + "+".join(slugs)
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    body = response.get_data()
    assert len(body) <= MAX_PAGE, len(body)
    text = body.decode()
    page = valid_page(text)
    canonical = [a for a in page.all("link") if a.get("rel") == "canonical"]
    assert canonical == [{"rel": "canonical", "href": f"http://localhost{path}"}]
    # The towns' columns in the order given, each headed by a link to its page.
    heads = re.findall(r'<th scope="col"><a href="/town/([a-z0-9-]+)">', text)
    assert heads == slugs
    assert text.count('<svg xmlns="http://www.w3.org/2000/svg"') == len(slugs)  # a locator per town
    for slug in slugs:
        town = model.towns.loc[towns_by_slug[slug]]
        name = str(town["town"])
        assert escape(name) in text.split("</h1>")[0]
        cls = classes[str(town["clearview_status"])]
        column = re.findall(rf'<td data-label="{re.escape(escape(name))}">(.*?)</td>', text, re.S)
        cells = "".join(column)
        assert escape(cls["label"]) in cells and escape(cls["description"]) in cells, name
        records = model.records.loc[model.records["town_id"].eq(towns_by_slug[slug])]
        for title in records["title"]:
            assert escape(str(title)) in cells, (name, title)
        if records.empty:
            assert "None in the records index." in cells
        assert f"/?town={towns_by_slug[slug]}" in text  # the map opens on each town
    assert f"data revision: {data_version(config.data_dir)}" in text
    assert "Who else reaches it" in text and "Policy decisions" in text and "Vendors in these records" in text
    assert 'action="/compare"' in text  # compare others from here


def test_a_town_with_a_zero_document_listing_says_so(client) -> None:
    text = client.get("/compare/boston+cambridge").get_data(as_text=True)
    assert "This record holds 0 documents" in text
    # Boston's records include its Lan-Tel record with its documents.
    assert "Lantel at the Boston Office of Emergency Management" in text and "266 documents" in text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/compare/boston", 400),
        ("/compare/boston+", 400),
        ("/compare/boston+cambridge+somerville+worcester+springfield", 400),
        ("/compare/boston+boston", 400),
        ("/compare/boston+boston-pd", 400),  # the same town under its published name
        ("/compare/boston+atlantis", 404),
        ("/compare/boston+msp", 404),  # an agency is no town
        ("/compare/" + "x" * 5000, 400),
        ("/compare/boston/cambridge", 404),
        ("/compare/%00+%ff", 404),
        ("/compare/<script>+boston", 404),
        ("/compare?town=Boston&town=Atlantis", 404),
        ("/compare?town=Boston", 400),
    ],
)
def test_bad_comparisons_answer_with_a_search_box(client, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status, response.status_code
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    valid_page(text)
    assert '<form action="/town-search" method="get" role="search">' in text
    assert '<form action="/compare" method="get"' in text
    assert "<script>" not in text


def test_odd_addresses_never_fail(client) -> None:
    for spec in ["", "+", "++", "+boston+cambridge", "%20", "..", "boston+cambridge.png.png", "b" * 300 + "+c"]:
        assert client.get("/compare/" + spec).status_code in {200, 301, 302, 400, 404}, spec
    assert client.get("/compare").status_code == 200  # the form alone


def test_aliases_and_other_spellings_redirect_to_the_canonical_address(client) -> None:
    response = client.get("/compare/Boston-PD+manchester-by-the-sea")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/compare/boston+manchester")
    assert client.get("/compare/boston+cambridge+").headers["Location"].endswith("/compare/boston+cambridge")
    # The order given is kept, never sorted.
    assert client.get("/compare/cambridge+boston").status_code == 200
    # The form (no JavaScript) sends names as typed.
    response = client.get("/compare?town=boston&town=West Springfield&town=")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/compare/boston+west-springfield")


def test_a_town_page_offers_to_compare(client) -> None:
    text = client.get("/town/boston").get_data(as_text=True)
    form = re.search(r'<form action="/compare" method="get"[^>]*>(.*?)</form>', text, re.S)
    assert form is not None
    assert '<input type="hidden" name="town" value="boston">' in form.group(1)
    assert 'for="compare-with"' in form.group(1) and 'id="compare-with"' in form.group(1)


def test_compare_slide_figure_has_a_map_per_town(model: Model) -> None:
    directory = build_directory(model)
    parsed = parse_spec(directory, "boston+cambridge+somerville+northampton")
    assert parsed.status == 200
    figure = compare_figure(model, tuple(directory.town_id(p.key) for p in parsed.towns))
    geos = sorted(k for k in figure.layout.to_plotly_json() if k.startswith("geo"))
    assert geos == ["geo", "geo2", "geo3", "geo4"]
    texts = " ".join(a.text for a in figure.layout.annotations)
    for name in ["Boston", "Cambridge", "Somerville", "Northampton"]:
        assert f"<b>{name}</b>" in texts
    assert f"Data revision {model.data_version}" in texts
    # Four maps side by side, none overlapping another.
    boxes = [figure.layout[g].domain for g in geos]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a.x[1] <= b.x[0] or b.x[1] <= a.x[0] or a.y[1] <= b.y[0] or b.y[1] <= a.y[0]
            assert apart, (a, b)


def test_compare_slide_png(client) -> None:
    response = client.get("/compare/boston+cambridge.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    data = response.get_data()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1920, 1080)
    assert client.get("/compare/Boston+cambridge.png").headers["Location"].endswith("/compare/boston+cambridge.png")
    assert client.get("/compare/boston.png").status_code == 400


# --- the data version -----------------------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=REPO, capture_output=True, text=True, check=True
    )


def test_exports_name_the_data_version(config: Config) -> None:
    version = data_version(config.data_dir)
    done = _run("export", "towns", "--format", "geojson")
    collection = json.loads(done.stdout)
    assert collection["data_version"] == version and collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 351
    # CSV stays a plain table: the version goes to standard error.
    done = _run("export", "records")
    assert done.stdout.splitlines()[0].startswith("kind,title,")
    assert version not in done.stdout
    assert f"data version {version}" in done.stderr


def test_a_slide_names_the_data_version(model: Model, config: Config) -> None:
    svg = render_image(model, view(model.catalog, town=35), "svg", "wide")
    text = " ".join(ElementTree.fromstring(svg).itertext())
    assert f"Data revision {data_version(config.data_dir)}" in text


def test_the_map_page_footer_names_the_data_version(model: Model, config: Config) -> None:
    layout = build_layout(model, all_rows(model), "/assets/topojson/")
    footer = next(c for c in layout.children if getattr(c, "className", "") == "site-footer")
    lines = [getattr(p, "children", "") for p in footer.children]
    # Labelled as this map's revision, apart from the data's own dates (tests/test_time_control.py).
    assert any(str(line).startswith(f"This map's data revision: {data_version(config.data_dir)} ") for line in lines)


# --- the embed, in a real browser -----------------------------------------------------------------------------------

_FRAME_STATE = """
const doc = document.documentElement;
const shown = Array.from(document.querySelectorAll('a')).filter(a => a.getClientRects().length > 0);
// A view link (the first view's towns) changes the view inside the frame; every other link leaves it.
const links = shown.filter(a => !a.hasAttribute('data-view'));
return {
  towns: document.querySelectorAll('#map path.choroplethlocation').length,
  pictured: document.querySelectorAll('#first-paint svg.first-paint-map a[data-town] path').length,
  views: shown.filter(a => a.hasAttribute('data-view')).map(a => a.getAttribute('href')),
  dash: typeof window.DashRenderer !== 'undefined',
  present: (document.getElementById('page') || {}).className || '',
  scroll: [doc.scrollWidth, doc.clientWidth, document.body.scrollWidth],
  width: window.innerWidth,
  links: links.map(a => [a.textContent.trim(), a.target]),
  footer: (document.querySelector('.site-footer') || {}).textContent || '',
  grid: Boolean(window.dash_ag_grid)
    || performance.getEntriesByType('resource').some(e => e.name.includes('/dash_ag_grid/')),
};
"""


def _until(driver, predicate, timeout: float = 20):
    return WebDriverWait(driver, timeout).until(lambda _: predicate())


def test_embed_code_follows_the_view_and_works_in_an_iframe(dash_duo, model: Model, config: Config) -> None:
    app = create_app(model, frame_ancestors="'self'", data_dir=config.data_dir)
    host = {"code": ""}

    @app.server.route("/embed-host-for-test")
    def embed_host() -> str:
        # The code as a reader would paste it, in a 320 px and a 1280 px column of another page (same origin here).
        return (
            # No favicon asked for: unknown paths are 404s, which the browser would log.
            '<!doctype html><html lang="en"><head><title>Host</title><link rel="icon" href="data:,"></head>'
            '<body style="margin:0">'
            f'<div id="narrow" style="width:320px">{host["code"]}</div>'
            f'<div id="wide" style="width:1280px">{host["code"]}</div></body></html>'
        )

    dash_duo.start_server(app)
    driver = dash_duo.driver
    version = data_version(config.data_dir)
    driver.get(dash_duo.server_url + "/?vendors=briefcam&town=35")
    dash_duo.wait_for_element(f"#{ids.MAP} path.choroplethlocation", timeout=20)
    dash_duo.wait_for_contains_text(".site-footer", f"data revision: {version}")

    def code() -> str:
        return driver.execute_script(f"return document.getElementById('{ids.EMBED_CODE}').value")

    def present_href() -> str:
        return driver.execute_script(f"return document.getElementById('{ids.PRESENT_LINK}').href")

    _until(driver, lambda: "town=35" in code())
    dash_duo.find_element(".embed summary").click()
    textarea = dash_duo.find_element(f"#{ids.EMBED_CODE}")
    assert textarea.is_displayed() and textarea.get_attribute("readonly") is not None
    iframe = re.fullmatch(
        r'<iframe src="([^"]+)" title="([^"]+)" width="100%" height="560" style="border:0" loading="lazy"></iframe>',
        code(),
    )
    assert iframe is not None, code()
    src = html.unescape(iframe.group(1))
    assert src == present_href() and src.startswith(dash_duo.server_url + "/?")
    assert "present=1" in src and "town=35" in src and "vendors=briefcam" in src
    assert iframe.group(2).strip()

    # A filter change: the present link and the code follow it, without a reload.
    driver.find_element("css selector", f"#{ids.CLASSES} input[value='no_response']").click()
    _until(driver, lambda: "classes=" in code())
    assert html.unescape(re.search(r'src="([^"]+)"', code()).group(1)) == present_href()  # type: ignore[union-attr]

    # The code in another page: the presentation view draws, fits the frame and opens its links in a new tab.
    driver.find_element("css selector", f"#{ids.CLASSES} input[value='no_response']").click()
    _until(driver, lambda: "classes=" not in code())
    host["code"] = code()
    driver.get(dash_duo.server_url + "/embed-host-for-test")
    for column, width in (("narrow", 320), ("wide", 1280)):
        frame = driver.find_element("css selector", f"#{column} iframe")
        driver.execute_script("arguments[0].scrollIntoView()", frame)
        assert frame.size["width"] == width
        driver.switch_to.frame(frame)
        try:
            if width <= 900:  # a narrow frame keeps the server's first view: its map's towns are links
                _until(driver, lambda: driver.execute_script(_FRAME_STATE)["pictured"] == 351)
                wait_until_quiet(dash_duo, 1.0)
                state = driver.execute_script(_FRAME_STATE)
                assert not state["dash"] and state["towns"] == 0, state
                assert len(state["views"]) == 351 and all("present=1" in href for href in state["views"])
            else:
                _until(driver, lambda: driver.execute_script(_FRAME_STATE)["towns"] == 351)
                state = driver.execute_script(_FRAME_STATE)
            assert "present" in state["present"].split()
            assert state["width"] == width
            assert state["scroll"][0] <= state["scroll"][1] and state["scroll"][2] <= state["scroll"][1], state
            assert state["links"], "the source line's link is shown"
            assert [link for link in state["links"] if link[1] != "_blank"] == []
            assert f"data revision: {version}" in state["footer"]
            assert not state["grid"], "the presentation view never loads the records grid's library"
        finally:
            driver.switch_to.default_content()
    assert dash_duo.get_logs() == []
