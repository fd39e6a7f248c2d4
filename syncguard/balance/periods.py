"""Periods of a balance: days, or weeks starting on the configured weekday, cut to the range."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from syncguard.balance.model import WEEKDAYS, BalanceOptions


def period_start(day: date, options: BalanceOptions) -> date:
    """The first day of the period holding ``day`` (never before the range starts)."""
    if options.by == "day":
        return day
    offset = (day.weekday() - WEEKDAYS.index(options.week_start)) % 7
    return max(day - timedelta(days=offset), options.date_from)


def period_end(start: date, options: BalanceOptions) -> date:
    if options.by == "day":
        return start
    offset = (start.weekday() - WEEKDAYS.index(options.week_start)) % 7
    return min(start + timedelta(days=6 - offset), options.date_to)


def periods(options: BalanceOptions) -> list[tuple[date, date]]:
    """Every period of the range, in order, as (first day, last day)."""
    found: list[tuple[date, date]] = []
    start = options.date_from
    while start <= options.date_to:
        end = period_end(start, options)
        found.append((start, end))
        start = end + timedelta(days=1)
    return found


def period_of(column: str, options: BalanceOptions) -> pl.Expr:
    """``period_start`` as an expression; null for a day outside the range."""
    day = pl.col(column)
    if options.by == "day":
        start = day
    else:
        # polars numbers weekdays 1 (Monday) to 7; WEEKDAYS.index numbers them 0 to 6.
        offset = (day.dt.weekday() - 1 - WEEKDAYS.index(options.week_start)) % 7
        start = day - pl.duration(days=offset)
        start = pl.max_horizontal(start, pl.lit(options.date_from))
    inside = day.is_between(pl.lit(options.date_from), pl.lit(options.date_to))
    return pl.when(inside).then(start)
