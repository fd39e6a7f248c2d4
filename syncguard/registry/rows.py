"""Turn one row of a CMD export into a record: identifiers normalised and validated, names
cleaned, repairs noted; a row that cannot be imported raises InvalidRow with the reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from syncguard.columns import ColumnIndex
from syncguard.flags import parse_flag
from syncguard.kinds import FieldSpec, IdKind
from syncguard.normalize import IdRules, ValueStatus, clean_text, normalize_id
from syncguard.npi import NpiStatus, npi_status
from syncguard.readers.table import Row
from syncguard.registry.shapes import RecordShape

# Names and flags repeat a lot in real exports; cleaning each distinct text once is much
# faster on large files. The caches are dropped when they grow past this many entries.
_CACHE_LIMIT = 200_000
_NAME_FIELDS = ("last_name", "first_name")
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """A valid row. ``inactive`` is None when the file has no inactive column."""

    number: int
    key: str
    values: tuple[str | None, ...]
    inactive: bool | None


@dataclass(frozen=True, slots=True)
class Repair:
    row: int
    field: str
    reason: str


class InvalidRow(Exception):
    """A row that cannot be imported; ``key`` is set when the key itself was valid."""

    def __init__(self, reason: str, key: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.key = key


class RowParser:
    """Parses the rows of one file of one kind; ``repairs`` collects the repaired cells."""

    def __init__(self, shape: RecordShape, columns: ColumnIndex, rules: IdRules) -> None:
        self.repairs: list[Repair] = []
        self._shape = shape
        self._columns = columns
        self._rules = rules
        self._has_flag = columns.has("inactive")
        self._has_names = "last_name" in shape.fields
        self._key_spec = shape.spec.field(shape.key)
        self._text_cache: dict[str, str] = {}
        self._name_cache: dict[tuple[str, ...], tuple[str, str]] = {}
        self._flag_cache: dict[str, bool | None] = {}
        self._readers = [self._reader(shape.spec.field(name)) for name in shape.fields]

    def parse(self, row: Row) -> ParsedRow:
        key = self._identifier(row, self._key_spec)
        if key is None:
            raise InvalidRow(f"empty {self._key_spec.label}")
        try:
            names = self._names(row) if self._has_names else ("", "")
            values = tuple(read(row, names) for read in self._readers)
            inactive = self._flag(row) if self._has_flag else None
        except InvalidRow as invalid:
            raise InvalidRow(invalid.reason, key) from None
        return ParsedRow(row.number, key, values, inactive)

    def _reader(self, spec: FieldSpec) -> Callable[[Row, tuple[str, str]], str | None]:
        if spec.name in _NAME_FIELDS:
            position = _NAME_FIELDS.index(spec.name)
            return lambda _row, names: names[position]
        nullable = spec.name in self._shape.nullable
        if spec.id_kind is not None:
            return lambda row, _names: self._identifier(row, spec)
        return lambda row, _names: self._text(self._columns.text(row, spec.name), nullable)

    def _identifier(self, row: Row, spec: FieldSpec) -> str | None:
        raw = self._columns.text(row, spec.name)
        kind = spec.id_kind
        assert kind is not None
        is_number = self._columns.is_number(row, spec.name)
        if raw.isdigit() and raw.isascii() and not is_number and kind is not IdKind.REV_CODE:
            value: str | None = raw  # the common, clean case, without building a result object
        else:
            normalized = normalize_id(raw, kind, is_number=is_number, rules=self._rules)
            if normalized.status is ValueStatus.DAMAGED:
                raise InvalidRow(f"damaged {spec.label} '{raw.strip()}': {normalized.reason}")
            if normalized.status is ValueStatus.REPAIRED and normalized.reason:
                self.repairs.append(Repair(row.number, spec.name, normalized.reason))
            value = normalized.value
        if value is not None:
            self._validate(value, kind, spec.label)
        return value

    def _validate(self, value: str, kind: IdKind, label: str) -> None:
        if kind is IdKind.NPI:
            status = npi_status(value)
            if status is NpiStatus.MALFORMED:
                raise InvalidRow(f"malformed NPI '{value}': an NPI is 10 digits")
            if status is NpiStatus.BAD_CHECK_DIGIT:
                raise InvalidRow(f"NPI {value} fails the check digit (mistyped?)")
        elif kind is IdKind.CODE:
            if not value.isprintable():
                raise InvalidRow(f"{label} contains control characters")
        elif not self._rules.is_well_formed(kind, value):
            shape = self._rules.expected_shape(kind)
            raise InvalidRow(f"malformed {label} '{value}': expected {shape}")

    def _names(self, row: Row) -> tuple[str, str]:
        columns = self._columns
        raw: tuple[str, ...] = (columns.text(row, "last_name"), columns.text(row, "first_name"))
        if not any(raw):
            raw = (columns.text(row, "full_name"),)
        names = self._name_cache.get(raw)
        if names is None:
            names = columns.name_parts(row)
            _remember(self._name_cache, raw, names)
        return names

    def _text(self, raw: str, nullable: bool) -> str | None:
        text = self._text_cache.get(raw)
        if text is None:
            text = clean_text(raw)
            _remember(self._text_cache, raw, text)
        return None if nullable and not text else text

    def _flag(self, row: Row) -> bool:
        raw = self._columns.text(row, "inactive")
        flag = self._flag_cache.get(raw)
        if flag is None:
            flag = parse_flag(raw)
            if flag is None:
                raise InvalidRow(f"inactive flag '{clean_text(raw)}' is neither yes nor no")
            _remember(self._flag_cache, raw, flag)
        return flag


def _remember(cache: dict[K, V], key: K, value: V) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
