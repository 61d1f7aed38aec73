"""The map page's first view: the whole page of the address's view as server HTML, complete before any script runs.

The page's first HTML holds the layout Dash would render for that view (web/static_html.py writes it out), inside one
GET form: the map is the server's SVG with each town a link to its view, the month steps, timeline events and
downloads are links, the filters are checkboxes sent by the form (`register` turns them into the view's address).
Dash's scripts are not run by the page: their addresses wait in a data block, and assets/boot.js loads them when
the interactive map earns its cost (at once on a wide screen; on a phone when the visitor asks for it). Until then
boot.js answers links and form changes by fetching the next view's changed parts (PARTS_PATH) and swapping them in.
When Dash's layout appears, boot.js removes this holder in the same frame: the two are the same DOM, so nothing jumps.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import parse_qs

import flask
from dash.development.base_component import Component

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.model import Model
from dashboard.language import _
from dashboard.serving.downloads import download_url
from dashboard.serving.http import shared
from dashboard.state.view import ViewState, choices_of, from_controls, month_index, parse_query, to_query
from dashboard.views import wording as w
from dashboard.views.map_svg import MapPicture
from dashboard.views.time_chart import event_months
from dashboard.views.timeline import timeline_events
from dashboard.views.words import date_text
from dashboard.web import ids
from dashboard.web.layout import PageLayout, reset_href, search_value, suggested_language
from dashboard.web.search_box import AGENCY_VALUE
from dashboard.web.static_html import element, render, walk

log = logging.getLogger(__name__)

ENTRY = '<div id="react-entry-point">'
HOLDER_ID = "first-paint"
FORM_MARK = "view"  # the form's hidden field: a query with it is a form's answer, turned into the view's address
SEARCH_FORM = "town-search-form"
IMAGE_FORM = "image-form"
WHOLE_STATE_ID = "whole-state"
#: The first view's last element: the browser paints nothing before it has it (a phone's order differs from the
#: page's, so a half-read page would paint parts where the rest then pushes them).
END_ID = "first-view-end"
RENDER_AFTER_END = f'<link rel="expect" href="#{END_ID}" blocking="render">'
SCRIPTS_ID = "dash-scripts"  # the data block of Dash's script addresses, read by assets/boot.js
#: Dash's tag of a script file, as `_generate_scripts_html` writes it.
SCRIPT = re.compile(r'<script src="(?P<src>[^"<>]*)"></script>\n?')
#: The parts of the page a view changes, by id: what boot.js swaps in when a link or a filter moves to another view.
PARTS = (
    ids.CAPTION,
    ids.HEADLINE,
    ids.POLICY_LINE,
    ids.TIME_CONTROL,
    ids.LEGEND,
    ids.KEYS,
    ids.TOTALS,
    ids.REACH,
    ids.SEARCH_BOX,
    ids.PANEL,
    ids.TIME_CHART,
    ids.CLASSES,
    ids.WAVES,
    ids.VENDORS,
    ids.LAYERS,
    ids.LANGUAGE_SWITCH,  # its links follow the view (and boot.js points a language suggestion at one of them)
)
#: Where boot.js asks for a view's parts (`?<the view's query>`, or a sent form's fields).
PARTS_PATH = "/_view"
#: Controls that only work with the interactive map: in the first view they wait, hidden, for it.
NEEDS_SCRIPT = frozenset({ids.DOWNLOAD_ROWS, ids.IMAGE_FORMAT, ids.TABLE_SEARCH})

#: Dash's placeholders in, placeholders out (dashboard.web.app.IndexHook).
Hook = Callable[[dict[str, Any], flask.Request], dict[str, Any]]


def split_scripts(scripts: str) -> tuple[list[str], str]:
    """The addresses of Dash's script files in page order, and what else the placeholder held (data blocks)."""
    return [m.group("src") for m in SCRIPT.finditer(scripts)], SCRIPT.sub("", scripts)


def scripts_block(sources: list[str]) -> str:
    """Dash's script addresses as a JSON data block ("</" escaped: no address can close the tag). Dash checks that a
    page names its renderer's script and how it starts: the block's attributes and a text block say both."""
    text = json.dumps(sources).replace("</", "<\\/")
    renderer = next((src for src in sources if "dash-renderer" in src or "dash_renderer" in src), "")
    return f'<script type="application/json" id="{SCRIPTS_ID}" data-renderer-src="{escape(renderer)}">{text}</script>'


def _link(text: Any, href: str, props: dict[str, Any]) -> str:
    return element("a", {**props, "href": href}, render(text))


class FirstView:
    """The first view's HTML for any view of one read-only model (cached per view)."""

    def __init__(self, model: Model, pages: PageLayout) -> None:
        self.model = model
        self.pages = pages
        self.picture = MapPicture(model)
        self.events = timeline_events(model)
        self.event_months = event_months(model)
        #: The page of a view (with a language to suggest, or none); a view's parts. The view names its language.
        self.html = lru_cache(maxsize=256)(self._html)
        self.parts = lru_cache(maxsize=256)(self._parts)

    def href(self, state: ViewState, **changes: Any) -> str:
        """The address of the view with some choices changed."""
        return "/" + to_query(dataclasses.replace(state, **changes), self.model.catalog)

    def _month_link(self, state: ViewState, component: Component, position: int | None) -> str:
        """A month step as a link to that month's view, or the step shown disabled where there is none."""
        months = self.model.catalog.months
        props = component.to_plotly_json()["props"]
        attrs = {k: v for k, v in props.items() if k not in ("children", "n_clicks", "type")}
        if position is None or not 0 <= position < len(months) or months[position] == state.as_of:
            return element(
                "span",
                {**attrs, "aria-disabled": "true", "className": f"{props['className']} disabled"},
                render(props["children"]),
            )
        step = "previous" if months[position] < state.as_of else "next"
        return _link(
            props["children"], self.href(state, as_of=months[position]), {**attrs, "data-view": "", "data-step": step}
        )

    def _event_position(self, state: ViewState, later: bool) -> int | None:
        at = month_index(state, self.model.catalog)
        found = [i for i in self.event_months if (i > at if later else i < at)]
        return (found[0] if later else found[-1]) if found else None

    def _map(self, state: ViewState) -> str:
        """The map box's first view: the picture with its towns as links, the way to the interactive map and, on a
        phone's map framed on a town, the way back to the whole state."""
        slot = element(
            "div", {"id": ids.FIRST_PAINT_SLOT, "className": "first-paint-slot"}, self.picture.svg(state, links=True)
        )
        if state.present:
            return slot
        opener = element("button", {"type": "button", "className": "button boot-dash"}, escape(w.OPEN_INTERACTIVE))
        return slot + opener + self._whole_state(state)

    def _whole_state(self, state: ViewState) -> str:
        """The way back from a phone's map framed on the chosen town (hidden without one)."""
        props = {"id": WHOLE_STATE_ID, "className": "whole-state", "data-view": "", "hidden": state.town is None}
        return _link(w.WHOLE_STATE, self.href(state, town=None), props)

    def override(self, state: ViewState) -> Callable[[Component], str | None]:
        """The components the first view draws its own way, for one view."""
        model = self.model
        months = model.catalog.months
        at = month_index(state, model.catalog)

        def replace(component: Component) -> str | None:
            cid = getattr(component, "id", None)
            props = component.to_plotly_json()["props"]
            if isinstance(cid, dict) and cid.get("type") == ids.TIMELINE_ITEM:
                event = self.events[cid["index"]]
                target = dataclasses.replace(state, as_of=event.month, town=event.town_id, agency=event.agency_id)
                keep = {k: props[k] for k in ("className", "title", "style") if k in props}
                return _link(props["children"], self.href(target), {**keep, "data-view": ""})
            if cid == ids.FIRST_PAINT_SLOT:
                return self._map(state)
            if cid == ids.TABLE_SLOT:
                opener = element("button", {"type": "button", "className": "button boot-dash"}, escape(w.OPEN_TABLE))
                return element(
                    "div",
                    {"id": cid, "className": "records-grid-slot"},
                    element("p", {"className": "hint"}, escape(w.TABLE_WITH_MAP)) + opener,
                )
            if cid == ids.MAP:
                return ""  # the picture above is the map until plotly draws its own
            if cid == ids.DATE_PLAY:  # kept in its place, inert (first-paint.css hides it): nothing moves later
                return element("button", {**props, "disabled": True}, render(props.get("children")))
            if cid in NEEDS_SCRIPT:
                return element("div", {"hidden": True})
            if cid == ids.DATE:
                options = "".join(
                    element("option", {"value": i, "selected": i == at}, escape(date_text(m)))
                    for i, m in enumerate(months)
                )
                return element("select", {"id": cid, "name": cid, "aria-labelledby": "time-title"}, options)
            if cid == ids.DATE_BACK:
                return self._month_link(state, component, at - 1)
            if cid == ids.DATE_FORWARD:
                return self._month_link(state, component, at + 1)
            if cid == ids.DATE_PREV_EVENT:
                return self._month_link(state, component, self._event_position(state, later=False))
            if cid == ids.DATE_NEXT_EVENT:
                return self._month_link(state, component, self._event_position(state, later=True))
            if cid == ids.TOWN_SEARCH:
                return (
                    element("input", {"type": "hidden", "name": cid, "value": search_value(state)})
                    + element(
                        "input",
                        {
                            "type": "search",
                            "id": cid,
                            "name": "q",
                            "value": self.place_name(state),
                            "form": SEARCH_FORM,
                            "placeholder": props.get("placeholder"),
                            "enterkeyhint": "search",
                            "className": "search",
                        },
                    )
                    # Translators: the town search's button (the verb).
                    + element(
                        "button", {"type": "submit", "form": SEARCH_FORM, "className": "button"}, escape(_("Find"))
                    )
                )
            if cid == ids.IMAGE_COMPARE:
                earlier = [element("option", {"value": m}, escape(date_text(m))) for m in months[:at]]
                blank = element("option", {"value": ""}, escape(str(props.get("placeholder") or "")))
                return element("select", {"id": cid, "name": "compare", "form": IMAGE_FORM}, blank + "".join(earlier))
            if cid == ids.IMAGE_SIZE:
                labels = "".join(
                    "<label>"
                    + element(
                        "input",
                        {
                            "type": "radio",
                            "name": "size",
                            "value": o["value"],
                            "form": IMAGE_FORM,
                            "checked": o["value"] == "wide",
                        },
                    )
                    + escape(o["label"])
                    + "</label>"
                    for o in props["options"]
                )
                return element("div", {"id": cid, "className": props.get("className")}, labels)
            if cid == ids.DOWNLOAD_IMAGE:
                return element(
                    "button",
                    {"type": "submit", "form": IMAGE_FORM, "className": "button", "id": cid},
                    render(props.get("children")),
                )
            if cid == ids.DOWNLOAD_TOWNS_CSV:
                return _link(
                    props.get("children"), download_url("towns.csv"), {"id": cid, "className": "button", "download": ""}
                )
            if cid == ids.DOWNLOAD_TOWNS_GEOJSON:
                return _link(
                    props.get("children"),
                    download_url("towns.geojson"),
                    {"id": cid, "className": "button", "download": ""},
                )
            if cid == ids.RESET:
                # Translators: the button that sends the filters' form (pages without script).
                show = element(
                    "button", {"type": "submit", "className": "button show-view"}, escape(_("Show this view"))
                )
                reset = element(
                    "a", {"id": cid, "href": reset_href(model, state), "className": "reset"}, render(props["children"])
                )
                return show + reset
            return None

        return replace

    def place_name(self, state: ViewState) -> str | None:
        """The chosen town's or agency's name, as the search box shows it."""
        if state.town is not None:
            return str(self.model.towns.loc[state.town, "town"])
        if state.agency is not None:
            return str(self.model.agencies.loc[state.agency, "name"])
        return None

    def image_fields(self, state: ViewState) -> str:
        """The image form's hidden fields: the view's query (its size and earlier date are the form's own)."""
        query = parse_qs(to_query(state, self.model.catalog).lstrip("?"))
        return "".join(
            element("input", {"type": "hidden", "name": key, "value": values[-1]})
            for key, values in query.items()
            if key not in ("present", "compare")
        )

    def _parts(self, state: ViewState) -> dict[str, Any]:
        """What a move to this view changes on the first view: its address, the parts by id, the map's fills,
        outlines and framing, and the towns' links (`town_href` with the town's id for `-1`)."""
        with language.speaking(state.lang):
            return self._parts_spoken(state)

    def _parts_spoken(self, state: ViewState) -> dict[str, Any]:
        override = self.override(state)
        tree = self.pages.for_view(state, None)  # the page the first view draws (the same cache entry)
        found = {}
        for component in walk(tree):
            cid = getattr(component, "id", None)
            if cid in PARTS:
                found[str(cid)] = render(component, override)
        catalog = self.model.catalog
        return {
            "url": "/" + to_query(state, catalog),
            "extent": state.extent,
            "parts": {**found, WHOLE_STATE_ID: self._whole_state(state)},
            "image_fields": self.image_fields(state),
            "fills": self.picture.fills(state),
            "lines": self.picture.lines(state),
            "marks": self.picture.marks(state),
            "frame": self.picture.frame(state),
            "label": self.picture.label(state),
            "town_href": "/" + to_query(dataclasses.replace(state, town=-1, agency=None), catalog),
        }

    def _html(self, state: ViewState, suggest: str | None = None) -> str:
        with language.speaking(state.lang):
            page = render(self.pages.for_view(state, suggest), self.override(state))
            search = escape(language.localized("/search"))  # the site's search page in the view's language
        image_fields = self.image_fields(state)
        # The form's answer keeps the view's language (its controls do not say it).
        spoken = (
            ""
            if state.lang == SOURCE_LANGUAGE
            else element("input", {"type": "hidden", "name": "lang", "value": state.lang})
        )
        return (
            f'<form id="{HOLDER_ID}" class="first-paint" method="get" action="/">'
            f'<input type="hidden" name="{FORM_MARK}" value="1">'
            + ('<input type="hidden" name="present" value="1">' if state.present else "")
            + spoken
            + f"{page}</form>"
            f'<form id="{SEARCH_FORM}" method="get" action="{search}" hidden></form>'
            f'<form id="{IMAGE_FORM}" method="get" action="/image/view.png" hidden>{image_fields}</form>'
            f'<span id="{END_ID}" hidden></span>'
        )


def index_hook(
    first: FirstView, boot_src: Callable[[], str], locale_src: Callable[[str], str | None] = lambda tag: None
) -> Hook:
    """A page hook: the view of the request's query as server HTML (the default view for garbage), Dash's scripts
    left to assets/boot.js (`boot_src()` is its address), with plotly's dictionary for the view's language
    (`locale_src(tag)`, None for plotly's own English) among them."""
    model = first.model
    choices = choices_of(model.catalog, model.towns.index, model.agencies.index)

    def hook(kwargs: dict[str, Any], request: flask.Request) -> dict[str, Any]:
        entry = kwargs.get("app_entry", "")
        scripts = kwargs.get("scripts", "")
        if not isinstance(entry, str) or ENTRY not in entry or not isinstance(scripts, str):
            return kwargs  # not Dash's page as we know it: leave it as Dash makes it
        sources, rest = split_scripts(scripts)
        query = request.query_string.decode("utf-8", "replace")
        state = parse_query(query, choices)
        suggest = suggested_language(request.accept_languages, state.lang, query)
        locale = locale_src(language.languages()[state.lang].tag)
        if locale:
            sources = [*sources, locale]  # run last: plotly is there by then, and registers it
        try:
            drawn = first.html(state, suggest)
        except Exception:  # the page without its first view is still the interactive page: never a 500 for it
            log.exception("first view not drawn")
            return kwargs
        return {
            **kwargs,
            "metas": kwargs.get("metas", "") + RENDER_AFTER_END,
            "app_entry": entry + drawn,
            "scripts": rest + scripts_block(sources) + f'<script src="{escape(boot_src())}" defer></script>',
            # boot.js starts Dash's renderer once its scripts are in; Dash checks that the page names it.
            "renderer": '<script type="text/plain" id="_dash-renderer">new DashRenderer()</script>',
        }

    return hook


def form_view(args: Any, choices: Any) -> ViewState:
    """The view a submitted first-view form names (its fields are the page's controls, by id)."""
    date = args.get(ids.DATE, "")
    search = args.get(ids.TOWN_SEARCH, "")
    town: int | str | None = int(search) if search.isascii() and search.isdigit() and len(search) < 6 else search
    return from_controls(
        args.getlist(ids.CLASSES),
        args.getlist(ids.WAVES),
        int(date) if date.isascii() and date.isdigit() and len(date) < 4 else None,
        args.getlist(ids.VENDORS),
        args.getlist(ids.LAYERS),
        town if town != "" else None,
        choices=choices,
        present=args.get("present") == "1",
        lang=args.get("lang"),
        agency_prefix=AGENCY_VALUE,
    )


def register(server: flask.Flask, first: FirstView, path: str = "/") -> None:
    """Serve the first view's answers: a form sent to the map page is redirected to its view's address (the one a
    link shares), and PARTS_PATH answers a view's parts as JSON (for a view's query, or for a sent form)."""
    model = first.model
    choices = choices_of(model.catalog, model.towns.index, model.agencies.index)

    @server.before_request
    def view_form() -> Any:
        if flask.request.path != path or FORM_MARK not in flask.request.args:
            return None
        state = form_view(flask.request.args, choices)
        return flask.redirect(path + to_query(state, model.catalog), code=303)

    def parts() -> Any:
        args = flask.request.args
        if FORM_MARK in args:
            state = form_view(args, choices)
        else:
            state = parse_query(flask.request.query_string.decode("utf-8", "replace"), choices)
        return shared(flask.jsonify(first.parts(state)))

    server.add_url_rule(PARTS_PATH, "first_view_parts", parts, methods=["GET"])
