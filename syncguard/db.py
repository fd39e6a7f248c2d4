"""The registry database engine: SQLite by default, PostgreSQL by URL.

SQLite is opened in WAL mode with a long busy timeout, and every write transaction starts with
``BEGIN IMMEDIATE`` so that two imports at once queue up instead of failing with "database is
locked" half-way through.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from syncguard.errors import ConfigError, RegistryUnavailableError
from syncguard.redaction import redact_url

SQLITE_BUSY_TIMEOUT_SECONDS = 300


def create_registry_engine(url: str) -> Engine:
    """An engine for the registry at ``url``; raises ConfigError for a malformed URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"database URL {redact_url(url)!r} is not valid",
            hint="use sqlite:///path/to/file.db or postgresql+psycopg://user@host/db",
        ) from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("sqlite"):
        return _sqlite_engine(parsed.render_as_string(hide_password=False))
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except Exception as error:  # unknown driver and the like
        raise ConfigError(f"cannot use database URL {redact_url(url)!r}: {error}") from None


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        parent = Path(database).expanduser().resolve().parent
        if not parent.is_dir():
            raise RegistryUnavailableError(
                f"registry folder {parent} does not exist", hint="create it or change database_url"
            )
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def registry_errors(engine: Engine) -> Iterator[None]:
    """Translate "cannot connect" database errors into RegistryUnavailableError (exit 3)."""
    try:
        yield
    except OperationalError as error:
        where = redact_url(engine.url.render_as_string(hide_password=False))
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise RegistryUnavailableError(
            f"registry {where} cannot be reached: {reason}",
            hint="check database_url / SYNCGUARD_DATABASE_URL and that the server is running",
        ) from None
    except DBAPIError as error:
        if error.connection_invalidated:
            raise RegistryUnavailableError(
                f"lost the connection to the registry: {error.orig}"
            ) from None
        raise


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One all-or-nothing transaction (``BEGIN IMMEDIATE`` on SQLite)."""
    with registry_errors(engine), engine.connect() as connection:
        connection = connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            yield connection


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    with registry_errors(engine), engine.connect() as connection:
        yield connection


def driver_rows(connection: Connection, statement: str, parameters: Any) -> list[Any]:
    """All rows of ``statement`` as the driver's own tuples, in ``connection``'s transaction.

    For the large reads (a previous run's hundred thousand findings), where SQLAlchemy's result
    rows cost several times the query itself. A driver error is raised as SQLAlchemy would
    have raised it, so that a lost server still reads as one (exit 3).
    """
    driver_error = connection.dialect.loaded_dbapi.Error
    cursor = connection.connection.cursor()
    try:
        cursor.execute(statement, parameters)
        return list(cursor.fetchall())
    except driver_error as error:
        raise DBAPIError.instance(statement, parameters, error, driver_error) from error
    finally:
        cursor.close()
