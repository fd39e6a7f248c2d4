"""WebPT referring providers, matched to CMD's by NPI: the hot path of a million-row check.

Per row: one NPI normalisation (a fast path for clean digits), one dict lookup, and a name
comparison that is an exact string test unless the names differ in form. Rows whose NPI is
unusable or unknown are kept aside and resolved after the last row, against the CMD providers
no row matched: that is where "CMD has this name under another NPI" is looked for, and a CMD
provider claimed that way is not reported again as missing in WebPT.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncguard.checks.context import ExportContext
from syncguard.checks.exports import Export, cell_findings
from syncguard.checks.matching import person_key, same_person, similarity
from syncguard.checks.referring_rest import Leftover, resolve_leftovers
from syncguard.checks.snapshot import SEP, ReferringKind
from syncguard.kinds import IdKind
from syncguard.names import person_display
from syncguard.normalize import NormalizedValue, ValueStatus, normalize_id
from syncguard.npi import NpiStatus, npi_status
from syncguard.readers import Row


def check_referring(export: Export, ctx: ExportContext, cmd: ReferringKind) -> int:
    """Check every row of a WebPT referring-provider list; returns the number of data rows."""
    seen: dict[str, str] = {}  # NPI -> "row SEP last SEP first" of the first row carrying it
    leftovers: list[Leftover] = []
    names, inactive = cmd.names, cmd.inactive
    rows = 0
    npi_column = export.columns.fields["npi"]
    for number, last, first, raw, numeric in _cells(export, npi_column):
        rows += 1
        cell = normalize_id(raw, IdKind.NPI, is_number=numeric, rules=ctx.ids)
        npi = cell.value
        if cell.status is not ValueStatus.CLEAN:
            npi = _unclean(ctx, cell, number, last, first, leftovers)
        if npi is None:
            continue
        if npi_status(npi) is not NpiStatus.VALID:
            leftovers.append(Leftover("invalid", number, last, first, npi))
            continue
        first_row = seen.get(npi)
        if first_row is not None:
            _repeated(ctx, npi, number, last, first, first_row)
            continue
        seen[npi] = f"{number}{SEP}{last}{SEP}{first}"
        packed = names.get(npi)
        if packed is None:
            leftovers.append(Leftover("unknown", number, last, first, npi))
        elif npi in inactive:
            _inactive(ctx, npi, number, last, first, packed)
        elif packed != f"{last}{SEP}{first}":
            _compare_names(ctx, npi, number, last, first, packed)
    resolve_leftovers(ctx, cmd, leftovers, seen)
    return rows


def _cells(export: Export, npi_column: int) -> Iterator[tuple[int, str, str, str, bool]]:
    """(row number, last, first, raw NPI, NPI cell stored as a number) for every row."""
    columns = export.columns
    last_column = columns.fields.get("last_name")
    first_column = columns.fields.get("first_name")
    row: Row
    for row in export.table.rows:
        values = row.values
        numeric = bool(row.numeric) and npi_column in row.numeric
        if last_column is None:
            last, first = columns.name_parts(row)
        else:
            last = values[last_column].strip()
            first = values[first_column].strip() if first_column is not None else ""
        yield row.number, last, first, values[npi_column], numeric


def _unclean(
    ctx: ExportContext,
    cell: NormalizedValue,
    number: int,
    last: str,
    first: str,
    leftovers: list[Leftover],
) -> str | None:
    if cell.status is ValueStatus.REPAIRED:
        return cell_findings(ctx, cell, "npi", number, person_display(last, first))
    reason = "missing" if cell.status is ValueStatus.EMPTY else "damaged"
    leftovers.append(Leftover(reason, number, last, first, cell.raw, cell.reason))
    return None


def _repeated(
    ctx: ExportContext, npi: str, number: int, last: str, first: str, first_row: str
) -> None:
    """EXP201 for the same provider listed again; REF202 for another provider with this NPI."""
    row_text, last0, first0 = first_row.split(SEP)
    record, other = person_display(last, first), person_display(last0, first0)
    if same_person(last, first, last0, first0):
        ctx.add(
            "EXP201",
            row=number,
            record=record,
            key=npi,
            value=npi,
            expected=f"one entry (row {row_text})",
            message=f"'{record}' with NPI {npi} already appears on row {row_text}.",
            fix=f"In WebPT > {ctx.menu}, merge or inactivate one of the two entries.",
        )
        return
    ctx.add(
        "REF202",
        row=number,
        record=record,
        key=npi,
        value=npi,
        expected="one referring provider per NPI",
        message=f"'{record}' carries NPI {npi}, as does '{other}' (row {row_text}).",
        fix=f"Look both up in the NPPES NPI Registry and correct the wrong NPI in WebPT > "
        f"{ctx.menu} ('{record}' or '{other}').",
    )


def _inactive(
    ctx: ExportContext, npi: str, number: int, last: str, first: str, packed: str
) -> None:
    record, cmd_name = person_display(last, first), person_display(*packed.split(SEP))
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


def _compare_names(
    ctx: ExportContext, npi: str, number: int, last: str, first: str, packed: str
) -> None:
    cmd_last, cmd_first = packed.split(SEP)
    score = similarity(person_key(last, first), person_key(cmd_last, cmd_first))
    threshold = ctx.check.name_threshold
    if score >= threshold:
        return
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
        fix=f"Check NPI {npi} in the NPPES NPI Registry, then correct it on the wrong record: "
        f"WebPT > {ctx.menu} > '{record}', or CMD's '{cmd_name}'.",
        score=score,
    )
