"""Answers with a strong ETag that turn into 304 Not Modified when the client already holds them."""

from __future__ import annotations

import hashlib

from flask import Response, request

#: Pages and data change only with a new deployment; clients revalidate with the ETag after this.
CACHE_CONTROL = "public, max-age=300"


def etag_of(body: bytes) -> str:
    """A strong validator: the body's sha256, shortened."""
    return hashlib.sha256(body).hexdigest()[:32]


def _held(tag: str) -> str | None:
    """The tag of ours the request's If-None-Match names, as it names it; None if it names none."""
    held = request.if_none_match
    if held.star_tag:
        return tag
    for candidate in held.as_set(include_weak=True):
        # flask-compress sends a gzipped answer's tag as "<tag>:gzip": it still names our body.
        if candidate == tag or candidate.startswith(tag + ":"):
            return candidate
    return None


def conditional(body: bytes, mimetype: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """The answer, or 304 with no body when the client's If-None-Match already names it (200 answers only)."""
    tag = etag_of(body)
    held = _held(tag) if status == 200 else None
    if held is not None:
        response = Response(status=304)
        response.set_etag(held)
    else:
        response = Response(body, status=status, mimetype=mimetype)
        response.set_etag(tag)
    if status == 200:
        response.headers["Cache-Control"] = CACHE_CONTROL
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
