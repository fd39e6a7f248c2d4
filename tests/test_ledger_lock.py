"""The per-practice audit lock: a second audit waits, or says why it did not run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from syncguard.ledger.lock import AuditLockedError, audit_lock
from syncguard.registry.schema import open_registry

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from syncguard.ledger.lock import audit_lock
    from syncguard.registry.schema import open_registry

    engine = open_registry(sys.argv[1])
    with audit_lock(engine, sys.argv[2]):
        Path(sys.argv[3]).write_text("held")
        while not Path(sys.argv[4]).exists():
            time.sleep(0.05)
    """
)


@contextmanager
def held_elsewhere(
    url: str, practice: str, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """Another process holding the audit lock until the yielded release file appears."""
    held, release = tmp_path / f"held-{practice}", tmp_path / f"release-{practice}"
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, practice, str(held), str(release)],
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not held.exists():
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    try:
        yield child, release
    finally:
        release.touch()
        if child.poll() is None:
            child.wait(timeout=30)


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
