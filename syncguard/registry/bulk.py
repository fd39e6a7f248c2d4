"""Import a large plain CSV file column by column instead of row by row.

Cells already in their clean form (an NPI of ten digits whose check digit holds, a sequence
number of exactly its digits, a plain name, a known yes/no flag) are recognised with polars
expressions for all rows at once; the value of such a cell is its text, as the row parser would
make it. Every other row goes through the row parser itself, so its repairs, findings and row
numbers are exactly those of a row-by-row import. Duplicate keys, unchanged records and new ones
are then found with joins; changed records and pruning go through the same ``Planner`` code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy.engine import Engine

from syncguard.inputs.columns import ColumnIndex
from syncguard.inputs.flags import parse_flag
from syncguard.inputs.kinds import IdKind
from syncguard.normalize import IdRules
from syncguard.npi import NPI_LENGTH, PREFIX_LUHN_CONTRIBUTION
from syncguard.readers.columnar import ROW, column_name
from syncguard.readers.table import NO_NUMERIC_CELLS, Row, SourceFile
from syncguard.registry.importer import (
    ImportOptions,
    collector_paused,
    empty_prune,
    import_connection,
    open_store,
    refusal,
)
from syncguard.registry.plan import BATCH_SIZE, Planner
from syncguard.registry.result import SAMPLE_SIZE, ImportResult, InvalidRowInfo
from syncguard.registry.rows import InvalidRow, Repair, RowParser
from syncguard.registry.shapes import NULL, SEP, RecordShape
from syncguard.registry.store import ROW_SEP, RecordStore
from syncguard.registry.writer import Batch

# A cell that ``clean_text`` leaves as it is: printable ASCII, single spaces between words, no
# leading apostrophe or space (and so no separator of the state strings either).
_PLAIN_TEXT = r"^[!-&(-~](?: ?[!-~])*$"
_NAME_FIELDS = ("last_name", "first_name")
_HALF_DIGITS = NPI_LENGTH // 2
KEY, REASON, OLD, INACTIVE = "key", "reason", "old", "inactive"
STATE_PART_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class _Field:
    value: pl.Expr  # the parsed value of a clean cell
    clean: pl.Expr  # whether the cell is clean


@dataclass(slots=True)
class ParsedFrame:
    """Every row of a file, parsed: (row, key, *fields, inactive, reason), in row order.
    ``reason`` is set for an invalid row, and ``key`` then when the key itself was valid."""

    rows: pl.DataFrame
    rows_read: int
    repairs: list[Repair]


def apply_parsed(
    engine: Engine,
    shape: RecordShape,
    practice: str,
    source: SourceFile,
    parsed: ParsedFrame,
    options: ImportOptions,
) -> ImportResult:
    """``apply_rows`` for rows parsed by ``parse_frame``."""
    with import_connection(engine, options) as connection:
        result = ImportResult(shape.kind, practice, source, options.dry_run, options.prune)
        result.rows_read, result.repaired = parsed.rows_read, parsed.repairs
        store, writer = open_store(connection, shape, practice, source, options)
        with collector_paused():
            planner = Planner(shape, result, {}, writer, options.skip_invalid)
            _plan(planner, store, parsed, options)
        return result


def clean_fields(
    shape: RecordShape, columns: ColumnIndex, rules: IdRules, frame: pl.DataFrame
) -> list[_Field] | None:
    """How to read the key, each field and the flag of a clean row (in that order); None when
    this file's columns need the row parser for every row (a "Last, First" name column, a
    sequence-number pattern)."""
    if any(name in shape.fields for name in _NAME_FIELDS) and not all(
        columns.has(name) for name in _NAME_FIELDS
    ):
        return None
    if rules.sequence_pattern:
        return None
    result = []
    for name in (shape.key, *shape.fields):
        spec = shape.spec.field(name)
        index = columns.fields.get(name)
        is_key = name == shape.key
        if index is None:
            empty = None if spec.id_kind is not None or name in shape.nullable else ""
            result.append(_Field(pl.lit(empty, pl.String), pl.lit(not is_key)))
            continue
        cell = pl.col(column_name(index))
        if spec.id_kind is not None:
            result.append(_identifier(cell, spec.id_kind, rules, is_key))
        else:
            value = cell  # an empty cell stays "" (a name, a required text)...
            if name in shape.nullable and name not in _NAME_FIELDS:  # ...or is None
                value = pl.when(cell == "").then(pl.lit(None, pl.String)).otherwise(cell)
            result.append(_Field(value, (cell == "") | cell.str.contains(_PLAIN_TEXT)))
    result.append(_flag(columns, frame))
    return result


def _identifier(cell: pl.Expr, kind: IdKind, rules: IdRules, is_key: bool) -> _Field:
    if kind is IdKind.NPI:
        clean = cell.str.contains(f"^[0-9]{{{NPI_LENGTH}}}$") & _npi_check_digit_holds(cell)
    elif kind is IdKind.SEQUENCE:
        clean = cell.str.contains(f"^[0-9]{{{rules.sequence_width}}}$")
    else:
        clean = pl.lit(False)  # codes and revenue codes: always the row parser
    if not is_key:  # an empty optional identifier is None, without a repair
        clean = clean | (cell == "")
        return _Field(pl.when(cell == "").then(pl.lit(None, pl.String)).otherwise(cell), clean)
    return _Field(cell, clean)


def _npi_check_digit_holds(cell: pl.Expr) -> pl.Expr:
    """The Luhn check of an NPI (with the 80840 prefix), for cells of ten ASCII digits (the
    caller checks that): each half of the number looks its part of the sum up in a table."""
    half = 10**_HALF_DIGITS
    number = cell.cast(pl.Int64, strict=False).clip(0, half * half - 1)
    high, low = _luhn_half_sums((0, 2, 4)), _luhn_half_sums((1, 3))
    total = pl.lit(high).gather(number // half) + pl.lit(low).gather(number % half)
    return ((total + PREFIX_LUHN_CONTRIBUTION) % 10 == 0).fill_null(False)


def _luhn_half_sums(doubled: tuple[int, ...]) -> pl.Series:
    """For each number of five digits, its part of an NPI's Luhn sum, the digits at the
    ``doubled`` positions (0 = leftmost) doubled and their digits summed."""
    number = pl.int_range(0, 10**_HALF_DIGITS, dtype=pl.Int64, eager=True)
    total = pl.zeros(len(number), pl.Int64, eager=True)
    for position in range(_HALF_DIGITS):
        digit = number // 10 ** (_HALF_DIGITS - 1 - position) % 10
        if position in doubled:
            digit = digit * 2 - (digit >= 5).cast(pl.Int64) * 9
        total = total + digit
    return total


def _flag(columns: ColumnIndex, frame: pl.DataFrame) -> _Field:
    """Whether each row is inactive, from the inactive column or else the active one (as
    ``RowParser`` reads them: a cell neither yes nor no leaves its row to the row parser)."""
    flag_field = columns.flag_field()
    if flag_field is None:
        return _Field(pl.lit(False), pl.lit(True))
    name = column_name(columns.fields[flag_field])
    asks_active = flag_field == "active"
    flags = {
        raw: parse_flag(raw, asks_active=asks_active)
        for raw in frame.get_column(name).unique().to_list()
    }
    known = {raw: flag for raw, flag in flags.items() if flag is not None}
    value = pl.col(name).replace_strict(known, default=None, return_dtype=pl.Boolean)
    return _Field(value, value.is_not_null())


def parse_frame(
    frame: pl.DataFrame, shape: RecordShape, parser: RowParser, fields: list[_Field]
) -> ParsedFrame:
    """Every row of ``frame`` parsed: clean rows by expression, the others by the row parser."""
    names = [KEY, *shape.fields, INACTIVE]
    clean = frame.select(pl.all_horizontal([field.clean for field in fields])).to_series()
    if clean.all():  # the usual case: no row to set apart
        rows = frame.select(
            pl.col(ROW),
            *(field.value.alias(name) for field, name in zip(fields, names, strict=True)),
            pl.lit(None, pl.String).alias(REASON),
        )
        return ParsedFrame(rows, frame.height, parser.repairs)
    marked = frame.with_columns(clean.alias("_clean"))
    good = marked.filter(pl.col("_clean")).select(
        pl.col(ROW),
        *(field.value.alias(name) for field, name in zip(fields, names, strict=True)),
        pl.lit(None, pl.String).alias(REASON),
    )
    cells = [column_name(index) for index in range(frame.width - 1)]
    others = marked.filter(~pl.col("_clean")).select(ROW, *cells)
    width = len(shape.fields)
    parsed_rows: list[tuple[Any, ...]] = []
    for number, *values in others.iter_rows():
        try:
            row = parser.parse(Row(number, tuple(values), NO_NUMERIC_CELLS))
        except InvalidRow as invalid:
            parsed_rows.append((number, invalid.key, *([None] * width), False, invalid.reason))
            continue
        parsed_rows.append((number, row.key, *row.values, bool(row.inactive), None))
    slow = pl.DataFrame(parsed_rows, schema=good.schema, orient="row")
    return ParsedFrame(good.merge_sorted(slow, ROW), frame.height, parser.repairs)


def _plan(planner: Planner, store: RecordStore, frame: ParsedFrame, options: ImportOptions) -> None:
    shape, result = planner.shape, planner.result
    # Held here only from now on, so that each step's copy can be freed after it.
    parsed, frame.rows = frame.rows, pl.DataFrame()
    parsed = _mark_duplicates(parsed, shape.spec.field(shape.key).label)
    if parsed.get_column(REASON).null_count() < parsed.height:
        invalid = parsed.filter(pl.col(REASON).is_not_null()).select(ROW, REASON)
        result.invalid.extend(InvalidRowInfo(row, why) for row, why in invalid.iter_rows())
    if result.invalid and not options.skip_invalid:
        raise refusal(result)
    keys = parsed.get_column(KEY)  # every key the file lists, of invalid rows too
    if options.prune and keys.null_count() == len(keys) and not options.allow_empty_prune:
        raise empty_prune(result, shape)
    valid = parsed.filter(pl.col(REASON).is_null()) if result.invalid else parsed
    valid = valid.drop(REASON, ROW)
    del parsed
    existing = _stored_states(store)
    state = pl.concat_str(
        [
            pl.when(pl.col(INACTIVE)).then(pl.lit("1")).otherwise(pl.lit("0")),
            *(pl.col(name).fill_null(NULL) for name in shape.fields),
        ],
        separator=SEP,
    )
    if existing.is_empty():  # a first import: everything is new
        _insert(planner, store, valid)
        planner.finish()
        return
    joined = valid.join(existing, on=KEY, how="left", maintain_order="left")
    del valid
    if not options.prune:
        del existing
    _insert(planner, store, joined.filter(pl.col(OLD).is_null()))
    stored = joined.filter(pl.col(OLD).is_not_null())
    del joined
    differs = stored.select(pl.col(OLD) != state).to_series()
    result.unchanged += len(differs) - int(differs.sum())
    changed = stored.filter(differs).select(KEY, OLD, INACTIVE, *shape.fields)
    del stored, differs
    for count, (key, old, inactive, *values) in enumerate(changed.iter_rows(), start=1):
        planner.change(key, old, tuple(values), inactive)
        if count % BATCH_SIZE == 0:
            planner.flush()
    del changed
    if options.prune:
        seen = keys.drop_nulls().unique().to_frame()
        left = existing.join(seen, on=KEY, how="anti", maintain_order="left")
        planner.existing = dict(left.iter_rows())
        planner.prune()
    planner.finish()


def _mark_duplicates(parsed: pl.DataFrame, label: str) -> pl.DataFrame:
    """Give each later row of a key already listed its reason, as the row-by-row import does
    (the first row of a key may be an invalid one, if its key was valid)."""
    keys = parsed.get_column(KEY).drop_nulls().sort()  # neighbours once sorted: no hashing
    if not (keys == keys.shift(1)).any():
        return parsed
    keyed = pl.col(KEY).is_not_null()
    first = pl.col(ROW).min().over(KEY)
    duplicate = pl.col(REASON).is_null() & keyed & (pl.col(ROW) != first)
    reason = (
        pl.when(duplicate)
        .then(pl.format(f"duplicate {label} {{}} (first on row {{}})", pl.col(KEY), first))
        .otherwise(pl.col(REASON))
    )
    return parsed.with_columns(reason.alias(REASON))


def _stored_states(store: RecordStore) -> pl.DataFrame:
    """key -> state of the stored records: from SQLite as one text read like a CSV file, else
    in parts (a million records as Python objects would take a few hundred MB at once)."""
    schema = {KEY: pl.String, OLD: pl.String}
    if store.connection.dialect.name == "sqlite":
        count, joined = store.joined_states()
        data = joined.encode()
        del joined
        # Keys and states hold no line break nor ROW_SEP (clean_text turns them into spaces,
        # identifiers are printable): the checks only make sure.
        if b"\r" not in data:
            try:
                stored = pl.read_csv(
                    data,
                    has_header=False,
                    separator=ROW_SEP,
                    quote_char=None,
                    schema=schema,
                    raise_if_empty=False,
                )
            except pl.exceptions.PolarsError:
                stored = None
            if stored is not None and stored.height == count:
                return stored
    parts = [
        pl.DataFrame(part, schema=schema, orient="row")
        for part in store.state_parts(STATE_PART_ROWS)
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def _insert(planner: Planner, store: RecordStore, new: pl.DataFrame) -> None:
    """Add the new records, counted in file order, in batches."""
    shape = planner.shape
    planner.result.added.add_many(new.height, new.get_column(KEY).head(SAMPLE_SIZE).to_list())
    writer = planner.writer
    if writer is None or new.is_empty():
        return
    # In key order: the index takes each new key next to the one before, or, built at the end,
    # sorts presorted keys (three times faster than a file's order on a million rows).
    ordered = new.sort(KEY)
    with store.index_deferred(new.height):
        for start in range(0, ordered.height, BATCH_SIZE):
            chunk = ordered.slice(start, BATCH_SIZE)
            columns = [chunk.get_column(name).to_list() for name in (KEY, *shape.fields)]
            inactive = chunk.get_column(INACTIVE).to_list()
            writer.write(Batch(records=list(zip(*columns, inactive, strict=True))))
