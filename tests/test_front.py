"""The production front (deploy/nginx.conf, Debian's nginx) before real gunicorn servers: the headers that reach the
app, upstream connections kept, the cache's keys and validators, a new data version never served beside the old,
and two interchangeable app servers, one stopped mid-load with no visitor error."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from front_harness import Gunicorn, Nginx, free_port, request

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx not installed (apt-get install -y nginx)"),
]

UPDATE = "/_dash-update-component"
#: What gunicorn's access log records of each request it gets: the connection's port on nginx's side, and the headers
#: that the app (or gunicorn) would trust.
SEEN = "%({REMOTE_PORT}e)s|%({host}i)s|%({x-forwarded-for}i)s|%({x-forwarded-proto}i)s|%({x-forwarded-ssl}i)s|%(r)s"
ONE_WORKER = ("--workers", "1")


def _plain(data: bytes, headers: dict[str, str]) -> bytes:
    return gzip.decompress(data) if headers.get("content-encoding") == "gzip" else data


def _logged(tmp_path: Path, name: str) -> tuple[Path, tuple[str, ...]]:
    log = tmp_path / f"{name}.log"
    return log, (*ONE_WORKER, "--access-logfile", str(log), "--access-logformat", SEEN)


def _seen(log: Path, needle: str, count: int = 1) -> list[list[str]]:
    """The access log's lines naming `needle`, split in their fields (waiting up to 5 s for `count` of them: gunicorn
    writes a line once the answer is sent)."""
    deadline = time.monotonic() + 5
    while True:
        lines = [line.split("|") for line in log.read_text(encoding="utf-8").splitlines() if needle in line]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


class Front:
    """nginx before one gunicorn whose access log records what reached the app."""

    def __init__(self, nginx: Nginx, app: Gunicorn, log: Path) -> None:
        self.nginx, self.app, self.log = nginx, app, log


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Front]:
    log, args = _logged(tmp_path_factory.mktemp("front"), "app")
    with Gunicorn(env={"DASHBOARD_PUBLIC_URL": ""}, args=args) as app, Nginx(app.port) as nginx:
        yield Front(nginx, app, log)


def _url_callbacks(port: int) -> Callable[[str], bytes]:
    """The body the page posts when it opens at a query: its URL callback (URL in, controls out)."""
    _, data, _ = request(port, "GET", "/_dash-dependencies")
    dep = next(d for d in json.loads(data) if any(i["id"] == "url" for i in d["inputs"]))
    outputs = [
        {"id": name.rsplit(".", 1)[0], "property": name.rsplit(".", 1)[1]}
        for name in dep["output"].strip(".").split("...")
    ]

    def body(search: str) -> bytes:
        inputs = [{**i, "value": search if i["id"] == "url" else None} for i in dep["inputs"]]
        state = [{**s, "value": "en"} for s in dep.get("state", [])]  # the page's language (its store)
        return json.dumps(
            {
                "output": dep["output"],
                "outputs": outputs,
                "inputs": inputs,
                "state": state,
                "changedPropIds": ["url.search"],
            }
        ).encode()

    return body


# --- 0. the headers that reach the app ----------------------------------------------------------------------------


def test_the_app_writes_the_clients_host_in_every_absolute_address(front: Front) -> None:
    host = {"Host": "map.example.test:8080"}
    base = "http://map.example.test:8080"
    _, data, headers = request(front.nginx.port, "GET", "/town/boston", headers=host, gzip_ok=True)
    page = _plain(data, headers).decode()
    assert f'<link rel="canonical" href="{base}/town/boston">' in page
    assert f'<meta property="og:url" content="{base}/town/boston">' in page
    assert f'<meta property="og:image" content="{base}/town/boston.png">' in page
    _, sitemap, _ = request(front.nginx.port, "GET", "/sitemap.xml", headers=host)
    assert f"<loc>{base}/town/boston</loc>" in sitemap.decode()
    _, robots, _ = request(front.nginx.port, "GET", "/robots.txt", headers=host)
    assert f"Sitemap: {base}/sitemap.xml" in robots.decode()
    for text in (page, sitemap.decode(), robots.decode()):
        assert "http://dashboard" not in text


def test_a_clients_forwarded_headers_never_reach_the_app(front: Front) -> None:
    forged = {
        "Host": "forged.example.test",
        "X-Forwarded-For": "203.0.113.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Ssl": "on",  # with Proto http, gunicorn would refuse the request (400)
        "X-Forwarded-Host": "evil.example.test",
    }
    status, data, headers = request(front.nginx.port, "GET", "/town/boston?forged", headers=forged, gzip_ok=True)
    assert status == 200
    page = _plain(data, headers).decode()
    assert '<link rel="canonical" href="http://forged.example.test/town/boston">' in page
    assert "https://forged" not in page and "evil.example.test" not in page
    [seen] = _seen(front.log, "/town/boston?forged")
    _, host, forwarded_for, proto, ssl, _ = seen
    assert (host, forwarded_for, proto, ssl) == ("forged.example.test", "127.0.0.1", "http", "-")


def test_connections_to_the_app_are_kept_and_reused(front: Front) -> None:
    requests = 200
    for n in range(requests):
        assert request(front.nginx.port, "GET", f"/healthz?reuse={n}")[0] == 200
    seen = _seen(front.log, "/healthz?reuse=", requests)
    assert len(seen) == requests
    ports = {fields[0] for fields in seen}
    # nginx keeps at most 16 idle connections per worker process (2 on this machine), each for 5 s of use; before,
    # every request opened its own (Connection: close).
    assert len(ports) <= 32, f"{len(ports)} connections for {requests} requests"


def test_no_odd_conditional_request_gives_a_server_error(front: Front) -> None:
    paths = ("/", "/?town=35", "/town/boston", "/api/v1/towns", "/sitemap.xml", "/robots.txt", "/download/towns.csv")
    for tag in ('""', "*", "garbage", 'W/""', '"a", ""', ",", '"' + "x" * 500 + '"'):
        for path in paths:
            for _ in range(2):  # from the app, then from nginx's cache
                status, _, _ = request(front.nginx.port, "GET", path, headers={"If-None-Match": tag})
                assert status in (200, 304), (tag, path, status)
    # The ETag the front hands out makes a 304, from its cache.
    _, _, headers = request(front.nginx.port, "GET", "/town/boston", gzip_ok=True)
    status, _, again = request(
        front.nginx.port, "GET", "/town/boston", gzip_ok=True, headers={"If-None-Match": headers["etag"]}
    )
    assert (status, again["x-cache-status"]) == (304, "HIT")


# --- 1. the cache: keyed on what the answer depends on ------------------------------------------------------------


#: Dash's page carries a token made afresh for each page load (its config's end_id): from the app, two answers for the
#: same view differ only in it (from the front's cache, not at all).
END_ID = re.compile(rb'"end_id":"[^"]*"')


def _twice(port: int, method: str, path: str, **kwargs: object) -> tuple[bytes, list[str]]:
    """The same request twice: the body (unzipped, the page-load token blanked) and both answers' X-Cache-Status."""
    statuses, bodies = [], []
    for _ in range(2):
        status, data, headers = request(port, method, path, gzip_ok=True, **kwargs)  # type: ignore[arg-type]
        assert status == 200
        statuses.append(headers.get("x-cache-status", ""))
        bodies.append(END_ID.sub(b'"end_id":""', _plain(data, headers)))
    assert bodies[0] == bodies[1]
    return bodies[0], statuses


def test_two_views_never_share_a_page(front: Front) -> None:
    host = {"Host": "views.example.test"}
    pages = {}
    for query in ("/?town=35", "/?town=281", "/?extent=metro", "/?present=1"):
        pages[query], statuses = _twice(front.nginx.port, "GET", query, headers=host)
        assert statuses == ["MISS", "HIT"]
        direct, _ = _twice(front.app.port, "GET", query, headers=host)
        assert pages[query] == direct  # the cached page is the app's page for this view
    assert len(set(pages.values())) == len(pages)


def test_the_layout_is_keyed_on_the_view_its_page_names(front: Front) -> None:
    layouts = {}
    for query in ("?town=35", "?town=281"):
        referer = {"Referer": f"http://layout.example.test/{query}"}
        layouts[query], statuses = _twice(front.nginx.port, "GET", "/_dash-layout", headers=referer)
        assert statuses == ["MISS", "HIT"]
        direct, _ = _twice(front.app.port, "GET", "/_dash-layout", headers=referer)
        assert layouts[query] == direct
    assert layouts["?town=35"] != layouts["?town=281"]
    # The same view named from another address (the Referer's path and host do not count): the same layout.
    other = {"Referer": "http://elsewhere.example.test/some/page?town=35"}
    _, data, headers = request(front.nginx.port, "GET", "/_dash-layout", gzip_ok=True, headers=other)
    assert headers["x-cache-status"] == "HIT" and _plain(data, headers) == layouts["?town=35"]


#: Two browsers' languages: the first prefers Spanish (the map offers its Spanish view), the second English.
SPANISH, ENGLISH = {"Accept-Language": "es-MX,es;q=0.9"}, {"Accept-Language": "en-US,en;q=0.9"}
OFFER = b'id="language-suggestion"'


def test_one_browsers_language_offer_is_never_handed_to_another(front: Front) -> None:
    host = {"Host": "offers.example.test"}
    # The address names no language: the Spanish browser's page offers Spanish, and the English one's, cached after
    # it, does not; each is its own copy.
    spanish, statuses = _twice(front.nginx.port, "GET", "/?town=35", headers={**host, **SPANISH})
    assert statuses == ["MISS", "HIT"] and OFFER in spanish
    english, statuses = _twice(front.nginx.port, "GET", "/?town=35", headers={**host, **ENGLISH})
    assert statuses == ["MISS", "HIT"] and OFFER not in english
    # The same for the page's layout, which Dash asks for naming the page in the Referer.
    layout = "/_dash-layout"
    referer = {"Referer": "http://offers.example.test/?town=35"}
    spanish, statuses = _twice(front.nginx.port, "GET", layout, headers={**referer, **SPANISH})
    assert statuses == ["MISS", "HIT"] and b"language-suggestion" in spanish
    english, statuses = _twice(front.nginx.port, "GET", layout, headers={**referer, **ENGLISH})
    assert statuses == ["MISS", "HIT"] and b"language-suggestion" not in english
    # An address that names its language offers nothing: one copy for every browser.
    _, statuses = _twice(front.nginx.port, "GET", "/?town=35&lang=pt", headers={**host, **SPANISH})
    assert statuses == ["MISS", "HIT"]
    _, _, headers = request(front.nginx.port, "GET", "/?town=35&lang=pt", gzip_ok=True, headers={**host, **ENGLISH})
    assert headers["x-cache-status"] == "HIT"
    named = {"Referer": "http://offers.example.test/?town=35&lang=pt"}
    _twice(front.nginx.port, "GET", layout, headers={**named, **SPANISH})
    _, _, headers = request(front.nginx.port, "GET", layout, gzip_ok=True, headers={**named, **ENGLISH})
    assert headers["x-cache-status"] == "HIT"


def test_two_callback_bodies_never_share_an_answer(front: Front) -> None:
    answers = {}
    for search in ("?town=35&date=2019-06", "?town=281&date=2020-04"):
        body = _url_callbacks(front.app.port)(search)
        answers[search], statuses = _twice(front.nginx.port, "POST", UPDATE, body=body)
        assert statuses == ["MISS", "HIT"]
        direct, _ = _twice(front.app.port, "POST", UPDATE, body=body)
        assert answers[search] == direct
    first, second = (json.loads(a)["response"]["url"]["search"] for a in answers.values())
    assert "town=35" in first and "town=281" in second
    # The page-load token the page adds to the address (?endId=) changes no answer: left out of the key.
    body = _url_callbacks(front.app.port)("?town=35&date=2019-06")
    _, data, headers = request(front.nginx.port, "POST", UPDATE + "?endId=another.page.load", body=body, gzip_ok=True)
    assert headers["x-cache-status"] == "HIT" and _plain(data, headers) == answers["?town=35&date=2019-06"]


def test_a_client_without_gzip_gets_the_same_answer_plain(front: Front) -> None:
    zipped, _ = _twice(front.nginx.port, "GET", "/api/v1/towns")
    status, data, headers = request(front.nginx.port, "GET", "/api/v1/towns")
    assert status == 200 and "content-encoding" not in headers
    assert data == zipped
    assert headers["x-cache-status"] == "HIT"


def test_healthz_is_never_cached_and_names_the_data_version(front: Front) -> None:
    status, data, headers = request(front.nginx.port, "GET", "/healthz")
    assert (status, data) == (200, b"ok")
    assert "x-cache-status" not in headers
    _, api, _ = request(front.nginx.port, "GET", "/api/v1/towns")
    assert headers["x-data-version"] == json.loads(api)["data_version"]


# --- 0. a new data version is never served beside the old -------------------------------------------------------

#: Everything that names the data version, and the page whose footer does.
VERSIONED = ("/api/v1/towns", "/download/towns.geojson", "/town/boston", "/", "/_dash-dependencies", "/sitemap.xml")


def _versions(port: int) -> dict[str, str]:
    """The data version each answer says it is (its header), read twice: the second from nginx's cache."""
    found = {}
    for path in VERSIONED:
        for _ in range(2):
            status, data, headers = request(port, "GET", path, gzip_ok=True)
            assert status == 200
            found[path] = headers["x-data-version"]
            if path in ("/api/v1/towns", "/download/towns.geojson"):
                assert json.loads(_plain(data, headers))["data_version"] == found[path]
        assert headers["x-cache-status"] == "HIT"
    body = _url_callbacks(port)("?town=35")
    for _ in range(2):
        _, _, headers = request(port, "POST", UPDATE, body=body)
    found[UPDATE] = headers["x-data-version"]
    return found


def test_a_data_correction_is_never_served_beside_the_old_data(data_copy: Path) -> None:
    port = free_port()
    nginx = Nginx(port)  # started first: the app servers empty its cache folder when they start
    env = {"DASHBOARD_DATA_DIR": str(data_copy), "DASHBOARD_FRONT_CACHE": str(nginx.cache)}
    try:
        with Gunicorn(env=env, args=ONE_WORKER, port=port) as app:
            nginx.__enter__()  # waits until nginx answers
            before = _versions(nginx.port)
            assert len(set(before.values())) == 1
            assert "emptied nginx's cache" in app.output()
        changelog = data_copy / "changelog.csv"
        with changelog.open("a", encoding="utf-8") as rows:
            rows.write('2099-01-01,"A test correction","So that the data version changes"\n')
        with Gunicorn(env=env, args=ONE_WORKER, port=port) as app:
            after = _versions(nginx.port)
        [old], [new] = set(before.values()), set(after.values())
        assert new.startswith("2099-01-01+") and old != new
        assert after == dict.fromkeys(VERSIONED + (UPDATE,), new)
    finally:
        nginx.__exit__()


def _gunicorn_settings() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    path = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return namespace


def test_only_cached_answers_are_emptied_and_a_failure_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _gunicorn_settings()
    cache = tmp_path / "cache"
    (cache / "a" / "bc").mkdir(parents=True)
    answers = [cache / "a" / "bc" / ("0123456789abcdef" * 2), cache / "a" / "bc" / ("f" * 32)]
    others = [cache / "0000000001", cache / "a" / "notes.txt"]  # a temporary file nginx is writing; anything else
    for path in (*answers, *others):
        path.write_text("x")
    assert settings["empty_front_cache"](str(cache)) == 2
    assert [p.exists() for p in (*answers, *others)] == [False, False, True, True]
    assert (cache / "a" / "bc").is_dir()
    assert settings["empty_front_cache"](str(tmp_path / "not-yet")) == 0  # nginx has not cached anything yet

    answers[0].write_text("x")
    settings["front_cache"] = str(cache)

    def refused(path: str) -> None:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr("os.unlink", refused)
    with pytest.raises(SystemExit) as stopped:
        settings["when_ready"](None)
    assert stopped.value.code == 2


# --- 2. two interchangeable app servers ---------------------------------------------------------------------------


def test_one_of_two_app_servers_stops_mid_load_and_no_visitor_sees_an_error() -> None:
    with Gunicorn(args=ONE_WORKER) as first, Gunicorn(args=ONE_WORKER) as second:
        with Nginx([first.port, second.port]) as nginx:
            callback = _url_callbacks(second.port)
            results: list[tuple[int, str]] = []
            lock = threading.Lock()
            halfway = threading.Event()
            users, each = 8, 40

            def visitor(n: int) -> None:
                for i in range(each):
                    # Questions never asked before (each reaches an app server): pages and callbacks.
                    town, month = (n * each + i) % 351 + 1, f"20{17 + i % 5}-{1 + n:02d}"
                    if i % 2:
                        method, path, body = "GET", f"/?town={town}&date={month}&visitor={n}-{i}", None
                    else:
                        method, path, body = "POST", UPDATE, callback(f"?town={town}&date={month}")
                    try:
                        status = request(nginx.port, method, path, body=body, gzip_ok=True, timeout=60)[0]
                    except OSError as error:
                        status, path = -1, f"{path}: {error}"
                    with lock:
                        results.append((status, path))
                        if len(results) >= users * each // 3:
                            halfway.set()

            threads = [threading.Thread(target=visitor, args=(n,)) for n in range(users)]
            for thread in threads:
                thread.start()
            assert halfway.wait(120)
            before = [line for line in nginx.log_lines() if "upstream=127" in line]
            first.stop(signal.SIGKILL)  # a crash: the master and its worker at once, requests in flight
            for thread in threads:
                thread.join(timeout=180)
            after = nginx.log_lines()[len(before) + 20 :]  # (a few were in flight at the stop)
            errors = [r for r in results if r[0] != 200]
            assert len(results) == users * each
            assert not errors, f"{len(errors)} errors of {len(results)}, e.g. {errors[:3]}"
            # Both servers answered before the stop; once it was noticed, only the second.
            answered_by = {line.rsplit("upstream=", 1)[1].split(",")[-1].strip() for line in before}
            assert {f"127.0.0.1:{first.port}", f"127.0.0.1:{second.port}"} <= answered_by
            assert all(line.endswith(f"127.0.0.1:{second.port}") for line in after if "upstream=127" in line)
