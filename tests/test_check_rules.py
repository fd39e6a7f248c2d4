"""Every rule, proven by a case written as data: ``tests/rule_cases/<CODE>.toml``.

A case holds a tiny CMD registry (CSV text per kind, imported with the registry importer into a
SQLite file, and into PostgreSQL when CI provides one), tiny WebPT exports (CSV text per kind),
optional check options, and the *complete* list of findings the check must produce: a finding
that is not listed fails the case, which is how "one root cause, one finding" is tested. An
expected finding names its code and row (no row: a coverage finding), and optionally its key,
severity, value, expected value, suggestion, and text its message and fix must contain.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from syncguard.checks.engine import run_check
from syncguard.checks.rules import RULES, check_rules
from syncguard.config import Settings
from syncguard.findings import CheckResult, Finding
from syncguard.readers import columnar
from syncguard.registry.importer import import_file
from syncguard.registry.schema import open_registry

CASES = Path(__file__).resolve().parent / "rule_cases"
PRACTICE = "default"
EXACT = ("key", "value", "expected", "suggestion")
CONTAINED = ("message", "fix", "record")


def _cases() -> list[Path]:
    return sorted(CASES.glob("*.toml"))


def test_every_rule_has_a_case_and_every_case_a_rule() -> None:
    codes = {path.stem for path in _cases()}
    assert codes == {rule.code for rule in check_rules()}


def fill_registry(
    url: str, cmd: dict[str, str], folder: Path, settings: Settings, practice: str = PRACTICE
) -> None:
    """Create the registry at ``url`` and import CMD lists given as CSV text per kind."""
    engine = open_registry(url, create=True)
    try:
        for kind, text in cmd.items():
            path = write_csv(folder / f"cmd_{practice}_{kind}.csv", text)
            import_file(engine, kind, path, practice=practice, settings=settings)
    finally:
        engine.dispose()


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return path


def run_case(case: dict[str, Any], folder: Path, url: str | None = None) -> CheckResult:
    """Import the case's CMD lists into a fresh registry and check its WebPT lists."""
    options = case.get("options", {})
    settings = Settings.model_validate(options.get("settings", {}))
    url = url or f"sqlite:///{folder / 'registry.db'}"
    fill_registry(url, case.get("cmd", {}), folder, settings)
    engine = open_registry(url)
    try:
        return run_check(
            {
                kind: write_csv(folder / f"webpt_{kind}.csv", text)
                for kind, text in case["webpt"].items()
            },
            engine=engine,
            settings=settings,
            practice=PRACTICE,
            select=options.get("select", ()),
            ignore=options.get("ignore", ()),
        )
    finally:
        engine.dispose()


@pytest.mark.parametrize("reader", ["rows", "columns"])
@pytest.mark.parametrize("path", _cases(), ids=lambda path: path.stem)
def test_rule_case(
    path: Path, reader: str, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each case runs twice: with the files read row by row, and read by columns as large
    plain CSV files are (imports and the referring check)."""
    if reader == "columns":
        monkeypatch.setattr(columnar, "LARGE_FILE_BYTES", 0)
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    assert any(e["code"] == path.stem for e in case["expected"]), "the case must show its rule"
    findings = run_case(case, tmp_path, database_url).findings
    got = sorted((f.code, f.row or 0) for f in findings)
    want = sorted((e["code"], e.get("row", 0)) for e in case["expected"])
    assert got == want, "\n".join(f"{f.code} row {f.row}: {f.message}" for f in findings)
    by_place = {(f.code, f.row or 0): f for f in findings}
    for expected in case["expected"]:
        _assert_matches(by_place[(expected["code"], expected.get("row", 0))], expected)


def _assert_matches(finding: Finding, expected: dict[str, Any]) -> None:
    where = f"{finding.code} row {finding.row}"
    assert finding.name == RULES[finding.code].name
    if finding.row is None:
        assert finding.file is None and finding.key, f"{where}: coverage carries a key, no file"
    else:
        assert finding.file and finding.file.startswith("webpt_"), where
    assert finding.message and finding.fix and finding.key, where
    if "severity" in expected:
        assert finding.severity.label == expected["severity"], where
    for name in EXACT:
        if name in expected:
            assert getattr(finding, name) == expected[name], f"{where}: {name}"
    for name in CONTAINED:
        if name in expected:
            assert expected[name] in getattr(finding, name), f"{where}: {name}"
    if "score" in expected:
        assert finding.score == pytest.approx(expected["score"], abs=0.5), where
