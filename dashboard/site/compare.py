"""The compare page: two to four towns side by side, plain HTML like the town pages, and a slide image of it.

`/compare/<slug>+<slug>[+<slug>[+<slug>]]` in the order given; a published name or a differently written slug
redirects to the canonical address; too few or too many towns is a 400 page, an unknown one a 404 page, both with
a search box and the compare form. `/compare?town=…&town=…` (the form, no JavaScript) redirects to the address.
`/compare/<slugs>.png` is the same comparison as a 1920×1080 slide, one small map per town, drawn by the process's
render pool like every other slide (its admission, timeout, disk cache, ETag and refusals).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import Flask, current_app, redirect, request
from markupsafe import Markup
from werkzeug.wrappers import Response as ResponseBase

from dashboard.data.dossier import dossiers
from dashboard.data.model import Model
from dashboard.exports.filenames import compare_filename
from dashboard.exports.images import SIZES
from dashboard.language import _, number
from dashboard.serving.images import image_answer, image_pool
from dashboard.site import parts
from dashboard.site.locator import TITLE_ID, Locator
from dashboard.site.pages import Page, notes, within_massachusetts
from dashboard.site.preview import compare_preview
from dashboard.site.slugs import Directory, Place
from dashboard.site.templating import href, render, trusted
from dashboard.views import wording
from dashboard.views.wording import Sentence
from dashboard.views.words import join_names

MIN_TOWNS = 2
#: How many towns a comparison holds at most.
MAX_TOWNS = 4
SEPARATOR = "+"
IMAGE_SUFFIX = ".png"
IMAGE_FORMAT = "png"
#: The slide's size: the wide slide's.
SLIDE_SIZE = "wide"
SLIDE = SIZES[SLIDE_SIZE]
#: A compare address longer than this is no list of four town names.
MAX_SPEC = 400
#: Built pages kept in memory (the pairs alone are 61,425: keep the recent ones only).
PAGE_CACHE = 256


@dataclass(frozen=True)
class Parsed:
    """What a compare address or the form asked for: the towns, or why not."""

    towns: tuple[Place, ...] = ()
    status: int = 200  # 200: the towns are valid; 400: wrong count or a town twice; 404: a name that is no town
    problem: str = ""

    @property
    def path(self) -> str:
        """The canonical compare address of the towns, in the order given."""
        return "/compare/" + SEPARATOR.join(p.key for p in self.towns)


def parse_names(directory: Directory, names: list[str]) -> Parsed:
    """Each name (a slug, a name as typed or as published) to its town, in order; empty names are skipped."""
    names = [n for n in (n.strip() for n in names) if n]
    towns: list[Place] = []
    unknown: list[str] = []
    for name in names:
        # Only a name that means one town exactly: a close spelling is for the search page to offer, never to take.
        place = directory.find(name)
        if place is None or place.kind != "town":
            unknown.append(name)
        else:
            towns.append(place)
    if len(names) > MAX_TOWNS:
        problem = _("Compare {least} to {most} towns, not {count}.")
        return Parsed(tuple(towns[:MAX_TOWNS]), 400, problem.format(**_bounds(), count=number(len(names))))
    if unknown:
        words = join_names([f"“{n}”" for n in unknown])
        return Parsed(tuple(towns), 404, _("No municipality is called {names}.").format(names=words))
    if len(towns) < MIN_TOWNS:
        problem = _("Compare {least} to {most} towns: this address names {count}.")
        return Parsed(tuple(towns), 400, problem.format(**_bounds(), count=number(len(towns))))
    if len(set(towns)) != len(towns):
        return Parsed(tuple(towns), 400, _("The same town is named twice: compare different towns."))
    return Parsed(tuple(towns))


def _bounds() -> dict[str, str]:
    """How few and how many towns a comparison holds, as the language writes numbers."""
    return {"least": number(MIN_TOWNS), "most": number(MAX_TOWNS)}


def parse_spec(directory: Directory, spec: str) -> Parsed:
    """A compare address's `<slug>+<slug>…` part."""
    if len(spec) > MAX_SPEC:
        return Parsed(
            status=400, problem=_("Compare {least} to {most} towns: this address is too long.").format(**_bounds())
        )
    return parse_names(directory, spec.split(SEPARATOR))


def problem_page(parsed: Parsed) -> Page:
    """The answer to a compare address that names no valid set of towns: what is wrong, the form, the search."""
    heading = _("No comparison at this address") if parsed.status == 404 else _("Compare two to four towns")
    body = render(
        "compare_problem.html",
        heading=heading,
        problem=parsed.problem,
        names=[p.name for p in parsed.towns],
        boxes=MAX_TOWNS,
    )
    # Translators: a page's description: its heading, then what is wrong with the address.
    description = _("{heading}: {problem}").format(heading=heading, problem=parsed.problem)
    return Page(title=heading, description=description, body=body)


@dataclass(frozen=True)
class Column:
    """One town's column of the comparison: every cell's values."""

    place: Place
    line: str
    map_href: str
    locator: Markup
    status: parts.ClassView
    listings: list[parts.ListingView]
    total: str
    records: list[Sentence]
    vendors: str
    events: list[Sentence]
    no_policy: str
    reach: parts.Reach


class Compare:
    """Builds compare pages from the model's dossiers, with the same parts as the town pages (site/parts.py)."""

    def __init__(self, model: Model, directory: Directory, locator: Locator) -> None:
        self.model = model
        self.directory = directory
        self.locator = locator

    def _column(self, place: Place, index: int) -> Column:
        model, catalog = self.model, self.model.catalog
        town_id = self.directory.town_id(place.key)
        dossier = dossiers(model).towns[town_id]
        label = within_massachusetts(dossier.name)
        return Column(
            place=place,
            line=wording.town_line(dossier, "; "),
            map_href=parts.map_href(model, town=town_id),
            # One page holds several locators: each title needs an id of its own.
            locator=trusted(self.locator.town(town_id, label, f"{TITLE_ID}-{index}")),
            status=parts.class_view(catalog, parts.status_of(dossier)),
            listings=parts.listings(dossier, catalog),
            total=wording.records_total(dossier.records),
            records=[wording.record_line(r) for r in dossier.records],
            vendors=join_names(list(dossier.vendors)),
            events=parts.events(model, dossier),
            no_policy=wording.no_policy_sentence(dossier.name),
            reach=parts.reach(model, self.directory, dossier),
        )

    def page(self, towns: tuple[Place, ...]) -> Page:
        """The towns side by side: one column per town, one row per question, then what is the same for all."""
        model, catalog = self.model, self.model.catalog
        columns = [self._column(place, i + 1) for i, place in enumerate(towns)]
        names = [p.name for p in towns]
        town_dossiers = [dossiers(model).towns[self.directory.town_id(p.key)] for p in towns]
        statuses = [parts.status_of(d) for d in town_dossiers]
        statewide, statewide_items = parts.statewide(model, self.directory)
        path = Parsed(towns).path
        body = render(
            "compare.html",
            heading=wording.compare_heading(names),
            clearview=catalog.clearview,
            columns=columns,
            caveats=parts.caveats(model, *statuses),
            uasi=parts.uasi_explained(model, self.directory) if any(d.uasi for d in town_dossiers) else None,
            statewide=statewide,
            statewide_items=statewide_items,
            laws=parts.state_laws(model),
            names=names,
            boxes=MAX_TOWNS,
            slide=path + IMAGE_SUFFIX,
            **notes(),
        )
        classes = [(n, _(catalog.labels[s])) for n, s in zip(names, statuses)]
        return Page(
            title=wording.compare_title(names, catalog.clearview),
            description=wording.compare_description(classes, catalog.clearview),
            body=body,
            image=compare_preview(model, towns, path + IMAGE_SUFFIX, SLIDE),
        )


class _Recent:
    """A small least-recently-used store of built pages."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, Page] = OrderedDict()
        self.lock = threading.Lock()

    def get_or_make(self, key: str, make: Callable[[], Page]) -> Page:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()  # outside the lock: building one page does not hold up the others
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


Answer = Callable[[Page, str, int], ResponseBase]


def slide_answer(model: Model, directory: Directory, parsed: Parsed) -> ResponseBase:
    """The comparison as a slide from the render pool: 304 when held, the PNG with its ETag, or 429/503."""
    pool = image_pool(current_app)  # looked up per request: the pool registered on the server now
    town_ids = tuple(directory.town_id(p.key) for p in parsed.towns)
    day = date.today()
    key = pool.compare_key(model, town_ids, IMAGE_FORMAT, day)
    disposition = f'inline; filename="{compare_filename(model, town_ids, IMAGE_FORMAT, SLIDE_SIZE)}"'
    return image_answer(key, lambda: pool.render_compare(model, town_ids, IMAGE_FORMAT, exported=day), disposition)


def register_compare(server: Flask, compare: Compare, answer: Answer) -> None:
    """Add /compare/<slugs>, /compare/<slugs>.png and the form's /compare to the server."""
    directory = compare.directory
    built = _Recent(PAGE_CACHE)  # keyed by the page's address in its language: each language words it apart

    def show(parsed: Parsed, image: bool) -> ResponseBase:
        if parsed.status != 200:
            return answer(problem_page(parsed), request.path, parsed.status)
        path = parsed.path + (IMAGE_SUFFIX if image else "")
        if request.path != path:
            # The slide is drawn in English (its drawing takes no language yet): its address is the same in each.
            return redirect(path if image else href(path), code=301)
        if image:
            return slide_answer(compare.model, directory, parsed)
        return answer(built.get_or_make(href(path), lambda: compare.page(parsed.towns)), path, 200)

    def by_address(spec: str) -> ResponseBase:
        image = spec.endswith(IMAGE_SUFFIX)
        return show(parse_spec(directory, spec.removesuffix(IMAGE_SUFFIX)), image)

    def by_form() -> ResponseBase:
        names = [n[:100] for n in request.args.getlist("town")[: MAX_TOWNS + 4]]
        if not any(n.strip() for n in names):
            empty = Parsed(status=200, problem=_("Choose two to four towns to see them side by side."))
            return answer(problem_page(empty), "/compare", 200)
        parsed = parse_names(directory, names)
        if parsed.status != 200:
            return answer(problem_page(parsed), "/compare", parsed.status)
        return redirect(href(parsed.path), code=302)

    server.add_url_rule("/compare/<path:spec>", endpoint="site_compare", view_func=by_address)
    server.add_url_rule("/compare", endpoint="site_compare_form", view_func=by_form)
    server.add_url_rule("/compare/", endpoint="site_compare_index", view_func=by_form)
