"""The SQL for one kind of record in one practice, on one open connection, in bulk.

Bulk writes go to the driver as plain tuples (``executemany``): building SQLAlchemy parameter
dictionaries for a million rows costs more than SQLite's own work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from typing import Any

from sqlalchemy import String, Table, func, insert, literal, select, text, update
from sqlalchemy.engine import Connection

from syncguard.models import ChangeLog, ImportBatch, RecordFrameCache
from syncguard.registry.shapes import RecordShape, placeholder

CHANGE_LOG: Table = ChangeLog.__table__  # type: ignore[attr-defined]
IMPORT_BATCH: Table = ImportBatch.__table__  # type: ignore[attr-defined]
FRAME_CACHE: Table = RecordFrameCache.__table__  # type: ignore[attr-defined]
RECORDS_PER_STATEMENT = 50  # SQLite: far fewer parameters than its limit (32,766)
# Between records in ``joined_states``: clean_text turns it into a space, as it does SEP.
ROW_SEP = "\x1d"
DEFER_INDEX_MIN_ROWS = 50_000  # fewer rows go into the index as fast as it is built
SQLITE_CACHE_KIB = 65_536  # fewer pages spilled to the WAL before commit on large imports
# (key, action, field, old value, new value)
LogEntry = tuple[str, str, str | None, str | None, str | None]


class RecordStore:
    """Reads and writes the records of ``shape`` that belong to ``practice``."""

    def __init__(self, connection: Connection, shape: RecordShape, practice: str) -> None:
        self.connection = connection
        self.shape = shape
        self.practice = practice
        mark = placeholder(connection.dialect.paramstyle)
        table, key = shape.table.name, shape.key
        columns = (key, *shape.fields, "inactive")
        marks = ", ".join([mark] * (len(columns) + 1))
        self._insert_sql = f"INSERT INTO {table} (practice, {', '.join(columns)}) VALUES ({marks})"
        # SQLite: the practice as a literal, bound once instead of once per record.
        # and many records to a statement: a million single-row statements cost twice as much.
        self._insert_records_sql = self._insert_sql
        self._insert_group_sql = self._insert_sql
        if connection.dialect.name == "sqlite":
            quoted = "'" + practice.replace("'", "''") + "'"
            values = f"({quoted}, {', '.join([mark] * len(columns))})"
            into = f"INSERT INTO {table} (practice, {', '.join(columns)}) VALUES "
            self._insert_records_sql = into + values
            self._insert_group_sql = into + ", ".join([values] * RECORDS_PER_STATEMENT)
        assignments = ", ".join(f"{name} = {mark}" for name in (*shape.fields, "inactive"))
        where = f"WHERE practice = {mark} AND {key} = {mark}"
        self._update_sql = f"UPDATE {table} SET {assignments} {where}"
        self._flag_sql = f"UPDATE {table} SET inactive = {mark} {where}"
        self._invalidated = False

    def invalidate_frame_cache(self) -> None:
        """Before this store's first write: mark the columnar copy of this kind and practice
        (``registry.frame_cache``) stale, in the writer's transaction, once per store. A reader
        that read the old generation then cannot store what it read as current."""
        if self._invalidated:
            return
        cache = FRAME_CACHE.name
        mark = placeholder(self.connection.dialect.paramstyle)
        self.connection.exec_driver_sql(
            f"INSERT INTO {cache} (practice, kind, generation, data) VALUES ({mark}, {mark}, 1, "
            f"NULL) ON CONFLICT (practice, kind) DO UPDATE SET generation = {cache}.generation "
            "+ 1, data = NULL",
            (self.practice, self.shape.kind),
        )
        self._invalidated = True

    def prepare_for_writing(self) -> None:
        """Serialise writers of this kind and practice (SQLite's BEGIN IMMEDIATE already does),
        and give SQLite room to build a large transaction in memory."""
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(
                text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": self._lock_id()}
            )
        elif self.connection.dialect.name == "sqlite":
            self.connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")

    def states(self, keys: Collection[str] | None = None) -> dict[str, str]:
        """key -> state string of every stored record (see ``shapes``), or of ``keys``."""
        table = self.shape.table
        query = select(table.c[self.shape.key], self.shape.state_sql()).where(
            table.c.practice == self.practice
        )
        if keys is not None:
            query = query.where(table.c[self.shape.key].in_(list(keys)))
        return dict(self.connection.execute(query).all())

    def joined_states(self) -> tuple[int, str]:
        """SQLite: the number of stored records, and each as key, ROW_SEP, state, one a line,
        in one string: one value crosses into Python instead of a million rows."""
        table = self.shape.table
        record = table.c[self.shape.key] + literal(ROW_SEP, String) + self.shape.state_sql()
        query = select(
            func.count(), func.coalesce(func.group_concat(record, literal("\n", String)), "")
        ).where(table.c.practice == self.practice)
        count, joined = self.connection.execute(query).one()
        return int(count), str(joined)

    def state_parts(self, size: int) -> Iterator[list[tuple[str, str]]]:
        """(key, state) of every stored record, ``size`` at a time."""
        table = self.shape.table
        query = select(table.c[self.shape.key], self.shape.state_sql()).where(
            table.c.practice == self.practice
        )
        # On the statement: a connection's execution options would stay on for what follows.
        result = self.connection.execute(query.execution_options(yield_per=size))
        for part in result.partitions():
            yield [(key, state) for key, state in part]

    def max_id(self) -> int:
        table = self.shape.table.name
        return int(
            self.connection.exec_driver_sql(
                f"SELECT coalesce(max(id), 0) FROM {table}"
            ).scalar_one()
        )

    @contextmanager
    def index_deferred(self, rows: int) -> Iterator[None]:
        """Around the insertion of ``rows`` records: on SQLite, when the table is empty (of
        every practice) and the rows many, drop its indexes and build them once at the end,
        in the same transaction; sorting once is much cheaper than a million index inserts.
        A duplicate key would fail the build, and so the transaction, as it would an insert."""
        table = self.shape.table
        empty = self.connection.execute(select(table.c.id).limit(1)).first() is None
        if self.connection.dialect.name != "sqlite" or rows < DEFER_INDEX_MIN_ROWS or not empty:
            yield
            return
        self.invalidate_frame_cache()
        indexes = sorted(table.indexes, key=lambda index: str(index.name))
        for index in indexes:
            index.drop(self.connection)
        yield
        for index in indexes:
            index.create(self.connection)

    def insert_records(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert (key, *fields, inactive) tuples of this practice."""
        if self.connection.dialect.name == "sqlite":
            grouped = len(rows) - len(rows) % RECORDS_PER_STATEMENT
            if grouped:
                flat = list(chain.from_iterable(rows[:grouped]))
                width = len(rows[0]) * RECORDS_PER_STATEMENT
                groups = [tuple(flat[at : at + width]) for at in range(0, len(flat), width)]
                self._many(self._insert_group_sql, groups)
            self._many(self._insert_records_sql, list(rows[grouped:]))
        else:
            practice = self.practice
            self._many(self._insert_sql, [(practice, *row) for row in rows])

    def insert(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert (practice, key, *fields, inactive) tuples. The caller builds them whole:
        rebuilding a million tuples here only to add the practice costs a tenth of a second."""
        self._many(self._insert_sql, list(rows))

    def update(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Overwrite the fields and flag of (key, *fields, inactive) tuples."""
        practice = self.practice
        self._many(self._update_sql, [(*row[1:], practice, row[0]) for row in rows])

    def set_inactive(self, rows: Sequence[tuple[str, bool]]) -> None:
        """Set the flag of (key, inactive) pairs."""
        practice = self.practice
        self._many(self._flag_sql, [(flag, practice, key) for key, flag in rows])

    def _many(self, sql: str, parameters: list[tuple[Any, ...]]) -> None:
        """Every write to the records goes through here (an empty one writes nothing)."""
        if parameters:
            self.invalidate_frame_cache()
            self.connection.exec_driver_sql(sql, parameters)

    def _lock_id(self) -> int:
        digest = hashlib.sha256(f"syncguard:{self.practice}:{self.shape.kind}".encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)


class ChangeLogWriter:
    """Logs the changes of one import (or edit) of one kind and practice: one import-batch row
    with the source and time, one change-log row per field change or flag change, and the
    range of ids of the records it added (those get no change-log row of their own)."""

    def __init__(
        self,
        connection: Connection,
        shape: RecordShape,
        practice: str,
        source: tuple[str, str | None],
    ) -> None:
        self.connection = connection
        self.shape = shape
        self.practice = practice
        self.source_name, self.source_sha256 = source
        self.at = datetime.now(UTC)
        self._batch_id: int | None = None
        mark = placeholder(connection.dialect.paramstyle)
        columns = ("batch_id", "practice", "kind", "key", "action", "field", "old_value")
        self._log_sql = (
            f"INSERT INTO {CHANGE_LOG.name} ({', '.join(columns)}, new_value) "
            f"VALUES ({', '.join([mark] * (len(columns) + 1))})"
        )

    def batch_id(self) -> int:
        """The id of this import's batch row, written the first time something changes."""
        if self._batch_id is None:
            values = {
                "practice": self.practice,
                "kind": self.shape.kind,
                "source_name": self.source_name,
                "source_sha256": self.source_sha256,
                "changed_at": self.at,
            }
            statement = insert(IMPORT_BATCH).values(values).returning(IMPORT_BATCH.c.id)
            self._batch_id = int(self.connection.execute(statement).scalar_one())
        return self._batch_id

    def add(self, entries: Sequence[LogEntry]) -> None:
        if not entries:
            return
        head = (self.batch_id(), self.practice, self.shape.kind)
        rows = [(*head, *entry) for entry in entries]
        self.connection.exec_driver_sql(self._log_sql, rows)

    def added(self, first_id: int, last_id: int) -> None:
        """The records of this practice with ids ``first_id`` to ``last_id`` were added."""
        batch = IMPORT_BATCH
        self.connection.execute(
            update(batch)
            .where(batch.c.id == self.batch_id())
            .values(first_record_id=first_id, last_record_id=last_id)
        )
