"""``syncguard audit`` end to end: the real CLI on the demo data, a drop folder, dated reports,
a real webhook, the ledger commands, waivers, the lock and the exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from ledger_support import held_elsewhere, webhook_server

from syncguard.config import Settings
from syncguard.demo import build_registry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HOOK = "SG_TEST_HOOK"


def make_audit(tmp_path: Path, url: str) -> Path:
    """A registry with the demo's CMD data, a drop folder of WebPT exports, and audit.toml."""
    build_registry(url, FIXTURES, settings=Settings())
    drop = tmp_path / "drop"
    drop.mkdir()
    stale = drop / "webpt_payers_2026-10-01.xlsx"
    stale.write_text("not a spreadsheet")  # older: the glob must pick the newest file
    os.utime(stale, (time.time() - 86400, time.time() - 86400))
    shutil.copy(FIXTURES / "webpt" / "webpt_payers.xlsx", drop / "webpt_payers_2026-11-02.xlsx")
    shutil.copy(FIXTURES / "webpt" / "webpt_providers.csv", drop / "providers.csv")
    config = tmp_path / "audit.toml"
    config.write_text(
        f"""
[registry]
database_url = "{url}"
practice = "demo"

[audit]
lists = {{ payers = "drop/webpt_payers_*.xlsx", providers = "drop/providers.csv" }}
reports = {{ html = "reports/audit-{{date}}.html", junit = "reports/audit-{{date}}.xml" }}
channels = ["ops"]

[alerts]
attempts = 2
backoff_initial = 0.01

[alerts.channels.ops]
type = "webhook"
url_env = "{HOOK}"
min_severity = "warning"
""",
        encoding="utf-8",
    )
    (tmp_path / "reports").mkdir()
    return config


def test_audit_records_reports_and_alerts_only_on_drift(
    run_syncguard: Any, database_url: str, tmp_path: Path
) -> None:
    config = make_audit(tmp_path, database_url)
    with webhook_server([]) as hook:
        env = {HOOK: hook.url()}
        first = run_syncguard("--config", str(config), "audit", env=env)
        assert first.exit_code == 1, first.stderr
        assert "alert ops: told about" in first.stderr
        reports = sorted(p.name for p in (tmp_path / "reports").iterdir())
        assert len(reports) == 2 and all(re.search(r"audit-\d{4}-\d\d-\d\d\.", n) for n in reports)
        assert len(hook.delivered) == 1
        assert str(hook.delivered[0]["report"]).endswith(".html")
        second = run_syncguard("--config", str(config), "audit", env=env)
        assert second.exit_code == 1 and "nothing new to say" in second.stderr
        assert len(hook.received) == 1
        baseline = run_syncguard("--config", str(config), "audit", "--fail-on-new", env=env)
        assert baseline.exit_code == 0, baseline.stderr
    listed = run_syncguard("--config", str(config), "runs", "list", "--format", "json")
    runs = json.loads(listed.stdout)
    assert [(r["command"], r["status"], r["exit_code"]) for r in runs] == [
        ("audit", "complete", 0),
        ("audit", "complete", 1),
        ("audit", "complete", 1),
    ]
    newest, oldest = runs[0]["id"], runs[-1]["id"]
    diff = run_syncguard("--config", str(config), "runs", "diff", str(oldest), str(newest))
    assert diff.exit_code == 0 and "0 new, 0 resolved, 0 changed" in diff.stdout
    shown = run_syncguard(
        "--config",
        str(config),
        "runs",
        "show",
        str(oldest),
        "--format",
        "json",
        "--output",
        str(tmp_path / "run.json"),
    )
    assert shown.exit_code == 0, shown.stderr
    document = json.loads((tmp_path / "run.json").read_text())
    assert document["findings"] and {f["drift"] for f in document["findings"]} == {"new"}


def test_failing_channel_exits_3_after_writing_the_reports(
    run_syncguard: Any, sqlite_url: str, tmp_path: Path
) -> None:
    config = make_audit(tmp_path, sqlite_url)
    with webhook_server([(400, {})]) as hook:
        done = run_syncguard("--config", str(config), "audit", env={HOOK: hook.url()})
    assert done.exit_code == 3
    assert "alert ops: failed after 1 attempts" in done.stderr
    assert "s3cr3t" not in done.stderr
    assert len(list((tmp_path / "reports").iterdir())) == 2


def test_missing_secret_is_a_config_error(
    run_syncguard: Any, sqlite_url: str, tmp_path: Path
) -> None:
    config = make_audit(tmp_path, sqlite_url)
    done = run_syncguard("--config", str(config), "audit")
    assert done.exit_code == 2
    assert f"environment variable {HOOK} is not set" in done.stderr
    assert "Traceback" not in done.stderr


def test_second_audit_says_why_or_waits(
    run_syncguard: Any, database_url: str, tmp_path: Path
) -> None:
    config = make_audit(tmp_path, database_url)
    with webhook_server([]) as hook, held_elsewhere(database_url, "demo", tmp_path) as (_, free):
        env = {HOOK: hook.url()}
        refused = run_syncguard("--config", str(config), "audit", env=env)
        assert refused.exit_code == 3
        assert "another audit of practice 'demo' is running" in refused.stderr
        threading.Timer(1.0, free.touch).start()
        waited = run_syncguard("--config", str(config), "audit", "--wait", "60", env=env)
        assert waited.exit_code == 1, waited.stderr


def test_waive_and_waiver_files(run_syncguard: Any, sqlite_url: str, tmp_path: Path) -> None:
    config = make_audit(tmp_path, sqlite_url)
    base = ("--config", str(config))
    made = run_syncguard(
        *base,
        "waive",
        "PAY201",
        "--key",
        "10023344",
        "--reason",
        "name differs by contract",
        "--until",
        "2099-01-31",
        "--by",
        "J. Doe",
    )
    assert made.exit_code == 0, made.stderr
    run_syncguard(*base, "waive", "REN402", "--reason", "locums have no NPI", "--by", "ops")
    exported = tmp_path / "waivers.toml"
    assert run_syncguard(*base, "waivers", "export", str(exported)).exit_code == 0
    assert run_syncguard(*base, "waivers", "remove", "REN402").exit_code == 0
    gone = run_syncguard(*base, "waivers", "remove", "REN402")
    assert gone.exit_code == 2 and "no waiver REN402" in gone.stderr
    assert run_syncguard(*base, "waivers", "import", str(exported)).exit_code == 0
    listed = run_syncguard(*base, "waivers", "list")
    assert "PAY201 10023344  until 2099-01-31  by J. Doe" in listed.stdout
    assert "REN402 *  no expiry  by ops" in listed.stdout
    bad = run_syncguard(*base, "waive", "PAY2", "--reason", "x", "--by", "y")
    assert bad.exit_code == 2 and "not a rule code" in bad.stderr


@pytest.mark.parametrize("content", ["[[waiver]]\ncode = 'PAY201'\n", "[[waiver]\n"])
def test_bad_waiver_file_is_one_clear_line(
    run_syncguard: Any, sqlite_url: str, tmp_path: Path, content: str
) -> None:
    config = make_audit(tmp_path, sqlite_url)
    path = tmp_path / "waivers.toml"
    path.write_text(content)
    done = run_syncguard("--config", str(config), "waivers", "import", str(path))
    assert done.exit_code == 2 and "waivers.toml" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
