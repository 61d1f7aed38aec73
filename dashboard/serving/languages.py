"""The language of a request: `/es/…` and `/pt/…` for the site's pages, `lang=` for the map's views.

The prefix is taken off before Flask routes the request, so every page has one route and one handler; the language
in use is then set for the request (dashboard.language), and every renderer words the page in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import flask
from werkzeug.wrappers import Response

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE

ENVIRON_KEY = "dashboard.language"


class LanguagePrefix:
    """WSGI middleware: '/es/town/boston' is routed as '/town/boston', with Spanish recorded in the environ."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, wsgi: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = wsgi.get("PATH_INFO", "")  # the WSGI request's path, not a setting
        head, _, rest = path.lstrip("/").partition("/")
        code = language.known(head)
        if code and code != SOURCE_LANGUAGE:
            wsgi[ENVIRON_KEY] = code
            wsgi["PATH_INFO"] = "/" + rest
        return self.app(wsgi, start_response)


def register_languages(server: flask.Flask, map_path: str = "/") -> None:
    """Take the language off the address, set it for each request, and send '/es/' to the map with `lang=es`."""
    server.wsgi_app = LanguagePrefix(server.wsgi_app)  # type: ignore[method-assign,assignment]

    @server.before_request
    def choose_language() -> Response | None:
        prefixed = flask.request.environ.get(ENVIRON_KEY)
        if prefixed and flask.request.path == map_path:
            # The map's views name their language in the query, as every other choice of the view.
            query = [(k, v) for k, v in parse_qsl(flask.request.query_string.decode("latin-1")) if k != "lang"]
            return flask.redirect(map_path + "?" + urlencode([*query, ("lang", prefixed)]), 301)
        # Read as the map's views read it (dashboard.state.view.parse_query): "ES " is Spanish there, and here.
        language.set_language(prefixed or flask.request.args.get("lang", "").strip().lower())
        return None

    @server.teardown_request
    def forget_language(_error: BaseException | None) -> None:
        # A thread serves request after request (and a test client runs in the test's thread): the next one starts
        # in English unless its address says otherwise.
        language.set_language(None)
