"""The site's one Jinja environment: every page is a template with autoescaping, made once for the process.

Text from the data and the request is escaped on output, always. The only markup a template receives as markup is
a locator map (`trusted`), which site/locator.py draws itself from the boundaries, its label escaped there.

Every word of a template is a message (`{{ _("…") }}`, `{% trans %}`) in the language in use, and every address of
this site in a template goes through `href`: a page keeps the visitor's language, the map names it in its query.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.views import wording
from dashboard.views.wording import Em, Link, Quote, Strong

#: The map page: one address for every language, its language in the query (`lang=`, as every choice of its view).
MAP_PATH = "/"
#: Addresses that are the same in every language: files and the app's own assets.
_UNPREFIXED = ("/download/", "/assets/", "/_")

ENVIRONMENT = Environment(
    loader=PackageLoader("dashboard.site", "templates"),
    extensions=["jinja2.ext.i18n"],
    autoescape=True,
    undefined=StrictUndefined,  # a name missing from a page's values is a failure, never an empty string
    trim_blocks=True,
    lstrip_blocks=True,
)
# {% trans %} blocks are read as one line, as babel.cfg extracts them (trimmed): the message found is the one asked.
ENVIRONMENT.policies["ext.i18n.trimmed"] = True
# {% trans %} and _() in templates: the language in use, with placeholders escaped (newstyle gettext).
ENVIRONMENT.install_gettext_callables(  # type: ignore[attr-defined]
    language.gettext, language.ngettext, newstyle=True, pgettext=language.pgettext
)


def map_address(query: str = "", code: str | None = None) -> str:
    """The map's address with this query, in a language (the one in use by default): '/?town=35&lang=es'."""
    code = language.current().code if code is None else code
    parts = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "lang"]
    if code != SOURCE_LANGUAGE:
        parts.append(("lang", code))
    return MAP_PATH + ("?" + urlencode(parts, safe=",") if parts else "")


def href(address: str, code: str | None = None) -> str:
    """An address of this site in a language (the one in use by default): a page under its language's prefix
    ('/es/town/boston'), the map with `lang=`; another site's address, a fragment, a file or one already in a
    language as it is."""
    if not address.startswith("/") or address.startswith("//"):
        return address
    path, _, query = address.partition("?")
    if path == MAP_PATH:
        if code is None and "lang=" in query:
            return address  # a view that names its language already (parts.map_href)
        return map_address(query, code)
    head = path.split("/", 2)[1]
    if path.startswith(_UNPREFIXED) or (language.known(head) and head != SOURCE_LANGUAGE):
        return address
    return language.localized(address, code)


def speaking() -> str:
    """The code of the language in use: 'en', 'es', 'pt'."""
    return language.current().code


ENVIRONMENT.globals.update(
    localized=href, number=language.number, speaking=speaking, translation_note=wording.translation_note
)
# A sentence's segments, told apart in templates (macros.html renders each kind).
ENVIRONMENT.tests.update(
    link=lambda s: isinstance(s, Link),
    quote=lambda s: isinstance(s, Quote),
    strong=lambda s: isinstance(s, Strong),
    em=lambda s: isinstance(s, Em),
)


def render(template: str, **values: Any) -> Markup:
    """A template rendered with these values: HTML whose every value was escaped (hence markup)."""
    return Markup(ENVIRONMENT.get_template(template).render(**values))


def trusted(svg: str) -> Markup:
    """A locator map drawn by site/locator.py, the one piece of markup the pages take as it is."""
    return Markup(svg)
