"""Opening the registry: created by ``init``, refused when missing, upgraded in place."""

from __future__ import annotations

from pathlib import Path

import pytest
import structlog
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

import syncguard.ledger.tables
import syncguard.models  # the tables the migrations must create
from syncguard.config import Settings
from syncguard.db import create_registry_engine
from syncguard.errors import EXIT_REGISTRY, RegistryUnavailableError
from syncguard.registry.queries import record_history
from syncguard.registry.schema import (
    HEAD_REVISION,
    alembic_config,
    current_revision,
    open_registry,
)


def test_head_revision_constant_matches_the_migrations() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_migrations_create_exactly_the_models(database_url: str) -> None:
    engine = open_registry(database_url, create=True)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        assert current_revision(connection) == HEAD_REVISION
    engine.dispose()


def test_init_twice_is_harmless(database_url: str) -> None:
    open_registry(database_url, create=True).dispose()
    engine = open_registry(database_url, create=True)
    open_registry(database_url).dispose()
    engine.dispose()


def test_missing_sqlite_file_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    with pytest.raises(RegistryUnavailableError, match="syncguard init") as caught:
        open_registry(f"sqlite:///{path}")
    assert caught.value.exit_code == EXIT_REGISTRY
    assert not path.exists()


def test_empty_database_is_refused(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        create_engine(database_url).connect().close()  # an empty SQLite file
    with pytest.raises(RegistryUnavailableError, match="not initialised"):
        open_registry(database_url)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are not the pages of a SQLite database\n" * 200)
    with pytest.raises(RegistryUnavailableError, match="cannot be opened"):
        open_registry(f"sqlite:///{path}")


def test_unreachable_postgres_is_exit_3_without_the_password() -> None:
    url = "postgresql+psycopg://auditor:s3cret-pw@127.0.0.1:1/registry"
    with pytest.raises(RegistryUnavailableError) as caught:
        open_registry(url)
    assert "s3cret-pw" not in caught.value.one_line()
    assert "auditor:***@127.0.0.1" in caught.value.one_line()


def test_outdated_schema_is_upgraded_on_first_use_with_one_message(database_url: str) -> None:
    engine = create_registry_engine(database_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    with structlog.testing.capture_logs() as logs:
        upgraded = open_registry(database_url)
    with upgraded.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
    upgraded.dispose()
    messages = [entry["event"] for entry in logs if entry["log_level"] == "warning"]
    assert messages == [f"registry schema upgraded from revision 0001 to {HEAD_REVISION}"]


def test_a_newer_schema_is_refused(sqlite_url: str) -> None:
    engine = open_registry(sqlite_url, create=True)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(RegistryUnavailableError, match="newer than this syncguard"):
        open_registry(sqlite_url)


def test_ledger_tables_are_part_of_the_schema(sqlite_url: str) -> None:
    engine = open_registry(sqlite_url, create=True)
    with engine.connect() as connection:
        names = set(
            connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars()
        )
    engine.dispose()
    assert syncguard.ledger.tables.LedgerRun.__tablename__ in names
    assert {"payer", "referring_provider", "change_log"} <= names


def test_upgrade_to_import_batches_keeps_the_history(database_url: str) -> None:
    """0004 moves each import's source into one batch row; going back restores insert rows."""
    engine = create_registry_engine(database_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(
            text(
                "INSERT INTO referring_provider (practice, npi, last_name, first_name, inactive) "
                "VALUES ('default', '1000000004', 'SMITH', 'JANE', false)"
            )
        )
        logged = [
            ("insert", None, "a.csv", "aa", "2026-01-01 10:00:00+00:00"),
            ("update", "last_name", "b.csv", "bb", "2026-01-02 10:00:00+00:00"),
            ("deactivate", None, "manual", None, "2026-01-03 10:00:00+00:00"),
        ]
        for action, field, name, sha256, at in logged:
            connection.execute(
                text(
                    "INSERT INTO change_log (practice, kind, key, action, field, source_name, "
                    "source_sha256, changed_at) VALUES ('default', 'referring', '1000000004', "
                    ":action, :field, :name, :sha256, :at)"
                ),
                {"action": action, "field": field, "name": name, "sha256": sha256, "at": at},
            )
    engine.dispose()
    with structlog.testing.capture_logs():
        upgraded = open_registry(database_url)
    history = record_history(
        upgraded, "referring", "1000000004", practice="default", settings=Settings()
    )
    expected = [(action, name, sha256, at[:10]) for action, _, name, sha256, at in logged]
    found = [
        (h["action"], h["source_name"], h["source_sha256"], h["changed_at"][:10]) for h in history
    ]
    assert found == expected
    with upgraded.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM import_batch")).scalar() == 3
        # An import of the new schema: its added record is logged by the batch's id range.
        record_id = connection.execute(
            text(
                "INSERT INTO referring_provider (practice, npi, last_name, first_name, inactive) "
                "VALUES ('default', '1000000012', 'DOE', 'JOHN', false) RETURNING id"
            )
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO import_batch (practice, kind, source_name, changed_at, "
                "first_record_id, last_record_id) VALUES ('default', 'referring', 'c.csv', "
                "'2026-01-04 10:00:00+00:00', :id, :id)"
            ),
            {"id": record_id},
        )
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
        rows = connection.execute(
            text("SELECT key, action, source_name FROM change_log ORDER BY id")
        ).all()
    upgraded.dispose()
    assert [tuple(row) for row in rows] == [
        ("1000000004", "insert", "a.csv"),
        ("1000000004", "update", "b.csv"),
        ("1000000004", "deactivate", "manual"),
        ("1000000012", "insert", "c.csv"),
    ]
