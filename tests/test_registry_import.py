"""Importing CMD exports into the registry (library level, SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import gc
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from npi_support import npi
from openpyxl import Workbook
from sqlalchemy import text
from sqlalchemy.engine import Engine

from syncguard.config import Settings
from syncguard.errors import InputError, InvalidRowsError
from syncguard.registry.importer import import_file
from syncguard.registry.queries import record_history
from syncguard.registry.schema import open_registry

# Every test twice: row by row and column by column (see conftest.reader).
pytestmark = pytest.mark.usefixtures("reader")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cmd"
SETTINGS = Settings()
PAYER_HEADER = ["Sequence#", "Payer Name", "CPID", "Inactive"]
REFERRING_HEADER = ["NPI", "Last Name", "First Name", "Sequence#"]
REGISTRY_TABLES = (
    "payer",
    "facility",
    "rendering_provider",
    "referring_provider",
    "procedure_code",
    "practice_setting",
    "change_log",
    "import_batch",
)


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every registry table, for before / after comparisons."""
    with engine.connect() as connection:
        return {
            table: sorted(
                tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}")).all()
            )
            for table in REGISTRY_TABLES
        }


def change_log(engine: Engine) -> list[tuple[Any, ...]]:
    """The logged field and flag changes, oldest first (added records are logged by batch)."""
    query = "SELECT kind, key, action, field, old_value, new_value FROM change_log ORDER BY id"
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def run(engine: Engine, kind: str, path: Path, **options: Any) -> Any:
    options.setdefault("practice", "default")
    return import_file(engine, kind, path, settings=SETTINGS, **options)


@pytest.fixture
def registry(database_url: str) -> Iterator[Engine]:
    engine = open_registry(database_url, create=True)
    yield engine
    engine.dispose()


@pytest.fixture
def payers(tmp_path: Path) -> Path:
    rows = [
        ["10023344", "AETNA PPO", "60054", "N"],
        ["00412207", "MEDICARE PART B", "04412", "N"],
        ["10023351", "BLUE CROSS", "", "N"],
    ]
    return write_csv(tmp_path / "payers.csv", PAYER_HEADER, rows)


def test_csv_import_adds_records_and_logs_them_as_one_batch(registry: Engine, payers: Path) -> None:
    result = run(registry, "payers", payers)
    assert (result.rows_read, result.added.count, result.unchanged) == (3, 3, 0)
    assert sorted(result.added.sample) == ["00412207", "10023344", "10023351"]
    assert change_log(registry) == []  # no change-log row per added record
    with registry.connect() as connection:
        batches = connection.execute(
            text(
                "SELECT kind, source_name, source_sha256, first_record_id, last_record_id "
                "FROM import_batch"
            )
        ).all()
        ids = connection.execute(text("SELECT min(id), max(id) FROM payer")).one()
        cpid = connection.execute(text("SELECT cpid FROM payer WHERE sequence='10023351'"))
        assert cpid.scalar() is None
    sha256 = hashlib.sha256(payers.read_bytes()).hexdigest()
    assert [tuple(row) for row in batches] == [("payers", "payers.csv", sha256, *ids)]
    for key in ("10023344", "00412207", "10023351"):
        history = record_history(registry, "payers", key, practice="default", settings=SETTINGS)
        assert [(h["action"], h["source_name"], h["source_sha256"]) for h in history] == [
            ("insert", "payers.csv", sha256)
        ]


def test_same_file_twice_changes_nothing(registry: Engine, payers: Path) -> None:
    run(registry, "payers", payers)
    before = dump(registry)
    again = run(registry, "payer", payers, prune=True)
    assert (again.added.count, again.changed.count, again.deactivated.count) == (0, 0, 0)
    assert again.unchanged == 3 and not again.written
    assert dump(registry) == before


def test_dry_run_writes_nothing_and_says_what_would_happen(
    registry: Engine, payers: Path, tmp_path: Path
) -> None:
    run(registry, "payers", payers)
    before = dump(registry)
    edited = write_csv(
        tmp_path / "edited.csv",
        PAYER_HEADER,
        [["10023344", "AETNA PPO PLUS", "60054", "N"], ["10099999", "NEW PAYER", "", "N"]],
    )
    result = run(registry, "payers", edited, dry_run=True, prune=True)
    assert result.dry_run
    assert (result.added.sample, result.changed.sample) == (["10099999"], ["10023344"])
    assert sorted(result.deactivated.sample) == ["00412207", "10023351"]
    assert dump(registry) == before


def test_changed_fields_are_logged_with_old_and_new_values(
    registry: Engine, payers: Path, tmp_path: Path
) -> None:
    run(registry, "payers", payers)
    edited = write_csv(
        tmp_path / "payers-2.csv",
        PAYER_HEADER,
        [
            ["10023344", "AETNA PPO", "60055", "N"],
            ["00412207", "MEDICARE B", "04412", "Y"],
            ["10023351", "BLUE CROSS", "", "N"],
        ],
    )
    result = run(registry, "payers", edited)
    assert (result.changed.count, result.deactivated.sample, result.unchanged) == (
        2,
        ["00412207"],
        1,
    )
    assert change_log(registry) == [
        ("payers", "10023344", "update", "cpid", "60054", "60055"),
        ("payers", "00412207", "update", "name", "MEDICARE PART B", "MEDICARE B"),
        ("payers", "00412207", "deactivate", None, None, None),
    ]


def test_prune_deactivates_missing_records_and_they_come_back(
    registry: Engine, tmp_path: Path
) -> None:
    full = write_csv(
        tmp_path / "r.csv", REFERRING_HEADER, [[npi(i), f"L{i}", "F", ""] for i in range(4)]
    )
    short = write_csv(
        tmp_path / "r2.csv", REFERRING_HEADER, [[npi(i), f"L{i}", "F", ""] for i in range(2)]
    )
    run(registry, "referring", full)
    assert run(registry, "referring", short).deactivated.count == 0  # no --prune: no change
    pruned = run(registry, "referring", short, prune=True)
    assert sorted(pruned.deactivated.sample) == [npi(2), npi(3)]
    back = run(registry, "referring", full)
    assert sorted(back.reactivated.sample) == [npi(2), npi(3)]
    actions = [(key, action) for _, key, action, *_ in change_log(registry)]
    assert actions == [
        (npi(2), "deactivate"),
        (npi(3), "deactivate"),
        (npi(2), "reactivate"),
        (npi(3), "reactivate"),
    ]
    with registry.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM referring_provider")).scalar() == 4


def test_prune_refuses_a_file_without_data_rows(
    registry: Engine, payers: Path, tmp_path: Path
) -> None:
    run(registry, "payers", payers)
    before = dump(registry)
    header_only = write_csv(tmp_path / "empty.csv", PAYER_HEADER, [])
    assert run(registry, "payers", header_only).rows_read == 0
    with pytest.raises(InputError, match="would deactivate every payer"):
        run(registry, "payers", header_only, prune=True)
    assert dump(registry) == before


def test_invalid_rows_refuse_the_whole_import_listing_row_numbers(
    registry: Engine, payers: Path, tmp_path: Path
) -> None:
    run(registry, "payers", payers)
    before = dump(registry)
    bad = write_csv(
        tmp_path / "bad.csv",
        PAYER_HEADER,
        [
            ["10023344", "AETNA PPO", "60054", "N"],
            ["1.00234E+07", "E NOTATION", "", "N"],
            ["1234", "TOO SHORT", "", "N"],
            ["", "NO KEY", "", "N"],
            ["10023344", "DUPLICATE", "", "N"],
            ["10077777", "ODD FLAG", "", "perhaps"],
            ["10088888", "GOOD ONE", "", "N"],
        ],
    )
    with pytest.raises(InvalidRowsError) as caught:
        run(registry, "payers", bad)
    assert [row for row, _ in caught.value.problems] == [3, 4, 5, 6, 7]
    reasons = " | ".join(reason for _, reason in caught.value.problems)
    for expected in (
        "E-notation",
        "expected 8 digits",
        "empty sequence",
        "first on row 2",
        "perhaps",
    ):
        assert expected in reasons
    assert "row 3:" in caught.value.one_line() and "--skip-invalid" in caught.value.one_line()
    assert dump(registry) == before
    assert gc.isenabled()  # paused during the import, running again after a refused one


def test_bad_npis_are_invalid_and_skip_invalid_imports_the_rest(
    registry: Engine, tmp_path: Path
) -> None:
    rows = [
        [npi(1), "GOOD", "ONE", ""],
        ["1234567890", "BAD", "CHECK", ""],
        ["12345", "SHORT", "NPI", ""],
        [npi(2), "BAD", "SEQUENCE", "12"],
        [f" {npi(3)[:3]}-{npi(3)[3:]} ", "REPAIRED", "NPI", "'10000003"],
    ]
    path = write_csv(tmp_path / "referring.csv", REFERRING_HEADER, rows)
    result = run(registry, "referring", path, skip_invalid=True)
    assert sorted(result.added.sample) == [npi(1), npi(3)]
    assert [(info.row, info.reason) for info in result.invalid] == [
        (3, "NPI 1234567890 fails the check digit (mistyped?)"),
        (4, "malformed NPI '12345': an NPI is 10 digits"),
        (5, "malformed sequence number '12': expected 8 digits"),
    ]
    repaired = {(repair.row, repair.field) for repair in result.repaired}
    assert repaired == {(6, "npi"), (6, "sequence")}


def test_skip_invalid_never_prunes_a_record_whose_row_was_invalid(
    registry: Engine, tmp_path: Path
) -> None:
    header = ["Sequence#", "Facility Name", "NPI", "Place of Service"]
    first = write_csv(tmp_path / "f.csv", header, [["10031207", "NORTH", npi(7), "11"]])
    run(registry, "facilities", first)
    broken = write_csv(tmp_path / "f2.csv", header, [["10031207", "NORTH", "1234567890", "11"]])
    result = run(registry, "facility", broken, prune=True, skip_invalid=True)
    assert (result.deactivated.count, len(result.invalid)) == (0, 1)


def test_xlsx_import_reads_text_cells_and_refuses_numbers_that_lost_zeros(
    registry: Engine, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(PAYER_HEADER)
    sheet.append(["10023344", "AETNA PPO", "60054", "No"])
    sheet.append([10023351, "NUMBER CELL, ALL DIGITS KEPT", None, "No"])
    sheet.append(["00412207", "MEDICARE", "04412", "Yes"])
    path = tmp_path / "payers.xlsx"
    book.save(path)
    result = run(registry, "payers", path)
    assert (result.added.count, result.invalid) == (3, [])
    sheet.append([412214, "LOST ITS ZEROS", None, "No"])
    book.save(path)
    with pytest.raises(InvalidRowsError, match="row 5: damaged sequence number '412214'"):
        run(registry, "payers", path)


def test_one_name_column_is_split_into_last_and_first(registry: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", ["NPI", "Name"], [[npi(5), "Smith, Jane A"]])
    run(registry, "referring", path)
    with registry.connect() as connection:
        row = connection.execute(text("SELECT last_name, first_name FROM referring_provider"))
        assert tuple(row.one()) == ("Smith", "Jane A")


def test_practices_are_kept_apart(registry: Engine, payers: Path, tmp_path: Path) -> None:
    run(registry, "payers", payers, practice="northside")
    run(registry, "payers", payers, practice="southside")
    other = write_csv(tmp_path / "one.csv", PAYER_HEADER, [["10023344", "AETNA PPO", "60054", "N"]])
    assert run(registry, "payers", other, practice="northside", prune=True).deactivated.count == 2
    assert run(registry, "payers", payers, practice="southside").unchanged == 3


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in FIXTURES.glob("*") if p.suffix in {".csv", ".xlsx"}),
)
def test_every_clean_fixture_imports_without_problems(sqlite_url: str, name: str) -> None:
    engine = open_registry(sqlite_url, create=True)
    kind = name.split(".")[0].split("_")[0]
    result = run(engine, kind, FIXTURES / name)
    engine.dispose()
    assert result.rows_read == result.added.count > 0
    assert (result.invalid, result.repaired) == ([], [])
