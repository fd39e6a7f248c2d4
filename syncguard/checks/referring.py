"""WebPT referring providers, matched to CMD's by NPI: the hot path of a million-row check.

Per row: one dict lookup and, when the names differ at all, a name comparison. The lookup
table starts as CMD's NPI -> name map and records, in place, the first row that carries each
NPI, so duplicates and coverage need no second million-entry table. An NPI CMD knows is valid
(the registry import refuses invalid ones), so only unknown NPIs have their check digit
computed. Rows whose NPI is unusable or unknown are set aside and resolved after the last row
(see ``referring_rest``).
"""

from __future__ import annotations

from collections.abc import Iterator

from syncguard.checks.context import ExportContext
from syncguard.checks.exports import Export, cell_findings
from syncguard.checks.matching import person_key, same_person, similarity
from syncguard.checks.referring_rest import Leftover, resolve_leftovers
from syncguard.checks.snapshot import SEP, ReferringKind, split_packed
from syncguard.kinds import IdKind
from syncguard.names import person_display
from syncguard.normalize import NormalizedValue, ValueStatus, normalize_id
from syncguard.npi import NPI_LENGTH, NpiStatus, npi_status

SEEN = "\x1e"  # marks a lookup value as "first row carrying this NPI", not a CMD name


def check_referring(export: Export, ctx: ExportContext, cmd: ReferringKind) -> int:
    """Check every row of a WebPT referring-provider list; returns the number of data rows."""
    state = dict(cmd.names)  # NPI -> CMD name, or SEEN + "row SEP last SEP first"
    unknown: dict[str, str] = {}  # the same for NPIs CMD does not know
    leftovers: list[Leftover] = []
    inactive, rows = cmd.inactive, 0
    for number, last, first, raw, numeric in _cells(export):
        rows += 1
        npi = raw
        # Ten plain digits in a text cell need no normalisation: the common case, kept fast.
        if numeric or len(raw) != NPI_LENGTH or not (raw.isdigit() and raw.isascii()):
            cell = normalize_id(raw, IdKind.NPI, is_number=numeric, rules=ctx.ids)
            usable = _usable(ctx, cell, number, last, first, leftovers)
            if usable is None:
                continue
            npi = usable
        known = state.get(npi)
        if known is None:
            _not_in_cmd(ctx, npi, number, last, first, unknown, leftovers)
        elif known[0] == SEEN:
            _repeated(ctx, npi, number, last, first, known, shared=True)
        else:
            state[npi] = f"{SEEN}{number}{SEP}{last}{SEP}{first}"
            if npi in inactive:
                _inactive(ctx, npi, number, last, first, known)
            elif known != f"{last}{SEP}{first}":
                _compare_names(ctx, npi, number, last, first, known)
    unmatched = [npi for npi, value in state.items() if value[0] != SEEN and npi not in inactive]
    resolve_leftovers(ctx, cmd, leftovers, unmatched)
    return rows


def _cells(export: Export) -> Iterator[tuple[int, str, str, str, bool]]:
    """(row number, last, first, raw NPI, NPI cell stored as a number) for every row."""
    columns = export.columns
    npi_column = columns.fields["npi"]
    last_column = columns.fields.get("last_name")
    first_column = columns.fields.get("first_name")
    for row in export.table.rows:
        values = row.values
        numeric = bool(row.numeric) and npi_column in row.numeric
        if last_column is None:
            last, first = columns.name_parts(row)
        else:
            last = values[last_column].strip()
            first = values[first_column].strip() if first_column is not None else ""
        yield row.number, last, first, values[npi_column], numeric


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


def _not_in_cmd(
    ctx: ExportContext,
    npi: str,
    number: int,
    last: str,
    first: str,
    unknown: dict[str, str],
    leftovers: list[Leftover],
) -> None:
    """An NPI CMD does not know: invalid (NPI001/NPI002), a duplicate row, or REF101."""
    if npi_status(npi) is not NpiStatus.VALID:
        leftovers.append(Leftover("invalid", number, last, first, npi))
        return
    marker = f"{SEEN}{number}{SEP}{last}{SEP}{first}"
    first_row = unknown.setdefault(npi, marker)
    if first_row is marker or not _repeated(ctx, npi, number, last, first, first_row, False):
        leftovers.append(Leftover("unknown", number, last, first, npi))


def _repeated(
    ctx: ExportContext, npi: str, number: int, last: str, first: str, first_row: str, shared: bool
) -> bool:
    """EXP201 for the same provider listed again; REF202 (when ``shared`` applies: CMD knows
    the NPI) for another provider with it. False when neither applies."""
    row_text, last0, first0 = first_row[1:].split(SEP)
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
        message=f"'{record}' carries NPI {npi}, as does '{other}' (row {row_text}).",
        fix=f"Look both up in the NPPES NPI Registry and correct the wrong NPI in WebPT > "
        f"{ctx.menu} ('{record}' or '{other}').",
    )
    return True


def _inactive(
    ctx: ExportContext, npi: str, number: int, last: str, first: str, packed: str
) -> None:
    record, cmd_name = person_display(last, first), person_display(*split_packed(packed))
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
    cmd_last, cmd_first = split_packed(packed)
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
    )
