"""The registry of one practice, loaded once for a check: records by sequence number or NPI.

Payers, facilities and rendering providers are small (thousands) and always loaded together,
because an unknown Alternate ID is explained by looking at the other kinds. Referring providers
can number a million, so they are loaded only when checked, as one frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Table as SqlTable
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from syncguard.checks.matching import NameIndex, org_key, person_key
from syncguard.db import read_connection
from syncguard.models import Facility, Payer, RenderingProvider
from syncguard.names import person_display

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True, slots=True)
class CmdRecord:
    """A CMD payer, facility or rendering provider, as a check needs it."""

    sequence: str
    name: str  # display name
    name_key: str  # see syncguard.checks.matching
    inactive: bool
    npi: str | None = None


@dataclass(slots=True)
class SequenceKind:
    """The records of one sequence-keyed kind, with lazily built suggestion indexes."""

    entity: str
    records: dict[str, CmdRecord]
    _by_npi: dict[str, CmdRecord] | None = field(default=None, repr=False)
    _names: NameIndex | None = field(default=None, repr=False)

    def by_npi(self, npi: str) -> CmdRecord | None:
        if self._by_npi is None:
            active = (r for r in self.records.values() if r.npi and not r.inactive)
            self._by_npi = {r.npi: r for r in active if r.npi}
        return self._by_npi.get(npi)

    def best_by_name(self, name_key: str, cutoff: float) -> tuple[CmdRecord, float] | None:
        if self._names is None:
            active = [r for r in self.records.values() if not r.inactive]
            self._names = NameIndex([r.sequence for r in active], [r.name_key for r in active])
        match = self._names.best(name_key, cutoff)
        return (self.records[match[0]], match[1]) if match else None


class ReferringRecords:
    """CMD referring providers as one frame: npi, last_name, first_name, inactive; by NPI."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __len__(self) -> int:
        return self.frame.height


@dataclass(slots=True)
class Snapshot:
    """What a check compares against: the registry of one practice."""

    practice: str
    payers: SequenceKind
    facilities: SequenceKind
    providers: SequenceKind
    referring: ReferringRecords | None

    def sequence_kind(self, entity: str) -> SequenceKind:
        return {"payer": self.payers, "facility": self.facilities, "provider": self.providers}[
            entity
        ]


def load_snapshot(engine: Engine, practice: str, *, with_referring: bool) -> Snapshot:
    """Read the practice's records from the registry (raises RegistryUnavailableError)."""
    with read_connection(engine) as connection:
        payers = SequenceKind("payer", _payers(connection, practice))
        facilities = SequenceKind("facility", _facilities(connection, practice))
        providers = SequenceKind("provider", _providers(connection, practice))
    referring = None
    if with_referring:
        from syncguard.registry.frame_cache import referring_frame

        referring = ReferringRecords(referring_frame(engine, practice))
    return Snapshot(practice, payers, facilities, providers, referring)


def _table(model: type) -> SqlTable:
    table: SqlTable = model.__table__  # type: ignore[attr-defined]
    return table


def _payers(connection: Connection, practice: str) -> dict[str, CmdRecord]:
    t = _table(Payer)
    query = select(t.c.sequence, t.c.name, t.c.inactive).where(t.c.practice == practice)
    return {
        seq: CmdRecord(seq, name, org_key(name), bool(inactive))
        for seq, name, inactive in connection.execute(query)
    }


def _facilities(connection: Connection, practice: str) -> dict[str, CmdRecord]:
    t = _table(Facility)
    columns = (t.c.sequence, t.c.name, t.c.inactive, t.c.npi)
    query = select(*columns).where(t.c.practice == practice)
    return {
        seq: CmdRecord(seq, name, org_key(name), bool(inactive), npi or None)
        for seq, name, inactive, npi in connection.execute(query)
    }


def _providers(connection: Connection, practice: str) -> dict[str, CmdRecord]:
    t = _table(RenderingProvider)
    columns = (t.c.sequence, t.c.last_name, t.c.first_name, t.c.inactive, t.c.npi)
    query = select(*columns).where(t.c.practice == practice)
    return {
        seq: CmdRecord(
            seq, person_display(last, first), person_key(last, first), bool(inactive), npi or None
        )
        for seq, last, first, inactive, npi in connection.execute(query)
    }
