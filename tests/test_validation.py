"""Each validation error, on a small broken copy of the real files: the message names file, line and problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.config import DEFAULT_BOUNDARIES, Config
from dashboard.errors import DataError
from dashboard.model import build_model


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_bad_category_names_the_file_line_and_value(copy_config: Config) -> None:
    path = copy_config.data_dir / "clearview_listings.csv"
    _replace(path, "solicitation_only,3,Needham", "solicited,3,Needham")
    with pytest.raises(DataError) as info:
        build_model(copy_config)
    assert info.value.path == path
    assert info.value.line == _line_of(path, "solicited,3,Needham")
    assert "'solicited' is not an allowed category" in str(info.value)


def test_unknown_name_fails_naming_it(copy_config: Config) -> None:
    path = copy_config.data_dir / "clearview_listings.csv"
    _replace(path, ",Seekon,", ",Seekonkk,")
    with pytest.raises(DataError) as info:
        build_model(copy_config)
    assert info.value.line == _line_of(path, ",Seekonkk,")
    assert "'Seekonkk' matches no municipality" in str(info.value)
    assert "name_resolutions.csv" in info.value.fix


def test_missing_column_is_reported_on_line_one(copy_config: Config) -> None:
    path = copy_config.data_dir / "records_index.csv"
    _replace(path, ",documents,", ",docs,")
    with pytest.raises(DataError) as info:
        build_model(copy_config)
    assert info.value.line == 1
    assert "missing column(s): documents" in str(info.value)


def test_missing_data_file(copy_config: Config) -> None:
    (copy_config.data_dir / "agencies.csv").unlink()
    with pytest.raises(DataError, match="agencies.csv: file not found"):
        build_model(copy_config)


def test_row_with_an_unquoted_comma_is_caught(copy_config: Config) -> None:
    path = copy_config.data_dir / "name_resolutions.csv"
    _replace(path, "Misspelling; no municipality", "Misspelling, no municipality")
    with pytest.raises(DataError, match="expected 5 fields, found 6"):
        build_model(copy_config)


def test_non_numeric_document_count(copy_config: Config) -> None:
    path = copy_config.data_dir / "records_index.csv"
    _replace(path, "Boston Office of Emergency Management,266,", "Boston Office of Emergency Management,26x,")
    with pytest.raises(DataError, match="'documents' holds '26x', not a whole number"):
        build_model(copy_config)


def test_alias_whose_town_id_disagrees_with_its_town(copy_config: Config) -> None:
    path = copy_config.data_dir / "name_resolutions.csv"
    _replace(path, "Belcher,24,BELCHERTOWN", "Belcher,25,BELCHERTOWN")
    with pytest.raises(DataError, match="town_id 25 does not match town 'BELCHERTOWN'"):
        build_model(copy_config)


def test_record_title_missing_from_the_index(copy_config: Config) -> None:
    path = copy_config.data_dir / "vendor_records.csv"
    _replace(path, "IBM at the Springfield Police Department,", "IBM at Springfield,")
    with pytest.raises(DataError, match="record_title 'IBM at Springfield' is not in records_index.csv"):
        build_model(copy_config)


def _write_boundaries(tmp_path: Path, edit) -> Path:
    collection = json.loads(DEFAULT_BOUNDARIES.read_text(encoding="utf-8"))
    edit(collection["features"])
    path = tmp_path / "towns.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def test_duplicate_town_id_in_boundaries(copy_config: Config, tmp_path: Path) -> None:
    def duplicate(features: list) -> None:
        features[1]["properties"]["TOWN_ID"] = features[0]["properties"]["TOWN_ID"]

    path = _write_boundaries(tmp_path, duplicate)
    config = Config(copy_config.data_dir, path, copy_config.cache_dir)
    with pytest.raises(DataError, match="TOWN_ID repeated in the boundary file"):
        build_model(config)


def test_boundaries_missing_a_town(copy_config: Config, tmp_path: Path) -> None:
    path = _write_boundaries(tmp_path, lambda features: features.pop())
    config = Config(copy_config.data_dir, path, copy_config.cache_dir)
    with pytest.raises(DataError, match="holds 350 towns, not the 351"):
        build_model(config)


def test_check_exits_zero_on_real_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "263 of 263" in out
    assert "no_response                 99" in out


def test_check_on_missing_boundary_file_says_where_to_get_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["--boundaries", str(tmp_path / "nowhere.geojson"), "check"]) == 2
    err = capsys.readouterr().err
    assert "nowhere.geojson: the municipal boundary file was not found" in err
    assert "MassGIS" in err and "MA_TOWNS_GEOJSON" in err
    assert "Traceback" not in err


def test_check_on_a_broken_fixture_exits_nonzero_with_the_problem(
    copy_config: Config, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _replace(copy_config.data_dir / "uasi_region.csv", "Winthrop,", "Winthorp,")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(copy_config.data_dir))
    assert main(["check"]) == 2
    assert "'Winthorp' matches no municipality" in capsys.readouterr().err
