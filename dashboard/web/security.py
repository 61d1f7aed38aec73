"""Headers and request guards for a public page: nothing here changes what the page shows."""

from __future__ import annotations

import json
import logging

import dash
from dash.exceptions import CallbackException, DependencyException
from flask import Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as ResponseBase

from dashboard.config import check_frame_ancestors
from dashboard.serving.http import shared

log = logging.getLogger(__name__)

UPDATE_PATH = "/_dash-update-component"
HEALTH_PATH = "/healthz"
#: A filter change posts well under 4 KB; anything much larger is not from our page.
MAX_CALLBACK_BYTES = 64 * 1024
#: The page's bodies nest under 10 deep (a map click's point); far deeper is an attack on the parser, not the page.
MAX_CALLBACK_DEPTH = 64
#: Files, never pages: an unknown path under these is a 404, not Dash's catch-all page (which answers 200).
FILE_PREFIXES = ("/assets/", "/_dash-component-suites/", "/download/")


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


def _depth(value: object) -> int:
    """How deep lists and objects nest, walked without recursion (stops counting past the limit)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > MAX_CALLBACK_DEPTH:
                break
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _rejected(message: str, status: int = 400) -> Response:
    """A client error, logged as one line (the path in repr, so a crafted path cannot forge log lines)."""
    log.warning("%s %s %r: %s", status, request.method, request.path, message)
    return _bad_request(message, status)


def _check_file_path() -> Response | None:
    """An unknown file under /assets/, /_dash-component-suites/ or /download/ is a 404, not the page."""
    prefix = next((p for p in FILE_PREFIXES if request.path.startswith(p)), None)
    rule = request.url_rule
    if prefix is not None and (rule is None or not rule.rule.startswith(prefix)):
        return _rejected("not found", 404)
    return None


def _check_callback_request() -> Response | None:
    """Refuse oversized or malformed callback requests with a 4xx before Dash sees them."""
    if request.path != UPDATE_PATH or request.method != "POST":
        return None
    length = request.content_length
    if length is not None and length > MAX_CALLBACK_BYTES:
        return _rejected("request too large", 413)
    body = request.get_data(cache=True, as_text=False)
    if len(body) > MAX_CALLBACK_BYTES:
        return _rejected("request too large", 413)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _rejected("malformed JSON")
    except RecursionError:  # json's C parser gives up on ~1,000 nested brackets with this, not ValueError
        return _rejected("nested too deeply")
    if _depth(payload) > MAX_CALLBACK_DEPTH:
        return _rejected("nested too deeply")
    if not isinstance(payload, dict) or not isinstance(payload.get("output"), str):
        return _rejected("not a callback request")
    # The page always sends `inputs` (a list) and `outputs`; without them Dash fails deep inside with a 500.
    if not isinstance(payload.get("inputs"), list) or not isinstance(payload.get("state", []), list):
        return _rejected("not a callback request")
    if not isinstance(payload.get("outputs"), (dict, list)):
        return _rejected("not a callback request")
    return None


def _healthz() -> Response:
    """200 `ok`: the app exists only once the model is built, so an answer means the data loaded."""
    return Response("ok", mimetype="text/plain", headers={"Cache-Control": "no-store"})


#: Who may frame the presentation view when the operator names no one: any web page. It is safe to allow: that
#: view is a read-only public map (no sign-in, no form, no button that changes anything on the server, nothing
#: private to show), so a framing page can trick a reader into no action; its links open in a new tab.
PRESENT_ANCESTORS = "*"


def is_presentation(path: str, args: dict[str, str], page_path: str = "/") -> bool:
    """Whether a request is for the map page's presentation view (`?present=1`, as the page itself reads it)."""
    return path == page_path and args.get("present") == "1"


def protect(app: dash.Dash, frame_ancestors: str = "") -> None:
    """Add security headers to every response and guard the callback endpoint.

    Framing: with no `frame_ancestors` configured, the presentation view (what "Embed this view" hands out) may be
    framed by any site and everything else by none; a configured value applies to every page, that view included.
    """
    # Checked again here: a value that reaches the header unchecked (a line break) makes every response a 500.
    configured = check_frame_ancestors(frame_ancestors)
    ancestors = configured or "'none'"
    policy = content_security_policy(app, ancestors)
    present_policy = policy if configured else content_security_policy(app, PRESENT_ANCESTORS)
    page_path = app.config.routes_pathname_prefix
    # Dash's own answers that are the same for everyone asking the same address (the layout: the same Referer query).
    same_for_all = {page_path, page_path + "_dash-layout", page_path + "_dash-dependencies"}
    server = app.server
    server.before_request(_check_file_path)
    server.before_request(_check_callback_request)
    server.add_url_rule(HEALTH_PATH, "healthz", _healthz)

    @server.errorhandler(Exception)
    def callback_error(error: Exception) -> ResponseBase:
        # A request Dash cannot route to a callback (unknown output, wrong shape) or an unknown script is the
        # client's fault: one warning line, no traceback. Everything else is logged as ours, without a stack trace
        # in the response.
        if isinstance(error, HTTPException):
            if error.code is not None and 400 <= error.code < 500:
                log.warning("%s %s %r: %s", error.code, request.method, request.path, error.name)
            return error.get_response()
        if isinstance(error, DependencyException):  # Dash's answer to a script path it does not serve
            return _rejected("not found", 404)
        if request.path == UPDATE_PATH and (
            isinstance(error, (KeyError, IndexError, TypeError, ValueError)) or type(error) is CallbackException
        ):
            # Plain CallbackException is Dash's "output/inputs do not match": a crafted body; its subclasses
            # (an invalid return value) are our bugs and stay 500s.
            return _rejected(f"callback request not understood ({type(error).__name__})")
        log.exception("server error")
        return _bad_request("server error", 500)

    @server.after_request
    def headers(response: ResponseBase) -> ResponseBase:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        framed = is_presentation(request.path, request.args, page_path)
        response.headers["Content-Security-Policy"] = present_policy if framed else policy
        if ancestors == "'none'" and not framed:
            response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.method in ("GET", "HEAD") and request.path in same_for_all:
            response = shared(response)  # cacheable by the front (deploy/nginx.conf) and browsers, with an ETag
        if request.path.startswith("/assets/") and response.status_code == 200:
            # Dash stamps asset URLs with ?m=<mtime>: a stamped URL never changes content, so cache it long.
            response.headers["Cache-Control"] = (
                "public, max-age=31536000" if "m" in request.args else ("public, max-age=3600")
            )
            # Read whole, not streamed, so that the app's compression (which leaves streamed files alone) gzips it:
            # the front keeps one gzipped copy, instead of compressing plotly's 1.4 MB script for every visitor.
            response.direct_passthrough = False
            response.set_data(response.get_data())
        return response
