"""Export the registry to a versioned JSON document, and restore one in a single transaction.

A restore makes each kind of each practice in the document match it exactly, the way an import
with ``--prune`` does: records are added, changed, re-activated, and records the backup does not
hold are deactivated, never deleted; every change is logged with the backup's name and sha256.
Kinds and practices the document does not hold are left alone. The change log itself is not
exported: it is the registry's own history, and a restore adds to it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from syncguard import __version__
from syncguard.atomic_write import write_text_atomically
from syncguard.db import read_connection
from syncguard.errors import InputError
from syncguard.inputs.kinds import CMD_KINDS
from syncguard.models import PracticeSetting
from syncguard.registry.queries import record_columns
from syncguard.registry.shapes import shape_for

BACKUP_FORMAT = "syncguard-registry"
SCHEMA_VERSION = 1
SETTINGS_TABLE = PracticeSetting.__table__  # type: ignore[attr-defined]


def export_registry(engine: Engine, path: Path, *, practice: str | None) -> dict[str, int]:
    """Write every kind of ``practice`` (None: of every practice) to ``path``; returns the
    number of records per practice."""
    with read_connection(engine) as connection, connection.begin():
        names = [practice] if practice is not None else _practices(connection)
        practices = {name: _practice(connection, name) for name in names}
    document = {
        "format": BACKUP_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "syncguard_version": __version__,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "practices": practices,
    }
    write_text_atomically(json.dumps(document, indent=1, ensure_ascii=False) + "\n", path)
    return {
        name: sum(len(records) for kind, records in data.items() if kind in CMD_KINDS)
        for name, data in practices.items()
    }


def _practices(connection: Connection) -> list[str]:
    names: set[str] = set()
    for kind in CMD_KINDS:
        table = shape_for(kind).table
        names.update(connection.execute(select(table.c.practice).distinct()).scalars())
    names.update(connection.execute(select(SETTINGS_TABLE.c.practice)).scalars())
    return sorted(names)


def _practice(connection: Connection, practice: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for kind in CMD_KINDS:
        shape = shape_for(kind)
        table, names = shape.table, record_columns(shape)
        query = (
            select(*(table.c[name] for name in names))
            .where(table.c.practice == practice)
            .order_by(table.c[shape.key])
        )
        data[kind] = [_record(names, row) for row in connection.execute(query)]
    default = connection.execute(
        select(SETTINGS_TABLE.c.default_rev_code).where(SETTINGS_TABLE.c.practice == practice)
    ).scalar()
    data["settings"] = {"default_rev_code": default}
    return data


def _record(names: tuple[str, ...], row: Any) -> dict[str, Any]:
    record = dict(zip(names, row, strict=True))
    record["inactive"] = bool(record["inactive"])
    return record


def read_backup(path: Path) -> tuple[dict[str, Any], str]:
    """The document in ``path`` (checked for format and version) and its sha256."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path.name}: cannot be read ({error.strerror})") from None
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise InputError(
            f"{path.name}: not a JSON document ({error})",
            hint="the backup is cut short or was edited; restore an intact copy of a file "
            "written by `syncguard registry export`",
        ) from None
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise InputError(
            f"{path.name}: not a syncguard registry backup",
            hint="make one with `syncguard registry export`",
        )
    if document.get("schema_version") != SCHEMA_VERSION:
        raise InputError(
            f"{path.name}: backup schema version {document.get('schema_version')!r}; "
            f"this syncguard reads version {SCHEMA_VERSION}",
            hint="restore it with the syncguard version that made it",
        )
    if not isinstance(document.get("practices"), dict):
        raise InputError(f"{path.name}: 'practices' must be an object")
    return document, hashlib.sha256(data).hexdigest()
