"""The fact-check's findings, searched for in every text output: pages, the map's layout, the API and the exports.

Each phrase below is one the fact-check of issue 17 found in an output and the records page does not support
(../shared/seed): no output may say it again. The slides are searched in tests/test_slide_facts.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape

import pytest

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.exports import tables
from dashboard.server import create_app
from dashboard.site.records import records_table
from dashboard.site.slugs import build_directory
from dashboard.state.view import view
from dashboard.views.records import all_rows
from dashboard.web.layout import build_layout

pytestmark = pytest.mark.slow

#: What the records page does not say, as the outputs used to word it.
FINDINGS = {
    "the index's date given as the page's": re.compile(r"[Pp]ublished (on )?February 26, 2021"),
    "the association counted among state agencies": re.compile(r"\b7 state agencies\b"),
    "the UASI towns said to apply together": re.compile(r"apply together"),
    "a class not known then said 'not yet asked'": re.compile(r"\bnot yet asked\b", re.I),
    "a later ban counted at an earlier date": re.compile(r"[Pp]assed one later"),
    "a guess at why towns are not listed": re.compile(r"no police department of their own"),
    "a policy said in force by its vote": re.compile(r"in force as of"),
}


def _text(body: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", body))


def _components(component: object) -> Iterator[str]:
    if isinstance(component, str):
        yield component
    elif isinstance(component, (list, tuple)):
        for c in component:
            yield from _components(c)
    else:
        for prop in ("children", "title", "placeholder"):
            value = getattr(component, prop, None)
            if value is not None:
                yield from _components(value)


@pytest.fixture(scope="module")
def outputs(model: Model, config: Config) -> dict[str, str]:
    """Every text output, by where it comes from."""
    client = create_app(model, data_dir=config.data_dir).server.test_client()
    directory = build_directory(model)
    found: dict[str, str] = {}
    paths = [p.path for p in directory.towns.values()] + [p.path for p in directory.agencies.values()]
    paths += ["/compare/boston+springfield+worcester", "/compare/dedham+somerville", "/town-search"]
    for path in paths:
        found[path] = _text(client.get(path).get_data(as_text=True))
    for path in ["/api/v1/towns", "/api/v1/agencies", "/api/v1/records", "/api/v1/events", "/api/v1/towns/boston"]:
        found[path] = json.dumps(client.get(path).get_json(), ensure_ascii=False)
    for month in ("2019-12", "2020-03", model.catalog.months[-1]):
        found[f"/api/v1/view?date={month}"] = json.dumps(
            client.get(f"/api/v1/view?date={month}").get_json(), ensure_ascii=False
        )
        for town in (None, 35):
            layout = build_layout(
                model, all_rows(model), "/assets/topojson/", view(model.catalog, as_of=month, town=town)
            )
            found[f"layout {month} town={town}"] = " ".join(_components(layout))
    found["towns.csv"] = tables.towns_csv(model)
    found["agencies.csv"] = tables.agencies_csv(model)
    found["records.csv"] = tables.to_csv(records_table(model))
    return found


@pytest.mark.parametrize("finding", sorted(FINDINGS))
def test_no_output_says_what_the_records_page_does_not(outputs: dict[str, str], finding: str) -> None:
    pattern = FINDINGS[finding]
    said = sorted(where for where, text in outputs.items() if pattern.search(text))
    assert said == [], f"{finding}: {said[:5]}"


def test_the_search_covers_every_page_and_finds_what_it_looks_for(outputs: dict[str, str]) -> None:
    assert len(outputs) > 351 + 15
    assert all(text.strip() for text in outputs.values())
    # The patterns catch the sentences the fact-check quoted.
    quoted = [
        "ACLU of Massachusetts public records (published February 26, 2021)",
        "counted among the 7 state agencies",
        "municipalities that apply together for federal homeland-security grants",
        "342 municipalities not yet asked",
        "Passed one later: no responsive documents 1.",
        "or it was not asked (some towns have no police department of their own)",
        "is in force as of the month of the latest policy event",
    ]
    assert all(any(p.search(q) for p in FINDINGS.values()) for q in quoted)


def test_the_association_is_no_statewide_reach_in_the_exports(outputs: dict[str, str]) -> None:
    association = [line for line in outputs["records.csv"].splitlines() if "MA Sheriff's Association" in line]
    assert len(association) == 2 and all("Statewide" not in line for line in association)
    agencies = [line for line in outputs["agencies.csv"].splitlines() if line.startswith("mass_sheriffs_association")]
    assert agencies and ",agency," in agencies[0] and "MA Sheriff's Association" in agencies[0]
