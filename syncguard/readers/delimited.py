"""Read a comma, tab or semicolon delimited text file, streaming, every cell as written."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from syncguard.errors import InputError
from syncguard.readers.encoding import decode_file
from syncguard.readers.shape import (
    blank_header_columns,
    check_blank_columns,
    check_header,
    fit_row,
)
from syncguard.readers.table import NO_CELLS, Row, SourceFile, Table

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

# A real export can hold a long note in one cell; the default limit (128 KiB) would refuse it.
FIELD_SIZE_LIMIT = 64 << 20
csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))

DELIMITERS = (",", "\t", ";")
TAB_SUFFIXES = frozenset({".tsv", ".dat", ".tab"})
_QUOTED = re.compile(r'"[^"]*"')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_Numbered = Iterator[tuple[int, list[str]]]


def read_delimited(path: Path, encoding: str | None) -> Table:
    """The headers and a one-shot row stream of a delimited text file."""
    decoded = decode_file(path, encoding)
    default = "\t" if path.suffix.lower() in TAB_SUFFIXES else ","
    delimiter = detect_delimiter(_first_line(decoded.head), default)
    stream = path.open(encoding=decoded.encoding, newline="")
    try:
        reader = csv.reader(stream, delimiter=delimiter, strict=True)
        numbered = enumerate(reader, start=1)
        number, cells = _header_record(numbered, reader, path.name)
        if _CONTROL.search("".join(cells)):
            raise InputError(
                f"{path.name}: the first row holds control characters: it does not look "
                "like a CSV export",
                hint="export the list again as CSV or XLSX",
            )
        header = check_header(cells, path.name, number)
    except BaseException:
        stream.close()
        raise
    source = SourceFile(path, path.name, decoded.sha256)
    rows = _rows(numbered, reader, stream, header, path.name, number)
    return Table(source, header, rows)


def detect_delimiter(line: str, default: str) -> str:
    """The delimiter that occurs most often in the header line, outside quoted names."""
    bare = _QUOTED.sub("", line)
    counts = {delimiter: bare.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts.values())
    if best == 0 or counts[default] == best:
        return default
    return next(delimiter for delimiter in DELIMITERS if counts[delimiter] == best)


def _first_line(head: str) -> str:
    for line in head.splitlines():
        if line.strip(" ,;\t\ufeff"):
            return line
    return ""


def _header_record(numbered: _Numbered, reader: CsvReader, file_name: str) -> tuple[int, list[str]]:
    number = 0
    try:
        for number, cells in numbered:
            if any(cell.strip() for cell in cells):
                return number, cells
    except (csv.Error, UnicodeDecodeError) as exc:
        raise _malformed(exc, file_name, number + 1, reader.line_num) from None
    raise InputError(
        f"{file_name}: the file is empty (no header row)",
        hint="export the list again; its first row should name the columns",
    )


def _rows(
    numbered: _Numbered,
    reader: CsvReader,
    stream: TextIO,
    header: tuple[str, ...],
    file_name: str,
    number: int,
) -> Iterator[Row]:
    width, blanks = len(header), blank_header_columns(header)
    new = tuple.__new__  # skips NamedTuple's Python-level __new__: this loop runs per row
    try:
        for number, cells in numbered:
            if len(cells) != width:
                values = fit_row(cells, width, file_name, number)
                if values is None:
                    continue
            elif cells[0] or any(cells):
                values = tuple(cells)
            else:
                continue
            if blanks:
                check_blank_columns(values, blanks, header, file_name, number)
            yield new(Row, (number, values, NO_CELLS, NO_CELLS))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise _malformed(exc, file_name, number + 1, reader.line_num) from None
    finally:
        stream.close()


def _malformed(exc: Exception, file_name: str, number: int, line: int) -> InputError:
    if isinstance(exc, UnicodeDecodeError):
        return InputError(
            f"{file_name} row {number} (line {line}): the file changed while being read",
            hint="read it again once it is complete",
        )
    reason = str(exc)
    hint = "fix the quoting on that row, or export the file again"
    if "end of data" in reason or "field limit" in reason:
        reason = "a quoted value is never closed"
        hint = "the opening quote on that row has no closing quote; fix it or export again"
    return InputError(f"{file_name} row {number} (line {line}): malformed CSV: {reason}", hint=hint)
