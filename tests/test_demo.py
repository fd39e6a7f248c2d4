"""``syncguard demo``: the real command on the bundled demo data, and its library side."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from syncguard.demo import default_fixtures, locate_fixtures, run_demo, unmatched_findings
from syncguard.errors import InputError

Run = Callable[..., Any]


def test_demo_prints_the_report_and_writes_the_html(run_syncguard: Run, tmp_path: Path) -> None:
    result = run_syncguard("demo")
    assert result.exit_code == 0, result.stderr
    for code in ("EXP101", "PAY101", "FAC401", "REN201", "REF202", "REF301"):
        assert code in result.stdout
    assert "<b>Smith</b>" in result.stdout  # shown as typed in text; the HTML escapes it
    html = tmp_path / "work" / "syncguard-demo.html"
    assert html.is_file()
    page = html.read_text(encoding="utf-8")
    assert "PAY101" in page and "<b>Smith</b>" not in page
    assert "OK" in result.stderr and "syncguard-demo.html" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_keeps_the_registry_when_asked_and_can_run_again(
    run_syncguard: Run, tmp_path: Path
) -> None:
    registry, html = tmp_path / "kept" / "demo.db", tmp_path / "report.html"
    for _ in range(2):  # importing the same exports again changes nothing
        result = run_syncguard("demo", "--registry", str(registry), "--html", str(html))
        assert result.exit_code == 0, result.stderr
    assert registry.is_file() and html.is_file()


def test_demo_without_its_data_is_one_clear_error(run_syncguard: Run, tmp_path: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = run_syncguard("demo", "--fixtures", str(empty))
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: demo data not found")
    assert "--fixtures" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "work" / "syncguard-demo.html").exists()


def test_locate_fixtures_names_what_is_missing(tmp_path: Path) -> None:
    shutil.copytree(default_fixtures() / "cmd", tmp_path / "cmd")
    with pytest.raises(InputError, match=r"webpt_payers\.xlsx"):
        locate_fixtures(tmp_path)


def test_the_demo_notices_when_the_check_misses_a_planted_problem(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(default_fixtures() / "cmd", fixtures / "cmd")
    shutil.copytree(default_fixtures() / "webpt", fixtures / "webpt")
    with (fixtures / "webpt" / "expected_findings.csv").open("a", encoding="utf-8") as stream:
        stream.write("webpt_payers.xlsx,3,PAY201\n")  # Texas Medicaid is in fact fine
    result = run_demo(fixtures)
    assert unmatched_findings(result, fixtures) == [
        "expected but not found: PAY201 at webpt_payers.xlsx row 3"
    ]
