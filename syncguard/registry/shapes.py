"""How each kind of CMD record is stored: its table, key column and data columns.

For fast comparison a record's *state* is one string: the inactive flag and every data column,
joined by a separator that cleaned cells cannot contain. The database computes the same string
for stored records, so a re-import compares one string per row instead of building objects.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, Table, case, func, literal

from syncguard import models
from syncguard.inputs.kinds import CMD_KINDS, KindSpec

SEP = "\x1f"  # unit separator: clean_text turns it into a space, codes are refused with it
NULL = "\x1e"  # record separator: stands for a missing (NULL) value
ACTIVE, INACTIVE = "0", "1"
# Columns every record table has that are not data read from a file.
_BOOKKEEPING = ("id", "practice", "inactive")


@dataclass(frozen=True, slots=True)
class RecordShape:
    """``fields`` are the data columns other than the key, in table order."""

    spec: KindSpec
    table: Table
    key: str
    fields: tuple[str, ...]
    nullable: frozenset[str]

    @property
    def kind(self) -> str:
        return self.spec.name

    def state(self, values: tuple[str | None, ...], inactive: bool) -> str:
        """The comparable state of a record (see the module docstring)."""
        flag = INACTIVE if inactive else ACTIVE
        return SEP.join((flag, *(NULL if value is None else value for value in values)))

    def state_sql(self) -> ColumnElement[Any]:
        """The same state, computed by the database for stored records."""
        table = self.table
        parts: list[ColumnElement[Any]] = [case((table.c.inactive, INACTIVE), else_=ACTIVE)]
        for name in self.fields:
            parts.append(literal(SEP, String))
            parts.append(func.coalesce(table.c[name], literal(NULL, String)))
        return functools.reduce(operator.add, parts)


def parse_state(state: str) -> tuple[bool, tuple[str | None, ...]]:
    """(inactive, values) back from a state string."""
    flag, *values = state.split(SEP)
    return flag == INACTIVE, tuple(None if value == NULL else value for value in values)


@functools.cache
def shape_for(kind: str) -> RecordShape:
    """The shape of ``kind`` (a plural kind name: "payers", "referring", ...)."""
    spec = CMD_KINDS[kind]
    table: Table = getattr(models, spec.model_name).__table__
    fields = tuple(
        column.name
        for column in table.columns
        if column.name not in _BOOKKEEPING and column.name != spec.key
    )
    nullable = frozenset(column.name for column in table.columns if column.nullable)
    return RecordShape(spec, table, spec.key, fields, nullable)


def placeholder(paramstyle: str) -> str:
    """The driver's positional parameter marker, for bulk statements sent as raw SQL."""
    return "?" if paramstyle == "qmark" else "%s"
