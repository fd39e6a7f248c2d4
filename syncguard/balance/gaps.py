"""The visits on one side only, listed so that the admin knows which charges to chase."""

from __future__ import annotations

import polars as pl

from syncguard.balance.model import VisitGap
from syncguard.balance.visits import KEY, codes_of


def find_gaps(
    matched: pl.DataFrame,
    emr_lines: pl.DataFrame | pl.LazyFrame,
    billing_lines: pl.DataFrame,
    emr_start: object,
) -> list[VisitGap]:
    """Billable EMR visits finalized in the range with no billing visit and no hold; billing
    visits created in the range with no EMR visit (or whose EMR visit is a no-charge visit)."""
    billable = ~pl.col("nc").fill_null(False)
    created = pl.col("created").is_not_null()
    in_emr = pl.col("ep").is_not_null() & billable & ~created & ~pl.col("held").fill_null(False)
    finalized = pl.col("fin").is_not_null()
    unknown = ~finalized & (pl.col("dos") >= pl.lit(emr_start))
    in_billing = pl.col("bp").is_not_null() & (unknown | (finalized & ~billable))
    emr_only = matched.filter(in_emr).sort("row")
    billing_only = matched.filter(in_billing).sort("row_b")
    emr_codes = codes_of(emr_lines, emr_only)
    billing_codes = codes_of(billing_lines, billing_only)
    gaps = [
        VisitGap("emr", patient, dos, pos, fin, row, emr_codes.get((patient, dos, pos), ""))
        for patient, dos, pos, fin, row in emr_only.select(*KEY, "fin", "row").iter_rows()
    ]
    gaps += [
        VisitGap(
            "billing",
            patient,
            dos,
            pos,
            created,
            row,
            billing_codes.get((patient, dos, pos), ""),
            no_charge_in_emr=fin is not None,
        )
        for patient, dos, pos, created, row, fin in billing_only.select(
            *KEY, "created", "row_b", "fin"
        ).iter_rows()
    ]
    return gaps
