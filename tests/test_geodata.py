"""The shipped boundary file: rebuilt byte for byte by our command, small, valid, gap-free, and checked on build."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from dashboard import config
from dashboard.__main__ import main
from dashboard.data.errors import DataError
from dashboard.data.prepare import DEFAULT_OUT, MAX_BYTES, PROPERTIES, new_holes, prepare
from dashboard.data.sources import read_boundaries

#: The full-resolution MassGIS copy on the project's machines; a user's clone does not have it.
SHARED = Path(__file__).resolve().parents[2] / "shared" / "geodata" / "ma_towns.geojson"
SHIPPED = config.REPO_DIR / "geodata" / "ma_towns.geojson"


def _need_shared() -> None:
    if not SHARED.is_file():
        pytest.skip(f"the MassGIS reference copy {SHARED} is not on this machine")


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads(SHIPPED.read_bytes())


@pytest.fixture(scope="module")
def shapes(shipped: dict) -> np.ndarray:
    return np.array([shapely.from_geojson(json.dumps(f["geometry"])) for f in shipped["features"]])


def test_the_default_configuration_reads_the_shipped_file() -> None:
    assert config.DEFAULT_BOUNDARIES == SHIPPED == DEFAULT_OUT
    assert config.load_config(env={}).boundaries == SHIPPED
    variable = {config.ENV_BOUNDARIES: "/variable.geojson"}
    assert config.load_config(env=variable).boundaries == Path("/variable.geojson")
    assert config.load_config("/option.geojson", env=variable).boundaries == Path("/option.geojson")
    assert "../shared" not in config.BOUNDARY_HELP


def test_the_build_reproduces_the_shipped_file_byte_for_byte(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _need_shared()
    out = tmp_path / "ma_towns.geojson"
    assert main(["geodata", "build", "--from", str(SHARED), "--out", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.read_bytes(), "rebuild and commit: python -m dashboard geodata build --from FILE"
    summary = capsys.readouterr().out
    assert summary.count("\n") == 1 and "351 towns" in summary and "vertices" in summary and "MB" in summary


def test_the_shipped_file_names_its_origin_and_how_it_was_made(shipped: dict) -> None:
    meta = shipped["provenance"]
    assert "MassGIS" in meta["publisher"] and "Commonwealth of Massachusetts" in meta["publisher"]
    assert "TOWNSSURVEY_POLYM" in meta["layer"]
    assert "free public data" in meta["license"]
    assert meta["tolerance_degrees"] == 0.0003 and meta["decimals"] == 6
    assert meta["command"] == f"python -m dashboard geodata build --from {meta['input']['file']}"
    if SHARED.is_file():
        assert meta["input"] == {"file": SHARED.name, "sha256": hashlib.sha256(SHARED.read_bytes()).hexdigest()}


def test_the_shipped_file_is_small_and_deterministic_json(shipped: dict) -> None:
    data = SHIPPED.read_bytes()
    assert len(data) <= MAX_BYTES <= 1_500_000
    assert data.endswith(b"}\n") and data.count(b"\n") == 1
    assert data == (json.dumps(shipped, separators=(",", ":")) + "\n").encode("ascii")


def test_the_shipped_file_holds_the_351_towns_with_exactly_four_fields(shipped: dict) -> None:
    features = shipped["features"]
    assert shipped["type"] == "FeatureCollection" and len(features) == 351
    assert [f["properties"]["TOWN_ID"] for f in features] == list(range(1, 352))
    for feature in features:
        properties = feature["properties"]
        assert tuple(properties) == PROPERTIES == ("TOWN", "TOWN_ID", "FIPS_STCO", "POP2010")
        assert isinstance(properties["TOWN"], str)
        assert all(type(properties[k]) is int for k in PROPERTIES[1:])
        assert 25001 <= properties["FIPS_STCO"] <= 25027
    assert sum(f["properties"]["POP2010"] for f in features) == 6_547_629


def test_the_shipped_towns_are_valid_and_tile_the_state_without_holes(shapes: np.ndarray) -> None:
    assert shapely.is_valid(shapes).all()
    assert set(shapely.get_type_id(shapes)) <= {3, 6}  # Polygon, MultiPolygon
    assert shapely.coverage_is_valid(shapes)
    union = shapely.union_all(shapes)
    assert sum(len(part.interiors) for part in shapely.get_parts(union)) == 0
    # No overlaps: the parts' areas add up to the union's.
    assert shapely.area(shapes).sum() == pytest.approx(union.area, rel=1e-9)


def test_the_shipped_rings_follow_rfc_7946(shapes: np.ndarray) -> None:
    polygons = shapely.get_parts(shapes)
    assert shapely.is_ccw(shapely.get_exterior_ring(polygons)).all()
    holes = [ring for polygon in polygons for ring in polygon.interiors]
    assert not any(ring.is_ccw for ring in holes)


def test_the_app_reads_the_shipped_file() -> None:
    frame = read_boundaries(SHIPPED)
    assert len(frame) == 351 and frame["POP2010"].sum() == 6_547_629
    wayland = frame.loc[frame["TOWN"] == "WAYLAND", "geometry"].item()
    assert wayland.is_valid


def test_the_build_refuses_350_towns_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    collection = json.loads(SHIPPED.read_bytes())
    collection["features"] = collection["features"][:350]
    short = tmp_path / "only_350_towns.geojson"
    short.write_text(json.dumps(collection), encoding="utf-8")
    out = tmp_path / "out.geojson"
    assert main(["geodata", "build", "--from", str(short), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and str(short) in captured.err
    assert "350 towns" in captured.err and "Traceback" not in captured.err
    assert not out.exists()


def test_the_build_runs_without_a_usable_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The boundary file the model would read may not exist yet: the build must not need it.
    monkeypatch.setenv(config.ENV_BOUNDARIES, str(tmp_path / "missing.geojson"))
    out = tmp_path / "rebuilt.geojson"
    argv = ["--boundaries", str(tmp_path / "missing.geojson"), "geodata", "build", "--from", str(SHIPPED)]
    assert main([*argv, "--out", str(out)]) == 0
    assert len(json.loads(out.read_bytes())["features"]) == 351


def test_the_build_refuses_a_result_that_fails_its_checks() -> None:
    _need_shared()
    frame = read_boundaries(SHARED)
    # 5 decimals is one too few: rounding makes two coastal towns self-intersect.
    with pytest.raises(DataError, match="invalid geometry: IPSWICH, NEWBURY") as caught:
        prepare(frame, SHARED, b"", decimals=5)
    assert caught.value.path == SHARED and "Nothing was written" in caught.value.message


def test_new_holes_finds_only_holes_the_input_lacks() -> None:
    grid = np.array([shapely.box(x, y, x + 1, y + 1) for x in range(3) for y in range(3)])
    without_centre = np.delete(grid, 4)
    assert len(new_holes(grid, without_centre)) == 1
    assert new_holes(without_centre, without_centre) == []
    assert new_holes(grid, grid) == []
