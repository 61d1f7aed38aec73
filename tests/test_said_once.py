"""Each fixed sentence lives in one module (views/wording.py): the surfaces render it, none words it again.

Read from the source code's string literals (ast), so that a copy pasted into a renderer fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dashboard"
WORDING = PACKAGE / "views" / "wording.py"

#: Words that only the wording module may write: a listing line, the record caveat, reach and kind words, the marks.
PHRASES = [
    "Listed as “",
    "not proof of a contract",
    "its records reach",
    "No area given",
    "gives no area",
    "Not known to have been asked",
    "Not stated on the records page",
    "named only in the record",
    "records index dated",
    "apply for and obtain",
    "Later than",
]


def _literals(path: Path) -> list[str]:
    """Every string literal of a module, f-strings' constant parts included (docstrings left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def _writers(phrase: str) -> list[str]:
    return sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(phrase in text for text in _literals(path))
    )


@pytest.mark.parametrize("phrase", PHRASES)
def test_a_fixed_phrase_is_written_in_the_wording_module_only(phrase: str) -> None:
    assert _writers(phrase) == ["views/wording.py"]


def test_the_pages_own_warning_is_data_not_code() -> None:
    assert _writers("Leaked data") == []  # data/source_caveats.csv holds it, quoted


def test_the_check_finds_a_phrase_in_code_and_not_in_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Listed as “x” in a docstring."""\nA = f"Listed as “{1}”"\n', encoding="utf-8")
    assert [t for t in _literals(module) if "Listed as “" in t] == ["Listed as “"]
