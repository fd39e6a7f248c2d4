"""The balance itself: visits per place of service and period on both sides, the difference,
and how much of it is explained.

With charge lines on the billing side, every visit is matched, so a difference is explained
visit by visit (no charge, held, created in another period) and what is left is listed. With
only POS Summary Charge Stats, the totals are compared, and in a day-by-day balance a
difference that the following days cancel counts as a shift.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import polars as pl

from syncguard.balance import visits
from syncguard.balance.coverage import coverage_notes, unfinalized_note
from syncguard.balance.gaps import find_gaps
from syncguard.balance.inputs import Source
from syncguard.balance.model import Balance, BalanceOptions, PeriodRow, place_order
from syncguard.balance.periods import period_of, periods
from syncguard.balance.places import place_of_service_map
from syncguard.balance.shifts import cancel_shifts

_EMR_TOTALS = ("emr_visits", "no_charge", "late", "held", "emr_units", "emr_new", "new_out")
_BILLING_TOTALS = ("billing_visits", "early", "prior", "billing_units", "billing_new", "new_in")


def compute_balance(
    emr: Source,
    billing: Source | None,
    stats: Source | None,
    held: pl.DataFrame | None,
    options: BalanceOptions,
) -> Balance:
    """Balance ``emr`` against ``billing`` charge lines, or against ``stats`` totals."""
    notes = _notes(emr, billing, stats, options)
    known = set()
    for side in (billing, stats):
        if side is not None:
            known.update(side.lines.get_column("pos").unique().to_list())
    locations = place_of_service_map(
        emr.lines.get_column("location").unique().to_list(),
        options.locations,
        known,
        file_name=emr.name,
    )
    to_place = pl.col("location").replace_strict(locations, return_dtype=pl.Categorical())
    # Lazy: the place is worked out as the lines are grouped (and for the few lines listed).
    emr_lines = emr.lines.lazy().with_columns(to_place.alias("pos"))
    emr_side = visits.mark_held(visits.emr_visits(emr_lines, options.new_patient_codes), held)
    emr_start = emr.lines.get_column("fin").min()
    if billing is not None:
        matched = visits.match(
            emr_side, visits.billing_visits(billing.lines, options.new_patient_codes)
        )
        matched = matched.with_columns(
            period_of("fin", options).alias("ep"), period_of("created", options).alias("bp")
        )
        emr_totals = _emr_totals(matched, by_visit=True)
        billing_totals = _billing_totals(matched, emr_start)
        gaps = find_gaps(matched, emr_lines, billing.lines, emr_start)
    else:
        matched = emr_side.with_columns(period_of("fin", options).alias("ep"))
        emr_totals = _emr_totals(
            matched.with_columns(
                pl.lit(None, pl.Date).alias("created"), pl.lit(None, pl.Date).alias("bp")
            ),
            by_visit=False,
        )
        billing_totals = {}
        gaps = []
    if stats is not None:
        billing_totals = _merge_stats(billing_totals, stats, options, lines=billing is not None)
    rows = _rows(emr_totals, billing_totals, options)
    rows = cancel_shifts(rows, options, visits_too=billing is None)
    daily = _daily(matched, stats if billing is None else None, options)
    mode: Literal["visits", "totals"] = "visits" if billing is not None else "totals"
    return Balance(
        options, mode, rows, daily, gaps, notes, locations, new_from_stats=stats is not None
    )


def _notes(
    emr: Source, billing: Source | None, stats: Source | None, options: BalanceOptions
) -> list[str]:
    notes = coverage_notes(emr, "fin", "finalized", options) + unfinalized_note(emr)
    if billing is not None:
        notes += coverage_notes(billing, "created", "created", options)
    if stats is not None:
        notes += coverage_notes(stats, "day", "dated", options)
    return notes


Totals = dict[tuple[str, date], dict[str, float]]


def _emr_totals(matched: pl.DataFrame, *, by_visit: bool) -> Totals:
    billable = ~pl.col("nc")
    created = pl.col("created").is_not_null()
    elsewhere = (pl.col("bp").is_null() | (pl.col("bp") != pl.col("ep"))).fill_null(True)
    late = billable & created & elsewhere
    held = billable & ~created & pl.col("held")
    frame = (
        matched.lazy()
        .filter(pl.col("ep").is_not_null())
        .group_by("pos", "ep")
        .agg(
            pl.len().alias("emr_visits"),
            pl.col("nc").sum().alias("no_charge"),
            late.sum().alias("late") if by_visit else pl.lit(0).alias("late"),
            held.sum().alias("held"),
            _where(billable, "units").sum().alias("emr_units"),
            _where(billable, "new").sum().alias("emr_new"),
            _where(late | held, "new").sum().alias("new_out"),
        )
    )
    return _keyed(frame, "ep", _EMR_TOTALS)


def _where(condition: pl.Expr, column: str) -> pl.Expr:
    """``column`` where ``condition`` holds, else 0: summed, it keeps the grouping on the
    streaming engine, which a filter inside an aggregation would leave."""
    return pl.when(condition).then(pl.col(column)).otherwise(0.0)


def _billing_totals(matched: pl.DataFrame, emr_start: object) -> Totals:
    finalized = pl.col("fin").is_not_null()
    elsewhere = (pl.col("ep").is_null() | (pl.col("ep") != pl.col("bp"))).fill_null(True)
    early = finalized & ~pl.col("nc").fill_null(False) & elsewhere
    prior = ~finalized & (pl.col("dos") < pl.lit(emr_start))
    frame = (
        matched.lazy()
        .filter(pl.col("bp").is_not_null())
        .group_by("pos", "bp")
        .agg(
            pl.len().alias("billing_visits"),
            early.sum().alias("early"),
            prior.sum().alias("prior"),
            pl.col("units_b").sum().alias("billing_units"),
            pl.col("new_b").sum().alias("billing_new"),
            _where(early, "new_b").sum().alias("new_in"),
        )
    )
    return _keyed(frame, "bp", _BILLING_TOTALS)


def _merge_stats(totals: Totals, stats: Source, options: BalanceOptions, *, lines: bool) -> Totals:
    """POS Summary Charge Stats: its "New" always; its visits and units when no lines exist."""
    frame = (
        stats.lines.lazy()
        .with_columns(period_of("day", options).alias("sp"))
        .filter(pl.col("sp").is_not_null())
        .group_by("pos", "sp")
        .agg(
            pl.col("visits").sum().alias("billing_visits"),
            pl.col("units").sum().alias("billing_units"),
            pl.col("new").sum().alias("billing_new"),
        )
    )
    from_stats = _keyed(frame, "sp", ("billing_visits", "billing_units", "billing_new"))
    merged = {key: dict(values) for key, values in totals.items()}
    for key, values in from_stats.items():
        target = merged.setdefault(key, {})
        target["billing_new"] = values["billing_new"]
        if not lines:
            target["billing_visits"] = values["billing_visits"]
            target["billing_units"] = values["billing_units"]
    if lines:
        for key, target in merged.items():
            if key not in from_stats:
                target["billing_new"] = 0.0
    return merged


def _keyed(query: pl.LazyFrame, period: str, names: tuple[str, ...]) -> Totals:
    frame = query.select("pos", period, *names).collect(engine="streaming")
    return {
        (place, start): {name: float(value or 0) for name, value in zip(names, values, strict=True)}
        for place, start, *values in frame.iter_rows()
    }


def _rows(emr: Totals, billing: Totals, options: BalanceOptions) -> list[PeriodRow]:
    places = sorted({place for place, _ in emr} | {place for place, _ in billing}, key=place_order)
    rows: list[PeriodRow] = []
    for place in places:
        for start, end in periods(options):
            e, b = emr.get((place, start), {}), billing.get((place, start), {})
            rows.append(
                PeriodRow(
                    place=place,
                    start=start,
                    end=end,
                    emr_visits=int(e.get("emr_visits", 0)),
                    no_charge=int(e.get("no_charge", 0)),
                    billing_visits=int(b.get("billing_visits", 0)),
                    late=int(e.get("late", 0)),
                    held=int(e.get("held", 0)),
                    early=int(b.get("early", 0)),
                    prior=int(b.get("prior", 0)),
                    emr_units=e.get("emr_units", 0.0),
                    billing_units=b.get("billing_units", 0.0),
                    emr_new=e.get("emr_new", 0.0),
                    billing_new=b.get("billing_new", 0.0),
                    new_explained=e.get("new_out", 0.0) - b.get("new_in", 0.0),
                )
            )
    return rows


def _daily(
    matched: pl.DataFrame, stats: Source | None, options: BalanceOptions
) -> dict[str, list[tuple[date, int, int]]]:
    """EMR billable visits by finalized day and billing visits by created day, per place."""
    inside = (pl.lit(options.date_from), pl.lit(options.date_to))
    billable = ~pl.col("nc").fill_null(True)
    emr = matched.lazy().filter(pl.col("fin").is_between(*inside) & billable)
    emr = emr.group_by("pos", pl.col("fin").alias("day")).agg(pl.len().cast(pl.Int64).alias("n"))
    if stats is not None:
        billing = stats.lines.lazy().filter(pl.col("day").is_between(*inside))
        billing = billing.group_by("pos", "day").agg(
            pl.col("visits").sum().cast(pl.Int64).alias("n")
        )
    else:
        billing = matched.lazy().filter(pl.col("created").is_between(*inside))
        billing = billing.group_by("pos", pl.col("created").alias("day")).agg(
            pl.len().cast(pl.Int64).alias("n")
        )
    counts: dict[tuple[str, date], list[int]] = {}
    for side, frame in enumerate(pl.collect_all([emr, billing], engine="streaming")):
        for place, day, n in frame.iter_rows():
            counts.setdefault((place, day), [0, 0])[side] = n
    days = [options.date_from + timedelta(days=i) for i in range(options.days)]
    places = sorted({place for place, _ in counts}, key=place_order)
    return {
        place: [(day, *counts.get((place, day), [0, 0])) for day in days]  # type: ignore[misc]
        for place in places
    }
