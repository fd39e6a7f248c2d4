"""Read each balance input into typed line records, without its totals and separator rows."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from syncguard.balance import cells, values
from syncguard.balance.frames import ROW, RawFrame, load_frame
from syncguard.balance.resolve import ColumnOverrides, Resolved
from syncguard.findings import InputSummary
from syncguard.inputs.reports import BILLING, EMR, POS_STATS
from syncguard.readers import SourceFile

NO_CHARGE_CODE = "NORCM"
_CODE_HINT = "check the CPT code"
# Fields of a few hundred distinct cells in a year of lines (see ``load_frame``).
_LINE_FEW = frozenset({"date_of_service", "cpt_code", "modifier", "units"})
_EMR_FEW = _LINE_FEW | {"finalized_date", "location", "no_charge"}
_BILLING_FEW = _LINE_FEW | {"created_date", "place_of_service"}


@dataclass(frozen=True, slots=True)
class Source:
    """One input: its file, its typed line records, and how many rows were left out."""

    kind: str
    source: SourceFile
    resolved: Resolved
    lines: pl.DataFrame
    skipped: int = 0

    @property
    def name(self) -> str:
        return self.source.name

    def summary(self) -> InputSummary:
        return InputSummary(self.kind, self.name, self.source.sha256, self.lines.height)


def has(raw: RawFrame, field: str) -> bool:
    return field in raw.resolved.columns


def typed(
    kind: str,
    raw: RawFrame,
    dated_by: tuple[str, str],
    required: tuple[tuple[str, str], ...],
    columns: list[pl.Expr | str],
) -> Source:
    """The data rows of ``raw`` as ``columns``, in one pass over the frame.

    Rows without a ``dated_by`` date (blank separators, totals) are counted and left out; a
    data row missing a ``required`` value is an InputError naming it.
    """
    field, target = dated_by
    dates, skipped = cells.dated_rows(raw, field)
    data = pl.col(field).is_in([value for value, day in dates.items() if day is not None])
    day = cells.mapped(raw, field, dates, pl.Date(), target)
    lines = raw.frame.lazy().filter(data).select(ROW, day, *columns).collect()
    labels = {target: f"{cells.field_label(raw, name)} ({kind})" for name, target in required}
    cells.refuse_empty(raw.source.name, lines, labels)
    return Source(kind, raw.source, raw.resolved, lines, skipped)


def read_emr(path: Path, overrides: ColumnOverrides) -> Source:
    """WebPT's Billing Report, line by line: visits by Finalized Date, NORCM / NC001 marked.

    A line without a Finalized Date belongs to a note that is not finalized; it keeps a null
    ``fin`` so that the balance can count it, and is never counted as a visit.
    """
    raw = load_frame(path, EMR, overrides, few_valued=_EMR_FEW)
    codes = cells.table(raw, "cpt_code", values.base_code, hint=_CODE_HINT)
    no_charge = pl.col("code") == NO_CHARGE_CODE  # from the base code, once it is read
    columns: list[pl.Expr | str] = []
    if has(raw, "no_charge"):
        box = cells.table(raw, "no_charge", values.read_no_charge, hint="use Yes or No")
        columns.append(cells.mapped(raw, "no_charge", box, pl.Boolean(), "nc_box"))
        no_charge = no_charge | pl.col("nc_box")
    columns += [
        cells.identifiers(raw, "patient", "patient"),
        cells.mapped(
            raw, "finalized_date", cells.date_table(raw, "finalized_date"), pl.Date(), "fin"
        ),
        cells.trimmed(raw, "location", "location"),
        *_codes_and_units(raw, codes),
    ]
    required = (("patient", "patient"), ("location", "location"))
    source = typed("emr", raw, ("date_of_service", "dos"), required, columns)
    lines = source.lines.with_columns(no_charge.alias("nc")).drop("nc_box", strict=False)
    return dataclasses.replace(source, lines=lines)


def read_billing(path: Path, overrides: ColumnOverrides) -> Source:
    """RevFlow / WebPT Billing charge lines: visits by Created Date (``charge_date``)."""
    raw = load_frame(path, BILLING, overrides, few_valued=_BILLING_FEW)
    columns: list[pl.Expr | str] = [
        cells.identifiers(raw, "patient", "patient"),
        cells.mapped(
            raw, "created_date", cells.date_table(raw, "created_date"), pl.Date(), "created"
        ),
        cells.identifiers(raw, "place_of_service", "pos", few=True),
        *_codes_and_units(raw, cells.table(raw, "cpt_code", values.base_code, hint=_CODE_HINT)),
    ]
    required = (("patient", "patient"), ("place_of_service", "pos"), ("created_date", "created"))
    return typed("billing", raw, ("date_of_service", "dos"), required, columns)


def read_pos_stats(path: Path, overrides: ColumnOverrides) -> Source:
    """POS Summary Charge Stats: visits, units and new visits per place of service and day."""
    raw = load_frame(path, POS_STATS, overrides)
    columns: list[pl.Expr | str] = [cells.identifiers(raw, "place_of_service", "pos", few=True)]
    for field in ("visits", "units", "new"):
        if has(raw, field):
            counts = cells.table(raw, field, values.read_count, hint="totals must be numbers")
            columns.append(cells.mapped(raw, field, counts, pl.Float64(), field))
        else:
            columns.append(pl.lit(0.0).alias(field))
    return typed("pos-stats", raw, ("date", "day"), (("place_of_service", "pos"),), columns)


def _codes_and_units(raw: RawFrame, codes: dict[str, object]) -> list[pl.Expr | str]:
    """The base code, the units, and the code as billed (with its modifier columns)."""
    units = cells.table(raw, "units", values.read_units, hint="units must be a number")
    modifiers = [name for name in raw.frame.columns if name.startswith("modifier_")]
    return [
        # Categorical: a few hundred codes in a year of lines.
        cells.mapped(raw, "cpt_code", codes, pl.Categorical(), "code"),
        cells.mapped(raw, "units", units, pl.Float64(), "units"),
        "cpt_code",
        *modifiers,
    ]


def billed_code(frame: pl.DataFrame) -> pl.Expr:
    """The code as billed, with its modifiers (97161-GP), for the few visits listed."""
    modifiers = [name for name in frame.columns if name.startswith("modifier_")]
    parts = [pl.col(name).cast(pl.String) for name in ("cpt_code", *modifiers)]
    kept = [pl.when(part.str.strip_chars() != "").then(part.str.strip_chars()) for part in parts]
    return pl.concat_str(kept, separator="-", ignore_nulls=True).alias("billed_code")
