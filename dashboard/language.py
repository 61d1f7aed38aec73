"""The languages the map speaks, and the one in use.

Each language is a gettext catalogue in `config.LOCALES_DIR` (`<locale>/LC_MESSAGES/messages.po`, the standard
layout that `pybabel extract/update/compile` and translators' tools work with); English is the words in the code.
A new language is a new catalogue and nothing more: its address code, its own name, its dates and numbers come from
the catalogue's locale through Babel (CLDR).

The language in use is a context variable, set once per request (from the address) or per callback (from the view
state), so that every renderer words the same facts in the same language without passing it through each function.
Every string handed out is a plain `str`: plotly's JSON encoder takes nothing lazy.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.numbers import format_decimal
from babel.support import Translations

from dashboard import config
from dashboard.data.errors import DataError


@dataclass(frozen=True)
class Language:
    """One language of the map: its code in addresses, its CLDR locale and its translations."""

    code: str  # in addresses: /es/…, lang=es
    locale: Locale
    translations: _gettext.NullTranslations

    @property
    def tag(self) -> str:
        """Its BCP 47 tag, for `lang` attributes, hreflang and plotly's locale: 'en', 'es', 'pt-BR'."""
        return "-".join(part for part in (self.locale.language, self.locale.territory) if part)

    @property
    def name(self) -> str:
        """Its name in itself, as a language switch offers it: 'English', 'Español', 'Português'."""
        own = self.locale.get_language_name(self.locale) or self.code
        return own[:1].upper() + own[1:]


def _source_language() -> Language:
    return Language(config.SOURCE_LANGUAGE, Locale.parse("en"), _gettext.NullTranslations())


def read_languages(locales_dir: Path) -> dict[str, Language]:
    """English, then every catalogue under `locales_dir` by code; a catalogue Babel cannot read is a DataError."""
    # Here, not at the top: data/ marks its own messages with this module's N_, and sources reads data/.
    from dashboard.data.sources import read_catalogue

    found = {config.SOURCE_LANGUAGE: _source_language()}
    for po in sorted(locales_dir.glob("*/LC_MESSAGES/messages.po")):
        name = po.parent.parent.name
        try:
            locale = Locale.parse(name)
        except (ValueError, TypeError) as exc:
            raise DataError(
                po, f"'{name}' is not a locale Babel knows", fix="name the folder by its locale: es, pt_BR"
            ) from exc
        catalogue = read_catalogue(po)
        binary = io.BytesIO()
        write_mo(binary, catalogue)  # fuzzy entries are left out: a guess is not a translation
        binary.seek(0)
        language = Language(locale.language, locale, Translations(binary))
        if language.code in found:
            raise DataError(po, f"a second catalogue for the language '{language.code}'", fix="keep one per language")
        found[language.code] = language
    return found


_installed: dict[str, Language] | None = None
_current: ContextVar[str] = ContextVar("language", default=config.SOURCE_LANGUAGE)


def languages() -> dict[str, Language]:
    """The map's languages by code, English first (read once from the catalogues)."""
    global _installed
    if _installed is None:
        _installed = read_languages(config.LOCALES_DIR)
    return _installed


def install(found: dict[str, Language] | None) -> None:
    """Speak these languages from now on (None: the shipped catalogues, read again when next asked)."""
    global _installed
    _installed = found
    _formatted.cache_clear()


def known(code: object) -> str | None:
    """A language code the map speaks, or None."""
    return code if isinstance(code, str) and code in languages() else None


def current() -> Language:
    """The language in use."""
    return languages().get(_current.get()) or languages()[config.SOURCE_LANGUAGE]


@contextmanager
def speaking(code: str | None) -> Iterator[Language]:
    """Word everything inside in this language (the source language for an unknown code)."""
    token = _current.set(known(code) or config.SOURCE_LANGUAGE)
    try:
        yield current()
    finally:
        _current.reset(token)


def set_language(code: str | None) -> None:
    """Word the rest of this request in this language (the source language for an unknown code)."""
    _current.set(known(code) or config.SOURCE_LANGUAGE)


def localized(path: str, code: str | None = None) -> str:
    """A site path in a language (the one in use by default): '/town/boston' is '/es/town/boston' in Spanish.

    The map page itself is one address for every language, its `lang=` in the query (dashboard.state.view).
    """
    code = current().code if code is None else (known(code) or config.SOURCE_LANGUAGE)
    if code == config.SOURCE_LANGUAGE or not path.startswith("/"):
        return path
    return f"/{code}{path}"


def gettext(message: str) -> str:
    """A message in the language in use ('' stays '': gettext would answer the catalogue's header)."""
    return current().translations.gettext(message) if message else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """A message for a count in the language in use (its own plural rules)."""
    return current().translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """A message with a context, for English words that translate differently in different places."""
    return current().translations.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for it)
    """Marks a message for the catalogue where it is defined; it is translated where it is used."""
    return message


_ = gettext


def number(value: int | float) -> str:
    """A number as the language writes it: '1,235,949', '1.235.949'."""
    return _formatted("number", value, current().code)


def long_date(value: date) -> str:
    """A day as the language writes it: 'June 24, 2020', '24 de junio de 2020'."""
    return _formatted("day", value, current().code)


def month_year(value: date) -> str:
    """A month as the language writes it: 'June 2020', 'junio de 2020'."""
    return _formatted("month", value, current().code)


@cache
def _formatted(kind: str, value: object, code: str) -> str:
    locale = languages()[code].locale
    if kind == "number":
        return format_decimal(value, locale=locale)  # type: ignore[arg-type]
    if kind == "day":
        return format_date(value, "long", locale=locale)  # type: ignore[arg-type]
    return format_skeleton("yMMMM", value, locale=locale)  # type: ignore[arg-type]
