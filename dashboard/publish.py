"""The static snapshot: `python -m dashboard publish DIR` writes every answer that needs no Python at request time.

Every page and API answer is the live site's own, asked of the app through Flask's test client with the configured
public address (there is no second way to build a page), then written at a file name a plain static host serves at
the same address: a page `/town/boston` as `town/boston/index.html` (the host's directory index; `/town/boston`
redirects to `/town/boston/`), a file with an extension (`/download/towns.csv`, `/sitemap.xml`, `/town/boston.png`)
under its own name. Three kinds of link change on the way, by `static_link` alone:
- an API answer is a `.json` file (`/api/v1/towns/boston` -> `/api/v1/towns/boston.json`: `/api/v1/towns` is both a
  list and a folder, and hosts name a file's type by its extension); `_redirects` maps the live addresses onto them
  for hosts that read it (Netlify, Cloudflare Pages);
- what needs the live app (the map and its views, `/api/v1/view`, images of any view, the search and compare forms,
  and link-card images when the snapshot is built without them) points at the live app's address
  (DASHBOARD_APP_URL, by default DASHBOARD_PUBLIC_URL);
- nothing else.
A page in another language is the same page under its language's prefix (`/es/town/boston` ->
`es/town/boston/index.html`, `/es/api/v1/towns` -> `es/api/v1/towns.json`); the map's `/es/` is the live app's.
Pages are found as a visitor finds them: from the sitemap's, the API's and the downloads' addresses, following every
link. The same data gives the same bytes: no clock, sorted output, images dated by the data's latest change.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dashboard import language
from dashboard.config import ENV_PUBLIC_URL, SOURCE_LANGUAGE, Config
from dashboard.data.errors import DataError
from dashboard.data.model import Model

#: The record of what a snapshot holds: its data version, addresses and every file with its size and sha256.
MANIFEST = "snapshot.json"
NOT_FOUND_FILE = "404.html"
#: The address asked for the 404 page: any address that is no page gives the same page.
NOT_FOUND_PATH = "/404"
API = "/api/v1"
API_LISTS = ("towns", "agencies", "events", "records")
OPENAPI_PATH = f"{API}/openapi.json"
_TOWN_ANSWER = re.compile(rf"{API}/towns/[a-z0-9][a-z0-9-]*")
#: Addresses only the live app answers: the map and its scripts, the view's twin, images of any view, the forms.
_APP_PREFIXES = ("/_dash-", "/assets/", "/image/", "/_favicon")
_APP_PATHS = frozenset({"/", f"{API}/view", "/compare", "/compare/", "/search", "/healthz"})
#: The site's links: attributes holding an address, their value as written (HTML-escaped).
_ATTRIBUTE = re.compile(r'\b(href|src|action|content)="([^"]*)"')
IMAGE_SUFFIX = ".png"


# -- the address mapping (pure) --


def language_of(path: str) -> tuple[str, str]:
    """An address's language prefix and the address without it: ('es', '/town/boston'), ('', '/town/boston')."""
    head, _, rest = path.lstrip("/").partition("/")
    code = language.known(head)
    if code and code != SOURCE_LANGUAGE:
        return code, "/" + rest
    return "", path


def api_file(path: str) -> str | None:
    """The file an API answer is written to (`/api/v1/towns` -> `api/v1/towns.json`, `/es/api/v1/towns` ->
    `es/api/v1/towns.json`), None for any other address."""
    code, path = language_of(path)
    folder = f"{code}/" if code else ""
    if path == OPENAPI_PATH:
        return folder + path[1:]
    if path in {f"{API}/{name}" for name in API_LISTS} or _TOWN_ANSWER.fullmatch(path):
        return folder + path[1:] + ".json"
    return None


def is_not_found_page(path: str) -> bool:
    """Whether the address is the 404 page's, in any language (its language switch links to the others)."""
    return language_of(path)[1] == NOT_FOUND_PATH


def file_for(path: str) -> str:
    """The file, relative to the snapshot's folder, a static host serves at a live address's path."""
    answer = api_file(path)
    if answer is not None:
        return answer
    if path == NOT_FOUND_PATH:
        return NOT_FOUND_FILE
    last = path.rsplit("/", 1)[-1]
    if "." in last:  # a file with its type in its name: /sitemap.xml, /download/towns.csv, /town/boston.png
        return path.lstrip("/")
    # A page: its folder's index, which static hosts serve at the folder's address (after a slash is added).
    folder = path.strip("/")
    return f"{folder}/index.html" if folder else "index.html"


def address_of(file: str) -> str | None:
    """The live address a snapshot file answers (the inverse of `file_for`); None for the host's own files (the
    manifest, `_redirects`, `_headers`, the 404 page) and for the front page, which stands in for the map."""
    if file in (MANIFEST, "_redirects", "_headers", NOT_FOUND_FILE, "index.html"):
        return None
    if file.endswith("/index.html"):
        path = "/" + file.removesuffix("index.html")
        return path if path == f"{API}/" else path.rstrip("/")
    code, rest = language_of("/" + file)
    if rest.startswith(f"{API}/") and file.endswith(".json") and rest != OPENAPI_PATH:
        return "/" + file.removesuffix(".json")
    return "/" + file


def needs_app(path: str, query: str, attribute: str) -> bool:
    """Whether only the live app can answer: the map, its view twin, images of any view, a search or a form."""
    path = language_of(path)[1]
    if path in _APP_PATHS or path.startswith(_APP_PREFIXES):
        return True
    # The search's listing is in the snapshot; a search (a query, or the form that sends one) is not.
    return path == "/town-search" and (bool(query) or attribute == "action")


@dataclass(frozen=True)
class Links:
    """How the snapshot writes an address: its public address, the live app's, and whether images are in it."""

    public_url: str
    app_url: str
    images: bool = True

    def local(self, value: str) -> str | None:
        """The root-relative address a link's value names on this site, None for another site or a fragment."""
        if value.startswith(self.public_url + "/"):
            return value[len(self.public_url) :]
        if value.startswith("/") and not value.startswith("//"):
            return value
        return None

    def to_app(self, path: str, query: str, attribute: str) -> bool:
        """Whether a link to this address goes to the live app."""
        if needs_app(path, query, attribute):
            return True
        return not self.images and path.endswith(IMAGE_SUFFIX)


def static_link(value: str, attribute: str, links: Links) -> str:
    """A link as the snapshot writes it (the value as written in HTML): an API answer at its file, what needs the live
    app at the app's address, anything else as the site wrote it."""
    local = links.local(value)
    if local is None or attribute == "content" and local == value:
        return value  # another site, a fragment, or a meta value that is no address
    parts = urlsplit(html.unescape(local))
    if links.to_app(parts.path, parts.query, attribute):
        return links.app_url + local
    answer = api_file(parts.path)
    if answer is not None and not parts.query:
        return value[: len(value) - len(local)] + "/" + answer
    return value


def rewrite_page(text: str, links: Links) -> str:
    """Every address-holding attribute of a page, written by `static_link`."""
    return _ATTRIBUTE.sub(lambda m: f'{m[1]}="{static_link(m[2], m[1], links)}"', text)


def internal_paths(text: str, links: Links) -> set[str]:
    """The site's own addresses a page (as the site wrote it) links to that the snapshot must hold."""
    found = set()
    for attribute, value in _ATTRIBUTE.findall(text):
        local = links.local(value)
        if local is None or attribute == "content" and local == value:
            continue
        parts = urlsplit(html.unescape(local))
        if parts.path and not links.to_app(parts.path, parts.query, attribute):
            found.add(parts.path)
    return found


def sha256(data: bytes) -> str:
    """The hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def manifest(version: str, links: Links, files: Mapping[str, bytes]) -> bytes:
    """snapshot.json: the data version, the addresses it was built for, and every file, sorted, with size and hash."""
    body = {
        "data_version": version,
        "public_url": links.public_url,
        "app_url": links.app_url,
        "images": links.images,
        "files": [{"path": p, "bytes": len(files[p]), "sha256": sha256(files[p])} for p in sorted(files)],
    }
    return (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode()


def redirects_file(links: Links) -> bytes:
    """`_redirects` (Netlify, Cloudflare Pages): the API's live addresses served from their files, and what needs the
    live app sent there."""
    lines = ["# The API's live addresses, answered from their .json files (200: a rewrite, the address stays)."]
    lines += [f"{API}/{name} /{api_file(f'{API}/{name}')} 200" for name in API_LISTS]
    lines += [f"{API}/towns/:slug {API}/towns/:slug.json 200"]
    lines += ["# What only the live app answers."]
    lines += [f"{API}/view {links.app_url}{API}/view 302", f"/image/* {links.app_url}/image/:splat 302"]
    lines += [f"{p} {links.app_url}{p} 302" for p in ("/compare", "/search")]
    return ("\n".join(lines) + "\n").encode()


def headers_file(rules: Mapping[str, Mapping[str, str]]) -> bytes:
    """`_headers` (Netlify, Cloudflare Pages): per address pattern, the headers the live app sends there."""
    blocks = []
    for pattern in sorted(rules):
        blocks.append(pattern + "\n" + "".join(f"  {k}: {v}\n" for k, v in sorted(rules[pattern].items())))
    return "".join(blocks).encode()


# -- the build --


@dataclass
class Snapshot:
    """The files of a snapshot by path, and what could not be written."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    images: list[tuple[str, str, str]] = field(default_factory=list)  # (path, kind, name) for the pool to draw


#: Headers a static host should send, taken from the live answers (the rest are the host's own).
_SITE_HEADERS = (
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
)
_API_HEADERS = ("Access-Control-Allow-Origin", "Access-Control-Expose-Headers")
_DOWNLOAD_HEADERS = ("Content-Type", "Content-Disposition", "Link")


@contextmanager
def _public_url(value: str) -> Iterator[None]:
    """The app built inside reads this public address (the site reads DASHBOARD_PUBLIC_URL when it is built)."""
    before = os.environ.get(ENV_PUBLIC_URL)
    os.environ[ENV_PUBLIC_URL] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_PUBLIC_URL, None)
        else:
            os.environ[ENV_PUBLIC_URL] = before


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def seeds(towns_answer: bytes) -> list[str]:
    """The addresses a snapshot starts from: the sitemap's pages, the API's answers, downloads, sitemap and robots."""
    from dashboard.serving.downloads import DOWNLOADS, download_url

    slugs = sorted(str(row["slug"]) for row in json.loads(towns_answer)["data"])
    paths = ["/town-search", "/sitemap.xml", "/robots.txt", f"{API}/", OPENAPI_PATH, NOT_FOUND_PATH]
    paths += [f"{API}/{name}" for name in API_LISTS] + [f"{API}/towns/{slug}" for slug in slugs]
    paths += [download_url(name) for name in sorted(DOWNLOADS)]
    return paths


def _sitemap_paths(sitemap: bytes, public_url: str) -> list[str]:
    return [u[len(public_url) :] or "/" for u in re.findall(r"<loc>([^<]+)</loc>", sitemap.decode())]


def build(model: Model, config: Config, links: Links) -> tuple[Snapshot, dict[str, dict[str, str]]]:
    """Ask the app for every address the snapshot holds, following links; the files (pages rewritten by
    `rewrite_page`), the images to draw, what failed, and the headers a host should send."""
    from dashboard.server import create_app

    with _public_url(links.public_url):
        app = create_app(model, config.frame_ancestors, config.data_dir, config.cache_dir)
    client = app.server.test_client()
    base = _origin(links.public_url)
    snap = Snapshot()
    headers: dict[str, dict[str, str]] = {}

    def ask(path: str) -> tuple[int, dict[str, str], bytes]:
        response = client.get(path, base_url=base)
        return response.status_code, dict(response.headers), response.get_data()

    status, _, towns_answer = ask(f"{API}/towns")
    if status != 200:
        raise DataError(f"{API}/towns", f"the app answered {status}", fix="run python -m dashboard check")
    todo = seeds(towns_answer)
    _, _, sitemap = ask("/sitemap.xml")
    todo += [p for p in _sitemap_paths(sitemap, links.public_url) if not links.to_app(p, "", "href")]
    done: set[str] = set()
    while todo:
        path = todo.pop(0)
        if path in done:
            continue
        done.add(path)
        if path.endswith(IMAGE_SUFFIX):
            snap.images.append((path, *_image_job(path)))
            continue
        status, answer_headers, body = ask(path)
        if status != (404 if is_not_found_page(path) else 200):
            snap.problems.append(f"{path}: the app answered {status}")
            continue
        if is_not_found_page(path) and path != NOT_FOUND_PATH:
            continue  # a host has one 404 page: the English one, whose switch leads to the others' languages
        if answer_headers.get("Content-Type", "").startswith("text/html"):
            text = body.decode()
            todo += sorted(internal_paths(text, links) - done)
            body = rewrite_page(text, links).encode()
            headers.setdefault("/*", {k: answer_headers[k] for k in _SITE_HEADERS if k in answer_headers})
        elif language_of(path)[1].startswith(API):
            headers.setdefault(f"{API}/*", {k: answer_headers[k] for k in _API_HEADERS if k in answer_headers})
        elif path.startswith("/download/"):
            headers[path] = {k: answer_headers[k] for k in _DOWNLOAD_HEADERS if k in answer_headers}
        snap.files[file_for(path)] = body
    if "town-search/index.html" in snap.files:
        # The host's front page: the list of every town and agency (the map itself is the live app's).
        snap.files["index.html"] = snap.files["town-search/index.html"]
    if not links.images:
        snap.images = []
    csp = headers.get("/*", {}).get("Content-Security-Policy")
    if csp:  # the search and compare forms send their query to the live app
        headers["/*"]["Content-Security-Policy"] = csp.replace(
            "form-action 'self'", f"form-action 'self' {_origin(links.app_url)}"
        )
    return snap, headers


def _image_job(path: str) -> tuple[str, str]:
    """What an image address shows: ('town', slug), ('agency', id) or ('compare', 'a+b'), as language/kind."""
    code, path = language_of(path)
    kind, _, name = path.strip("/").partition("/")
    return (f"{code}/{kind}" if code else kind), name.removesuffix(IMAGE_SUFFIX)


def draw_images(jobs: Iterable[tuple[str, str, str]], draw: Callable[[str, str], bytes]) -> dict[str, bytes]:
    """Each image job's bytes by file path, drawn by `draw(kind, name)` (kind prefixed by a language: 'es/town')."""
    return {file_for(path): draw(kind, name) for path, kind, name in jobs}


def pool_drawer(model: Model, config: Config) -> Callable[[str, str], bytes]:
    """Draw a link card or compare slide through the render pool (its disk cache), dated by the data's latest change
    so that the same data gives the same image."""
    from datetime import date

    from dashboard.data.version import release_date
    from dashboard.exports.render_pool import shared_pool
    from dashboard.site.compare import parse_spec
    from dashboard.site.preview import PREVIEW_FORMAT, PREVIEW_SIZE
    from dashboard.site.slugs import build_directory
    from dashboard.state.view import view

    pool = shared_pool(config.cache_dir)
    day = date.fromisoformat(release_date(config.data_dir))
    directory = build_directory(model)

    def draw(kind: str, name: str) -> bytes:
        code, _, kind = kind.rpartition("/")
        lang = code or SOURCE_LANGUAGE
        if kind == "compare":
            parsed = parse_spec(directory, name)
            town_ids = tuple(directory.town_id(p.key) for p in parsed.towns)
            with language.speaking(lang):
                return pool.render_compare(model, town_ids, PREVIEW_FORMAT, exported=day).data
        place = {"town": directory.town_id(name)} if kind == "town" else {"agency": name}
        state = view(model.catalog, lang=lang, **place)
        return pool.render(model, state, PREVIEW_FORMAT, PREVIEW_SIZE, exported=day).data

    return draw


def check_folder(out: Path) -> None:
    """A DataError unless `out` is new, empty, or an earlier snapshot (which publishing replaces)."""
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise DataError(out, "is not empty and holds no snapshot", fix="name an empty or new folder")


def write_snapshot(out: Path, files: Mapping[str, bytes]) -> None:
    """Write the files under `out`, emptied first if it holds an earlier snapshot; refuse a folder that holds
    anything else."""
    check_folder(out)
    if out.exists():
        shutil.rmtree(out)
    for path in sorted(files):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path])


def publish(
    model: Model,
    config: Config,
    out: Path,
    *,
    images: bool = True,
    progress: Callable[[str], None] | None = None,
) -> dict[str, bytes]:
    """Build the snapshot of the site into `out` (see the module's description); returns its files by path. A link
    the app does not answer, or a missing public address, is a DataError."""
    from dashboard.data.version import data_version

    if not config.public_url:
        raise DataError(
            ENV_PUBLIC_URL,
            "is not set: a snapshot's canonical links, sitemap and link cards need the address it is published at",
            fix=f"set {ENV_PUBLIC_URL}=https://map.example.org or pass --public-url",
        )
    check_folder(out)  # before the build, which takes a while
    links = Links(config.public_url, config.app_url or config.public_url, images)
    snap, headers = build(model, config, links)
    if snap.problems:
        raise DataError(out, "links the app does not answer: " + "; ".join(snap.problems), fix="fix the site's links")
    files = dict(snap.files)
    if images:
        if progress:
            progress(f"drawing {len(snap.images)} images (kept in the drawing cache)")
        files.update(draw_images(snap.images, pool_drawer(model, config)))
    files["_redirects"] = redirects_file(links)
    files["_headers"] = headers_file(headers)
    files[MANIFEST] = manifest(data_version(config.data_dir), links, files)
    write_snapshot(out, files)
    return files
