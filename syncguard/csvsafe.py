"""Spreadsheet-safe CSV cells: text that Excel or LibreOffice would run as a formula is defused.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
(OWASP "CSV Injection"); a leading apostrophe makes the spreadsheet show it as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """``cell`` with a leading apostrophe when a spreadsheet would treat it as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def neutralise_row(cells: Iterable[str]) -> list[str]:
    return [neutralise(cell) for cell in cells]
