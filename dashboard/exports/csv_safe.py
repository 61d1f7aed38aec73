"""CSV text a spreadsheet opens as data: cells it would run as a formula keep their text behind a quote."""

from __future__ import annotations

import re

import pandas as pd

#: What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP "CSV injection"), and a line
#: break, behind which a spreadsheet may see a formula too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: A plain number written as text ("-3", "-0.5", "+1e3") is read as that number, never run: left alone.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: object) -> object:
    """Text a spreadsheet would run as a formula, prefixed with `'`; carriage returns made line feeds; else as is."""
    if not isinstance(value, str):
        return value
    # Python's csv writer quotes a cell holding the line terminator ("\n") but not a lone "\r", which spreadsheets
    # also read as the end of a row: "x\r=cmd()" would start a row of its own with a formula. Made "\n", it is quoted.
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with every text cell neutralised; numeric columns are numbers and pass unchanged."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]) and not pd.api.types.is_bool_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    return safe.rename(columns=neutralise)


def safe_csv(frame: pd.DataFrame) -> str:
    """The table as CSV text (no index, `\\n` line ends, empty cells for missing values), formulas neutralised."""
    return safe_frame(frame).to_csv(index=False, lineterminator="\n")
