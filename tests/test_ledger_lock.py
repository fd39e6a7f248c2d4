"""The per-practice audit lock: a second audit waits, or says why it did not run."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from ledger_support import held_elsewhere

from syncguard.ledger.lock import AuditLockedError, audit_lock
from syncguard.registry.schema import open_registry


def test_second_audit_is_refused_with_the_reason(database_url: str, tmp_path: Path) -> None:
    engine = open_registry(database_url, create=True)
    try:
        with held_elsewhere(database_url, "north", tmp_path):
            with pytest.raises(AuditLockedError) as refused, audit_lock(engine, "north"):
                pass
            assert "another audit of practice 'north' is running" in str(refused.value)
            assert refused.value.exit_code == 3
            with audit_lock(engine, "south"):  # another practice is not blocked
                pass
    finally:
        engine.dispose()


def test_second_audit_waits_for_the_first(database_url: str, tmp_path: Path) -> None:
    engine = open_registry(database_url, create=True)
    try:
        with held_elsewhere(database_url, "north", tmp_path) as (_, release):
            threading.Timer(1.0, release.touch).start()
            started = time.monotonic()
            with audit_lock(engine, "north", wait=30):
                waited = time.monotonic() - started
        assert 0.8 < waited < 20
    finally:
        engine.dispose()


def test_lock_of_a_killed_audit_is_taken_over(database_url: str, tmp_path: Path) -> None:
    engine = open_registry(database_url, create=True)
    try:
        with held_elsewhere(database_url, "north", tmp_path) as (child, _):
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
            # PostgreSQL frees the lock when the session ends; SQLite sees a dead pid.
            with audit_lock(engine, "north", wait=10):
                pass
    finally:
        engine.dispose()
