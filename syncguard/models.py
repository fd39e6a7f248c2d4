"""Every table of the registry database, in one place (the migrations mirror this module).

They are SQLAlchemy Core tables on ``metadata``: the registry reads and writes them with Core
statements only, and Core tables keep ``sqlalchemy.orm`` (slow to import) off every command's path.

Keys and identifiers are stored as text, never as numbers: a CMD sequence number, an NPI or a
revenue code is a code, and its leading zeros are part of it. Each record table's unique
(practice, key) index is also its index by practice; a separate one would only slow imports. It
is an index rather than a table constraint so that an import into an empty table can build it
once at the end (see ``registry.store``), which is much faster than a row at a time.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)

metadata = MetaData()


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _text(name: str, *, nullable: bool = False, default: str | None = None) -> Column[str]:
    return Column(name, String, nullable=nullable, default=default)


def _inactive() -> Column[bool]:
    return Column("inactive", Boolean, nullable=False, default=False)


# A CMD payer. ``sequence`` is CMD's Sequence Number ("Payer ID" in CMD's reports).
PAYER = Table(
    "payer",
    metadata,
    _id(),
    _text("practice"),
    _text("sequence"),
    _text("name", default=""),
    _text("cpid", nullable=True),
    _inactive(),
    Index("uq_payer_practice_seq", "practice", "sequence", unique=True),
)

# A CMD facility (service location).
FACILITY = Table(
    "facility",
    metadata,
    _id(),
    _text("practice"),
    _text("sequence"),
    _text("name", default=""),
    _text("npi", nullable=True),
    _text("pos", nullable=True),
    _inactive(),
    Index("uq_facility_practice_seq", "practice", "sequence", unique=True),
)

# A CMD rendering provider (therapist); its NPI must match WebPT's.
RENDERING_PROVIDER = Table(
    "rendering_provider",
    metadata,
    _id(),
    _text("practice"),
    _text("sequence"),
    _text("last_name", default=""),
    _text("first_name", default=""),
    _text("credentials", nullable=True),
    _text("npi", nullable=True),
    _text("taxonomy", nullable=True),
    _inactive(),
    Index("uq_provider_practice_seq", "practice", "sequence", unique=True),
)

# A CMD referring provider, keyed by NPI (the interface matches them by NPI).
REFERRING_PROVIDER = Table(
    "referring_provider",
    metadata,
    _id(),
    _text("practice"),
    _text("npi"),
    _text("last_name", default=""),
    _text("first_name", default=""),
    _text("sequence", nullable=True),
    _inactive(),
    Index("uq_referring_practice_npi", "practice", "npi", unique=True),
)

# A CPT/HCPCS code with its default UB-04 revenue code (4 digits, leading zero).
PROCEDURE_CODE = Table(
    "procedure_code",
    metadata,
    _id(),
    _text("practice"),
    _text("code"),
    _text("rev_code", nullable=True),
    _text("description", nullable=True),
    _inactive(),
    Index("uq_procedure_practice_code", "practice", "code", unique=True),
)

# Practice-wide settings kept in the registry (the system-wide default revenue code).
PRACTICE_SETTING = Table(
    "practice_setting",
    metadata,
    Column("practice", String, primary_key=True),
    _text("default_rev_code", nullable=True),
)

# One import, restore or manual edit of one kind in one practice: where the change came from
# and when (an aware UTC time; SQLite hands it back naive, see ``registry.queries``). The
# records it added are those of its practice with ids from ``first_record_id`` to
# ``last_record_id`` in the kind's table (records are never deleted), so a million added records
# cost one row here instead of a million change-log rows.
IMPORT_BATCH = Table(
    "import_batch",
    metadata,
    _id(),
    _text("practice"),
    _text("kind"),
    _text("source_name", nullable=True),
    _text("source_sha256", nullable=True),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("first_record_id", Integer, nullable=True),
    Column("last_record_id", Integer, nullable=True),
)

# One update, deactivation or reactivation of a registry record (or an insert logged before
# import batches kept ranges); its batch says where it came from and when.
CHANGE_LOG = Table(
    "change_log",
    metadata,
    _id(),
    Column("batch_id", Integer, ForeignKey("import_batch.id"), nullable=False),
    _text("practice"),
    _text("kind"),
    _text("key"),
    _text("action"),  # insert | update | deactivate | reactivate
    _text("field", nullable=True),
    _text("old_value", nullable=True),
    _text("new_value", nullable=True),
    # ``registry history`` looks records up by practice, kind and key.
    Index("ix_change_log_record", "practice", "kind", "key"),
)

# A columnar copy (Arrow IPC) of one kind of records of one practice, for reads that want every
# record at once (``registry.frame_cache``). Every write to a kind's records bumps
# ``generation`` and clears ``data`` in the same transaction; a reader stores a copy only if the
# generation it read is still current. Never backed up: it is rebuilt from the records.
RECORD_FRAME_CACHE = Table(
    "record_frame_cache",
    metadata,
    Column("practice", String, primary_key=True),
    Column("kind", String, primary_key=True),
    Column("generation", Integer, nullable=False),
    Column("data", LargeBinary, nullable=True),
)
