"""read_table keeps the text that was written: encodings, delimiters, row numbers, XLSX cells."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from syncguard.readers import Row, read_table

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cmd"
HEADER = ["NPI", "Last Name", "First Name"]
ROWS = [["1234567893", "Peña", "José"], ["1245319599", "O\u2019Connor", "Zoë"]]


def write_text(path: Path, rows: list[list[str]], *, delimiter: str, encoding: str) -> Path:
    path.write_bytes("".join(delimiter.join(row) + "\r\n" for row in rows).encode(encoding))
    return path


def read_all(path: Path, **options: str) -> tuple[tuple[str, ...], list[Row]]:
    table = read_table(path, **options)
    return table.headers, list(table.rows)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ","), (".csv", ";"), (".txt", "\t")])
def test_every_encoding_and_delimiter_reads_the_same(
    tmp_path: Path, encoding: str, suffix: str, delimiter: str
) -> None:
    path = write_text(
        tmp_path / f"referring{suffix}", [HEADER, *ROWS], delimiter=delimiter, encoding=encoding
    )
    headers, rows = read_all(path)
    assert headers == tuple(HEADER)
    assert [row.values for row in rows] == [tuple(row) for row in ROWS]
    assert [row.number for row in rows] == [2, 3]
    assert all(row.numeric == frozenset() for row in rows)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(tmp_path: Path, codec: str) -> None:
    path = write_text(tmp_path / "referring.txt", [HEADER, *ROWS], delimiter="\t", encoding=codec)
    headers, rows = read_all(path)
    assert headers == tuple(HEADER)
    assert rows[1].values == tuple(ROWS[1])


def test_encoding_option_overrides_detection(tmp_path: Path) -> None:
    # These UTF-8 bytes are also valid Windows-1252: detection says UTF-8, the user knows better.
    path = write_text(tmp_path / "p.csv", [["Name"], ["PeÃ±a"]], delimiter=",", encoding="cp1252")
    assert read_all(path)[1][0].values == ("Peña",)
    assert read_all(path, encoding="cp1252")[1][0].values == ("PeÃ±a",)


def test_explicit_utf8_skips_a_bom(tmp_path: Path) -> None:
    path = write_text(tmp_path / "p.csv", [HEADER, ROWS[0]], delimiter=",", encoding="utf-8-sig")
    assert read_all(path, encoding="UTF8")[0] == tuple(HEADER)


@pytest.mark.parametrize("suffix", [".dat", ".tsv"])
def test_snapshot_dat_and_tsv_default_to_tab(tmp_path: Path, suffix: str) -> None:
    rows = [["SEQNO", "NAME"], ["00012345", "Smith, Jane"]]
    path = write_text(tmp_path / f"snapshot{suffix}", rows, delimiter="\t", encoding="utf-8")
    assert read_all(path)[1][0].values == ("00012345", "Smith, Jane")


def test_delimiter_inside_quoted_header_does_not_count(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('"Name; Last, First";NPI\n"Smith, Jane";1234567893\n', encoding="utf-8")
    headers, rows = read_all(path)
    assert headers == ("Name; Last, First", "NPI")
    assert rows[0].values == ("Smith, Jane", "1234567893")


def test_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    text = write_text(
        tmp_path / "export.download", [HEADER, ROWS[0]], delimiter=",", encoding="utf-8"
    )
    assert read_all(text)[0] == tuple(HEADER)
    workbook = build_xlsx(tmp_path / "book.xlsx", [HEADER, ROWS[0]])
    renamed = workbook.rename(tmp_path / "export.bin")
    assert read_all(renamed)[1][0].values == tuple(ROWS[0])


def test_cells_are_kept_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "Sequence#,Payer Name\n"
        "  '00123456 ,\"=cmd|' /C calc'!A0\"\n"
        "1.23457E+07,<script>x</script>\n",
        encoding="utf-8",
    )
    rows = read_all(path)[1]
    assert rows[0].values == ("  '00123456 ", "=cmd|' /C calc'!A0")
    assert rows[1].values == ("1.23457E+07", "<script>x</script>")


def test_row_numbers_follow_the_spreadsheet() -> None:
    # A quoted value with line breaks is one row; blank rows are skipped but still counted.
    headers, rows = read_all(FIXTURES / "hostile" / "embedded_newlines.csv")
    assert headers == ("Sequence#", "Payer Name", "CPID", "Inactive")
    assert [row.number for row in rows] == [2, 4, 6]
    assert rows[0].values[1] == "AETNA\r\nPPO"
    assert rows[1].values[1] == "BLUE CROSS\nBLUE SHIELD\nOF TEXAS"


def test_leading_blank_lines_and_short_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("\n,,\nA,B,C,,\n1\n\n2,,,,\n", encoding="utf-8")
    headers, rows = read_all(path)
    assert headers == ("A", "B", "C")
    assert [(row.number, row.values) for row in rows] == [(4, ("1", "", "")), (6, ("2", "", ""))]


def test_one_megabyte_cell(tmp_path: Path) -> None:
    big = "x" * (1 << 20)
    path = tmp_path / "p.csv"
    path.write_text(f'Name,Note\nSmith,"{big}"\nLee,{big}\n', encoding="utf-8")
    rows = read_all(path)[1]
    assert [len(row.values[1]) for row in rows] == [1 << 20, 1 << 20]


def test_source_file_name_and_sha256(tmp_path: Path) -> None:
    path = write_text(tmp_path / "payers.csv", [HEADER, *ROWS], delimiter=",", encoding="utf-8")
    source = read_table(path).source
    assert source.name == "payers.csv"
    assert source.path == path
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_committed_damaged_fixtures_read_as_written() -> None:
    rows = read_all(FIXTURES / "damaged" / "payers_leading_apostrophe.csv")[1]
    assert [row.values[0] for row in rows][:3] == ["'10023344", "' 10023355", "10023366\u00a0"]
    cp1252 = read_all(FIXTURES / "damaged" / "referring_cp1252.csv")[1]
    utf16 = read_all(FIXTURES / "damaged" / "referring_utf16.txt")[1]
    assert cp1252[0].values[1:3] == utf16[0].values[1:3] == ("Peña", "José")
    semicolon = read_all(FIXTURES / "damaged" / "referring_semicolon.csv")
    assert semicolon[0][0] == "NPI"  # the BOM is not part of the first header
    assert semicolon[1][0].values[1] == "Smith, Jr"


# --- XLSX ---------------------------------------------------------------------------------


def build_xlsx(path: Path, rows: Sequence[Sequence[object]], *, title: str = "Sheet1") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_cells_as_text_with_number_flags(tmp_path: Path) -> None:
    path = build_xlsx(
        tmp_path / "payers.xlsx",
        [
            ["Sequence#", "Payer Name", "When", "Inactive", "Rate"],
            [10023344, "AETNA", dt.date(2026, 11, 4), True, 0.1],
            ["00123456", "'Text", dt.datetime(2026, 11, 4, 10, 30), False, None],
            [1.2345678901234567e18, None, None, None, 12.5],
        ],
    )
    headers, rows = read_all(path)
    assert headers == ("Sequence#", "Payer Name", "When", "Inactive", "Rate")
    assert rows[0] == Row(2, ("10023344", "AETNA", "2026-11-04", "TRUE", "0.1"), frozenset({0, 4}))
    assert rows[1] == Row(3, ("00123456", "'Text", "2026-11-04T10:30:00", "FALSE", ""))
    assert rows[2].values[0] == "1.234567890123457e+18"  # the 16 digits the sheet holds
    assert rows[2].numeric == frozenset({0, 4})


def test_xlsx_float_cells_keep_the_stored_text(tmp_path: Path) -> None:
    # openpyxl writes 12345678.0 as "12345678", so patch the number text into the sheet XML,
    # as other writers store it.
    built = build_xlsx(tmp_path / "built.xlsx", [["Seq"], [12345678.5], [0.25]])
    path = tmp_path / "p.xlsx"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b">12345678.5<", b">12345678.0<")
            target.writestr(item, data)
    rows = read_all(path)[1]
    assert [row.values[0] for row in rows] == ["12345678.0", "0.25"]
    assert all(row.numeric == frozenset({0}) for row in rows)


def test_xlsx_formula_like_strings_stay_text(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path / "p.xlsx", [["Payer Name"], ["placeholder"]])
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    sheet["A2"].value = "=cmd|' /C calc'!A0"
    sheet["A2"].data_type = "s"  # stored as a string, as an export writes it
    workbook.save(path)
    assert read_all(path)[1][0].values == ("=cmd|' /C calc'!A0",)


def test_xlsx_row_numbers_blank_rows_and_sheet_choice(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.append(["ignored"])
    second = workbook.create_sheet("Payers")
    second.append(["Sequence#", "Payer Name"])
    second.append([])
    second.append(["10023344", "AETNA"])
    second["B6"] = "CIGNA"
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    headers, rows = read_all(path, sheet="payers")
    assert headers == ("Sequence#", "Payer Name")
    assert [(row.number, row.values) for row in rows] == [
        (3, ("10023344", "AETNA")),
        (6, ("", "CIGNA")),
    ]
    assert read_all(path)[0] == ("ignored",)


def test_committed_number_cells_workbook() -> None:
    rows = read_all(FIXTURES / "damaged" / "payers_number_cells.xlsx")[1]
    assert [(row.values[0], 0 in row.numeric) for row in rows] == [
        ("10023344", False),
        ("10023355", True),
        ("123456", True),
        ("10023377", True),
        ("1.234567890123457e+18", True),
    ]
