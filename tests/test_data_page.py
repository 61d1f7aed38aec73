"""The /data page and the schema.org Dataset: licence, version, dates, every download with its format and size, the
citation, the changes page; the JSON-LD (Google's Rich Results fields for a Dataset) on /data and on the map page,
escaped so that no value can end its script element."""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
from pathlib import Path

import pytest
from html_check import Page

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.server import create_app
from dashboard.site.dataset import dataset_jsonld, jsonld_script
from dashboard.site.source import source_block

#: Google's Rich Results rules for a Dataset: required, then recommended (funder is left out: not known).
REQUIRED = ("name", "description")
RECOMMENDED = (
    "alternateName",
    "creator",
    "citation",
    "hasPart",
    "identifier",
    "isAccessibleForFree",
    "keywords",
    "license",
    "measurementTechnique",
    "variableMeasured",
    "sameAs",
    "spatialCoverage",
    "temporalCoverage",
    "distribution",
    "version",
    "dateModified",
    "url",
)
#: Every download the page must list: the tables as CSV and GeoJSON, the records as CSV (the issue's list).
DOWNLOADS = {
    "towns.csv": "text/csv",
    "towns.geojson": "application/geo+json",
    "agencies.csv": "text/csv",
    "agencies.geojson": "application/geo+json",
    "events.csv": "text/csv",
    "events.geojson": "application/geo+json",
    "records.csv": "text/csv",
}
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def rows(data_dir: Path, name: str) -> list[dict[str, str]]:
    with (data_dir / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def expected_version(data_dir: Path) -> str:
    """The data version by its documented recipe: the changelog's newest date, sha256 over data/*.csv."""
    newest = max(row["date"] for row in rows(data_dir, "changelog.csv"))
    digest = hashlib.sha256()
    for path in sorted(data_dir.glob("*.csv"), key=lambda p: p.name):
        content = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + str(len(content)).encode() + b"\0" + content)
    return f"{newest}+{digest.hexdigest()[:7]}"


@pytest.fixture(scope="module")
def client(model: Model, config: Config):
    return create_app(model, data_dir=config.data_dir).server.test_client()


@pytest.fixture(scope="module")
def publication(config: Config) -> dict[str, str]:
    return {r["field"]: r["value"] for r in rows(config.data_dir, "publication.csv")}


@pytest.fixture(scope="module")
def data_page(client) -> str:
    response = client.get("/data")
    assert response.status_code == 200 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


def text_of(body: str) -> str:
    return " ".join(Page(body).text)


def jsonld_of(body: str) -> dict:
    found = SCRIPT.findall(body)
    assert len(found) == 1, "one Dataset per page"
    return json.loads(found[0])


def test_the_data_page_is_well_formed_html(data_page: str) -> None:
    page = Page(data_page)
    assert page.errors == [] and page.open == []
    assert len(page.all("h1")) == 1
    assert "@media print" in data_page


def test_the_data_page_names_the_licences_and_the_sources_credit(data_page: str, publication: dict[str, str]) -> None:
    text = text_of(data_page)
    assert publication["data_licence_title"] in text  # Creative Commons Attribution 4.0 International
    assert publication["code_licence_title"] in text  # Apache License 2.0
    assert publication["credit"] in text
    why = {r["field"]: r["why"] for r in rows(Path(__file__).parent.parent / "data", "publication.csv")}
    assert why["data_licence"] in text  # the reason, in one line
    hrefs = [a.get("href") for a in Page(data_page).all("a")]
    assert publication["data_licence_url"] in hrefs and publication["code_licence_url"] in hrefs


def test_the_data_page_gives_the_version_and_the_datas_own_dates_apart(data_page: str, config: Config) -> None:
    text = text_of(data_page)
    assert expected_version(config.data_dir) in text
    figures = {r["figure"]: r["value"] for r in rows(config.data_dir, "published_figures.csv")}
    assert figures["first_year_filed"] == "2017" and figures["last_year_filed"] == "2020"
    assert "records filed 2017–2020" in text
    assert "records index dated February 2021" in text  # published 2021-02-26
    last_decision = max(r["date"] for r in rows(config.data_dir, "policy_events.csv"))
    assert last_decision.startswith("2021-12")
    assert "policy decisions to December 2021" in text
    # The version is said apart from those dates, as the data's revision, never as the data's date.
    assert "not the date of the records" in text


def test_the_data_page_says_what_it_covers_and_what_it_is_based_on(data_page: str, config: Config) -> None:
    text = text_of(data_page)
    assert "351 cities and towns of Massachusetts" in text
    assert "January 2017 to December 2021" in text
    assert "MassGIS" in text
    hrefs = [a.get("href") for a in Page(data_page).all("a")]
    assert "https://data.aclum.org/public-records/frt-ma/" in hrefs  # the records page every section sits under
    assert "/api/v1/" in hrefs  # the API's documentation
    assert "/data/changes" in hrefs


def test_every_download_is_listed_with_its_format_and_size_and_served(client, data_page: str) -> None:
    page = Page(data_page)
    links = {a.get("href") for a in page.all("a")}
    text = text_of(data_page)
    for name, media in DOWNLOADS.items():
        assert f"/download/{name}" in links, name
        answer = client.get(f"/download/{name}", headers={"Accept-Encoding": "identity"})
        assert answer.status_code == 200, name
        assert answer.mimetype == media, name
        assert answer.headers["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        size = len(answer.get_data())
        shown = f"{round(size / 1000)} kB" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"
        row = data_page.split(f'href="/download/{name}"', 1)[1].split("</tr>", 1)[0]
        assert shown in row, (name, shown)
    assert "CSV" in text and "GeoJSON" in text


def test_a_geojson_download_carries_its_licence_and_source(client, publication: dict[str, str]) -> None:
    for name in ("towns.geojson", "agencies.geojson", "events.geojson"):
        data = client.get(f"/download/{name}").get_json(force=True)
        assert data["type"] == "FeatureCollection" and data["features"]
        assert data["licence"]["url"] == publication["data_licence_url"]
        assert data["licence"]["name"] == "CC-BY-4.0"
        assert data["source"]["url"] == "https://data.aclum.org/public-records/frt-ma/"
        assert data["source"]["credit"] == publication["credit"]


def test_the_data_page_has_the_cite_line(data_page: str, config: Config, publication: dict[str, str]) -> None:
    text = html.unescape(text_of(data_page))
    assert "Cite this data" in text
    line = text.split("Cite this data", 1)[1]
    assert publication["creator"] in line and publication["title"] in line
    assert f"data version {expected_version(config.data_dir)}" in line
    assert "http://localhost/data" in line  # the page's own address


def test_the_changes_page_lists_the_changelog_newest_first_in_words(client, config: Config) -> None:
    response = client.get("/data/changes")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    text = text_of(body)
    log = rows(config.data_dir, "changelog.csv")
    for row in log:
        assert row["change"].rstrip(".") in text, row["change"][:60]
    days = [t.get("datetime") for t in Page(body).all("time")]
    assert days == sorted({r["date"] for r in log}, reverse=True)
    assert "December 4, 2026" in text and "November 26, 2026" in text
    main = text_of(body.split("<main>", 1)[1].split("</main>", 1)[0])
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", main)  # dates in words only (the footer's version aside)
    # Within a day, the row written last comes first.
    newest_day = [r for r in log if r["date"] == days[0]]
    assert text.index(newest_day[-1]["change"].rstrip(".")) < text.index(newest_day[0]["change"].rstrip("."))


def test_the_dataset_has_every_required_and_recommended_field(data_page: str, config: Config) -> None:
    data = jsonld_of(data_page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    for field in (*REQUIRED, *RECOMMENDED):
        assert data.get(field) not in (None, "", []), field
    assert 50 <= len(data["description"]) <= 5000
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["version"] == expected_version(config.data_dir)
    assert data["dateModified"] == max(r["date"] for r in rows(config.data_dir, "changelog.csv"))
    assert data["url"] == "http://localhost/data"
    assert data["isAccessibleForFree"] is True
    assert data["temporalCoverage"] == "2017-01/2021-12"
    place = data["spatialCoverage"]
    assert place["@type"] == "Place"
    south, west, north, east = (float(v) for v in place["geo"]["box"].split())
    # Massachusetts lies between about 41.2 and 42.9 north, 73.5 and 69.9 west.
    assert 41.0 < south < 41.5 and 42.7 < north < 43.0 and -73.6 < west < -73.4 and -70.0 < east < -69.8
    formats = {d["contentUrl"].rsplit("/", 1)[1]: d["encodingFormat"] for d in data["distribution"]}
    assert formats == DOWNLOADS
    assert all(d["@type"] == "DataDownload" for d in data["distribution"])
    assert all(d["contentUrl"].startswith("http://localhost/download/") for d in data["distribution"])
    assert {"town_id", "clearview_status"} <= {v["name"] for v in data["variableMeasured"]}
    assert all(part["@type"] == "Dataset" and len(part["description"]) >= 50 for part in data["hasPart"])
    assert data["creator"]["name"] == "The Surveillance vendor reach in Massachusetts contributors"
    assert "funder" not in data  # not known: omitted, never invented


def test_the_map_page_carries_the_same_dataset(client, data_page: str) -> None:
    response = client.get("/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    head = body.split("</head>", 1)[0]
    assert SCRIPT.search(head), "the Dataset is in the map page's head"
    assert jsonld_of(body) == jsonld_of(data_page)
    assert jsonld_of(client.get("/?town=35&date=2019-12").get_data(as_text=True)) == jsonld_of(data_page)


def test_the_json_ld_cannot_end_its_script_element(model: Model, config: Config) -> None:
    hostile = "https://e.org/</script><script>alert(1)</script>&amp;<!--"
    source = {**source_block(model, config.data_dir), "title": hostile, "url": hostile}
    script = str(jsonld_script(dataset_jsonld(model, config.data_dir, source, hostile)))
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert script.count("</script>") == 1
    data = json.loads(inner)
    assert data["url"] == hostile.rstrip("/") + "/data"  # the same value, only escaped
    assert data["isBasedOn"][0]["name"] == hostile
