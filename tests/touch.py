"""A finger's tap in a real browser: input events at a point the element really owns, shared by the phone tests."""

from __future__ import annotations

from typing import Any

#: A point of the element that a tap there reaches (a town's box holds its neighbours too), in the viewport.
POINT_OF = """
const target = document.querySelector(arguments[0]);
target.scrollIntoView({block: 'center'});
const box = target.getBoundingClientRect();
for (const fy of [0.5, 0.4, 0.6, 0.3, 0.7]) for (const fx of [0.5, 0.4, 0.6, 0.3, 0.7]) {
  const x = box.left + fx * box.width, y = box.top + fy * box.height, hit = document.elementFromPoint(x, y);
  if (hit && target.contains(hit)) return [x, y];
}
return null;
"""


def tap(driver: Any, selector: str) -> None:
    """A real tap (input events, as a finger's: the page sees the visitor's gesture) on a point of the element."""
    point = driver.execute_script(POINT_OF, selector)
    assert point is not None, selector
    for kind in ("mousePressed", "mouseReleased"):
        driver.execute_cdp_cmd(
            "Input.dispatchMouseEvent", {"type": kind, "x": point[0], "y": point[1], "button": "left", "clickCount": 1}
        )
