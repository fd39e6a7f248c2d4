"""Usability of the real CLI: each bad input is one clear line (what, where, what to do), exit 2,
no traceback, and the registry unchanged; each test is a defect a QA pass found."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _one_clear_line(result: Any) -> str:
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line: str = lines[0]
    return line


def _registry(run: Any, tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "registry.db"
    url = f"sqlite:///{path}"
    assert run("--database-url", url, "init").exit_code == 0
    return url, path


def _rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(f"select * from {table}").fetchall()


def test_waive_until_a_past_date_is_refused(run_syncguard: Any, tmp_path: Path) -> None:
    url, path = _registry(run_syncguard, tmp_path)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    result = run_syncguard(
        "--database-url", url, "waive", "PAY201", "--reason", "by contract", "--until", yesterday
    )
    line = _one_clear_line(result)
    assert f"--until {yesterday} is in the past" in line
    assert "today" in line
    assert _rows(path, "ledger_waiver") == []


def test_waive_until_a_bad_date_is_one_line(run_syncguard: Any, tmp_path: Path) -> None:
    url, path = _registry(run_syncguard, tmp_path)
    result = run_syncguard(
        "--database-url", url, "waive", "PAY201", "--reason", "r", "--until", "2027-13-01"
    )
    assert "--until '2027-13-01' is not a date" in _one_clear_line(result)
    assert _rows(path, "ledger_waiver") == []


def test_waive_until_today_is_accepted(run_syncguard: Any, tmp_path: Path) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    today = date.today().isoformat()
    result = run_syncguard(
        "--database-url", url, "waive", "PAY201", "--reason", "r", "--until", today
    )
    assert result.exit_code == 0, result.stderr


def test_waive_and_remove_take_a_rule_name(run_syncguard: Any, tmp_path: Path) -> None:
    url, path = _registry(run_syncguard, tmp_path)
    base = ("--database-url", url)
    made = run_syncguard(
        *base, "waive", "payer-name-mismatch", "--key", "10023344", "--reason", "by contract"
    )
    assert made.exit_code == 0, made.stderr
    assert "waived PAY201 for key 10023344" in made.stderr
    listed = run_syncguard(*base, "waivers", "list")
    assert listed.stdout.startswith("PAY201 10023344"), listed.stdout
    removed = run_syncguard(*base, "waivers", "remove", "payer-name-mismatch", "--key", "10023344")
    assert removed.exit_code == 0, removed.stderr
    assert _rows(path, "ledger_waiver") == []


def test_waiver_file_takes_a_rule_name(run_syncguard: Any, tmp_path: Path) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\ncode = "payer-name-mismatch"\nreason = "r"\nby = "ops"\n')
    done = run_syncguard("--database-url", url, "waivers", "import", str(waivers))
    assert done.exit_code == 0, done.stderr
    listed = run_syncguard("--database-url", url, "waivers", "list")
    assert listed.stdout.startswith("PAY201 *"), listed.stdout


def test_unknown_rule_name_suggests_the_closest(run_syncguard: Any, tmp_path: Path) -> None:
    url, path = _registry(run_syncguard, tmp_path)
    result = run_syncguard("--database-url", url, "waive", "payer-name-mismach", "--reason", "r")
    line = _one_clear_line(result)
    assert "'payer-name-mismach' is not a rule code or name" in line
    assert "did you mean 'payer-name-mismatch'?" in line
    assert _rows(path, "ledger_waiver") == []


def test_registry_add_without_a_sequence_names_the_option(
    run_syncguard: Any, tmp_path: Path
) -> None:
    url, path = _registry(run_syncguard, tmp_path)
    for kind, table, args in (
        ("payers", "payer", ("--name", "Aetna")),
        ("facilities", "facility", ("--name", "Downtown")),
        ("providers", "rendering_provider", ("--last", "Smith", "--first", "Jane")),
    ):
        line = _one_clear_line(run_syncguard("--database-url", url, "registry", "add", kind, *args))
        assert "needs its sequence number" in line and "--sequence" in line, line
        assert _rows(path, table) == []


def test_registry_add_option_of_another_kind_is_named(run_syncguard: Any, tmp_path: Path) -> None:
    url, path = _registry(run_syncguard, tmp_path)
    result = run_syncguard(
        "--database-url", url, "registry", "add", "providers", "--sequence", "12345678",
        "--name", "Smith",
    )  # fmt: skip
    line = _one_clear_line(result)
    assert "--name does not apply to providers" in line and "--last" in line, line
    assert _rows(path, "rendering_provider") == []


def test_bad_option_value_names_the_option_not_a_config_key(
    run_syncguard: Any, tmp_path: Path
) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    payers = str(FIXTURES / "webpt" / "webpt_payers.xlsx")
    line = _one_clear_line(
        run_syncguard("--database-url", url, "check", "--payers", payers, "--fail-on", "bad")
    )
    assert line.startswith("error: --fail-on: 'bad' is not valid"), line
    assert "'info', 'warning' or 'error'" in line
    assert "check.fail_on" not in line and "settings" not in line
    line = _one_clear_line(run_syncguard("--database-url", url, "--log-level", "loud", "init"))
    assert line.startswith("error: --log-level: 'loud' is not valid"), line
    assert "'debug', 'info', 'warning' or 'error'" in line


def test_bad_config_file_value_still_names_the_file_and_key(
    run_syncguard: Any, tmp_path: Path
) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    config = tmp_path / "syncguard.toml"
    config.write_text('[check]\nfail_on = "bad"\n')
    payers = str(FIXTURES / "webpt" / "webpt_payers.xlsx")
    result = run_syncguard(
        "--database-url", url, "--config", str(config), "check", "--payers", payers
    )
    line = _one_clear_line(result)
    assert "syncguard.toml: 'check.fail_on'" in line and "--fail-on" not in line, line


def test_waivers_import_says_what_it_did(run_syncguard: Any, tmp_path: Path) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    base = ("--database-url", url)
    assert run_syncguard(*base, "waive", "PAY201", "--reason", "by contract").exit_code == 0
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\ncode = "PAY201"\nreason = "by contract"\nby = "ops"\n'
        '[[waiver]]\ncode = "FAC001"\nkey = "Downtown"\nreason = "closing"\nby = "ops"\n'
    )
    done = run_syncguard(*base, "waivers", "import", str(waivers))
    assert done.exit_code == 0, done.stderr
    assert done.stderr.strip() == (
        f"imported 2 waivers from {waivers} into practice default: 1 new, 1 updated"
    )
    assert run_syncguard(*base, "waive", "NPI001", "--reason", "known").exit_code == 0
    replaced = run_syncguard(*base, "waivers", "import", str(waivers), "--replace")
    assert replaced.stderr.strip().endswith(": 0 new, 2 updated, 1 removed"), replaced.stderr


def test_config_that_is_a_folder_says_so(run_syncguard: Any, tmp_path: Path) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    folder = tmp_path / "configs"
    folder.mkdir()
    line = _one_clear_line(run_syncguard("--database-url", url, "--config", str(folder), "init"))
    assert f"--config {folder} is a folder, not a config file" in line, line
    assert "not found" not in line
    line = _one_clear_line(
        run_syncguard("--database-url", url, "init", env={"SYNCGUARD_CONFIG": str(folder)})
    )
    assert f"SYNCGUARD_CONFIG {folder} is a folder" in line, line


def test_restore_of_a_file_that_is_not_json_says_it_is_no_backup(
    run_syncguard: Any, tmp_path: Path
) -> None:
    url, path = _registry(run_syncguard, tmp_path)
    payers = str(FIXTURES / "cmd" / "payers.csv")
    assert (
        run_syncguard("--database-url", url, "registry", "import", "payers", payers).exit_code == 0
    )
    before = _rows(path, "payer")
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    for file in (FIXTURES / "cmd" / "payers.csv", FIXTURES / "cmd" / "payers.xlsx", empty):
        line = _one_clear_line(
            run_syncguard("--database-url", url, "registry", "restore", str(file))
        )
        assert f"{file.name} is not a syncguard backup" in line, line
        assert "`syncguard registry export`" in line
        assert "Expecting value" not in line
    assert _rows(path, "payer") == before


def test_restore_of_an_export_still_works(run_syncguard: Any, tmp_path: Path) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    backup = tmp_path / "backup.json"
    assert run_syncguard("--database-url", url, "registry", "export", str(backup)).exit_code == 0
    done = run_syncguard("--database-url", url, "registry", "restore", str(backup))
    assert done.exit_code == 0, done.stderr


def test_typed_revenue_code_without_its_zero_gets_advice_for_typing(
    run_syncguard: Any, tmp_path: Path
) -> None:
    url, path = _registry(run_syncguard, tmp_path)
    for args, table in (
        (("registry", "default-rev-code", "420"), "practice_setting"),
        (
            ("registry", "add", "procedures", "--code", "97110", "--rev-code", "420"),
            "procedure_code",
        ),
    ):
        line = _one_clear_line(run_syncguard("--database-url", url, *args))
        assert "'420' is not a revenue code" in line and "0420" in line, line
        assert "re-export" not in line and "cell" not in line and "column" not in line, line
        assert _rows(path, table) == []
    done = run_syncguard("--database-url", url, "registry", "default-rev-code", "0420")
    assert done.exit_code == 0, done.stderr


def test_check_of_an_empty_workbook_names_no_option_check_lacks(
    run_syncguard: Any, tmp_path: Path
) -> None:
    import openpyxl

    url, path = _registry(run_syncguard, tmp_path)
    empty = tmp_path / "payers.xlsx"
    openpyxl.Workbook().save(empty)
    line = _one_clear_line(run_syncguard("--database-url", url, "check", "--payers", str(empty)))
    assert 'payers.xlsx: sheet "Sheet" is empty' in line, line
    assert "--sheet" not in line and "--sheet" not in run_syncguard("check", "--help").stdout
    assert "first sheet" in line
    assert _rows(path, "ledger_run") == []
