"""The site's search answer: what `data/place_search.search` found, as a page. A village, neighborhood or ZIP code
is said to be in its town (with a link to the town's page), a name in several towns lists each, and a close spelling
is only offered ("Did you mean"): nothing but an exact town or agency name leads straight to a page."""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.data.place_search import Match, SearchResult, Target
from dashboard.site.pages import Page, search_title
from dashboard.site.slugs import Directory, Place
from dashboard.site.templating import render
from dashboard.views import wording
from dashboard.views.wording import Link, Sentence


def page_of(target: Target, directory: Directory) -> Place:
    """The town's or agency's page."""
    if target.kind == "town":
        return directory.town_place(int(target.key))
    return directory.agencies[str(target.key)]


def _link(target: Target, directory: Directory) -> Link:
    return Link(target.name, page_of(target, directory).path)


def exact_lines(matches: Sequence[Match], directory: Directory) -> list[Sentence]:
    """One sentence per place typed ("Chestnut Hill is in Boston, Brookline and Newton."), one line per name."""
    lines: list[Sentence] = []
    places: dict[tuple[str, str | None, str | None], list[Link]] = {}
    for m in matches:
        if m.place is None:
            lines.append([_link(m.target, directory)])
        else:
            places.setdefault((m.place, m.place_kind, m.postal_name), []).append(_link(m.target, directory))
    for (place, kind, postal), towns in places.items():
        lines.append(wording.place_sentence(place, kind, postal, towns))
    return lines


def item_lines(matches: Sequence[Match], directory: Directory) -> list[Sentence]:
    """One line per match of a partial or "did you mean" list."""
    return [wording.suggestion_item(_link(m.target, directory), m.place, m.place_kind, m.postal_name) for m in matches]


def search_results_page(result: SearchResult, directory: Directory) -> Page:
    """The answer to a search that names no one page exactly by its name."""
    if result.exact:
        lines, intro = exact_lines(result.exact, directory), ""
    elif result.partial:
        lines, intro = item_lines(result.partial, directory), wording.SEARCH_CONTAINING
    else:
        lines = item_lines(result.suggestions, directory)
        intro = wording.SEARCH_DID_YOU_MEAN if lines else ""
    zips = any(m.place_kind == "zip_code" for m in (*result.exact, *result.partial))
    body = render(
        "search.html",
        query=result.query,
        heading=wording.search_heading(result.query),
        intro=intro,
        lines=lines,
        nothing=wording.SEARCH_NOTHING if not lines else "",
        zip_note=wording.ZIP_CROSSES if zips else "",
        every=wording.SEARCH_EVERY_PAGE,
        hint=wording.SEARCH_HINT,
        source=wording.GAZETTEER_SOURCE,
        found=[],
        towns=[],
        agencies=[],
    )
    first = wording.plain(lines[0]) if lines else wording.SEARCH_NOTHING
    return Page(title=search_title(result.query), description=first, body=body)
