"""Read a large, regular CSV file in one go as text columns (polars), as the row reader would.

"Regular" is what a clean export looks like: UTF-8 (with or without a BOM), no NUL, no carriage
return except in CRLF line ends, no blank line, the header on the first line and every row as
wide as it. Quotes are allowed as Python's ``csv`` module and polars both read them the same
way: a quoted cell opens with ``"`` right after a delimiter or at the start of a line, closes
with ``"`` right before a delimiter or at the end of a line, and holds ``""`` for a quote and
no line break. Such a file splits into the same cells for polars and for the row reader, and no
cell is trimmed or converted: each is the text between two delimiters, or between its quotes
with ``""`` read as ``"``; and each line is one row, so both number the rows alike. Anything
else (a quote inside an unquoted cell, text after a closing quote, a quoted line break, another
encoding, ragged rows...) returns None, and the caller reads the file row by row as before.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Generator, Iterator
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from syncguard.readers.delimited import TAB_SUFFIXES, detect_delimiter
from syncguard.readers.table import Row

if TYPE_CHECKING:
    import polars as pl

ROW = "row"  # the spreadsheet row number of each row (the header is row 1)
LARGE_FILE_BYTES = 1 << 20  # smaller files read row by row as fast, without loading polars


def large_text_file(path: Path) -> bool:
    """Worth reading column by column: a large file that is not a workbook (those start as a
    ZIP archive)."""
    with path.open("rb") as stream:
        zipped = stream.read(2) == b"PK"
    return not zipped and path.stat().st_size >= LARGE_FILE_BYTES


def take_over_rows(frame: pl.DataFrame, rows: Iterator[Row]) -> tuple[bool, Iterator[Row]]:
    """A last check that the row reader sees the same file as ``frame``: its first data row.

    (True, nothing left) when they agree, the row reader's file closed; else (False, every
    row of the row reader, the first one included) for the caller to read row by row.
    """
    first = next(rows, None)
    expected = (2, frame.row(0)[:-1]) if frame.height else None
    if (None if first is None else (first.number, first.values)) != expected:
        return False, chain([] if first is None else [first], rows)
    if isinstance(rows, Generator):
        rows.close()  # closes the row reader's file
    return True, iter(())


def column_name(index: int) -> str:
    return f"c{index}"


def read_csv_columns(path: Path, header: tuple[str, ...]) -> pl.DataFrame | None:
    """The data rows of ``path`` as String columns ``c0``.. plus ``row``, or None when the file
    is not regular (see the module docstring). ``header`` is the header the row reader found."""
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    width = len(header)
    end = data.find(b"\n")
    if end <= 0 or width == 0 or b"\x00" in data or not _utf8(data):
        return None
    first = data[:end].removesuffix(b"\r").decode()
    default = "\t" if path.suffix.lower() in TAB_SUFFIXES else ","
    delimiter = detect_delimiter(first, default)
    if _header(first, delimiter) != header or not all(cell.strip() for cell in header):
        return None  # trailing or blank header cells: the row reader's checks apply
    if width == 1 and (b"\n\n" in data or b"\n\r\n" in data):
        return None  # a blank line (with several columns, the checks below rule it out)
    quoted = b'"' in data
    if quoted and not _regular_quotes(data, delimiter, width):
        return None
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if not quoted and not _plain(data, delimiter, width, lines):
        return None
    return _read(data, delimiter, width, lines - 1, quoted)


def _utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


def _header(first: str, delimiter: str) -> tuple[str, ...] | None:
    """The cells of the first line, if the row reader takes its delimiter from that line too
    (it looks for the first line that is not blank, where ``str.splitlines`` splits)."""
    if first.splitlines() != [first] or not first.strip(" ,;\t\ufeff"):
        return None
    try:
        return tuple(next(csv.reader([first], delimiter=delimiter, strict=True)))
    except (csv.Error, StopIteration):
        return None


def _plain(data: bytes, delimiter: str, width: int, lines: int) -> bool:
    """Without quotes: no lone carriage return, and exactly ``width - 1`` delimiters a line
    on average, which a narrower row (a blank line, say) would break unless a wider one made
    up for it, and polars refuses a wider one. (On a large file each test is a scan.)"""
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    return data.count(delimiter.encode()) == lines * (width - 1)


def _regular_quotes(data: bytes, delimiter: str, width: int) -> bool:
    """Every line is ``width`` cells, each either unquoted (no quote, delimiter or line break)
    or quoted as above; the line ends are LF or CRLF. One pass of a regular expression over
    the whole text (Rust's regex engine: a finite automaton, linear in the file's length)."""
    import polars as pl

    separator = "\\t" if delimiter == "\t" else delimiter  # "," or ";" need no escape
    cell = f'(?:[^"\\r\\n{separator}]*|"(?:[^"\\r\\n]|"")*")'
    line = f"{cell}(?:{separator}{cell}){{{width - 1}}}"
    pattern = f"\\A(?:{line}\\r?\\n)*(?:{line})?\\z"
    if len(data) >= 1 << 31:
        return False  # more than a polars string holds
    try:
        matched = pl.Series([data.decode()]).str.contains(pattern).item()
    except pl.exceptions.PolarsError:
        return False  # a pattern too large for the engine: thousands of columns
    return matched is True


def _read(data: bytes, delimiter: str, width: int, rows: int, quoted: bool) -> pl.DataFrame | None:
    import polars as pl

    names = [column_name(index) for index in range(width)]
    try:
        frame = pl.read_csv(
            data,
            has_header=False,
            skip_rows=1,
            separator=delimiter,
            quote_char='"' if quoted else None,
            schema=dict.fromkeys(names, pl.String),
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        return None  # a row wider than the header
    # An empty cell is "" as the row reader gives it (polars reads it as null; the option that
    # said otherwise was renamed in polars 1.43, so the nulls are filled instead).
    frame = frame.with_columns(pl.all().fill_null(""))
    if frame.height != rows:
        return None
    if rows and frame.select(pl.any_horizontal(pl.all() != "").all()).item() is not True:
        return None  # a row of empty cells: the row reader skips it
    limit = csv.field_size_limit()
    if (
        len(data) > limit
        and frame.select(pl.max_horizontal(pl.all().str.len_bytes().max())).item() > limit
    ):
        return None  # a cell the row reader refuses as too long
    return frame.with_columns(pl.int_range(2, rows + 2, dtype=pl.Int64).alias(ROW))
