"""The compare forms: plain GET forms to /compare that work without JavaScript (see compare.py)."""

from __future__ import annotations

from dashboard.site.document import e
from dashboard.site.slugs import Place

#: How many towns a comparison holds at most (and at least: MIN_TOWNS in compare.py).
MAX_TOWNS = 4


def compare_form(towns: tuple[Place, ...] = ()) -> str:
    """Up to four town boxes, sent to /compare by GET."""
    boxes = []
    for i in range(MAX_TOWNS):
        value = towns[i].name if i < len(towns) else ""
        boxes.append(
            f'<label for="compare-{i + 1}">Town {i + 1}</label> '
            f'<input id="compare-{i + 1}" name="town" type="text" value="{e(value)}" autocomplete="off" size="18"> '
        )
    return (
        '<form action="/compare" method="get" class="compare-form" aria-label="Compare towns">'
        f'{"".join(boxes)}<button type="submit">Compare</button></form>'
    )


def compare_with_form(place: Place) -> str:
    """A town page's small form: this town and one more, sent to /compare."""
    return (
        '<form action="/compare" method="get" class="noprint" aria-label="Compare with another town">'
        f'<input type="hidden" name="town" value="{e(place.key)}">'
        f'<label for="compare-with">Compare {e(place.name)} with</label> '
        '<input id="compare-with" name="town" type="text" autocomplete="off" size="18"> '
        '<button type="submit">Compare</button></form>'
    )
