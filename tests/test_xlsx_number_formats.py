"""A number column formatted "00000000" shows the leading zeros it does not store: read the
cell as the sheet shows it, so the ID is not reported as damaged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from syncguard.readers import Row, read_table


def workbook(path: Path, rows: list[list[Any]], formats: dict[str, str]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for address, number_format in formats.items():
        sheet[address].number_format = number_format
    book.save(path)
    return path


def rows_of(path: Path) -> list[Row]:
    return list(read_table(path).rows)


def test_zero_formats_restore_the_zeros_the_sheet_shows(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "payers.xlsx",
        [["Sequence#", "Payer Name"], [412214, "MEDICARE"], [10023344, "AETNA"], [7, "SHORT"]],
        {"A2": "00000000", "A3": "00000000", "A4": "0000"},
    )
    rows = rows_of(path)
    assert [row.values[0] for row in rows] == ["00412214", "10023344", "0007"]
    assert all(row.numeric == frozenset() for row in rows)


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (412214, "General", "412214"),  # no format: the number as stored, flagged as one
        (412214, "0", "412214"),  # a one-zero format pads nothing
        (412214.5, "00000000", "412214.5"),  # not a whole number: Excel would round it
        (412214, "#,##0", "412214"),
        (-12, "0000", "-12"),
    ],
)
def test_other_number_cells_stay_numbers(
    tmp_path: Path, value: float, number_format: str, text: str
) -> None:
    path = workbook(tmp_path / "p.xlsx", [["Seq"], [value]], {"A2": number_format})
    (row,) = rows_of(path)
    assert row.values[0] == text
    assert row.numeric == frozenset({0})


def test_a_zero_formatted_sequence_column_imports_clean(
    sqlite_url: str, tmp_path: Path, run_syncguard: Any
) -> None:
    path = workbook(
        tmp_path / "payers.xlsx",
        [["Sequence#", "Payer Name", "CPID", "Inactive"], [412207, "MEDICARE", "04412", "No"]],
        {"A2": "00000000"},
    )
    assert run_syncguard("--database-url", sqlite_url, "init").exit_code == 0
    imported = run_syncguard(
        "--database-url", sqlite_url, "registry", "import", "payers", str(path)
    )
    assert imported.exit_code == 0, imported.stderr
    shown = run_syncguard("--database-url", sqlite_url, "registry", "show", "payers", "00412207")
    assert shown.exit_code == 0 and "MEDICARE" in shown.stdout
