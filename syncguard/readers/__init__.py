"""Read an export (CSV, tab-delimited text, CMD .DAT or XLSX) as text cells, whatever its kind."""

from __future__ import annotations

from pathlib import Path

from syncguard.errors import InputError
from syncguard.readers.table import Row, SourceFile, Table

__all__ = ["Row", "SourceFile", "Table", "read_table"]

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".tab", ".dat"})
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected workbooks
_REEXPORT = "export the list again as CSV or XLSX"


def read_table(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """Open ``path`` as a table of text cells; every problem is an InputError naming the file.

    ``rows`` streams: problems further down the file surface as InputError while iterating.
    """
    start = _start_of(path)
    suffix = path.suffix.lower()
    if start.startswith(_ZIP_MAGIC):
        from syncguard.readers.xlsx import read_xlsx

        return read_xlsx(path, sheet)
    if start.startswith(_OLE2_MAGIC):
        raise InputError(
            f"{path.name}: an Excel 97-2003 (.xls) or password-protected workbook",
            hint="open it in Excel and save it as .xlsx (without a password) or as CSV",
        )
    if suffix in XLSX_SUFFIXES:
        raise InputError(
            f"{path.name}: named {suffix} but is not an XLSX workbook",
            hint="if it is a CSV export, rename it to .csv; otherwise " + _REEXPORT,
        )
    if sheet is not None:
        raise InputError(
            f"{path.name}: --sheet applies to XLSX workbooks, and this is a text file",
            hint="leave out --sheet",
        )
    from syncguard.readers.delimited import read_delimited

    return read_delimited(path, encoding)


def _start_of(path: Path) -> bytes:
    """The first bytes of the file; an unreadable or empty file is an InputError."""
    try:
        with path.open("rb") as stream:
            start = stream.read(8)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            f"{path.name}: cannot be read ({reason})", hint="check the path and its permissions"
        ) from None
    if not start.strip(b" \t\r\n"):
        raise InputError(
            f"{path.name}: the file is empty",
            hint="export the list again; its first row should name the columns",
        )
    return start
