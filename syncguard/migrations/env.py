"""Alembic environment: migrate the registry on the connection syncguard hands over.

``syncguard.registry.schema`` passes an open connection (inside its own transaction) through
``config.attributes["connection"]``. Run by hand, the URL comes from ``-x url=...`` or
``SYNCGUARD_DATABASE_URL``.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import syncguard.ledger.tables  # the run ledger (migration 0002) on SQLModel.metadata too
import syncguard.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    return url or os.environ.get("SYNCGUARD_DATABASE_URL", "sqlite:///syncguard.db")


def _migrate(connection: Connection) -> None:
    # Batch mode lets later revisions alter SQLite tables (which has little ALTER TABLE).
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    from syncguard.db import create_registry_engine

    engine = create_registry_engine(_url())
    with engine.connect() as own_connection:
        _migrate(own_connection)
        own_connection.commit()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
