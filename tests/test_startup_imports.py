"""Start-up cost: the modules a ``check`` or a registry import loads leave the slow ones out."""

from __future__ import annotations

import subprocess
import sys

# Alembic is loaded only to create or upgrade a schema; the ORM is never needed (the registry's
# tables are Core tables; only the run ledger's module still loads SQLModel).
SLOW = ("alembic", "sqlalchemy.orm", "sqlmodel")
CHECK_PATH = (
    "syncguard.cli",
    "syncguard.checks.engine",
    "syncguard.registry.schema",
    "syncguard.registry.frame_cache",
    "syncguard.registry.importer",
)


def test_check_and_import_paths_do_not_load_alembic_or_the_orm() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CHECK_PATH!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(','.join(m for m in {SLOW!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
