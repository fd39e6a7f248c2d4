"""syncguard as a library: ``check`` returns a CheckResult, with no terminal, typer or .env.

>>> from syncguard.api import check
>>> result = check(payers="webpt_payers.csv", database_url="sqlite:///syncguard.db")
>>> result.exit_code, result.summary_line()
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from syncguard.config import Settings
from syncguard.findings import CheckResult

PathLike = str | os.PathLike[str]


def check(
    *,
    payers: PathLike | None = None,
    facilities: PathLike | None = None,
    providers: PathLike | None = None,
    referring: PathLike | None = None,
    settings: Settings | None = None,
    practice: str | None = None,
    database_url: str | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    fail_on: str | None = None,
    encoding: str | None = None,
) -> CheckResult:
    """Check WebPT exports against the registry; the settings' values apply unless given here.

    ``settings`` defaults to the built-in defaults (no config file or environment is read).
    Raises SyncguardError subclasses: InputError / ConfigError (bad input or usage) and
    RegistryUnavailableError (the registry cannot be reached or is not initialised).
    """
    from syncguard.checks.engine import run_check
    from syncguard.registry.schema import open_registry

    settings = settings or Settings()
    given = {
        "payers": payers,
        "facilities": facilities,
        "providers": providers,
        "referring": referring,
    }
    exports = {kind: Path(path) for kind, path in given.items() if path is not None}
    engine = open_registry(database_url or settings.registry.database_url)
    try:
        return run_check(
            exports,
            engine=engine,
            settings=settings,
            practice=practice,
            select=select,
            ignore=ignore,
            fail_on=fail_on,
            encoding=encoding,
        )
    finally:
        engine.dispose()
