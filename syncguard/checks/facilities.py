"""WebPT facilities: the Alternate ID rules, plus the facility NPI agreeing with CMD's (FAC401)."""

from __future__ import annotations

from syncguard.checks.alternate_ids import AlternateIdCheck, Pointer
from syncguard.checks.context import ExportContext
from syncguard.checks.exports import Export, cell_findings, read_cell, valid_npi
from syncguard.checks.matching import org_key
from syncguard.checks.snapshot import CmdRecord, Snapshot
from syncguard.inputs.kinds import IdKind
from syncguard.normalize import ValueStatus, clean_text


def check_facilities(export: Export, ctx: ExportContext, snapshot: Snapshot) -> int:
    """Check every row of a WebPT facility list; returns the number of data rows."""
    family = AlternateIdCheck(ctx, "FAC", snapshot)
    columns, rows = export.columns, 0
    for row in export.table.rows:
        rows += 1
        name = clean_text(columns.text(row, "name"))
        alt = read_cell(ctx, columns, row, "alternate_id")
        pointer = Pointer(row.number, name, org_key(name), alt)
        if family.is_duplicate(pointer):
            continue
        key = alt.value if alt.value and ctx.ids.is_well_formed(IdKind.SEQUENCE, alt.value) else ""
        npi_cell = read_cell(ctx, columns, row, "npi")
        npi = None
        if npi_cell.status is not ValueStatus.EMPTY:
            npi = cell_findings(ctx, npi_cell, "npi", row.number, name, key=key)
            if npi is not None and not valid_npi(ctx, npi, row.number, name, key):
                npi = None
        record = family.lookup(Pointer(row.number, name, pointer.name_key, alt, npi))
        if record is not None and npi is not None:
            _compare_npi(ctx, row.number, name, npi, record)
    family.finish()
    return rows


def _compare_npi(ctx: ExportContext, row: int, name: str, npi: str, record: CmdRecord) -> None:
    if record.npi is None or record.npi == npi:
        return
    ctx.add(
        "FAC401",
        row=row,
        record=name,
        key=record.sequence,
        value=npi,
        expected=record.npi,
        message=f"WebPT has NPI {npi} for this facility, CMD facility {record.sequence} "
        f"'{record.name}' has {record.npi}.",
        fix=f"Look the facility up in NPPES, then correct the NPI in WebPT > {ctx.menu} > "
        f"'{name}' or in CMD facility {record.sequence}.",
    )
