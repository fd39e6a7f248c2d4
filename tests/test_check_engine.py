"""The check as a library: rule selection, severities, inputs, practices, logs, both databases."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
import structlog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from structlog.testing import capture_logs
from test_check_rules import fill_registry, write_csv

from syncguard.api import check
from syncguard.checks.rules import check_rules
from syncguard.checks.selection import RuleSelection
from syncguard.config import Settings
from syncguard.errors import ConfigError, MissingColumnError, RegistryUnavailableError
from syncguard.findings import Severity
from syncguard.logs import configure_logging

CMD = {
    "payers": """Sequence#,Payer Name,Inactive
10023344,AETNA PPO,No
10023351,CIGNA,No
10023368,UNITED HEALTHCARE,No
""",
    "referring": """NPI,Last Name,First Name,Inactive
1234567893,Smith,Jane,No
1245319599,Doe,John,No
""",
}
WEBPT_PAYERS = """Payer Name,Alternate ID
Aetna PPO,10023344
Cigna,
United Healthcare,10023368
Humana,10099999
"""
WEBPT_REFERRING = """Last Name,First Name,NPI
SMITH,Jane A.,1234567893
Roe,Richard,1299244362
"""


@pytest.fixture
def registry(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    fill_registry(url, CMD, tmp_path, Settings())
    return url


RULES = check_rules()


def test_selectors_are_codes_prefixes_or_names() -> None:
    assert RuleSelection(RULES, select=["PAY"]).enabled == {
        r.code for r in RULES if r.area == "PAY"
    }
    assert RuleSelection(RULES, select=["REF1"]).enabled == {"REF101", "REF102"}
    assert RuleSelection(RULES, select=["payer-name-mismatch,NPI002"]).enabled == {
        "PAY201",
        "NPI002",
    }
    ignored = RuleSelection(RULES, select=["PAY"], ignore=["PAY301", "payer-name-mismatch"])
    assert "PAY301" not in ignored and "PAY201" not in ignored and "PAY101" in ignored


def test_an_unknown_selector_or_severity_code_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="PAY10X") as raised:
        RuleSelection(RULES, select=["PAY10X"])
    assert "PAY10" in (raised.value.hint or "")
    with pytest.raises(ConfigError, match="PAY999"):
        RuleSelection(RULES, severity={"PAY999": "error"})


def test_severity_overrides_apply_per_code() -> None:
    selection = RuleSelection(RULES, severity={"pay301": "error"})
    assert selection.severities["PAY301"] is Severity.ERROR
    assert selection.severities["PAY201"] is Severity.WARNING


def test_check_reports_every_input_with_its_digest_and_rows(registry: str, tmp_path: Path) -> None:
    payers = write_csv(tmp_path / "webpt_payers.csv", WEBPT_PAYERS)
    referring = write_csv(tmp_path / "webpt_referring.csv", WEBPT_REFERRING)
    result = check(payers=payers, referring=referring, database_url=registry)
    assert [(i.kind, i.path, i.rows) for i in result.inputs] == [
        ("payers", "webpt_payers.csv", 4),
        ("referring", "webpt_referring.csv", 2),
    ]
    assert result.inputs[0].sha256 == hashlib.sha256(payers.read_bytes()).hexdigest()
    codes = sorted((f.code, f.key) for f in result.findings)
    assert codes == [
        ("PAY001", "Cigna"),
        ("PAY101", "10099999"),
        ("REF101", "1299244362"),
        ("REF301", "1245319599"),
    ]
    assert result.exit_code == 1 and result.practice == "default"


def test_select_ignore_severity_and_fail_on(registry: str, tmp_path: Path) -> None:
    payers = write_csv(tmp_path / "webpt_payers.csv", WEBPT_PAYERS)
    only_missing = check(payers=payers, database_url=registry, select=["PAY0"])
    assert [f.code for f in only_missing.findings] == ["PAY001"]
    quiet = check(payers=payers, database_url=registry, ignore=["PAY001", "PAY1"])
    assert quiet.findings == [] and quiet.exit_code == 0
    custom = Settings.model_validate({"check": {"severity": {"PAY001": "info"}}})
    softened = check(payers=payers, database_url=registry, settings=custom, select=["PAY001"])
    assert softened.findings[0].severity is Severity.INFO and softened.exit_code == 0
    strict = check(payers=payers, database_url=registry, settings=custom, fail_on="info")
    assert strict.exit_code == 1


def test_a_practice_without_records_is_a_usage_error(registry: str, tmp_path: Path) -> None:
    payers = write_csv(tmp_path / "webpt_payers.csv", WEBPT_PAYERS)
    with pytest.raises(ConfigError, match="no CMD payers for practice 'south'"):
        check(payers=payers, database_url=registry, practice="south")


def test_practices_do_not_see_each_other(registry: str, tmp_path: Path) -> None:
    south = {"payers": "Sequence#,Payer Name,Inactive\n10023399,HUMANA,No\n"}
    fill_registry(registry, south, tmp_path, Settings(), practice="south")
    payers = write_csv(tmp_path / "webpt_payers.csv", "Payer Name,Alternate ID\nHumana,10023399\n")
    assert check(payers=payers, database_url=registry, practice="south").findings == []
    north = check(payers=payers, database_url=registry)
    assert "PAY101" in {f.code for f in north.findings}


def test_nothing_to_check_and_missing_columns_are_input_errors(
    registry: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="nothing to check"):
        check(database_url=registry)
    wrong = write_csv(tmp_path / "webpt_payers.csv", "Payer Name,Payer ID\nAetna PPO,60054\n")
    with pytest.raises(MissingColumnError, match="Alternate ID"):
        check(payers=wrong, database_url=registry)


def test_an_uninitialised_registry_is_unavailable(tmp_path: Path) -> None:
    payers = write_csv(tmp_path / "webpt_payers.csv", WEBPT_PAYERS)
    with pytest.raises(RegistryUnavailableError):
        check(payers=payers, database_url=f"sqlite:///{tmp_path / 'none.db'}")


def test_column_names_and_sequence_width_come_from_settings(tmp_path: Path) -> None:
    custom = Settings.model_validate(
        {"ids": {"sequence_width": 6}, "columns": {"webpt": {"payers": {"alternate_id": "CMD #"}}}}
    )
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    fill_registry(url, {"payers": "Sequence#,Payer Name\n023344,AETNA PPO\n"}, tmp_path, custom)
    payers = write_csv(tmp_path / "webpt.csv", "Payer Name,CMD #\nAetna PPO,023344\n")
    assert check(payers=payers, database_url=url, settings=custom).findings == []


def test_a_number_cell_that_lost_its_leading_zeros_is_damage(registry: str, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Payer Name", "Alternate ID"])
    sheet.append(["Aetna PPO", 10023344])  # a number cell, but all 8 digits are there
    sheet.append(["Cigna", 23351])  # "00023351" stored as a number
    path = tmp_path / "webpt_payers.xlsx"
    workbook.save(path)
    result = check(payers=path, database_url=registry, select=["EXP", "PAY1"])
    assert [(f.code, f.row) for f in result.findings] == [("EXP101", 3)]
    assert "leading zeros" in result.findings[0].message


def test_one_summary_event_without_person_names(registry: str, tmp_path: Path) -> None:
    referring = write_csv(tmp_path / "webpt_referring.csv", WEBPT_REFERRING)
    configure_logging("info", "json")  # as the CLI does; capture_logs keeps the level filter
    try:
        with capture_logs() as logs:
            check(referring=referring, database_url=registry)
    finally:
        structlog.reset_defaults()
    events = [e for e in logs if e["event"] == "check finished"]
    assert len(events) == 1
    assert events[0]["inputs"] == [{"kind": "referring", "file": "webpt_referring.csv", "rows": 2}]
    assert "Smith" not in repr(events) and "Roe" not in repr(events)


def test_the_same_check_on_sqlite_and_postgresql(database_url: str, tmp_path: Path) -> None:
    fill_registry(database_url, CMD, tmp_path, Settings())
    referring = write_csv(tmp_path / "webpt_referring.csv", WEBPT_REFERRING)
    result = check(referring=referring, database_url=database_url)
    assert sorted(f.code for f in result.findings) == ["REF101", "REF301"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000))
def test_reordering_an_export_changes_rows_not_findings(
    registry: str, tmp_path: Path, seed: int
) -> None:
    header, *lines = WEBPT_PAYERS.splitlines()
    random.Random(seed).shuffle(lines)
    payers = write_csv(tmp_path / f"payers_{seed}.csv", "\n".join([header, *lines]) + "\n")
    result = check(payers=payers, database_url=registry)
    assert sorted((f.code, f.key) for f in result.findings) == [
        ("PAY001", "Cigna"),
        ("PAY101", "10099999"),
    ]
