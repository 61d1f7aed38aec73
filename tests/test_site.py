"""The town and agency pages, search, sitemap and robots on the real app; the data version and the dictionary."""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from html_check import Page

from dashboard.config import Config
from dashboard.data.model import Model, build_model
from dashboard.data.version import data_version
from dashboard.exports.tables import (
    agencies_geojson,
    agencies_table,
    events_geojson,
    events_table,
    towns_geojson,
    towns_table,
)
from dashboard.server import create_app
from dashboard.site.dictionary import END, START, dictionary_markdown, readme_block

REPO = Path(__file__).resolve().parent.parent
MAX_PAGE = 100 * 1024
#: What the public must not read on a page (see tests/test_plain_words.py): file names, code words, coded months.
FORBIDDEN = {
    "a file name": re.compile(r"\.csv\b|\.py\b|DATA-NOTES"),
    "a code word": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "a month written as a code": re.compile(r"\b\d{4}-\d{2}\b(?!-\d)"),
}


def slug(name: str) -> str:
    """The address rule of the issue: lower case, a hyphen for every run of spaces or punctuation."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


#: A web address written out (the citation's) is the page's address, not a word of its text.
ADDRESS = re.compile(r"https?://\S+")


def problems(texts: list[str]) -> list[str]:
    return [
        f"{what}: {t[:120]}" for t in texts for what, pattern in FORBIDDEN.items() if pattern.search(ADDRESS.sub("", t))
    ]


@pytest.fixture(scope="module")
def client(model: Model, config: Config):
    app = create_app(model, data_dir=config.data_dir)
    return app.server.test_client()


@pytest.fixture(scope="module")
def classes() -> dict[str, dict[str, str]]:
    with (REPO / "data" / "clearview_classes.csv").open(encoding="utf-8") as f:
        return {row["class_id"]: row for row in csv.DictReader(f)}


def expected_version(data_dir: Path) -> str:
    """The data version by its documented recipe, computed here apart from the code under test."""
    with (data_dir / "changelog.csv").open(encoding="utf-8") as f:
        newest = max(row["date"] for row in csv.DictReader(f))
    digest = hashlib.sha256()
    for path in sorted(data_dir.glob("*.csv"), key=lambda p: p.name):
        content = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + str(len(content)).encode() + b"\0" + content)
    return f"{newest}+{digest.hexdigest()[:7]}"


def check_page(response, name: str) -> Page:
    """What every page must be: 200, HTML, small, no script, well nested, one h1, in English, described."""
    assert response.status_code == 200, name
    assert response.mimetype == "text/html"
    body = response.get_data()
    assert len(body) <= MAX_PAGE, f"{name}: {len(body)} bytes"
    text = body.decode()
    assert "<script" not in text.lower() and "plotly" not in text.lower()
    page = Page(text)
    assert page.errors == [] and page.open == [], (name, page.errors[:3], page.open)
    assert text.startswith("<!doctype html>")
    assert page.all("html") == [{"lang": "en"}]
    assert len(page.all("h1")) == 1
    metas = {a.get("name") or a.get("property"): a.get("content") for a in page.all("meta")}
    assert metas["description"] and metas["og:title"] and metas["og:description"]
    assert html.unescape(html.escape(name)) in metas["og:title"]
    assert "@media print" in text
    return page


def test_every_town_page(client, model: Model, config: Config, classes: dict[str, dict[str, str]]) -> None:
    towns = towns_table(model)
    assert len(towns) == 351
    version = expected_version(config.data_dir)
    records = model.records
    for town in towns.itertuples():
        response = client.get(f"/town/{slug(town.town)}")
        page = check_page(response, town.town)
        text = response.get_data(as_text=True)
        words = " ".join(page.text)
        assert f"<h1>{html.escape(town.town)}</h1>" in text
        cls = classes[town.clearview_status]
        assert cls["label"] in words and cls["description"] in words, town.town
        assert f'href="/?town={town.town_id}"' in text and "Open the interactive map on this town" in text
        canonical = [a for a in page.all("link") if a.get("rel") == "canonical"]
        assert canonical == [{"rel": "canonical", "href": f"http://localhost/town/{slug(town.town)}"}]
        assert f"data revision: {version}" in text
        # The locator: an inline SVG titled with the town, the state and the town drawn.
        svg = text.split("<svg", 1)[1].split("</svg>", 1)[0]
        assert f'<title id="locator-title">{html.escape(town.town)} within Massachusetts</title>' in svg
        assert svg.count("<path") == 2
        own = records.loc[records["town_id"].eq(town.town_id)]
        assert f"Records about {html.escape(town.town)}’s agencies ({len(own)})" in text
        for record in own.itertuples():
            assert record.title in words
        assert problems(page.text) == [], town.town


def test_every_agency_page(client, model: Model) -> None:
    agencies = agencies_table(model)
    assert len(agencies) >= 13
    for agency in agencies.itertuples():
        response = client.get(f"/agency/{agency.agency_id}")
        page = check_page(response, agency.name)
        text = response.get_data(as_text=True)
        assert html.unescape(text.split("<h1>", 1)[1].split("</h1>", 1)[0]) == agency.name
        assert agency.name in page.text
        assert problems(page.text) == [], agency.name


def test_what_a_town_page_says(client) -> None:
    boston = client.get("/town/boston").get_data(as_text=True)
    # Facts read off the records page and data/ by hand.
    assert "Suffolk County · 617,594 residents (2010 census) · Metro Boston UASI region" in boston
    assert "Clearview AI at the Boston PD</a> (on the Private Companies page), 0 documents." in boston
    assert "266 documents" in boston  # Lan-Tel at the Boston Office of Emergency Management
    assert "June 24, 2020" in boston and "Source</a>†" in boston
    assert '<a href="/agency/msp">Massachusetts State Police</a>' in boston
    assert '<a href="/town/winthrop">Winthrop</a>' in boston  # another UASI member
    barnstable = client.get("/town/barnstable").get_data(as_text=True)
    assert "a second listing, not counted" in barnstable
    assert "shared by" in barnstable and "102 documents" in barnstable
    dedham = client.get("/town/dedham").get_data(as_text=True)
    assert {"href": "/agency/norfolk_sheriff"} in Page(dedham).all("a")
    assert "Norfolk County Sheriff's Office" in Page(dedham).text
    assert "Agencies with offices in Dedham†" in dedham
    alford = client.get("/town/alford").get_data(as_text=True)
    assert "Not listed: no reply published" in alford and "None in the records index." in alford


def test_published_names_redirect_to_the_page(client) -> None:
    for alias, target in [
        ("manchester-by-the-sea", "/town/manchester"),
        ("Manchester-By-The-Sea", "/town/manchester"),
        ("boston-pd", "/town/boston"),
        ("foxbourugh-pd", "/town/foxborough"),
        ("north-attleboro", "/town/north-attleborough"),
        ("massachusetts-state-police", "/agency/msp"),
    ]:
        response = client.get(f"/town/{alias}")
        assert response.status_code in (301, 308), alias
        assert response.headers["Location"] == target
    assert client.get("/agency/norfolk-sheriff").headers["Location"] == "/agency/norfolk_sheriff"


def test_an_unknown_address_is_a_404_page_with_a_search_form(client) -> None:
    for path in ["/town/atlantis", "/agency/nobody", "/town/%3Cscript%3E"]:
        response = client.get(path)
        assert response.status_code == 404
        text = response.get_data(as_text=True)
        assert '<form action="/town-search" method="get"' in text and 'name="q"' in text
        assert "<script" not in text
        assert Page(text).errors == []


def test_search(client) -> None:
    assert client.get("/town-search?q=Worcester").headers["Location"] == "/town/worcester"
    assert client.get("/town-search?q=Holyooke").headers["Location"] == "/town/holyoke"
    several = client.get("/town-search?q=spring")
    assert several.status_code == 200
    text = several.get_data(as_text=True)
    assert '<a href="/town/springfield">Springfield</a>' in text
    assert '<a href="/town/west-springfield">West Springfield</a>' in text
    assert "No town or agency matches" in client.get("/town-search?q=qqqqqq").get_data(as_text=True)
    index = client.get("/town-search").get_data(as_text=True)
    assert index.count('<li><a href="/town/') == 351
    assert client.get("/town/").headers["Location"] == "/town-search"


def test_sitemap_and_robots(client, model: Model) -> None:
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and sitemap.mimetype == "application/xml"
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [e.text or "" for e in ElementTree.fromstring(sitemap.get_data()).iter(f"{namespace}loc")]
    towns = [u for u in locs if u.startswith("http://localhost/town/")]
    assert len(towns) == 351 and "http://localhost/town/boston" in towns
    assert {f"http://localhost/agency/{a}" for a in model.agencies.index} <= set(locs)
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.mimetype == "text/plain"
    lines = robots.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines and "Sitemap: http://localhost/sitemap.xml" in lines


def test_the_map_still_answers_beside_the_pages(client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "_dash-" in page.get_data(as_text=True)


def test_pages_are_cached_and_revalidate(client) -> None:
    first = client.get("/town/springfield")
    assert client.get("/town/springfield").get_data() == first.get_data()
    again = client.get("/town/springfield", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_text_from_the_data_is_escaped(copy_config: Config) -> None:
    vendors = copy_config.data_dir / "vendors.csv"
    text = vendors.read_text(encoding="utf-8")
    vendors.write_text(text.replace("A video analytics", "<script>alert(1)</script> A video analytics"), "utf-8")
    model = build_model(copy_config)
    app = create_app(model, data_dir=copy_config.data_dir)
    page = app.server.test_client().get("/town/boston").get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; A video analytics" in page


def test_data_version(config: Config, data_copy: Path) -> None:
    version = data_version(config.data_dir)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\+[0-9a-f]{7}", version)
    assert version == expected_version(config.data_dir)
    assert data_version(data_copy) == version  # the folder's place does not matter, only its files
    counties = data_copy / "counties.csv"
    counties.write_bytes(counties.read_bytes() + b"\n")
    assert data_version(data_copy).split("+")[1] != version.split("+")[1]
    with (data_copy / "changelog.csv").open("a", encoding="utf-8") as f:
        f.write("2099-01-02,A test correction,A test\n")
    assert data_version(data_copy).startswith("2099-01-02+")


def test_the_dictionary_describes_every_column_once(config: Config, tmp_path: Path) -> None:
    markdown = dictionary_markdown(config.data_dir)
    for column in ["town_id", "clearview_status", "hq_town_provenance", "source_quote", "source_url", "data_version"]:
        assert f"| `{column}` |" in markdown
    with (config.data_dir / "columns.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    described = {(r["table"], r["column"]) for r in rows}
    assert len(described) == len(rows)
    # Every row is used: none describes a column no table has any more.
    for table, column in described:
        assert f"| `{column}` |" in markdown, (table, column)
    broken = tmp_path / "data"
    shutil.copytree(config.data_dir, broken)
    lines = (broken / "columns.csv").read_text(encoding="utf-8").splitlines()
    (broken / "columns.csv").write_text("\n".join(x for x in lines if ",note," not in x) + "\n", encoding="utf-8")
    with pytest.raises(Exception, match="note"):
        dictionary_markdown(broken)


def test_the_dictionary_names_every_member_the_geojson_files_add(model: Model, config: Config) -> None:
    section = dictionary_markdown(config.data_dir).split("**Every GeoJSON file**", 1)[1].split("\n\n**", 1)[0]
    files = [
        towns_geojson(model, towns_table(model)),
        agencies_geojson(model, agencies_table(model)),
        events_geojson(model, events_table(model)),
    ]
    for text in files:
        added = set(json.loads(text)) - {"type", "features"}  # GeoJSON's own members need no entry
        assert "data_version" in added
        for member in added:
            assert f"| `{member}` |" in section, member


def test_the_readme_holds_the_generated_dictionary(config: Config) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert START in readme and END in readme, "paste readme_block() between the data-dictionary markers"
    held = START + readme.split(START, 1)[1].split(END, 1)[0] + END
    assert held == readme_block(config.data_dir)
