"""Read one sheet of an XLSX workbook, streaming: each cell as text, number cells flagged."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError, iterparse

from syncguard.errors import InputError
from syncguard.readers.shape import (
    blank_header_columns,
    check_blank_columns,
    check_header,
    fit_row,
)
from syncguard.readers.table import NO_CELLS, NO_NUMERIC_CELLS, Row, SourceFile, Table

# A cell's formula (<f>...</f> or <f .../>) followed by no value, or an empty one, then the
# cell's end: a formula whose result was never saved. Only a hint that one may be there, so
# that a sheet without one (nearly all exports) is not parsed twice.
_UNSAVED_FORMULA = re.compile(
    rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f(?:\s[^<>]{0,2000})?/>)\s*"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v></(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_FORMULA_MARKS = (b"<f", b":f", b"f>")
_CHUNK = 1 << 20
_OVERLAP = 4096  # longer than any match of _UNSAVED_FORMULA

# What openpyxl and the zip layer raise on a truncated or corrupt workbook.
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    EOFError,
    ParseError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    OSError,
)
_BROKEN_HINT = "the workbook is truncated or damaged: export it again, or save it as CSV"


def read_xlsx(path: Path, sheet: str | None) -> Table:
    """The headers and a one-shot row stream of the first sheet, or of ``sheet``."""
    stream = path.open("rb")
    try:
        sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
        stream.seek(0)
        # A file object, not the path: openpyxl refuses a workbook whose name is not .xlsx.
        workbook = _load(stream, path.name)
    except BaseException:
        stream.close()
        raise

    def close() -> None:
        workbook.close()
        stream.close()

    try:
        worksheet = _worksheet(workbook, sheet, path.name)
        worksheet.reset_dimensions()  # some writers record a wrong size; read what is there
        # Cells, not bare values: a number cell's format can show the zeros it does not store.
        numbered = enumerate(worksheet.iter_rows(), start=1)
        others = [title for title in workbook.sheetnames if title != worksheet.title]
        unsaved = _unsaved_formulas(workbook, worksheet)
        number, header = _header(numbered, path.name, worksheet.title, others, sheet is not None)
    except _BROKEN as exc:
        close()
        raise InputError(
            f"{path.name}: not a readable XLSX workbook ({exc})", hint=_BROKEN_HINT
        ) from None
    except BaseException:
        close()
        raise
    source = SourceFile(path, path.name, sha256)
    return Table(source, header, _rows(numbered, close, header, path.name, number, unsaved))


def _load(stream: BinaryIO, file_name: str) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it cannot read
            return openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except (*_BROKEN, InvalidFileException) as exc:
        raise InputError(
            f"{file_name}: not a readable XLSX workbook ({exc})", hint=_BROKEN_HINT
        ) from None


def _worksheet(workbook: Any, sheet: str | None, file_name: str) -> Any:
    sheets = workbook.worksheets
    if sheet is None:
        if not sheets:
            raise InputError(f"{file_name}: the workbook has no worksheet", hint=_BROKEN_HINT)
        return sheets[0]
    for candidate in sheets:
        if candidate.title == sheet or candidate.title.casefold() == sheet.casefold():
            return candidate
    names = ", ".join(f'"{candidate.title}"' for candidate in sheets)
    raise InputError(
        f'{file_name}: no sheet named "{sheet}" (sheets: {names})',
        hint="pass one of those names with --sheet",
    )


def _empty_sheet_hint(others: list[str], *, named: bool) -> str:
    # Only `registry import` takes --sheet; `check` reads the first sheet: name no option here.
    names = ", ".join(f'"{title}"' for title in others)
    if named:
        return "export the list again, or name the sheet that holds it" + (
            f": {names}" if others else ""
        )
    return "export the list again; the first sheet of a workbook is read" + (
        f", the workbook also has {names}" if others else ""
    )


def _header(
    numbered: Iterator[tuple[int, Sequence[Any]]],
    file_name: str,
    title: str,
    others: list[str],
    named: bool,
) -> tuple[int, tuple[str, ...]]:
    for number, cells in numbered:
        texts = [_text(cell)[0] for cell in cells]
        if any(text.strip() for text in texts):
            return number, check_header(texts, file_name, number)
    raise InputError(
        f'{file_name}: sheet "{title}" is empty (no header row)',
        hint=_empty_sheet_hint(others, named=named),
    )


def _rows(
    numbered: Iterator[tuple[int, Sequence[Any]]],
    close: Callable[[], None],
    header: tuple[str, ...],
    file_name: str,
    number: int,
    unsaved: dict[int, set[int]],
) -> Iterator[Row]:
    width, blanks = len(header), blank_header_columns(header)
    try:
        for number, cells in numbered:
            texts: list[str] = []
            numeric: set[int] = set()
            for index, cell in enumerate(cells):
                text, is_number = _text(cell)
                texts.append(text)
                if is_number:
                    numeric.add(index)
            formulas = NO_CELLS
            if unsaved and number in unsaved:
                within = min(width, len(texts))
                formulas = frozenset(i for i in unsaved[number] if i < within and not texts[i])
            values = fit_row(texts, width, file_name, number)
            if values is None:
                if not formulas:
                    continue
                values = (*texts[:width], *([""] * (width - len(texts))))  # formulas only
            if blanks:
                check_blank_columns(values, blanks, header, file_name, number)
            flags = frozenset(i for i in numeric if i < width) if numeric else NO_NUMERIC_CELLS
            yield Row(number, values, flags, formulas)
    except _BROKEN as exc:
        raise InputError(
            f"{file_name} row {number + 1}: the workbook cannot be read on from here ({exc})",
            hint=_BROKEN_HINT,
        ) from None
    finally:
        close()


def _unsaved_formulas(workbook: Any, worksheet: Any) -> dict[int, set[int]]:
    """{row number: indexes of its cells holding a formula whose result was never saved}.

    Read with ``data_only``, such a cell is None, as an empty one is: its formula is looked
    for in the sheet's XML, only when a quick scan of that XML finds one possibly there.
    """
    from openpyxl.utils.cell import coordinate_to_tuple

    # openpyxl's own handles on the workbook's ZIP archive and the sheet's member in it
    # (private: should a release rename them, formulas without a value read as empty cells
    # again, as before this check existed; a test pins them for the openpyxl in use).
    archive = getattr(workbook, "_archive", None)
    member = getattr(worksheet, "_worksheet_path", None)
    if archive is None or member is None:
        return {}
    with archive.open(member) as source:
        if not _may_hold_unsaved_formula(source):
            return {}
    found: dict[int, set[int]] = {}
    with archive.open(member) as source:
        row_number = column = 0
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                if tag == "row":
                    at = element.get("r")
                    row_number = int(float(at)) if at else row_number + 1
                    column = 0
                continue
            if tag == "c":
                at = element.get("r")
                if at:  # its column; the row is the <row>'s, as openpyxl numbers it
                    column = coordinate_to_tuple(at)[1]
                else:
                    column += 1
                if _is_unsaved_formula(element):
                    found.setdefault(row_number, set()).add(column - 1)
                element.clear()
            elif tag == "row":
                element.clear()
    return found


def _may_hold_unsaved_formula(source: BinaryIO) -> bool:
    tail = b""
    while chunk := source.read(_CHUNK):
        text = tail + chunk
        # Plain searches first, faster than the pattern: any formula element at all?
        if any(mark in text for mark in _FORMULA_MARKS) and _UNSAVED_FORMULA.search(text):
            return True
        tail = chunk[-_OVERLAP:]
    return False


def _is_unsaved_formula(cell: Any) -> bool:
    """A formula and no value, or an empty one (but not an empty text result, t="str")."""
    has_formula = False
    for child in cell:
        name = child.tag.rpartition("}")[2]
        if name == "f":
            has_formula = True
        elif name == "v" and child.text:
            return False
    return has_formula and cell.get("t") != "str"


def _text(cell: Any) -> tuple[str, bool]:
    """The text a cell holds, and whether the workbook stored it as a number.

    A whole number formatted as zeros only ("00000000", Excel's way to keep a fixed-width
    code's leading zeros in a number column) is the text the sheet shows: 00412214, not the
    412214 it stores, and it is no longer a bare number.
    """
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        shown = _shown_with_zeros(value, cell)
        if shown is not None:
            return shown, False
    return _value_text(value)


def _shown_with_zeros(value: float, cell: Any) -> str | None:
    if not float(value).is_integer():
        return None
    fmt = getattr(cell, "number_format", None)
    if not isinstance(fmt, str) or len(fmt) < 2 or fmt.strip("0"):
        return None
    return f"{int(value):0{len(fmt)}d}"


def _value_text(value: object) -> tuple[str, bool]:
    if value is None:
        return "", False
    if isinstance(value, str):
        return value, False
    if isinstance(value, bool):  # before int: a bool is an int
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int | float):
        return repr(value), True  # repr: the shortest text that round-trips the stored number
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat(), False
        return value.isoformat(), False
    if isinstance(value, dt.date | dt.time):
        return value.isoformat(), False
    return str(value), False
