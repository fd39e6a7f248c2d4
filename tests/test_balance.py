"""``balance()`` on the fixture week and on hand-made exports with the usual defects."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from syncguard.balance.api import balance
from syncguard.config import Settings, load_settings
from syncguard.errors import ConfigError, InputError, MissingColumnError
from syncguard.findings import CheckResult

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "balance"
WEEK: dict[str, Any] = {"date_from": "2026-11-02", "date_to": "2026-11-08"}
EMR_HEADER = ["Patient Account #", "Date of Service", "Finalized Date", "Location", "CPT Code"]
EMR_HEADER += ["Units"]
BILLING_HEADER = ["patient_account_number", "date_of_service", "charge_date", "cpt_code"]
BILLING_HEADER += ["units", "place_of_service_id"]


def settings() -> Settings:
    return load_settings(FIXTURES / "syncguard.toml", environ={})


def fixture_week(emr: str = "billing_report.csv", **given: Any) -> CheckResult:
    options: dict[str, Any] = {
        "billing": FIXTURES / "charges.csv",
        "rejections": FIXTURES / "rejection_summary.csv",
        "missed_notes": FIXTURES / "missed_notes.csv",
        "claims_feed": FIXTURES / "claims_feed.csv",
        "settings": settings(),
        **WEEK,
        **given,
    }
    return balance(emr=FIXTURES / emr, **options)


def periods(result: CheckResult, place: str) -> list[dict[str, Any]]:
    data: Any = result.extra["balance"]
    return next(p["periods"] for p in data["places"] if p["place"] == place)


def codes(result: CheckResult) -> Counter[str]:
    return Counter(finding.code for finding in result.findings)


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([header, *rows])
    return path


def test_the_fixture_week_balances_per_place_with_every_difference_explained_or_listed() -> None:
    result = fixture_week(pos_stats=FIXTURES / "pos_summary_charge_stats.csv")
    (downtown,), (riverside,), (northgate,) = (periods(result, p) for p in ("101", "102", "103"))
    assert (downtown["emr_visits"], downtown["billing_visits"], downtown["unexplained"]) == (
        21,
        20,
        0,
    )
    assert (downtown["no_charge"], downtown["held"], downtown["prior"]) == (1, 1, 1)
    assert (riverside["difference"], riverside["explained"], riverside["unexplained"]) == (2, 1, 1)
    assert (northgate["difference"], northgate["held"], northgate["unexplained"]) == (0, 1, -1)
    assert codes(result) == {
        "VIS001": 2,
        "VIS002": 2,
        "VIS003": 2,
        "VIS101": 2,
        "VIS102": 1,
        "VIS103": 1,
        "VIS104": 1,
        "VIS201": 3,
        "VIS301": 2,
        "VIS401": 2,
    }
    missing = next(f for f in result.findings if f.code == "VIS103")
    assert (missing.record, missing.file, missing.row) == (
        "account 10052, DOS 2026-11-06, POS 102",
        "billing_report.csv",
        140,
    )
    assert result.exit_code == 1 and result.command == "balance"


def test_by_day_a_charge_created_the_next_day_is_a_shift_both_days() -> None:
    result = fixture_week(by="day")
    downtown = {row["start"]: row for row in periods(result, "101")}
    assert (downtown["2026-11-04"]["late"], downtown["2026-11-04"]["unexplained"]) == (1, 0)
    assert (downtown["2026-11-05"]["early"], downtown["2026-11-05"]["unexplained"]) == (1, 0)
    shifted = {f.key for f in result.findings if f.code == "VIS102"}
    assert {"101|2026-11-04", "101|2026-11-05"} <= shifted


def test_from_totals_only_the_following_days_cancel_a_shift() -> None:
    stats = FIXTURES / "pos_summary_charge_stats.csv"
    result = fixture_week(by="day", billing=None, pos_stats=stats)
    downtown = [(row["cancelled"], row["unexplained"]) for row in periods(result, "101")]
    assert result.extra["balance"]["mode"] == "totals"  # type: ignore[index]
    # Mon one over, Wed one short: cancelled. Thu's extra charge (a visit finalized before
    # the range) is never cancelled: totals cannot tell it from a charge without a visit.
    assert downtown[:4] == [(-1, 0), (0, 0), (1, 0), (0, -1)]
    assert not any(f.code in ("VIS103", "VIS104") for f in result.findings)


def test_the_xlsx_export_with_real_date_cells_and_a_serial_balances_like_the_csv() -> None:
    from_csv, from_xlsx = fixture_week(), fixture_week("billing_report.xlsx")
    assert from_xlsx.extra["balance"]["places"] == from_csv.extra["balance"]["places"]  # type: ignore[index]
    assert codes(from_xlsx) == codes(from_csv)


def test_reports_show_account_numbers_never_patient_names() -> None:
    result = fixture_week()
    names = {
        row["Patient Name"] for row in csv.DictReader((FIXTURES / "billing_report.csv").open())
    }
    names.discard("")
    shown = repr(result.findings) + repr(result.extra)
    assert names and not any(name in shown for name in names)


def test_a_range_over_31_days_warns_that_the_charge_audit_summary_may_be_cut() -> None:
    result = fixture_week(date_from="2026-10-01")
    (warning,) = [f for f in result.findings if f.code == "VIS004"]
    assert "39 days" in warning.message and warning.severity.label == "warning"


def test_units_fail_the_balance_only_when_configured() -> None:
    strict = settings().model_copy(deep=True)
    strict.balance.fail_on_units = True
    units = [f for f in fixture_week(settings=strict).findings if f.code == "VIS201"]
    assert units and all(f.severity.label == "error" for f in units)


def test_totals_and_blank_separator_rows_are_left_out(tmp_path: Path) -> None:
    rows = [
        ["1001", "11/04/2026", "11/04/2026", "Downtown", "97110", "2"],
        ["", "", "", "", "", ""],
        ["Subtotal - Downtown", "", "", "", "", "2"],
        ["1002", "2026-11-05", "2026-11-05", "Downtown", "97161-GP", "1"],
        ["Grand Total", "", "", "", "", "3"],
    ]
    emr = write(tmp_path / "emr.csv", EMR_HEADER, rows)
    billing = write(
        tmp_path / "charges.csv",
        BILLING_HEADER,
        [["1001", "2026-11-04", "2026-11-04", "97110", "2", "Downtown"]],
    )
    result = balance(emr=emr, billing=billing, **WEEK)
    (row,) = periods(result, "Downtown")
    assert (row["emr_visits"], row["billing_visits"], row["emr_new"]) == (2, 1, 1)
    assert any("3 blank, label or totals rows" in note for note in result.extra["balance"]["notes"])  # type: ignore[index]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("11/31/2026", "row 2: \"Date of Service\": '11/31/2026' is not a date"), ("", "no date")],
)
def test_a_data_row_with_a_bad_date_is_named(tmp_path: Path, cell: str, expected: str) -> None:
    emr = write(tmp_path / "emr.csv", EMR_HEADER, [["1001", cell, "11/04/2026", "D", "97110", "1"]])
    with pytest.raises(InputError, match=expected):
        balance(emr=emr, billing=emr, **WEEK)


def test_a_missing_column_names_what_was_found_and_how_to_map_it(tmp_path: Path) -> None:
    header = [h if h != "Finalized Date" else "Date Signed" for h in EMR_HEADER]
    emr = write(tmp_path / "emr.csv", header, [["1001", "11/04/2026", "11/04/2026", "D", "1", "1"]])
    with pytest.raises(MissingColumnError) as caught:
        balance(emr=emr, billing=emr, **WEEK)
    line = caught.value.one_line()
    assert 'no column for "Finalized Date"' in line
    assert "[columns.webpt.billing_report] finalized_date" in line


def test_configured_headers_are_used(tmp_path: Path) -> None:
    header = [h if h != "Finalized Date" else "Date Signed" for h in EMR_HEADER]
    emr = write(
        tmp_path / "emr.csv", header, [["1001", "11/04/2026", "11/04/2026", "101", "1", "1"]]
    )
    billing = write(
        tmp_path / "b.csv", BILLING_HEADER, [["1001", "11/04/2026", "11/04/2026", "1", "1", "101"]]
    )
    configured = Settings.model_validate(
        {"columns": {"webpt": {"billing_report": {"finalized_date": "Date Signed"}}}}
    )
    result = balance(emr=emr, billing=billing, settings=configured, **WEEK)
    assert periods(result, "101")[0]["unexplained"] == 0


def test_files_for_other_dates_are_refused_with_both_ranges(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        fixture_week(date_from="2026-12-01", date_to="2026-12-07")
    line = caught.value.one_line()
    assert "nothing finalized between 2026-12-01 and 2026-12-07" in line
    assert "2026-11-02 to 2026-11-06" in line


def test_a_windows_1252_export_is_read_through_the_shared_reader(tmp_path: Path) -> None:
    emr = tmp_path / "emr.csv"
    emr.write_bytes(
        (",".join(EMR_HEADER) + "\r\n1001,11/04/2026,11/04/2026,Clínica Sur,97110,1\r\n").encode(
            "cp1252"
        )
    )
    billing = write(
        tmp_path / "b.csv",
        BILLING_HEADER,
        [["1001", "2026-11-04", "2026-11-04", "97110", "1", "7"]],
    )
    configured = Settings.model_validate({"balance": {"locations": {"Clínica Sur": "7"}}})
    result = balance(emr=emr, billing=billing, settings=configured, **WEEK)
    assert periods(result, "7")[0]["unexplained"] == 0


def test_usage_errors_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="is after"):
        fixture_week(date_from="2026-11-09")
    with pytest.raises(ConfigError, match="not a date"):
        fixture_week(date_from="next monday")
    with pytest.raises(ConfigError, match="--by day or --by week"):
        fixture_week(by="month")
    with pytest.raises(ConfigError, match="nothing to balance against"):
        fixture_week(billing=None)


def test_streaming_grouping_and_matching_agree_with_the_in_memory_engine() -> None:
    """Visits are grouped and matched on polars' streaming engine; the in-memory one agrees."""
    from syncguard.balance import visits
    from syncguard.balance.inputs import read_billing, read_emr

    emr = read_emr(FIXTURES / "billing_report.csv", {})
    places = {"Downtown": "101", "Riverside": "102", "Northgate": "103"}
    lines = emr.lines.with_columns(
        pl.col("location").replace_strict(places, return_dtype=pl.Categorical()).alias("pos")
    )
    billing = read_billing(FIXTURES / "charges.csv", {}).lines
    codes = ("97161", "97162", "97163")
    results = {}
    for streaming in (True, False):
        emr_side = visits.emr_visits(lines, codes, streaming=streaming)
        billing_side = visits.billing_visits(billing, codes, streaming=streaming)
        matched = visits.match(emr_side, billing_side, streaming=streaming)
        results[streaming] = matched.select(sorted(matched.columns)).sort("patient", "dos", "pos")
    assert results[True].height == 65
    assert results[True].equals(results[False])


def test_one_summary_log_event_with_counts_and_no_accounts_or_names() -> None:
    from structlog.testing import capture_logs

    from syncguard.logs import configure_logging

    configure_logging("info", "json")  # as the CLI does with --log-level info
    with capture_logs() as events:
        fixture_week()
    (event,) = [e for e in events if e["event"] == "balance finished"]
    assert event["places"] == 3 and event["visits_one_side_only"] == 2
    assert event["inputs"][0] == {"kind": "emr", "file": "billing_report.csv", "rows": 140}
    logged = repr(events)
    assert "10052" not in logged and "Rivera" not in logged


def test_a_rejection_summary_without_dates_holds_all_of_a_patients_visits(tmp_path: Path) -> None:
    rejections = write(tmp_path / "rejections.csv", ["Account #", "Type"], [["10052", "Patient"]])
    result = fixture_week(rejections=rejections)
    (riverside,) = periods(result, "102")
    assert (riverside["held"], riverside["unexplained"]) == (1, 0)
    missing = {f.record.split(",")[0] for f in result.findings if f.code == "VIS103"}
    assert missing == {"account 10031", "account 10044"}  # no longer held: not in this file
    assert codes(result)["VIS003"] == 1
