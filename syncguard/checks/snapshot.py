"""The registry of one practice, loaded once for a check: records by sequence number or NPI.

Payers, facilities and rendering providers are small (thousands) and always loaded together,
because an unknown Alternate ID is explained by looking at the other kinds. Referring providers
can number a million, so they are loaded only when checked, into a compact NPI -> name map.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy import Table as SqlTable
from sqlalchemy.engine import Connection, Engine

from syncguard.checks.matching import NameIndex, org_key, person_key
from syncguard.db import read_connection
from syncguard.models import Facility, Payer, ReferringProvider, RenderingProvider
from syncguard.names import person_display

SEP = "\x1f"  # joins last and first name in the referring map: one string per record


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


def split_packed(packed: str) -> tuple[str, str]:
    last, _, first = packed.partition(SEP)
    return last, first


class ReferringKind:
    """CMD referring providers: NPI -> (last, first), kept as one string per record."""

    def __init__(self, names: dict[str, str], inactive: set[str]) -> None:
        self.names = names  # NPI -> f"{last}{SEP}{first}"
        self.inactive = inactive

    def __len__(self) -> int:
        return len(self.names)

    def get(self, npi: str) -> tuple[str, str] | None:
        """(last, first) of the CMD referring provider with this NPI."""
        packed = self.names.get(npi)
        return None if packed is None else split_packed(packed)


@dataclass(slots=True)
class Snapshot:
    """What a check compares against: the registry of one practice."""

    practice: str
    payers: SequenceKind
    facilities: SequenceKind
    providers: SequenceKind
    referring: ReferringKind | None

    def sequence_kind(self, entity: str) -> SequenceKind:
        return {"payer": self.payers, "facility": self.facilities, "provider": self.providers}[
            entity
        ]


def load_snapshot(engine: Engine, practice: str, *, with_referring: bool) -> Snapshot:
    """Read the practice's records from the registry (raises RegistryUnavailableError)."""
    with read_connection(engine) as connection:
        return Snapshot(
            practice=practice,
            payers=SequenceKind("payer", _payers(connection, practice)),
            facilities=SequenceKind("facility", _facilities(connection, practice)),
            providers=SequenceKind("provider", _providers(connection, practice)),
            referring=_referring(connection, practice) if with_referring else None,
        )


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


def _referring(connection: Connection, practice: str) -> ReferringKind:
    t = _table(ReferringProvider)
    # Packed by the database and read through the driver's own cursor: a practice can hold a
    # million referring providers, and one string per record is both the fastest to load and
    # the smallest to keep (SQLAlchemy's per-row result processing doubled the load time).
    packed = t.c.last_name + SEP + t.c.first_name
    names: dict[str, str] = dict(_raw_rows(connection, select(t.c.npi, packed), practice))
    flagged = select(t.c.npi).where(t.c.practice == practice, t.c.inactive)
    return ReferringKind(names, set(connection.execute(flagged).scalars()))


def _raw_rows(connection: Connection, query: Select[Any], practice: str) -> Iterator[Any]:
    """The rows of ``query`` restricted to the practice, as the DB-API driver returns them."""
    t = _table(ReferringProvider)
    compiled = query.where(t.c.practice == practice).compile(dialect=connection.dialect)
    params = compiled.construct_params()
    args = (
        tuple(params[name] for name in compiled.positiontup or ())
        if compiled.positional
        else params
    )
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), args)
        while chunk := cursor.fetchmany(100_000):
            yield from chunk
    finally:
        cursor.close()
