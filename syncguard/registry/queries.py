"""Read the registry: the records of a kind, one record, and one record's change history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import literal, null, select
from sqlalchemy.engine import Engine

from syncguard.config import Settings
from syncguard.db import read_connection
from syncguard.errors import InputError
from syncguard.inputs.kinds import IdKind
from syncguard.normalize import normalize_id
from syncguard.registry.importer import id_rules, resolve_kind
from syncguard.registry.shapes import RecordShape, shape_for
from syncguard.registry.store import CHANGE_LOG, IMPORT_BATCH

Record = dict[str, Any]


def record_columns(shape: RecordShape) -> tuple[str, ...]:
    """The columns a listed record shows: key, data fields, inactive."""
    return (shape.key, *shape.fields, "inactive")


def iter_records(
    engine: Engine, kind: str, *, practice: str, include_inactive: bool = False
) -> Iterator[Record]:
    """The records of ``kind`` in ``practice``, by key; active ones unless told otherwise."""
    shape = shape_for(resolve_kind(kind).name)
    table, names = shape.table, record_columns(shape)
    query = select(*(table.c[name] for name in names)).where(table.c.practice == practice)
    if not include_inactive:
        query = query.where(table.c.inactive.is_(False))
    with read_connection(engine) as connection:
        for row in connection.execute(query.order_by(table.c[shape.key])):
            yield _record(names, row)


def get_record(engine: Engine, kind: str, key: str, *, practice: str, settings: Settings) -> Record:
    """One record, inactive or not; an InputError when there is none."""
    shape = shape_for(resolve_kind(kind).name)
    key = normalize_key(shape, key, settings)
    table, names = shape.table, record_columns(shape)
    query = select(*(table.c[name] for name in names)).where(
        table.c.practice == practice, table.c[shape.key] == key
    )
    with read_connection(engine) as connection:
        row = connection.execute(query).first()
    if row is None:
        raise not_found(shape, key, practice)
    return _record(names, row)


def _record(names: tuple[str, ...], row: Any) -> Record:
    record = dict(zip(names, row, strict=True))
    record["inactive"] = bool(record["inactive"])  # SQLite returns 0 / 1
    return record


def record_history(
    engine: Engine, kind: str, key: str, *, practice: str, settings: Settings
) -> list[Record]:
    """The change-log entries of one record, oldest first (the record may no longer exist).

    Its "insert" entry comes from the import batch whose range of added ids holds the record
    (or, for records added before batches kept ranges, from a change-log row like the others).
    """
    shape = shape_for(resolve_kind(kind).name)
    key = normalize_key(shape, key, settings)
    log, batch, table = CHANGE_LOG, IMPORT_BATCH, shape.table
    sources = (batch.c.changed_at, batch.c.source_name, batch.c.source_sha256)
    logged = (
        select(batch.c.id, log.c.id, log.c.action, log.c.field, log.c.old_value, log.c.new_value)
        .add_columns(*sources)
        .join(batch, batch.c.id == log.c.batch_id)
        .where(log.c.practice == practice, log.c.kind == shape.kind, log.c.key == key)
    )
    record_id = (
        select(table.c.id)
        .where(table.c.practice == practice, table.c[shape.key] == key)
        .scalar_subquery()
    )
    added = select(
        batch.c.id,
        literal(0),
        literal("insert"),
        null(),
        null(),
        null(),
        *sources,
    ).where(
        batch.c.practice == practice,
        batch.c.kind == shape.kind,
        batch.c.first_record_id <= record_id,
        batch.c.last_record_id >= record_id,
    )
    with read_connection(engine) as connection:
        rows = [*connection.execute(logged).all(), *connection.execute(added).all()]
    if not rows:
        raise InputError(
            f"no history for {shape.spec.entity} {key} in practice '{practice}'",
            hint="check the key and --practice",
        )
    # In batch order; within a batch the insert (entry 0) comes first, then the log's order.
    rows.sort(key=lambda row: (row[0], row[1]))
    return [_history_entry(row[2:]) for row in rows]


_HISTORY_FIELDS = (
    "action",
    "field",
    "old_value",
    "new_value",
    "changed_at",
    "source_name",
    "source_sha256",
)


def _history_entry(row: Any) -> Record:
    entry = dict(zip(_HISTORY_FIELDS, row, strict=True))
    changed_at: datetime = entry["changed_at"]
    # Keys in the order history has always listed them.
    return {
        "changed_at": changed_at.isoformat(timespec="seconds"),
        **{name: entry[name] for name in _HISTORY_FIELDS if name != "changed_at"},
    }


def normalize_key(shape: RecordShape, key: str, settings: Settings) -> str:
    """A key typed on the command line, normalised and checked like a key in a file."""
    spec = shape.spec.field(shape.key)
    id_kind = spec.id_kind or IdKind.CODE
    rules = id_rules(settings)
    value = normalize_id(key, id_kind, rules=rules).value
    if not value or (id_kind is not IdKind.NPI and not rules.is_well_formed(id_kind, value)):
        raise InputError(
            f"'{key}' is not a {spec.label}", hint=f"expected {rules.expected_shape(id_kind)}"
        )
    return value


def not_found(shape: RecordShape, key: str, practice: str) -> InputError:
    return InputError(
        f"no {shape.spec.entity} {key} in practice '{practice}'",
        hint=f"see `syncguard registry list {shape.kind} --include-inactive`",
    )
