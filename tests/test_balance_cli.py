"""``syncguard balance`` as a user runs it: exit codes, reports, --output, error lines."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "balance"
WEEK = ("--from", "2026-11-02", "--to", "11/08/2026")


@pytest.fixture
def week(tmp_path: Path) -> Path:
    """A copy of the fixture week (the config file included) in a folder of its own."""
    folder = tmp_path / "week"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("*.py", "*.md"))
    return folder


def run_balance(run: Any, folder: Path, *args: str) -> Any:
    return run(
        "--config",
        str(folder / "syncguard.toml"),
        "balance",
        "--emr",
        str(folder / "billing_report.xlsx"),
        "--billing",
        str(folder / "charges.csv"),
        *WEEK,
        *args,
        cwd=folder,
    )


def test_text_report_tables_and_findings_with_the_summary_on_stderr(
    run_syncguard: Any, week: Path
) -> None:
    result = run_balance(run_syncguard, week, "--rejections", "rejection_summary.csv")
    assert result.exit_code == 1, result.stderr
    assert "Place of service 102" in result.stdout and "Unexplained" in result.stdout
    assert "VIS103 visit-missing-in-billing" in result.stdout
    assert result.stderr.strip().splitlines()[-1].startswith("syncguard balance: FAIL: ")
    names = {r["Patient Name"] for r in csv.DictReader((week / "billing_report.csv").open())}
    assert not any(name and name in result.stdout + result.stderr for name in names)


def test_json_report_carries_the_tables_and_is_written_atomically(
    run_syncguard: Any, week: Path
) -> None:
    report = week / "balance.json"
    result = run_balance(run_syncguard, week, "--format", "json", "--output", str(report))
    assert result.exit_code == 1 and result.stdout == ""
    document = json.loads(report.read_text())
    assert document["command"] == "balance"
    places = document["balance"]["places"]
    assert [place["place"] for place in places] == ["101", "102", "103"]
    assert len(places[0]["daily"]) == 7
    assert not list(week.glob(".balance.json.*"))


def test_fail_on_decides_the_exit_code(run_syncguard: Any, tmp_path: Path) -> None:
    emr, billing = tmp_path / "emr.csv", tmp_path / "charges.csv"
    emr.write_text(
        "Patient Account #,Date of Service,Finalized Date,Location,CPT Code,Units\n"
        "1001,11/04/2026,11/04/2026,101,97110,2\n1002,11/04/2026,11/04/2026,101,NORCM,1\n"
    )
    billing.write_text(
        "patient_account_number,date_of_service,charge_date,cpt_code,units,place_of_service_id\n"
        "1001,2026-11-04,2026-11-04,97110,2,101\n"
    )
    args = ("balance", "--emr", str(emr), "--billing", str(billing), *WEEK)
    balanced = run_syncguard(*args)
    assert balanced.exit_code == 0, balanced.stderr
    assert "syncguard balance: OK: 0 errors, 0 warnings, 1 info" in balanced.stderr
    assert run_syncguard(*args, "--fail-on", "info").exit_code == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("unmapped", 'WebPT locations have no place of service: "Downtown", "Northgate"'),
        ("bad-date", "row 3: \"Date of Service\": '13/45/2026' is not a date"),
        ("other-dates", "nothing finalized between 2026-12-01 and 2026-12-07"),
        ("missing", "no column for"),
    ],
)
def test_bad_input_is_one_clear_line_exit_2_and_no_report(
    run_syncguard: Any, week: Path, change: str, expected: str
) -> None:
    emr = week / "billing_report.csv"
    args = list(WEEK)
    if change == "unmapped":
        (week / "syncguard.toml").write_text('[balance.locations]\n"Riverside" = "102"\n')
    elif change == "bad-date":
        lines = emr.read_text().splitlines()
        lines[2] = lines[2].replace("11/02/2026", "13/45/2026", 1)
        emr.write_text("\n".join(lines) + "\n")
    elif change == "other-dates":
        args = ["--from", "2026-12-01", "--to", "2026-12-07"]
    else:
        emr.write_text(emr.read_text().replace("Finalized Date", "Signed", 1))
    report = week / "out.html"
    result = run_syncguard(
        "--config", str(week / "syncguard.toml"), "balance", "--emr", str(emr), "--billing",
        str(week / "charges.csv"), *args, "--format", "html", "--output", str(report), cwd=week,
    )  # fmt: skip
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not report.exists()


def test_help_names_the_inputs(run_syncguard: Any) -> None:
    result = run_syncguard("balance", "--help")
    assert result.exit_code == 0
    for option in ("--emr", "--billing", "--pos-stats", "--rejections", "--claims-feed", "--by"):
        assert option in result.stdout


@pytest.mark.parametrize("option", ["--rejections", "--missed-notes", "--claims-feed"])
@pytest.mark.parametrize(
    ("wrong", "belongs"), [("charges.csv", "--billing"), ("billing_report.csv", "--emr")]
)
def test_a_line_report_given_as_a_readiness_report_is_refused(
    run_syncguard: Any, week: Path, option: str, wrong: str, belongs: str
) -> None:
    """Charge lines given as --rejections would hold every visit: one line naming the right
    option instead, exit 2."""
    result = run_balance(run_syncguard, week, option, wrong)
    assert result.exit_code == 2, result.stdout + result.stderr
    (line,) = [text for text in result.stderr.splitlines() if text.strip()][:1]
    assert wrong in line and "looks like the" in line and option in line
    assert belongs in result.stderr
    assert "Traceback" not in result.stderr
