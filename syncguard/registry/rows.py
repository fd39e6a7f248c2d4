"""Turn one row of a CMD export into a record: identifiers normalised and validated, names
cleaned, repairs noted; a row that cannot be imported raises InvalidRow with the reason.

This runs once per row of files with a million rows, so each field gets a small reader bound
to its column when the parser is built, and a clean cell takes a short path.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple, TypeVar

from syncguard.inputs.columns import ColumnIndex
from syncguard.inputs.flags import parse_flag
from syncguard.inputs.kinds import FieldSpec, IdKind
from syncguard.normalize import UNSAVED_FORMULA, IdRules, ValueStatus, clean_text, normalize_id
from syncguard.npi import (
    NPI_LENGTH,
    PREFIX_LUHN_CONTRIBUTION,
    NpiStatus,
    npi_check_digit,
    npi_status,
)
from syncguard.readers.table import Row
from syncguard.registry.shapes import RecordShape

# Names and flags repeat a lot in real exports; cleaning each distinct text once is much
# faster on large files. A cache is dropped when it grows past this many entries.
_CACHE_LIMIT = 200_000
_NAME_FIELDS = ("last_name", "first_name")
_NO_NAMES = ("", "")
K = TypeVar("K")
V = TypeVar("V")
Cells = tuple[str, ...]
CellReader = Callable[[Cells, frozenset[int], int, tuple[str, str]], str | None]


class ParsedRow(NamedTuple):
    """A valid row. ``inactive`` is None when the file has neither an inactive nor an active
    column (read from an active column, it is the opposite of what the column says)."""

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
        self.columns = columns
        self.rules = rules
        self._nullable = shape.nullable
        self._key_spec = shape.spec.field(shape.key)
        self._key = self._identifier_reader(self._key_spec)
        # column -> label of each identifier cell: an unsaved formula there is damage.
        self._identifier_columns = {
            columns.fields[spec.name]: spec.label
            for spec in (shape.spec.field(name) for name in (shape.key, *shape.fields))
            if spec.id_kind is not None and columns.has(spec.name)
        }
        self._readers = [self._reader(shape.spec.field(name)) for name in shape.fields]
        self._has_names = any(name in _NAME_FIELDS for name in shape.fields)
        # Providers store the two name parts first: those values are the names tuple itself.
        self._names_lead = shape.fields[:2] == _NAME_FIELDS
        self._tail = self._readers[2:] if self._names_lead else self._readers
        # The cells name_parts reads: the cache key for the names of a row.
        name_columns = ("last_name", "first_name", "full_name")
        self._name_indexes = [columns.fields[n] for n in name_columns if columns.has(n)]
        self._name_cells = _cells_getter(self._name_indexes)
        flag_field = columns.flag_field()
        self._flag_index = None if flag_field is None else columns.fields[flag_field]
        self._flag_asks_active = flag_field == "active"
        self._flag_label = "" if flag_field is None else shape.spec.field(flag_field).label
        header = columns.headers.get(flag_field or "", "").strip()
        self._flag_column = f' (column "{header}")' if header else ""
        self._text_cache: dict[str, str] = {}
        self._name_cache: dict[tuple[str, ...], tuple[str, str]] = {}
        self._flag_cache: dict[str, bool] = {}

    def parse(self, row: Row) -> ParsedRow:
        number, cells, numeric, formulas = row
        if formulas:
            self._refuse_unsaved_formulas(formulas, cells, numeric, number)
        key = self._key(cells, numeric, number, _NO_NAMES)
        if key is None:
            raise InvalidRow(f"empty {self._key_spec.label}")
        try:
            names = _NO_NAMES
            if self._has_names:
                names = self._name_cache.get(self._name_cells(cells)) or self._names(row)
            tail = self._tail
            if not self._names_lead:
                values = tuple([read(cells, numeric, number, names) for read in tail])
            elif len(tail) == 1:
                values = (*names, tail[0](cells, numeric, number, names))
            else:
                values = names + tuple([read(cells, numeric, number, names) for read in tail])
            inactive = None
            if self._flag_index is not None:
                raw = cells[self._flag_index]
                inactive = self._flag_cache.get(raw)
                if inactive is None:
                    inactive = self._flag(raw)
        except InvalidRow as invalid:
            raise InvalidRow(invalid.reason, key) from None
        return _new(ParsedRow, (number, key, values, inactive))

    def _refuse_unsaved_formulas(
        self, formulas: frozenset[int], cells: Cells, numeric: frozenset[int], number: int
    ) -> None:
        """An identifier cell holding a formula whose result was never saved is damaged, not
        empty (an empty NPI would read as "no NPI")."""
        for index in sorted(formulas):
            label = self._identifier_columns.get(index)
            if label is None:
                continue
            key = None
            if index != self.columns.fields.get(self._key_spec.name):
                with suppress(InvalidRow):
                    key = self._key(cells, numeric, number, _NO_NAMES)
            raise InvalidRow(f"damaged {label}: {UNSAVED_FORMULA}", key)

    def _reader(self, spec: FieldSpec) -> CellReader:
        if spec.name in _NAME_FIELDS:
            position = _NAME_FIELDS.index(spec.name)
            return lambda _cells, _numeric, _number, names: names[position]
        if spec.id_kind is not None:
            return self._identifier_reader(spec)
        index = self.columns.fields.get(spec.name)
        empty = None if spec.name in self._nullable else ""
        if index is None:
            return lambda _cells, _numeric, _number, _names: empty
        return lambda cells, _numeric, _number, _names: self._text(cells[index]) or empty

    def _identifier_reader(self, spec: FieldSpec) -> CellReader:
        index = self.columns.fields.get(spec.name)
        kind = spec.id_kind
        assert kind is not None
        well_formed = self._well_formed(kind, spec.label)
        fast = kind is not IdKind.REV_CODE

        def read(cells: Cells, numeric: frozenset[int], number: int, _: object) -> str | None:
            if index is None:
                return None
            raw = cells[index]
            if fast and raw.isdigit() and raw.isascii() and index not in numeric:
                value: str | None = raw  # clean digits: no normalisation result to build
            else:
                value = self._normalize(raw, index in numeric, number, spec)
            if value is not None:
                well_formed(value)
            return value

        if index is None or not fast:
            return read
        if kind is IdKind.NPI:
            return _clean_npi_reader(index, read)
        width = self.rules.fixed_width(kind)
        if kind is IdKind.SEQUENCE and self.rules.sequence_pattern:
            return read
        return _clean_digits_reader(index, width, read)

    def _normalize(self, raw: str, is_number: bool, number: int, spec: FieldSpec) -> str | None:
        assert spec.id_kind is not None
        normalized = normalize_id(raw, spec.id_kind, is_number=is_number, rules=self.rules)
        if normalized.status is ValueStatus.DAMAGED:
            raise InvalidRow(f"damaged {spec.label} '{raw.strip()}': {normalized.reason}")
        if normalized.status is ValueStatus.REPAIRED and normalized.reason:
            self.repairs.append(Repair(number, spec.name, normalized.reason))
        return normalized.value

    def _well_formed(self, kind: IdKind, label: str) -> Callable[[str], None]:
        if kind is IdKind.NPI:
            return _check_npi
        if kind is IdKind.CODE:
            return lambda value: _check_code(value, label)
        rules, shape = self.rules, self.rules.expected_shape(kind)
        width = (
            None if kind is IdKind.SEQUENCE and rules.sequence_pattern else rules.fixed_width(kind)
        )

        def check(value: str) -> None:
            if width is not None and len(value) == width and value.isdigit() and value.isascii():
                return
            if not rules.is_well_formed(kind, value):
                raise InvalidRow(f"malformed {label} '{value}': expected {shape}")

        return check

    def _names(self, row: Row) -> tuple[str, str]:
        raw = self._name_cells(row.values)
        names = self._name_cache.get(raw)
        if names is None:
            names = self.columns.name_parts(row)
            _remember(self._name_cache, raw, names)
        return names

    def _text(self, raw: str) -> str:
        text = self._text_cache.get(raw)
        if text is None:
            text = clean_text(raw)
            _remember(self._text_cache, raw, text)
        return text

    def _flag(self, raw: str) -> bool:
        flag = self._flag_cache.get(raw)
        if flag is None:
            parsed = parse_flag(raw, asks_active=self._flag_asks_active)
            if parsed is None:
                raise InvalidRow(
                    f"{self._flag_label} '{clean_text(raw)}'{self._flag_column} "
                    "is neither yes nor no"
                )
            flag = parsed
            _remember(self._flag_cache, raw, flag)
        return flag


def _clean_npi_reader(index: int, slow: CellReader) -> CellReader:
    """``slow``, with a short path for a cell that is already a valid NPI (most of them)."""

    def read(
        cells: Cells, numeric: frozenset[int], number: int, names: tuple[str, str]
    ) -> str | None:
        raw = cells[index]
        # The tables hold only ASCII digit strings: a KeyError means the cell is not clean.
        try:
            luhn = _LUHN_HEAD[raw[:3]] + _LUHN_MIDDLE[raw[3:6]] + _LUHN_TAIL[raw[6:]]
        except KeyError:
            return slow(cells, numeric, number, names)
        if luhn % 10 == _LUHN_VALID and len(raw) == NPI_LENGTH and index not in numeric:
            return raw
        return slow(cells, numeric, number, names)

    return read


def _clean_digits_reader(index: int, width: int | None, slow: CellReader) -> CellReader:
    """``slow``, with a short path for a cell of ASCII digits of the expected width."""

    def read(
        cells: Cells, numeric: frozenset[int], number: int, names: tuple[str, str]
    ) -> str | None:
        raw = cells[index]
        if (
            (width is None or len(raw) == width)
            and raw.isdigit()
            and raw.isascii()
            and index not in numeric
        ):
            return raw
        return slow(cells, numeric, number, names)

    return read


def _luhn_table(doubled: tuple[bool, ...]) -> dict[str, int]:
    """Each ASCII digit string of ``len(doubled)`` digits -> its part of an NPI's Luhn sum."""
    table = {"": 0}
    for double in doubled:  # one digit position at a time: cheap enough to build on import
        weights = _DOUBLED_DIGIT if double else _PLAIN_DIGIT
        table = {
            prefix + digit: total + weight
            for prefix, total in table.items()
            for digit, weight in zip("0123456789", weights, strict=True)
        }
    return table


# An NPI is valid when 24 (the 80840 prefix) plus the Luhn sum of its ten digits, every other
# one doubled from the ninth leftwards, ends in 0. Three table lookups replace the digit loop.
_DOUBLED_DIGIT = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
_PLAIN_DIGIT = tuple(range(10))
_LUHN_HEAD = _luhn_table((True, False, True))
_LUHN_MIDDLE = _luhn_table((False, True, False))
_LUHN_TAIL = _luhn_table((True, False, True, False))
_LUHN_VALID = (10 - PREFIX_LUHN_CONTRIBUTION % 10) % 10
_new = tuple.__new__  # skips NamedTuple's Python-level __new__: parse runs once per row


def _cells_getter(indexes: list[int]) -> Callable[[Cells], tuple[str, ...]]:
    """A fast ``tuple(cells[i] for i in indexes)``."""
    if len(indexes) > 1:
        return itemgetter(*indexes)
    return lambda cells: tuple([cells[index] for index in indexes])


def _check_npi(value: str) -> None:
    if (
        len(value) == 10
        and value.isdigit()
        and value.isascii()
        and npi_check_digit(value[:9]) == ord(value[9]) - ord("0")
    ):
        return
    if npi_status(value) is NpiStatus.MALFORMED:
        raise InvalidRow(f"malformed NPI '{value}': an NPI is 10 digits")
    raise InvalidRow(f"NPI {value} fails the check digit (mistyped?)")


def _check_code(value: str, label: str) -> None:
    if not value.isprintable():
        raise InvalidRow(f"{label} contains control characters")


def _remember(cache: dict[K, V], key: K, value: V) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
