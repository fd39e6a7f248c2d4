"""Import a CMD export into the registry: one transaction, all of it or none of it.

The file is read, checked and written inside one write transaction (``BEGIN IMMEDIATE`` on
SQLite, an advisory lock per practice and kind on PostgreSQL), so a concurrent import waits and
an interrupted one leaves the registry as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Connection, Engine

from syncguard.config import Settings
from syncguard.db import read_connection, write_transaction
from syncguard.errors import InputError, InvalidRowsError
from syncguard.inputs.kinds import KindSpec, cmd_kind
from syncguard.normalize import IdRules
from syncguard.readers.columnar import large_text_file
from syncguard.readers.table import Row, SourceFile, Table
from syncguard.registry.plan import Planner
from syncguard.registry.result import ImportResult
from syncguard.registry.rows import InvalidRow, RowParser
from syncguard.registry.shapes import RecordShape, shape_for
from syncguard.registry.store import ChangeLogWriter, RecordStore
from syncguard.registry.writer import BatchWriter

SHOWN_PROBLEMS = 5
# A text file this large is read column by column (below it, starting polars costs more).


@dataclass(frozen=True, slots=True)
class ImportOptions:
    dry_run: bool = False
    prune: bool = False
    skip_invalid: bool = False
    allow_empty_prune: bool = False  # a backup may legitimately hold no record of a kind


def import_file(
    engine: Engine,
    kind: str,
    path: Path,
    *,
    practice: str,
    settings: Settings,
    dry_run: bool = False,
    prune: bool = False,
    skip_invalid: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Import the CMD export at ``path`` as records of ``kind`` (plural or singular)."""
    from syncguard.inputs.columns import resolve_columns
    from syncguard.readers import read_table

    shape = shape_for(resolve_kind(kind).name)
    table = read_table(path, encoding=encoding, sheet=sheet)
    columns = resolve_columns(
        table.headers,
        source="cmd",
        kind=shape.kind,
        file_name=table.source.name,
        overrides=settings.columns,
    )
    parser = RowParser(shape, columns, id_rules(settings))
    options = ImportOptions(dry_run=dry_run, prune=prune, skip_invalid=skip_invalid)
    rows: Iterator[Row] = table.rows
    if encoding is None and sheet is None and large_text_file(path):
        done, rows = _import_by_columns(engine, shape, practice, table, parser, options)
        if done is not None:
            return done
    return apply_rows(engine, shape, practice, table.source, parser, rows, options)


def _import_by_columns(
    engine: Engine,
    shape: RecordShape,
    practice: str,
    table: Table,
    parser: RowParser,
    options: ImportOptions,
) -> tuple[ImportResult | None, Iterator[Row]]:
    """Import a plain CSV file column by column (``registry.bulk``); when the file is not
    plain, (None, its rows) for the row-by-row import."""
    from syncguard.readers.columnar import read_csv_columns, take_over_rows
    from syncguard.registry import bulk

    rows = table.rows
    frame = read_csv_columns(table.source.path, table.headers)
    rules = parser.rules
    fields = None if frame is None else bulk.clean_fields(shape, parser.columns, rules, frame)
    if frame is None or fields is None:
        return None, rows
    agreed, rows = take_over_rows(frame, rows)
    if not agreed:
        return None, rows
    parsed = bulk.parse_frame(frame, shape, parser, fields)
    del frame  # the parsed rows hold what is needed of it
    return bulk.apply_parsed(engine, shape, practice, table.source, parsed, options), rows


def apply_rows(
    engine: Engine,
    shape: RecordShape,
    practice: str,
    source: SourceFile,
    parser: RowParser,
    rows: Iterable[Row],
    options: ImportOptions,
) -> ImportResult:
    """Parse ``rows`` and bring the registry in line with them (or, in a dry run, say how)."""
    with import_connection(engine, options) as connection:
        return apply_on(connection, shape, practice, source, parser, rows, options)


def import_connection(engine: Engine, options: ImportOptions) -> AbstractContextManager[Connection]:
    """A read-only connection for a dry run, else the one write transaction of the import."""
    return read_connection(engine) if options.dry_run else write_transaction(engine)


def apply_on(
    connection: Connection,
    shape: RecordShape,
    practice: str,
    source: SourceFile,
    parser: RowParser,
    rows: Iterable[Row],
    options: ImportOptions,
) -> ImportResult:
    """``apply_rows`` inside a transaction the caller holds (a restore holds one for all)."""
    result = ImportResult(shape.kind, practice, source, options.dry_run, options.prune)
    store, writer = open_store(connection, shape, practice, source, options)
    with collector_paused():
        planner = Planner(shape, result, store.states(), writer, options.skip_invalid)
        _take_rows(planner, parser, rows, result)
        _finish(planner, result, options)
    return result


def open_store(
    connection: Connection,
    shape: RecordShape,
    practice: str,
    source: SourceFile,
    options: ImportOptions,
) -> tuple[RecordStore, BatchWriter | None]:
    """The practice's records of ``shape``, and (unless a dry run) the writer of the import's
    changes and its change log."""
    store = RecordStore(connection, shape, practice)
    if options.dry_run:
        return store, None
    store.prepare_for_writing()  # before reading: takes the lock on PostgreSQL
    log = ChangeLogWriter(connection, shape, practice, (source.name, source.sha256 or None))
    return store, BatchWriter(store, log)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: a large import makes millions of short-lived tuples and
    rows, none of them in cycles, and each collection would walk every live one again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _take_rows(
    planner: Planner, parser: RowParser, rows: Iterable[Row], result: ImportResult
) -> None:
    for row in rows:
        result.rows_read += 1
        try:
            parsed = parser.parse(row)
        except InvalidRow as invalid:
            planner.invalid(row.number, invalid.reason, invalid.key)
            continue
        planner.take(parsed)
    result.repaired = parser.repairs


def _finish(planner: Planner, result: ImportResult, options: ImportOptions) -> None:
    if result.invalid and not options.skip_invalid:
        raise refusal(result)
    if options.prune:
        if not planner.seen and not options.allow_empty_prune:
            raise empty_prune(result, planner.shape)
        planner.prune()
    planner.finish()


def refusal(result: ImportResult) -> InvalidRowsError:
    problems = [(info.row, info.reason) for info in result.invalid]
    shown = "; ".join(f"row {row}: {reason}" for row, reason in problems[:SHOWN_PROBLEMS])
    if len(problems) > SHOWN_PROBLEMS:
        shown += f"; and {len(problems) - SHOWN_PROBLEMS} more"
    plural = "s" if len(problems) != 1 else ""
    return InvalidRowsError(
        f"{result.source.name}: {len(problems)} invalid row{plural}, nothing imported: {shown}",
        problems,
        hint="fix them in the file, or use --skip-invalid to import the other rows",
    )


def empty_prune(result: ImportResult, shape: RecordShape) -> InputError:
    return InputError(
        f"{result.source.name}: no {shape.spec.entity} rows to import; with --prune this "
        f"would deactivate every {shape.spec.entity} of practice '{result.practice}'",
        hint="check that it is the right file, or leave out --prune",
    )


def resolve_kind(kind: str) -> KindSpec:
    try:
        return cmd_kind(kind)
    except ValueError as error:
        raise InputError(str(error)) from None


def id_rules(settings: Settings) -> IdRules:
    ids = settings.ids
    return IdRules(ids.sequence_width, ids.sequence_pattern, ids.revenue_code_width)
