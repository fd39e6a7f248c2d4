"""Change the registry by hand: add one record, deactivate one record (both logged as
"manual"), and set the practice's default revenue code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from syncguard.config import Settings
from syncguard.db import write_transaction
from syncguard.errors import InputError
from syncguard.inputs.columns import ColumnIndex
from syncguard.inputs.kinds import IdKind
from syncguard.models import PracticeSetting
from syncguard.normalize import ValueStatus, normalize_id
from syncguard.readers.table import Row
from syncguard.registry.importer import id_rules, resolve_kind
from syncguard.registry.queries import normalize_key, not_found
from syncguard.registry.rows import InvalidRow, Repair, RowParser
from syncguard.registry.shapes import ACTIVE, RecordShape, shape_for
from syncguard.registry.store import ChangeLogWriter, RecordStore
from syncguard.registry.writer import Batch, BatchWriter

MANUAL = ("manual", None)  # the change log's source for edits made on the command line


@dataclass(frozen=True, slots=True)
class AddResult:
    key: str
    repaired: list[Repair]


def add_record(
    engine: Engine, kind: str, values: Mapping[str, str], *, practice: str, settings: Settings
) -> AddResult:
    """Add one record, validated like a row of an import; an existing key is an InputError."""
    shape = shape_for(resolve_kind(kind).name)
    _require_fields(shape, values)
    names = list(values)
    columns = ColumnIndex({name: index for index, name in enumerate(names)}, {})
    parser = RowParser(shape, columns, id_rules(settings))
    try:
        parsed = parser.parse(Row(1, tuple(values[name] for name in names)))
    except InvalidRow as invalid:
        raise InputError(f"cannot add the {shape.spec.entity}: {invalid.reason}") from None
    with write_transaction(engine) as connection:
        store = RecordStore(connection, shape, practice)
        store.prepare_for_writing()
        if store.states([parsed.key]):
            raise InputError(
                f"{shape.spec.entity} {parsed.key} is already in practice '{practice}'",
                hint="to change it, import a corrected export",
            )
        writer = BatchWriter(store, ChangeLogWriter(connection, shape, practice, MANUAL))
        writer.write(Batch([(practice, parsed.key, *parsed.values, bool(parsed.inactive))]))
        writer.finish()
    return AddResult(parsed.key, parser.repairs)


def _require_fields(shape: RecordShape, values: Mapping[str, str]) -> None:
    unknown = sorted(set(values) - {spec.name for spec in shape.spec.fields})
    if unknown:
        raise InputError(f"{shape.kind} have no field {unknown[0]}")
    for spec in shape.spec.fields:
        if spec.required and not values.get(spec.name, "").strip():
            raise InputError(f"a {shape.spec.entity} needs its {spec.label}")


def deactivate_record(
    engine: Engine, kind: str, key: str, *, practice: str, settings: Settings
) -> bool:
    """Mark one record inactive (never deleted); False when it already was."""
    shape = shape_for(resolve_kind(kind).name)
    key = normalize_key(shape, key, settings)
    with write_transaction(engine) as connection:
        store = RecordStore(connection, shape, practice)
        store.prepare_for_writing()
        state = store.states([key]).get(key)
        if state is None:
            raise not_found(shape, key, practice)
        if not state.startswith(ACTIVE):
            return False
        store.set_inactive([(key, True)])
        ChangeLogWriter(connection, shape, practice, MANUAL).add(
            [(key, "deactivate", None, None, None)]
        )
    return True


def set_default_rev_code(engine: Engine, code: str, *, practice: str, settings: Settings) -> str:
    """Set the practice's system-wide default revenue code (4 digits with a leading zero)."""
    rules = id_rules(settings)
    value = normalize_id(code, IdKind.REV_CODE, rules=rules)
    if value.status is ValueStatus.DAMAGED or not value.value:
        raise InputError(f"'{code}' is not a revenue code: {value.reason or 'empty'}")
    if not rules.is_well_formed(IdKind.REV_CODE, value.value):
        shape = rules.expected_shape(IdKind.REV_CODE)
        raise InputError(f"'{code}' is not a revenue code: expected {shape}")
    table = PracticeSetting.__table__  # type: ignore[attr-defined]
    with write_transaction(engine) as connection:
        found = connection.execute(select(table.c.practice).where(table.c.practice == practice))
        if found.first() is None:
            connection.execute(
                table.insert().values(practice=practice, default_rev_code=value.value)
            )
        else:
            connection.execute(
                update(table)
                .where(table.c.practice == practice)
                .values(default_rev_code=value.value)
            )
    return value.value
