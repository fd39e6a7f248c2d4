"""`syncguard audit` with `[audit.balance]`: the balance runs as part of the one audit run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from syncguard.registry.schema import open_registry

BALANCE = Path(__file__).resolve().parent.parent / "fixtures" / "balance"


@pytest.fixture
def balance_config(tmp_path: Path, sqlite_url: str) -> Path:
    pytest.importorskip("syncguard.balance.api")
    open_registry(sqlite_url, create=True).dispose()
    config = tmp_path / "audit.toml"
    config.write_text(
        (BALANCE / "syncguard.toml").read_text()
        + f"""
[registry]
database_url = "{sqlite_url}"

[audit]
reports = {{ json = "audit-{{date}}.json" }}

[audit.balance]
emr = "{BALANCE / "billing_report.csv"}"
billing = "{BALANCE / "charges.csv"}"
date_from = "2026-11-02"
date_to = "2026-11-08"
by = "week"
""",
        encoding="utf-8",
    )
    return config


def test_audit_runs_the_balance_into_one_ledger_run(
    run_syncguard: Any, balance_config: Path, tmp_path: Path
) -> None:
    done = run_syncguard("--config", str(balance_config), "audit")
    assert done.exit_code in (0, 1), done.stderr
    report = json.loads(next(tmp_path.glob("audit-*.json")).read_text())
    assert report["command"] == "audit"
    assert {f["code"][:3] for f in report["findings"]} == {"VIS"}
    runs = json.loads(
        run_syncguard("--config", str(balance_config), "runs", "list", "--format", "json").stdout
    )
    assert [(r["command"], r["scope"]) for r in runs] == [("audit", "audit:default:balance")]


def test_unknown_balance_option_is_a_config_error(run_syncguard: Any, balance_config: Path) -> None:
    balance_config.write_text(balance_config.read_text() + 'colour = "blue"\n')
    done = run_syncguard("--config", str(balance_config), "audit")
    assert done.exit_code == 2 and "[audit.balance]" in done.stderr
