"""Compare incoming records with the stored ones and write the difference, in batches.

Stored records are held as ``key -> state string`` and popped as the file names them, so that
what is left at the end is exactly what the file no longer lists (for ``--prune``).
"""

from __future__ import annotations

from typing import Any

from syncguard.registry.result import SAMPLE_SIZE, FieldChange, ImportResult, InvalidRowInfo
from syncguard.registry.rows import ParsedRow
from syncguard.registry.shapes import ACTIVE, RecordShape, parse_state
from syncguard.registry.store import LogEntry
from syncguard.registry.writer import Batch, BatchWriter

BATCH_SIZE = 20_000


class Planner:
    """Decides, row by row, what each record needs; writes it unless this is a dry run."""

    def __init__(
        self,
        shape: RecordShape,
        result: ImportResult,
        existing: dict[str, str],
        writer: BatchWriter | None,
        skip_invalid: bool,
    ) -> None:
        self.shape = shape
        self.result = result
        self.existing = existing
        self.writer = writer
        self.skip_invalid = skip_invalid
        self.seen: dict[str, int] = {}
        self._label = shape.spec.field(shape.key).label
        self._practice = result.practice
        self._inserts: list[tuple[Any, ...]] = []
        self._updates: list[tuple[Any, ...]] = []
        self._flags: list[tuple[str, bool]] = []
        self._log: list[LogEntry] = []
        self._pending = 0

    def invalid(self, number: int, reason: str, key: str | None = None) -> None:
        self.result.invalid.append(InvalidRowInfo(number, reason))
        if key is not None and key not in self.seen:
            self.seen[key] = number
            self.existing.pop(key, None)  # listed, though invalid: never pruned
        if not self.skip_invalid:
            self.writer = None  # the import will be refused: stop writing

    def take(self, row: ParsedRow) -> None:
        number, key, values, inactive = row
        first = self.seen.setdefault(key, number)
        if first != number:
            self.invalid(number, f"duplicate {self._label} {key} (first on row {first})")
            return
        inactive = bool(inactive)
        old = self.existing.pop(key, None)
        if old is None:
            self._inserts.append((self._practice, key, *values, inactive))
        elif old == self.shape.state(values, inactive):
            self.result.unchanged += 1
            return
        else:
            self.change(key, old, values, inactive)
        self._pending += 1
        if self._pending >= BATCH_SIZE:
            self.flush()

    def change(self, key: str, old: str, values: tuple[str | None, ...], inactive: bool) -> None:
        """A stored record (state ``old``) that the file lists differently."""
        was_inactive, old_values = parse_state(old)
        if old_values != values:
            self.result.changed.add(key)
            self._updates.append((key, *values, inactive))
            for name, before, after in zip(self.shape.fields, old_values, values, strict=True):
                if before != after:
                    self._log.append((key, "update", name, before, after))
                    self.result.note_change(FieldChange(key, name, before, after))
        else:  # only the flag differs
            self._flags.append((key, inactive))
        if was_inactive != inactive:
            self._flag_change(key, inactive)

    def _flag_change(self, key: str, inactive: bool) -> None:
        (self.result.deactivated if inactive else self.result.reactivated).add(key)
        self._log.append((key, "deactivate" if inactive else "reactivate", None, None, None))

    def prune(self) -> None:
        """Deactivate the active records the file did not list."""
        for key, state in self.existing.items():
            if state.startswith(ACTIVE):
                self._flags.append((key, True))
                self._flag_change(key, True)
                if len(self._flags) >= BATCH_SIZE:
                    self.flush()

    def flush(self) -> None:
        first_keys = [row[1] for row in self._inserts[:SAMPLE_SIZE]]
        self.result.added.add_many(len(self._inserts), first_keys)
        if self.writer is not None:
            self.writer.write(Batch(self._inserts, self._updates, self._flags, self._log))
        self._inserts, self._updates, self._flags, self._log = [], [], [], []
        self._pending = 0

    def finish(self) -> None:
        """Write what is left, and the batch's range of added records."""
        self.flush()
        if self.writer is not None:
            self.writer.finish()
