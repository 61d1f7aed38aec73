"""The catalogues the project ships, read once per test process as the app reads them (`read_catalogue`), by a
language's code in addresses ("es", "pt"): what the tests compare pages, slides and sentences with."""

from __future__ import annotations

from functools import cache

from babel import Locale
from babel.messages.catalog import Catalog

from dashboard.config import LOCALES_DIR
from dashboard.data.sources import read_catalogue


@cache
def shipped(code: str) -> Catalog:
    """A shipped language's catalogue ('es': es/, 'pt': pt_BR/), as its translators edit it; read-only."""
    (path,) = [
        po
        for po in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po")
        if Locale.parse(po.parent.parent.name).language == code  # a language's code is its locale's language
    ]
    return read_catalogue(path)


def by_message(code: str) -> dict[str, object]:
    """Its translations by English message (a plural message by its singular, with all its forms)."""
    return {(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in shipped(code) if m.id}
