"""Read each balance input into typed line records, without its totals and separator rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from syncguard.balance import cells
from syncguard.balance.columns import BILLING, EMR, POS_STATS, ReportSpec
from syncguard.balance.frames import ROW, RawFrame, load_frame
from syncguard.balance.resolve import ColumnOverrides
from syncguard.errors import InputError
from syncguard.findings import InputSummary

NO_CHARGE_CODE = "NORCM"
_CODE_HINT = "check the CPT Code column of that row"
_UNITS_HINT = "units must be a number; check that row"


@dataclass(frozen=True, slots=True)
class Source:
    """One input: its file, its typed line records, and how many rows were left out."""

    kind: str
    raw: RawFrame
    lines: pl.DataFrame
    skipped: int = 0

    @property
    def name(self) -> str:
        return self.raw.source.name

    def summary(self) -> InputSummary:
        source = self.raw.source
        return InputSummary(self.kind, source.name, source.sha256, self.lines.height)


def data_rows(
    kind: str,
    path: Path,
    spec: ReportSpec,
    overrides: ColumnOverrides,
    *,
    dated_by: tuple[str, str],
    required: tuple[str, ...] = (),
) -> tuple[RawFrame, pl.DataFrame, int]:
    """The rows of a report that hold data, ``dated_by`` (field, target) read as a date.

    Rows without that date (blank separators, totals) are counted and left out; a data row
    missing a ``required`` value is an InputError naming it.
    """
    raw = load_frame(path, spec, overrides)
    frame, skipped = cells.split_rows(raw, raw.frame, *dated_by)
    for field in required:
        frame = cells.strip_column(frame, field)
        empty = frame.filter(pl.col(field) == "")
        if empty.height:
            label = next(f.label for f in spec.fields if f.name == field)
            raise InputError(
                f'{raw.source.name} row {empty.get_column(ROW)[0]}: no "{label}" ({kind})',
                hint="every data row needs one; fix the row or export the report again",
            )
    return raw, frame, skipped


def has(raw: RawFrame, field: str) -> bool:
    return field in raw.resolved.columns


def read_emr(path: Path, overrides: ColumnOverrides) -> Source:
    """WebPT's Billing Report, line by line: visits by Finalized Date, NORCM / NC001 marked.

    A line without a Finalized Date belongs to a note that is not finalized; it is kept with a
    null ``fin`` so that the balance can count it, and never counted as a visit.
    """
    raw, frame, skipped = data_rows(
        "emr",
        path,
        EMR,
        overrides,
        dated_by=("date_of_service", "dos"),
        required=("patient", "location"),
    )
    frame = _codes_and_units(raw, frame)
    frame = cells.map_dates(raw, frame, "finalized_date", "fin")
    frame = cells.map_identifiers(frame, "patient", "account")
    no_charge = pl.col("code") == NO_CHARGE_CODE
    if has(raw, "no_charge"):
        frame = cells.map_column(
            raw,
            frame,
            cells.read_no_charge,
            field="no_charge",
            target="nc_box",
            dtype=pl.Boolean(),
            hint="use Yes / No (or leave the cell empty)",
        )
        no_charge = no_charge | pl.col("nc_box")
    lines = frame.select(
        ROW,
        pl.col("account").alias("patient"),
        "dos",
        "fin",
        "location",
        "code",
        "units",
        no_charge.alias("nc"),
        "cpt_code",
        *modifier_columns(frame),
    )
    return Source("emr", raw, lines, skipped)


def read_billing(path: Path, overrides: ColumnOverrides) -> Source:
    """RevFlow / WebPT Billing charge lines: visits by Created Date (``charge_date``)."""
    raw, frame, skipped = data_rows(
        "billing",
        path,
        BILLING,
        overrides,
        dated_by=("date_of_service", "dos"),
        required=("patient", "place_of_service", "created_date"),
    )
    frame = _codes_and_units(raw, frame)
    frame = cells.map_dates(raw, frame, "created_date", "created")
    frame = cells.map_identifiers(frame, "patient", "account")
    frame = cells.map_identifiers(frame, "place_of_service", "pos")
    lines = frame.select(
        ROW,
        pl.col("account").alias("patient"),
        "dos",
        "created",
        "pos",
        "code",
        "units",
        "cpt_code",
        *modifier_columns(frame),
    )
    return Source("billing", raw, lines, skipped)


def read_pos_stats(path: Path, overrides: ColumnOverrides) -> Source:
    """POS Summary Charge Stats: visits, units and new visits per place of service and day."""
    raw, frame, skipped = data_rows(
        "pos-stats",
        path,
        POS_STATS,
        overrides,
        dated_by=("date", "day"),
        required=("place_of_service",),
    )
    frame = cells.map_identifiers(frame, "place_of_service", "pos")
    columns: list[str | pl.Expr] = [ROW, "pos", "day"]
    for field in ("visits", "units", "new"):
        if has(raw, field):
            frame = cells.map_column(
                raw,
                frame,
                cells.read_count,
                field=field,
                target=f"{field}_n",
                dtype=pl.Float64(),
                hint="totals must be numbers; check that row",
            )
            columns.append(pl.col(f"{field}_n").alias(field))
        else:
            columns.append(pl.lit(0.0).alias(field))
    return Source("pos-stats", raw, frame.select(columns), skipped)


def _codes_and_units(raw: RawFrame, frame: pl.DataFrame) -> pl.DataFrame:
    frame = cells.map_column(
        raw,
        frame,
        cells.base_code,
        field="cpt_code",
        target="code",
        dtype=pl.String(),
        hint=_CODE_HINT,
    )
    return cells.map_column(
        raw,
        frame,
        cells.read_units,
        field="units",
        target="units",
        dtype=pl.Float64(),
        hint=_UNITS_HINT,
    )


def modifier_columns(frame: pl.DataFrame) -> list[str]:
    return [name for name in frame.columns if name.startswith("modifier_")]


def billed_code(frame: pl.DataFrame) -> pl.Expr:
    """The code as billed, with its modifiers (97161-GP), for the few visits listed."""
    parts = [pl.col("cpt_code"), *(pl.col(name) for name in modifier_columns(frame))]
    cleaned = [pl.when(part.str.strip_chars() != "").then(part.str.strip_chars()) for part in parts]
    return pl.concat_str(cleaned, separator="-", ignore_nulls=True).alias("billed_code")
