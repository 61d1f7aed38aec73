"""Paths and settings: defaults, overridden by environment variables or command-line options."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dashboard.data.errors import DataError

REPO_DIR = Path(__file__).resolve().parent.parent
#: The page's static files (stylesheet, browser-side helpers, plotly's local base-map stub).
ASSETS_DIR = REPO_DIR / "dashboard" / "web" / "assets"
TOPOJSON_DIR = ASSETS_DIR / "topojson"

#: Environment variables a deployment can set.
ENV_BOUNDARIES = "MA_TOWNS_GEOJSON"
ENV_DATA_DIR = "DASHBOARD_DATA_DIR"
ENV_CACHE_DIR = "DASHBOARD_CACHE_DIR"
ENV_FRAME_ANCESTORS = "DASHBOARD_FRAME_ANCESTORS"
ENV_PUBLIC_URL = "DASHBOARD_PUBLIC_URL"
ENV_CORRECTIONS_URL = "DASHBOARD_CORRECTIONS_URL"
ENV_APP_URL = "DASHBOARD_APP_URL"

#: The prepared copy the project ships (`python -m dashboard geodata build` makes it), so a clone runs alone.
DEFAULT_BOUNDARIES = REPO_DIR / "geodata" / "ma_towns.geojson"
DEFAULT_DATA_DIR = REPO_DIR / "data"
DEFAULT_CACHE_DIR = REPO_DIR / "geodata" / "cache"
#: The translations: one gettext catalogue per language (`<locale>/LC_MESSAGES/messages.po`), the template beside.
LOCALES_DIR = REPO_DIR / "dashboard" / "locales"
#: The language of a view that names none, and of the words in the code (the catalogues' message ids).
SOURCE_LANGUAGE = "en"

BOUNDARY_HELP = (
    "The boundaries are the MassGIS layer 'Municipalities' (TOWNSSURVEY_POLYM), free public data of the "
    "Commonwealth of Massachusetts. The project ships a prepared copy, geodata/ma_towns.geojson, read by default: "
    "if it is missing or damaged, restore it from the repository root with "
    "`git checkout -- geodata/ma_towns.geojson`. To rebuild it, download the layer from MassGIS (search "
    "'MassGIS Municipalities'), convert it to GeoJSON in longitude/latitude (for example "
    "`ogr2ogr -t_srs EPSG:4326 ma_towns.geojson TOWNSSURVEY_POLYM.shp`) and run "
    "`python -m dashboard geodata build --from ma_towns.geojson`. To use another file instead, set the "
    f"environment variable {ENV_BOUNDARIES}=/path/to/ma_towns.geojson or pass the option --boundaries: "
    "`python app.py --boundaries /path/to/ma_towns.geojson` or "
    "`python -m dashboard --boundaries /path/to/ma_towns.geojson check`. The file must hold the 351 towns with "
    "the fields TOWN, TOWN_ID, FIPS_STCO and POP2010."
)


#: One CSP source expression (CSP level 3): a keyword, a scheme (`https:`) or a host with optional scheme, port
#: and path (`https://example.org`, `*.example.org:8443`, `example.org/embed/`). Nothing here can end the
#: directive (`;`), start another list (`,`), quote, or break the header line.
_SCHEME = r"[A-Za-z][A-Za-z0-9+.-]*"
_HOST = r"(\*|(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*)"
_PORT = r"(:(\d{1,5}|\*))?"
_PATH = r"(/[A-Za-z0-9._~%!$&*+=:@/-]*)?"
_SOURCE = re.compile(rf"'self'|'none'|{_SCHEME}:|({_SCHEME}://)?{_HOST}{_PORT}{_PATH}")
FRAME_ANCESTORS_FIX = (
    f"set {ENV_FRAME_ANCESTORS} to the sites allowed to embed the page, separated by single spaces, e.g. "
    f"{ENV_FRAME_ANCESTORS}=\"https://example.org 'self' *.example.org\" (a scheme such as https:, a host with "
    "optional scheme, port and path, 'self' or 'none'; international names in their xn-- form), "
    "or leave it unset to refuse all framing"
)


def check_frame_ancestors(value: str) -> str:
    """The sources as the header will carry them, or a DataError naming the variable and the fix."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        # A line break here would split the Content-Security-Policy header: every response a 500.
        raise DataError(
            ENV_FRAME_ANCESTORS, "contains a line break or another control character", fix=FRAME_ANCESTORS_FIX
        )
    sources = value.split()
    for source in sources:
        if not _SOURCE.fullmatch(source):
            raise DataError(
                ENV_FRAME_ANCESTORS, f"{source!r} is not a source a browser accepts", fix=FRAME_ANCESTORS_FIX
            )
    if "'none'" in sources and len(sources) > 1:
        raise DataError(ENV_FRAME_ANCESTORS, "'none' cannot be combined with other sources", fix=FRAME_ANCESTORS_FIX)
    return " ".join(sources)


#: A public address's host: a name (its labels letters, digits and inner hyphens) or a bracketed IPv6 address,
#: with an optional port; and its path: plain segments, no query or fragment.
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
_PUBLIC_NETLOC = re.compile(rf"({_LABEL}(\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])(:(?P<port>\d{{1,5}}))?")
_PUBLIC_PATH = re.compile(r"(/[A-Za-z0-9_~%-][A-Za-z0-9._~%-]*)*/?")
PUBLIC_URL_FIX = (
    f"set {ENV_PUBLIC_URL} to the address the public reaches the site at: http:// or https://, the host name, "
    f"an optional port and path and nothing after, e.g. {ENV_PUBLIC_URL}=https://map.example.org or "
    f"{ENV_PUBLIC_URL}=https://example.org/surveillance-map; or leave it unset to use the host each request names"
)


def check_public_url(value: str) -> str:
    """The public address without a trailing slash ('' when unset), or a DataError naming the variable and the fix."""
    if not value:
        return ""
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in value):
        # It is written into every page's head and the sitemap: a line break or a space there is no address.
        raise DataError(
            ENV_PUBLIC_URL, "contains a space, a line break or another control character", fix=PUBLIC_URL_FIX
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise DataError(ENV_PUBLIC_URL, f"{value!r} does not start with http:// or https://", fix=PUBLIC_URL_FIX)
    if "?" in value or "#" in value:
        raise DataError(ENV_PUBLIC_URL, f"{value!r} has a query or a fragment", fix=PUBLIC_URL_FIX)
    if "@" in parts.netloc:
        raise DataError(ENV_PUBLIC_URL, "names a user or a password: it is printed on every page", fix=PUBLIC_URL_FIX)
    netloc = _PUBLIC_NETLOC.fullmatch(parts.netloc)
    if netloc is None or not 0 < int(netloc["port"] or 80) < 65536:
        raise DataError(
            ENV_PUBLIC_URL, f"{parts.netloc!r} is not a host name with an optional port", fix=PUBLIC_URL_FIX
        )
    if not _PUBLIC_PATH.fullmatch(parts.path):
        raise DataError(ENV_PUBLIC_URL, f"the path {parts.path!r} is not a plain path", fix=PUBLIC_URL_FIX)
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def public_url_from_env(env: Mapping[str, str] | None = None) -> str:
    """The checked public address of the environment, '' when it names none."""
    env = os.environ if env is None else env
    return check_public_url(env.get(ENV_PUBLIC_URL, ""))


APP_URL_FIX = (
    f"set {ENV_APP_URL} to the address the public reaches the interactive map at: http:// or https://, the host "
    f"name, an optional port and path and nothing after, e.g. {ENV_APP_URL}=https://map.example.org; or leave it "
    f"unset to use {ENV_PUBLIC_URL}"
)


def check_app_url(value: str) -> str:
    """The live map's address that a static snapshot links to ('' when unset), checked as the public address is; a
    DataError names this variable."""
    try:
        return check_public_url(value)
    except DataError as error:
        raise DataError(ENV_APP_URL, error.message, fix=APP_URL_FIX) from error


def app_url_from_env(env: Mapping[str, str] | None = None) -> str:
    """The checked address of the live map the environment names, '' when it names none."""
    env = os.environ if env is None else env
    return check_app_url(env.get(ENV_APP_URL, ""))


#: Where readers report an error: a web form or page (https://) or an e-mail address (mailto:). Nothing after it.
_CORRECTIONS_HTTPS = re.compile(rf"https://{_PUBLIC_NETLOC.pattern}(/[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?")
_CORRECTIONS_MAILTO = re.compile(r"mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
CORRECTIONS_URL_FIX = (
    f"set {ENV_CORRECTIONS_URL} to where readers report an error: an https:// address "
    f"(e.g. {ENV_CORRECTIONS_URL}=https://example.org/corrections) or an e-mail address "
    f"(e.g. {ENV_CORRECTIONS_URL}=mailto:corrections@example.org); or leave it unset, and the pages send errors in "
    "the records to the ACLU of Massachusetts' records page and show the list of changes"
)


def check_corrections_url(value: str) -> str:
    """The address where readers report an error ('' when unset), or a DataError naming the variable and the fix."""
    if not value:
        return ""
    # Printed as a link on every town page: a space, a quote or a line break there is no address.
    if _CORRECTIONS_HTTPS.fullmatch(value) is None and _CORRECTIONS_MAILTO.fullmatch(value) is None:
        raise DataError(
            ENV_CORRECTIONS_URL, f"{value!r} is not an https:// or mailto: address", fix=CORRECTIONS_URL_FIX
        )
    return value


def corrections_url_from_env(env: Mapping[str, str] | None = None) -> str:
    """The checked address for error reports the environment names, '' when it names none."""
    env = os.environ if env is None else env
    return check_corrections_url(env.get(ENV_CORRECTIONS_URL, ""))


@dataclass(frozen=True)
class Config:
    """Where the dashboard reads its inputs and keeps its caches."""

    data_dir: Path
    boundaries: Path
    cache_dir: Path
    frame_ancestors: str = ""  # origins allowed to embed the page in an iframe; empty: none
    public_url: str = ""  # the address absolute links are written with; empty: the host each request names
    corrections_url: str = ""  # where readers report an error (https: or mailto:); empty: the source and changes
    app_url: str = ""  # the live map's address, which a static snapshot links to; empty: public_url


def load_config(boundaries: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Build and check the configuration: an explicit argument beats the environment, which beats defaults."""
    env = os.environ if env is None else env
    return Config(
        data_dir=Path(env.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR),
        boundaries=Path(boundaries or env.get(ENV_BOUNDARIES) or DEFAULT_BOUNDARIES),
        cache_dir=Path(env.get(ENV_CACHE_DIR) or DEFAULT_CACHE_DIR),
        frame_ancestors=check_frame_ancestors(env.get(ENV_FRAME_ANCESTORS, "")),
        public_url=public_url_from_env(env),
        corrections_url=corrections_url_from_env(env),
        app_url=app_url_from_env(env),
    )
