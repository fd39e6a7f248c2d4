"""The column-by-column import of large regular CSV files does exactly what the row-by-row one does.

Messy files (every kind of cell the row parser repairs or refuses, duplicates, flags, names)
are imported both ways into two registries; results, records and histories must be the same.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from npi_support import npi
from sqlalchemy import text
from sqlalchemy.engine import Engine

from syncguard.config import Settings
from syncguard.errors import InvalidRowsError
from syncguard.inputs.kinds import IdKind
from syncguard.normalize import IdRules
from syncguard.npi import npi_check_digit
from syncguard.readers import columnar, read_table
from syncguard.readers.columnar import read_csv_columns
from syncguard.registry import bulk, importer
from syncguard.registry.queries import record_history
from syncguard.registry.schema import open_registry

SETTINGS = Settings()
HEADER = "NPI,Last Name,First Name,Sequence#,Inactive"


MESSY_NPIS: list[Callable[[int], str]] = [
    lambda i: f" {npi(i)}",
    lambda i: f"{npi(i)[:4]}-{npi(i)[4:]}",
    lambda i: npi(i)[:9] + str((int(npi(i)[9]) + 1) % 10),  # fails the check digit
    lambda i: "",
    lambda i: "1.23E+09",
    lambda i: f"'{npi(i)}",
    lambda i: npi(i)[:8],
    lambda i: "\uff11" + npi(i)[1:],  # a full-width digit one
    lambda i: npi(max(i - 3, 0)),  # a duplicate
]
MESSY_NAMES = [
    "O'Brien",
    " Smith",
    "Mary  Ann",
    "'Lee",
    "Zoë",
    "van der Berg",
    "",
    "Ann\u00a0Marie",
]
MESSY_SEQUENCES = ["", "123", " 30000001", "3000000x", "30000000.0", "'30000002", "1234567890"]
FLAGS = ["N", "Y", "", "yes", "No", "x", "0", "maybe", " N"]


def messy_file(
    path: Path, rows: int, seed: int, start: int = 0, quoting: int | None = None
) -> Path:
    """Unquoted, or written by Python's csv writer with ``quoting`` (then names hold commas
    and quotes too)."""
    rng = random.Random(seed)
    names = MESSY_NAMES if quoting is None else [*MESSY_NAMES, "Smith, Jr", 'Ann "Nan"']
    lines = [HEADER.split(",")]
    for index in range(start, start + rows):
        key = npi(index) if rng.random() > 0.15 else rng.choice(MESSY_NPIS)(index)
        last = "Smith" if rng.random() > 0.2 else rng.choice(names)
        first = f"Ann {chr(65 + index % 26)}" if rng.random() > 0.2 else rng.choice(names)
        sequence = f"{30000000 + index:08d}" if rng.random() > 0.2 else rng.choice(MESSY_SEQUENCES)
        flag = "N" if rng.random() > 0.2 else rng.choice(FLAGS)
        lines.append([key, last, first, sequence, flag])
    if quoting is not None:
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream, quoting=quoting).writerows(lines)
        return path
    path.write_text("".join(",".join(line) + "\r\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def registries(tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    engines = (
        open_registry(f"sqlite:///{tmp_path / 'rows.db'}", create=True),
        open_registry(f"sqlite:///{tmp_path / 'columns.db'}", create=True),
    )
    yield engines
    for engine in engines:
        engine.dispose()


def import_both(
    engines: tuple[Engine, Engine], path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> list[Any]:
    outcomes: list[Any] = []
    for engine, threshold in zip(engines, (1 << 60, 0), strict=True):
        monkeypatch.setattr(columnar, "LARGE_FILE_BYTES", threshold)
        try:
            result = importer.import_file(
                engine, "referring", path, practice="default", settings=SETTINGS, **options
            )
        except InvalidRowsError as error:
            outcomes.append(("refused", str(error), error.problems))
            continue
        document = result.to_dict()
        outcomes.append(document)
    return outcomes


def records(engine: Engine) -> list[tuple[Any, ...]]:
    query = (
        "SELECT practice, npi, last_name, first_name, sequence, inactive "
        "FROM referring_provider ORDER BY npi"
    )
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def histories(engine: Engine) -> list[list[tuple[Any, ...]]]:
    found = []
    for record in records(engine):
        history = record_history(
            engine, "referring", record[1], practice="default", settings=SETTINGS
        )
        found.append(
            [
                (h["action"], h["field"], h["old_value"], h["new_value"], h["source_name"])
                for h in history
            ]
        )
    return found


QUOTINGS = {"unquoted": None, "all-quoted": csv.QUOTE_ALL, "some-quoted": csv.QUOTE_MINIMAL}


@pytest.mark.parametrize("quoting", QUOTINGS.values(), ids=QUOTINGS.keys())
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_messy_files_import_the_same_both_ways(
    registries: tuple[Engine, Engine],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    quoting: int | None,
) -> None:
    first = messy_file(tmp_path / "first.csv", 400, seed, quoting=quoting)
    assert read_csv_columns(first, read_table(first).headers) is not None  # really column-wise
    by_rows, by_columns = import_both(registries, first, monkeypatch)
    assert by_rows[0] == "refused" and by_columns == by_rows
    by_rows, by_columns = import_both(registries, first, monkeypatch, skip_invalid=True)
    assert by_rows["added"]["count"] > 250 and by_rows["repaired"] and by_rows["invalid"]
    assert by_columns == by_rows
    second = messy_file(tmp_path / "second.csv", 400, seed + 100, start=100, quoting=quoting)
    for options in ({"dry_run": True, "prune": True}, {"prune": True}, {}):
        outcomes = import_both(registries, second, monkeypatch, skip_invalid=True, **options)
        assert outcomes[1] == outcomes[0]
    assert outcomes[0]["unchanged"] > 100
    assert records(registries[1]) == records(registries[0])
    assert histories(registries[1]) == histories(registries[0])


def test_a_file_with_regular_quotes_is_read_by_columns(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(f'{HEADER}\n{npi(1)},"Smith, Jr",Ann,30000001,N\n', encoding="utf-8")
    frame = read_csv_columns(path, read_table(path).headers)
    assert frame is not None
    assert frame.rows() == [(npi(1), "Smith, Jr", "Ann", "30000001", "N", 2)]


def test_a_file_with_a_stray_quote_is_read_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(f'{HEADER}\n{npi(1)},Smith "Jr",Ann,30000001,N\n', encoding="utf-8")
    assert read_csv_columns(path, read_table(path).headers) is None


@pytest.mark.parametrize(
    "body",
    [
        f"{npi(1)},Smith,Ann,30000001\n",  # a short row
        f"{npi(1)},Smith,Ann,30000001,N,\n{npi(2)},Smith,Ann,30000002\n",  # one long, one short
        f"{npi(1)},Smith,Ann,30000001,N\n\n{npi(2)},Smith,Ann,30000002,N\n",  # a blank line
        f"{npi(1)},Smith,Ann,30000001,N\r{npi(2)},Smith,Ann,30000002,N\r",  # old Mac line ends
        f"{npi(1)},Sm\x00ith,Ann,30000001,N\n",
        ",,,,\n",  # a row of empty cells
    ],
)
def test_unusual_files_are_read_row_by_row(tmp_path: Path, body: str) -> None:
    path = tmp_path / "unusual.csv"
    path.write_bytes(f"{HEADER}\n{body}".encode())
    assert read_csv_columns(path, tuple(HEADER.split(","))) is None


def test_a_cp1252_file_is_read_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes(f"{HEADER}\n{npi(1)},Zoë,Ann,30000001,N\n".encode("cp1252"))
    assert read_csv_columns(path, tuple(HEADER.split(","))) is None


def test_a_bom_and_non_ascii_names_are_read_column_wise_as_written(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(f"\ufeff{HEADER}\n{npi(1)}, Zoë ,Ann,30000001,N\n".encode())
    frame = read_csv_columns(path, read_table(path).headers)
    assert frame is not None
    assert frame.rows() == [(npi(1), " Zoë ", "Ann", "30000001", "N", 2)]


def test_the_column_wise_npi_check_agrees_with_the_row_parser() -> None:
    rng = random.Random(5)
    cells = [str(rng.randrange(10**9, 10**10)) for _ in range(5000)]
    cells += [npi(index) for index in range(0, 10**8, 10**6)]
    cells += ["", "abc", "12345678901", "+123456789", "-123456789", "0000000000", "9999999999"]
    frame = pl.DataFrame({"cell": cells})
    found = frame.select(bulk._identifier(pl.col("cell"), IdKind.NPI, IdRules(), True).clean)
    expected = [
        cell.isdigit() and len(cell) == 10 and npi_check_digit(cell[:9]) == int(cell[9])
        for cell in cells
    ]
    assert found.to_series().to_list() == expected
    assert 0 < sum(expected) < len(expected)


@pytest.mark.parametrize("odd", ["\n", "\r", "\x1d"])
def test_stored_values_with_line_breaks_are_compared_as_stored(
    registries: tuple[Engine, Engine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd: str
) -> None:
    """Records written by hand or by an older syncguard may hold what an import never writes;
    SQLite's stored states are then read row by row rather than as one text."""
    for engine in registries:
        with engine.begin() as connection:
            for index, last in enumerate([f"Smith{odd}Jones", "Smith Jones", "Smith"]):
                connection.execute(
                    text(
                        "INSERT INTO referring_provider (practice, npi, last_name, first_name, "
                        "sequence, inactive) VALUES ('default', :npi, :last, 'Ann', NULL, false)"
                    ),
                    {"npi": npi(index), "last": last},
                )
    path = tmp_path / "file.csv"
    rows = [f"{npi(index)},Smith Jones,Ann,,N" for index in range(5)]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    by_rows, by_columns = import_both(registries, path, monkeypatch)
    assert by_columns == by_rows
    assert (by_rows["added"]["count"], by_rows["changed"]["count"]) == (2, 2)
    assert records(registries[1]) == records(registries[0])
