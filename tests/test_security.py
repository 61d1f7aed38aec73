"""Security headers, compression and the callback endpoint's answers to bad requests, on the real app."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.data.model import Model
from dashboard.server import create_app

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client(model: Model):
    return create_app(model).server.test_client()


def test_page_headers(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'sha256-" in policy and "''" not in policy
    assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy


def test_framing_allowed_only_when_configured(model: Model) -> None:
    client = create_app(model, frame_ancestors="https://example.org").server.test_client()
    response = client.get("/")
    assert "frame-ancestors https://example.org" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers


def test_responses_are_compressed(client) -> None:
    response = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_stamped_assets_are_cached_for_long(client) -> None:
    page = client.get("/").get_data(as_text=True)
    stamped = page.split('href="/assets/style.css?m=')[1].split('"')[0]
    response = client.get(f"/assets/style.css?m={stamped}")
    assert response.headers["Cache-Control"] == "public, max-age=31536000"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{not json", 400),
        ("[1, 2]", 400),
        (json.dumps({"output": 5, "inputs": []}), 400),
        (json.dumps({"output": "..nope.figure..", "inputs": [], "changedPropIds": []}), 400),
        (json.dumps({"output": "x" * 70_000}), 413),
    ],
)
def test_bad_callback_requests_get_a_4xx(client, body: str, status: int) -> None:
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == status
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_real_callback_request_still_works(client) -> None:
    spec = next(d for d in client.get("/_dash-dependencies").json if "records-count.children" in d["output"])
    values = {
        "filter-classes": ["use_or_communication"],
        "filter-waves": ["2020-02", "2020-04"],
        "time-date": 59,
        "filter-vendors": [],
        "layers": ["uasi"],
        "town-search": None,
        "records-search": "agawam",
        "records-wanted": False,  # the records grid not yet loaded: the count comes, the rows do not
    }
    outputs = [part.rsplit(".", 1) for part in spec["output"].strip(".").split("...")]
    body = {
        "output": spec["output"],
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{**i, "value": values[i["id"]]} for i in spec["inputs"]],
        "changedPropIds": ["records-search.value"],
        "state": [{**s, "value": "en"} for s in spec.get("state", [])],  # the view's language (its store)
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    answer = response.json["response"]
    assert answer["records-count"]["children"] == "2 of 326 rows"
    assert "map" not in answer  # only the table's search changed: the map is not resent
    assert "records-rows" not in answer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_production_server_serves_the_page_compressed(tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "app:server"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/_dash-layout", headers={"Accept-Encoding": "gzip"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.status == 200
                    assert response.headers["Content-Encoding"] == "gzip"
                    assert response.headers["X-Content-Type-Options"] == "nosniff"
                    break
            except (ConnectionError, urllib.error.URLError):
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=20)
