"""Shared test fixtures: real registries (a SQLite file, and PostgreSQL when CI provides one).

``SYNCGUARD_TEST_DATABASE_URL`` (a PostgreSQL server URL whose user may create databases) makes
the PostgreSQL variants mandatory: each test gets a database of its own, dropped afterwards.
Without it they skip, as on a laptop with no server. ``SYNCGUARD_TEST_CHROMIUM`` (the path of a
Chromium binary) does the same for the browser tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PG_URL_VARIABLE = "SYNCGUARD_TEST_DATABASE_URL"
CHROMIUM_VARIABLE = "SYNCGUARD_TEST_CHROMIUM"


def _postgres_server_url() -> str | None:
    return os.environ.get(PG_URL_VARIABLE) or None


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'registry.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test (skips when no server is configured)."""
    server = _postgres_server_url()
    if server is None:
        pytest.skip(f"{PG_URL_VARIABLE} is not set: no PostgreSQL server for this run")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(server)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    name = f"sg_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test against a SQLite file and against PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def chromium_path() -> str:
    path = os.environ.get(CHROMIUM_VARIABLE)
    if not path:
        pytest.skip(f"{CHROMIUM_VARIABLE} is not set: no Chromium for browser tests")
    return path


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_syncguard(tmp_path: Path) -> Iterator[object]:
    """Run the real ``syncguard`` command in a subprocess, from a clean working folder."""
    work = tmp_path / "work"
    work.mkdir()

    def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> CliResult:
        environment = {
            key: value for key, value in os.environ.items() if not key.startswith("SYNCGUARD_")
        }
        environment.update(env or {})
        completed = subprocess.run(
            [sys.executable, "-m", "syncguard", *args],
            capture_output=True,
            text=True,
            cwd=cwd or work,
            env=environment,
            timeout=300,
        )
        return CliResult(completed.returncode, completed.stdout, completed.stderr)

    yield run


@pytest.fixture(params=["row by row", "column by column"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test twice: small files read row by row, and as if they were large (CSV files the
    column reader accepts then go through the column-by-column import and check). Modules
    that want every test both ways say ``pytestmark = pytest.mark.usefixtures("reader")``."""
    from syncguard.readers import columnar

    if request.param == "column by column":
        monkeypatch.setattr(columnar, "LARGE_FILE_BYTES", 0)
    return str(request.param)
