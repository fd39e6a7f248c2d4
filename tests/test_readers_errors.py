"""Every bad input ends in one InputError that names the file and says what to do."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from syncguard.errors import InputError
from syncguard.readers import read_table

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "cmd" / "hostile"
DAMAGED = HOSTILE.parent / "damaged"


def read_error(path: Path, **options: str) -> str:
    """Read the whole file, rows included; return the error line a user would see."""
    with pytest.raises(InputError) as caught:
        table = read_table(path, **options)
        for _ in table.rows:
            pass
    line = caught.value.one_line()
    assert path.name in line
    assert "\n" not in line
    return line


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.csv", "empty"),
        ("binary_garbage.csv", "binary data"),
        ("nul_bytes.csv", "NUL bytes on line 2"),
        ("duplicate_headers.csv", 'duplicate column header "Payer Name" (columns 2 and 4)'),
        ("blank_header_column.csv", "row 3: a value in column 2"),
        ("extra_cells.csv", "row 3: a value in column 5"),
        ("unterminated_quote.csv", "row 3 (line 4): malformed CSV: a quoted value is never closed"),
        ("payers_legacy.xls", "Excel 97-2003"),
        ("payers_not_really.xlsx", "is not an XLSX workbook"),
    ],
)
def test_hostile_fixtures(name: str, expected: str) -> None:
    assert expected in read_error(HOSTILE / name)


def test_mixed_encodings_are_refused_with_the_place() -> None:
    line = read_error(DAMAGED / "mixed_encoding.csv")
    assert "mixes UTF-8 with another encoding (byte 92, line 3" in line
    assert "--encoding" in line


def test_mixed_encodings_read_when_the_encoding_is_given() -> None:
    rows = list(read_table(DAMAGED / "mixed_encoding.csv", encoding="cp1252").rows)
    assert rows[1].values[1] == "Müller"


def test_truncated_xlsx() -> None:
    assert "not a readable XLSX workbook" in read_error(DAMAGED / "payers_truncated.xlsx")


def test_xlsx_with_a_damaged_sheet_part(tmp_path: Path) -> None:
    built = tmp_path / "built.xlsx"
    workbook = openpyxl.Workbook()
    workbook.save(built)
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>9</v>"
            target.writestr(item, data)
    assert "broken.xlsx" in read_error(path)


def test_header_only_is_a_table_without_rows() -> None:
    table = read_table(HOSTILE / "header_only.csv")
    assert table.headers == ("Sequence#", "Payer Name", "CPID", "Inactive")
    assert list(table.rows) == []


@pytest.mark.parametrize("content", [b"\n\n\r\n", b"\xef\xbb\xbf", b",,,\n,,\n"])
def test_files_without_a_header_row(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(content)
    assert "empty" in read_error(path)


def test_undecodable_bytes_name_offset_and_line(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"Name\nabc\n\x81\n")  # 0x81 is undefined in Windows-1252
    line = read_error(path)
    assert "byte 9 (line 3) cannot be read as cp1252" in line
    assert "--encoding" in line


def test_explicit_encoding_is_checked_too(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("Name\nPeña\n".encode("cp1252"))
    assert "cannot be read as utf-8" in read_error(path, encoding="utf-8")


def test_unknown_encoding_name(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name\nx\n", encoding="utf-8")
    assert "unknown encoding 'klingon'" in read_error(path, encoding="klingon")


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Payers"
    workbook.create_sheet("Facilities")
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    line = read_error(path, sheet="Providers")
    assert 'no sheet named "Providers" (sheets: "Payers", "Facilities")' in line


def test_empty_sheet(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    openpyxl.Workbook().save(path)
    assert 'sheet "Sheet" is empty' in read_error(path)


def test_sheet_option_on_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name\nx\n", encoding="utf-8")
    assert "--sheet" in read_error(path, sheet="Payers")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "cannot be read" in read_error(tmp_path / "absent.csv")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert "cannot be read" in read_error(folder)


def test_error_late_in_a_long_file_surfaces_while_iterating(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    body = "".join(f"{n:08d},Name {n}\n" for n in range(20_000))
    path.write_text(f'Sequence#,Name\n{body}00000001,"never closed\n', encoding="utf-8")
    table = read_table(path)  # the header is fine: the problem is 20,000 rows down
    with pytest.raises(InputError, match=r"long\.csv row 20002 \(line 20002\): malformed CSV"):
        list(table.rows)


def test_junk_after_a_closing_quote(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('Name,NPI\n"Smith" Jane,1234567893\n', encoding="utf-8")
    assert "row 2 (line 2): malformed CSV" in read_error(path)
