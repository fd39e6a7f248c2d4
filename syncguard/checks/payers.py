"""WebPT payers: each Alternate ID must be the Sequence Number of the right, active CMD payer."""

from __future__ import annotations

from syncguard.checks.alternate_ids import AlternateIdCheck, Pointer
from syncguard.checks.context import ExportContext
from syncguard.checks.exports import Export, read_cell
from syncguard.checks.matching import org_key
from syncguard.checks.snapshot import Snapshot
from syncguard.normalize import clean_text


def check_payers(export: Export, ctx: ExportContext, snapshot: Snapshot) -> int:
    """Check every row of a WebPT payer list; returns the number of data rows."""
    family = AlternateIdCheck(ctx, "PAY", snapshot)
    columns, rows = export.columns, 0
    for row in export.table.rows:
        rows += 1
        name = clean_text(columns.text(row, "name"))
        alt = read_cell(ctx, columns, row, "alternate_id")
        pointer = Pointer(row.number, name, org_key(name), alt)
        if not family.is_duplicate(pointer):
            family.lookup(pointer)
    family.finish()
    return rows
