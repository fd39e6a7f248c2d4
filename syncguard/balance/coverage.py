"""Check that each input covers the balanced range, and say what was left out and why."""

from __future__ import annotations

from datetime import date

import polars as pl

from syncguard.balance.inputs import Source
from syncguard.balance.model import BalanceOptions
from syncguard.errors import InputError


def coverage_notes(source: Source, column: str, what: str, options: BalanceOptions) -> list[str]:
    """Notes about ``source``'s dates; an InputError when none falls inside the range.

    Lines outside the range stay in use: they explain visits whose dates moved across its
    edges (finalized on the last day, created the next).
    """
    dated = source.lines.get_column(column).drop_nulls()
    inside = int(dated.is_between(options.date_from, options.date_to).sum())
    first, last = _bounds(dated)
    span = f"{first} to {last}" if first else "no dates at all"
    if inside == 0:
        raise InputError(
            f"{source.name}: nothing {what} between {options.date_from} and {options.date_to} "
            f"(its {what} dates run {span})",
            hint="export the report for the same dates as --from and --to",
        )
    notes: list[str] = []
    outside = dated.len() - inside
    if outside:
        notes.append(
            f"{source.name}: {outside} lines {what} outside the range ({span}) are used only "
            "to explain visits that moved across its edges"
        )
    if source.skipped:
        notes.append(f"{source.name}: {source.skipped} blank, label or totals rows left out")
    return notes


def unfinalized_note(emr: Source) -> list[str]:
    count = int(emr.lines.get_column("fin").null_count())
    if not count:
        return []
    return [
        f"{emr.name}: {count} lines without a Finalized Date (notes not finalized) are not "
        "counted as visits"
    ]


def _bounds(dated: pl.Series) -> tuple[date | None, date | None]:
    if dated.len() == 0:
        return None, None
    first, last = dated.min(), dated.max()
    assert isinstance(first, date) and isinstance(last, date)
    return first, last
