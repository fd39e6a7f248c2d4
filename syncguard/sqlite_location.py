"""Whether a SQLite registry file exists, told without importing SQLAlchemy.

Commands that only record their run when a registry exists (``balance``) would otherwise pay
SQLAlchemy's import, a tenth of a second, just to learn that there is none.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from syncguard.errors import RegistryUnavailableError

INIT_HINT = "run `syncguard init` first"


def no_registry_file(database: str) -> RegistryUnavailableError:
    """The error for a SQLite registry file that does not exist (both checks say it so)."""
    return RegistryUnavailableError(f"registry {database} does not exist", hint=INIT_HINT)


def missing_sqlite_file(url: str) -> str | None:
    """The path of the SQLite file ``url`` names when that file does not exist, else None.

    None also for other databases, in-memory SQLite and anything unusual: the full check in
    ``open_registry`` decides those.
    """
    scheme, separator, rest = url.partition(":///")
    if not separator or not (scheme == "sqlite" or scheme.startswith("sqlite+")):
        return None
    database = unquote(rest.split("?", 1)[0])
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return None if Path(database).expanduser().is_file() else database
