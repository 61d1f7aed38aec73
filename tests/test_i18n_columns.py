"""The columns' meanings on the API page in Spanish and Portuguese: each column's meaning (data/columns.csv) and what
it holds are worded from the catalogue, escaped like any value, and no longer marked as English; the English page
keeps the meaning as data/columns.csv writes it."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest
from shipped_catalogues import shipped

from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.server import create_app

REPO = Path(__file__).resolve().parent.parent
#: The API page (the endpoints and every column), and each language's address prefix.
API_PAGE = "/api/v1/"
LANGUAGES = ("es", "pt")
#: The towns table's `slug` column: its meaning holds "<slug>", which the page must escape in every language.
TABLE, COLUMN = "towns", "slug"


@pytest.fixture(scope="module")
def client(model: Model, config: Config):
    return create_app(model, data_dir=config.data_dir).server.test_client()


def meaning(table: str, column: str) -> str:
    """The column's meaning as data/columns.csv writes it (the row naming the table, else the one for every table)."""
    with (REPO / "data" / "columns.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = [r for r in rows if r["column"] == column and r["table"] == table]
    found = found or [r for r in rows if r["column"] == column and not r["table"]]
    assert len(found) == 1, (table, column, found)
    return found[0]["meaning"].strip()


def translated(code: str, message: str) -> str:
    """The message's msgstr in a language's catalogue."""
    found = shipped(code).get(message)
    assert found is not None and found.string, f"{message!r} is not translated in {code}"
    return str(found.string)


def column_cells(client, path: str, table: str, column: str) -> tuple[str, str, str, str]:
    """The column's row in the page's table of `table`: the holds cell's attributes and raw text, the meaning's."""
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    page = answer.get_data(as_text=True)
    start = page.index(f'<table id="columns-{table}">')
    section = page[start : page.index("</table>", start)]
    row = re.search(rf"<tr><td><code>{column}</code></td><td([^>]*)>(.*?)</td><td([^>]*)>(.*?)</td></tr>", section)
    assert row is not None, f"no row for {column} in the {table} table of {path}"
    return row[1], row[2], row[3], row[4]


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_a_columns_meaning_is_in_the_language_and_not_marked_english(client, code: str) -> None:
    english = meaning(TABLE, COLUMN)
    expected = translated(code, english)
    assert expected != english
    holds_attrs, holds, meaning_attrs, shown = column_cells(client, f"/{code}{API_PAGE}", TABLE, COLUMN)
    assert 'lang="en"' not in meaning_attrs and 'lang="en"' not in holds_attrs
    assert html.unescape(shown) == expected
    assert "<slug>" in expected and "&lt;slug&gt;" in shown  # a data value, escaped like any other
    assert html.unescape(holds).startswith(translated(code, "text"))  # a slug is text


def test_the_english_page_keeps_the_meaning_as_written(client) -> None:
    holds_attrs, holds, meaning_attrs, shown = column_cells(client, API_PAGE, TABLE, COLUMN)
    assert meaning_attrs == "" and holds_attrs == ""
    assert html.unescape(shown) == meaning(TABLE, COLUMN)
    assert "&lt;slug&gt;" in shown
    assert html.unescape(holds).startswith("text")


@pytest.mark.parametrize("code", ["", *sorted(LANGUAGES)])
def test_a_columns_values_are_shown_as_the_apis_code_in_every_language(client, code: str) -> None:
    # The events table's `kind`: a few values a program sends and reads, inside a translated sentence.
    path = f"/{code}{API_PAGE}" if code else API_PAGE
    _attrs, holds, _meaning_attrs, _shown = column_cells(client, path, "events", "kind")
    values = re.findall(r"<code>([^<]*)</code>", holds)
    assert values and "face_surveillance_ban" in values, holds
    assert re.sub(r"<code>[^<]*</code>", "", holds).count(",") == len(values) - 1  # nothing else listed
