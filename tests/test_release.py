"""The release: its Data Package valid under `frictionless validate`, its bytes the same when rebuilt, its checksums,
every column typed, the foreign keys checked, and CITATION.cff as data/ gives it."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from dashboard.__main__ import main
from dashboard.config import Config
from dashboard.data.model import Model
from dashboard.exports.citation import citation_cff
from dashboard.exports.release import write_release

REPO = Path(__file__).resolve().parent.parent
#: The published tables and their files, as the issue names them.
PUBLISHED = ("towns", "agencies", "events", "records")
WITH_GEOJSON = ("towns", "agencies", "events")
#: Table Schema's type for each column kind of data/columns.csv and dashboard/data/schema.py.
TYPES = {
    "text": "string",
    "int": "integer",
    "year": "year",
    "month": "yearmonth",
    "date": "date",
    "bool": "boolean",
    "url": "string",
    "color": "string",
    "day_or_month": "string",
    "period": "string",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def _validate(folder: Path) -> dict:
    """`frictionless validate --json` on the folder's datapackage.json, as CI would run it."""
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def release(model: Model, config: Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release written once: the path of its archive (its folder beside it)."""
    return write_release(model, config.data_dir, tmp_path_factory.mktemp("release"))


def _folder(archive: Path) -> Path:
    return archive.with_suffix("")


def _package(archive: Path) -> dict:
    return json.loads((_folder(archive) / "datapackage.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_frictionless_validates_the_release(release: Path, config: Config) -> None:
    report = _validate(_folder(release))
    errors = [(t.get("name"), e["message"]) for t in report["tasks"] for e in t["errors"]]
    assert report["valid"], errors[:10]
    checked = {t["name"] for t in report["tasks"] if t["valid"]}
    assert set(PUBLISHED) | {f"{n}-geojson" for n in WITH_GEOJSON} <= checked
    tables = {t["name"]: t["stats"] for t in report["tasks"] if t["type"] == "table"}
    assert tables["towns"]["rows"] == 351  # the municipalities of Massachusetts
    # Every curated file of data/ is checked, each as a table.
    assert {t["place"] for t in report["tasks"] if t["type"] == "table"} >= {
        f"data/{p.name}" for p in config.data_dir.glob("*.csv")
    }


def test_the_release_holds_every_file(release: Path, config: Config) -> None:
    names = {p.relative_to(_folder(release)).as_posix() for p in _folder(release).rglob("*") if p.is_file()}
    expected = {"datapackage.json", "openapi.json", "CITATION.cff", "LICENSE", "DATA-LICENCE.md", "README.md"}
    expected |= {"SHA256SUMS", "data/changelog.csv"} | {f"{n}.csv" for n in PUBLISHED}
    expected |= {f"{n}.geojson" for n in WITH_GEOJSON} | {f"data/{p.name}" for p in config.data_dir.glob("*.csv")}
    assert names == expected
    for path in config.data_dir.glob("*.csv"):  # the curated files as they are, byte for byte
        assert (_folder(release) / "data" / path.name).read_bytes() == path.read_bytes()
    assert (_folder(release) / "LICENSE").read_bytes() == (REPO / "LICENSE").read_bytes()
    assert (_folder(release) / "CITATION.cff").read_bytes() == (REPO / "CITATION.cff").read_bytes()
    assert json.loads((_folder(release) / "openapi.json").read_text(encoding="utf-8"))["openapi"].startswith("3.")
    with zipfile.ZipFile(release) as archive:
        root = _folder(release).name
        assert {n.removeprefix(f"{root}/") for n in archive.namelist()} == names
        assert all(n.startswith(f"{root}/") for n in archive.namelist())  # unpacks into one folder


def test_a_rebuilt_release_is_byte_identical(model: Model, config: Config, release: Path, tmp_path: Path) -> None:
    again = write_release(model, config.data_dir, tmp_path)
    assert again.name == release.name
    assert again.read_bytes() == release.read_bytes()
    assert (_folder(again) / "SHA256SUMS").read_bytes() == (_folder(release) / "SHA256SUMS").read_bytes()
    with zipfile.ZipFile(again) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    changelog_latest = max(r["date"] for r in _rows(config.data_dir / "changelog.csv"))
    for info in infos:  # no clock, no builder's permissions
        year, month, day = info.date_time[:3]
        assert f"{year:04d}-{month:02d}-{day:02d}" == changelog_latest and info.date_time[3:] == (0, 0, 0)
        assert info.external_attr >> 16 == 0o100644


def test_sha256sums_match_the_files(release: Path) -> None:
    folder = _folder(release)
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, path = line.split("  ", 1)
        listed[path] = digest
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == files
    for path, digest in listed.items():
        assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest, path
    # The descriptor's own integrity fields agree with the files (frictionless checks them too).
    for resource in _package(release)["resources"]:
        content = (folder / resource["path"]).read_bytes()
        assert resource["bytes"] == len(content)
        assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()


def test_every_column_is_described_with_its_type(release: Path, config: Config) -> None:
    folder = _folder(release)
    resources = {r["path"]: r for r in _package(release)["resources"]}
    kinds = {(r["table"], r["column"]): r["kind"] for r in _rows(config.data_dir / "columns.csv")}
    meanings = {(r["table"], r["column"]): r["meaning"] for r in _rows(config.data_dir / "columns.csv")}
    for table in PUBLISHED:
        fields = resources[f"{table}.csv"]["schema"]["fields"]
        assert [f["name"] for f in fields] == _header(folder / f"{table}.csv")
        for field in fields:
            key = (table, field["name"]) if (table, field["name"]) in kinds else ("", field["name"])
            assert field["type"] == TYPES[kinds[key]], (table, field["name"])
            assert field["description"] == meanings[key]
    for path in config.data_dir.glob("*.csv"):
        fields = resources[f"data/{path.name}"]["schema"]["fields"]
        assert [f["name"] for f in fields] == _header(path)
        assert all(f["type"] in TYPES.values() for f in fields), path.name
    towns = {f["name"]: f for f in resources["towns.csv"]["schema"]["fields"]}
    assert towns["population_2010"]["unit"] == "persons"
    assert towns["uasi_region"]["trueValues"] == ["true"] and towns["uasi_region"]["falseValues"] == ["false"]
    classes = [r["class_id"] for r in _rows(config.data_dir / "clearview_classes.csv")]
    assert towns["clearview_status"]["constraints"]["enum"] == classes
    assert resources["towns.csv"]["schema"]["primaryKey"] == ["town_id"]
    assert resources["towns.csv"]["schema"]["missingValues"] == [""]
    records = {f["name"]: f for f in resources["records.csv"]["schema"]["fields"]}
    assert records["documents"]["unit"] == "documents"
    policy = {f["name"]: f for f in resources["data/policy_events.csv"]["schema"]["fields"]}
    assert policy["date_precision"]["constraints"] == {"required": True, "enum": ["day", "month"]}
    assert policy["effective_date"].get("constraints", {}).get("required") is not True


def test_the_package_names_licence_version_sources_and_date(release: Path, model: Model, config: Config) -> None:
    package = _package(release)
    publication = {r["field"]: r["value"] for r in _rows(config.data_dir / "publication.csv")}
    assert package["licenses"] == [
        {
            "name": publication["data_licence"],
            "title": publication["data_licence_title"],
            "path": publication["data_licence_url"],
        }
    ]
    assert package["title"] == publication["title"]
    assert package["contributors"][0]["title"] == publication["creator"]
    assert package["version"] == model.data_version
    assert package["created"] == max(r["date"] for r in _rows(config.data_dir / "changelog.csv")) + "T00:00:00Z"
    assert "https://data.aclum.org/public-records/frt-ma/" in [s.get("path") for s in package["sources"]]
    assert any("MassGIS" in s["title"] for s in package["sources"])


@pytest.mark.slow
def test_a_broken_key_fails_validation(release: Path, tmp_path: Path) -> None:
    """A town_id that names no town in events.csv, and a county code no county has in data/agencies.csv."""
    folder = tmp_path / "broken"
    shutil.copytree(_folder(release), folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:  # so that only the keys can fail, not the checksums
        del resource["hash"], resource["bytes"]
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    events = folder / "events.csv"
    rows = list(csv.reader(io.StringIO(events.read_text(encoding="utf-8"))))
    town = rows[0].index("town_id")
    broken_row = next(i for i, row in enumerate(rows) if i and row[town])
    rows[broken_row][town] = "999"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    events.write_text(out.getvalue(), encoding="utf-8")
    agencies = folder / "data" / "agencies.csv"
    text = agencies.read_text(encoding="utf-8")
    first_fips = next(r["county_fips"] for r in _rows(agencies) if r["county_fips"])
    agencies.write_text(text.replace(f",{first_fips},", ",25999,", 1), encoding="utf-8")
    report = _validate(folder)
    assert not report["valid"]
    broken = {(t["name"], e["type"]) for t in report["tasks"] for e in t["errors"]}
    assert broken == {("events", "foreign-key"), ("data-agencies", "foreign-key")}


def test_the_citation_file_is_what_the_data_gives(model: Model, config: Config) -> None:
    held = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert held == citation_cff(model, config.data_dir), "run: python -m dashboard release --citation CITATION.cff"
    cff = yaml.safe_load(held)
    publication = {r["field"]: r["value"] for r in _rows(config.data_dir / "publication.csv")}
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert cff["title"] == publication["title"]
    assert cff["authors"] == [{"name": publication["creator"]}]
    assert cff["license"] == publication["data_licence"]
    assert cff["date-released"] == max(r["date"] for r in _rows(config.data_dir / "changelog.csv"))
    assert cff["version"] == model.data_version and cff["version"].startswith(cff["date-released"] + "+")
    assert cff["abstract"] and cff["message"]
    assert {"title": "Facial Recognition in Massachusetts", "url": "https://data.aclum.org/public-records/frt-ma/"} == {
        k: cff["references"][0][k] for k in ("title", "url")
    }
    assert cff["references"][0]["authors"] == [{"name": "ACLU of Massachusetts"}]


@pytest.mark.slow
def test_the_command_writes_the_citation_and_refuses_no_target(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["release"]) == 2
    assert "--citation" in capsys.readouterr().err
    target = tmp_path / "CITATION.cff"
    assert main(["release", "--citation", str(target)]) == 0
    assert target.read_bytes() == (REPO / "CITATION.cff").read_bytes()


def test_a_folder_that_is_not_a_release_is_left_alone(model: Model, config: Config, tmp_path: Path) -> None:
    name = f"ma-surveillance-map-data-{model.data_version}"
    (tmp_path / name).mkdir()
    keep = tmp_path / name / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    with pytest.raises(Exception, match="not a release folder"):
        write_release(model, config.data_dir, tmp_path)
    assert keep.read_text(encoding="utf-8") == "mine"
