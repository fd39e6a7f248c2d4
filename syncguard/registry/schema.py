"""Open the registry database, and create or upgrade its schema with Alembic.

Opening an up-to-date registry costs one small query: Alembic (slow to import) is loaded only
when the schema must be created or upgraded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError

from syncguard.db import create_registry_engine, registry_errors, write_transaction
from syncguard.errors import RegistryUnavailableError
from syncguard.logs import get_logger
from syncguard.redaction import redact_url
from syncguard.sqlite_location import INIT_HINT, no_registry_file

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# The newest revision in syncguard/migrations/versions (a test keeps the two in step).
HEAD_REVISION = "0006"
VERSION_TABLE = "alembic_version"
# Serialises concurrent `syncguard init` runs on one PostgreSQL database.
PG_MIGRATION_LOCK = 0x5E_6A_4D


def open_registry(url: str, *, create: bool = False) -> Engine:
    """An engine on an up-to-date registry at ``url``.

    With ``create`` (``syncguard init``) the schema is created or upgraded. Without it, a missing
    or empty registry is a RegistryUnavailableError, and an outdated schema is upgraded in place
    with one message.
    """
    if not create:
        _require_sqlite_file(url)
    engine = create_registry_engine(url)
    try:
        _ensure_schema(engine, create=create)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _ensure_schema(engine: Engine, *, create: bool) -> None:
    where = _where(engine)
    with _opening(engine):
        with engine.connect() as connection:
            current = current_revision(connection)
        if current == HEAD_REVISION:
            return
        if current is None and not create:
            raise RegistryUnavailableError(f"registry {where} is not initialised", hint=INIT_HINT)
        upgraded_from = upgrade_schema(engine)
    if upgraded_from is not None and not create:
        get_logger("syncguard.registry").warning(
            f"registry schema upgraded from revision {upgraded_from} to {HEAD_REVISION}",
            registry=where,
        )


def upgrade_schema(engine: Engine) -> str | None:
    """Bring the schema to the head revision in one transaction; returns the old revision, or
    None when another process had already done it."""
    from alembic import command

    with write_transaction(engine) as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})"))
        current = current_revision(connection)
        if current == HEAD_REVISION:
            return None
        _require_known(current, engine)
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return current or "none"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def current_revision(connection: Connection) -> str | None:
    """The schema revision stamped in the database, or None for an empty database."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _require_known(revision: str | None, engine: Engine) -> None:
    if revision is None:
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        raise RegistryUnavailableError(
            f"registry {_where(engine)} has schema revision {revision}, newer than this syncguard",
            hint="upgrade syncguard",
        ) from None


def _require_sqlite_file(url: str) -> None:
    # Connecting would silently create an empty file; a user who mistyped the path should hear.
    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # create_registry_engine reports the malformed URL
    if not parsed.drivername.startswith("sqlite"):
        return
    database = parsed.database or ":memory:"
    if database != ":memory:" and not Path(database).expanduser().is_file():
        raise no_registry_file(database)


@contextmanager
def _opening(engine: Engine) -> Iterator[None]:
    """Translate errors met while opening: unreachable server, or a file that is not SQLite."""
    try:
        with registry_errors(engine):
            yield
    except DatabaseError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise RegistryUnavailableError(
            f"registry {_where(engine)} cannot be opened: {reason}",
            hint="is database_url pointing at a syncguard registry?",
        ) from None


def _where(engine: Engine) -> str:
    return redact_url(engine.url.render_as_string(hide_password=False))
