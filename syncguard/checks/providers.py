"""WebPT rendering providers: the Alternate ID rules, plus the NPI CMD's interface requires to
match (REN401, REN402)."""

from __future__ import annotations

from syncguard.checks.alternate_ids import AlternateIdCheck, Pointer
from syncguard.checks.context import ExportContext
from syncguard.checks.exports import Export, cell_findings, read_cell, valid_npi
from syncguard.checks.matching import person_key
from syncguard.checks.snapshot import CmdRecord, Snapshot
from syncguard.inputs.kinds import IdKind
from syncguard.names import person_display
from syncguard.normalize import NormalizedValue, ValueStatus


def check_providers(export: Export, ctx: ExportContext, snapshot: Snapshot) -> int:
    """Check every row of a WebPT provider list; returns the number of data rows."""
    family = AlternateIdCheck(ctx, "REN", snapshot)
    columns, rows = export.columns, 0
    for row in export.table.rows:
        rows += 1
        last, first = columns.name_parts(row)
        name = person_display(last, first)
        alt = read_cell(ctx, columns, row, "alternate_id")
        pointer = Pointer(row.number, name, person_key(last, first), alt)
        if family.is_duplicate(pointer):
            continue
        key = alt.value if alt.value and ctx.ids.is_well_formed(IdKind.SEQUENCE, alt.value) else ""
        npi = _npi(ctx, read_cell(ctx, columns, row, "npi"), row.number, name, key)
        record = family.lookup(Pointer(row.number, name, pointer.name_key, alt, npi))
        if record is not None and npi is not None:
            _compare_npi(ctx, row.number, name, npi, record)
    family.finish()
    return rows


def _npi(ctx: ExportContext, cell: NormalizedValue, row: int, name: str, key: str) -> str | None:
    """The row's valid NPI, after REN402 / EXP101 / EXP102 / NPI001 / NPI002 as they apply."""
    if cell.status is ValueStatus.EMPTY:
        ctx.add(
            "REN402",
            row=row,
            record=name,
            key=key,
            value="",
            expected="the provider's NPI",
            message="The NPI is empty; CMD's interface requires the rendering provider's NPI "
            "to match CMD's.",
            fix=f"{ctx.where(name)}, enter the provider's NPI (the one CMD has).",
        )
        return None
    npi = cell_findings(ctx, cell, "npi", row, name, key=key)
    return npi if npi is not None and valid_npi(ctx, npi, row, name, key) else None


def _compare_npi(ctx: ExportContext, row: int, name: str, npi: str, record: CmdRecord) -> None:
    if record.npi == npi:
        return
    cmd_npi = record.npi or "no NPI"
    ctx.add(
        "REN401",
        row=row,
        record=name,
        key=record.sequence,
        value=npi,
        expected=record.npi or "",
        message=f"WebPT has NPI {npi} for this provider, CMD provider {record.sequence} "
        f"'{record.name}' has {cmd_npi}.",
        fix=f"Check the provider in NPPES, then correct the NPI (or the Alternate ID) in "
        f"WebPT > {ctx.menu} > '{name}', or the NPI of CMD provider {record.sequence}.",
    )
