"""Reading and editing the registry: list, show, history, add, deactivate, export, restore."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from npi_support import npi
from sqlalchemy import text
from sqlalchemy.engine import Engine

from syncguard.config import Settings
from syncguard.errors import InputError
from syncguard.registry.backup import export_registry
from syncguard.registry.edits import add_record, deactivate_record, set_default_rev_code
from syncguard.registry.importer import import_file
from syncguard.registry.queries import get_record, iter_records, record_history
from syncguard.registry.restore import restore_registry
from syncguard.registry.schema import open_registry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cmd"
SETTINGS = Settings()


@pytest.fixture
def registry(database_url: str) -> Iterator[Engine]:
    engine = open_registry(database_url, create=True)
    for kind in ("payers", "facilities", "providers", "referring", "procedures"):
        import_file(engine, kind, FIXTURES / f"{kind}.csv", practice="default", settings=SETTINGS)
    yield engine
    engine.dispose()


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    tables = ("payer", "facility", "rendering_provider", "referring_provider", "procedure_code")
    with engine.connect() as connection:
        return {
            table: sorted(
                tuple(row)
                for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
            )
            for table in tables
        }


def test_list_hides_inactive_records_unless_asked(registry: Engine) -> None:
    active = list(iter_records(registry, "payers", practice="default"))
    everything = list(iter_records(registry, "payer", practice="default", include_inactive=True))
    assert (len(active), len(everything)) == (25, 27)
    assert active[0] == {
        "sequence": "00412207",
        "name": "MEDICARE PART B",
        "cpid": "04412",
        "inactive": False,
    }
    assert [r["sequence"] for r in everything] == sorted(r["sequence"] for r in everything)


def test_show_normalises_the_key_and_explains_a_miss(registry: Engine) -> None:
    record = get_record(registry, "payers", " 10023344 ", practice="default", settings=SETTINGS)
    assert record["name"] == "AETNA PPO"
    with pytest.raises(InputError, match="no payer 10000000 in practice 'default'"):
        get_record(registry, "payers", "10000000", practice="default", settings=SETTINGS)
    with pytest.raises(InputError, match="expected 8 digits"):
        get_record(registry, "payers", "12", practice="default", settings=SETTINGS)


def test_add_validates_like_an_import_and_is_logged_as_manual(registry: Engine) -> None:
    values = {"npi": npi(42), "last_name": " Smith ", "first_name": "Jane"}
    added = add_record(registry, "referring", values, practice="default", settings=SETTINGS)
    assert added.key == npi(42)
    record = get_record(registry, "referring", npi(42), practice="default", settings=SETTINGS)
    assert (record["last_name"], record["first_name"], record["inactive"]) == (
        "Smith",
        "Jane",
        False,
    )
    history = record_history(registry, "referring", npi(42), practice="default", settings=SETTINGS)
    assert [(h["action"], h["source_name"], h["source_sha256"]) for h in history] == [
        ("insert", "manual", None)
    ]
    with pytest.raises(InputError, match="already in practice"):
        add_record(registry, "referring", values, practice="default", settings=SETTINGS)
    with pytest.raises(InputError, match="fails the check digit"):
        add_record(
            registry, "referring", {"npi": "1234567890"}, practice="default", settings=SETTINGS
        )
    with pytest.raises(InputError, match="needs its payer name"):
        add_record(
            registry, "payers", {"sequence": "10000001"}, practice="default", settings=SETTINGS
        )
    with pytest.raises(InputError, match="no field cpid"):
        add_record(
            registry, "referring", {"npi": npi(43), "cpid": "1"}, practice="x", settings=SETTINGS
        )


def test_deactivate_is_logged_and_idempotent(registry: Engine) -> None:
    assert deactivate_record(registry, "payers", "10023344", practice="default", settings=SETTINGS)
    assert not deactivate_record(
        registry, "payers", "10023344", practice="default", settings=SETTINGS
    )
    history = record_history(registry, "payers", "10023344", practice="default", settings=SETTINGS)
    assert [entry["action"] for entry in history] == ["insert", "deactivate"]
    assert history[0]["source_name"] == "payers.csv" and len(history[0]["source_sha256"]) == 64
    with pytest.raises(InputError, match="no payer"):
        deactivate_record(registry, "payers", "10000000", practice="default", settings=SETTINGS)


def test_export_then_restore_round_trip(registry: Engine, tmp_path: Path) -> None:
    set_default_rev_code(registry, "0420", practice="default", settings=SETTINGS)
    backup = tmp_path / "backup.json"
    counts = export_registry(registry, backup, practice="default")
    assert counts == {"default": 27 + 7 + 13 + 60 + 12}
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert (document["format"], document["schema_version"]) == ("syncguard-registry", 1)
    assert document["practices"]["default"]["settings"] == {"default_rev_code": "0420"}
    before = snapshot(registry)

    add_record(registry, "referring", {"npi": npi(77)}, practice="default", settings=SETTINGS)
    deactivate_record(registry, "payers", "10023344", practice="default", settings=SETTINGS)
    results = restore_registry(registry, backup, practice=None, settings=SETTINGS)
    by_kind = {result.kind: result for result in results}
    assert by_kind["referring"].deactivated.sample == [npi(77)]
    assert by_kind["payers"].reactivated.sample == ["10023344"]
    after = snapshot(registry)
    extra = [row for row in after["referring_provider"] if row[2] == npi(77)]
    assert len(extra) == 1 and extra[0][-1]  # kept, but inactive: never deleted
    after["referring_provider"].remove(extra[0])
    assert after == before
    again = restore_registry(registry, backup, practice="default", settings=SETTINGS)
    assert not any(result.written for result in again)


def test_restore_of_a_broken_backup_changes_nothing(registry: Engine, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    export_registry(registry, backup, practice=None)
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["practices"]["default"]["payers"].append({"sequence": "123", "name": "X"})
    document["practices"]["default"]["referring"] = []
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    before = snapshot(registry)
    with pytest.raises(InputError, match="payers: invalid records, nothing restored: record 28"):
        restore_registry(registry, broken, practice=None, settings=SETTINGS)
    assert snapshot(registry) == before
    for content, message in [
        ("not json", "not a JSON document"),
        ('{"format": "other"}', "not a syncguard registry backup"),
        ('{"format": "syncguard-registry", "schema_version": 99}', "schema version 99"),
    ]:
        broken.write_text(content, encoding="utf-8")
        with pytest.raises(InputError, match=message):
            restore_registry(registry, broken, practice=None, settings=SETTINGS)
    broken.write_text(backup.read_text(encoding="utf-8")[:-40], encoding="utf-8")  # cut short
    with pytest.raises(InputError) as cut:
        restore_registry(registry, broken, practice=None, settings=SETTINGS)
    assert "not a JSON document" in cut.value.one_line()
    assert "restore an intact copy" in cut.value.one_line()
    assert snapshot(registry) == before
    with pytest.raises(InputError, match="holds no practice 'elsewhere'"):
        restore_registry(registry, backup, practice="elsewhere", settings=SETTINGS)


def test_default_rev_code_is_validated(registry: Engine) -> None:
    assert set_default_rev_code(registry, " 0424", practice="p", settings=SETTINGS) == "0424"
    assert set_default_rev_code(registry, "0430", practice="p", settings=SETTINGS) == "0430"
    with pytest.raises(InputError, match="not a revenue code"):
        set_default_rev_code(registry, "420", practice="p", settings=SETTINGS)
