"""Text colours of the stylesheet meet WCAG AA contrast (4.5:1) on the backgrounds they sit on."""

from __future__ import annotations

import re

import pytest

from dashboard.config import ASSETS_DIR

CSS = (ASSETS_DIR / "style.css").read_text(encoding="utf-8")


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _var(name: str) -> str:
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS).group(1)


def _rule(selector: str, prop: str) -> str:
    block = re.search(rf"(?m)^{re.escape(selector)}\s*{{([^}}]*)}}", CSS).group(1)
    return re.search(rf"(?<![-\w]){prop}:\s*(#[0-9a-fA-F]{{6}})", block).group(1)


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("what", "foreground", "background"),
    [
        ("body text", _var("ink"), "#ffffff"),
        ("muted text", _var("muted"), "#ffffff"),
        ("muted text on panels", _var("muted"), _var("panel")),
        ("links", _rule("a", "color"), "#ffffff"),
        ("legend entries switched off", _rule(".legend-item.off", "color"), "#ffffff"),
        ("buttons", _rule(".button", "color"), _rule(".button", "background")),
        ("conflicting listings", _rule(".listing.conflict", "color"), _var("panel")),
    ],
)
def test_text_meets_wcag_aa(what: str, foreground: str, background: str) -> None:
    assert contrast(foreground, background) >= 4.5, what
