"""What an import did (or, in a dry run, would do): counts, sample keys, repairs, invalid rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from syncguard.readers.table import SourceFile
from syncguard.registry.rows import Repair

SAMPLE_SIZE = 20


@dataclass(slots=True)
class Tally:
    """How many records an outcome applies to, and the keys of the first few."""

    count: int = 0
    sample: list[str] = field(default_factory=list)

    def add(self, key: str) -> None:
        self.count += 1
        if len(self.sample) < SAMPLE_SIZE:
            self.sample.append(key)

    def add_many(self, count: int, first_keys: Iterable[str]) -> None:
        """Count ``count`` records, whose first keys are ``first_keys``."""
        self.count += count
        for key in first_keys:
            if len(self.sample) >= SAMPLE_SIZE:
                break
            self.sample.append(key)


@dataclass(frozen=True, slots=True)
class FieldChange:
    key: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class InvalidRowInfo:
    row: int
    reason: str


@dataclass(slots=True)
class ImportResult:
    """The outcome of one import into one kind of one practice."""

    kind: str
    practice: str
    source: SourceFile
    dry_run: bool = False
    prune: bool = False
    rows_read: int = 0
    added: Tally = field(default_factory=Tally)
    changed: Tally = field(default_factory=Tally)
    unchanged: int = 0
    deactivated: Tally = field(default_factory=Tally)
    reactivated: Tally = field(default_factory=Tally)
    changes: list[FieldChange] = field(default_factory=list)  # the first few field changes
    repaired: list[Repair] = field(default_factory=list)
    invalid: list[InvalidRowInfo] = field(default_factory=list)

    @property
    def written(self) -> bool:
        """Whether anything was (or, in a dry run, would be) written."""
        return any(
            tally.count for tally in (self.added, self.changed, self.deactivated, self.reactivated)
        )

    def note_change(self, change: FieldChange) -> None:
        if len(self.changes) < SAMPLE_SIZE:
            self.changes.append(change)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document (``--format json``)."""
        data = asdict(self)
        data["source"] = {"name": self.source.name, "sha256": self.source.sha256}
        return data
