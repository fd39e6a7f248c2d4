"""The registry commands, through the real ``syncguard`` command tree: in this process (typer's
runner) for speed, and in a subprocess where the exit code and stderr are the point."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from syncguard.cli import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cmd"
Cli = Callable[..., Any]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``syncguard ARGS`` in this process; the result has exit_code, stdout and stderr."""
    monkeypatch.chdir(tmp_path)
    for name in ("SYNCGUARD_DATABASE_URL", "SYNCGUARD_PRACTICE", "SYNCGUARD_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_init_import_list_show_history_and_edit(cli: Cli, tmp_path: Path) -> None:
    db = f"--database-url=sqlite:///{tmp_path / 'registry.db'}"
    assert "is ready" in cli(db, "init").stdout
    payers = str(FIXTURES / "payers.csv")

    dry = cli(db, "registry", "import", "payers", payers, "--dry-run")
    assert dry.exit_code == 0 and "would be added: 27" in dry.stdout and "dry run" in dry.stdout
    imported = cli(db, "registry", "import", "payer", payers, "--format", "json")
    assert json.loads(imported.stdout)["added"]["count"] == 27
    second = cli(db, "registry", "import", "payers", payers)
    assert "added: 0" in second.stdout and "unchanged: 27" in second.stdout

    listed = cli(db, "registry", "list", "payers", "--format", "json")
    assert len(json.loads(listed.stdout)) == 25
    text = cli(db, "registry", "list", "payers", "--include-inactive").stdout
    assert text.splitlines()[0].split() == ["sequence", "name", "cpid", "inactive"]
    assert len(text.splitlines()) == 28
    shown = cli(db, "registry", "show", "payers", "10023344", "--format", "json")
    assert json.loads(shown.stdout)["name"] == "AETNA PPO"

    assert cli(db, "registry", "deactivate", "payers", "10023344").exit_code == 0
    added = cli(
        db,
        "registry",
        "add",
        "referring",
        "--npi",
        "1234567893",
        "--last",
        "Smith",
        "--first",
        "Jane",
    )
    assert added.exit_code == 0, added.stderr
    history = cli(db, "registry", "history", "payers", "10023344").stdout
    assert "insert" in history and "deactivate" in history and "payers.csv" in history
    missing = cli(db, "registry", "show", "payers", "10000000")
    assert (missing.exit_code, missing.stderr.count("\n")) == (2, 1)
    assert "no payer 10000000" in missing.stderr


def test_export_and_restore_through_the_cli(cli: Cli, database_url: str, tmp_path: Path) -> None:
    db = f"--database-url={database_url}"
    cli(db, "init")
    cli(
        db,
        "registry",
        "import",
        "referring",
        str(FIXTURES / "referring.csv"),
        "--practice",
        "north",
    )
    backup = tmp_path / "backup.json"
    exported = cli(db, "registry", "export", str(backup), "--practice", "north")
    assert exported.exit_code == 0 and "'north' (60 records)" in exported.stdout
    cli(db, "registry", "deactivate", "referring", "1638724454", "--practice", "north")
    restored = cli(db, "registry", "restore", str(backup))
    assert restored.exit_code == 0, restored.stderr
    assert "north referring: added 0, changed 0, reactivated 1" in restored.stdout


def test_invalid_rows_exit_2_listing_rows_and_write_nothing(
    run_syncguard: Any, tmp_path: Path
) -> None:
    db = f"--database-url=sqlite:///{tmp_path / 'registry.db'}"
    run_syncguard(db, "init")
    bad = tmp_path / "bad.csv"
    bad.write_text("NPI,Last Name,First Name\n1234567893,A,B\n1234567890,C,D\n", encoding="utf-8")
    result = run_syncguard(db, "registry", "import", "referring", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: bad.csv: 1 invalid row, nothing imported: row 3:")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    listed = run_syncguard(db, "registry", "list", "referring", "--format", "json")
    assert json.loads(listed.stdout) == []
    skipped = run_syncguard(db, "registry", "import", "referring", str(bad), "--skip-invalid")
    assert skipped.exit_code == 0 and "row 3: NPI 1234567890 fails" in skipped.stdout


def test_missing_registry_is_exit_3_with_what_to_do(run_syncguard: Any, tmp_path: Path) -> None:
    db = f"--database-url=sqlite:///{tmp_path / 'none.db'}"
    result = run_syncguard(db, "registry", "list", "payers")
    assert result.exit_code == 3
    assert "run `syncguard init` first" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_csv_listing_defuses_formulas(cli: Cli, tmp_path: Path) -> None:
    db = f"--database-url=sqlite:///{tmp_path / 'registry.db'}"
    cli(db, "init")
    hostile = str(FIXTURES / "hostile" / "formula_injection.csv")
    assert cli(db, "registry", "import", "payers", hostile).exit_code == 0
    listed = cli(db, "registry", "list", "payers", "--format", "csv").stdout
    names = [row[1] for row in csv.reader(io.StringIO(listed))][1:]
    assert names and all(name.startswith("'") for name in names)


def test_unknown_kind_and_format_are_usage_errors(cli: Cli, tmp_path: Path) -> None:
    db = f"--database-url=sqlite:///{tmp_path / 'registry.db'}"
    cli(db, "init")
    kind = cli(db, "registry", "list", "patients")
    assert kind.exit_code == 2 and "unknown kind 'patients'" in kind.stderr
    fmt = cli(db, "registry", "list", "payers", "--format", "xml")
    assert fmt.exit_code == 2 and "unknown format 'xml'" in fmt.stderr


def test_many_invalid_rows_are_all_listed_before_the_error(cli: Cli, tmp_path: Path) -> None:
    db = f"--database-url=sqlite:///{tmp_path / 'registry.db'}"
    cli(db, "init")
    bad = tmp_path / "bad.csv"
    bad.write_text("NPI,Name\n" + "1234567890,X\n" * 8, encoding="utf-8")
    result = cli(db, "registry", "import", "referring", str(bad))
    lines = result.stderr.splitlines()
    assert result.exit_code == 2
    assert [line.split(":")[0] for line in lines[:8]] == [f"row {n}" for n in range(2, 10)]
    assert lines[8].startswith("error: bad.csv: 8 invalid rows") and "and 3 more" in lines[8]
