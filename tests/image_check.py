"""Small checks shared by the image tests: a PNG's size, and waiting on a condition without a fixed sleep."""

from __future__ import annotations

import struct
import time
from collections.abc import Callable


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height, read from its header (after checking it is a PNG)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def until(condition: Callable[[], bool], timeout: float = 30) -> None:
    """Poll `condition` until it holds, failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)
