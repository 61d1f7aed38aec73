"""Issue 12's hardening on the real app and data: formula-safe CSV, 4xx for client errors, /healthz, downloads with
ETags, configuration and cache checks at start, and gunicorn failing fast on broken data."""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard.__main__ import main as cli
from dashboard.config import ENV_CACHE_DIR, ENV_FRAME_ANCESTORS, ENV_PUBLIC_URL, Config, load_config
from dashboard.data.errors import DataError
from dashboard.data.geometry import cache_is_valid
from dashboard.data.model import Model, build_model
from dashboard.exports import tables
from dashboard.exports.csv_safe import safe_csv
from dashboard.server import create_app
from dashboard.serving.downloads import DOWNLOADS, register_downloads
from dashboard.views.records import all_rows
from dashboard.views.records import to_csv as records_csv

REPO = Path(__file__).resolve().parent.parent
UPDATE = "/_dash-update-component"


def _parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _our_log(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("dashboard")]


@pytest.fixture(scope="module")
def client(model: Model):
    app = create_app(model)
    register_downloads(app.server, model)  # a no-op once create_app registers the routes itself
    return app.server.test_client()


# --- CSV formula neutralisation -------------------------------------------------------------------------------


def test_cells_a_spreadsheet_would_run_keep_their_text_behind_a_quote() -> None:
    frame = pd.DataFrame(
        {
            "name": [
                '=HYPERLINK("http://x","y")',
                "@SUM(A1)",
                "+cmd",
                "-2+3",
                "Great Barrington",
                "\tTAB",
                "\rCR",
                "x\r=1+1",
            ],
            "number": [-3, -0.5, 1, 2, 3, 4, 5, 6],
            "as_text": ["-3", "-0.5", "+1", "1e3", "x", "-", "=1", None],
        }
    )
    rows = _parse(safe_csv(frame))
    assert [r["name"] for r in rows] == [
        '\'=HYPERLINK("http://x","y")',
        "'@SUM(A1)",
        "'+cmd",
        "'-2+3",
        "Great Barrington",
        "'\tTAB",
        "'\nCR",
        "x\n=1+1",  # quoted, so one cell: a bare "\r" would have started a row with a formula
    ]
    assert [r["number"] for r in rows] == ["-3.0", "-0.5", "1.0", "2.0", "3.0", "4.0", "5.0", "6.0"]
    # A number written as text is read as that number, never run; a lone "-" or "=1" is not a number.
    assert [r["as_text"] for r in rows] == ["-3", "-0.5", "+1", "1e3", "x", "'-", "'=1", ""]


def test_the_records_download_neutralises_formulas(model: Model) -> None:
    rows = all_rows(model).head(3).copy()
    rows.iloc[0, rows.columns.get_loc("title")] = "=cmd|' /C calc'!A0"
    out = _parse(records_csv(rows))
    assert out[0]["title"] == "'=cmd|' /C calc'!A0"
    assert out[1]["title"] == rows["title"].iloc[1]


def test_a_formula_in_data_is_exported_neutralised(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agencies = data_copy / "agencies.csv"
    text = agencies.read_text(encoding="utf-8")
    assert ",The state police\n" in text
    agencies.write_text(
        text.replace(",The state police\n", ',"=HYPERLINK(""http://evil"",""x""); the state police"\n'), "utf-8"
    )
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_copy))
    monkeypatch.setenv(ENV_CACHE_DIR, str(tmp_path / "cache"))
    out = tmp_path / "agencies.csv"
    assert cli(["export", "agencies", "--out", str(out)]) == 0
    msp = next(r for r in _parse(out.read_text(encoding="utf-8")) if r["agency_id"] == "msp")
    assert msp["note"].startswith('\'=HYPERLINK("http://evil","x"); the state police')


def test_the_real_towns_export_parses_and_keeps_every_value(model: Model, tmp_path: Path) -> None:
    out = tmp_path / "towns.csv"
    assert cli(["export", "towns", "--out", str(out)]) == 0
    rows = _parse(out.read_text(encoding="utf-8"))
    assert len(rows) == 351
    plain = _parse(tables.towns_table(model).to_csv(index=False, lineterminator="\n"))
    assert rows == plain  # the real data holds no formula: nothing changed
    assert not any(v.startswith("'") for row in rows for v in row.values())


# --- client errors are 4xx, one log line, no traceback ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash/../../../etc/passwd",
        "/_dash-component-suites/dash",
        "/assets/nope.css",
        "/assets/",
        "/download/nope.csv",
    ],
)
def test_unknown_files_are_404_with_one_log_line(client, caplog: pytest.LogCaptureFixture, path: str) -> None:
    with caplog.at_level(logging.INFO):
        response = client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)
    records = _our_log(caplog)
    assert len(records) == 1 and records[0].levelno == logging.WARNING and records[0].exc_info is None
    assert "\n" not in records[0].getMessage()


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"output": "map.figure", "outputs": {"id": "map", "property": "figure"}}),  # no inputs
        json.dumps({"output": "map.figure", "outputs": {"id": "map", "property": "figure"}, "inputs": {}}),
        json.dumps({"output": "map.figure", "outputs": {"id": "map", "property": "figure"}, "inputs": "x"}),
        json.dumps({"output": "map.figure", "inputs": []}),  # no outputs
        '{"output": "map.figure", "outputs": {}, "inputs": ' + _deep(10_000) + "}",
        _deep(10_000),
        '{"output": "map.figure", "outputs": {}, "inputs": [' + _deep(100) + "]}",  # parses, still far too deep
    ],
    ids=["no-inputs", "inputs-object", "inputs-string", "no-outputs", "deep-inputs", "deep-body", "deep-100"],
)
def test_malformed_callback_bodies_are_400_with_one_log_line(
    client, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    with caplog.at_level(logging.INFO):
        response = client.post(UPDATE, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    records = _our_log(caplog)
    assert len(records) == 1 and records[0].levelno == logging.WARNING and records[0].exc_info is None


def test_a_callback_naming_outputs_it_does_not_have_is_400(client, caplog: pytest.LogCaptureFixture) -> None:
    output = client.get("/_dash-dependencies").json[0]["output"]
    body = {"output": output, "outputs": [], "inputs": [], "changedPropIds": []}
    with caplog.at_level(logging.INFO):
        response = client.post(UPDATE, json=body)
    assert response.status_code == 400
    assert len(_our_log(caplog)) == 1 and "Traceback" not in caplog.text


def test_healthz(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
    assert response.mimetype == "text/plain"


# --- downloads: made once, ETag and 304 ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_downloads_carry_a_strong_etag_and_answer_304(client, name: str) -> None:
    first = client.get(f"/download/{name}")
    assert first.status_code == 200
    assert first.headers["Content-Disposition"] == f'attachment; filename="ma-surveillance-{name}"'
    assert first.headers["Cache-Control"] == "public, max-age=3600"
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{20}"', etag)
    again = client.get(f"/download/{name}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    weak = client.get(f"/download/{name}", headers={"If-None-Match": f"W/{etag}"})  # as a proxy's gzip leaves it
    assert weak.status_code == 304
    other = client.get(f"/download/{name}", headers={"If-None-Match": '"0000"'})
    assert other.status_code == 200 and other.data == first.data
    zipped = client.get(f"/download/{name}", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == first.data
    assert zipped.headers["ETag"] != etag
    held = {"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]}
    assert client.get(f"/download/{name}", headers=held).status_code == 304
    # Each form is its own representation: the gzip form's tag does not validate the plain one, nor the reverse.
    assert client.get(f"/download/{name}", headers={"If-None-Match": zipped.headers["ETag"]}).status_code == 200
    held = {"Accept-Encoding": "gzip", "If-None-Match": etag}
    assert client.get(f"/download/{name}", headers=held).status_code == 200


def test_downloads_hold_the_tables(client, model: Model) -> None:
    towns = _parse(client.get("/download/towns.csv").get_data(as_text=True))
    assert len(towns) == 351 and list(towns[0]) == tables.TOWN_COLUMNS
    assert client.get("/download/agencies.csv").get_data(as_text=True) == tables.to_csv(tables.agencies_table(model))
    assert client.get("/download/events.csv").get_data(as_text=True) == tables.to_csv(tables.events_table(model))
    collection = json.loads(client.get("/download/towns.geojson").data)
    assert len(collection["features"]) == 351
    assert client.get("/download/towns.geojson").mimetype == "application/geo+json"


def test_downloads_are_made_once_per_model(model: Model) -> None:
    # The same object back: not rebuilt (the GeoJSON costs about 0.3 s and 1.5 MB each time).
    assert tables.towns_geojson_text(model) is tables.towns_geojson_text(model)
    assert tables.towns_csv(model) is tables.towns_csv(model)
    assert tables.towns_csv(model) == tables.to_csv(tables.towns_table(model))


# --- configuration and cache checked at start ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "https://example.org\nX-Evil: 1",
        "https://example.org\r",
        "https://example.org\x00",
        "https://example.org; script-src *",
        "https://a.org,https://b.org",
        '"https://example.org"',
        "'unsafe-inline'",
        "javascript:alert(1)",
        "'none' https://example.org",
    ],
)
def test_a_bad_frame_ancestors_value_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(DataError) as error:
        load_config(env={ENV_FRAME_ANCESTORS: value})
    text = str(error.value)
    assert text.startswith(ENV_FRAME_ANCESTORS) and "Fix:" in text and "https://example.org" in text


@pytest.mark.parametrize(
    "value", ["", "https://example.org", "'self' https://example.org *.example.org https: http://localhost:8080"]
)
def test_good_frame_ancestors_values_pass(value: str) -> None:
    assert load_config(env={ENV_FRAME_ANCESTORS: value}).frame_ancestors == value


def test_the_app_refuses_an_unchecked_frame_ancestors_value(model: Model) -> None:
    with pytest.raises(DataError):
        create_app(model, frame_ancestors="https://example.org\nX: y")


def test_the_app_stops_at_once_on_a_bad_frame_ancestors_value(tmp_path: Path) -> None:
    env = {**os.environ, ENV_FRAME_ANCESTORS: "https://example.org\nX: y", "HOST": "127.0.0.1", "PORT": "0"}
    done = subprocess.run([sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr  # the clear `error: ...` path, like broken data
    assert f"{ENV_FRAME_ANCESTORS}: contains a line break" in done.stderr and "Fix:" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "value",
    [
        "ftp://x",
        "map.example.org",
        "https://map.example.org\nX-Evil: 1",
        "https://map.example.org/ma p",
        "https://map.example.org/?page=1",
        "https://map.example.org/#top",
        "https://user:secret@map.example.org",
        "https://map.example.org:99999",
        "https:///ma",
        "https://map.example.org/../etc",
        'https://map.example.org/"><script>',
        "javascript:alert(1)",
    ],
)
def test_a_bad_public_address_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(DataError) as error:
        load_config(env={ENV_PUBLIC_URL: value})
    text = str(error.value)
    assert text.startswith(ENV_PUBLIC_URL) and "Fix:" in text and "https://map.example.org" in text


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("", ""),
        ("https://map.example.org", "https://map.example.org"),
        ("https://map.example.org/", "https://map.example.org"),
        ("http://localhost:8050/surveillance-map/", "http://localhost:8050/surveillance-map"),
        ("https://[2001:db8::1]:8443/ma", "https://[2001:db8::1]:8443/ma"),
    ],
)
def test_a_good_public_address_is_kept_without_its_last_slash(value: str, kept: str) -> None:
    assert load_config(env={ENV_PUBLIC_URL: value}).public_url == kept


def test_the_app_refuses_a_bad_public_address_in_the_environment(model: Model, monkeypatch) -> None:
    monkeypatch.setenv(ENV_PUBLIC_URL, "https://map.example.org/?x=1")
    with pytest.raises(DataError, match=ENV_PUBLIC_URL):
        create_app(model)


def test_the_app_stops_at_once_on_a_bad_public_address(tmp_path: Path) -> None:
    env = {**os.environ, ENV_PUBLIC_URL: "ftp://map.example.org", "HOST": "127.0.0.1", "PORT": "0"}
    done = subprocess.run([sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr  # the clear `error: ...` path, like broken data
    assert f"{ENV_PUBLIC_URL}: 'ftp://map.example.org' does not start with http:// or https://" in done.stderr
    assert "Fix:" in done.stderr and "Traceback" not in done.stderr


def _map_cache(model: Model) -> dict:
    return json.loads(json.dumps(model.map.to_json()))


def test_the_cache_check_accepts_what_is_written(model: Model) -> None:
    assert cache_is_valid(_map_cache(model), set(model.towns.index), set(model.counties))


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: c.pop("points"),
        lambda c: c["points"].pop("35"),
        lambda c: c.__setitem__("town_outlines", []),
        lambda c: c["towns_geojson"]["features"].pop(),
        lambda c: c["towns_geojson"]["features"][0].__setitem__("id", "35"),
        lambda c: c["county_outlines"].__setitem__("x", [[1], [2]]),
        lambda c: c.__setitem__("uasi_label", ["a", "b"]),
        lambda c: c.__setitem__("state_outline", [[1.0, None], [2.0]]),
    ],
    ids=["no-points", "a-town-missing", "list-for-dict", "a-feature-missing", "text-id", "bad-key", "text", "ragged"],
)
def test_the_cache_check_refuses_a_wrong_shape(model: Model, damage) -> None:
    cache = _map_cache(model)
    damage(cache)
    assert not cache_is_valid(cache, set(model.towns.index), set(model.counties))


@pytest.mark.parametrize("content", ['{"towns_geojson": {"features": []}}', "[1, 2]", "{}", "not json", "\xff"])
def test_a_cache_of_the_wrong_shape_is_rebuilt_with_one_warning(
    copy_config: Config, caplog: pytest.LogCaptureFixture, content: str
) -> None:
    build_model(copy_config)
    (cache,) = copy_config.cache_dir.glob("map-*.json")
    good = cache.read_bytes()
    cache.write_text(content, encoding="latin-1")
    with caplog.at_level(logging.INFO):
        model = build_model(copy_config)
    assert len(model.map.points) == 351
    records = _our_log(caplog)
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    assert str(cache) in records[0].getMessage() and "rebuilding" in records[0].getMessage()
    assert cache.read_bytes() == good  # rewritten as it should be


def test_a_cache_folder_that_cannot_be_written_warns_once(
    copy_config: Config, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    # A file where the folder should be: unwritable even for root, which ignores permission bits.
    config = Config(copy_config.data_dir, copy_config.boundaries, blocker / "cache")
    with caplog.at_level(logging.INFO):
        model = build_model(config)
    assert len(model.map.points) == 351
    records = _our_log(caplog)
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    message = records[0].getMessage()
    assert ENV_CACHE_DIR in message and "every start" in message and str(blocker / "cache") in message


def test_a_usable_cache_folder_says_nothing(copy_config: Config, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        build_model(copy_config)
        build_model(copy_config)
    assert _our_log(caplog) == []
    assert [p.suffix for p in copy_config.cache_dir.iterdir()] == [".json"]  # no temporary file left behind


# --- gunicorn fails fast; the front end's settings agree --------------------------------------------------------


def test_gunicorn_fails_fast_on_broken_data(data_copy: Path, tmp_path: Path) -> None:
    counties = data_copy / "counties.csv"
    counties.write_text(counties.read_text(encoding="utf-8").replace("25001", "notanumber", 1), encoding="utf-8")
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data_copy), ENV_CACHE_DIR: str(tmp_path / "cache")}
    started = time.monotonic()
    # Port 0: were the data loaded in the workers instead, the server would bind, and must not take a shared port.
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "app:server"],
        cwd=REPO,  # gunicorn reads ./gunicorn.conf.py
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 2
    assert time.monotonic() - started < 60
    assert output.count("counties.csv, line 2: column 'county_fips' holds 'notanumber'") == 1
    assert "Booting worker" not in output and "Traceback" not in output


def _settings(path: Path) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return namespace


def test_gunicorn_settings_and_nginx_agree() -> None:
    settings = _settings(REPO / "gunicorn.conf.py")
    assert settings["preload_app"] is True and settings["threads"] == 4
    bind: str = settings["bind"][0]
    assert bind.startswith("127.0.0.1:")
    nginx = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(rf"server {re.escape(bind)}[ ;]", nginx)
    for directive in ("proxy_buffering on;", "client_body_timeout", "client_header_timeout", "send_timeout"):
        assert directive in nginx
    assert re.search(r"limit_conn per_address \d+;", nginx)
    assert "location = /healthz" in nginx and "application/geo+json" in nginx
    # nginx times out after gunicorn does, so gunicorn's own answer reaches the client.
    read_timeout = re.search(r"proxy_read_timeout (\d+)s;", nginx)
    assert read_timeout is not None and int(read_timeout[1]) > settings["timeout"]
