"""Each validation error, on a small broken copy of the real files: the message names file, line and problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.config import DEFAULT_BOUNDARIES, Config
from dashboard.data.errors import DataError
from dashboard.data.model import build_model


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
    assert "'solicited' is not a listed class" in str(info.value)
    assert "clearview_classes.csv" in info.value.fix


def test_a_vendor_record_naming_an_undeclared_vendor_names_both_files(copy_config: Config) -> None:
    path = copy_config.data_dir / "vendor_records.csv"
    _replace(path, "IBM,IBM at the Springfield", "Acme Vision,IBM at the Springfield")
    with pytest.raises(DataError) as info:
        build_model(copy_config)
    assert info.value.path == path
    assert info.value.line == _line_of(path, "Acme Vision,")
    assert "vendor 'Acme Vision' is not declared in vendors.csv" in str(info.value)
    assert "vendors.csv" in info.value.fix


def test_a_new_vendor_is_a_data_only_change(copy_config: Config) -> None:
    from dashboard.server import create_app
    from dashboard.state.view import view
    from dashboard.state.view_facts import view_facts
    from dashboard.views.figure import overlay_traces
    from dashboard.views.panels import overlay_keys, reach

    data = copy_config.data_dir
    with (data / "vendors.csv").open("a", encoding="utf-8") as handle:
        handle.write("Acme Vision,acme,cross,#117733,✚,false,true,false,A test vendor,test\n")
    with (data / "atlas_vendors.csv").open("a", encoding="utf-8") as handle:
        handle.write("Acme Vision,Acme Vision Inc.,The company's name\n")
    _replace(data / "vendor_records.csv", "IBM,IBM at the Springfield", "Acme Vision,IBM at the Springfield")
    model = build_model(copy_config)
    assert "Acme Vision" in model.catalog.default_vendors
    state = view(model.catalog)
    traces = overlay_traces(model, state)
    acme = next(t for t in traces if t.get("name") == "Acme Vision")
    assert acme["customdata"] == [281] and acme["marker"]["symbol"] == ["cross"]  # Springfield
    facts = view_facts(model, state)
    assert "Acme Vision" in str(overlay_keys(model, facts, traces)) and "Acme Vision" in str(reach(model, facts))
    create_app(model)  # the page builds with it: no code names the vendors


def test_a_vendor_with_no_atlas_name_fails_naming_the_fix(copy_config: Config) -> None:
    with (copy_config.data_dir / "vendors.csv").open("a", encoding="utf-8") as handle:
        handle.write("Acme Vision,acme,cross,#117733,✚,false,true,false,A test vendor,test\n")
    with pytest.raises(DataError) as info:
        build_model(copy_config)
    assert "no row for Acme Vision" in str(info.value) and info.value.path.name == "atlas_vendors.csv"


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


# The rules below are checked through the command line, as a curator meets them: exit 2, the file, the line, a fix.


def _check_error(data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "Fix:" in err
    assert "Traceback" not in err
    return err


def _check_output(data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    assert main(["check"]) == 0
    return capsys.readouterr().out


def test_latin1_byte_is_reported_at_its_line(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_copy / "uasi_region.csv"
    text = path.read_text(encoding="utf-8").replace("Cambridge,Surveillance", "Cambridge,Surveillance é", 1)
    path.write_bytes(text.encode("latin-1"))
    err = _check_error(data_copy, monkeypatch, capsys)
    assert f"uasi_region.csv, line {_line_of_bytes(path, 'Cambridge')}: byte 0xE9" in err
    assert "save it as CSV UTF-8" in err


def _line_of_bytes(path: Path, text: str) -> int:
    lines = path.read_bytes().split(b"\n")
    return next(i for i, line in enumerate(lines, 1) if text.encode() in line)


def test_a_spreadsheet_byte_order_mark_still_loads(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_copy / "clearview_listings.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    out = _check_output(data_copy, monkeypatch, capsys)
    assert "263 of 263" in out


def test_an_exact_duplicate_row_names_both_lines(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_copy / "clearview_listings.csv"
    row = next(line for line in path.read_text(encoding="utf-8").splitlines() if ",Seekon," in line)
    _replace(path, row + "\n", row + "\n" + row + "\n")
    first = _line_of(path, ",Seekon,")
    err = _check_error(data_copy, monkeypatch, capsys)
    assert f"clearview_listings.csv, line {first + 1}: this row repeats line {first} exactly" in err
    assert "delete one of the two" in err


@pytest.mark.parametrize("month", ["2020-13", "2020-2", "2020-00", "Feb 2020"])
def test_request_month_must_be_a_real_month(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], month: str
) -> None:
    path = data_copy / "clearview_listings.csv"
    _replace(path, "Bourne PD,2020-04,", f"Bourne PD,{month},")
    err = _check_error(data_copy, monkeypatch, capsys)
    line = _line_of(path, "Bourne PD,")
    assert f"clearview_listings.csv, line {line}: column 'request_month' holds '{month}', not a month" in err


@pytest.mark.parametrize("published", ["2021-02-30", "2/26/21", "2021-13-01", "2021-2-26"])
def test_publication_date_must_be_a_calendar_date(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], published: str
) -> None:
    path = data_copy / "records_index.csv"
    _replace(path, ",266,2019,2019,2021-02-26,", f",266,2019,2019,{published},")
    err = _check_error(data_copy, monkeypatch, capsys)
    line = _line_of(path, ",266,2019,2019,")
    assert f"records_index.csv, line {line}: column 'published' holds '{published}', not a calendar date" in err


def test_publication_date_must_be_the_index_date(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_copy / "records_index.csv"
    _replace(path, ",266,2019,2019,2021-02-26,", ",266,2019,2019,2021-02-27,")
    err = _check_error(data_copy, monkeypatch, capsys)
    line = _line_of(path, ",266,2019,2019,")
    assert f"records_index.csv, line {line}: published 2021-02-27 is not the index's publication date 2021-02-26" in err


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ("17,2017", "column 'year_start' holds '17', not a year YYYY"),
        ("2017,20170", "column 'year_end' holds '20170', not a year YYYY"),
        ("2018,2017", "year_start 2018 is after year_end 2017"),
        ("2016,2017", "year filed 2016-2017 is outside the index's span 2017-2020"),
        ("2017,2021", "year filed 2017-2021 is outside the index's span 2017-2020"),
    ],
)
def test_years_filed_are_years_in_the_span_start_first(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], years: str, message: str
) -> None:
    path = data_copy / "records_index.csv"
    _replace(path, "(MSP),4,2017,2017,", f"(MSP),4,{years},")
    err = _check_error(data_copy, monkeypatch, capsys)
    assert f"records_index.csv, line {_line_of(path, 'Booking Database')}: {message}" in err


def test_the_year_span_comes_from_the_published_figures(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace(data_copy / "published_figures.csv", "first_year_filed,2017,", "first_year_filed,2018,")
    err = _check_error(data_copy, monkeypatch, capsys)
    line = _line_of(data_copy / "records_index.csv", "Booking Database")
    assert f"records_index.csv, line {line}: year filed 2017-2017 is outside the index's span 2018-2020" in err


@pytest.mark.parametrize("requested", ["2019-13", "2019-7", "2020-2019", "July 2019", "19"])
def test_vendor_requested_is_a_month_a_year_or_a_span(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], requested: str
) -> None:
    path = data_copy / "vendor_records.csv"
    _replace(path, "(2019),2019-08,", f"(2019),{requested},")
    err = _check_error(data_copy, monkeypatch, capsys)
    line = _line_of(path, f"(2019),{requested},")
    assert f"vendor_records.csv, line {line}: column 'requested' holds '{requested}', not a month YYYY-MM" in err


def test_an_unknown_published_figure(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_copy / "published_figures.csv"
    _replace(path, "government_documents,", "government_docs,")
    err = _check_error(data_copy, monkeypatch, capsys)
    assert (
        f"published_figures.csv, line {_line_of(path, 'government_docs,')}: 'government_docs' is not an allowed" in err
    )


def test_a_missing_published_figure(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_copy / "published_figures.csv"
    path.write_text(
        "".join(line for line in path.read_text(encoding="utf-8").splitlines(True) if "records_index_rows" not in line),
        encoding="utf-8",
    )
    err = _check_error(data_copy, monkeypatch, capsys)
    assert "published_figures.csv: missing figure(s): records_index_rows" in err


@pytest.mark.parametrize(
    ("old", "new"),
    [("records_index_rows,63,", "records_index_rows,sixty-three,"), ("published,2021-02-26,", "published,2/26/21,")],
)
def test_a_published_figure_that_does_not_parse(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], old: str, new: str
) -> None:
    path = data_copy / "published_figures.csv"
    _replace(path, old, new)
    err = _check_error(data_copy, monkeypatch, capsys)
    figure = new.split(",")[0]
    assert f"published_figures.csv, line {_line_of(path, new)}: figure '{figure}' holds" in err


def test_a_use_listing_month_must_be_a_request_wave(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_copy / "clearview_listings.csv"
    _replace(path, "Dalton PD,2020-04,", "Dalton PD,2020-03,")
    err = _check_error(data_copy, monkeypatch, capsys)
    assert f"clearview_listings.csv, line {_line_of(path, 'Dalton PD,')}: request_month '2020-03'" in err
    assert "request_waves.csv (2020-02, 2020-04)" in err.split("Fix:")[1]


def test_the_waves_come_from_request_waves_csv(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    waves = data_copy / "request_waves.csv"
    waves.write_text(
        "".join(line for line in waves.read_text(encoding="utf-8").splitlines(True) if not line.startswith("2020-04")),
        encoding="utf-8",
    )
    err = _check_error(data_copy, monkeypatch, capsys)
    first_april = _line_of(data_copy / "clearview_listings.csv", ",2020-04,")
    assert f"clearview_listings.csv, line {first_april}: request_month '2020-04'" in err
    assert "request_waves.csv (2020-02)" in err.split("Fix:")[1]


def test_a_use_listing_needs_its_month(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_copy / "clearview_listings.csv"
    _replace(path, "Salem PD,2020-02,", "Salem PD,,")
    err = _check_error(data_copy, monkeypatch, capsys)
    assert f"clearview_listings.csv, line {_line_of(path, 'Salem PD,')}: the use_or_communication listing" in err
    assert "request_waves.csv" in err.split("Fix:")[1]


@pytest.mark.parametrize("old", ["solicitation_only,3,Needham,,", "no_responsive_documents,172,Seekon,,"])
def test_other_lists_have_no_month(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], old: str
) -> None:
    path = data_copy / "clearview_listings.csv"
    new = old.removesuffix(",,") + ",2020-02,"
    _replace(path, old, new)
    err = _check_error(data_copy, monkeypatch, capsys)
    assert f"clearview_listings.csv, line {_line_of(path, new)}: " in err
    assert "but the page publishes no month for that list" in err


@pytest.mark.parametrize(("old", "new"), [(",apr,", ",feb,"), (",apr,", ",Apr 2020,")])
def test_wave_slugs_are_url_safe_and_unique(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], old: str, new: str
) -> None:
    path = data_copy / "request_waves.csv"
    _replace(path, old, new)
    err = _check_error(data_copy, monkeypatch, capsys)
    assert f"request_waves.csv, line {_line_of(path, '2020-04')}: slug" in err


def test_real_data_matches_the_published_counts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "records index rows          63   published   63" in out
    assert "no_responsive_documents    227   published  227" in out
    assert "DIFFERS" not in out


def test_a_changed_listing_count_is_a_warning_not_a_failure(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_copy / "clearview_listings.csv"
    row = next(line for line in path.read_text(encoding="utf-8").splitlines(True) if ",Seekon," in line)
    _replace(path, row, "")
    out = _check_output(data_copy, monkeypatch, capsys)
    differs = [line for line in out.splitlines() if line.startswith("DIFFERS:")]
    assert differs == [
        "DIFFERS: no_responsive_documents: clearview_listings.csv holds 226, the page states 227 (-1; figure "
        "listed_no_responsive_documents). Keep it only if the curated table holds a reviewed correction of the page."
    ]
