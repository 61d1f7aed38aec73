"""The release of one data version: a folder and a zip archive, byte-identical whenever rebuilt from the same data.

Its files are in English (the README, the licence note, the Data Package, CITATION.cff and the tables alike), whatever
the language in use: one archive per data version, checked by its SHA256SUMS.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path

from dashboard import language
from dashboard.config import REPO_DIR, SOURCE_LANGUAGE
from dashboard.data.errors import DataError
from dashboard.data.model import Model
from dashboard.data.sources import read_bytes
from dashboard.data.version import release_date
from dashboard.exports.citation import citation_cff
from dashboard.exports.datapackage import PACKAGE_NAME, curated_files, data_package, package_json, published_texts
from dashboard.site.dictionary import SECTIONS
from dashboard.views import wording as w

SUMS = "SHA256SUMS"
#: Every file of the archive is a plain file readable by all, whoever built it.
_FILE_MODE = 0o100644
#: Compression level 9 of zlib: the same zlib gives the same bytes.
_LEVEL = 9


def release_name(model: Model) -> str:
    """The release's folder and archive stem: the package name and the data version."""
    return f"{PACKAGE_NAME}-{model.data_version}"


def _json(document: dict) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _openapi(model: Model, data_dir: Path) -> bytes:
    """The API's OpenAPI description, as the site serves it."""
    from dashboard.site.openapi import openapi_document

    return _json(openapi_document(model, data_dir))


def _tables_in_words(texts: Mapping[str, str]) -> list[tuple[str, str]]:
    """Each published table's files in the release with what its rows are, in the dictionary's order."""
    rows = []
    tables = w.DATA_TABLES
    for section in SECTIONS:
        if section.key in tables:
            name, what = tables[section.key]
            files = [f"`{section.key}.{ext}`" for ext in ("csv", "geojson") if f"{section.key}.{ext}" in texts]
            rows.append((", ".join(files), f"{name}: {what[:1].lower()}{what[1:]}"))
    return rows


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    """`sha256sum`'s own format, one line per file in path order: `sha256sum -c SHA256SUMS` checks them."""
    return "".join(f"{hashlib.sha256(files[p]).hexdigest()}  {p}\n" for p in sorted(files)).encode("utf-8")


def release_files(model: Model, data_dir: Path) -> dict[str, bytes]:
    """Every file of the release by its path in the folder: tables, data/, descriptions, licences, checksums; in
    English."""
    with language.speaking(SOURCE_LANGUAGE):
        return _release_files(model, data_dir)


def _release_files(model: Model, data_dir: Path) -> dict[str, bytes]:
    texts = published_texts(model)
    publication = model.publication
    files: dict[str, bytes] = {name: text.encode("utf-8") for name, text in texts.items()}
    for filename in curated_files(data_dir):
        files[f"data/{filename}"] = read_bytes(data_dir / filename)
    files["datapackage.json"] = package_json(data_package(model, data_dir, texts)).encode("utf-8")
    files["openapi.json"] = _openapi(model, data_dir)
    files["CITATION.cff"] = citation_cff(model, data_dir).encode("utf-8")
    files["LICENSE"] = read_bytes(REPO_DIR / "LICENSE")
    licence = f"{publication['data_licence_title']} ({publication['data_licence']})"
    files["DATA-LICENCE.md"] = w.data_licence_text(
        publication["data_licence_title"],
        publication["data_licence"],
        publication["data_licence_url"],
        publication["credit"],
        publication["code_licence_title"],
    ).encode("utf-8")
    files["README.md"] = w.release_readme(
        publication["title"],
        model.data_version,
        release_date(data_dir),
        w.DATASET_DESCRIPTION,
        _tables_in_words(texts),
        licence,
    ).encode("utf-8")
    files[SUMS] = sha256sums(files)
    return dict(sorted(files.items()))


def archive_bytes(files: Mapping[str, bytes], root: str, released: str) -> bytes:
    """A zip of the files under one folder: sorted entries, each dated the release day at midnight, mode 644."""
    year, month, day = (int(part) for part in released.split("-"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=(year, month, day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the mode below is read
            info.external_attr = _FILE_MODE << 16
            archive.writestr(info, files[name], compresslevel=_LEVEL)
    return buffer.getvalue()


def _clear(folder: Path) -> None:
    """Remove an earlier build of the release folder; refuse to remove a folder that is not one."""
    if not folder.exists():
        return
    if not (folder / SUMS).is_file():
        raise DataError(folder, "exists and is not a release folder (it has no SHA256SUMS)", fix="move it away")
    shutil.rmtree(folder)


def write_release(model: Model, data_dir: Path, out_dir: Path) -> Path:
    """Write DIR/<name>/ (the files, unpacked) and DIR/<name>.zip; the archive's path."""
    files = release_files(model, data_dir)
    name = release_name(model)
    folder = out_dir / name
    _clear(folder)
    for path, content in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    archive = out_dir / f"{name}.zip"
    archive.write_bytes(archive_bytes(files, name, release_date(data_dir)))
    return archive
