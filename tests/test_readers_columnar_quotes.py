"""Quoted CSV files read by columns (polars) give exactly the row reader's rows, or are refused.

Differential: random tables of awkward cells, written by Python's csv writer in several quoting
modes and then, for some files, damaged by hand (a stray quote, text after a closing quote, an
unterminated quote...). For every file the column reader either returns None or the very rows,
values and row numbers, that the row reader gives.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from syncguard.errors import InputError
from syncguard.readers import read_table
from syncguard.readers.columnar import ROW, read_csv_columns

ALPHABET = st.sampled_from(
    ['"', '"', ",", ";", "\t", " ", "\r", "\n", "a", "B", "1", "é", "Ω", "\x85", "\u2028"]
)
CELL = st.one_of(
    st.text(alphabet=ALPHABET, max_size=6),
    st.sampled_from(["", "Smith", "Smith, Jr", 'O"Neil', "1234567893", " x "]),
)
NUMBER = st.one_of(st.integers(-5, 10**10), st.floats(allow_nan=False, allow_infinity=False))
HEADER_CELL = st.text(alphabet=st.sampled_from(["a", "Z", " ", ",", '"', ";", "é"]), max_size=3)
QUOTING = st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL, csv.QUOTE_NONNUMERIC])
# Hand-made damage: inserted at a random offset, or the character there removed.
DAMAGE = st.sampled_from(['"', 'x"', '"x', '""', "x", ",", "\n", "\r", "\r\n", ""])


def row_reader(path: Path) -> list[tuple[int, tuple[str, ...]]] | None:
    """The row reader's rows, or None when it refuses the file (a malformed row)."""
    table = read_table(path)
    try:
        return [(row.number, row.values) for row in table.rows]
    except InputError:
        return None


def column_reader(path: Path, header: tuple[str, ...]) -> list[tuple[int, tuple[str, ...]]] | None:
    frame = read_csv_columns(path, header)
    if frame is None:
        return None
    cells = frame.drop(ROW).rows()
    return [(number, tuple(values)) for number, values in zip(frame[ROW], cells, strict=True)]


def check_file(folder: Path, data: bytes, suffix: str = ".csv") -> bool:
    """Whether the column reader took the file; it must then agree with the row reader."""
    path = folder / f"file{suffix}"
    path.write_bytes(data)
    try:
        header = read_table(path).headers
    except InputError:
        return False  # the import or check stops before reading any row
    by_columns = column_reader(path, header)
    if by_columns is None:
        return False
    assert by_columns == row_reader(path)
    return True


def written(rows: list[list[Any]], delimiter: str, quoting: int, terminator: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=terminator)
    writer.writerows(rows)
    return buffer.getvalue()


@st.composite
def tables(draw: st.DrawFn) -> list[list[Any]]:
    width = draw(st.integers(1, 4))
    header = [f"H{index}{draw(HEADER_CELL)}" for index in range(width)]
    numbers = draw(st.booleans())
    cell = st.one_of(CELL, NUMBER) if numbers else CELL
    body = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=8))
    return [header, *body]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=tables(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quoting=QUOTING,
    terminator=st.sampled_from(["\r\n", "\n"]),
    suffix=st.sampled_from([".csv", ".tsv"]),
    bom=st.booleans(),
    damage=st.lists(st.tuples(st.floats(0, 1), DAMAGE, st.booleans()), max_size=2),
)
@example(  # a quote in the middle of an unquoted cell
    [["A", "B"], ["Sm", "x"]], ",", csv.QUOTE_MINIMAL, "\n", ".csv", False, [(0.75, '"', False)]
)
def test_quoted_files_read_by_columns_give_the_row_readers_rows(
    table: list[list[Any]],
    delimiter: str,
    quoting: int,
    terminator: str,
    suffix: str,
    bom: bool,
    damage: list[tuple[float, str, bool]],
) -> None:
    text = written(table, delimiter, quoting, terminator)
    for where, insert, remove in damage:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + remove :]
    data = ("\ufeff" if bom else "").encode() + text.encode()
    with TemporaryDirectory() as folder:
        check_file(Path(folder), data, suffix)


@settings(max_examples=300, deadline=None)
@given(
    cells=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6),
    quoting=st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL]),
)
def test_well_quoted_files_without_line_breaks_are_read_by_columns(
    cells: list[list[str]], quoting: int
) -> None:
    """What real exports hold: every cell, or those with a comma or quote, quoted."""
    rows = [[cell.replace("\r", "").replace("\n", "") for cell in row] for row in cells]
    rows = [row for row in rows if any(row)]  # the row reader skips empty rows
    assume(rows)  # (a file of a header alone is read row by row)
    text = written([["NPI", "Last Name", "First Name"], *rows], ",", quoting, "\r\n")
    with TemporaryDirectory() as folder:
        assert check_file(Path(folder), text.encode())


HEADER = '"NPI","Last Name","First Name"\r\n'


@pytest.mark.parametrize(
    "body",
    [
        '"1234567893",Sm"ith,"Ann"\r\n',  # a quote inside an unquoted cell
        '"1234567893","Smith"x,"Ann"\r\n',  # text after a closing quote
        '"1234567893","Smith" ,"Ann"\r\n',  # a space after a closing quote
        '"1234567893", "Smith","Ann"\r\n',  # a space before an opening quote
        '"1234567893","Smith","Ann\r\n',  # an unterminated quote
        '"1234567893","Smith\r\nJones","Ann"\r\n',  # a line break inside quotes
        '"1234567893","Smith\rJones","Ann"\r\n',
        '"1234567893","Smith","Ann"\r\n"",""," "\r\n"","",""\r\n',  # a row of empty cells
        '"1234567893","Smith, Jr","Ann",""\r\n',  # a row wider than the header
        '"1234567893","Smith, Jr"\r\n',  # a narrower one
        '"1234567893","Smith","Ann"\r\n\r\n',  # a blank line
        '"1234567893","Smith","Ann"\r',  # a lone carriage return
    ],
)
def test_irregular_quoting_is_read_row_by_row(tmp_path: Path, body: str) -> None:
    path = tmp_path / "quoted.csv"
    path.write_bytes((HEADER + body).encode())
    assert read_csv_columns(path, ("NPI", "Last Name", "First Name")) is None


def test_quoted_names_with_commas_and_quotes_are_read_by_columns(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    body = '1234567893,"Smith, Jr","Ann ""Annie"""\r\n"1245319599","",Bob\r\n'
    path.write_bytes((HEADER + body).encode())
    assert column_reader(path, read_table(path).headers) == [
        (2, ("1234567893", "Smith, Jr", 'Ann "Annie"')),
        (3, ("1245319599", "", "Bob")),
    ]
