"""Restore a registry backup in one transaction (``backup`` says what a restore changes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.engine import Connection, Engine

from syncguard.config import Settings
from syncguard.db import write_transaction
from syncguard.errors import InputError, InvalidRowsError
from syncguard.inputs.columns import ColumnIndex
from syncguard.inputs.kinds import CMD_KINDS, IdKind
from syncguard.normalize import normalize_id
from syncguard.readers.table import Row, SourceFile
from syncguard.registry.backup import SETTINGS_TABLE, read_backup
from syncguard.registry.importer import ImportOptions, apply_on, id_rules
from syncguard.registry.queries import record_columns
from syncguard.registry.result import ImportResult
from syncguard.registry.rows import RowParser
from syncguard.registry.shapes import RecordShape, shape_for

RESTORE = ImportOptions(prune=True, allow_empty_prune=True)


def restore_registry(
    engine: Engine, path: Path, *, practice: str | None, settings: Settings
) -> list[ImportResult]:
    """Make the registry match the backup at ``path`` for every practice it holds (or only
    ``practice``); one result per practice and kind restored."""
    document, sha256 = read_backup(path)
    practices: dict[str, Any] = document["practices"]
    if practice is not None:
        if practice not in practices:
            held = ", ".join(sorted(practices)) or "none"
            raise InputError(f"{path.name} holds no practice '{practice}' (it holds: {held})")
        practices = {practice: practices[practice]}
    source = SourceFile(path, path.name, sha256)
    results: list[ImportResult] = []
    with write_transaction(engine) as connection:
        for name, data in practices.items():
            if not isinstance(data, dict):
                raise InputError(f"{path.name}: practice '{name}' must be an object")
            for kind in CMD_KINDS:
                if kind in data:
                    shape = shape_for(kind)
                    results.append(
                        _restore_kind(connection, shape, name, source, data[kind], settings)
                    )
            if isinstance(data.get("settings"), dict):
                _restore_settings(connection, name, data["settings"], settings, path.name)
    return results


def _restore_kind(
    connection: Connection,
    shape: RecordShape,
    practice: str,
    source: SourceFile,
    records: object,
    settings: Settings,
) -> ImportResult:
    where = f"{source.name}: practice '{practice}', {shape.kind}"
    if not isinstance(records, list):
        raise InputError(f"{where}: must be a list of records")
    names = record_columns(shape)
    columns = ColumnIndex({name: index for index, name in enumerate(names)}, {})
    parser = RowParser(shape, columns, id_rules(settings))
    rows = (
        Row(number, _cells(record, names, f"{where}, record {number}"))
        for number, record in enumerate(records, start=1)
    )
    try:
        return apply_on(connection, shape, practice, source, parser, rows, RESTORE)
    except InvalidRowsError as error:
        shown = "; ".join(f"record {number}: {reason}" for number, reason in error.problems[:5])
        raise InputError(f"{where}: invalid records, nothing restored: {shown}") from None


def _cells(record: object, names: tuple[str, ...], where: str) -> tuple[str, ...]:
    if not isinstance(record, dict):
        raise InputError(f"{where}: must be an object")
    unknown = sorted(set(record) - set(names))
    if unknown:
        raise InputError(f"{where}: unknown field '{unknown[0]}'")
    return tuple(_text(record.get(name), f"{where}, {name}") for name in names)


def _text(value: object, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int):
        return str(value)
    raise InputError(f"{where}: expected text, found {type(value).__name__}")


def _restore_settings(
    connection: Connection, practice: str, data: dict[str, Any], settings: Settings, name: str
) -> None:
    raw = data.get("default_rev_code")
    code = None
    if raw is not None:
        rules = id_rules(settings)
        code = normalize_id(_text(raw, name), IdKind.REV_CODE, rules=rules).value
        if code is None or not rules.is_well_formed(IdKind.REV_CODE, code):
            raise InputError(f"{name}: practice '{practice}': bad default_rev_code {raw!r}")
    table = SETTINGS_TABLE
    connection.execute(delete(table).where(table.c.practice == practice))
    connection.execute(insert(table).values(practice=practice, default_rev_code=code))
