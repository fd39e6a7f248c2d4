"""Load a report file as a columnar frame of text cells: one column per field, plus ``row``.

A UTF-8 CSV is parsed by polars' multi-threaded reader, which a year of charge lines needs.
Anything else (XLSX, other encodings) and any CSV polars refuses goes through the shared
readers, so that their error messages (with row and line) are the ones a user sees.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from syncguard.balance.resolve import ColumnOverrides, Resolved, resolve
from syncguard.inputs.reports import ReportSpec
from syncguard.readers import SourceFile, Table, read_table
from syncguard.readers.delimited import detect_delimiter

ROW = "row"
MULTI_FIELDS = frozenset({"modifier"})
_HEAD_BYTES = 1 << 16
_ZIP_MAGIC = b"PK"
_TAB_SUFFIXES = frozenset({".tsv", ".tab", ".dat"})
# Columns with a value per patient (or row), not a few hundred: never listed in bulk.
_MANY_VALUES = frozenset({ROW, "patient", "account"})


@dataclass(frozen=True, slots=True)
class RawFrame:
    """A report's text cells: ``row`` (numbered as a spreadsheet numbers it) and its fields."""

    source: SourceFile
    resolved: Resolved
    frame: pl.DataFrame
    title_lines: tuple[str, ...] = ()  # see Table.title_lines
    _distinct: dict[str, list[str]] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )

    def distinct(self, name: str) -> list[str]:
        """The distinct cells of column ``name``.

        The first call finds them for every column of few values at once (one parallel pass
        instead of one per column); account numbers, which are many, are found on demand.
        """
        if name not in self._distinct:
            few = [n for n in self.frame.columns if n not in _MANY_VALUES | self._distinct.keys()]
            names = few if name in few else [name]
            found = self.frame.select(pl.col(n).unique().implode() for n in names).row(0)
            self._distinct.update(zip(names, found, strict=True))
        return self._distinct[name]


class _UsePortableReader(Exception):
    """The fast CSV path cannot read this file; the shared readers will (or will say why)."""


def load_frame(
    path: Path,
    spec: ReportSpec,
    overrides: ColumnOverrides,
    *,
    few_valued: frozenset[str] = frozenset(),
) -> RawFrame:
    """The fields of ``spec`` in ``path`` (CSV or XLSX) as text columns, or an InputError.

    The ``few_valued`` fields (dates, codes, places: hundreds of distinct cells in millions of
    lines) are categorical columns: parsed straight into a dictionary, they take a fraction of
    the memory, and their distinct cells come without a pass over the rows.
    """
    head = _head(path)
    if not head.startswith(_ZIP_MAGIC):
        try:
            return _fast_csv(path, head, spec, overrides, few_valued)
        except _UsePortableReader:
            pass
    return _from_table(read_table(path), spec, overrides, few_valued)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(_HEAD_BYTES)
    except OSError:
        return b""  # read_table names the problem


def _fast_csv(
    path: Path,
    head: bytes,
    spec: ReportSpec,
    overrides: ColumnOverrides,
    few_valued: frozenset[str],
) -> RawFrame:
    if b"\x00" in head or not head.strip():
        raise _UsePortableReader
    text = head.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()[:-1] if len(head) == _HEAD_BYTES else text.splitlines()
    first = next((line for line in lines if line.strip(" ,;\t")), "")
    delimiter = detect_delimiter(first, "\t" if path.suffix.lower() in _TAB_SUFFIXES else ",")
    reader = csv.reader(lines, delimiter=delimiter)
    number, headers = next(
        ((n, cells) for n, cells in enumerate(reader, 1) if any(c.strip() for c in cells)),
        (0, []),
    )
    if not headers:
        raise _UsePortableReader
    resolved = resolve(headers, spec, file_name=path.name, overrides=overrides)
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(_sha256, path)
        categorical = _indexes(resolved, few_valued)
        frame = _scan(path, delimiter, reader.line_num, len(headers), number, resolved, categorical)
        return RawFrame(SourceFile(path, path.name, digest.result()), resolved, frame)


def _indexes(resolved: Resolved, fields: frozenset[str]) -> set[int]:
    return {index for field in fields for index in resolved.columns.get(field, ())}


def _scan(
    path: Path,
    delimiter: str,
    skip: int,
    width: int,
    header_row: int,
    resolved: Resolved,
    categorical: set[int],
) -> pl.DataFrame:
    schema: dict[str, pl.DataType] = {
        f"c{index}": pl.Categorical() if index in categorical else pl.String()
        for index in range(width)
    }
    try:
        lazy = pl.scan_csv(
            path,
            has_header=False,
            skip_rows=skip,
            separator=delimiter,
            schema=schema,
            truncate_ragged_lines=True,
            encoding="utf8",
            raise_if_empty=False,
        )
        return (
            lazy.with_row_index(ROW, offset=header_row + 1)
            .select(pl.col(ROW).cast(pl.Int64), *_field_columns(resolved))
            .collect()
        )
    except (pl.exceptions.PolarsError, OSError):
        raise _UsePortableReader from None


def _field_columns(resolved: Resolved) -> list[pl.Expr]:
    """One text column per field (empty cells as ""); a ``multi`` field's as ``field_1``..."""
    columns: list[pl.Expr] = []
    for field, indexes in resolved.columns.items():
        multi = len(indexes) > 1 or field in MULTI_FIELDS
        for number, index in enumerate(indexes, 1):
            name = f"{field}_{number}" if multi else field
            columns.append(pl.col(f"c{index}").fill_null("").alias(name))
    return columns


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _from_table(
    table: Table, spec: ReportSpec, overrides: ColumnOverrides, few_valued: frozenset[str]
) -> RawFrame:
    """The portable path: the shared reader's rows, transposed into the same frame."""
    resolved = resolve(table.headers, spec, file_name=table.source.name, overrides=overrides)
    width = len(table.headers)
    cells: dict[str, list[str]] = {f"c{index}": [] for index in range(width)}
    numbers: list[int] = []
    wanted = sorted({index for indexes in resolved.columns.values() for index in indexes})
    for row in table.rows:
        numbers.append(row.number)
        for index in wanted:
            cells[f"c{index}"].append(row.values[index])
    data = {ROW: pl.Series(numbers, dtype=pl.Int64)}
    categorical = _indexes(resolved, few_valued)
    data.update(
        {
            f"c{i}": pl.Series(
                cells[f"c{i}"], dtype=pl.Categorical if i in categorical else pl.String
            )
            for i in wanted
        }
    )
    frame = pl.DataFrame(data).select(ROW, *_field_columns(resolved))
    return RawFrame(table.source, resolved, frame)
