"""Headline figures, the records table and slide images, as pure functions and through the CLI.

Expected values come from the records page and data/ (the slides' own fact-check: tests/test_slide_facts.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from image_check import png_size

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.model import Model
from dashboard.exports.images import export_figure, render_image
from dashboard.state.view import view
from dashboard.state.view_facts import state_population, view_facts
from dashboard.views.captions import filters_in_words
from dashboard.views.records import all_rows, filter_rows, to_csv

REPO = Path(__file__).resolve().parent.parent


def test_class_figures_cover_every_municipality_and_resident(model: Model) -> None:
    figures = view_facts(model, view(model.catalog)).classes
    assert sum(f.municipalities for f in figures) == 351
    assert sum(f.residents for f in figures) == state_population(model) == 6_547_629  # MassGIS POP2010 total
    use = figures[0]
    assert use.agencies == 2  # State Police and Norfolk County Sheriff
    # Boston PD, Dalton PD and Great Barrington PD list 0 documents; the fourth 0 is the Norfolk Sheriff's Office.
    assert (use.zero_municipalities, use.zero_agencies) == (3, 1)
    boston = int(model.towns.loc[35, "population_2010"])
    assert use.residents >= boston


def test_class_figures_follow_the_class_filter(model: Model) -> None:
    figures = {f.status: f for f in view_facts(model, view(model.catalog, classes=("solicitation_only",))).classes}
    assert figures["use_or_communication"].municipalities == 0
    assert figures["use_or_communication"].residents == 0
    assert figures["solicitation_only"].municipalities == 16


def test_vendor_reach_keeps_state_agencies_apart(model: Model) -> None:
    reach = {r.vendor: r for r in view_facts(model, view(model.catalog, vendors=("Lan-Tel", "DataWorks"))).reach}
    assert set(reach) == {"Lan-Tel", "DataWorks"}
    lantel = reach["Lan-Tel"]
    assert lantel.records == 6 and lantel.documents == 266 + 1 + 2 + 0 + 2 + 14  # vendor table of DATA-NOTES
    assert lantel.towns == ("Boston",)
    assert lantel.residents == int(model.towns.loc[35, "population_2010"])  # Boston only, not the state
    assert "Massachusetts State Police" in lantel.state_agencies
    # The MBTA's area is not given on the records page: it is kept apart, never statewide.
    assert lantel.other_agencies == ("Massachusetts Bay Transportation Authority (MBTA)",)
    assert not any("MBTA" in name for name in lantel.state_agencies)
    assert reach["DataWorks"].towns == () and reach["DataWorks"].residents == 0


def test_county_agency_reaches_its_county_only_with_documents(model: Model) -> None:
    facts = view_facts(model, view(model.catalog, vendors=("Clearview AI",)))
    clearview = facts.reach[0]
    assert clearview.counties == ("Norfolk County",)
    # The Norfolk Sheriff's Clearview record holds 0 documents: the county is named, marked, and not counted.
    assert "Norfolk County" in clearview.empty
    use = facts.classes[0]
    assert clearview.residents == use.documented_residents


def test_records_table_has_every_record_and_listing(model: Model) -> None:
    rows = all_rows(model)
    index_rows = sum(1 for _ in (DEFAULT_DATA_DIR / "records_index.csv").open(encoding="utf-8")) - 1
    listing_rows = sum(1 for _ in (DEFAULT_DATA_DIR / "clearview_listings.csv").open(encoding="utf-8")) - 1
    assert len(rows) == index_rows + listing_rows == 63 + 263
    assert rows["url"].str.startswith("https://data.aclum.org/").all()


def test_records_table_follows_filters_and_search(model: Model) -> None:
    rows = all_rows(model)
    only_use = filter_rows(model, rows, view(model.catalog, classes=("use_or_communication",), vendors=()))
    listings = only_use.loc[only_use["kind"] == "Clearview listing"]
    assert set(listings["_category"]) == {"use_or_communication"} and len(listings) == 20
    assert "MA Police Departments with No Records from Clearview AI" not in set(only_use["title"])
    found = filter_rows(model, rows, view(model.catalog), "briefcam boston")
    assert set(found["title"]) == {"Briefcam at the City of Boston (2019)", "Briefcam at the City of Boston (2020)"}
    csv_text = to_csv(found)
    header = csv_text.splitlines()[0].split(",")
    assert "documents" in header and header[-1] == "source_url"
    assert len(csv_text.splitlines()) == 3


def test_filters_in_words(model: Model) -> None:
    text = filters_in_words(
        model,
        view(model.catalog, classes=("use_or_communication",), as_of="2019-12", town=35, vendors=("Briefcam",)),
    )
    assert text == (
        "As of December 2019: Clearview classes: use or communication; vendor records: Briefcam; highlighted: Boston."
    )


def test_a_metro_boston_view_says_so_in_words(model: Model) -> None:
    text = filters_in_words(model, view(model.catalog, extent="metro"))
    assert "map of the Metro Boston region" in text
    assert "Metro Boston" not in filters_in_words(model, view(model.catalog))


@pytest.mark.browser
@pytest.mark.parametrize(("size", "pixels"), [("wide", (1920, 1080)), ("square", (1080, 1080))])
def test_png_export_has_the_slide_size(model: Model, size: str, pixels: tuple[int, int]) -> None:
    assert png_size(render_image(model, view(model.catalog), "png", size)) == pixels


@pytest.mark.browser
def test_svg_export_carries_title_filters_source_and_date(model: Model) -> None:
    svg = render_image(model, view(model.catalog, vendors=("Briefcam",)), "svg", "wide", exported=date(2026, 11, 26))
    root = ElementTree.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("1920", "1080")
    text = " ".join(" ".join(t for t in root.itertext()).split())  # legend entries and the note wrap over lines
    assert "Clearview AI and surveillance vendors in Massachusetts public records" in text
    assert "vendor records: Briefcam" in text
    # The records index's date (each row's "Date Published": 2/26/21), not a publication date of the page.
    assert "records index dated February 26, 2021" in text and "MassGIS" in text
    assert "published February 26, 2021" not in text
    assert "Exported November 26, 2026" in text
    # The legend is inside the image: 18 municipalities and 2 other agencies listed, 3 and 1 of them with 0 documents.
    assert "Use or communication: 18 municipalities (3 with a 0-document record) + 2 other agencies (1 with 0" in text
    assert "Listed, but its Clearview record holds 0 documents" in text


def test_export_figure_legend_lists_shown_vendors_only(model: Model) -> None:
    figure = export_figure(model, view(model.catalog, vendors=("IBM", "Briefcam")), "square")
    names = {t.name for t in figure.data if t.showlegend}
    assert {"IBM", "Briefcam"} <= names
    assert "Lan-Tel" not in names


@pytest.mark.browser
def test_render_command_writes_one_image_per_named_view(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "render",
            "--out",
            str(tmp_path),
            "--view",
            "boston=?town=35",
            "--view",
            "ibm=?vendors=ibm",
            "--format",
            "svg",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    # A library's harmless warning may reach stderr; a failure may not.
    assert "Traceback" not in done.stderr and "error" not in done.stderr.lower(), done.stderr
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["ma-surveillance-boston-wide.svg", "ma-surveillance-ibm-wide.svg"]
    assert sorted(Path(line).name for line in done.stdout.split()) == files  # it names what it wrote
    boston, ibm = (ElementTree.parse(tmp_path / name).getroot() for name in files)
    for svg in (boston, ibm):
        assert (svg.get("width"), svg.get("height")) == ("1920", "1080")
    assert "highlighted: Boston" in " ".join(boston.itertext())
    assert "vendor records: IBM" in " ".join(ibm.itertext())


def test_render_command_rejects_a_bad_view_name(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "render", "--out", str(tmp_path), "--view", "../evil=?town=1"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert re.search(r"--view '\.\./evil=\?town=1': write NAME=QUERY", done.stderr)
    assert list(tmp_path.iterdir()) == []


def test_a_before_and_after_slide_draws_one_map_per_date_oldest_first(model: Model) -> None:
    state = view(model.catalog, compare=("2019-01",))
    figure = export_figure(model, state, "wide")
    geos = sorted(key for key in figure.layout.to_plotly_json() if key.startswith("geo"))
    assert geos == ["geo", "geo2"]
    left, right = figure.layout.geo2.domain.x, figure.layout.geo.domain.x
    assert left[1] <= right[0]  # side by side, the earlier date on the left
    headings = [a.text for a in figure.layout.annotations if "Ban or moratorium" in a.text]
    # Before Somerville's ban (June 2019) no municipality had adopted one; by December 2021 eight had.
    assert headings == [
        "<b>January 2019</b><br>Ban or moratorium adopted in 0 municipalities†",
        "<b>December 2021</b><br>Ban or moratorium adopted in 8 municipalities†",
    ]
    # In January 2019 no Clearview request had been filed: the earlier map is all "not yet asked".
    earlier = next(t for t in figure.data if t.type == "choropleth" and t.geo == "geo2")
    assert set(earlier.z) == {model.catalog.not_asked_code}
    assert "Not known to have been asked yet: 0 municipalities" in {t.name for t in figure.data}


@pytest.mark.browser
def test_the_render_command_draws_a_before_and_after_slide(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "render", "--out", str(tmp_path), "--view", "before-after=?compare=2019-01"]
        + ["--format", "svg"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    text = " ".join(ElementTree.parse(tmp_path / "ma-surveillance-before-after-wide.svg").getroot().itertext())
    assert "January 2019" in text and "December 2021" in text and "adopted in 8 municipalities" in text
