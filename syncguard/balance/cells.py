"""Turn text columns into typed ones: each distinct cell is read once, in plain Python.

A year of charge lines holds millions of cells but only hundreds of distinct dates, codes and
unit counts (and some thousands of accounts), so the rules live in small functions of one
string (``dates.parse_date``, ``values``) and the frame is mapped through the table they make,
all columns in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from syncguard.balance.dates import FORMATS_HINT, DateFormatError, parse_date
from syncguard.balance.frames import MULTI_FIELDS, ROW, RawFrame
from syncguard.balance.values import identifier
from syncguard.errors import InputError

# A label row that report exports put below (or between) the data: "Total", "Grand Total:",
# "Subtotal - Downtown".
TOTALS = r"(?i)^(grand\s*|sub\s*-?\s*)?totals?\b"
# Identifiers that need mapping (few): surrounding spaces, an apostrophe, a leading zero, or
# a ".0" tail. One anchored pattern: a scan of a year of accounts takes milliseconds.
# Python's strip() also drops the separators \x1c-\x1f, which \s does not match.
_NOT_PLAIN_ID = r"^[\s\x1c-\x1f'0]|[\s\x1c-\x1f]$|'|^\d+\.0+$"


def table(raw: RawFrame, field: str, read: Callable[[str], Any], *, hint: str) -> dict[str, Any]:
    """``read`` of every distinct cell of ``field``; a ValueError names the first such row."""
    mapping: dict[str, Any] = {}
    for value in raw.distinct(field):
        try:
            mapping[value] = read(value)
        except ValueError as error:
            row = raw.frame.filter(pl.col(field) == value).get_column(ROW)[0]
            raise InputError(
                f"{raw.source.name} row {row}: {field_label(raw, field)}: {error}", hint=hint
            ) from None
    return mapping


def date_table(raw: RawFrame, field: str) -> dict[str, Any]:
    return table(raw, field, parse_date, hint=FORMATS_HINT)


def mapped(
    raw: RawFrame, field: str, mapping: dict[str, Any], dtype: pl.DataType, target: str
) -> pl.Expr:
    """``field`` through ``mapping`` (cells it does not hold become null), as ``target``.

    A categorical column is mapped through its codes: a list with one entry per category,
    indexed by each row's code, which is four times faster than a look-up of the text. Its
    categories are those of the whole process (they only grow), so the list is taken after the
    column is read and covers every code in it.
    """
    if raw.frame.schema[field] == pl.Categorical:
        categories = raw.frame.get_column(field).cat.get_categories().to_list()
        table = pl.Series([mapping.get(category) for category in categories], dtype=dtype)
        return pl.lit(table).gather(pl.col(field).to_physical()).alias(target)
    return pl.col(field).replace_strict(mapping, default=None, return_dtype=dtype).alias(target)


def identifiers(raw: RawFrame, field: str, target: str, *, few: bool = False) -> pl.Expr:
    """``values.identifier`` of ``field``; the column as it is when every cell is plain.

    ``few``: a column of few distinct values (places of service), mapped through them.
    """
    if not few and not raw.frame.get_column(field).str.contains(_NOT_PLAIN_ID).any():
        return pl.col(field).alias(target)
    dtype = pl.Categorical() if few else pl.String()
    return mapped(raw, field, {v: identifier(v) for v in raw.distinct(field)}, dtype, target)


def trimmed(raw: RawFrame, field: str, target: str) -> pl.Expr:
    """``field`` without surrounding spaces (a column of few distinct values: locations)."""
    distinct = raw.distinct(field)
    return mapped(raw, field, {v: v.strip() for v in distinct}, pl.Categorical(), target)


def dated_rows(raw: RawFrame, field: str) -> tuple[dict[str, Any], int]:
    """The dates of ``field`` (None for no date), and how many rows have none and are skipped.

    A row without a date is a blank separator, a "Total" row or a group label; only when it
    names a patient without a date, or holds a date that is not one, is it an error. Checking
    just those rows keeps the label test off the data.
    """
    dates: dict[str, Any] = {}
    for value in raw.distinct(field):
        try:
            dates[value] = parse_date(value)
        except DateFormatError:
            dates[value] = None
    undated = [value for value, day in dates.items() if day is None]
    rows = raw.frame.filter(pl.col(field).is_in(undated)) if undated else raw.frame.clear()
    if rows.height:
        _refuse_undated(raw, rows, field)
    return dates, rows.height


def refuse_empty(source_name: str, lines: pl.DataFrame, required: dict[str, str]) -> None:
    """A data row without one of the ``required`` values (target -> label) is an InputError."""
    missing = [_empty(lines, target).alias(target) for target in required]
    flags = lines.select(missing)
    if not flags.select(pl.any_horizontal(pl.all().any())).item():
        return  # the usual case, in one pass over the columns
    for target, label in required.items():
        empty = lines.filter(flags.get_column(target))
        if empty.height:
            raise InputError(
                f"{source_name} row {empty.get_column(ROW)[0]}: no {label}",
                hint="every data row needs one; fix the row or export the report again",
            )


def _empty(lines: pl.DataFrame, target: str) -> pl.Expr:
    # Only a text column can hold "": a typed one (a date) is empty when null.
    column = pl.col(target)
    if lines.schema[target] == pl.String:
        return column.is_null() | (column == "")
    return column.is_null()


def drop_blank_and_totals(raw: RawFrame) -> tuple[pl.DataFrame, int]:
    """A small report without blank separator rows and "Total" rows, and how many there were."""
    kept = raw.frame.filter(~_blank_or_totals(raw, raw.frame))
    return kept, raw.frame.height - kept.height


def _blank_or_totals(raw: RawFrame, frame: pl.DataFrame) -> pl.Expr:
    fields = raw.resolved.columns
    names = [
        name
        for name in frame.columns
        if name in fields or any(name.startswith(f"{multi}_") for multi in MULTI_FIELDS)
    ]
    text = [pl.col(name).cast(pl.String) for name in names]  # categorical columns too
    label = pl.any_horizontal([column.str.contains(TOTALS) for column in text])
    blank = pl.all_horizontal([column.str.strip_chars() == "" for column in text])
    return label | blank


def _refuse_undated(raw: RawFrame, undated: pl.DataFrame, field: str) -> None:
    skipped = _blank_or_totals(raw, undated)
    named = pl.col("patient").str.strip_chars() != "" if "patient" in undated else pl.lit(False)
    dated = pl.col(field).cast(pl.String).str.strip_chars() != ""
    wrong = undated.filter(~skipped & (dated | named))
    if wrong.height:
        row, value = wrong.get_column(ROW)[0], wrong.get_column(field)[0]
        reason = f"'{value.strip()}' is not a date" if value.strip() else "no date"
        raise InputError(
            f"{raw.source.name} row {row}: {field_label(raw, field)}: {reason}",
            hint=FORMATS_HINT if value.strip() else "every data row needs one; fix that row",
        )


def field_label(raw: RawFrame, field: str) -> str:
    spec = next((f for f in raw.resolved.spec.fields if f.name == field), None)
    return f'"{spec.label}"' if spec else field
