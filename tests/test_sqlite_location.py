"""The SQLAlchemy-free look for a missing SQLite registry agrees with ``open_registry``."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncguard.errors import RegistryUnavailableError
from syncguard.registry.schema import open_registry
from syncguard.sqlite_location import missing_sqlite_file


@pytest.mark.parametrize(
    "template",
    [
        "sqlite:///{dir}/absent.db",
        "sqlite+pysqlite:///{dir}/absent.db",
        "sqlite:///{dir}/with%20space.db",
        "sqlite:///{dir}/absent.db?timeout=5",
    ],
)
def test_a_missing_file_is_reported_with_open_registrys_words(
    tmp_path: Path, template: str
) -> None:
    url = template.format(dir=tmp_path)
    missing = missing_sqlite_file(url)
    assert missing is not None
    with pytest.raises(RegistryUnavailableError) as raised:
        open_registry(url)
    assert (
        raised.value.one_line()
        == RegistryUnavailableError(
            f"registry {missing} does not exist", hint="run `syncguard init` first"
        ).one_line()
    )


def test_an_existing_file_and_other_databases_are_left_to_open_registry(tmp_path: Path) -> None:
    present = tmp_path / "present.db"
    present.write_bytes(b"")
    assert missing_sqlite_file(f"sqlite:///{present}") is None
    assert missing_sqlite_file("sqlite://") is None
    assert missing_sqlite_file("sqlite:///:memory:") is None
    assert missing_sqlite_file("postgresql+psycopg://user@localhost/registry") is None
    assert missing_sqlite_file("not a url") is None


def test_a_relative_path_is_read_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert missing_sqlite_file("sqlite:///here.db") == "here.db"
    (tmp_path / "here.db").write_bytes(b"")
    assert missing_sqlite_file("sqlite:///here.db") is None
