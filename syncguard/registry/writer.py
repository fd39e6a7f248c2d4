"""Write an import's batches: records, field changes, flags, and their change-log entries.

(A writer thread was tried, to overlap SQLite's work with the parsing of the next rows: the
``sqlite3`` module holds the GIL for so much of ``executemany`` that nothing was gained.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from syncguard.logs import get_logger
from syncguard.registry.store import ChangeLogWriter, LogEntry, RecordStore

_log = get_logger("syncguard.registry")


@dataclass(slots=True)
class Batch:
    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    flags: list[tuple[str, bool]] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)
    records: list[tuple[Any, ...]] = field(default_factory=list)  # inserts without practice


class BatchWriter:
    """Applies batches in order, inside the caller's transaction."""

    def __init__(self, store: RecordStore, log: ChangeLogWriter) -> None:
        self._store = store
        self._log = log
        self._first_id = store.max_id() + 1
        self._added = 0

    def write(self, batch: Batch) -> None:
        store = self._store
        store.insert(batch.inserts)
        store.insert_records(batch.records)
        store.update(batch.updates)
        store.set_inactive(batch.flags)
        self._log.add(batch.log)
        added = len(batch.inserts) + len(batch.records)
        self._added += added
        _log.debug("registry.import.batch", kind=store.shape.kind, rows=added)

    def finish(self) -> None:
        """Log the range of ids of the records added (one row, however many they are)."""
        if self._added:
            self._log.added(self._first_id, self._store.max_id())
