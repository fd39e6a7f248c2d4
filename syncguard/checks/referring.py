"""WebPT referring providers, matched to CMD's by NPI, a column at a time.

A million-row list is classified by polars: each row's NPI is looked up in CMD's referring
providers with one join, and the rows that need no finding (a known, active NPI, first seen on
this row, under the same name or a name that is the same in another form) never reach Python.
The other rows go through the functions below, one at a time, as before:

- an NPI cell that is not ten plain digits is normalised (EXP102 when repaired; an empty,
  damaged or invalid one is set aside);
- a CMD NPI seen before in the list is a duplicate row (EXP201) or a shared NPI (REF202);
- an inactive CMD provider is REF102; a name that differs even as a key is compared (REF201);
- an NPI CMD does not know is set aside, unless it repeats the same provider (EXP201).

The rows set aside are resolved after the last row against the active CMD providers no row
matched (see ``referring_rest``). Findings come out in the order a row-by-row pass gives them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from syncguard.checks.context import ExportContext
from syncguard.checks.exports import Export, cell_findings
from syncguard.checks.matching import person_keys, same_person
from syncguard.checks.referring_rest import Leftover, resolve_leftovers
from syncguard.checks.referring_rows import FIRST, FORMULA, LAST, NUMERIC, RAW, referring_rows
from syncguard.checks.snapshot import ReferringRecords
from syncguard.inputs.kinds import IdKind
from syncguard.names import person_display
from syncguard.normalize import NormalizedValue, ValueStatus, normalize_id
from syncguard.npi import NpiStatus, npi_status
from syncguard.readers.columnar import ROW

if TYPE_CHECKING:
    import polars as pl

NPI, CMD_LAST, CMD_FIRST, INACTIVE = "npi", "last_name", "first_name", "inactive"
FIRST_SEEN = "first_seen"  # the first row of the list that carries its NPI
NUMBER = "npi_number"
AT = "cmd_at"  # the position of the matching CMD record in CMD's frame
TEN_DIGITS = r"^[0-9]{10}$"


def npi_number(npi: pl.Expr) -> pl.Expr:
    """A ten-digit NPI as a number (null for any other text): column ``npi_number``."""
    import polars as pl

    number = pl.when(npi.str.contains(TEN_DIGITS)).then(npi.cast(pl.UInt64, strict=False))
    return number.alias(NUMBER)


def check_referring(export: Export, ctx: ExportContext, cmd: ReferringRecords) -> int:
    """Check every row of a WebPT referring-provider list; returns the number of data rows."""
    import polars as pl

    rows = referring_rows(export)
    start = len(ctx.findings)
    leftovers: list[Leftover] = []
    usable = _with_npi(rows, ctx, leftovers).filter(pl.col(NPI).is_not_null())
    # NPIs are joined and compared as numbers, much faster than as text; only ten-digit
    # NPIs get one (CMD holds no other), so no two distinct NPIs share a number.
    number = npi_number(pl.col(NPI))
    usable = usable.with_columns(number, number.is_first_distinct().alias(FIRST_SEEN))
    cmd_frame = cmd.frame.with_columns(number)
    matched = usable.join(
        cmd_frame.select(NUMBER, CMD_LAST, CMD_FIRST, INACTIVE, pl.int_range(pl.len()).alias(AT)),
        on=NUMBER,
        how="left",
        maintain_order="left",
    )
    # Each group of rows is picked by a mask computed in one pass (a filter by expression
    # would evaluate it again over every row).
    known, first_seen, inactive = pl.col(AT).is_not_null(), pl.col(FIRST_SEEN), pl.col(INACTIVE)
    same_text = (pl.col(LAST) == pl.col(CMD_LAST)) & (pl.col(FIRST) == pl.col(CMD_FIRST))
    masks = matched.select(
        (known & ~first_seen).alias("repeat"),
        (known & first_seen & inactive).alias("inactive"),
        (known & first_seen & ~inactive & ~same_text).alias("differ"),
        (~known).alias("unknown"),
    )
    _repeats(ctx, matched.filter(masks["repeat"]), usable)
    _inactive(ctx, matched.filter(masks["inactive"]))
    _compare_names(ctx, matched.filter(masks["differ"]))
    _unknown(ctx, matched.filter(masks["unknown"]), leftovers)
    # Each rule above ran over its own rows: put the findings back in row order.
    ctx.findings[start:] = sorted(ctx.findings[start:], key=lambda finding: finding.row or 0)
    seen = pl.int_range(cmd_frame.height, eager=True).is_in(matched.get_column(AT).implode())
    unmatched = cmd_frame.filter(~seen & ~cmd_frame.get_column(INACTIVE))
    people = zip(unmatched[CMD_LAST].to_list(), unmatched[CMD_FIRST].to_list(), strict=True)
    names = dict(zip(unmatched[NPI].to_list(), people, strict=True))
    resolve_leftovers(ctx, names, sorted(leftovers, key=lambda item: item.row))
    return rows.height


def _with_npi(rows: pl.DataFrame, ctx: ExportContext, leftovers: list[Leftover]) -> pl.DataFrame:
    """``rows`` with column ``npi``: the cell itself when it is ten plain digits (the common
    case), else its normalised value (EXP102 when repaired), or null with the row set aside."""
    import polars as pl

    plain = rows.select(~pl.col(NUMERIC) & pl.col(RAW).str.contains(TEN_DIGITS)).to_series()
    odd = plain.not_().arg_true()
    repaired: list[str | None] = []
    for number, last, first, raw, numeric, formula in (
        rows[odd].select(ROW, LAST, FIRST, RAW, NUMERIC, FORMULA).iter_rows()
    ):
        cell = normalize_id(
            raw, IdKind.NPI, is_number=numeric, unsaved_formula=formula, rules=ctx.ids
        )
        repaired.append(_usable(ctx, cell, number, last, first, leftovers))
    npi = rows.get_column(RAW).clone().scatter(odd, pl.Series(repaired, dtype=pl.String))
    return rows.with_columns(npi.alias(NPI))


def _usable(
    ctx: ExportContext,
    cell: NormalizedValue,
    number: int,
    last: str,
    first: str,
    leftovers: list[Leftover],
) -> str | None:
    """The NPI to check with (EXP102 when repaired), or None with the row set aside."""
    if cell.status is ValueStatus.CLEAN:
        return cell.value
    if cell.status is ValueStatus.REPAIRED:
        return cell_findings(ctx, cell, "npi", number, person_display(last, first))
    reason = "missing" if cell.status is ValueStatus.EMPTY else "damaged"
    leftovers.append(Leftover(reason, number, last, first, cell.raw, cell.reason))
    return None


def _repeats(ctx: ExportContext, repeats: pl.DataFrame, usable: pl.DataFrame) -> None:
    """EXP201 or REF202 for each later row carrying an NPI that CMD knows."""
    import polars as pl

    if repeats.is_empty():
        return
    later = repeats.select(NPI, ROW, LAST, FIRST)
    repeated = pl.col(NUMBER).is_in(repeats.get_column(NUMBER).implode())
    firsts = usable.filter(pl.col(FIRST_SEEN) & repeated).select(
        NPI, pl.col(ROW).alias("row0"), pl.col(LAST).alias("last0"), pl.col(FIRST).alias("first0")
    )
    pairs = later.join(firsts, on=NPI, how="left", maintain_order="left")
    for npi, number, last, first, row0, last0, first0 in pairs.iter_rows():
        _repeated(ctx, npi, number, last, first, (row0, last0, first0), shared=True)


def _unknown(ctx: ExportContext, unknown: pl.DataFrame, leftovers: list[Leftover]) -> None:
    """NPIs CMD does not know: invalid (NPI001/NPI002), a duplicate row, or REF101 later."""
    firsts: dict[str, tuple[int, str, str]] = {}
    for number, last, first, npi in unknown.select(ROW, LAST, FIRST, NPI).iter_rows():
        if npi_status(npi) is not NpiStatus.VALID:
            leftovers.append(Leftover("invalid", number, last, first, npi))
            continue
        first_row = firsts.setdefault(npi, (number, last, first))
        if first_row[0] == number or not _repeated(
            ctx, npi, number, last, first, first_row, shared=False
        ):
            leftovers.append(Leftover("unknown", number, last, first, npi))


def _repeated(
    ctx: ExportContext,
    npi: str,
    number: int,
    last: str,
    first: str,
    first_row: tuple[int, str, str],
    shared: bool,
) -> bool:
    """EXP201 for the same provider listed again; REF202 (when ``shared`` applies: CMD knows
    the NPI) for another provider with it. False when neither applies."""
    row0, last0, first0 = first_row
    record, other = person_display(last, first), person_display(last0, first0)
    if same_person(last, first, last0, first0):
        ctx.add(
            "EXP201",
            row=number,
            record=record,
            key=npi,
            value=npi,
            expected=f"one entry (row {row0})",
            message=f"'{record}' with NPI {npi} already appears on row {row0}.",
            fix=f"In WebPT > {ctx.menu}, merge or inactivate one of the two entries.",
        )
        return True
    if not shared:
        return False
    ctx.add(
        "REF202",
        row=number,
        record=record,
        key=npi,
        value=npi,
        expected="one referring provider per NPI",
        message=f"'{record}' carries NPI {npi}, as does '{other}' (row {row0}).",
        fix=f"Look both up in the NPPES NPI Registry and correct the wrong NPI in WebPT > "
        f"{ctx.menu} ('{record}' or '{other}').",
    )
    return True


def _inactive(ctx: ExportContext, rows: pl.DataFrame) -> None:
    for npi, number, last, first, cmd_last, cmd_first in rows.select(
        NPI, ROW, LAST, FIRST, CMD_LAST, CMD_FIRST
    ).iter_rows():
        record, cmd_name = person_display(last, first), person_display(cmd_last, cmd_first)
        ctx.add(
            "REF102",
            row=number,
            record=record,
            key=npi,
            value=npi,
            expected="an active CMD referring provider",
            message=f"NPI {npi} belongs to CMD referring provider '{cmd_name}', which is inactive.",
            fix=f"Reactivate referring provider {npi} in CMD if the physician still refers, or "
            f"inactivate '{record}' in WebPT > {ctx.menu}.",
        )


def _compare_names(ctx: ExportContext, rows: pl.DataFrame) -> None:
    """REF201 where the names are not similar enough; names that are the same in another form
    (case, middle initials, credentials...) have equal keys and are dropped by polars."""
    import polars as pl

    keyed = rows.select(
        NPI,
        ROW,
        LAST,
        FIRST,
        CMD_LAST,
        CMD_FIRST,
        person_keys(rows[LAST], rows[FIRST]).alias("key"),
        person_keys(rows[CMD_LAST], rows[CMD_FIRST]).alias("cmd_key"),
    ).filter(pl.col("key") != pl.col("cmd_key"))
    threshold = ctx.check.name_threshold
    for npi, number, last, first, cmd_last, cmd_first, key, cmd_key in keyed.iter_rows():
        score = float(fuzz.ratio(key, cmd_key))
        if score >= threshold:
            continue
        record, cmd_name = person_display(last, first), person_display(cmd_last, cmd_first)
        ctx.add(
            "REF201",
            row=number,
            record=record,
            key=npi,
            value=record,
            expected=cmd_name,
            message=f"NPI {npi} is CMD referring provider '{cmd_name}', whose name differs "
            f"(similarity {score:.0f}, threshold {threshold:g}).",
            fix=f"Check NPI {npi} in the NPPES NPI Registry, then correct it on the wrong "
            f"record: WebPT > {ctx.menu} > '{record}', or CMD's '{cmd_name}'.",
        )
