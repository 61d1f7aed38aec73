"""The one ETag helper: strong tags, compared the way werkzeug compares them (weakly, as If-None-Match asks).

Every cacheable answer (pages, the API, sitemap, robots, downloads, images) goes through `conditional`, or, where
making the body costs something (an image), asks `not_modified` first. An If-None-Match that names nothing we sent
(an empty tag, garbage) simply does not match: the full answer follows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from flask import Response, request
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Response as ResponseBase

#: Pages and data change only with a new deployment; clients revalidate with the ETag after this. `public`: the same
#: for every visitor, so the front's cache (deploy/nginx.conf) keeps one copy for all; a restart empties it.
CACHE_CONTROL = "public, max-age=300"


def etag_of(body: bytes, length: int = 32) -> str:
    """A strong validator: the body's sha256, shortened."""
    return hashlib.sha256(body).hexdigest()[:length]


def not_modified(tag: str) -> bool:
    """Whether the request's If-None-Match already names `tag` (GET and HEAD only; `*` names every tag)."""
    if request.method not in ("GET", "HEAD"):
        return False
    return not is_resource_modified(request.environ, etag=tag)


def conditional(response: ResponseBase, tag: str | None = None) -> ResponseBase:
    """The answer with its strong ETag (`tag`, else a hash of its body), turned into 304 Not Modified when the
    request already holds it. Only a 200 is tagged and made conditional: an error page is never a 304."""
    if response.status_code != 200:
        return response
    response.set_etag(tag or etag_of(response.get_data()))
    return response.make_conditional(request)


def answer(
    body: bytes,
    mimetype: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    cache_control: str = CACHE_CONTROL,
) -> ResponseBase:
    """A body with its media type, cacheable for `cache_control` and conditional (200 answers only)."""
    response = Response(body, status=status, mimetype=mimetype)
    if status == 200:
        response.headers["Cache-Control"] = cache_control
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return conditional(response)


def shared(response: ResponseBase) -> ResponseBase:
    """An answer that is the same for every visitor who asks the same address (Dash's page, layout and dependencies):
    cacheable for CACHE_CONTROL unless it says otherwise, with an ETag, and conditional (200 answers only)."""
    if response.status_code != 200 or response.direct_passthrough:
        return response
    response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    return conditional(response)
