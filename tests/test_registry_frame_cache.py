"""The columnar copy of the referring providers: what it holds, and that every write clears it."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from alembic import command
from npi_support import npi
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine

from syncguard.config import Settings
from syncguard.db import create_registry_engine, write_transaction
from syncguard.registry import frame_cache
from syncguard.registry.backup import export_registry
from syncguard.registry.edits import add_record, deactivate_record
from syncguard.registry.frame_cache import referring_frame
from syncguard.registry.importer import import_file
from syncguard.registry.restore import restore_registry
from syncguard.registry.schema import HEAD_REVISION, alembic_config, open_registry

SETTINGS = Settings()
HEADER = ("NPI", "Last Name", "First Name", "Sequence#", "Inactive")
SCHEMA = {"npi": pl.String, "last_name": pl.String, "first_name": pl.String, "inactive": pl.Boolean}


@pytest.fixture
def registry(database_url: str) -> Iterator[Engine]:
    engine = open_registry(database_url, create=True)
    yield engine
    engine.dispose()


def write_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for number, last, first, inactive in rows:
            writer.writerow([number, last, first, "", inactive])
    return path


def import_rows(engine: Engine, path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    import_file(engine, "referring", write_csv(path, rows), practice="default", settings=SETTINGS)


def stored(engine: Engine) -> tuple[int, bytes | None] | None:
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT generation, data FROM record_frame_cache "
                "WHERE practice = 'default' AND kind = 'referring'"
            )
        ).first()
    return None if row is None else (int(row[0]), None if row[1] is None else bytes(row[1]))


def fresh(engine: Engine, practice: str = "default") -> pl.DataFrame:
    with engine.connect() as connection:
        return frame_cache._driver_rows(connection, practice).sort("npi")


BASIC = [
    (npi(3), "Smith", "Jane", "No"),
    (npi(1), "Abernathy", "Lucas", "Yes"),
    (npi(2), "Bauer", "Katrin", "No"),
]


def test_the_cached_frame_equals_the_fresh_one(registry: Engine, tmp_path: Path) -> None:
    import_rows(registry, tmp_path / "a.csv", BASIC)
    first = referring_frame(registry, "default")
    assert first.schema == pl.Schema(SCHEMA)
    assert first.get_column("npi").to_list() == [npi(1), npi(2), npi(3)]
    assert first.get_column("inactive").to_list() == [True, False, False]
    assert first.equals(fresh(registry))
    held = stored(registry)
    assert held is not None and held[1] is not None  # stored by the first read
    second = referring_frame(registry, "default")
    assert second.equals(first)
    assert referring_frame(registry, "elsewhere").equals(pl.DataFrame(schema=SCHEMA))


def test_imports_clear_the_copy(registry: Engine, tmp_path: Path) -> None:
    import_rows(registry, tmp_path / "a.csv", BASIC)
    referring_frame(registry, "default")
    renamed = [
        (number, "Smythe" if last == "Smith" else last, first, flag)
        for number, last, first, flag in BASIC
    ]
    import_rows(registry, tmp_path / "b.csv", renamed)
    held = stored(registry)
    assert held is not None and held[1] is None
    frame = referring_frame(registry, "default")
    assert "Smythe" in frame.get_column("last_name").to_list()
    assert frame.equals(fresh(registry))
    import_rows(registry, tmp_path / "c.csv", [*renamed, (npi(4), "Nakamura", "Kenji", "No")])
    frame = referring_frame(registry, "default")
    assert frame.height == 4 and frame.get_column("npi").to_list()[-1] == npi(4)
    assert frame.equals(fresh(registry))


def test_a_large_import_clears_the_copy(registry: Engine, tmp_path: Path) -> None:
    """A file of 1 MiB or more is imported column by column (``registry.bulk``)."""
    rows = [(npi(index), f"Last{index}", f"First{index}", "No") for index in range(40_000)]
    import_rows(registry, tmp_path / "a.csv", rows)
    assert referring_frame(registry, "default").height == 40_000
    rows[5] = (rows[5][0], "Changed", "Name", "Yes")
    path = write_csv(tmp_path / "b.csv", rows)
    assert path.stat().st_size >= 1 << 20
    import_file(registry, "referring", path, practice="default", settings=SETTINGS)
    frame = referring_frame(registry, "default")
    assert frame.row(5) == (npi(5), "Changed", "Name", True)
    assert frame.equals(fresh(registry))


def test_an_unchanged_import_keeps_the_copy(registry: Engine, tmp_path: Path) -> None:
    import_rows(registry, tmp_path / "a.csv", BASIC)
    referring_frame(registry, "default")
    before = stored(registry)
    import_rows(registry, tmp_path / "b.csv", BASIC)
    assert stored(registry) == before


def test_registry_edits_clear_the_copy(registry: Engine, tmp_path: Path) -> None:
    import_rows(registry, tmp_path / "a.csv", BASIC)
    referring_frame(registry, "default")
    values = {"npi": npi(9), "last_name": "Okafor", "first_name": "Ada"}
    add_record(registry, "referring", values, practice="default", settings=SETTINGS)
    frame = referring_frame(registry, "default")
    assert npi(9) in frame.get_column("npi").to_list()
    deactivate_record(registry, "referring", npi(9), practice="default", settings=SETTINGS)
    frame = referring_frame(registry, "default")
    assert frame.filter(pl.col("npi") == npi(9)).get_column("inactive").to_list() == [True]
    assert frame.equals(fresh(registry))


def test_a_restore_clears_the_copy(registry: Engine, tmp_path: Path) -> None:
    import_rows(registry, tmp_path / "a.csv", BASIC)
    backup = tmp_path / "backup.json"
    export_registry(registry, backup, practice=None)
    assert "record_frame_cache" not in backup.read_text(encoding="utf-8")
    assert set(json.loads(backup.read_text(encoding="utf-8"))["practices"]["default"]) >= {
        "referring"
    }
    import_rows(registry, tmp_path / "b.csv", [*BASIC, (npi(4), "Nakamura", "Kenji", "No")])
    assert referring_frame(registry, "default").height == 4
    restore_registry(registry, backup, practice=None, settings=SETTINGS)
    frame = referring_frame(registry, "default")
    assert frame.filter(pl.col("npi") == npi(4)).get_column("inactive").to_list() == [True]
    assert frame.equals(fresh(registry))
    # The copy itself is never part of a backup, nor touched by a restore of other data.
    export_registry(registry, backup, practice=None)
    assert "record_frame_cache" not in backup.read_text(encoding="utf-8")


@pytest.mark.parametrize("had_row", [False, True])
def test_a_write_between_the_read_and_the_store_leaves_nothing_stored(
    registry: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, had_row: bool
) -> None:
    import_rows(registry, tmp_path / "a.csv", BASIC)
    if had_row:
        referring_frame(registry, "default")
        deactivate_record(registry, "referring", npi(2), practice="default", settings=SETTINGS)
    before = stored(registry)
    read = frame_cache._read_referring

    def read_then_write(connection: Any, practice: str) -> pl.DataFrame:
        frame = read(connection, practice)
        values = {"npi": npi(7), "last_name": "Late", "first_name": "Writer"}
        add_record(registry, "referring", values, practice="default", settings=SETTINGS)
        return frame

    monkeypatch.setattr(frame_cache, "_read_referring", read_then_write)
    stale = referring_frame(registry, "default")
    assert npi(7) not in stale.get_column("npi").to_list()
    held = stored(registry)
    assert held is not None and held[1] is None  # the stale frame was not stored
    assert held[0] == (1 if before is None else before[0] + 1)
    monkeypatch.setattr(frame_cache, "_read_referring", read)
    assert npi(7) in referring_frame(registry, "default").get_column("npi").to_list()


def test_a_read_only_sqlite_registry_still_gives_the_frame(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    engine = open_registry(f"sqlite:///{path}", create=True)
    import_rows(engine, tmp_path / "a.csv", BASIC)
    expected = fresh(engine)
    engine.dispose()
    read_only = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        frame = referring_frame(read_only, "default")
        assert frame.equals(expected)
        assert stored(read_only) == (1, None)  # still the import's generation, nothing stored
    finally:
        read_only.dispose()


def test_a_locked_sqlite_registry_does_not_wait(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    engine = open_registry(url, create=True)
    import_rows(engine, tmp_path / "a.csv", BASIC)
    expected = fresh(engine)
    other = create_registry_engine(url)
    try:
        with write_transaction(other):  # a writer holding the lock
            started = time.perf_counter()
            assert referring_frame(engine, "default").equals(expected)
            assert time.perf_counter() - started < 5
        assert stored(engine) == (1, None)
        # The pooled connection waits as long as ever for the next writer.
        with engine.connect() as connection:
            timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert timeout == 300_000
    finally:
        other.dispose()
        engine.dispose()


AWKWARD = [
    (npi(1), 'O"Brien', "Seán", "No"),
    (npi(2), "Smith, Jr.", "", "No"),
    (npi(3), "Ærøskøbing-Żółć", "Zoë", "Yes"),
    (npi(4), "Null", "NA", "No"),
    (npi(5), "'quoted'", "a;b|c", "No"),
]


def test_awkward_names_survive_exactly(registry: Engine, tmp_path: Path) -> None:
    import_rows(registry, tmp_path / "a.csv", AWKWARD)
    expected = fresh(registry)
    assert expected.get_column("last_name").to_list()[:3] == [
        'O"Brien',
        "Smith, Jr.",
        "Ærøskøbing-Żółć",
    ]
    assert expected.get_column("first_name").to_list()[1] == ""
    with registry.connect() as connection:
        fast = (
            frame_cache._sqlite_columns(connection, "default")
            if connection.dialect.name == "sqlite"
            else frame_cache._postgres_copy(connection, "default")
        )
    assert fast is not None and fast.sort("npi").equals(expected)  # no fallback needed
    assert referring_frame(registry, "default").equals(expected)  # read fresh
    assert referring_frame(registry, "default").equals(expected)  # read from the copy


def test_values_written_by_hand_are_read_exactly(registry: Engine, tmp_path: Path) -> None:
    """Names no import stores (line breaks, separators, a leading BOM) take the slow path."""
    import_rows(registry, tmp_path / "a.csv", BASIC)
    odd = ["line\nbreak", "tab\there\r\n", "\ufeffbom", "\x1fsep\x1e", " padded ", ""]
    with registry.begin() as connection:
        for index, name in enumerate(odd, start=10):
            connection.execute(
                text(
                    "INSERT INTO referring_provider (practice, npi, last_name, first_name, "
                    "inactive) VALUES ('default', :npi, :last, :first, false)"
                ),
                {"npi": npi(index), "last": name, "first": name[::-1]},
            )
    frame = referring_frame(registry, "default")
    expected = fresh(registry)
    assert frame.equals(expected)
    assert set(odd) <= set(frame.get_column("last_name").to_list())
    with registry.connect() as connection:
        assert frame_cache._read_referring(connection, "default").equals(expected)


def test_the_migration_creates_and_drops_the_table(database_url: str) -> None:
    engine = create_registry_engine(database_url)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0005")
            assert not inspect(connection).has_table("record_frame_cache")
            command.upgrade(config, "0006")
            columns = {c["name"]: c for c in inspect(connection).get_columns("record_frame_cache")}
            assert list(columns) == ["practice", "kind", "generation", "data"]
            assert [columns[name]["nullable"] for name in columns] == [False, False, False, True]
            key = inspect(connection).get_pk_constraint("record_frame_cache")
            assert key["constrained_columns"] == ["practice", "kind"]
            command.downgrade(config, "0005")
            assert not inspect(connection).has_table("record_frame_cache")
            command.upgrade(config, "head")
        assert HEAD_REVISION == "0006"
    finally:
        engine.dispose()


def test_every_kind_is_invalidated_by_its_first_write(registry: Engine) -> None:
    values = {"sequence": "00000001", "name": "ACME HEALTH"}
    add_record(registry, "payers", values, practice="default", settings=SETTINGS)
    with registry.connect() as connection:
        rows = connection.execute(
            text("SELECT practice, kind, generation, data FROM record_frame_cache")
        ).all()
    assert [tuple(row) for row in rows] == [("default", "payers", 1, None)]


def test_the_store_logs_nothing_identifying(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    engine = open_registry(url, create=True)
    import_rows(engine, tmp_path / "a.csv", BASIC)
    calls: list[tuple[str, dict[str, object]]] = []

    class Recorder:
        def debug(self, event_name: str, **fields: object) -> None:
            calls.append((event_name, fields))

    monkeypatch.setattr(frame_cache, "_log", Recorder())

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only = ON")

    engine.dispose()  # new connections: read-only from now on
    try:
        assert referring_frame(engine, "default").height == 3
    finally:
        engine.dispose()
    assert calls == [
        ("registry.frame_cache.not_stored", {"kind": "referring", "reason": "SQLITE_READONLY"})
    ]
