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


def test_the_ledger_is_preloaded_only_when_a_registry_exists(tmp_path: Path) -> None:
    """``balance`` imports the ledger's modules in the background when a run will be recorded,
    and not at all when there is no registry to record it in."""
    import subprocess
    import sys

    present = tmp_path / "present.db"
    present.write_bytes(b"")
    code = (
        "import sys, threading\n"
        "from syncguard.cli.common import preload_ledger\n"
        "from syncguard.config import Settings, RegistrySettings\n"
        "preload_ledger(Settings(registry=RegistrySettings(database_url=sys.argv[1])))\n"
        "for thread in threading.enumerate():\n"
        "    if thread is not threading.main_thread(): thread.join()\n"
        "print('sqlalchemy' in sys.modules, 'syncguard.ledger.hooks' in sys.modules)\n"
    )
    for database, expected in ((present, "True True"), (tmp_path / "absent.db", "False False")):
        done = subprocess.run(
            [sys.executable, "-c", code, f"sqlite:///{database}"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        assert done.stdout.strip() == expected, done.stderr
