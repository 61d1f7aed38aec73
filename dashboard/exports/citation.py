"""CITATION.cff (Citation File Format 1.2.0) of the compiled data, from data/: the publication and the changelog."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard import language
from dashboard.config import SOURCE_LANGUAGE
from dashboard.data.model import Model
from dashboard.data.version import release_date
from dashboard.exports.datapackage import boundary_provenance, plain_description
from dashboard.site.source import source_block
from dashboard.views import wording as w

#: The first line of the file: it is made, not written by hand.
GENERATED = "# Made by `python -m dashboard release --citation CITATION.cff` from data/: do not edit by hand."


def _q(text: str) -> str:
    """A YAML scalar in double quotes: JSON's string syntax is YAML's double-quoted style."""
    return json.dumps(text, ensure_ascii=False)


def citation_cff(model: Model, data_dir: Path) -> str:
    """The citation of the data version: title, creator, licence, version, release date, abstract, sources. In
    English, as every file of the release (one file per data version, read by citation tools)."""
    with language.speaking(SOURCE_LANGUAGE):
        return _citation_cff(model, data_dir)


def _citation_cff(model: Model, data_dir: Path) -> str:
    publication = model.publication
    source = source_block(model, data_dir)
    lines = [
        GENERATED,
        "cff-version: 1.2.0",
        f"message: {_q(w.CITE_MESSAGE)}",
        "type: dataset",
        f"title: {_q(publication['title'])}",
        f"version: {_q(model.data_version)}",
        # The changelog's latest date: the day the data was last corrected, as the version names it.
        f"date-released: {_q(release_date(data_dir))}",
        f"abstract: {_q(plain_description())}",
        "authors:",
        f"  - name: {_q(publication['creator'])}",
        f"license: {_q(publication['data_licence'])}",
        "keywords:",
        *(f"  - {_q(word)}" for word in w.DATASET_KEYWORDS),
        "references:",
        "  - type: website",
        f"    title: {_q(source['title'])}",
        "    authors:",
        f"      - name: {_q(w.SOURCE_PUBLISHER)}",
        f"    url: {_q(source['url'])}",
        f"    notes: {_q(publication['credit'])}",
    ]
    layer = boundary_provenance(model)
    if layer:
        lines += [
            "  - type: data",
            f"    title: {_q(layer['layer'])}",
            "    authors:",
            f"      - name: {_q(layer['publisher'])}",
        ]
    return "\n".join(lines) + "\n"
