"""QA: the real CLI as an admin and a scheduler use it; each test is a defect found and fixed."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

WEBPT = FIXTURES / "webpt"
BALANCE = FIXTURES / "balance"


def _one_clear_line(result: Any) -> None:
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def _registry(run: Any, tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "registry.db"
    url = f"sqlite:///{path}"
    assert run("--database-url", url, "init").exit_code == 0
    return url, path


def _import_facilities(run: Any, url: str) -> None:
    facilities = str(FIXTURES / "cmd" / "facilities.csv")
    assert run("--database-url", url, "registry", "import", "facilities", facilities).exit_code == 0


def test_balance_help_names_the_locations_table(run_syncguard: Any) -> None:
    result = run_syncguard("balance", "--help")
    assert "[balance.locations]" in " ".join(result.stdout.split())


def test_balance_takes_practice_like_every_command(run_syncguard: Any, tmp_path: Path) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    result = run_syncguard(
        "--database-url", url, "--config", str(BALANCE / "syncguard.toml"), "balance",
        "--emr", str(BALANCE / "billing_report.csv"), "--billing", str(BALANCE / "charges.csv"),
        "--from", "2026-11-02", "--to", "2026-11-08", "--practice", "northside",
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr
    assert "practice northside" in result.stderr


def test_audit_takes_config_after_the_command(run_syncguard: Any, tmp_path: Path) -> None:
    # The documented form (README, docs/audit.md): `syncguard audit --config audit.toml`.
    url, _ = _registry(run_syncguard, tmp_path)
    _import_facilities(run_syncguard, url)
    config = tmp_path / "audit.toml"
    config.write_text(
        f'[registry]\ndatabase_url = "{url}"\n'
        f'[audit]\nlists = {{ facilities = "{WEBPT / "webpt_facilities.csv"}" }}\n'
    )
    result = run_syncguard("audit", "--config", str(config))
    assert result.exit_code == 1, result.stderr
    assert "syncguard audit: FAIL" in result.stderr


def test_check_takes_config_after_the_command(run_syncguard: Any, tmp_path: Path) -> None:
    # Issue 3's form: `syncguard check --config audit.toml --format html --output report.html`.
    url, _ = _registry(run_syncguard, tmp_path)
    _import_facilities(run_syncguard, url)
    config = tmp_path / "check.toml"
    config.write_text(f'[registry]\ndatabase_url = "{url}"\n')
    result = run_syncguard(
        "check", "--config", str(config), "--facilities", str(WEBPT / "webpt_facilities.csv")
    )
    assert result.exit_code == 1, result.stderr


def test_utf16_encoding_on_a_file_without_bom_is_an_input_error(
    run_syncguard: Any, tmp_path: Path
) -> None:
    url, path = _registry(run_syncguard, tmp_path)
    for args in (
        ("registry", "import", "referring", str(FIXTURES / "cmd" / "referring.csv")),
        ("check", "--referring", str(WEBPT / "webpt_referring.csv"), "--no-ledger"),
    ):
        result = run_syncguard("--database-url", url, *args, "--encoding", "utf-16")
        _one_clear_line(result)
        assert "--encoding" in result.stderr
    with sqlite3.connect(path) as db:
        assert db.execute("select count(*) from referring_provider").fetchone() == (0,)


def test_binary_config_file_is_a_config_error(run_syncguard: Any, tmp_path: Path) -> None:
    config = tmp_path / "garbage.toml"
    config.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    result = run_syncguard("--config", str(config), "registry", "list", "payers")
    _one_clear_line(result)
    assert "garbage.toml" in result.stderr


def test_binary_waiver_file_is_an_input_error(run_syncguard: Any, tmp_path: Path) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    for name in ("garbage.csv", "garbage.toml", "garbage.json"):
        waivers = tmp_path / name
        waivers.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
        result = run_syncguard("--database-url", url, "waivers", "import", str(waivers))
        _one_clear_line(result)
        assert name in result.stderr


def test_waiver_toml_without_waiver_tables_is_refused(run_syncguard: Any, tmp_path: Path) -> None:
    # A wrong file given to `waivers import --replace` must not silently remove every waiver.
    url, _ = _registry(run_syncguard, tmp_path)
    kept = ("waive", "PAY201", "--key", "10023344", "--reason", "by contract")
    assert run_syncguard("--database-url", url, *kept).exit_code == 0
    wrong = tmp_path / "audit.toml"
    wrong.write_text('[registry]\ndatabase_url = "sqlite:///x.db"\n')
    result = run_syncguard("--database-url", url, "waivers", "import", str(wrong), "--replace")
    _one_clear_line(result)
    listed = run_syncguard("--database-url", url, "waivers", "list")
    assert "10023344" in listed.stdout


def test_empty_waiver_export_imports_back(run_syncguard: Any, tmp_path: Path) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    exported = tmp_path / "waivers.toml"
    assert run_syncguard("--database-url", url, "waivers", "export", str(exported)).exit_code == 0
    assert run_syncguard("--database-url", url, "waivers", "import", str(exported)).exit_code == 0


def test_empty_practice_is_refused(run_syncguard: Any, tmp_path: Path) -> None:
    url, path = _registry(run_syncguard, tmp_path)
    payers = str(FIXTURES / "cmd" / "payers.csv")
    result = run_syncguard(
        "--database-url", url, "registry", "import", "payers", payers, "--practice", ""
    )
    _one_clear_line(result)
    with sqlite3.connect(path) as db:
        assert db.execute("select count(*) from payer").fetchone() == (0,)


def test_demo_summary_says_info_not_infos(run_syncguard: Any, tmp_path: Path) -> None:
    result = run_syncguard("demo", "--html", str(tmp_path / "demo.html"))
    assert result.exit_code == 0, result.stderr
    assert "infos" not in result.stderr + result.stdout


def test_audit_refuses_bad_report_targets_before_running(
    run_syncguard: Any, tmp_path: Path
) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    _import_facilities(run_syncguard, url)
    facilities = WEBPT / "webpt_facilities.csv"
    for reports in ('{ pdf = "r.pdf" }', '{ html = "no-such-folder/r-{date}.html" }'):
        config = tmp_path / "audit.toml"
        config.write_text(
            f'[registry]\ndatabase_url = "{url}"\n'
            f'[audit]\nlists = {{ facilities = "{facilities}" }}\nreports = {reports}\n'
        )
        result = run_syncguard("--config", str(config), "audit")
        _one_clear_line(result)
        assert "[audit.reports]" in result.stderr
    listed = run_syncguard("--database-url", url, "runs", "list", "--format", "json")
    assert '"audit"' not in listed.stdout


def test_reports_to_a_folder_or_a_missing_folder_are_refused(
    run_syncguard: Any, tmp_path: Path
) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    _import_facilities(run_syncguard, url)
    facilities = str(WEBPT / "webpt_facilities.csv")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert run_syncguard("--database-url", url, "check", "--facilities", facilities).exit_code == 1
    for args in (
        ("check", "--facilities", facilities, "--output", str(folder)),
        ("runs", "show", "1", "--output", str(folder)),
        ("runs", "show", "1", "--output", str(tmp_path / "missing" / "run.txt")),
        ("waivers", "export", str(tmp_path / "missing" / "waivers.toml")),
    ):
        result = run_syncguard("--database-url", url, *args)
        _one_clear_line(result)
        assert "cannot write" in result.stderr
    assert folder.is_dir() and not any(folder.iterdir())


def test_registry_export_to_a_folder_is_refused(run_syncguard: Any, tmp_path: Path) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    result = run_syncguard("--database-url", url, "registry", "export", str(tmp_path))
    _one_clear_line(result)


def test_unknown_formats_and_limits_are_refused_in_one_line(
    run_syncguard: Any, tmp_path: Path
) -> None:
    # They used to fall back to text with exit 0 (or a multi-line usage box for runs show).
    url, _ = _registry(run_syncguard, tmp_path)
    _import_facilities(run_syncguard, url)
    facilities = str(WEBPT / "webpt_facilities.csv")
    assert run_syncguard("--database-url", url, "check", "--facilities", facilities).exit_code == 1
    for args in (
        ("runs", "list", "--format", "xml"),
        ("runs", "list", "--limit", "-1"),
        ("runs", "show", "1", "--format", "pdf"),
        ("runs", "diff", "1", "1", "--format", "xml"),
        ("waivers", "list", "--format", "xml"),
    ):
        result = run_syncguard("--database-url", url, *args)
        _one_clear_line(result)


def test_balance_refuses_a_rejection_summary_with_none_of_its_columns(
    run_syncguard: Any, tmp_path: Path
) -> None:
    # A CMD payer list given as --rejections crashed in the totals-row filter (exit 4).
    result = run_syncguard(
        "--config", str(BALANCE / "syncguard.toml"), "balance",
        "--emr", str(BALANCE / "billing_report.csv"), "--billing", str(BALANCE / "charges.csv"),
        "--rejections", str(FIXTURES / "cmd" / "payers.csv"),
        "--from", "2026-11-02", "--to", "2026-11-08", "--no-ledger",
    )  # fmt: skip
    _one_clear_line(result)
    assert "payers.csv" in result.stderr


def test_log_level_is_case_insensitive(run_syncguard: Any, tmp_path: Path) -> None:
    url, _ = _registry(run_syncguard, tmp_path)
    result = run_syncguard("--log-level", "DEBUG", "--database-url", url, "runs", "list")
    assert result.exit_code == 0, result.stderr
