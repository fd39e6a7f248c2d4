"""The registry under stress: hostile files, an import killed half-way, imports running at once."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from syncguard.cli import app
from syncguard.config import Settings
from syncguard.inputs.kinds import KIND_NAMES
from syncguard.npi import npi_check_digit
from syncguard.registry.importer import import_file
from syncguard.registry.schema import open_registry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cmd"
HOSTILE = sorted((FIXTURES / "hostile").glob("*"))
TABLES = ("payer", "referring_provider", "change_log", "import_batch")


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = open_registry(url)
    with engine.connect() as connection:
        rows = {
            table: sorted(tuple(r) for r in connection.execute(text(f"SELECT * FROM {table}")))
            for table in TABLES
        }
    engine.dispose()
    return rows


def seeded(url: str) -> str:
    """A registry holding the clean payer and referring fixtures."""
    engine = open_registry(url, create=True)
    for kind in ("payers", "referring"):
        import_file(engine, kind, FIXTURES / f"{kind}.csv", practice="default", settings=Settings())
    engine.dispose()
    return url


def write_referring(path: Path, rows: int, start: int = 0) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["NPI", "Last Name", "First Name", "Sequence#", "Inactive"])
        for index in range(start, start + rows):
            nine = f"1{index:08d}"
            writer.writerow([nine + str(npi_check_digit(nine)), f"Last{index}", "First", "", "N"])
    return path


def syncguard(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "syncguard", "--database-url", url, *args]


def child_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("SYNCGUARD_")}


def kind_of(path: Path) -> str:
    """The kind a hostile file pretends to be: from its name, else from its first bytes."""
    prefix = path.stem.split("_")[0]
    if prefix in KIND_NAMES:
        return prefix
    return "referring" if path.read_bytes()[:3] == b"NPI" else "payers"


@pytest.fixture
def invoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_there_are_hostile_fixtures() -> None:
    assert len(HOSTILE) >= 10


@pytest.mark.parametrize("path", HOSTILE, ids=[path.name for path in HOSTILE])
def test_hostile_file_is_imported_or_refused_in_one_line(
    path: Path, sqlite_url: str, invoke: Callable[..., Any]
) -> None:
    before = dump(seeded(sqlite_url))
    result = invoke("--database-url", sqlite_url, "registry", "import", kind_of(path), str(path))
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.stderr + result.stdout
    if result.exit_code == 2:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
        assert dump(sqlite_url) == before


@pytest.mark.slow
def test_an_import_killed_half_way_leaves_the_registry_as_it_was(
    database_url: str, tmp_path: Path
) -> None:
    before = dump(seeded(database_url))
    big = write_referring(tmp_path / "big.csv", 150_000, start=5_000_000)
    command = syncguard(database_url, "--log-level", "debug", "registry", "import", "referring")
    process = subprocess.Popen(
        [*command, str(big)], stderr=subprocess.PIPE, text=True, env=child_env()
    )
    assert process.stderr is not None
    for line in process.stderr:  # wait until it has written its first batch
        if line.startswith("{") and json.loads(line).get("event") == "registry.import.batch":
            break
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL
    process.stderr.close()
    assert dump(database_url) == before


@pytest.mark.slow
def test_two_imports_at_once_both_complete(database_url: str, tmp_path: Path) -> None:
    url = seeded(database_url)
    first = write_referring(tmp_path / "first.csv", 30_000, start=1_000_000)
    second = write_referring(tmp_path / "second.csv", 30_000, start=2_000_000)
    runs = [
        subprocess.Popen(
            syncguard(url, "registry", "import", "referring", str(path), *practice),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        # Two practices at once (they queue on SQLite), and the same file twice at once.
        for path, practice in [
            (first, ["--practice", "north"]),
            (second, ["--practice", "south"]),
            (first, ["--practice", "south"]),
            (first, ["--practice", "south"]),
        ]
    ]
    outcomes = [(run.wait(timeout=240), *run.communicate()) for run in runs]
    for code, _out, err in outcomes:
        assert code == 0, err
        assert "locked" not in err
    engine = open_registry(url)
    counts: dict[str, int] = {}
    with engine.connect() as connection:
        # Records each practice's import batches say they added (one batch per import).
        for table, kind in (("payer", "payers"), ("referring_provider", "referring")):
            added = connection.execute(
                text(
                    f"SELECT b.practice, count(*) FROM import_batch b JOIN {table} r "
                    "ON r.practice = b.practice "
                    "AND r.id BETWEEN b.first_record_id AND b.last_record_id "
                    f"WHERE b.kind = '{kind}' GROUP BY b.practice"
                )
            )
            for practice, count in added:
                counts[practice] = counts.get(practice, 0) + count
    engine.dispose()
    assert counts == {"default": 27 + 60, "north": 30_000, "south": 60_000}
