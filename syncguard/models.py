"""Every table of the registry database, in one place (the migrations mirror this module).

Keys and identifiers are stored as text, never as numbers: a CMD sequence number, an NPI or a
revenue code is a code, and its leading zeros are part of it. Each record table's unique
(practice, key) index is also its index by practice; a separate one would only slow imports. It
is an index rather than a table constraint so that an import into an empty table can build it
once at the end (see ``registry.store``), which is much faster than a row at a time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary
from sqlmodel import Field, SQLModel


class Payer(SQLModel, table=True):
    """A CMD payer. ``sequence`` is CMD's Sequence Number ("Payer ID" in CMD's reports)."""

    __tablename__ = "payer"
    __table_args__ = (Index("uq_payer_practice_seq", "practice", "sequence", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    practice: str
    sequence: str
    name: str = ""
    cpid: str | None = None
    inactive: bool = False


class Facility(SQLModel, table=True):
    """A CMD facility (service location)."""

    __tablename__ = "facility"
    __table_args__ = (Index("uq_facility_practice_seq", "practice", "sequence", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    practice: str
    sequence: str
    name: str = ""
    npi: str | None = None
    pos: str | None = None
    inactive: bool = False


class RenderingProvider(SQLModel, table=True):
    """A CMD rendering provider (therapist); its NPI must match WebPT's."""

    __tablename__ = "rendering_provider"
    __table_args__ = (Index("uq_provider_practice_seq", "practice", "sequence", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    practice: str
    sequence: str
    last_name: str = ""
    first_name: str = ""
    credentials: str | None = None
    npi: str | None = None
    taxonomy: str | None = None
    inactive: bool = False


class ReferringProvider(SQLModel, table=True):
    """A CMD referring provider, keyed by NPI (the interface matches them by NPI)."""

    __tablename__ = "referring_provider"
    __table_args__ = (Index("uq_referring_practice_npi", "practice", "npi", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    practice: str
    npi: str
    last_name: str = ""
    first_name: str = ""
    sequence: str | None = None
    inactive: bool = False


class ProcedureCode(SQLModel, table=True):
    """A CPT/HCPCS code with its default UB-04 revenue code (4 digits, leading zero)."""

    __tablename__ = "procedure_code"
    __table_args__ = (Index("uq_procedure_practice_code", "practice", "code", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    practice: str
    code: str
    rev_code: str | None = None
    description: str | None = None
    inactive: bool = False


class PracticeSetting(SQLModel, table=True):
    """Practice-wide settings kept in the registry (the system-wide default revenue code)."""

    __tablename__ = "practice_setting"

    practice: str = Field(primary_key=True)
    default_rev_code: str | None = None


class ImportBatch(SQLModel, table=True):
    """One import, restore or manual edit of one kind in one practice: where the change came
    from and when. The records it added are those of its practice with ids from
    ``first_record_id`` to ``last_record_id`` in the kind's table (records are never deleted),
    so a million added records cost one row here instead of a million change-log rows."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    practice: str
    kind: str
    source_name: str | None = None
    source_sha256: str | None = None
    changed_at: datetime
    first_record_id: int | None = None
    last_record_id: int | None = None


class ChangeLog(SQLModel, table=True):
    """One update, deactivation or reactivation of a registry record (or an insert logged
    before import batches kept ranges); its batch says where it came from and when."""

    __tablename__ = "change_log"
    # ``registry history`` looks records up by practice, kind and key.
    __table_args__ = (Index("ix_change_log_record", "practice", "kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(sa_column=Column(Integer, ForeignKey("import_batch.id"), nullable=False))
    practice: str
    kind: str
    key: str
    action: str  # insert | update | deactivate | reactivate
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None


class RecordFrameCache(SQLModel, table=True):
    """A columnar copy (Arrow IPC) of one kind of records of one practice, for reads that want
    every record at once (``registry.frame_cache``). Every write to a kind's records bumps
    ``generation`` and clears ``data`` in the same transaction; a reader stores a copy only if
    the generation it read is still current. Never backed up: it is rebuilt from the records."""

    __tablename__ = "record_frame_cache"

    practice: str = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    generation: int
    data: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
