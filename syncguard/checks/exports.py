"""Row-level logic every WebPT export shares: opening it, and the ID and NPI cells' findings.

A cell is read with the same exact-text rules as a registry import: a damaged value is EXP101
and goes no further; a repaired one is EXP102 and the check carries on with the repaired value;
an NPI that is not ten digits or fails its check digit is NPI001 / NPI002 and is not looked up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from syncguard.checks.context import ExportContext, Proposal
from syncguard.config import ColumnMap
from syncguard.inputs.columns import ColumnIndex, resolve_columns
from syncguard.inputs.kinds import IdKind
from syncguard.normalize import NormalizedValue, ValueStatus, normalize_id
from syncguard.npi import NpiStatus, npi_status
from syncguard.readers import Row, Table, read_table

LABELS = {"alternate_id": "Alternate ID", "npi": "NPI"}


@dataclass(slots=True)
class Export:
    """An opened WebPT export: its rows (streamed once) and where each field's column is."""

    kind: str
    table: Table
    columns: ColumnIndex
    encoding: str | None = None  # as given on the command line; None: detected

    @property
    def name(self) -> str:
        return self.table.source.name


def open_export(kind: str, path: Path, *, columns: ColumnMap, encoding: str | None) -> Export:
    """Open a WebPT export and find its columns (InputError / MissingColumnError if it cannot)."""
    table = read_table(path, encoding=encoding)
    index = resolve_columns(
        table.headers, source="webpt", kind=kind, file_name=table.source.name, overrides=columns
    )
    return Export(kind, table, index, encoding)


def read_cell(ctx: ExportContext, columns: ColumnIndex, row: Row, field: str) -> NormalizedValue:
    """The normalised ID cell of ``field`` (an empty value when the export has no such column)."""
    if not columns.has(field):
        return NormalizedValue("", None, ValueStatus.EMPTY)
    kind = IdKind.NPI if field == "npi" else IdKind.SEQUENCE
    raw = columns.text(row, field)
    is_number, formula = columns.is_number(row, field), columns.fields[field] in row.formulas
    return normalize_id(raw, kind, is_number=is_number, unsaved_formula=formula, rules=ctx.ids)


def cell_findings(
    ctx: ExportContext,
    cell: NormalizedValue,
    field: str,
    row: int,
    record: str,
    *,
    key: str = "",
    proposal: Proposal | None = None,
) -> str | None:
    """EXP101 for a damaged cell, EXP102 for a repaired one; the value to check with, if any.

    ``key`` is the record's stable key when another cell of the row provides it.
    """
    label = LABELS[field]
    if cell.status is ValueStatus.DAMAGED:
        fix = f"{ctx.where(record)}, type the {label} again"
        fix += f" ({proposal.phrase})" if proposal else ""
        ctx.add(
            "EXP101",
            row=row,
            record=record,
            key=key,
            value=cell.raw,
            expected=f"the {label} as typed, not converted by a spreadsheet",
            message=f"The {label} '{cell.raw}' is damaged: {cell.reason}.",
            fix=f"{fix}, or re-export the list with the {label} column formatted as Text.",
            suggestion=proposal.value if proposal else None,
            score=proposal.score if proposal else None,
        )
    elif cell.status is ValueStatus.REPAIRED and cell.value is not None:
        ctx.add(
            "EXP102",
            row=row,
            record=record,
            key=key or cell.value,
            value=cell.raw,
            expected=cell.value,
            message=f"The {label} '{cell.raw}' needed repair ({cell.reason}); "
            f"it was checked as {cell.value}.",
            fix=f"{ctx.where(record)}, retype the {label} as {cell.value} "
            "(no change needed if only the exported file was altered).",
        )
    return cell.value


def valid_npi(
    ctx: ExportContext,
    npi: str,
    row: int,
    record: str,
    key: str,
    *,
    proposal: Proposal | None = None,
) -> bool:
    """Whether ``npi`` is a valid NPI; NPI001 / NPI002 when it is not."""
    status = npi_status(npi)
    if status is NpiStatus.VALID:
        return True
    if status is NpiStatus.MALFORMED:
        code, expected = "NPI001", "10 digits"
        problem = f"has {len(npi)} digits" if npi.isdigit() else "is not all digits"
    else:
        code, problem = "NPI002", "fails its check digit (a digit is mistyped or swapped)"
        expected = "an NPI whose check digit is valid"
    ctx.add(
        code,
        row=row,
        record=record,
        key=key or record,
        value=npi,
        expected=expected,
        message=f"The NPI {npi} {problem}, so it identifies no {ctx.noun}.",
        fix=f"{ctx.where(record)}, enter the NPI listed for this {ctx.noun} in the NPPES NPI "
        f"Registry{f' ({proposal.phrase})' if proposal else ''}.",
        suggestion=proposal.value if proposal else None,
        score=proposal.score if proposal else None,
    )
    return False
