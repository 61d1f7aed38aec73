"""The one error type for bad input: it names the file, the line and the fix."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """A problem in an input file, reported without a traceback."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, fix: str = "") -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}" + (f", line {self.line}" if self.line is not None else "")
        text = f"{where}: {self.message}"
        return f"{text}\n  Fix: {self.fix}" if self.fix else text
