"""The compare page: two to four towns side by side, plain HTML like the town pages, and a slide image of it.

`/compare/<slug>+<slug>[+<slug>[+<slug>]]` in the order given; a published name or a differently written slug
redirects to the canonical address; too few or too many towns is a 400 page, an unknown one a 404 page, both with
a search box and the compare form. `/compare?town=…&town=…` (the form, no JavaScript) redirects to the address.
`/compare/<slugs>.png` is the same comparison as a 1920×1080 slide, one small map per town, drawn by kaleido.
"""

from __future__ import annotations

import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Generic, TypeVar

import plotly.graph_objects as go
from flask import Flask, Response, redirect, request
from werkzeug.wrappers import Response as ResponseBase

from dashboard.data.model import Model
from dashboard.site.document import e, search_form
from dashboard.site.forms import MAX_TOWNS, compare_form
from dashboard.site.pages import RECORD_NOTE, Page, Pages, _record_link
from dashboard.site.preview import compare_preview
from dashboard.site.slugs import Place
from dashboard.state.view import to_query, view
from dashboard.views.panels import OUTSIDE_MARK, OUTSIDE_NOTE, source_line, state_law_sentences
from dashboard.views.records import years_text
from dashboard.views.words import date_text, documents_text, join_names, plural

MIN_TOWNS = 2
SEPARATOR = "+"
IMAGE_SUFFIX = ".png"
#: A compare address longer than this is no list of four town names.
MAX_SPEC = 400
#: Built pages and images kept in memory (the pairs alone are 61,425: keep the recent ones only).
PAGE_CACHE = 256
IMAGE_CACHE = 32
SLIDE = (1920, 1080)
#: The ring around the town compared: the locator maps' color.
RING = "#c2185b"
#: Width over height of the state on the map's projection.
MAP_ASPECT = 1.8
T = TypeVar("T")


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


def parse_names(pages: Pages, names: list[str]) -> Parsed:
    """Each name (a slug, a name as typed or as published) to its town, in order; empty names are skipped."""
    directory = pages.directory
    names = [n for n in (n.strip() for n in names) if n]
    towns: list[Place] = []
    unknown: list[str] = []
    for name in names:
        place = directory.find(name)
        if place is None:
            found = [p for p in directory.search(name) if p.kind == "town"]
            place = found[0] if len(found) == 1 else None
        if place is None or place.kind != "town":
            unknown.append(name)
        else:
            towns.append(place)
    if len(names) > MAX_TOWNS:
        return Parsed(tuple(towns[:MAX_TOWNS]), 400, f"Compare {MIN_TOWNS} to {MAX_TOWNS} towns, not {len(names)}.")
    if unknown:
        words = join_names([f"“{n}”" for n in unknown])
        return Parsed(tuple(towns), 404, f"No municipality is called {words}.")
    if len(towns) < MIN_TOWNS:
        return Parsed(tuple(towns), 400, f"Compare {MIN_TOWNS} to {MAX_TOWNS} towns: this address names {len(towns)}.")
    if len(set(towns)) != len(towns):
        return Parsed(tuple(towns), 400, "The same town is named twice: compare different towns.")
    return Parsed(tuple(towns))


def parse_spec(pages: Pages, spec: str) -> Parsed:
    """A compare address's `<slug>+<slug>…` part."""
    if len(spec) > MAX_SPEC:
        return Parsed(status=400, problem=f"Compare {MIN_TOWNS} to {MAX_TOWNS} towns: this address is too long.")
    return parse_names(pages, spec.split(SEPARATOR))


def problem_page(parsed: Parsed) -> Page:
    """The answer to a compare address that names no valid set of towns: what is wrong, the form, the search."""
    heading = "No comparison at this address" if parsed.status == 404 else "Compare two to four towns"
    body = (
        f"<h1>{e(heading)}</h1><p>{e(parsed.problem)}</p>"
        f"<p>Write the towns’ names below, or their addresses joined by “+”, as in "
        f'<a href="/compare/boston+cambridge">/compare/boston+cambridge</a>.</p>'
        f"{compare_form(parsed.towns)}{search_form()}"
        f'<p><a href="/town-search">See every town and agency</a>.</p>'
    )
    return Page(title=heading, description=f"{heading}: {parsed.problem}", body=body)


class Compare:
    """Builds compare pages (plain HTML) and slides from the read-only model and the town pages' pieces."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.model: Model = pages.model
        self._with_records = set(self.model.records["agency_id"].dropna())

    # --- one cell per town ----------------------------------------------------------------------------------

    def _head(self, town_id: int, place: Place) -> str:
        town = self.model.towns.loc[town_id]
        uasi = "; Metro Boston UASI region" if town["uasi_region"] else ""
        sub = f"{town['county']} County; {town['population_2010']:,} residents (2010 census){uasi}"
        query = to_query(view(self.model.catalog, town=town_id), self.model.catalog)
        return (
            f'<th scope="col"><a href="{e(place.path)}">{e(place.name)}</a>'
            f'<span class="sub">{e(sub)}</span>'
            f'<a class="noprint" href="/{e(query)}">On the map</a></th>'
        )

    def _clearview(self, town_id: int) -> str:
        status = str(self.model.towns.loc[town_id, "clearview_status"])
        listings = self.model.listings.loc[self.model.listings["town_id"].eq(town_id)]
        return self.pages._class_line(status) + self.pages._listings(listings)

    def _records(self, town_id: int) -> str:
        records = self.model.records.loc[self.model.records["town_id"].eq(town_id)].sort_values("row")
        if records.empty:
            return "<p>None in the records index.</p>"
        total = f"{plural(len(records), 'record')}, {documents_text(int(records['documents'].sum()))}"
        items = []
        for _, record in records.iterrows():
            vendor = f"{record['vendor']}, " if isinstance(record["vendor"], str) else ""
            details = f"{vendor}filed {years_text(record['year_start'], record['year_end'])}, "
            documents = e(documents_text(record["documents"]))
            if int(record["documents"]) == 0:
                documents = f"<strong>{documents}</strong>"
            items.append(f"<li>{_record_link(record)}: {e(details)}{documents}.</li>")
        return f"<p><strong>{e(total)}</strong></p><ul>{''.join(items)}</ul>"

    def _vendors(self, town_id: int) -> str:
        vendors = list(self.model.towns.loc[town_id, "vendors"])
        return f"<p>{e(join_names(vendors))}</p>" if vendors else "<p>None.</p>"

    def _policy(self, town_id: int) -> str:
        model = self.model
        events = model.events.loc[model.events["town_id"].eq(town_id)]
        items = [
            f"<li><strong>{e(model.catalog.policy_kind[event.kind].label)}</strong>, {e(date_text(event.date))}: "
            f'{e(event.title)}. <a href="{e(event.source_url)}">Source</a>{OUTSIDE_MARK}</li>'
            for event in events.itertuples()
        ]
        return f"<ul>{''.join(items)}</ul>" if items else "<p>No ban, moratorium or oversight ordinance recorded.</p>"

    def _reaching(self, town_id: int) -> str:
        """The town's own reach: its county's sheriff, the UASI region, agencies with offices here."""
        model, pages = self.model, self.pages
        town = model.towns.loc[town_id]
        agencies = model.agencies
        county = agencies.loc[agencies["reach"].eq("county") & agencies["county_fips"].eq(town["county_fips"])]
        items = [
            f"<li>{pages._place_link(pages.directory.agencies[str(a)])}: {pages._summaries[str(a)]}.</li>"
            for a in county.index
        ] or [f"<li>No {e(town['county'])} County sheriff’s record.</li>"]
        uasi = "In" if town["uasi_region"] else "Not in"
        items.append(f"<li>{uasi} the Metro Boston UASI region.</li>")
        offices = agencies.loc[agencies["hq_town_id"].eq(town_id)]
        if not offices.empty:
            links = ", ".join(pages._place_link(pages.directory.agencies[str(a)]) for a in offices.index)
            items.append(f"<li>Offices here{OUTSIDE_MARK}: {links}.</li>")
        return f"<ul>{''.join(items)}</ul>"

    def _locator(self, town_id: int, index: int) -> str:
        name = str(self.model.towns.loc[town_id, "town"])
        svg = self.pages.locator.town(town_id, f"{name} within Massachusetts")
        # One page holds several locators: each title needs an id of its own.
        return svg.replace('"locator-title"', f'"locator-title-{index}"')

    def _statewide(self) -> str:
        """What reaches every town alike: the statewide agencies' records and the state law, said once."""
        model, pages = self.model, self.pages
        state = [a for a in model.agencies.index[model.agencies["reach"].eq("state")] if a in self._with_records]
        listed = "".join(
            f"<li>{pages._place_link(pages.directory.agencies[str(a)])}: {pages._summaries[str(a)]}.</li>"
            for a in state
        )
        laws = "".join(f"<li>{e(s)}{OUTSIDE_MARK}</li>" for s in state_law_sentences(model))
        agencies_text = plural(len(state), "state agency", "state agencies")
        return (
            f"<section><h2>Statewide, the same for every town</h2><p>The records of {e(agencies_text)} reach the "
            f'whole state:</p><ul class="agencies">{listed}</ul>' + (f"<ul>{laws}</ul>" if laws else "") + "</section>"
        )

    # --- the page ----------------------------------------------------------------------------------------------

    def page(self, towns: tuple[Place, ...]) -> Page:
        """The towns side by side: one column per town, one row per question, then what is the same for all."""
        model, directory = self.model, self.pages.directory
        ids = [directory.town_id(p.key) for p in towns]
        names = [p.name for p in towns]
        clearview = model.catalog.clearview
        rows: list[tuple[str, Callable[[int], str]]] = [
            ("Where", lambda t: self._locator(t, ids.index(t) + 1)),
            (f"{clearview}: what the records page says of the police department", self._clearview),
            ("Records about its agencies (documents)", self._records),
            ("Vendors in these records", self._vendors),
            (f"Policy decisions{OUTSIDE_MARK}", self._policy),
            ("Who else reaches it", self._reaching),
        ]
        head = "".join(self._head(t, p) for t, p in zip(ids, towns))
        body_rows = "".join(
            f'<tr><th scope="row">{e(label)}</th>'
            + "".join(f'<td data-label="{e(n)}">{cell(t)}</td>' for t, n in zip(ids, names))
            + "</tr>"
            for label, cell in rows
        )
        table = (
            f'<table class="compare compare-{len(towns)}"><thead><tr><td></td>{head}</tr></thead>'
            f"<tbody>{body_rows}</tbody></table>"
        )
        title_names = join_names(names)
        slide = f'<a href="{e(Parsed(towns).path + IMAGE_SUFFIX)}">Slide image of this comparison (PNG)</a>'
        body = (
            f"<h1>{e(title_names)} compared</h1>"
            f'<p class="sub">{e(clearview)} and surveillance vendor records, side by side. Each town’s own page '
            "has every detail.</p>"
            f"{table}"
            f'<p class="note">{e(RECORD_NOTE)}</p><p class="note">{e(OUTSIDE_NOTE)}</p>'
            f"{self._statewide()}"
            f'<section class="noprint"><h2>Compare other towns</h2>{compare_form(towns)}<p>{slide}</p></section>'
        )
        classes = [
            f"{n}: “{model.catalog.labels[str(model.towns.loc[t, 'clearview_status'])]}”" for t, n in zip(ids, names)
        ]
        return Page(
            title=f"{title_names} compared: {clearview} and surveillance vendor records",
            description=f"{clearview} classes in Massachusetts: {'; '.join(classes)}. Records and vendors compared.",
            body=body,
            image=compare_preview(model, towns, Parsed(towns).path + IMAGE_SUFFIX, SLIDE),
        )

    # --- the slide -----------------------------------------------------------------------------------------------

    def figure(self, towns: tuple[Place, ...], exported: date | None = None) -> go.Figure:
        """A 1920×1080 slide: one small map per town (colored by class, the town ringed), its class and records."""
        from dashboard.views.figure import build_figure

        model, directory = self.model, self.pages.directory
        width, height = SLIDE
        ids = [directory.town_id(p.key) for p in towns]
        columns, rows = (2, 2) if len(ids) == 4 else (len(ids), 1)
        top, bottom, gap, heading = 0.88, 0.15, 0.03, 0.075
        cell_w = (1 - gap * (columns - 1)) / columns
        # As tall as the state's shape needs at that width (about 1.8:1), the block centered between title and key.
        cell_h = min((top - bottom - heading * rows) / rows, cell_w * width / MAP_ASPECT / height)
        top -= ((top - bottom) - rows * (cell_h + heading)) / 2
        chars = int(cell_w * width / 11)  # heading characters per line at this width
        figure = go.Figure()
        annotations = []
        for i, town_id in enumerate(ids):
            x0 = (i % columns) * (cell_w + gap)
            y1 = top - (i // columns) * (cell_h + heading)
            geo = "geo" if i == 0 else f"geo{i + 1}"
            # The classes only: vendor markers, outlines and the region's label would bury a small map.
            one = build_figure(model, view(model.catalog, town=town_id, vendors=(), uasi=False, policy=False))
            for trace in one.data:
                figure.add_trace(trace.update(geo=geo, showlegend=False))
            lon, lat = model.map.points[town_id]
            figure.add_trace(
                go.Scattergeo(
                    lon=[lon],
                    lat=[lat],
                    mode="markers",
                    geo=geo,
                    name="The town compared",
                    showlegend=i == 0,
                    hoverinfo="skip",
                    marker={"symbol": "circle-open", "size": 30, "color": RING, "line": {"width": 4}},
                )
            )
            figure.layout[geo] = {
                **one.layout.geo.to_plotly_json(),
                "domain": {"x": [x0, x0 + cell_w], "y": [y1 - cell_h, y1]},
            }
            town = model.towns.loc[town_id]
            records = model.records.loc[model.records["town_id"].eq(town_id)]
            label = model.catalog.labels[str(town["clearview_status"])]
            line = (
                f"{plural(len(records), 'record')}, {documents_text(int(records['documents'].sum()))}"
                if len(records)
                else "No record in the records index"
            )
            if town["vendors"]:
                line += f"; vendors: {join_names(list(town['vendors']))}"
            annotations.append(
                {
                    "text": "<br>".join(
                        [f"<b>{escape(str(town['town']))}</b>: {escape(label)}"]
                        + [escape(part) for part in textwrap.wrap(line, chars)]
                    ),
                    "xref": "paper",
                    "yref": "paper",
                    "x": x0 + cell_w / 2,
                    "y": y1 + 0.005,
                    "xanchor": "center",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 22 if columns < 3 else 19, "color": "#1d1d1f"},
                }
            )
        for c in model.catalog.classes:  # the classes' colors, keyed as in the map's legend
            figure.add_trace(
                go.Scattergeo(
                    lon=[None],
                    lat=[None],
                    mode="markers",
                    name=c.label,
                    marker={"symbol": "square", "size": 18, "color": c.color, "line": {"color": "#8c8c8c", "width": 1}},
                )
            )
        day = date_text(exported or date.today())
        note = (
            f"{source_line(model)} Exported {day}. Data version {model.data_version}. Municipalities colored by "
            f"{model.catalog.clearview} class; a “0” disc marks a listing whose record holds 0 documents. A record "
            "is a request about a vendor filed with an agency: not proof of a contract or of use."
        )
        annotations.append(
            {
                "text": "<br>".join(escape(line) for line in textwrap.wrap(note, 170)),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "align": "left",
                "font": {"size": 17, "color": "#444"},
            }
        )
        names = join_names([str(model.towns.loc[t, "town"]) for t in ids])
        figure.update_layout(
            width=width,
            height=height,
            margin={"l": 40, "r": 40, "t": 40, "b": 24},
            paper_bgcolor="#ffffff",
            font={"family": "DejaVu Sans, Arial, sans-serif", "size": 18, "color": "#1d1d1f"},
            title={
                "text": f"<b>{escape(names)}: {escape(model.catalog.clearview)} and surveillance vendor records</b>",
                "x": 0.02,
                "xanchor": "left",
                "y": 0.97,
                "yanchor": "top",
                "font": {"size": 32 if len(names) < 60 else 26},
            },
            showlegend=True,
            legend={"orientation": "h", "x": 0, "y": 0.075, "xanchor": "left", "yanchor": "bottom"},
            annotations=annotations,
        )
        return figure

    def image(self, towns: tuple[Place, ...], fmt: str = "png") -> bytes | None:
        """The slide as PNG (or SVG), drawn by kaleido in headless Chromium; None while another one is drawn."""
        import kaleido

        from dashboard.config import TOPOJSON_DIR

        figure = self.figure(towns)
        width, height = SLIDE
        # One slide at a time, and no queue: each takes seconds and a Chromium, and a crawler must not hold every
        # thread of the server waiting for its turn.
        if not _render_lock.acquire(blocking=False):
            return None
        try:
            return kaleido.calc_fig_sync(
                figure.to_plotly_json(),
                opts={"format": fmt, "width": width, "height": height, "scale": 1},
                topojson=TOPOJSON_DIR.as_uri() + "/",  # plotly asks for a world base map: the local stub
            )
        finally:
            _render_lock.release()


_render_lock = threading.Lock()  # one compare slide at a time: each starts a Chromium


class _Recent(Generic[T]):
    """A small least-recently-used store of built answers."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, T] = OrderedDict()
        self.lock = threading.Lock()

    def get_or_make(self, key: str, make: Callable[[], T]) -> T:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()  # outside the lock: a slow slide does not hold up pages
        if value is None:  # nothing made (busy): not kept, the next request tries again
            return value
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


Answer = Callable[[Page, str, int], ResponseBase]


def register_compare(server: Flask, pages: Pages, answer: Answer) -> None:
    """Add /compare/<slugs>, /compare/<slugs>.png and the form's /compare to the server."""
    compare = Compare(pages)
    built: _Recent[Page] = _Recent(PAGE_CACHE)
    images: _Recent[bytes | None] = _Recent(IMAGE_CACHE)

    def show(parsed: Parsed, image: bool) -> ResponseBase:
        if parsed.status != 200:
            return answer(problem_page(parsed), request.path, parsed.status)
        path = parsed.path + (IMAGE_SUFFIX if image else "")
        if request.path != path:
            return redirect(path, code=301)
        if image:
            try:
                png = images.get_or_make(path, lambda: compare.image(parsed.towns))
            except Exception:  # kaleido needs Chromium: a missing one is said in the log, the page stays up
                server.logger.exception("compare slide failed")
                png = None
            if png is None:
                busy = "The slide image could not be drawn now: try again in a minute."
                return Response(busy, status=503, mimetype="text/plain", headers={"Retry-After": "30"})
            return Response(png, mimetype="image/png", headers={"Cache-Control": "public, max-age=300"})
        page = built.get_or_make(path, lambda: compare.page(parsed.towns))
        return answer(page, path, 200)

    def by_address(spec: str) -> ResponseBase:
        image = spec.endswith(IMAGE_SUFFIX)
        return show(parse_spec(pages, spec.removesuffix(IMAGE_SUFFIX)), image)

    def by_form() -> ResponseBase:
        names = [n[:100] for n in request.args.getlist("town")[: MAX_TOWNS + 4]]
        if not any(n.strip() for n in names):
            empty = Parsed(status=200, problem="Choose two to four towns to see them side by side.")
            return answer(problem_page(empty), "/compare", 200)
        parsed = parse_names(pages, names)
        if parsed.status != 200:
            return answer(problem_page(parsed), "/compare", parsed.status)
        return redirect(parsed.path, code=302)

    server.add_url_rule("/compare/<path:spec>", endpoint="site_compare", view_func=by_address)
    server.add_url_rule("/compare", endpoint="site_compare_form", view_func=by_form)
    server.add_url_rule("/compare/", endpoint="site_compare_index", view_func=by_form)
