"""Policy events and kinds: each rule broken on a copy of data/, the model's events, the policy as of a month."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.config import Config
from dashboard.data.catalog import MIN_GRAY_CONTRAST, gray_contrast
from dashboard.data.errors import DataError
from dashboard.data.model import Model, build_model
from dashboard.data.policy import policy_as_of, policy_now

EVENTS = "policy_events.csv"
KINDS = "policy_kinds.csv"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _check_error(
    config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], filename: str, marker: str
) -> str:
    """`python -m dashboard check` on the broken copy: exit 2, the file and the line of `marker`, a fix."""
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(config.data_dir))
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert "Fix:" in err
    assert f"{filename}, line {_line_of(config.data_dir / filename, marker)}: " in err
    return err


# --- policy_events.csv: one rule each ---------------------------------------------------------------------------


def test_event_ids_are_unique(
    copy_config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace(copy_config.data_dir / EVENTS, "FS-03,Northampton", "FS-02,Northampton")
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, "FS-02,Northampton")
    assert "duplicate event_id FS-02 (first on line" in err


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        # A day with precision month, and a month with precision day: the precision must say what is written.
        ('_ban,2019-12,month,,"Special', '_ban,2019-12-11,month,,"Special',
         "FS-02,", "FS-02: date '2019-12-11' is a day, but date_precision is month"),
        ("_ban,2019-06-27,day,", "_ban,2019-06,day,",
         "FS-01,", "FS-01: date '2019-06' is a month, but date_precision is day"),
    ],
)  # fmt: skip
def test_date_matches_its_precision(
    copy_config: Config,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    marker: str,
    message: str,
) -> None:
    _replace(copy_config.data_dir / EVENTS, old, new)
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, marker)
    assert message in err
    assert "never an inferred day" in err.split("Fix:")[1]


@pytest.mark.parametrize("written", ["2019-6-27", "June 2019", "2019-06-31", "2019-13", "2019"])
def test_date_is_a_day_or_a_month(
    copy_config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    _replace(
        copy_config.data_dir / EVENTS, "face_surveillance_ban,2019-06-27,day", f"face_surveillance_ban,{written},day"
    )
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, "FS-01,")
    assert f"column 'date' holds '{written}', not a day YYYY-MM-DD or a month YYYY-MM" in err


@pytest.mark.parametrize("written", ["July 2021", "2021-7-1", "2021-02-30"])
def test_effective_date_is_a_day_or_a_month(
    copy_config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    _replace(copy_config.data_dir / EVENTS, "2020-12-31,day,2021-07-01,", f"2020-12-31,day,{written},")
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, "SL-01,")
    assert f"column 'effective_date' holds '{written}', not a day YYYY-MM-DD or a month YYYY-MM" in err


@pytest.mark.parametrize("effective", ["2020-12-30", "2020-11"])
def test_effective_date_is_not_before_the_date(
    copy_config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], effective: str
) -> None:
    _replace(copy_config.data_dir / EVENTS, "2020-12-31,day,2021-07-01,", f"2020-12-31,day,{effective},")
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, "SL-01,")
    assert f"SL-01: effective_date '{effective}' is before the date '2020-12-31'" in err


def test_an_effective_month_of_the_same_month_is_not_before_the_day(copy_config: Config) -> None:
    # SO-03 was passed in 2019-10 (a month): an effective day in that month cannot be said to come before it.
    _replace(copy_config.data_dir / EVENTS, "2019-10,month,2020-10-15,", "2019-10,month,2019-10-01,")
    _replace(copy_config.data_dir / EVENTS, "2020-12-31,day,2021-07-01,", "2020-12-31,day,2020-12,")
    events = build_model(copy_config).events.set_index("event_id")
    assert events.loc["SO-03", "effective_date"] == "2019-10-01"
    assert events.loc["SL-01", "effective_date"] == "2020-12"


@pytest.mark.parametrize(
    "url", ["www.senatorchangdiaz.com/police-reform", "ftp://senatorchangdiaz.com/x", "https://", "https://a b"]
)
def test_source_url_is_http_or_https(
    copy_config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    _replace(copy_config.data_dir / EVENTS, "https://www.senatorchangdiaz.com/police-reform", url)
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, "SL-01,")
    assert f"column 'source_url' holds '{url}', not an address starting http:// or https://" in err


def test_source_quote_is_not_empty(
    copy_config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace(
        copy_config.data_dir / EVENTS,
        ",The Northampton City Council voted Thursday night to ban the technology.,",
        ",,",
    )
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, "FS-03,")
    assert "column 'source_quote' is empty" in err


@pytest.mark.parametrize(("extra", "fails"), [(28, False), (29, True)])
def test_source_quote_is_under_forty_words(
    copy_config: Config,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: int,
    fails: bool,
) -> None:
    quote = "The Northampton City Council voted Thursday night to ban the technology."  # 11 words
    _replace(copy_config.data_dir / EVENTS, quote, quote + " and" * extra)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(copy_config.data_dir))
    if not fails:  # 39 words: still under 40
        assert main(["check"]) == 0
        return
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, "FS-03,")
    assert "FS-03: source_quote has 40 words, not under 40" in err


def test_an_undeclared_kind_names_both_files(
    copy_config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace(
        copy_config.data_dir / EVENTS, "FS-05,Springfield,face_surveillance_moratorium,", "FS-05,Springfield,pause,"
    )
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, "FS-05,")
    assert "kind 'pause' is not declared in policy_kinds.csv" in err
    assert "policy_kinds.csv" in err.split("Fix:")[1]


# --- jurisdiction: a municipality through the Resolver, or the Commonwealth ----------------------------------------


@pytest.mark.parametrize("name", ["EASTHAMPTON", "East Hampton"])  # the MassGIS name in capitals; a reviewed alias
def test_a_jurisdiction_resolves_like_any_published_name(copy_config: Config, name: str) -> None:
    _replace(copy_config.data_dir / EVENTS, "FS-07,Easthampton,", f"FS-07,{name},")
    events = build_model(copy_config).events.set_index("event_id")
    assert events.loc["FS-07", "town_id"] == 87


def test_an_unknown_jurisdiction_fails_naming_the_file_and_line(
    copy_config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace(copy_config.data_dir / EVENTS, "FS-07,Easthampton,", "FS-07,Easthamptn,")
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, "FS-07,")
    assert "the name 'Easthamptn' matches no municipality" in err


def test_an_agency_is_not_a_jurisdiction(
    copy_config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace(copy_config.data_dir / EVENTS, "FS-07,Easthampton,", "FS-07,Msp,")
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, "FS-07,")
    assert "FS-07: 'Msp' is the agency msp, not a municipality" in err


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        ("SL-01,Commonwealth of Massachusetts,", "SL-01,Boston,", "SL-01,",
         "SL-01: a state_law event applies to the whole state, not to 'Boston'"),
        ("SL-01,Commonwealth of Massachusetts,", "SL-01,Massachusetts,", "SL-01,",
         "SL-01: a state_law event applies to the whole state, not to 'Massachusetts'"),
        ("FS-08,Worcester,", "FS-08,Commonwealth of Massachusetts,", "FS-08,",
         "FS-08: a face_surveillance_ban event is a municipality's, not the Commonwealth's"),
    ],
)  # fmt: skip
def test_the_jurisdiction_matches_the_scope_of_the_kind(
    copy_config: Config,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    marker: str,
    message: str,
) -> None:
    _replace(copy_config.data_dir / EVENTS, old, new)
    err = _check_error(copy_config, monkeypatch, capsys, EVENTS, marker)
    assert message in err


# --- policy_kinds.csv ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",municipal,#5aae61,", ",city,#5aae61,", "'city' is not an allowed scope"),
        (",#5aae61,dash,", ",#5aae61,dashed,", "'dashed' is not an allowed line"),
        (",#5aae61,dash,", ",green,dash,", "column 'color' holds 'green', not a color #rrggbb"),
        (",#5aae61,dash,", ",#00441b,dash,",
         "face_surveillance_moratorium has the color #00441b, as face_surveillance_ban"),
        (",#5aae61,dash,", ",#B5367A,dash,", "has the color #B5367A of the Clearview class solicitation_only"),
        (",#5aae61,dash,", ",#5aae61,solid,", "face_surveillance_moratorium and face_surveillance_ban both outline"),
        (",#5aae61,dash,", ",#005a32,dash,",
         "face_surveillance_moratorium (#005a32) and face_surveillance_ban (#00441b) look alike in grayscale"),
        ("Face-surveillance moratorium,", ",", "column 'label' is empty"),
    ],
)  # fmt: skip
def test_kinds_are_declared_and_told_apart(
    copy_config: Config,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    message: str,
) -> None:
    _replace(copy_config.data_dir / KINDS, old, new)
    err = _check_error(copy_config, monkeypatch, capsys, KINDS, "face_surveillance_moratorium,")
    assert message in err


def test_a_duplicate_kind(
    copy_config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_config.data_dir / KINDS
    _replace(path, "state_law,State law", "face_surveillance_ban,State law")
    err = _check_error(copy_config, monkeypatch, capsys, KINDS, "State law regulating")
    assert "duplicate kind face_surveillance_ban" in err


def test_the_kinds_the_summary_reports_must_be_declared(copy_config: Config) -> None:
    path = copy_config.data_dir / KINDS
    kept = [line for line in path.read_text(encoding="utf-8").splitlines(True) if "surveillance_oversight" not in line]
    path.write_text("".join(kept), encoding="utf-8")
    with pytest.raises(DataError) as info:
        build_model(copy_config)
    assert info.value.path == path
    assert "the municipal kind surveillance_oversight_ordinance is not declared" in str(info.value)


def test_a_new_kind_is_a_data_only_change(copy_config: Config) -> None:
    with (copy_config.data_dir / KINDS).open("a", encoding="utf-8") as handle:
        handle.write("state_commission,State commission on face recognition,state,#8c510a,dash,A commission.\n")
    _replace(
        copy_config.data_dir / EVENTS,
        "SL-01,Commonwealth of Massachusetts,state_law,",
        "SL-01,Commonwealth of Massachusetts,state_commission,",
    )
    model = build_model(copy_config)
    assert model.catalog.policy_kind["state_commission"].label == "State commission on face recognition"
    assert model.events.set_index("event_id").loc["SL-01", "scope"] == "state"


def test_the_real_kinds_differ_by_color_gray_and_line(model: Model) -> None:
    kinds = model.catalog.policy_kinds
    assert [k.id for k in kinds] == [
        "face_surveillance_ban",
        "face_surveillance_moratorium",
        "surveillance_oversight_ordinance",
        "state_law",
    ]
    colors = [k.color.lower() for k in kinds]
    assert len(set(colors)) == len(colors)
    assert not set(colors) & {c.color.lower() for c in model.catalog.classes}
    municipal = [k for k in kinds if k.scope == "municipal"]
    assert [k.line for k in municipal] == ["solid", "dash", "dot"]
    for i, kind in enumerate(municipal):
        for other in municipal[:i]:
            assert gray_contrast(kind.color, other.color) >= MIN_GRAY_CONTRAST
    for kind in kinds:
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", kind.label + kind.description)  # plain words
        assert kind.description.endswith(".") and kind.description.count(". ") == 0  # one sentence


# --- the model's events and the policy as of a month ---------------------------------------------------------------


def test_events_on_the_model(model: Model) -> None:
    events = model.events
    assert list(events.columns) == [
        "event_id",
        "town_id",
        "scope",
        "kind",
        "date",
        "date_precision",
        "start",
        "effective_date",
        "title",
        "source_url",
        "source_quote",
    ]
    assert len(events) == 13 and events["event_id"].is_unique
    assert str(events["town_id"].dtype) == "Int64"
    assert list(zip(events["date"], events["event_id"])) == sorted(zip(events["date"], events["event_id"]))
    by_id = events.set_index("event_id")
    assert pd.isna(by_id.loc["SL-01", "town_id"]) and by_id.loc["SL-01", "scope"] == "state"
    assert by_id.loc["FS-07", "town_id"] == 87  # Easthampton
    # A day is placed in its month; a month stays a month, never a day.
    assert (by_id.loc["FS-01", "date"], by_id.loc["FS-01", "start"]) == ("2019-06-27", "2019-06")
    assert (by_id.loc["FS-02", "date"], by_id.loc["FS-02", "start"]) == ("2019-12", "2019-12")
    assert by_id.loc["SO-04", "effective_date"] == "2022-08"
    assert events["kind"].value_counts().to_dict() == {
        "face_surveillance_ban": 7,
        "surveillance_oversight_ordinance": 4,
        "face_surveillance_moratorium": 1,
        "state_law": 1,
    }


def _names(model: Model, table: pd.DataFrame, column: str, value: object) -> set[str]:
    return set(model.towns.loc[table.index[table[column].eq(value)], "town"])


#: Counted by hand from data/policy_events.csv: the events dated in or before each month.
BY_HAND = {
    "2019-12": (
        {"Somerville", "Brookline", "Northampton"},
        set(),
        {"Lawrence", "Cambridge", "Somerville"},
        75754 + 58732 + 28549,
    ),
    "2020-12": (
        {"Somerville", "Brookline", "Northampton", "Cambridge", "Boston", "Easthampton"},
        {"Springfield"},
        {"Lawrence", "Cambridge", "Somerville"},
        75754 + 58732 + 28549 + 105162 + 617594 + 16053 + 153060,
    ),
    "2021-12": (
        {"Somerville", "Brookline", "Northampton", "Cambridge", "Boston", "Easthampton", "Worcester"},
        {"Springfield"},
        {"Lawrence", "Cambridge", "Somerville", "Boston"},
        75754 + 58732 + 28549 + 105162 + 617594 + 16053 + 153060 + 181045,
    ),
}


@pytest.mark.parametrize("month", sorted(BY_HAND))
def test_policy_as_of_a_month_matches_a_hand_count(model: Model, month: str) -> None:
    bans, moratoria, oversight, residents = BY_HAND[month]
    table = policy_as_of(model, month)
    assert len(table) == 351 and table.index.name == "town_id"
    assert _names(model, table, "face_surveillance_policy", "ban") == bans
    assert _names(model, table, "face_surveillance_policy", "moratorium") == moratoria
    assert _names(model, table, "oversight_ordinance", True) == oversight
    assert table["face_surveillance_policy"].eq("none").sum() == 351 - len(bans) - len(moratoria)
    covered = table.index[table["face_surveillance_policy"].ne("none")]
    assert int(model.towns.loc[covered, "population_2010"].sum()) == residents


def test_in_force_means_dated_by_then_and_a_month_stays_a_month(model: Model) -> None:
    # Somerville's ban was voted 2019-06-27: in force as of 2019-06, not as of 2019-05.
    assert policy_as_of(model, "2019-05").loc[274, "face_surveillance_policy"] == "none"
    june = policy_as_of(model, "2019-06").loc[274]
    assert (june["face_surveillance_policy"], june["face_surveillance_policy_date"]) == ("ban", "2019-06-27")
    # Brookline's and Northampton's are dated only to 2019-12: in force as of that month, shown as the month.
    assert policy_as_of(model, "2019-11").loc[[46, 214], "face_surveillance_policy"].eq("none").all()
    december = policy_as_of(model, "2019-12").loc[[46, 214], "face_surveillance_policy_date"]
    assert list(december) == ["2019-12", "2019-12"]
    # Somerville's oversight ordinance took effect 2020-10-15, but counts from its vote (2019-10).
    assert policy_as_of(model, "2019-10").loc[274, "oversight_ordinance"]
    # The state law regulates, it bans nothing: no town's policy comes from it.
    assert policy_as_of(model, "2021-07")["face_surveillance_event_id"].dropna().str.startswith("FS-").all()


def test_a_ban_beats_a_moratorium(copy_config: Config) -> None:
    with (copy_config.data_dir / EVENTS).open("a", encoding="utf-8") as handle:
        handle.write(
            "FS-09,Springfield,face_surveillance_ban,2021-03,month,,A test ban,https://example.org/ban,A quote.,\n"
        )
    model = build_model(copy_config)
    before = policy_as_of(model, "2021-02").loc[281]
    after = policy_as_of(model, "2021-03").loc[281]
    assert (before["face_surveillance_policy"], before["face_surveillance_policy_date"]) == ("moratorium", "2020-02-24")
    assert (after["face_surveillance_policy"], after["face_surveillance_policy_date"]) == ("ban", "2021-03")


def test_policy_now_is_as_of_the_latest_event_month(model: Model) -> None:
    pd.testing.assert_frame_equal(policy_now(model), policy_as_of(model, "2021-12"))


@pytest.mark.parametrize("month", ["2021-13", "2021-1", "2021-12-01", "Dec 2021"])
def test_policy_as_of_takes_a_month_only(model: Model, month: str) -> None:
    with pytest.raises(ValueError, match="not written YYYY-MM"):
        policy_as_of(model, month)


def test_check_prints_the_events_by_kind(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert (
        "Policy events (policy_events.csv, outside the records page): 13: face_surveillance_ban 7, "
        "face_surveillance_moratorium 1, surveillance_oversight_ordinance 4, state_law 1"
    ) in out
    assert "as of 2021-12: face surveillance 7 ban, 1 moratorium (1,235,949 residents, 2010 census)" in out
