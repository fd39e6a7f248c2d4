"""`syncguard check`, `rules` and `rule` as a user runs them: exit codes, stdout, stderr, files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_check_rules import fill_registry, write_csv

from syncguard.checks.docs import render_rules_markdown
from syncguard.config import Settings

CMD = {"payers": "Sequence#,Payer Name,Inactive\n10023344,AETNA PPO,No\n10023351,CIGNA,No\n"}
CLEAN = "Payer Name,Alternate ID\nAetna PPO,10023344\nCigna,10023351\n"
BROKEN = "Payer Name,Alternate ID\nAetna PPO,\nCigna,10023351\n"


@pytest.fixture
def registry(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    fill_registry(url, CMD, tmp_path, Settings())
    return url


def test_findings_exit_1_report_on_stdout_summary_on_stderr(
    run_syncguard: Any, registry: str, tmp_path: Path
) -> None:
    payers = write_csv(tmp_path / "webpt_payers.csv", BROKEN)
    result = run_syncguard(
        "--database-url", registry, "check", "--payers", str(payers), "-f", "json"
    )
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    assert [f["code"] for f in document["findings"]] == ["PAY001"]
    assert "10023344" in document["findings"][0]["fix"]
    assert result.stderr.strip().endswith(
        "syncguard check: FAIL: 1 error, 0 warnings, 0 info (practice default)"
    )


def test_a_clean_check_exits_0_and_writes_the_output_file(
    run_syncguard: Any, registry: str, tmp_path: Path
) -> None:
    payers = write_csv(tmp_path / "webpt_payers.csv", CLEAN)
    report = tmp_path / "report.md"
    result = run_syncguard(
        "--database-url",
        registry,
        "check",
        "--payers",
        str(payers),
        "--format",
        "markdown",
        "--output",
        str(report),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and report.read_text(encoding="utf-8").strip()
    assert "OK" in result.stderr


def test_fail_on_and_select_change_the_exit_code(
    run_syncguard: Any, registry: str, tmp_path: Path
) -> None:
    payers = write_csv(tmp_path / "webpt_payers.csv", BROKEN)
    base = ("--database-url", registry, "check", "--payers", str(payers))
    assert run_syncguard(*base, "--ignore", "PAY001").exit_code == 0
    assert run_syncguard(*base, "--select", "PAY3,PAY2").exit_code == 0
    unknown = run_syncguard(*base, "--select", "PAY9")
    assert unknown.exit_code == 2 and "'PAY9' names no rule" in unknown.stderr


@pytest.mark.parametrize(
    ("case", "code"),
    [("missing file", 2), ("missing column", 2), ("bad format", 2), ("no registry", 3)],
)
def test_errors_leave_no_report_behind(
    run_syncguard: Any, registry: str, tmp_path: Path, case: str, code: int
) -> None:
    payers = write_csv(tmp_path / "webpt_payers.csv", BROKEN)
    report = tmp_path / "report.html"
    args = ["check", "--payers", str(payers), "--format", "html", "--output", str(report)]
    url = registry
    if case == "missing file":
        args[2] = str(tmp_path / "nowhere.csv")
    elif case == "missing column":
        write_csv(payers, "Payer Name,Payer ID\nAetna PPO,60054\n")
    elif case == "bad format":
        args[4] = "pdf"
    else:
        url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = run_syncguard("--database-url", url, *args)
    assert result.exit_code == code, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not report.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_nothing_to_check_is_a_usage_error(run_syncguard: Any, registry: str) -> None:
    result = run_syncguard("--database-url", registry, "check")
    assert result.exit_code == 2 and "--payers" in result.stderr


def test_check_help_documents_exit_codes(run_syncguard: Any) -> None:
    result = run_syncguard("check", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for phrase in ("Exit codes", "0 no finding", "1 findings", "2 usage", "3 the registry"):
        assert phrase in text


def test_rules_lists_the_catalogue_in_three_formats(run_syncguard: Any) -> None:
    text = run_syncguard("rules")
    assert text.exit_code == 0 and "PAY101  payer-alternate-id-unknown" in text.stdout
    rules = json.loads(run_syncguard("rules", "--format", "json").stdout)
    assert {r["code"] for r in rules} >= {"EXP101", "REF301", "NPI002"}
    assert all(r["why"] and r["example"] and r["fix"] for r in rules)
    assert run_syncguard("rules", "--format", "markdown").stdout == render_rules_markdown()


def test_rule_explains_one_rule_by_code_or_name(run_syncguard: Any) -> None:
    by_code = run_syncguard("rule", "PAY101")
    assert by_code.exit_code == 0
    for heading in ("What it checks", "Why it matters", "Example", "How to fix"):
        assert heading in by_code.stdout
    assert run_syncguard("rule", "payer-alternate-id-unknown").stdout == by_code.stdout
    unknown = run_syncguard("rule", "PAY109")
    assert unknown.exit_code == 2 and "did you mean" in unknown.stderr
