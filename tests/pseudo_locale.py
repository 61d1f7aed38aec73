"""A pseudo-language for the translation gates: every message of the catalogue template, accented, each word 40% longer.

It is installed as a new catalogue (Esperanto's locale, which the map does not ship, for CLDR dates and numbers),
exactly as a new language would be, so a test finds what a new language would miss: a visible English word that
never went through the catalogue, a broken placeholder, or a layout that overflows with longer words.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from dashboard.config import LOCALES_DIR, REPO_DIR
from dashboard.translations import COMMENT_TAG, KEYWORDS

CODE = "eo"
#: Letters the pseudo-language writes for ASCII ones: readable, and never found in an English word.
_ACCENTED = str.maketrans("aceinousyACEINOUSY", "áçéîñöûšýÁÇÉÎÑÖÛŠÝ")
_WORD = re.compile(r"[A-Za-z]+")
#: Kept as written: placeholders, and markup a message carries (a link in a template's sentence).
_PLACEHOLDER = re.compile(r"(\{[^{}]*\}|%\([a-z_]+\)[sd]|%[sd]|<[^<>]*>)")
PAD = "~"
#: A word of the pseudo-language: it holds an accented letter or the padding.
PSEUDO_WORD = re.compile(r"[áçéîñöûšýÁÇÉÎÑÖÛŠÝ~]")


def pseudo(message: str) -> str:
    """The message with its letters accented (placeholders kept) and every word 40% longer ('Open' -> 'Öpéñ~~'):
    longer words, as a longer language has, not one long run that no language writes."""
    parts = _PLACEHOLDER.split(message)
    out = []
    for part in parts:
        if _PLACEHOLDER.fullmatch(part):
            out.append(part)
        else:
            out.append(_WORD.sub(lambda m: m[0].translate(_ACCENTED) + PAD * max(1, round(len(m[0]) * 0.4)), part))
    return "".join(out)


def template() -> Catalog:
    """The catalogue template extracted now from the code, the templates and data/ (as `translations.extract`)."""
    with tempfile.TemporaryDirectory() as folder:
        pot = Path(folder) / "messages.pot"
        args = ["pybabel", "-q", "extract", "-F", "babel.cfg", "-o", str(pot), "--no-wrap", "--omit-header"]
        args += [f"--keyword={k}" for k in KEYWORDS] + [f"--add-comments={COMMENT_TAG}", "."]
        with contextlib.chdir(REPO_DIR), contextlib.redirect_stderr(io.StringIO()):
            CommandLineInterface().run(args)
        with pot.open("rb") as handle:
            return read_po(handle)


def write_locales(target: Path) -> Path:
    """A locales folder holding the shipped catalogues and the pseudo-language's; returns the folder."""
    shutil.copytree(LOCALES_DIR, target, dirs_exist_ok=True)
    catalogue = Catalog(locale=CODE)
    for message in template():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            string: str | tuple[str, ...] = tuple(pseudo(form) for form in message.id)
        else:
            string = pseudo(message.id)
        catalogue.add(message.id, string, flags=message.flags, context=message.context)
    path = target / CODE / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue)
    return target
