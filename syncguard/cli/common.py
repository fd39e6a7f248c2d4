"""What the reporting commands (check, balance) share: option checks, report output, ledger."""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from syncguard.errors import ConfigError, RegistryUnavailableError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from syncguard.cli.state import AppState
    from syncguard.config import Settings
    from syncguard.findings import CheckResult

REPORT_FORMATS = ("text", "json", "junit", "sarif", "csv", "markdown", "html")
CONFIG_HELP = "Config file (the global --config, also accepted here)."


def use_config(state: AppState, config: Path | None) -> None:
    """``syncguard audit --config FILE``, as the docs write it, means the global ``--config``."""
    if config is not None:
        state.config_path = config
        state.__dict__.pop("settings", None)


def require_format(fmt: str, known: tuple[str, ...]) -> None:
    if fmt not in known:
        raise ConfigError(f"unknown format '{fmt}'", hint=f"use one of: {', '.join(known)}")


def require_folder(output: Path | None) -> None:
    """Refuse before the work, not after, when the report could not be written."""
    if output is not None and output.is_dir():
        raise ConfigError(
            f"cannot write the report to {output}: it is a folder",
            hint="give a file name for --output",
        )
    if output is not None and not output.absolute().parent.is_dir():
        raise ConfigError(
            f"cannot write the report to {output}: its folder does not exist",
            hint="create the folder or choose another --output",
        )


def emit_report(report: str | bytes, output: Path | None) -> None:
    """The report (text, or its UTF-8 bytes) to ``output`` (atomically) or stdout; called only
    once the work ran."""
    from syncguard.reports import write_report_bytes

    data = report.encode("utf-8") if isinstance(report, str) else report
    if output is not None:
        write_report_bytes(data, output)
        return
    sys.stdout.flush()  # anything already written as text goes first
    sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")
    sys.stdout.buffer.flush()


def record_run(
    engine: Engine, result: CheckResult, settings: Settings, *, fail_on_new: bool
) -> CheckResult:
    """Waivers, drift against the previous run of the same scope, and the run in the ledger."""
    from syncguard.ledger.hooks import after_run

    return after_run(engine, result, settings=settings, fail_on_new=fail_on_new)


def preload_ledger(settings: Settings) -> None:
    """Import the run ledger's modules (SQLAlchemy, SQLModel: a quarter of a second) in the
    background while a command that records when a registry exists does its own work.

    Only a head start: the import system's locks make the command wait for an import still
    under way, and an import that fails here fails again, and is reported, where it is needed.
    """
    from syncguard.sqlite_location import missing_sqlite_file

    if missing_sqlite_file(settings.registry.database_url) is not None:
        return  # no registry: nothing will be recorded

    def load() -> None:
        for module in ("syncguard.registry.schema", "syncguard.ledger.hooks"):
            try:
                importlib.import_module(module)
            except Exception:  # reported where the import is needed
                return

    threading.Thread(target=load, name="syncguard-preload-ledger", daemon=True).start()


def record_run_if_registry(
    result: CheckResult, settings: Settings, *, fail_on_new: bool
) -> CheckResult:
    """For commands that do not need the registry: record the run when there is one."""
    from syncguard.sqlite_location import missing_sqlite_file, no_registry_file

    try:
        url = settings.registry.database_url
        if (missing := missing_sqlite_file(url)) is not None:
            raise no_registry_file(missing)
        from syncguard.registry.schema import open_registry

        engine = open_registry(url)
    except RegistryUnavailableError as error:
        if fail_on_new:
            raise
        typer.echo(f"note: run not recorded in the ledger: {error.one_line()}", err=True)
        return result
    try:
        return record_run(engine, result, settings, fail_on_new=fail_on_new)
    finally:
        engine.dispose()


def finish(result: CheckResult) -> None:
    """The summary line to stderr, and the exit code."""
    typer.echo(result.summary_line(), err=True)
    raise typer.Exit(result.exit_code)
