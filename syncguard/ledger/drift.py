"""Drift: each finding of a run compared with the last complete run of the same scope.

A finding is **new** (absent before, or waived before and no longer), **open** (as before; it
keeps the date it first appeared), or **changed** (same record and rule, other severity or
value). A finding of the previous run that is gone is **resolved**; those are listed in
``result.extra["resolved"]``. Waived findings of the previous run count as absent, so a waiver
that expires makes its finding reappear as new.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.engine import Connection, Engine

from syncguard.db import read_connection
from syncguard.findings import CheckResult, Finding, Severity
from syncguard.ledger.clock import as_utc, utcnow
from syncguard.ledger.fingerprint import fingerprint
from syncguard.ledger.tables import LedgerFinding, LedgerRun

RUN = LedgerRun.__table__  # type: ignore[attr-defined]
FINDING = LedgerFinding.__table__  # type: ignore[attr-defined]
FINDING_FIELDS = tuple(
    column.name for column in FINDING.c if column.name not in ("id", "run_id", "fingerprint")
)


def last_complete_run(
    connection: Connection, scope: str, *, before: int | None = None
) -> int | None:
    """The id of the newest complete run of ``scope`` (older than run ``before``, if given)."""
    query = select(RUN.c.id).where(RUN.c.scope == scope, RUN.c.status == "complete")
    if before is not None:
        query = query.where(RUN.c.id < before)
    return connection.execute(query.order_by(RUN.c.id.desc()).limit(1)).scalar()


def load_findings(connection: Connection, run_id: int) -> dict[str, Finding]:
    """The stored findings of a run, by fingerprint."""
    columns = [FINDING.c.fingerprint, *(FINDING.c[name] for name in FINDING_FIELDS)]
    rows = connection.execute(select(*columns).where(FINDING.c.run_id == run_id))
    return {row.fingerprint: finding_from_row(row) for row in rows}


def finding_from_row(row: Row[object]) -> Finding:
    values = {name: getattr(row, name) for name in FINDING_FIELDS}
    values["severity"] = Severity.parse(values["severity"])
    values["first_seen"] = as_utc(values["first_seen"])
    return Finding(**values)


def annotate_drift(engine: Engine, result: CheckResult, scope: str) -> CheckResult:
    """``result`` with every finding's drift set, and the resolved ones in ``extra``."""
    with read_connection(engine) as connection:
        previous_id = last_complete_run(connection, scope)
        previous = load_findings(connection, previous_id) if previous_id is not None else {}
    return with_drift(result, previous, previous_id)


def with_drift(
    result: CheckResult, previous: dict[str, Finding], previous_id: int | None
) -> CheckResult:
    seen_at = result.started_at or utcnow()
    keyed = [(fingerprint(result.practice, f), f) for f in result.findings]
    findings = [compare(f, previous.get(key), seen_at) for key, f in keyed]
    resolved = resolved_since(previous, (key for key, _ in keyed))
    extra = {**result.extra, "previous_run_id": previous_id, "resolved": resolved}
    return dataclasses.replace(result, findings=findings, extra=extra)


def compare(current: Finding, before: Finding | None, seen_at: datetime) -> Finding:
    """``current`` with its drift against the same finding of the previous run."""
    if before is None:
        return dataclasses.replace(current, drift="new", first_seen=seen_at)
    first_seen = before.first_seen or seen_at
    if before.waived and not current.waived:
        return dataclasses.replace(current, drift="new", first_seen=first_seen)
    if before.severity != current.severity or before.value != current.value:
        return dataclasses.replace(
            current,
            drift="changed",
            first_seen=first_seen,
            previous_severity=before.severity,
            previous_value=before.value,
        )
    return dataclasses.replace(current, drift="open", first_seen=first_seen)


def resolved_since(previous: dict[str, Finding], current_keys: Iterable[str]) -> list[Finding]:
    """The previous run's unwaived findings that the current run no longer has."""
    gone = previous.keys() - set(current_keys)
    return [
        dataclasses.replace(previous[key], drift="resolved")
        for key in sorted(gone)
        if not previous[key].waived
    ]


def resolved_of(result: CheckResult) -> Sequence[Finding]:
    """The resolved findings ``annotate_drift`` listed (empty before annotation)."""
    resolved = result.extra.get("resolved", [])
    return [f for f in resolved if isinstance(f, Finding)] if isinstance(resolved, list) else []
