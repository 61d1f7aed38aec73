"""The translation catalogues' tooling: Babel's extract and update with this project's options, and the extractor
for the columns of data/ that a visitor reads as words (class and kind labels, descriptions).

`python -m dashboard translations extract` writes the template (messages.pot) from the code, the templates and
data/; `python -m dashboard translations update` merges it into every language's catalogue. Both are `pybabel`
with the options below, so a translator's own tools and commands work on the same files.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from babel.messages.frontend import CommandLineInterface

from dashboard.config import LOCALES_DIR, REPO_DIR

TEMPLATE = LOCALES_DIR / "messages.pot"
#: count_of(n, singular, plural) is ngettext with its count first (dashboard/views/words.py).
KEYWORDS = ("count_of:2,3", "N_")
#: A comment above a message that starts so is handed to translators ("# Translators: …").
COMMENT_TAG = "Translators:"


def extract_data(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, str]) -> Iterator[tuple]:
    """Babel extractor for a CSV of data/: each cell of the named `columns`, and the named `cells` (`row:column`, the
    row by its first cell: for a table of fields, where one field's value is words and the others' are addresses)."""
    columns = options.get("columns", "").split()
    cells = {tuple(cell.split(":", 1)) for cell in options.get("cells", "").split() if ":" in cell}
    reader = csv.DictReader(io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline=""))
    first = reader.fieldnames[0] if reader.fieldnames else ""
    for line, row in enumerate(reader, start=2):
        named = [column for key, column in cells if key == row.get(first)]
        for column in [*columns, *named]:
            text = (row.get(column) or "").strip()
            if text:
                yield line, "gettext", text, [f"data: {column} of {row.get(first, '')}"]


def extract() -> int:
    """Write the catalogue template from the code, the templates and data/."""
    args = ["pybabel", "-q", "extract", "-F", "babel.cfg", "-o", str(TEMPLATE), "--sort-by-file"]
    args += [f"--keyword={k}" for k in KEYWORDS] + [f"--add-comments={COMMENT_TAG}", "--no-wrap"]
    args += ["--project=ma-surveillance-map", "--omit-header", "."]
    # Relative to the repository, so that the template's "#:" locations are the same on every machine.
    with contextlib.chdir(REPO_DIR):
        return CommandLineInterface().run(args) or 0


def update() -> int:
    """Merge the template into every language's catalogue (new messages empty, changed ones marked fuzzy)."""
    # The header stays: it holds the language's plural rule.
    args = ["pybabel", "-q", "update", "-i", str(TEMPLATE), "-d", str(LOCALES_DIR), "--no-wrap"]
    return CommandLineInterface().run(args) or 0
