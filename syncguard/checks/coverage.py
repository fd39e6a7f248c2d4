"""Findings about CMD records as a whole: shared by several WebPT rows, or absent from WebPT."""

from __future__ import annotations

from syncguard.checks.context import ExportContext
from syncguard.checks.snapshot import CmdRecord


def shared_finding(
    ctx: ExportContext, code: str, record: CmdRecord, rows: list[tuple[int, str]]
) -> None:
    """One finding for a CMD record that several WebPT records point at, at the second one."""
    entity, seq = ctx.entity, record.sequence
    listed = ", ".join(f"'{name}' (row {row})" for row, name in rows)
    second_row, second_name = rows[1]
    ctx.add(
        code,
        row=second_row,
        record=second_name,
        key=seq,
        value=seq,
        expected=f"one WebPT {entity} per CMD {entity}",
        message=f"{len(rows)} WebPT {ctx.menu.lower()} point at CMD {entity} {seq} "
        f"'{record.name}': {listed}.",
        fix=f"In WebPT > {ctx.menu}, give each {entity} the Sequence Number of its own CMD "
        f"{entity}, or merge the entries if they are the same {entity}.",
    )


def coverage_finding(ctx: ExportContext, code: str, record: CmdRecord) -> None:
    """An active CMD record no WebPT record points at: located by its key, not by a row."""
    entity, seq = ctx.entity, record.sequence
    ctx.add(
        code,
        record=record.name,
        key=seq,
        expected=f"a WebPT {entity} with Alternate ID {seq}",
        message=f"Active CMD {entity} {seq} '{record.name}' has no WebPT {entity} pointing at it.",
        fix=f"In WebPT > {ctx.menu}, add '{record.name}' with Alternate ID {seq}, or mark CMD "
        f"{entity} {seq} inactive if it is no longer used.",
    )
