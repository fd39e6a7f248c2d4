"""Read the dates report exports use: 11/04/2026, 2026-11-04, Excel serial numbers, datetimes."""

from __future__ import annotations

import re
from datetime import date, timedelta

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, counting its phantom 1900-02-29
# Serial numbers this short are unambiguous (no other format is five bare digits) and cover
# 1954-10-03 to 2119-01-09, which is every date a billing export holds.
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_US = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# The date part of a cell, tried in order: an ISO date before its "T10:15:00", a serial
# without its time fraction, else the first word ("11/04/2026 10:15 AM").
_TOKENS = (
    re.compile(r"(\d{4}-\d{1,2}-\d{1,2})T"),
    re.compile(r"(\d{5})\.\d+$"),
    re.compile(r"(\S+)"),
)
FORMATS_HINT = "use MM/DD/YYYY, YYYY-MM-DD or a spreadsheet date"


class DateFormatError(ValueError):
    """A cell that holds something other than a date."""


def date_token(text: str) -> str:
    """The part of a cell that carries the date: no spaces, no time, no serial fraction."""
    stripped = text.strip()
    for pattern in _TOKENS:
        if match := pattern.match(stripped):
            return match[1]
    return ""


def parse_date(text: str) -> date | None:
    """The date a cell holds; None for an empty cell; DateFormatError for anything else."""
    token = date_token(text)
    if not token:
        return None
    try:
        return _parse_token(token)
    except ValueError:  # a real-looking date that does not exist, such as 02/30/2026
        pass
    raise DateFormatError(f"'{text.strip()}' is not a date")


def _parse_token(token: str) -> date:
    if match := _SERIAL.fullmatch(token):
        return EXCEL_EPOCH + timedelta(days=int(match[1]))
    if match := _ISO.fullmatch(token):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := _US.fullmatch(token):
        return date(_year(match[3]), int(match[1]), int(match[2]))
    if match := _COMPACT.fullmatch(token):
        return date(int(match[1]), int(match[2]), int(match[3]))
    raise ValueError(token)


def _year(text: str) -> int:
    """A four-digit year as written; a two-digit one as strptime's %y reads it (69 -> 1969)."""
    if len(text) == 4:
        return int(text)
    short = int(text)
    return 2000 + short if short < 69 else 1900 + short


def excel_serial(day: date) -> int:
    """The serial number a spreadsheet stores for ``day`` (the inverse of a serial cell)."""
    return (day - EXCEL_EPOCH).days
