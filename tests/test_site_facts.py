"""The fact-check's findings (issue 17) as the town, agency and compare pages and the API show them, written from
the source page (/work/shared/seed) and data/, never from the code's output; the import rule of the composition root;
and no If-None-Match value, however odd, makes any route answer 500."""

from __future__ import annotations

import ast
import csv
import html
import re
import struct
from pathlib import Path
from typing import Any

import pytest
from html_check import Page

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.exports.render_pool import RenderPool
from dashboard.server import create_app
from dashboard.serving.images import register_images

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "dashboard"
#: The source page's own words (the Clearview AI section; the Schools section; the records index).
LEAK = (
    "Leaked data from April 2021 revealed that dozens of police departments and other government agencies across "
    "Massachusetts have run searches using Clearview’s software"
)
LOBBYGUARD = "According to the documents, LobbyGuard does not use facial recognition technology."
ASSOCIATION_AS_PUBLISHED = "MA Sheriff's Association"
#: Boston's records in the source page's records index (titles as it writes them).
BOSTON_RECORDS = {
    "Lantel at the Boston Office of Emergency Management",
    "Briefcam at the City of Boston (2019)",
    "Clearview AI at the Boston PD",
    "Briefcam at the City of Boston (2020)",
    "Location of Surveillance Cameras Across Boston",
    "Video Surveillance Data Sharing in Boston",
    "Boston Security Camera Strategy Meetings",
}
#: Values of If-None-Match no client should send, and a server must still answer.
ODD_TAGS = ['""', 'W/""', '"a", ""', ",", '"', "W/", "garbage", 'W/"x"', '""""', " ", "\x7f"]


def quick_draw(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    head = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + struct.pack(">II", width, height)  # as a PNG starts
    return head + b"\0" * 200


@pytest.fixture(scope="module")
def app(model: Model, config: Config):
    return create_app(model, data_dir=config.data_dir)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def agencies() -> list[dict[str, str]]:
    with (REPO / "data" / "agencies.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def text_of(client, path: str) -> tuple[str, list[str]]:
    """A page's HTML and its text nodes (entities decoded, spaces collapsed)."""
    response = client.get(path)
    assert response.status_code == 200, path
    body = response.get_data(as_text=True)
    return body, Page(body).text


def items(body: str) -> list[str]:
    """The text of every list item, tags dropped and entities decoded (nested lists give their own items)."""
    found = re.findall(r"<li[^>]*>(.*?)</li>", re.sub(r"<ul[^>]*>", "</li>", body), re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", i)).split()) for i in found]


def section(body: str, heading: str) -> str:
    """The HTML of the section under a heading."""
    return body.split(heading, 1)[1].split("</section>", 1)[0]


# --- who reaches a town: the county's sheriff and the 6 statewide agencies -----------------------------------------


def test_boston_is_reached_by_the_six_state_agencies_not_by_the_association(client, agencies) -> None:
    state = {a["agency_id"]: a["name"] for a in agencies if a["reach"] == "state"}
    assert len(state) == 6  # data/agencies.csv: the association's reach is "agency" (no area given)
    body, text = text_of(client, "/town/boston")
    reach = section(body, "Who else reaches Boston")
    linked = set(re.findall(r'<a href="/agency/([a-z_]+)">', reach.split("Agencies with offices")[0]))
    assert linked == set(state)
    assert "The records of 6 state agencies reach the whole state:" in text
    assert "The records of 6 state or county agencies reach Boston." in text
    assert "7 state agencies" not in body and "/agency/mass_sheriffs_association" not in body
    # Suffolk County has no sheriff in data/agencies.csv.
    assert not any(a["reach"] == "county" and a["county_fips"] == "25025" for a in agencies)
    assert "No record of a Suffolk County sheriff is in the records index." in text


def test_a_town_with_a_sheriff_counts_it_among_the_agencies_reaching_it(client, agencies) -> None:
    norfolk = [a for a in agencies if a["reach"] == "county" and a["county_fips"] == "25021"]
    assert [a["agency_id"] for a in norfolk] == ["norfolk_sheriff"]
    body, text = text_of(client, "/town/dedham")
    assert "The records of 7 state or county agencies reach Dedham." in text  # its sheriff and the 6
    reach = section(body, "Who else reaches Dedham")
    assert '<a href="/agency/norfolk_sheriff">' in reach.split("reach the whole state")[0]


def test_the_compare_page_counts_the_same_agencies(client) -> None:
    body, text = text_of(client, "/compare/boston+dedham")
    assert "The records of 6 state or county agencies reach Boston." in text
    assert "The records of 7 state or county agencies reach Dedham." in text
    assert "The records of 6 state agencies reach the whole state:" in text
    assert "7 state agencies" not in body and "/agency/mass_sheriffs_association" not in body


# --- agencies: their kind and reach are this map's reading; their names as published -------------------------


def test_the_association_gives_no_area_and_keeps_its_name_as_published(client) -> None:
    body, text = text_of(client, "/agency/mass_sheriffs_association")
    words = " ".join(text)
    assert f"“{ASSOCIATION_AS_PUBLISHED}”" in words  # as the source's records index names it
    assert "no area" in words
    assert "state agency" not in words and "whole state" not in words
    assert "An association" in words and "†" in words  # this map's reading, marked
    assert "† Not stated on the records page" in words


def test_the_mbta_is_not_said_to_reach_the_state(client) -> None:
    _, text = text_of(client, "/agency/mbta")
    words = " ".join(text)
    assert "whole state" not in words and "Statewide" not in words and "statewide" not in words
    assert "Massachusetts Bay Transit Authority (MBTA)" in words  # the name as published, beside the fuller one


def test_a_state_agencys_reach_is_marked_as_this_maps_reading(client) -> None:
    body, _ = text_of(client, "/agency/msp")
    sub = body.split('<p class="sub">', 1)[1].split("</p>", 1)[0]
    assert "whole state" in sub and "†" in sub


# --- records: a vendor named only in a title; a record's finding ---------------------------------------------------


@pytest.mark.parametrize(
    ("path", "title", "vendor"),
    [
        ("/town/northampton", "Facial Recognition & COPLINK at the Northampton PD", "COPLINK"),
        ("/town/plymouth", "Suspect Technologies and the Plymouth PD", "Suspect Technologies"),
    ],
)
def test_a_vendor_named_only_in_a_title_is_said_so(client, path: str, title: str, vendor: str) -> None:
    body, _ = text_of(client, path)
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", body, re.S) if html.escape(title, quote=False) in r)
    assert f"{vendor} (named only in the record" in html.unescape(row)


def test_northampton_on_the_compare_page_says_so_too(client) -> None:
    body, _ = text_of(client, "/compare/northampton+boston")
    line = next(i for i in items(body) if i.startswith("Facial Recognition & COPLINK at the Northampton PD"))
    assert "COPLINK (named only in the record's title)" in line


def test_revere_shows_the_lobbyguard_finding(client) -> None:
    _, text = text_of(client, "/town/revere")
    assert any(LOBBYGUARD in t for t in text)
    body, _ = text_of(client, "/compare/revere+boston")
    line = next(i for i in items(body) if i.startswith("Face Recognition in Revere Public Schools"))
    assert LOBBYGUARD in line


# --- the source's own warning beside "No responsive documents" and "Not listed" -------------------------------


@pytest.mark.parametrize("path", ["/town/abington", "/town/amherst", "/town/alford"])
def test_the_leak_warning_is_quoted_with_its_link(client, path: str) -> None:
    body, _ = text_of(client, path)
    caveat = body.split('<p class="caveat">', 1)[1].split("</p>", 1)[0]
    assert f"<q>{html.escape(LEAK, quote=False)}</q>" in caveat.replace("&#39;", "'")
    assert '<a href="https://data.aclum.org/public-records/frt-ma/private-companies/">' in caveat


def test_the_leak_warning_is_not_beside_other_classes(client) -> None:
    for path in ("/town/boston", "/town/revere"):  # use or communication; solicitation only
        body, _ = text_of(client, path)
        assert "Leaked data from April 2021" not in body, path


def test_an_agency_with_no_responsive_documents_carries_the_warning(client) -> None:
    body, _ = text_of(client, "/agency/plymouth_sheriff")
    assert "Leaked data from April 2021" in body


def test_the_compare_page_carries_the_warning_once(client) -> None:
    body, _ = text_of(client, "/compare/abington+alford+boston")
    assert body.count("Leaked data from April 2021") == 1


# --- policy: adopted, and in force from the date the source gives ----------------------------------------------


def test_bostons_oversight_ordinance_was_adopted_in_2021_and_in_force_from_august_2022(client) -> None:
    for path in ("/town/boston", "/compare/boston+cambridge"):
        body, _ = text_of(client, path)
        line = next(i for i in items(body) if "Surveillance Oversight and Information Sharing" in i)
        assert "adopted October 2021" in line and "in force from August 2022" in line, path
        assert "in force from October 2021" not in line


# --- the credit line -------------------------------------------------------------------------------------------


def test_no_page_says_published_february_26_2021(client, model: Model) -> None:
    paths = ["/town/boston", "/town/alford", "/agency/msp", "/compare/boston+cambridge", "/town-search"]
    paths += ["/town/nowhere-at-all", "/compare/boston"]
    for path in paths:
        body = client.get(path).get_data(as_text=True)
        assert "published february 26, 2021" not in body.lower(), path
        assert "records index dated February 26, 2021" in body, path
    for path in ("/api/v1/towns", "/api/v1/towns/boston", "/api/v1/view"):
        assert "published february 26, 2021" not in client.get(path).get_data(as_text=True).lower()


# --- the API ---------------------------------------------------------------------------------------------------


def test_a_towns_records_are_joined_on_its_id(client) -> None:
    body = client.get("/api/v1/towns/boston").get_json()
    titles = {r["title"] for r in body["records"] if r["kind"] == "Record"}
    assert titles == BOSTON_RECORDS
    listed = [r for r in body["records"] if r["kind"] == "Clearview listing"]
    assert [r["title"] for r in listed] == ["Boston PD"]  # the use list's name, as the source writes it
    assert all("_town_id" not in r and "_agency_id" not in r for r in body["records"])


def test_the_view_answer_splits_zero_document_places(client) -> None:
    figures = client.get("/api/v1/view").get_json()["figures"]
    use = next(c for c in figures["classes"] if c["status"] == "use_or_communication")
    # Three municipalities of the use list have a 0-document record; the fourth listing is the Norfolk sheriff's.
    assert (use["zero_municipalities"], use["zero_agencies"], use["zero_document"]) == (3, 1, 4)
    for key in ("municipalities_by_class", "agencies_by_class", "classes", "vendors", "summary"):
        assert key in figures


def test_the_view_answer_says_not_known_to_have_been_asked(client) -> None:
    summary = client.get("/api/v1/view?date=2020-02").get_json()["figures"]["summary"]
    assert "not known to have been asked yet" in summary and "not yet asked" not in summary


# --- If-None-Match: nothing a client sends makes a 500 ------------------------------------------------------------


def test_no_if_none_match_makes_a_500(app, model: Model, tmp_path: Path, pools: list[RenderPool]) -> None:
    pool = RenderPool(tmp_path / "images", draw=quick_draw)
    pools.append(pool)
    register_images(app.server, model, tmp_path, pool=pool)
    client = app.server.test_client()
    paths = [
        "/town/boston",
        "/agency/msp",
        "/compare/boston+cambridge",
        "/town-search",
        "/town/atlantis",
        "/sitemap.xml",
        "/robots.txt",
        "/api/v1/towns",
        "/api/v1/towns/boston",
        "/api/v1/view?town=35",
        "/download/towns.csv",
        "/download/towns.geojson",
        "/image/view.png?town=35",
        "/town/boston.png",
        "/compare/boston+cambridge.png",
        "/",
    ]
    for path in paths:
        for tag in ODD_TAGS:
            for encoding in ("", "gzip"):
                headers = {"If-None-Match": tag, "Accept-Encoding": encoding}
                answer = client.get(path, headers=headers)
                assert answer.status_code < 500, (path, tag, encoding, answer.get_data(as_text=True)[:200])
                # No odd tag names what we sent: the whole answer comes.
                assert answer.status_code != 304, (path, tag)
        assert client.get(path, headers={"If-Match": '""'}).status_code < 500, path


# --- one composition root: web/ and site/ never import each other -------------------------------------------------


def imported(path: Path, root: Path = REPO) -> set[str]:
    """Every module a file imports, at any depth of the file (functions included), relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize(("package", "forbidden"), [("web", "dashboard.site"), ("site", "dashboard.web")])
def test_web_and_site_do_not_import_each_other(package: str, forbidden: str) -> None:
    files = sorted((PACKAGE / package).rglob("*.py"))
    assert files
    for path in files:
        wrong = sorted(n for n in imported(path) if n == forbidden or n.startswith(forbidden + "."))
        assert wrong == [], f"{path.relative_to(REPO)} imports {wrong}"


def test_the_import_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = tmp_path / "dashboard" / "web" / "sample.py"
    sample.parent.mkdir(parents=True)
    code = "def f():\n    from dashboard.server import create_app\n    from ..site import x\n"
    sample.write_text(code, encoding="utf-8")
    found = imported(sample, tmp_path)
    assert "dashboard.server" in found  # an import at call time counts too
    assert "dashboard.site" in found  # a relative import, resolved
