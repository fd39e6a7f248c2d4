"""Write a run into the ledger, all at once: a killed run leaves no half-written run behind.

``record_run`` stores the run, its inputs and its findings in ONE transaction, so a run either
appears complete or not at all. An audit, which takes longer, first announces itself with
``begin_run`` (status ``running``) and completes that row the same way; if it dies, the row
stays ``running`` until the next audit of the practice marks it ``failed``. Drift only ever
compares complete runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.engine import Connection, Engine

from syncguard import __version__
from syncguard.db import write_transaction
from syncguard.findings import CheckResult, Finding
from syncguard.ledger.clock import as_utc, utcnow
from syncguard.ledger.drift import FINDING, RUN, resolved_of
from syncguard.ledger.fingerprint import fingerprint
from syncguard.ledger.tables import LedgerInput

INPUT = LedgerInput.__table__  # type: ignore[attr-defined]
BATCH = 5000  # findings per INSERT batch: bounded memory for very large runs


def begin_run(
    engine: Engine, *, command: str, practice: str, scope: str, config_digest: str
) -> int:
    """Announce a long run (an audit): a ``running`` row that ``record_run`` completes."""
    with write_transaction(engine) as connection:
        row = _run_row(command, practice, scope, config_digest, utcnow(), status="running")
        return _insert_run(connection, row)


def record_run(
    engine: Engine,
    result: CheckResult,
    *,
    scope: str,
    config_digest: str,
    run_id: int | None = None,
) -> int:
    """Store ``result`` (drift already annotated) as a complete run; returns the run id."""
    started = result.started_at or utcnow()
    with write_transaction(engine) as connection:
        if run_id is None:
            row = _run_row(
                result.command, result.practice, scope, config_digest, started, status="running"
            )
            run_id = _insert_run(connection, row)
        _insert_inputs(connection, run_id, result)
        for batch in _batches(_finding_rows(run_id, result, started)):
            connection.execute(insert(FINDING), batch)
        connection.execute(
            update(RUN).where(RUN.c.id == run_id).values(**_outcome(result), status="complete")
        )
    return run_id


def fail_run(engine: Engine, run_id: int, note: str, *, exit_code: int | None = None) -> None:
    """Mark a run that could not finish (its findings, if any, are not trusted for drift)."""
    with write_transaction(engine) as connection:
        connection.execute(
            update(RUN)
            .where(RUN.c.id == run_id, RUN.c.status == "running")
            .values(status="failed", note=note, exit_code=exit_code, finished_at=utcnow())
        )


def set_exit_code(engine: Engine, run_id: int, exit_code: int) -> None:
    """Record the final exit code (an audit knows it only after alerting)."""
    with write_transaction(engine) as connection:
        connection.execute(update(RUN).where(RUN.c.id == run_id).values(exit_code=exit_code))


def _insert_run(connection: Connection, row: dict[str, object]) -> int:
    return int(connection.execute(insert(RUN).values(**row).returning(RUN.c.id)).scalar_one())


def _run_row(
    command: str, practice: str, scope: str, digest: str, started: datetime, *, status: str
) -> dict[str, object]:
    return {
        "command": command,
        "practice": practice,
        "scope": scope,
        "status": status,
        "started_at": as_utc(started),
        "version": __version__,
        "config_digest": digest,
    }


def _outcome(result: CheckResult) -> dict[str, object]:
    counts = result.counts_by_severity()
    previous = result.extra.get("previous_run_id")
    return {
        "finished_at": as_utc(result.finished_at or utcnow()),
        "exit_code": result.exit_code,
        "errors": counts.get("error", 0),
        "warnings": counts.get("warning", 0),
        "infos": counts.get("info", 0),
        "waived": sum(1 for f in result.findings if f.waived),
        "new": sum(1 for f in result.findings if f.drift == "new" and not f.waived),
        "resolved": len(resolved_of(result)),
        "previous_run_id": previous if isinstance(previous, int) else None,
    }


def _insert_inputs(connection: Connection, run_id: int, result: CheckResult) -> None:
    rows = [
        {"run_id": run_id, "kind": i.kind, "name": i.path, "sha256": i.sha256, "rows": i.rows}
        for i in result.inputs
    ]
    if rows:
        connection.execute(insert(INPUT), rows)


def _finding_rows(
    run_id: int, result: CheckResult, started: datetime
) -> Iterator[dict[str, object]]:
    seen = as_utc(started)
    for finding in result.findings:
        yield _finding_row(run_id, result.practice, finding, seen)


def _finding_row(
    run_id: int, practice: str, f: Finding, seen: datetime | None
) -> dict[str, object]:
    return {
        "run_id": run_id,
        "fingerprint": fingerprint(practice, f),
        "code": f.code,
        "name": f.name,
        "severity": f.severity.label,
        "entity": f.entity,
        "message": f.message,
        "fix": f.fix,
        "record": f.record,
        "key": f.key,
        "file": f.file,
        "row": f.row,
        "value": f.value,
        "expected": f.expected,
        "suggestion": f.suggestion,
        "score": f.score,
        "drift": f.drift,
        "waived": f.waived,
        "first_seen": as_utc(f.first_seen) or seen,
        "previous_severity": f.previous_severity.label if f.previous_severity else None,
        "previous_value": f.previous_value,
    }


def _batches(rows: Iterator[dict[str, object]]) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def fail_interrupted_runs(engine: Engine, practice: str) -> int:
    """Mark ``running`` audits of ``practice`` as failed; call only while holding the audit lock
    (then no other audit of the practice can still be running)."""
    with write_transaction(engine) as connection:
        done = connection.execute(
            update(RUN)
            .where(RUN.c.practice == practice, RUN.c.status == "running")
            .values(status="failed", note="interrupted: the process ended before completing")
        )
    return int(done.rowcount or 0)
