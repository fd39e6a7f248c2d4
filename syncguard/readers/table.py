"""What every reader returns: the headers and the rows of one file, each cell as its text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

NO_CELLS: frozenset[int] = frozenset()
NO_NUMERIC_CELLS = NO_CELLS


@dataclass(frozen=True, slots=True)
class SourceFile:
    """An input file as reports and the change log name it."""

    path: Path
    name: str
    sha256: str


class Row(NamedTuple):
    """One data row. ``number`` is the spreadsheet row number (the header is row 1).

    ``values`` holds the text of every cell, padded with "" to the header's width. ``numeric``
    holds the indexes of cells an XLSX file stored as numbers, ``formulas`` those of cells
    holding a formula whose result was never saved (their text is ""); both are always empty
    for CSV.
    """

    number: int
    values: tuple[str, ...]
    numeric: frozenset[int] = NO_NUMERIC_CELLS
    formulas: frozenset[int] = NO_CELLS

    def is_unsaved_formula(self, index: int) -> bool:
        """Whether cell ``index`` holds a formula whose result was never saved."""
        return index in self.formulas


@dataclass(slots=True)
class Table:
    """A file's headers and rows. ``rows`` may be a one-shot iterator: iterate it once.

    ``title_lines`` holds the text of the lines a report download carries above its header
    (report name, practice, "Date Range: ..."), which the reader skipped; usually none.
    """

    source: SourceFile
    headers: tuple[str, ...]
    rows: Iterator[Row]
    title_lines: tuple[str, ...] = ()
