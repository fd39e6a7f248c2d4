"""A CMD export whose status column is headed "Active": its marks answer "active?", the opposite
of an "Inactive" column, and both import paths (row by row, column by column) read it alike."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from test_check_rules import run_case
from typer.testing import CliRunner

from syncguard.cli import app
from syncguard.config import Settings
from syncguard.errors import InputError, InvalidRowsError
from syncguard.inputs.columns import resolve_columns
from syncguard.inputs.flags import parse_flag
from syncguard.npi import npi_check_digit
from syncguard.registry.importer import import_file
from syncguard.registry.schema import open_registry

# Every test twice: row by row and column by column (see conftest.reader).
pytestmark = pytest.mark.usefixtures("reader")

SETTINGS = Settings()

# The cell of an Active column -> whether the record is inactive.
ACTIVE_CELLS = [
    ("Yes", False),
    ("No", True),
    ("Y", False),
    ("N", True),
    ("yes", False),
    ("n", True),
    ("True", False),
    ("FALSE", True),
    ("1", False),
    ("0", True),
    ("X", False),
    ("", False),
    ("Active", False),
    ("Inactive", True),
    ("Deactivated", True),
    ("Enabled", False),
    ("Disabled", True),
    (" No ", True),
]


def npi(index: int) -> str:
    first_nine = f"1{index:08d}"
    return first_nine + str(npi_check_digit(first_nine))


def sequence(index: int) -> str:
    return f"{10023300 + index:08d}"


# kind -> (table, key column, header before the flag, the cells of record ``index``)
KINDS: dict[str, tuple[str, str, str, Callable[[int], list[str]]]] = {
    "payers": ("payer", "sequence", "Sequence#,Payer Name", lambda i: [sequence(i), f"PAYER {i}"]),
    "facilities": (
        "facility",
        "sequence",
        "Sequence#,Facility Name",
        lambda i: [sequence(i), f"CLINIC {i}"],
    ),
    "providers": (
        "rendering_provider",
        "sequence",
        "Sequence#,Last Name,First Name",
        lambda i: [sequence(i), "Smith", f"Ann {i}"],
    ),
    "referring": (
        "referring_provider",
        "npi",
        "NPI,Last Name,First Name",
        lambda i: [npi(i), "Lee", f"Jo {i}"],
    ),
    "procedures": (
        "procedure_code",
        "code",
        "CPT Code,Description",
        lambda i: [f"97{110 + i:03d}", f"Procedure {i}"],
    ),
}


@pytest.fixture
def registry(database_url: str) -> Iterator[Engine]:
    engine = open_registry(database_url, create=True)
    yield engine
    engine.dispose()


def write(path: Path, header: str, rows: list[list[str]]) -> Path:
    lines = [header, *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def kind_file(tmp_path: Path, kind: str, flag_header: str, cells: list[str]) -> Path:
    _, _, header, record = KINDS[kind]
    rows = [[*record(index), cell] for index, cell in enumerate(cells)]
    return write(tmp_path / f"{kind}.csv", f"{header},{flag_header}", rows)


def flags(engine: Engine, kind: str) -> dict[str, bool]:
    table, key, _, _ = KINDS[kind]
    query = f"SELECT {key}, inactive FROM {table}"
    with engine.connect() as connection:
        return {row[0]: bool(row[1]) for row in connection.execute(text(query))}


def keys(kind: str, count: int) -> list[str]:
    return [KINDS[kind][3](index)[0] for index in range(count)]


def change_log(engine: Engine) -> list[tuple[Any, ...]]:
    query = "SELECT kind, key, action, field FROM change_log ORDER BY id"
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def run(engine: Engine, kind: str, path: Path, **options: Any) -> Any:
    options.setdefault("practice", "default")
    options.setdefault("settings", SETTINGS)
    return import_file(engine, kind, path, **options)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_reads_an_active_column_with_the_inverse_polarity(
    registry: Engine, tmp_path: Path, kind: str
) -> None:
    cells = [cell for cell, _ in ACTIVE_CELLS]
    result = run(registry, kind, kind_file(tmp_path, kind, "Active", cells))
    assert result.added.count == len(cells) and not result.invalid
    expected = dict(
        zip(keys(kind, len(cells)), (inactive for _, inactive in ACTIVE_CELLS), strict=True)
    )
    assert flags(registry, kind) == expected


@pytest.mark.parametrize("header", ["Active", "Is Active", "Active?", "Active Flag", "Enabled"])
def test_every_active_alias_is_read(registry: Engine, tmp_path: Path, header: str) -> None:
    run(registry, "payers", kind_file(tmp_path, "payers", header, ["Yes", "No", ""]))
    assert flags(registry, "payers") == dict(
        zip(keys("payers", 3), [False, True, False], strict=True)
    )


def test_an_inactive_column_reads_as_before(registry: Engine, tmp_path: Path) -> None:
    cells = ["Yes", "No", "", "Active", "Inactive", "X", "0"]
    run(registry, "referring", kind_file(tmp_path, "referring", "Inactive", cells))
    expected = [True, False, False, False, True, True, False]
    assert flags(registry, "referring") == dict(zip(keys("referring", 7), expected, strict=True))


def test_the_same_records_from_either_column_change_nothing(
    registry: Engine, tmp_path: Path
) -> None:
    run(registry, "payers", kind_file(tmp_path, "payers", "Inactive", ["N", "Y", ""]))
    logged = change_log(registry)
    again = run(registry, "payers", kind_file(tmp_path, "payers", "Active", ["Y", "N", ""]))
    assert (again.unchanged, again.written) == (3, False)
    assert change_log(registry) == logged


def test_dry_run_reports_deactivations_and_reactivations_from_an_active_column(
    registry: Engine, tmp_path: Path
) -> None:
    run(registry, "referring", kind_file(tmp_path, "referring", "Active", ["Yes", "No", "Yes"]))
    before = flags(registry, "referring")
    dry = run(
        registry,
        "referring",
        kind_file(tmp_path, "referring", "Active", ["No", "Yes", "Yes"]),
        dry_run=True,
    )
    first, second, _ = keys("referring", 3)
    assert (dry.deactivated.sample, dry.reactivated.sample, dry.unchanged) == ([first], [second], 1)
    assert flags(registry, "referring") == before
    done = run(
        registry, "referring", kind_file(tmp_path, "referring", "Active", ["No", "Yes", "Yes"])
    )
    assert (done.deactivated.sample, done.reactivated.sample) == ([first], [second])
    assert flags(registry, "referring") == {
        first: True,
        second: False,
        keys("referring", 3)[2]: False,
    }


@pytest.mark.parametrize(
    ("inactive", "active"),
    [("Inactive", "Active"), ("Status", "Enabled"), ("Deactivated", "Is Active")],
)
def test_a_file_with_both_columns_is_refused_naming_both(
    registry: Engine, tmp_path: Path, inactive: str, active: str
) -> None:
    path = write(
        tmp_path / "payers.csv",
        f"Sequence#,Payer Name,{inactive},{active}",
        [[sequence(1), "AETNA", "N", "Y"]],
    )
    with pytest.raises(InputError) as raised:
        run(registry, "payers", path)
    assert not isinstance(raised.value, InvalidRowsError)
    message = str(raised.value)
    assert f'"{inactive}"' in message and f'"{active}"' in message
    assert "[columns.cmd.payers]" in message and "keep one" in message
    assert flags(registry, "payers") == {}


def test_mapping_one_flag_column_in_the_config_uses_it_and_ignores_the_other(
    registry: Engine, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "payers.csv",
        "Sequence#,Payer Name,Inactive,Active",
        [[sequence(0), "AETNA", "Y", "Y"], [sequence(1), "CIGNA", "N", "N"]],
    )
    by_active = Settings.model_validate({"columns": {"cmd": {"payers": {"active": "Active"}}}})
    run(registry, "payers", path, settings=by_active)
    assert flags(registry, "payers") == {sequence(0): False, sequence(1): True}
    by_inactive = Settings.model_validate(
        {"columns": {"cmd": {"payers": {"inactive": "Inactive"}}}}
    )
    run(registry, "payers", path, settings=by_inactive)
    assert flags(registry, "payers") == {sequence(0): True, sequence(1): False}


def test_mapping_both_flag_columns_in_the_config_is_refused(
    registry: Engine, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "payers.csv",
        "Sequence#,Payer Name,Gone,Live",
        [[sequence(0), "AETNA", "Y", "Y"]],
    )
    both = Settings.model_validate(
        {"columns": {"cmd": {"payers": {"inactive": "Gone", "active": "Live"}}}}
    )
    with pytest.raises(InputError, match=r'"Gone".*"Live"'):
        run(registry, "payers", path, settings=both)


def test_a_configured_active_header_is_read_as_an_active_column(
    registry: Engine, tmp_path: Path
) -> None:
    path = kind_file(tmp_path, "referring", "Currently In Use", ["Y", "N"])
    settings = Settings.model_validate(
        {"columns": {"cmd": {"referring": {"active": "Currently In Use"}}}}
    )
    run(registry, "referring", path, settings=settings)
    assert flags(registry, "referring") == dict(
        zip(keys("referring", 2), [False, True], strict=True)
    )


def test_an_unreadable_active_cell_is_an_invalid_row_naming_the_column(
    registry: Engine, tmp_path: Path
) -> None:
    path = kind_file(tmp_path, "payers", "Is Active", ["Yes", "maybe", "No"])
    with pytest.raises(InvalidRowsError) as raised:
        run(registry, "payers", path)
    reason = "active flag 'maybe' (column \"Is Active\") is neither yes nor no"
    assert raised.value.problems == [(3, reason)]
    assert flags(registry, "payers") == {}
    result = run(registry, "payers", path, skip_invalid=True)
    assert [(row.row, row.reason) for row in result.invalid] == [(3, reason)]
    first, _, third = keys("payers", 3)
    assert flags(registry, "payers") == {first: False, third: True}


def test_an_unreadable_inactive_cell_names_its_column_too(registry: Engine, tmp_path: Path) -> None:
    path = kind_file(tmp_path, "payers", "Status", ["Active", "pending"])
    with pytest.raises(InvalidRowsError) as raised:
        run(registry, "payers", path)
    reason = "inactive flag 'pending' (column \"Status\") is neither yes nor no"
    assert raised.value.problems == [(3, reason)]


def test_both_columns_exit_2_at_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SYNCGUARD_DATABASE_URL", "SYNCGUARD_PRACTICE", "SYNCGUARD_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    db = f"--database-url=sqlite:///{tmp_path / 'registry.db'}"
    assert runner.invoke(app, [db, "init"]).exit_code == 0
    path = write(
        tmp_path / "payers.csv",
        "Sequence#,Payer Name,Inactive,Active",
        [[sequence(0), "AETNA", "N", "Y"]],
    )
    refused = runner.invoke(app, [db, "registry", "import", "payers", str(path), "--dry-run"])
    assert refused.exit_code == 2
    assert '"Inactive"' in refused.stderr and '"Active"' in refused.stderr
    only = write(
        tmp_path / "active.csv", "Sequence#,Payer Name,Active", [[sequence(0), "AETNA", "No"]]
    )
    dry = runner.invoke(
        app, [db, "registry", "import", "payers", str(only), "--dry-run", "--format", "json"]
    )
    assert dry.exit_code == 0, dry.stderr
    assert json.loads(dry.stdout)["added"]["count"] == 1


def test_resolve_columns_finds_the_active_field() -> None:
    index = resolve_columns(
        ["Sequence#", "Payer Name", "Active?"], source="cmd", kind="payers", file_name="p.csv"
    )
    assert (index.flag_field(), index.fields.get("inactive")) == ("active", None)
    plain = resolve_columns(["Sequence#", "Payer Name"], source="cmd", kind="payers", file_name="p")
    assert plain.flag_field() is None


@pytest.mark.parametrize(("cell", "inactive"), [*ACTIVE_CELLS, ("maybe", None), ("2", None)])
def test_parse_flag_reads_an_active_column_the_other_way_round(
    cell: str, inactive: bool | None
) -> None:
    assert parse_flag(cell, asks_active=True) is inactive
    words = {"", "active", "enabled", "inactive", "deactivated", "disabled"}
    if inactive is not None and cell.strip().casefold() not in words:
        assert parse_flag(cell) is (not inactive)  # a mark means the opposite in "Inactive"
    elif inactive is not None:
        assert parse_flag(cell) is inactive  # words and empty cells mean the same in both


ACTIVE_CHECK_CASES = {
    "REF102": {
        "cmd": {
            "referring": "NPI,Last Name,First Name,Active\n1234567893,Munoz,Ines,No\n",
        },
        "webpt": {"referring": "Last Name,First Name,NPI\nMuñoz,Inés,1234567893\n"},
        "expected": ("REF102", 2, "1234567893"),
    },
    "PAY102": {
        "cmd": {
            "payers": (
                "Sequence#,Payer Name,Active\n10023344,AETNA PPO,No\n10023368,AETNA PPO,Yes\n"
            ),
        },
        "webpt": {"payers": "Payer Name,Alternate ID\nAetna PPO,10023344\n"},
        "expected": ("PAY102", 2, "10023344"),
    },
}


@pytest.mark.parametrize("code", list(ACTIVE_CHECK_CASES))
def test_a_record_inactive_by_its_active_column_is_reported_as_inactive(
    code: str, tmp_path: Path, database_url: str
) -> None:
    case = ACTIVE_CHECK_CASES[code]
    findings = run_case(case, tmp_path, database_url).findings
    assert [(f.code, f.row, f.key) for f in findings] == [case["expected"]]
    if code == "PAY102":
        assert findings[0].suggestion == "10023368"
