"""Headers and request guards for a public page: nothing here changes what the page shows."""

from __future__ import annotations

import json
import logging

import dash
from flask import Response, request
from werkzeug.wrappers import Response as ResponseBase

log = logging.getLogger(__name__)

UPDATE_PATH = "/_dash-update-component"
#: A filter change posts well under 4 KB; anything much larger is not from our page.
MAX_CALLBACK_BYTES = 64 * 1024


def content_security_policy(app: dash.Dash, frame_ancestors: str) -> str:
    """A policy Dash works under: own scripts plus the hashes of Dash's inline ones; no third parties."""
    scripts = " ".join(["'self'", *app.csp_hashes()])  # Dash returns them quoted
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",  # plotly and React set inline styles
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


def _bad_request(message: str, status: int = 400) -> Response:
    return Response(json.dumps({"error": message}), status=status, mimetype="application/json")


def _check_callback_request() -> Response | None:
    """Refuse oversized or malformed callback requests with a 4xx before Dash sees them."""
    if request.path != UPDATE_PATH or request.method != "POST":
        return None
    length = request.content_length
    if length is not None and length > MAX_CALLBACK_BYTES:
        return _bad_request("request too large", 413)
    body = request.get_data(cache=True, as_text=False)
    if len(body) > MAX_CALLBACK_BYTES:
        return _bad_request("request too large", 413)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _bad_request("malformed JSON")
    if not isinstance(payload, dict) or not isinstance(payload.get("output"), str):
        return _bad_request("not a callback request")
    if not isinstance(payload.get("inputs", []), list) or not isinstance(payload.get("state", []), list):
        return _bad_request("not a callback request")
    return None


def protect(app: dash.Dash, frame_ancestors: str = "") -> None:
    """Add security headers to every response and guard the callback endpoint."""
    ancestors = frame_ancestors.strip() or "'none'"
    policy = content_security_policy(app, ancestors)
    server = app.server
    server.before_request(_check_callback_request)

    @server.errorhandler(Exception)
    def callback_error(error: Exception) -> ResponseBase:
        # A request Dash cannot route to a callback (unknown output, wrong shape) is the client's fault;
        # everything else is logged as ours, without a stack trace in the response.
        from werkzeug.exceptions import HTTPException

        if isinstance(error, HTTPException):
            return error.get_response()
        if request.path == UPDATE_PATH and isinstance(error, (KeyError, IndexError, TypeError, ValueError)):
            log.warning("rejected callback request: %r", error)
            return _bad_request("callback request not understood")
        log.exception("server error")
        return _bad_request("server error", 500)

    @server.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["Content-Security-Policy"] = policy
        if ancestors == "'none'":
            response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith("/assets/") and response.status_code == 200:
            # Dash stamps asset URLs with ?m=<mtime>: a stamped URL never changes content, so cache it long.
            response.headers["Cache-Control"] = (
                "public, max-age=31536000" if "m" in request.args else ("public, max-age=3600")
            )
        return response
