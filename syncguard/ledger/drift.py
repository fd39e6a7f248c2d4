"""Drift: each finding of a run compared with the last complete run of the same scope.

A finding is **new** (absent before, or waived before and no longer), **open** (as before; it
keeps the date it first appeared), or **changed** (same record and rule, other severity or
value). A finding of the previous run that is gone is **resolved**; those are listed in
``result.extra["resolved"]``. Waived findings of the previous run count as absent, so a waiver
that expires makes its finding reappear as new.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

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


class Seen(NamedTuple):
    """What drift needs of a previous finding (cheap to load for 100,000 of them)."""

    severity: Severity
    value: str | None
    waived: bool
    first_seen: datetime | None

    @classmethod
    def of(cls, finding: Finding) -> Seen:
        return cls(finding.severity, finding.value, finding.waived, finding.first_seen)


SEVERITIES = {severity.label: severity for severity in Severity}


def load_seen(connection: Connection, run_id: int) -> dict[str, Seen]:
    """Severity, value, waived and first-seen of each finding of a run, by fingerprint."""
    c = FINDING.c
    query = select(c.fingerprint, c.severity, c.value, c.waived, c.first_seen).where(
        c.run_id == run_id
    )
    return {
        row[0]: Seen(SEVERITIES[row[1]], row[2], row[3], as_utc(row[4]))
        for row in connection.execute(query)
    }


def load_findings(
    connection: Connection, run_id: int, only: Collection[str] | None = None
) -> dict[str, Finding]:
    """The stored findings of a run (those with fingerprints ``only``, if given)."""
    columns = [FINDING.c.fingerprint, *(FINDING.c[name] for name in FINDING_FIELDS)]
    query = select(*columns).where(FINDING.c.run_id == run_id)
    if only is None:
        return {row.fingerprint: finding_from_row(row) for row in connection.execute(query)}
    wanted = sorted(only)
    found: dict[str, Finding] = {}
    for start in range(0, len(wanted), 500):
        chunk = query.where(FINDING.c.fingerprint.in_(wanted[start : start + 500]))
        found.update((row.fingerprint, finding_from_row(row)) for row in connection.execute(chunk))
    return found


def finding_from_row(row: Row[Any]) -> Finding:
    values = {name: getattr(row, name) for name in FINDING_FIELDS}
    values["severity"] = SEVERITIES[values["severity"]]
    values["first_seen"] = as_utc(values["first_seen"])
    previous = values["previous_severity"]
    values["previous_severity"] = SEVERITIES[previous] if previous else None
    return Finding(**values)


def annotate_drift(engine: Engine, result: CheckResult, scope: str) -> CheckResult:
    """``result`` with every finding's drift set, and the resolved ones in ``extra``."""
    with read_connection(engine) as connection:
        previous_id = last_complete_run(connection, scope)
        previous = load_seen(connection, previous_id) if previous_id is not None else {}
        annotated, gone = with_drift(result, previous, previous_id)
        resolved = load_findings(connection, previous_id, gone) if previous_id and gone else {}
    annotated.extra["resolved"] = [
        dataclasses.replace(resolved[key], drift="resolved") for key in sorted(resolved)
    ]
    return annotated


def with_drift(
    result: CheckResult, previous: Mapping[str, Seen], previous_id: int | None
) -> tuple[CheckResult, set[str]]:
    """``result`` with drift set, and the fingerprints of the previous findings now gone."""
    seen_at = result.started_at or utcnow()
    keyed = [(fingerprint(result.practice, f), f) for f in result.findings]
    findings = [compare(f, previous.get(key), seen_at) for key, f in keyed]
    current = {key for key, _ in keyed}
    gone = {key for key, before in previous.items() if key not in current and not before.waived}
    extra = {**result.extra, "previous_run_id": previous_id, "resolved": []}
    return dataclasses.replace(result, findings=findings, extra=extra), gone


def compare(current: Finding, before: Seen | None, seen_at: datetime) -> Finding:
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
