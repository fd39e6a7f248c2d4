"""Day-by-day differences that the following days cancel: a date shift, not a loss.

A charge held on the rejection summary is finalized on 11/4 and created on 11/5: day one is a
visit short, day two a visit over, and the week balances. Where visits cannot be matched one
by one (totals only), and for new patients always, such runs are recognised by their sum: a
run of days whose differences add up to zero is explained; what follows the last such run is
not (yet).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

from syncguard.balance.model import BalanceOptions, PeriodRow

_EPSILON = 1e-9


def cancelling(values: list[float]) -> list[float]:
    """For each day, how much of its difference the run of days around it cancels."""
    explained = [0.0] * len(values)
    run_start, running = 0, 0.0
    for index, value in enumerate(values):
        running += value
        if abs(running) < _EPSILON:
            explained[run_start : index + 1] = values[run_start : index + 1]
            run_start, running = index + 1, 0.0
    return explained


def cancel_shifts(
    rows: list[PeriodRow], options: BalanceOptions, *, visits_too: bool
) -> list[PeriodRow]:
    """``rows`` with day-to-day shifts explained (a week balance needs none: it is the week)."""
    if options.by != "day":
        return rows
    result: list[PeriodRow] = []
    for _, group in groupby(rows, key=lambda row: row.place):
        days = list(group)
        new = cancelling([row.new_unexplained for row in days])
        visits = cancelling([float(row.unexplained) for row in days]) if visits_too else None
        for index, row in enumerate(days):
            changed = replace(row, new_explained=row.new_explained + new[index])
            if visits is not None:
                changed = replace(changed, cancelled=round(visits[index]))
            result.append(changed)
    return result
