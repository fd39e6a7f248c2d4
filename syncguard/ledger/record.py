"""Write a run into the ledger, all at once: a killed run leaves no half-written run behind.

``record_run`` stores the run, its inputs and its findings in ONE transaction, so a run either
appears complete or not at all. An audit, which takes longer, first announces itself with
``begin_run`` (status ``running``) and completes that row the same way; if it dies, the row
stays ``running`` until the next audit of the practice marks it ``failed``. Drift only ever
compares complete runs.

The findings go in as plain tuples in that transaction, through the driver's ``executemany``
(PostgreSQL: COPY): building a SQLAlchemy statement for 100,000 findings cost more than the
insert itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError

from syncguard import __version__
from syncguard.db import write_transaction
from syncguard.findings import CheckResult, Finding
from syncguard.ledger.clock import as_utc, utcnow
from syncguard.ledger.drift import FINDING, RUN, memoized, resolved_of
from syncguard.ledger.fingerprint import fingerprints
from syncguard.ledger.tables import LedgerInput

INPUT = LedgerInput.__table__  # type: ignore[attr-defined]
BATCH = 10_000  # findings per executemany: bounded memory for very large runs
FINDING_COLUMNS = (
    "run_id",
    "fingerprint",
    "code",
    "name",
    "severity",
    "entity",
    "message",
    "fix",
    "record",
    "key",
    "file",
    "row",
    "value",
    "expected",
    "suggestion",
    "score",
    "drift",
    "waived",
    "first_seen",
    "previous_severity",
    "previous_value",
)


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
    keys: Sequence[str] | None = None,
) -> int:
    """Store ``result`` (drift already annotated) as a complete run; returns the run id.

    ``keys`` are the findings' fingerprints when the caller has them already.
    """
    started = result.started_at or utcnow()
    keys = fingerprints(result) if keys is None else keys
    with write_transaction(engine) as connection:
        if run_id is None:
            row = _run_row(
                result.command, result.practice, scope, config_digest, started, status="running"
            )
            run_id = _insert_run(connection, row)
        _insert_inputs(connection, run_id, result)
        _insert_findings(connection, run_id, result.findings, keys, as_utc(started) or started)
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


def _insert_findings(
    connection: Connection,
    run_id: int,
    findings: Sequence[Finding],
    keys: Sequence[str],
    seen: datetime,
) -> None:
    converters = _converters(connection.dialect)

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        for start in range(0, len(findings), BATCH):
            end = start + BATCH
            columns = _finding_columns(run_id, findings[start:end], keys[start:end], seen)
            for index, convert in converters:
                columns[index] = [convert(value) for value in columns[index]]
            yield list(zip(*columns, strict=True))

    if connection.dialect.driver == "psycopg":
        _copy_findings(connection, batches())
        return
    statement = _insert_statement(connection.dialect)
    for rows in batches():
        connection.exec_driver_sql(statement, rows)


def _copy_findings(connection: Connection, batches: Iterator[list[tuple[Any, ...]]]) -> None:
    """PostgreSQL's COPY, in the run's transaction: about twice as fast as ``executemany``."""
    names = ", ".join(connection.dialect.identifier_preparer.quote(n) for n in FINDING_COLUMNS)
    statement = f"COPY {FINDING.name} ({names}) FROM STDIN"
    driver_error = connection.dialect.loaded_dbapi.Error
    driver_connection: Any = connection.connection.driver_connection
    cursor = driver_connection.cursor()  # psycopg's own, for copy()
    try:
        with cursor.copy(statement) as copy:
            for rows in batches:
                for row in rows:
                    copy.write_row(row)
    except driver_error as error:
        # As SQLAlchemy would have raised it, so that a lost server reads as one (exit 3).
        raise DBAPIError.instance(statement, None, error, driver_error) from error
    finally:
        cursor.close()


def _converters(dialect: Dialect) -> list[tuple[int, Callable[[Any], Any]]]:
    """The columns' own conversions (SQLite stores times as text), each memoized by value: most
    findings share a first-seen time. A naive first-seen time is taken as UTC, as everywhere."""
    converters = []
    for index, name in enumerate(FINDING_COLUMNS):
        convert = FINDING.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if name == "first_seen":
            convert = _after_as_utc(convert)
        if convert is not None:
            converters.append((index, memoized(convert)))
    return converters


def _after_as_utc(convert: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    return lambda moment: convert(as_utc(moment)) if convert else as_utc(moment)


def _insert_statement(dialect: Dialect) -> str:
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(quote(name) for name in FINDING_COLUMNS)
    markers = ", ".join(marker for _ in FINDING_COLUMNS)
    return f"INSERT INTO {FINDING.name} ({names}) VALUES ({markers})"


def _finding_columns(
    run_id: int, findings: Sequence[Finding], keys: Sequence[str], seen: datetime
) -> list[list[Any]]:
    """The values of ``FINDING_COLUMNS``, one list per column (cheaper than one dict a row)."""
    return [
        [run_id] * len(findings),
        list(keys),
        [f.code for f in findings],
        [f.name for f in findings],
        [f.severity.label for f in findings],
        [f.entity for f in findings],
        [f.message for f in findings],
        [f.fix for f in findings],
        [f.record for f in findings],
        [f.key for f in findings],
        [f.file for f in findings],
        [f.row for f in findings],
        [f.value for f in findings],
        [f.expected for f in findings],
        [f.suggestion for f in findings],
        [f.score for f in findings],
        [f.drift for f in findings],
        [f.waived for f in findings],
        [f.first_seen or seen for f in findings],
        [f.previous_severity.label if f.previous_severity else None for f in findings],
        [f.previous_value for f in findings],
    ]


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
