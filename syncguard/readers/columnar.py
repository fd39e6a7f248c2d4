"""Read a large, plain CSV file in one go as text columns (polars), exactly as the row reader would.

"Plain" is what a clean export looks like: UTF-8 (with or without a BOM), no quotes at all, no
NUL, no carriage return except in CRLF line ends, no blank line, the header on the first line and
every row as wide as it. Such a file splits on its delimiter the same way for polars and for
Python's ``csv`` module, and no cell is trimmed or converted: each is the text between two
delimiters. Anything else (quoting, another encoding, ragged rows...) returns None, and the
caller reads the file row by row as before.
"""

from __future__ import annotations

import codecs
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


def read_plain_csv(path: Path, header: tuple[str, ...]) -> pl.DataFrame | None:
    """The data rows of ``path`` as String columns ``c0``.. plus ``row``, or None when the file
    is not plain (see the module docstring). ``header`` is the header the row reader found."""
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    width = len(header)
    end = data.find(b"\n")
    if end <= 0 or width == 0 or not _plain(data, width):
        return None
    first = data[:end].removesuffix(b"\r").decode()
    default = "\t" if path.suffix.lower() in TAB_SUFFIXES else ","
    delimiter = detect_delimiter(first, default)
    if tuple(first.split(delimiter)) != header or not all(cell.strip() for cell in header):
        return None  # trailing or blank header cells: the row reader's checks apply
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if data.count(delimiter.encode()) != lines * (width - 1):
        # Some row (a blank line, say) is narrower than the header; and one wider, which
        # polars refuses, would have to make up for any narrower one.
        return None
    return _read(data, delimiter, width, lines - 1)


def _plain(data: bytes, width: int) -> bool:
    """No quote, NUL or lone carriage return, and UTF-8; no blank line either, which the
    delimiter count rules out when there are several columns. (On a large file each test is
    a scan: the cheap ones decide first.)"""
    if b'"' in data or b"\x00" in data:
        return False
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    if width == 1 and (b"\n\n" in data or b"\n\r\n" in data):
        return False
    if data.isascii():
        return True
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


def _read(data: bytes, delimiter: str, width: int, rows: int) -> pl.DataFrame | None:
    import polars as pl

    names = [column_name(index) for index in range(width)]
    try:
        frame = pl.read_csv(
            data,
            has_header=False,
            skip_rows=1,
            separator=delimiter,
            quote_char=None,
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
    return frame.with_columns(pl.int_range(2, rows + 2, dtype=pl.Int64).alias(ROW))
