"""The per-practice audit lock: two audits of one practice never run at once.

PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) held on a connection of its own;
the server drops it when the process dies. SQLite: a row in ``ledger_audit_lock`` written under
``BEGIN IMMEDIATE``; a row left by a process that died is stale and taken over (same host: its
pid is gone; another host: older than ``stale_after`` seconds). The second audit polls until
``wait`` seconds have passed, then raises AuditLockedError (exit 3: the registry is busy, not
the config wrong, so a scheduler should simply try again later).
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, delete, select, text
from sqlalchemy.engine import Connection, Engine

from syncguard.db import is_sqlite, registry_errors, write_transaction
from syncguard.errors import EXIT_REGISTRY, SyncguardError
from syncguard.ledger.clock import as_utc, utcnow
from syncguard.ledger.tables import AuditLock

LOCK = AuditLock.__table__  # type: ignore[attr-defined]
POLL_SECONDS = 0.25
DEFAULT_STALE_AFTER = 6 * 3600.0


class AuditLockedError(SyncguardError):
    """Another audit of the same practice holds the lock."""

    exit_code = EXIT_REGISTRY


@contextmanager
def audit_lock(
    engine: Engine, practice: str, *, wait: float = 0.0, stale_after: float = DEFAULT_STALE_AFTER
) -> Iterator[None]:
    """Hold the audit lock of ``practice`` for the ``with`` block."""
    if is_sqlite(engine):
        with _sqlite_lock(engine, practice, wait, stale_after):
            yield
    else:
        with _advisory_lock(engine, practice, wait):
            yield


def advisory_key(practice: str) -> int:
    """A signed 64-bit key for ``pg_try_advisory_lock`` (stable across processes)."""
    digest = hashlib.blake2b(f"syncguard-audit:{practice}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def _advisory_lock(engine: Engine, practice: str, wait: float) -> Iterator[None]:
    key = advisory_key(practice)
    with registry_errors(engine), engine.connect() as connection:
        # Autocommit: a session lock outlives transactions, and no transaction stays open.
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        try_lock = text("SELECT pg_try_advisory_lock(:key)").bindparams(key=key)
        _poll(lambda: bool(connection.execute(try_lock).scalar()), practice, wait, lambda: "")
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)").bindparams(key=key))


@contextmanager
def _sqlite_lock(engine: Engine, practice: str, wait: float, stale_after: float) -> Iterator[None]:
    host, pid = socket.gethostname(), os.getpid()
    holder = f"{host}:{pid}"
    last_holder = [""]

    def attempt() -> bool:
        with write_transaction(engine) as connection:
            current = connection.execute(select(LOCK).where(LOCK.c.practice == practice)).first()
            if current is not None and not _stale(current, stale_after):
                last_holder[0] = f" (held by {current.holder} since {current.acquired_at:%H:%M})"
                return False
            _take(connection, practice, holder, host, pid)
            return True

    _poll(attempt, practice, wait, lambda: last_holder[0])
    try:
        yield
    finally:
        with write_transaction(engine) as connection:
            connection.execute(
                delete(LOCK).where(LOCK.c.practice == practice, LOCK.c.holder == holder)
            )


def _take(connection: Connection, practice: str, holder: str, host: str, pid: int) -> None:
    connection.execute(delete(LOCK).where(LOCK.c.practice == practice))
    connection.execute(
        LOCK.insert().values(
            practice=practice, holder=holder, host=host, pid=pid, acquired_at=utcnow()
        )
    )


def _stale(row: Row[Any], stale_after: float) -> bool:
    if row.host == socket.gethostname():
        return not _alive(int(row.pid))
    age = utcnow() - (as_utc(row.acquired_at) or utcnow())
    return age > timedelta(seconds=stale_after)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _poll(
    attempt: Callable[[], bool], practice: str, wait: float, holder: Callable[[], str]
) -> None:
    deadline = time.monotonic() + max(wait, 0.0)
    while not attempt():
        if time.monotonic() >= deadline:
            detail = holder()
            waited = f" after waiting {wait:g} s" if wait > 0 else ""
            raise AuditLockedError(
                f"another audit of practice '{practice}' is running{detail}; "
                f"this one did not start{waited}",
                hint="run it again later, or pass --wait SECONDS to queue behind it",
            )
        time.sleep(POLL_SECONDS)
