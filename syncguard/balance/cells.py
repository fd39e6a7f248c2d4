"""Turn text columns into typed ones: each distinct cell is read once, in plain Python.

A year of charge lines holds millions of cells but only hundreds of distinct dates, codes and
unit counts, so the rules live in small Python functions (``dates.parse_date``,
``read_units``...) and the frame only maps values through the table they produce.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import polars as pl

from syncguard.balance.dates import FORMATS_HINT, DateFormatError, parse_date
from syncguard.balance.frames import MULTI_FIELDS, ROW, RawFrame
from syncguard.errors import InputError
from syncguard.flags import parse_flag

# A label row that report exports put below (or between) the data: "Total", "Grand Total:",
# "Subtotal - Downtown".
TOTALS = r"(?i)^(grand\s*|sub\s*-?\s*)?totals?\b"
_CODE = re.compile(r"[A-Z0-9]{5}")
_DIGITS_POINT_ZERO = re.compile(r"\d+\.0+")
_SPACED = r"^\s|\s$"
_NOT_CLEAN_ID = r"^\s|\s$|^'|^0\d|^\d+\.0+$"
_NO_CHARGE_WORDS = ("nc001", "no charge")


def strip_column(frame: pl.DataFrame, field: str) -> pl.DataFrame:
    """``frame`` with ``field`` stripped of surrounding spaces (checked first: usually none)."""
    if frame.select(pl.col(field).str.contains(_SPACED).any()).item():
        return frame.with_columns(pl.col(field).str.strip_chars())
    return frame


def identifier(value: str) -> str:
    """An account number or place of service as both systems would agree on it.

    A spreadsheet turns 00123 into 123 or 123.0 in one export and not in the other, so digit
    strings lose leading zeros and a ``.0`` tail on both sides.
    """
    cleaned = value.strip().lstrip("'").strip()
    if _DIGITS_POINT_ZERO.fullmatch(cleaned):
        cleaned = cleaned.split(".", 1)[0]
    if cleaned.isdigit():
        cleaned = cleaned.lstrip("0") or "0"
    return cleaned


def map_identifiers(frame: pl.DataFrame, field: str, target: str) -> pl.DataFrame:
    """``frame`` with ``target`` = ``identifier`` of ``field`` (only mapped when needed)."""
    if not frame.select(pl.col(field).str.contains(_NOT_CLEAN_ID).any()).item():
        return frame.with_columns(pl.col(field).alias(target))
    distinct = frame.get_column(field).unique().to_list()
    mapping = {value: identifier(value) for value in distinct}
    return frame.with_columns(
        pl.col(field).replace_strict(mapping, return_dtype=pl.String()).alias(target)
    )


def map_column(
    raw: RawFrame,
    frame: pl.DataFrame,
    read: Callable[[str], Any],
    *,
    field: str,
    target: str,
    dtype: pl.DataType,
    hint: str,
) -> pl.DataFrame:
    """``frame`` with ``target`` = ``read`` of each cell of ``field``; ValueError -> InputError."""
    mapping: dict[str, Any] = {}
    for value in frame.get_column(field).unique().to_list():
        try:
            mapping[value] = read(value)
        except ValueError as error:
            row = frame.filter(pl.col(field) == value).get_column(ROW)[0]
            raise InputError(
                f"{raw.source.name} row {row}: {_field_label(raw, field)}: {error}", hint=hint
            ) from None
    return frame.with_columns(
        pl.col(field).replace_strict(mapping, default=None, return_dtype=dtype).alias(target)
    )


def map_dates(raw: RawFrame, frame: pl.DataFrame, field: str, target: str) -> pl.DataFrame:
    """``frame`` with the dates of ``field`` in ``target`` (null where the cell is empty)."""
    return map_column(
        raw, frame, parse_date, field=field, target=target, dtype=pl.Date(), hint=FORMATS_HINT
    )


def split_rows(
    raw: RawFrame, frame: pl.DataFrame, field: str, target: str
) -> tuple[pl.DataFrame, int]:
    """The data rows (``field`` read as a date into ``target``) and how many rows were skipped.

    A row without a date is a blank separator, a "Total" row or a group label, and is skipped;
    only when it names a patient without a date, or holds a date that is not one, is it an
    error. Checking just those rows keeps the expensive label test off the data.
    """
    dates = {}
    for value in frame.get_column(field).unique().to_list():
        try:
            dates[value] = parse_date(value)
        except DateFormatError:
            dates[value] = None
    frame = frame.with_columns(
        pl.col(field).replace_strict(dates, default=None, return_dtype=pl.Date()).alias(target)
    )
    undated = frame.filter(pl.col(target).is_null())
    if undated.height:
        _refuse_undated(raw, undated, field)
    return frame.filter(pl.col(target).is_not_null()), undated.height


def drop_blank_and_totals(raw: RawFrame, frame: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """A small report without blank separator rows and "Total" rows, and how many there were."""
    kept = frame.filter(~_blank_or_totals(list(raw.resolved.columns), frame))
    return kept, frame.height - kept.height


def _blank_or_totals(fields: list[str], frame: pl.DataFrame) -> pl.Expr:
    names = [
        name
        for name in frame.columns
        if name in fields or any(name.startswith(f"{multi}_") for multi in MULTI_FIELDS)
    ]
    label = pl.any_horizontal([pl.col(name).str.contains(TOTALS) for name in names])
    blank = pl.all_horizontal([pl.col(name).str.strip_chars() == "" for name in names])
    return label | blank


def _refuse_undated(raw: RawFrame, undated: pl.DataFrame, field: str) -> None:
    skipped = _blank_or_totals(list(raw.resolved.columns), undated)
    named = pl.col("patient").str.strip_chars() != "" if "patient" in undated else pl.lit(False)
    dated = pl.col(field).str.strip_chars() != ""
    wrong = undated.filter(~skipped & (dated | named))
    if wrong.height:
        row, value = wrong.get_column(ROW)[0], wrong.get_column(field)[0]
        reason = f"'{value.strip()}' is not a date" if value.strip() else "no date"
        raise InputError(
            f"{raw.source.name} row {row}: {_field_label(raw, field)}: {reason}",
            hint=FORMATS_HINT if value.strip() else "every data row needs one; fix that row",
        )


def read_units(value: str) -> float:
    """Units as billed; an empty cell is one unit (a charge line bills at least one)."""
    cleaned = value.strip().replace(",", "")
    if not cleaned:
        return 1.0
    try:
        units = float(cleaned)
    except ValueError:
        units = math.nan
    if not math.isfinite(units):
        raise ValueError(f"'{value}' is not a number of units")
    return units


def read_count(value: str) -> float:
    """A count in a totals report; an empty cell is zero."""
    return read_units(value) if value.strip() else 0.0


def base_code(value: str) -> str:
    """The CPT / HCPCS code without modifiers: "97161-GP", "97161GP" and "97161 GP" give 97161."""
    upper = value.strip().upper()
    match = _CODE.match(upper)
    return match[0] if match else upper


def read_no_charge(value: str) -> bool:
    """The "No Charges This Visit" (NC001) box: yes/no marks, or the words themselves."""
    flag = parse_flag(value)
    if flag is not None:
        return flag
    if any(word in value.casefold() for word in _NO_CHARGE_WORDS):
        return True
    raise ValueError(f"'{value}' is neither yes nor no")


def _field_label(raw: RawFrame, field: str) -> str:
    spec = next((f for f in raw.resolved.spec.fields if f.name == field), None)
    return f'"{spec.label}"' if spec else field
