"""Turn a balance into findings: per place and period (VIS1xx-4xx) and per visit (VIS103/104)."""

from __future__ import annotations

from typing import Any

from syncguard.balance.model import Balance, PeriodRow, VisitGap
from syncguard.balance.rules import BALANCE_RULES
from syncguard.findings import Finding, Severity


def period_label(row: PeriodRow) -> str:
    if row.start == row.end:
        return row.start.isoformat()
    return f"{row.start.isoformat()} to {row.end.isoformat()}"


def number(value: float) -> str:
    """1.0 -> "1", 1.5 -> "1.5": units and counts as people write them."""
    return f"{value:g}"


def balance_findings(balance: Balance, *, emr_file: str, billing_file: str) -> list[Finding]:
    """Every finding of a balance, in the order of its table rows, then the visits."""
    found: list[Finding] = []
    for row in balance.rows:
        found += _row_findings(row, balance, emr_file)
    found += [_gap_finding(gap, emr_file, billing_file) for gap in balance.gaps]
    return found


def range_finding(balance: Balance, *, emr_file: str) -> list[Finding]:
    options = balance.options
    if options.days <= options.max_range_days:
        return []
    span = f"{options.date_from.isoformat()} to {options.date_to.isoformat()}"
    return [
        _finding(
            "VIS004",
            record=f"range {span}",
            key=span,
            file=emr_file,
            message=f"the range covers {options.days} days; a Charge Audit Summary accepts at "
            f"most {options.max_range_days}, so an export of it for this range may be cut",
        )
    ]


def _row_findings(row: PeriodRow, balance: Balance, emr_file: str) -> list[Finding]:
    found: list[Finding] = []

    def add(code: str, message: str, **extra: Any) -> None:
        record, key = f"POS {row.place}, {period_label(row)}", f"{row.place}|{row.start}"
        found.append(
            _finding(code, record=record, key=key, file=emr_file, message=message, **extra)
        )

    counts = (
        f"EMR {row.emr_visits} visits ({row.no_charge} no-charge, {row.billable} billable), "
        f"billing {row.billing_visits}: difference {row.difference:+d}"
    )
    if row.unexplained:
        explained = f"explained {row.explained:+d}{_parts(row)}"
        add(
            "VIS101",
            f"{counts}; {explained}, unexplained {row.unexplained:+d}",
            value=str(row.billing_visits),
            expected=str(row.billable),
        )
    elif row.moved:
        add("VIS102", f"{counts}, all explained{_parts(row)}")
    if row.emr_units != row.billing_units:
        add(
            "VIS201",
            f"EMR units {number(row.emr_units)}, billing units {number(row.billing_units)} "
            f"(difference {row.emr_units - row.billing_units:+g})",
            severity=Severity.ERROR if balance.options.fail_on_units else None,
        )
    if abs(row.new_unexplained) > 1e-9:
        billed = (
            f"{number(row.billing_new)} New on POS Summary Charge Stats"
            if balance.new_from_stats
            else f"{number(row.billing_new)} in billing"
        )
        add(
            "VIS301",
            f"evaluation units (97161-97163, with modifier lines) {number(row.emr_new)} in the "
            f"EMR, {billed}; {row.new_unexplained:+g} unexplained",
        )
    if row.no_charge:
        noun = "visit" if row.no_charge == 1 else "visits"
        add("VIS401", f"{row.no_charge} no-charge {noun} (NORCM / NC001), not billable")
    return found


def _parts(row: PeriodRow) -> str:
    parts = [
        (row.no_charge, "no-charge"),
        (row.held, "held on the rejection summary"),
        (row.late, "created in another period"),
        (-row.early, "created here, finalized in another period"),
        (-row.prior, "created here, finalized before the Billing Report's dates"),
        (row.cancelled, "cancelled by the following days"),
    ]
    shown = [f"{label} {value:+d}" for value, label in parts if value]
    return f" ({', '.join(shown)})" if shown else ""


def _gap_finding(gap: VisitGap, emr_file: str, billing_file: str) -> Finding:
    record = f"account {gap.patient}, DOS {gap.dos.isoformat()}, POS {gap.place}"
    key = f"{gap.patient}|{gap.dos.isoformat()}|{gap.place}"
    codes = f"; codes {gap.codes}" if gap.codes else ""
    if gap.side == "emr":
        message = (
            f"finalized {gap.day.isoformat()}; no billing visit and no hold on the rejection "
            f"summary{codes}"
        )
        return _finding(
            "VIS103", record=record, key=key, file=emr_file, row=gap.row, message=message
        )
    reason = (
        "the EMR marks this visit no-charge (NORCM / NC001)"
        if gap.no_charge_in_emr
        else "no finalized EMR visit"
    )
    message = f"created {gap.day.isoformat()}; {reason}{codes}"
    return _finding(
        "VIS104", record=record, key=key, file=billing_file, row=gap.row, message=message
    )


def readiness_finding(code: str, file_name: str, entry: dict[str, Any], message: str) -> Finding:
    """A finding about one row of a readiness report (accounts shown, never names)."""
    account = entry.get("account") or ""
    day = entry.get("dos") or entry.get("day")
    parts = [f"account {account}" if account else "", f"DOS {day.isoformat()}" if day else ""]
    record = ", ".join(part for part in parts if part) or f"row {entry['row']}"
    key = "|".join([account, day.isoformat() if day else "", message])
    return _finding(code, record=record, key=key, file=file_name, row=entry["row"], message=message)


def _finding(
    code: str,
    *,
    message: str,
    record: str,
    key: str,
    file: str | None = None,
    row: int | None = None,
    value: str | None = None,
    expected: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    rule = BALANCE_RULES[code]
    return Finding(
        code=code,
        name=rule.name,
        severity=severity if severity is not None else rule.severity,
        entity=rule.entity,
        message=message,
        fix=rule.fix,
        record=record,
        key=key,
        file=file,
        row=row,
        value=value,
        expected=expected,
    )
