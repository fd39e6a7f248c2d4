"""Drift: each finding of a run compared with the last complete run of the same scope.

A finding is **new** (absent before, or waived before and no longer), **open** (as before; it
keeps the date it first appeared), or **changed** (same record and rule, other severity or
value). A finding of the previous run that is gone is **resolved**; those are listed in
``result.extra["resolved"]``. Waived findings of the previous run count as absent, so a waiver
that expires makes its finding reappear as new.

A run of 100,000 findings compares against 100,000 stored ones, so the previous run is read with
the driver's plain rows (no ORM objects) and each finding's drift is set on it in place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Column, Row, select
from sqlalchemy.engine import Connection, Dialect, Engine

from syncguard.db import driver_rows, read_connection
from syncguard.findings import CheckResult, Finding, Severity
from syncguard.ledger.clock import as_utc, utcnow
from syncguard.ledger.fingerprint import (
    carried_fingerprints,
    fingerprints,
    identity,
    plain_fingerprints,
)
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
    id: int | None = None  # its row, to load it whole if it resolved

    @classmethod
    def of(cls, finding: Finding) -> Seen:
        return cls(finding.severity, finding.value, finding.waived, finding.first_seen)


SEVERITIES = {severity.label: severity for severity in Severity}


def load_seen(connection: Connection, run_id: int) -> dict[str, Seen]:
    """Severity, value, waived, first-seen and row id of each finding of a run, by fingerprint."""
    c = FINDING.c
    dialect = connection.dialect
    # Plain driver rows; the stored booleans and times go through the columns' own conversion,
    # once per distinct value (most findings share one first-seen time).
    waived = memoized(_result_processor(c.waived, dialect))
    first_seen = memoized(_utc_after(_result_processor(c.first_seen, dialect)))
    return {
        key: Seen(SEVERITIES[severity], value, waived(flag), first_seen(seen), row_id)
        for key, severity, value, flag, seen, row_id in _run_rows(connection, run_id, SEEN_COLUMNS)
    }


def _run_rows(connection: Connection, run_id: int, columns: Sequence[Column[Any]]) -> list[Any]:
    """``columns`` of every finding of a run, as the driver's tuples: a run can hold a
    hundred thousand findings, and SQLAlchemy's result rows cost several times the query."""
    dialect = connection.dialect
    names = ", ".join(dialect.identifier_preparer.quote(column.name) for column in columns)
    marker = "?" if dialect.paramstyle == "qmark" else "%(run_id)s"
    query = f"SELECT {names} FROM {FINDING.name} WHERE run_id = {marker}"
    parameters = (run_id,) if dialect.paramstyle == "qmark" else {"run_id": run_id}
    return driver_rows(connection, query, parameters)


SEEN_COLUMNS = (
    FINDING.c.fingerprint,
    FINDING.c.severity,
    FINDING.c.value,
    FINDING.c.waived,
    FINDING.c.first_seen,
    FINDING.c.id,
)


def _result_processor(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    processor: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).result_processor(
        dialect, None
    )
    return processor


def _utc_after(convert: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    return lambda value: as_utc(convert(value) if convert else value)


def memoized(convert: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """``convert`` with its answers kept by value (None stays None): a column of 100,000 values
    holds few distinct times and flags."""
    if convert is None:
        return lambda value: value
    known: dict[Any, Any] = {None: None}

    def memoized(value: Any) -> Any:
        try:
            return known[value]
        except KeyError:
            known[value] = converted = convert(value)
            return converted

    return memoized


def load_findings(
    connection: Connection, run_id: int, ids: Collection[int] | None = None
) -> dict[str, Finding]:
    """The stored findings of a run by fingerprint (those in rows ``ids``, if given)."""
    columns = [FINDING.c.fingerprint, *(FINDING.c[name] for name in FINDING_FIELDS)]
    query = select(*columns).where(FINDING.c.run_id == run_id)
    if ids is None:
        return {row.fingerprint: finding_from_row(row) for row in connection.execute(query)}
    wanted = sorted(ids)
    found: dict[str, Finding] = {}
    for start in range(0, len(wanted), 500):
        chunk = query.where(FINDING.c.id.in_(wanted[start : start + 500]))
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
    """``result`` with every finding's drift set, the resolved ones in ``extra["resolved"]``
    and the fingerprints to record in ``extra["fingerprints"]``, carried over from the previous
    run (see ``carried_fingerprints``). The findings themselves are annotated in place (see
    ``with_drift``).
    """
    with read_connection(engine) as connection:
        previous_id = last_complete_run(connection, scope)
        previous = load_seen(connection, previous_id) if previous_id is not None else {}
        plain = plain_fingerprints(result)
        placed = _placed_before(connection, previous_id, previous, plain, result.practice)
        keys = carried_fingerprints(result, plain, previous, placed)
        annotated, gone = with_drift(result, previous, previous_id, keys)
        rows = [row for key in gone if (row := previous[key].id) is not None]
        resolved = load_findings(connection, previous_id, rows) if previous_id and rows else {}
    annotated.extra["resolved"] = [
        dataclasses.replace(resolved[key], drift="resolved") for key in sorted(resolved)
    ]
    annotated.extra["fingerprints"] = list(keys)
    return annotated


def _placed_before(
    connection: Connection,
    run_id: int | None,
    previous: Mapping[str, Seen],
    plain: Sequence[str],
    practice: str,
) -> dict[str, list[str]]:
    """The previous run's fingerprints that are places in a group of one of ``plain``'s
    identities (see ``syncguard.identity``), by identity, in the order of their values.

    Only the previous fingerprints that are no current identity can be places; their identity
    is computed again from the fields stored with them. Most runs have none or few.
    """
    current = set(plain)
    others = {key for key in previous if key not in current}
    if run_id is None or not others:
        return {}
    c = FINDING.c
    columns = (c.fingerprint, c.code, c.entity, c.key, c.record, c.value, c.id)
    placed: dict[str, list[tuple[str, int, str]]] = {}
    for key, code, entity, record_key, record, value, row_id in _run_rows(
        connection, run_id, columns
    ):
        if (
            key in others
            and (known := identity(practice, code, entity, record_key, record)) in current
        ):
            placed.setdefault(known, []).append((value or "", row_id, key))
    return {known: [key for *_, key in sorted(keys)] for known, keys in placed.items()}


def with_drift(
    result: CheckResult,
    previous: Mapping[str, Seen],
    previous_id: int | None,
    keys: Sequence[str] | None = None,
) -> tuple[CheckResult, set[str]]:
    """``result`` with drift set, and the fingerprints of the previous findings now gone.

    The drift fields of ``result``'s own findings are set in place, not on copies: a check's
    findings belong to its one result, and copying 100,000 frozen findings cost more than the
    comparison itself. The other fields are left as they are.
    """
    seen_at = result.started_at or utcnow()
    keys = fingerprints(result) if keys is None else keys
    earlier = previous.get
    # ``drift_of`` inlined, the fields set directly: once per finding of a large check.
    for key, finding in zip(keys, result.findings, strict=True):
        before = earlier(key)
        if before is None:
            finding.drift = "new"
            finding.first_seen = seen_at
            continue
        finding.first_seen = before.first_seen or seen_at
        if before.waived and not finding.waived:
            finding.drift = "new"
        elif before.severity != finding.severity or before.value != finding.value:
            finding.drift = "changed"
            finding.previous_severity = before.severity
            finding.previous_value = before.value
        else:
            finding.drift = "open"
    current = set(keys)
    gone = {key for key, before in previous.items() if not before.waived and key not in current}
    extra = {**result.extra, "previous_run_id": previous_id, "resolved": []}
    return dataclasses.replace(result, findings=list(result.findings), extra=extra), gone


class Drift(NamedTuple):
    """A finding's drift; the previous severity and value are set only when it changed."""

    state: str
    first_seen: datetime
    previous_severity: Severity | None = None
    previous_value: str | None = None


def drift_of(current: Finding, before: Seen | None, seen_at: datetime) -> Drift:
    """The drift of ``current`` against the same finding of the previous run."""
    if before is None:
        return Drift("new", seen_at)
    first_seen = before.first_seen or seen_at
    if before.waived and not current.waived:
        return Drift("new", first_seen)
    if before.severity != current.severity or before.value != current.value:
        return Drift("changed", first_seen, before.severity, before.value)
    return Drift("open", first_seen)


def compare(current: Finding, before: Seen | None, seen_at: datetime) -> Finding:
    """A copy of ``current`` with its drift against the same finding of the previous run."""
    drift = drift_of(current, before, seen_at)
    if drift.state != "changed":
        return dataclasses.replace(current, drift=drift.state, first_seen=drift.first_seen)
    return dataclasses.replace(
        current,
        drift=drift.state,
        first_seen=drift.first_seen,
        previous_severity=drift.previous_severity,
        previous_value=drift.previous_value,
    )


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
