"""A run killed half-way leaves no half-written run, and drift skips it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from ledger_support import finding, result
from sqlalchemy import func, select

from syncguard.config import Settings
from syncguard.ledger.drift import FINDING, RUN
from syncguard.ledger.hooks import after_run
from syncguard.ledger.record import begin_run, fail_interrupted_runs
from syncguard.registry.schema import open_registry

TESTS = Path(__file__).resolve().parent

# The child pauses inside the driver, right when the findings start going in, so the parent
# can kill it at exactly that point (syncguard's own code runs unchanged). SQLite's findings go
# in through SQLAlchemy (an INSERT); PostgreSQL's through psycopg's COPY.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sqlalchemy import event
    sys.path.insert(0, sys.argv[3])
    from ledger_support import finding, result
    from syncguard.config import Settings
    from syncguard.ledger.hooks import after_run
    from syncguard.registry.schema import open_registry

    engine = open_registry(sys.argv[1])

    def pause_at(statement):
        if str(statement).startswith(("INSERT INTO ledger_finding", "COPY ledger_finding")):
            Path(sys.argv[2]).write_text("inserting")
            time.sleep(120)

    @event.listens_for(engine, "before_cursor_execute")
    def pause(conn, cursor, statement, parameters, context, executemany):
        pause_at(statement)

    if engine.dialect.name == "postgresql":
        import psycopg

        copy = psycopg.Cursor.copy

        def pausing_copy(self, statement, *args, **kwargs):
            pause_at(statement)
            return copy(self, statement, *args, **kwargs)

        psycopg.Cursor.copy = pausing_copy

    after_run(engine, result([finding(str(n)) for n in range(200)]), settings=Settings())
    """
)


def _kill_while_recording(url: str, tmp_path: Path) -> None:
    marker = tmp_path / "inserting"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(marker), str(TESTS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
        assert time.monotonic() < deadline, "the child never started recording"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)


def test_killed_run_leaves_nothing_and_drift_uses_last_complete(
    database_url: str, tmp_path: Path
) -> None:
    engine = open_registry(database_url, create=True)
    try:
        first = after_run(engine, result([finding("1"), finding("X")]), settings=Settings())
        _kill_while_recording(database_url, tmp_path)
        with engine.connect() as connection:
            runs = connection.execute(select(RUN.c.id, RUN.c.status)).all()
            stored = connection.execute(select(func.count()).select_from(FINDING)).scalar()
        assert [tuple(run) for run in runs] == [(first.extra["run_id"], "complete")]
        assert stored == 2
        following = after_run(engine, result([finding("1")]), settings=Settings())
        assert following.extra["previous_run_id"] == first.extra["run_id"]
        assert following.findings[0].drift == "open"
        assert [f.key for f in following.extra["resolved"]] == ["X"]  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def test_an_audit_that_died_is_marked_failed_and_skipped(database_url: str) -> None:
    engine = open_registry(database_url, create=True)
    try:
        first = after_run(engine, result([finding("1")]), settings=Settings(), scope="s")
        dead = begin_run(engine, command="audit", practice="default", scope="s", config_digest="")
        assert fail_interrupted_runs(engine, "default") == 1
        again = after_run(engine, result([finding("1")]), settings=Settings(), scope="s")
        assert again.extra["previous_run_id"] == first.extra["run_id"]
        with engine.connect() as connection:
            status = connection.execute(select(RUN.c.status).where(RUN.c.id == dead)).scalar()
        assert status == "failed"
    finally:
        engine.dispose()
