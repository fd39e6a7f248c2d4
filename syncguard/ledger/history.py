"""Read the ledger back: the list of runs, one run as a CheckResult, and the diff of two runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from syncguard.db import read_connection
from syncguard.errors import InputError
from syncguard.findings import CheckResult, Finding, InputSummary
from syncguard.ledger.clock import as_utc
from syncguard.ledger.drift import RUN, Seen, compare, load_findings, resolved_since
from syncguard.ledger.record import INPUT


@dataclass(frozen=True, slots=True)
class RunDiff:
    """How run ``newer`` differs from run ``older`` (of any scope)."""

    older: int
    newer: int
    new: list[Finding]
    resolved: list[Finding]
    changed: list[Finding]
    still_open: list[Finding]


def list_runs(engine: Engine, practice: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """The newest runs first, as plain dicts (id, command, status, times, counts, exit code)."""
    query = select(RUN).order_by(RUN.c.id.desc()).limit(limit)
    if practice is not None:
        query = query.where(RUN.c.practice == practice)
    with read_connection(engine) as connection:
        return [_run_dict(row._mapping) for row in connection.execute(query)]


def _run_dict(row: Any) -> dict[str, Any]:
    data = dict(row)
    for name in ("started_at", "finished_at"):
        moment = as_utc(data[name])
        data[name] = moment.isoformat(timespec="seconds") if moment else None
    return data


def load_run(engine: Engine, run_id: int) -> CheckResult:
    """A stored run as the CheckResult it was (drift and waivers as recorded)."""
    with read_connection(engine) as connection:
        run = connection.execute(select(RUN).where(RUN.c.id == run_id)).first()
        if run is None:
            raise InputError(f"run {run_id} is not in the ledger", hint="see `syncguard runs list`")
        inputs = connection.execute(select(INPUT).where(INPUT.c.run_id == run_id)).all()
        findings = list(load_findings(connection, run_id).values())
    result = CheckResult(
        findings=findings,
        inputs=[InputSummary(i.kind, i.name, i.sha256, i.rows) for i in inputs],
        practice=run.practice,
        version=run.version,
        command=run.command,
        started_at=as_utc(run.started_at),
        finished_at=as_utc(run.finished_at),
    )
    result.extra.update(run_id=run.id, status=run.status, previous_run_id=run.previous_run_id)
    return result


def diff_runs(engine: Engine, older: int, newer: int) -> RunDiff:
    """New, resolved, changed and still-open findings between two stored runs."""
    with read_connection(engine) as connection:
        seen_at = _started(connection, newer)
        _started(connection, older)
        previous = load_findings(connection, older)
        current = load_findings(connection, newer)
    compared = [compare(f, _seen(previous.get(key)), seen_at) for key, f in current.items()]
    return RunDiff(
        older,
        newer,
        new=[f for f in compared if f.drift == "new"],
        resolved=resolved_since(previous, current),
        changed=[f for f in compared if f.drift == "changed"],
        still_open=[f for f in compared if f.drift == "open"],
    )


def _started(connection: Connection, run_id: int) -> datetime:
    started = connection.execute(select(RUN.c.started_at).where(RUN.c.id == run_id)).scalar()
    if started is None:
        raise InputError(f"run {run_id} is not in the ledger", hint="see `syncguard runs list`")
    return as_utc(started) or started


def _seen(finding: Finding | None) -> Seen | None:
    return Seen.of(finding) if finding is not None else None
