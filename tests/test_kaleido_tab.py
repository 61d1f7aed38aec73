"""kaleido's start-up race: a drawing asked before its tab was ready is asked once more, and nothing else is."""

from __future__ import annotations

import pytest

from dashboard.exports import kaleido_tab
from dashboard.exports.kaleido_tab import drawn_when_ready

#: What kaleido raised in CI (its JavascriptError's text holds the tab's ReferenceError).
NOT_READY_ERROR = "{'description': 'ReferenceError: kaleido_scopes is not defined\\n    at <anonymous>:1:26'}"


@pytest.fixture(autouse=True)
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kaleido_tab, "SETTLE_SECONDS", 0)


def _drawing(*outcomes: bytes | Exception):
    calls: list[int] = []

    def draw() -> bytes:
        outcome = outcomes[len(calls)]
        calls.append(1)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return draw, calls


def test_a_tab_not_ready_yet_is_asked_once_more() -> None:
    draw, calls = _drawing(RuntimeError(NOT_READY_ERROR), b"<svg/>")
    assert drawn_when_ready(draw) == b"<svg/>" and len(calls) == 2


def test_any_other_error_is_raised_at_once() -> None:
    draw, calls = _drawing(RuntimeError("Chrome not found"), b"<svg/>")
    with pytest.raises(RuntimeError, match="Chrome not found"):
        drawn_when_ready(draw)
    assert len(calls) == 1


def test_a_tab_still_not_ready_the_second_time_says_so() -> None:
    draw, calls = _drawing(RuntimeError(NOT_READY_ERROR), RuntimeError(NOT_READY_ERROR), b"<svg/>")
    with pytest.raises(RuntimeError, match="kaleido_scopes"):
        drawn_when_ready(draw)
    assert len(calls) == 2
