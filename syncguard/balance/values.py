"""Read one cell of a balance input: identifiers, CPT codes, units, the no-charge box.

Plain functions of one string, applied once per distinct value (see ``cells``); a value that
cannot be read raises ValueError with the reason.
"""

from __future__ import annotations

import math
import re

from syncguard.inputs.flags import parse_flag

_CODE = re.compile(r"[A-Z0-9]{5}")
_DIGITS_POINT_ZERO = re.compile(r"\d+\.0+")
_NO_CHARGE_WORDS = ("nc001", "no charge")


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


def text(value: str) -> str:
    return value.strip()


def base_code(value: str) -> str:
    """The CPT / HCPCS code without modifiers: "97161-GP", "97161GP" and "97161 GP" give 97161."""
    upper = value.strip().upper()
    match = _CODE.match(upper)
    return match[0] if match else upper


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


def read_no_charge(value: str) -> bool:
    """The "No Charges This Visit" (NC001) box: yes/no marks, or the words themselves."""
    flag = parse_flag(value)
    if flag is not None:
        return flag
    if any(word in value.casefold() for word in _NO_CHARGE_WORDS):
        return True
    raise ValueError(f"'{value}' is neither yes nor no")
