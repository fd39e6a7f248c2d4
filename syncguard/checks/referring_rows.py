"""A WebPT referring-provider list as one frame: row number, last and first name, NPI cell.

A large regular CSV file is read by polars in one go (``readers.columnar``); any other file (a
workbook, irregular quoting, another encoding, a small list) goes through the row reader. Both give
the same frame, cell for cell: names trimmed as Python's ``str.strip`` trims them, a single
"Last, First" column split by ``names.split_full_name``, the NPI cell as it was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncguard.checks.exports import Export
from syncguard.checks.matching import map_distinct
from syncguard.names import split_full_name
from syncguard.readers.columnar import (
    ROW,
    column_name,
    large_text_file,
    read_csv_columns,
    take_over_rows,
)

if TYPE_CHECKING:
    import polars as pl

LAST, FIRST, RAW, NUMERIC, FORMULA = "last", "first", "raw", "numeric", "formula"
# What str.strip() removes: every character for which str.isspace() holds (the \x1c-\x1f
# separators included, which polars' own notion of white space leaves alone).
PYTHON_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def referring_rows(export: Export) -> pl.DataFrame:
    """Columns ``row`` (Int64), ``last``, ``first``, ``raw`` (String), ``numeric`` (Boolean: the
    workbook stored the NPI as a number) and ``formula`` (Boolean: the NPI cell is a formula
    whose result was never saved), one row per data row, in file order."""
    table = export.table
    if export.encoding is None and large_text_file(table.source.path):
        frame = read_csv_columns(table.source.path, table.headers)
        if frame is not None:
            agreed, table.rows = take_over_rows(frame, table.rows)
            if agreed:
                return _from_columns(export, frame)
    return _from_rows(export)


def _from_columns(export: Export, frame: pl.DataFrame) -> pl.DataFrame:
    import polars as pl

    fields = export.columns.fields
    names = _names_by_columns(export, frame)
    return frame.select(
        pl.col(ROW),
        *names,
        pl.col(column_name(fields["npi"])).alias(RAW),
        pl.lit(False).alias(NUMERIC),
        pl.lit(False).alias(FORMULA),
    )


def _names_by_columns(export: Export, frame: pl.DataFrame) -> list[pl.Expr | pl.Series]:
    import polars as pl

    fields = export.columns.fields
    if "last_name" in fields:
        last = pl.col(column_name(fields["last_name"])).str.strip_chars(PYTHON_SPACES)
        first_index = fields.get("first_name")
        first = (
            pl.lit("")
            if first_index is None
            else pl.col(column_name(first_index)).str.strip_chars(PYTHON_SPACES)
        )
        return [last.alias(LAST), first.alias(FIRST)]
    full = frame.select(column_name(fields["full_name"]))
    parts = map_distinct(full, split_full_name, pl.Struct({"0": pl.String, "1": pl.String}))
    return [parts.struct.field("0").alias(LAST), parts.struct.field("1").alias(FIRST)]


def _from_rows(export: Export) -> pl.DataFrame:
    import polars as pl

    columns = export.columns
    npi_column = columns.fields["npi"]
    last_column = columns.fields.get("last_name")
    first_column = columns.fields.get("first_name")
    numbers: list[int] = []
    lasts: list[str] = []
    firsts: list[str] = []
    raws: list[str] = []
    numeric: list[bool] = []
    formula: list[bool] = []
    for row in export.table.rows:
        values = row.values
        if last_column is None:
            last, first = split_full_name(columns.text(row, "full_name"))
        else:
            last = values[last_column].strip()
            first = values[first_column].strip() if first_column is not None else ""
        numbers.append(row.number)
        lasts.append(last)
        firsts.append(first)
        raws.append(values[npi_column])
        numeric.append(bool(row.numeric) and npi_column in row.numeric)
        formula.append(bool(row.formulas) and npi_column in row.formulas)
    return pl.DataFrame(
        {ROW: numbers, LAST: lasts, FIRST: firsts, RAW: raws, NUMERIC: numeric, FORMULA: formula},
        schema={
            ROW: pl.Int64,
            LAST: pl.String,
            FIRST: pl.String,
            RAW: pl.String,
            NUMERIC: pl.Boolean,
            FORMULA: pl.Boolean,
        },
    )
