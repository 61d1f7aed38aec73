"""The Dash part of the app: the map page, its callbacks and hooks. dashboard/server.py composes the whole app."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from html import escape
from typing import Any

import dash
import flask
import plotly.io

from dashboard import language
from dashboard.config import ASSETS_DIR, SOURCE_LANGUAGE, public_url_from_env
from dashboard.data.model import Model
from dashboard.language import _
from dashboard.state.view import Choices, choices_of, parse_query, to_query
from dashboard.views import wording as w
from dashboard.views.records import all_rows
from dashboard.web import callbacks, first_view, lazy_grid
from dashboard.web.layout import PageLayout, names_language, referer_query, suggested_language, view_of_referer

#: Dash's page template with the page's language (LANG, set per request by `language_hook`), and Dash's scripts in a
#: <div> instead of a second <footer> landmark beside the layout's site footer (and without the Internet Explorer
#: notice). All of Dash's placeholders.
LANG = "{%lang%}"
INDEX_STRING = """<!DOCTYPE html>
<html lang="{%lang%}">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>
"""


#: Dash's word in its entry point until the layout comes (dash.dash._app_entry), worded in the page's language.
DASH_LOADING = "Loading..."
#: The first view's script (assets/boot.js): it loads Dash's scripts when the interactive map is wanted.
BOOT_SCRIPT = "boot.js"
#: plotly.js's dictionaries and number formats of other languages than English (assets/plotly-locale-<tag>.js): left
#: out of Dash's scripts, and named in a page only in their language (`plotly_locale`).
PLOTLY_LOCALE = "plotly-locale-{}.js"

#: A change to the page's template for one request: Dash's placeholders in, placeholders out.
IndexHook = Callable[[dict[str, Any], "flask.Request"], dict[str, Any]]


class MapDash(dash.Dash):
    """Dash whose page template is finished per request by hooks (the view's first paint, deferred scripts)."""

    def __init__(self, *args: Any, index_hooks: tuple[IndexHook, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.index_hooks = index_hooks

    def interpolate_index(  # type: ignore[override]  # Dash passes every placeholder by keyword
        self, **kwargs: Any
    ) -> str:
        """Dash's page, after each hook has had its say on the placeholders for this request (and the page's
        language, `lang`: a placeholder of ours)."""
        for hook in self.index_hooks:
            kwargs = hook(kwargs, flask.request)
        lang = kwargs.pop("lang", SOURCE_LANGUAGE)
        return super().interpolate_index(**kwargs).replace(LANG, escape(lang))


def alternates(hrefs: dict[str, str], default: str) -> str:
    """The page's `<link rel="alternate" hreflang>` for each language's address, and x-default's."""
    links = [*hrefs.items(), ("x-default", default)]
    return "".join(f'<link rel="alternate" hreflang="{escape(tag)}" href="{escape(href)}">' for tag, href in links)


def language_hook(model: Model, choices: Choices) -> IndexHook:
    """A page hook: the page in the language its view names: its `lang`, title and description, and the same view's
    address in every language (absolute, as hreflang wants them: the public address, else the request's host)."""
    configured = public_url_from_env()

    def hook(kwargs: dict[str, Any], request: flask.Request) -> dict[str, Any]:
        state = parse_query(request.query_string.decode("utf-8", "replace"), choices)
        base = (configured or request.host_url).rstrip("/") + "/"
        hrefs = {
            spoken.tag: base + to_query(dataclasses.replace(state, lang=code), model.catalog)
            for code, spoken in language.languages().items()
        }
        default = base + to_query(dataclasses.replace(state, lang=SOURCE_LANGUAGE), model.catalog)
        with language.speaking(state.lang) as spoken:
            # As Dash writes a meta tag (dash._utils.format_tag with sanitize): the same bytes as before, in English.
            description = f'\n      <meta name="description" content="{escape(w.SUBTITLE)}">'
            entry = kwargs.get("app_entry", "")
            # Translators: Dash's own word in the page until its layout comes (unseen behind the first view).
            loading = escape(_("Loading..."))
            return {
                **kwargs,
                "lang": spoken.tag,
                "title": escape(w.TITLE),
                "metas": kwargs.get("metas", "") + description + alternates(hrefs, default),
                "app_entry": entry.replace(DASH_LOADING, loading, 1) if isinstance(entry, str) else entry,
            }

    return hook


def plotly_locale(tag: str) -> str | None:
    """The file name of plotly.js's dictionary for a language tag ('pt-BR': plotly-locale-pt-br.js; else its base
    language's), None for English or a language plotly has no file for here."""
    for name in (tag.lower(), tag.lower().split("-")[0]):
        if name != SOURCE_LANGUAGE and (ASSETS_DIR / PLOTLY_LOCALE.format(name)).is_file():
            return PLOTLY_LOCALE.format(name)
    return None


def head_hook(head: Callable[[str], str]) -> IndexHook:
    """A hook that adds `head(the site's address as the request names it)` to the page's head, after the metas."""

    def hook(kwargs: dict[str, Any], request: flask.Request) -> dict[str, Any]:
        return {**kwargs, "metas": kwargs["metas"] + head(request.host_url)}

    return hook


def create_dash(model: Model, head: Callable[[str], str] | None = None) -> MapDash:
    """The Dash app for a read-only model: the map page, built for the view its address names, and its callbacks.
    `head`, given the request's site address, returns markup for the page's head (the composition root passes the
    Dataset's JSON-LD)."""
    # Process-wide: with orjson installed plotly first walks every answer in pure Python; the standard encoder
    # writes the same JSON in less than half the time (3.7 -> 1.6 ms per map answer, measured).
    plotly.io.json.config.default_engine = "json"
    app = MapDash(
        __name__,
        title=w.TITLE,  # in English; each page's own is its language's (language_hook)
        compress=True,  # gzip responses (flask-compress): the geometry is ~5x smaller on the wire
        assets_folder=str(ASSETS_DIR),
        # boot.js: the page loads it itself, before Dash's scripts; plotly's locales: only the page's own.
        assets_ignore="|".join([BOOT_SCRIPT.replace(".", r"\."), PLOTLY_LOCALE.format(".*").replace(".js", r"\.js")]),
        # The callbacks are tested against the layout; checking them in the browser would need the whole layout in
        # every page's config (Dash's validation_layout: the figure's geometry, sent again by /_dash-layout).
        suppress_callback_exceptions=True,
        update_title="",  # no "Updating..." in the tab title
        meta_tags=[  # the description is the view's language's (language_hook)
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
        ],
        index_string=INDEX_STRING,
    )
    table_rows = all_rows(model)  # built once, filtered per request
    pages = PageLayout(model, table_rows, topojson_url=app.get_asset_url("topojson/"))
    choices = choices_of(model.catalog, model.towns.index, model.agencies.index)
    first = first_view.FirstView(model, pages)
    app.index_hooks = (
        language_hook(model, choices),
        lazy_grid.index_hook(),
        first_view.index_hook(first, lambda: app.get_asset_url(BOOT_SCRIPT), lambda tag: locale_src(app, tag)),
        *([head_hook(head)] if head else []),
    )
    first_view.register(app.server, first, app.config.routes_pathname_prefix)

    def layout() -> Any:
        """The page at the view of the address that asks for it, so the first render changes nothing on screen."""
        # Dash asks for the layout without the page's query; the browser names the page in the Referer (same origin,
        # under our Referrer-Policy). No Referer, or outside a request (Dash's check at start): the default view.
        if not flask.has_request_context():
            return pages.for_view(view_of_referer(None, choices), None)
        referer = flask.request.headers.get("Referer")
        state = view_of_referer(referer, choices)
        # The same offer of another language as the first view's (the same browser asks): nothing appears or goes.
        return pages.for_view(
            state, suggested_language(flask.request.accept_languages, state.lang, referer_query(referer))
        )

    app.layout = layout
    page_path = app.config.routes_pathname_prefix
    layout_path = page_path + "_dash-layout"

    @app.server.after_request
    def vary_layout(response: flask.Response) -> flask.Response:
        request = flask.request
        if request.path == layout_path:
            response.vary.add("Referer")  # a cache must not hand one view's layout to another view's page
            if not names_language(referer_query(request.headers.get("Referer"))):
                response.vary.add("Accept-Language")  # it may offer the browser's language (suggested_language)
        elif request.path == page_path and "lang" not in request.args:  # as names_language reads a query
            response.vary.add("Accept-Language")
        return response

    callbacks.register(app, model, table_rows)
    return app


def locale_src(app: dash.Dash, tag: str) -> str | None:
    """The address of plotly's dictionary for a language tag (stamped as Dash stamps its assets), or None."""
    name = plotly_locale(tag)
    if name is None:
        return None
    return f"{app.get_asset_url(name)}?m={(ASSETS_DIR / name).stat().st_mtime}"
