"""A town page says how to cite the data (with the data version), how to report an error and how to ask the town for
records yourself (the Public Records Law, cited and marked as a fact from outside the records page); printed, it keeps
its source addresses and drops the navigation."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest
from html_check import Page

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.server import create_app
from dashboard.site.routes import register_site

REPO = Path(__file__).resolve().parent.parent
MARK = "†"
LAW = "https://malegislature.gov/Laws/GeneralLaws/PartI/TitleX/Chapter66/Section10"
RECORDS_PAGE = "https://data.aclum.org/public-records/frt-ma/"


@pytest.fixture(scope="module")
def client(model: Model, config: Config):
    return create_app(model, data_dir=config.data_dir).server.test_client()


def body_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def text_of(body: str) -> str:
    return html.unescape(" ".join(Page(body).text))


def guidance(config: Config) -> list[dict[str, str]]:
    with (config.data_dir / "outside_guidance.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def version(config: Config) -> str:
    with (config.data_dir / "changelog.csv").open(encoding="utf-8") as f:
        return max(row["date"] for row in csv.DictReader(f))


@pytest.mark.parametrize(("path", "name"), [("/town/boston", "Boston"), ("/town/abington", "Abington")])
def test_a_town_page_has_the_cite_line_with_the_data_version(client, config: Config, path: str, name: str) -> None:
    text = text_of(body_of(client, path))
    line = text.split("Cite this data", 1)[1]
    assert re.search(rf"data version {version(config)}\+[0-9a-f]{{7}}\b", line)
    assert f"http://localhost{path}" in line  # the page's own address
    assert "The Surveillance vendor reach in Massachusetts contributors" in line


def test_an_agency_page_has_the_cite_line(client, config: Config) -> None:
    text = text_of(body_of(client, "/agency/msp"))
    assert re.search(rf"Cite this data .*data version {version(config)}\+", text)


def test_a_town_page_says_how_to_ask_the_town_for_records(client, config: Config) -> None:
    body = body_of(client, "/town/springfield")
    text = text_of(body)
    assert f"Ask Springfield for records yourself{MARK}" in text
    rows = guidance(config)
    assert {r["guidance_id"] for r in rows} >= {"anyone_may_ask", "records_access_officer", "answer_within"}
    for row in rows:
        assert row["claim"] in text, row["guidance_id"]
        if row["quote"]:
            assert f"<q>{html.escape(row['quote'])}</q>" in body  # the law's own words, as a quotation
    hrefs = {a.get("href") for a in Page(body).all("a")}
    assert LAW in hrefs
    assert "10 business days" in text


def test_without_a_corrections_address_errors_go_to_the_records_page_and_the_changes(client) -> None:
    body = body_of(client, "/town/boston")
    report = body.split("<h2>Report an error</h2>", 1)[1].split("</section>", 1)[0]
    assert f'href="{RECORDS_PAGE}"' in report
    assert 'href="/data/changes"' in report
    assert "mailto:" not in report and "example" not in report  # no placeholder address


def test_a_corrections_address_is_offered_when_set(model: Model, config: Config) -> None:
    from flask import Flask

    server = Flask("corrections")
    register_site(server, model, config.data_dir, public_url="", corrections_url="mailto:fixes@example.org")
    body = server.test_client().get("/town/boston").get_data(as_text=True)
    report = body.split("<h2>Report an error</h2>", 1)[1].split("</section>", 1)[0]
    assert 'href="mailto:fixes@example.org"' in report


def test_a_corrections_address_must_be_https_or_mailto(model: Model, config: Config) -> None:
    from flask import Flask

    from dashboard.data.errors import DataError

    for bad in ("http://example.org/fix", "javascript:alert(1)", "https://example.org/a b", "fixes@example.org"):
        with pytest.raises(DataError, match="DASHBOARD_CORRECTIONS_URL"):
            register_site(Flask("bad"), model, config.data_dir, public_url="", corrections_url=bad)


def test_printed_pages_keep_their_source_addresses_and_drop_the_navigation(client) -> None:
    css = (REPO / "dashboard" / "site" / "templates" / "style.css").read_text(encoding="utf-8")
    printed = css.split("@media print{", 1)[1]
    assert re.search(r'a\[href\^="http"\]::after\{content:" <" attr\(href\) ">"', printed)
    assert re.search(r"\.site,\.noprint,form\{display:none\}", printed)
    for path in ("/town/boston", "/agency/msp", "/compare/boston+springfield", "/data"):
        body = body_of(client, path)
        assert 'a[href^="http"]::after' in body, path  # the page carries the print rules inline
        assert '<nav class="site"' in body
    # The source links are absolute, so the rule prints them.
    town = Page(body_of(client, "/town/boston"))
    assert any((a.get("href") or "").startswith(RECORDS_PAGE) for a in town.all("a"))
