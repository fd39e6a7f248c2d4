"""Lines into visits (distinct patient + date of service + place), and the two sides matched.

A visit's EMR date is its Finalized Date; its billing date is the Created Date of its first
charge. Visits are matched on account number, date of service and place of service.
"""

from __future__ import annotations

import polars as pl

from syncguard.balance.inputs import billed_code

KEY = ["patient", "dos", "pos"]


def emr_visits(
    lines: pl.DataFrame, new_codes: tuple[str, ...], *, exact: bool = False
) -> pl.DataFrame:
    """Finalized EMR visits: ``fin``, ``nc`` (any NORCM line or NC001), units, new units."""
    is_new = pl.col("code").is_in(list(new_codes))
    aggregates = [
        pl.col("pos").first(),
        pl.col("fin").max(),
        pl.col("row").min(),
        pl.col("nc").any(),
        pl.col("units").sum(),
        pl.col("units").filter(is_new).sum().alias("new"),
    ]
    finalized = lines.lazy().filter(pl.col("fin").is_not_null())
    return grouped(finalized, ["patient", "dos", "location"], aggregates, exact=exact)


def billing_visits(
    lines: pl.DataFrame, new_codes: tuple[str, ...], *, exact: bool = False
) -> pl.DataFrame:
    """Billing visits: ``created`` (first charge), the charges' units and new units."""
    is_new = pl.col("code").is_in(list(new_codes))
    aggregates = [
        pl.col("created").min(),
        pl.col("row").min().alias("row_b"),
        pl.col("units").sum().alias("units_b"),
        pl.col("units").filter(is_new).sum().alias("new_b"),
    ]
    return grouped(lines.lazy(), KEY, aggregates, exact=exact)


def grouped(
    lines: pl.LazyFrame, keys: list[str], aggregates: list[pl.Expr], *, exact: bool = False
) -> pl.DataFrame:
    """``lines`` grouped by ``keys``, through a 64-bit hash of them (much faster than the text).

    A second, independent hash checks every group; on a collision (about once in 10^10 runs
    of a year's data) the grouping is done on the keys themselves. ``exact`` always does.
    """
    if not exact:
        key = pl.struct(keys)
        result = (
            lines.with_columns(key.hash(seed=0).alias("_group"), key.hash(seed=1).alias("_check"))
            .group_by("_group")
            .agg(
                *(pl.col(name).first() for name in keys),
                *aggregates,
                (pl.col("_check").min() == pl.col("_check").max()).alias("_single"),
            )
            .collect()
        )
        if result.get_column("_single").all():
            return result.drop("_group", "_single")
    return lines.group_by(keys).agg(aggregates).collect()


def mark_held(visits: pl.DataFrame, held: pl.DataFrame | None) -> pl.DataFrame:
    """``held``: the visit's charges wait on the rejection summary (the entry's patient and
    date of service, or any visit of the patient when the entry has no date)."""
    if held is None or held.height == 0:
        return visits.with_columns(pl.lit(False).alias("held"))
    exact = held.filter(pl.col("dos").is_not_null()).select("patient", "dos").unique()
    whole = held.filter(pl.col("dos").is_null()).get_column("patient").unique()
    marked = visits.join(
        exact.with_columns(pl.lit(True).alias("_held")), on=["patient", "dos"], how="left"
    )
    flag = pl.col("_held").fill_null(False) | pl.col("patient").is_in(whole.implode())
    return marked.with_columns(flag.alias("held")).drop("_held")


def match(emr: pl.DataFrame, billing: pl.DataFrame, *, exact: bool = False) -> pl.DataFrame:
    """Every visit of either side, once: EMR columns null when only billing has it, and
    ``created`` null when only the EMR has it. Joined on a hash of the key, checked by a
    second hash (see ``grouped``)."""
    if not exact:
        key = pl.struct(KEY)
        hashes = [key.hash(seed=0).alias("_match"), key.hash(seed=1).alias("_check")]
        left = emr.with_columns(hashes)
        right = billing.with_columns(hashes).rename({name: f"{name}_b" for name in KEY})
        joined = left.join(right, on="_match", how="full", coalesce=True, suffix="_b")
        agree = pl.col("_check").is_null() | pl.col("_check_b").is_null()
        if joined.select((agree | (pl.col("_check") == pl.col("_check_b"))).all()).item():
            keys = [pl.coalesce(name, f"{name}_b").alias(name) for name in KEY]
            return joined.with_columns(keys).drop(
                "_match", "_check", "_check_b", *(f"{name}_b" for name in KEY)
            )
    return emr.join(billing, on=KEY, how="full", coalesce=True)


def codes_of(lines: pl.DataFrame, visits: pl.DataFrame) -> dict[tuple[str, object, str], str]:
    """The billed codes of a few visits, "97161-GP, 97110 x2", keyed by (patient, dos, pos)."""
    if visits.height == 0:
        return {}
    # Narrow by account first: a few visits against a year of lines.
    accounts = visits.get_column("patient").unique().implode()
    picked = lines.filter(pl.col("patient").is_in(accounts))
    picked = picked.join(visits.select(KEY).unique(), on=KEY, how="semi")
    counted = (
        picked.with_columns(billed_code(picked))
        .group_by(*KEY, "billed_code")
        .agg(pl.len().alias("n"), pl.col("row").min())
        .sort("row")
    )
    found: dict[tuple[str, object, str], list[str]] = {}
    for patient, dos, pos, code, count, _row in counted.iter_rows():
        label = code if count == 1 else f"{code} x{count}"
        found.setdefault((patient, dos, pos), []).append(label)
    return {key: ", ".join(labels) for key, labels in found.items()}
