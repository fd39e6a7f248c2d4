"""A columnar copy of a practice's referring providers, kept in the registry.

``syncguard check --referring`` reads every referring provider of a practice at once (up to a
million); rows through the driver take about a second, an Arrow IPC copy a twentieth of that.
The copy lives in ``record_frame_cache``, one row per practice and kind, with a ``generation``:

* every write to a kind's records (``RecordStore``) bumps the generation and clears the copy in
  the writer's own transaction, so no committed change leaves a stale copy behind;
* a reader that finds no copy reads the records *after* reading the generation, then stores
  what it read only where the generation is still the one it read (and no copy is there yet),
  in a short transaction of its own. A writer that committed in between has bumped the
  generation, and the store changes nothing.

Storing is optional: on a read-only registry, behind a long write, or without the right to
write, the check goes on with the records it read.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from syncguard.db import SQLITE_BUSY_TIMEOUT_SECONDS, read_connection
from syncguard.logs import get_logger
from syncguard.registry.shapes import placeholder, shape_for
from syncguard.registry.store import FRAME_CACHE

if TYPE_CHECKING:
    import polars as pl

REFERRING_SHAPE = shape_for("referring")
REFERRING = REFERRING_SHAPE.kind
COLUMNS = ("npi", "last_name", "first_name", "inactive")
# How long the optional store waits for a writer before giving up (the check does not wait).
STORE_WAIT_MS = 200
_LINE = "\n"
# SQLite's primary result codes, and PostgreSQL's SQLSTATEs, of the errors that only mean the
# copy cannot be stored now: no right to write, a read-only file or server, a writer holding
# the lock, a full disk.
_SQLITE_SKIPPED = frozenset({3, 5, 6, 8, 13, 14})  # PERM BUSY LOCKED READONLY FULL CANTOPEN
_PG_SKIPPED = frozenset({"42501", "25006", "55P03", "53100", "40001", "40P01", "57014"})
_log = get_logger("syncguard.registry")


def referring_frame(engine: Engine, practice: str) -> pl.DataFrame:
    """The practice's CMD referring providers: columns npi, last_name, first_name (String) and
    inactive (Boolean), sorted by npi. Raises RegistryUnavailableError like read_connection."""
    import polars as pl

    with read_connection(engine) as connection:
        cached = _cache_row(connection, practice, REFERRING)
        if cached is not None and cached[1] is not None:
            return pl.read_ipc(io.BytesIO(cached[1]))
        # Only now, after the generation: a write committed from here on makes the store a no-op.
        frame = _read_referring(connection, practice)
    generation = None if cached is None else cached[0]
    _store(engine, practice, REFERRING, generation, frame)
    return frame


def _cache_row(connection: Connection, practice: str, kind: str) -> tuple[int, bytes | None] | None:
    cache = FRAME_CACHE
    query = select(cache.c.generation, cache.c.data).where(
        cache.c.practice == practice, cache.c.kind == kind
    )
    row = connection.execute(query).first()
    if row is None:
        return None
    generation, data = row
    return int(generation), None if data is None else bytes(data)


def _read_referring(connection: Connection, practice: str) -> pl.DataFrame:
    """The records as they are now, exactly, sorted by npi."""
    frame = None
    if connection.dialect.name == "sqlite":
        frame = _sqlite_columns(connection, practice)
    elif connection.dialect.name == "postgresql":
        frame = _postgres_copy(connection, practice)
    if frame is None:
        frame = _driver_rows(connection, practice)
    if not frame.get_column("npi").is_sorted():
        frame = frame.sort("npi")
    return frame


def _empty() -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(schema=_schema(pl.Boolean))


def _schema(flag: Any) -> dict[str, Any]:
    import polars as pl

    return {"npi": pl.String, "last_name": pl.String, "first_name": pl.String, "inactive": flag}


def _sqlite_columns(connection: Connection, practice: str) -> pl.DataFrame | None:
    """SQLite: each column as one text, values one a line, read by polars as a one-column CSV
    (four texts cross into Python instead of a million rows). A value holding a line break,
    or anything polars might read otherwise, gives None (then the rows are read): stored names
    never do (``clean_text`` turns every whitespace run into one space), only a registry edited
    by hand could."""
    import polars as pl

    # Literals, not parameters: SQLite evaluates a bound separator again for every row.
    lines = [f"group_concat({name}, '{_LINE}')" for name in COLUMNS[:3]]
    flag = f"group_concat(CASE WHEN inactive THEN '1' ELSE '0' END, '{_LINE}')"
    table = REFERRING_SHAPE.table.name
    query = f"SELECT count(*), {', '.join(lines)}, {flag} FROM {table} WHERE practice = ?"
    count, *texts = connection.exec_driver_sql(query, (practice,)).one()
    if count == 0:
        return _empty()
    columns = []
    for name, text in zip(COLUMNS, texts, strict=True):
        if text is None:
            return None
        data = (text + _LINE).encode()
        if data.count(b"\n") != count or b"\r" in data or data.startswith(b"\xef\xbb\xbf"):
            return None
        column = pl.read_csv(
            data,
            has_header=False,
            separator="\x1f",  # in no value: each line is one value
            quote_char=None,
            schema={name: pl.String},
            missing_utf8_is_empty_string=True,
        ).to_series()
        if len(column) != count:
            return None
        columns.append(column)
    frame = pl.DataFrame(columns)
    return frame.with_columns(pl.col("inactive") == "1")


def _postgres_copy(connection: Connection, practice: str) -> pl.DataFrame | None:
    """PostgreSQL: the records as CSV through ``COPY ... TO STDOUT``, read by polars."""
    import polars as pl

    raw = connection.connection.driver_connection
    if raw is None or not hasattr(raw, "info") or raw.info.encoding != "utf-8":
        return None
    table = REFERRING_SHAPE.table.name
    statement = (
        f"COPY (SELECT npi, last_name, first_name, CASE WHEN inactive THEN '1' ELSE '0' END "
        f"FROM {table} WHERE practice = %s) TO STDOUT (FORMAT csv)"
    )
    with raw.cursor() as cursor:
        with cursor.copy(statement, (practice,)) as copy:
            data = b"".join(bytes(chunk) for chunk in copy)
        count = cursor.rowcount
    if count == 0:
        return _empty()
    frame = pl.read_csv(
        data,
        has_header=False,
        new_columns=list(COLUMNS),
        schema=_schema(pl.String),
        missing_utf8_is_empty_string=True,
    )
    if frame.height != count:
        return None
    return frame.with_columns(pl.col("inactive") == "1")


def _driver_rows(connection: Connection, practice: str) -> pl.DataFrame:
    """Any database: the rows as the DB-API driver returns them."""
    import polars as pl

    table = REFERRING_SHAPE.table
    mark = placeholder(connection.dialect.paramstyle)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(
            f"SELECT {', '.join(COLUMNS)} FROM {table.name} WHERE practice = {mark}", (practice,)
        )
        rows = [(npi, last, first, bool(flag)) for npi, last, first, flag in cursor.fetchall()]
    finally:
        cursor.close()
    return pl.DataFrame(rows, schema=_schema(pl.Boolean), orient="row")


def _store(
    engine: Engine, practice: str, kind: str, generation: int | None, frame: pl.DataFrame
) -> None:
    """Keep ``frame`` as the copy of ``generation`` (None: no cache row was there), unless a
    writer got there first; errors that only mean "not now" are logged and passed over."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    data = buffer.getvalue()
    cache = FRAME_CACHE.name
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            mark = placeholder(connection.dialect.paramstyle)
            if sqlite:
                _busy_timeout(connection, STORE_WAIT_MS)
                connection = connection.execution_options(sqlite_begin="IMMEDIATE")
            try:
                with connection.begin():
                    if connection.dialect.name == "postgresql":
                        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{STORE_WAIT_MS}ms'")
                    if generation is None:
                        connection.exec_driver_sql(
                            f"INSERT INTO {cache} (practice, kind, generation, data) VALUES "
                            f"({mark}, {mark}, 0, {mark}) ON CONFLICT (practice, kind) DO NOTHING",
                            (practice, kind, data),
                        )
                    else:
                        connection.exec_driver_sql(
                            f"UPDATE {cache} SET data = {mark} WHERE practice = {mark} AND "
                            f"kind = {mark} AND generation = {mark} AND data IS NULL",
                            (data, practice, kind, generation),
                        )
            finally:
                if sqlite:
                    _busy_timeout(connection, SQLITE_BUSY_TIMEOUT_SECONDS * 1000)
    except DBAPIError as error:
        reason = _skipped(error)
        if reason is None:
            raise
        _log.debug("registry.frame_cache.not_stored", kind=kind, reason=reason)


def _busy_timeout(connection: Connection, milliseconds: int) -> None:
    """SQLite: how long to wait for a lock, set outside any transaction (on the driver's
    connection: through SQLAlchemy the statement would begin one)."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    finally:
        cursor.close()


def _skipped(error: DBAPIError) -> str | None:
    """A short code for an error that only means the copy cannot be stored now, else None."""
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _SQLITE_SKIPPED:
        return str(getattr(original, "sqlite_errorname", code))
    state = getattr(original, "sqlstate", None)
    if isinstance(state, str) and state in _PG_SKIPPED:
        return state
    return None
