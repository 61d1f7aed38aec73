"""The site's one Jinja environment: every page is a template with autoescaping, made once for the process.

Text from the data and the request is escaped on output, always. The only markup a template receives as markup is
a locator map (`trusted`), which site/locator.py draws itself from the boundaries, its label escaped there.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from dashboard import language
from dashboard.views.wording import Em, Link, Quote, Strong

ENVIRONMENT = Environment(
    loader=PackageLoader("dashboard.site", "templates"),
    extensions=["jinja2.ext.i18n"],
    autoescape=True,
    undefined=StrictUndefined,  # a name missing from a page's values is a failure, never an empty string
    trim_blocks=True,
    lstrip_blocks=True,
)
# {% trans %} and _() in templates: the language in use, with placeholders escaped (newstyle gettext).
ENVIRONMENT.install_gettext_callables(  # type: ignore[attr-defined]
    language.gettext, language.ngettext, newstyle=True, pgettext=language.pgettext
)
ENVIRONMENT.globals.update(localized=language.localized, number=language.number)
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
