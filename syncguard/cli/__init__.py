"""The ``syncguard`` command line: a thin layer that parses options and calls the library.

Heavy modules (SQLAlchemy, openpyxl, rapidfuzz) are imported inside commands so that
``syncguard --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from syncguard import __version__
from syncguard.cli.state import AppState
from syncguard.errors import SyncguardError

if TYPE_CHECKING:
    from typer._click.core import Context as ClickContext

EXIT_INTERNAL = 4
EXIT_CODES_HELP = (
    "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; "
    "2 usage or input error; 3 registry unreachable; 4 internal error."
)


class SyncguardGroup(TyperGroup):
    """Turns syncguard's own errors into one clear line and an exit code, never a traceback."""

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except SyncguardError as error:
            if _debug(ctx):
                raise
            typer.echo(f"error: {error.one_line()}", err=True)
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BrokenPipeError:
            # The reader went away (`syncguard rules | head`): stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as error:
            if _debug(ctx):
                raise
            typer.echo(
                f"internal error: {type(error).__name__}: {error} "
                "(a bug in syncguard; run again with --debug for the traceback)",
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None


def _debug(ctx: ClickContext) -> bool:
    state = ctx.find_object(AppState)
    return bool(state and state.debug)


app = typer.Typer(
    name="syncguard",
    cls=SyncguardGroup,
    help="Keep WebPT and CollaborateMD in sync: CMD sequence numbers, NPIs and visit balances.\n\n"
    + EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"syncguard {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    config: Path | None = typer.Option(
        None, "--config", "-c", help="Config file (default: $SYNCGUARD_CONFIG, ./syncguard.toml)."
    ),
    database_url: str | None = typer.Option(
        None, "--database-url", help="Registry database URL (default: sqlite:///syncguard.db)."
    ),
    log_level: str | None = typer.Option(
        None, "--log-level", help="debug, info, warning or error."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    """Global options, given before the command."""
    ctx.obj = AppState(config_path=config, debug=debug)
    level = log_level.lower() if log_level else None  # DEBUG works as well as debug
    ctx.obj.add_overrides(registry={"database_url": database_url}, logging={"level": level})


def _register_commands() -> None:
    from syncguard.cli import balance_cmd, check_cmd, demo_cmd, registry_cmd, runs_cmd

    registry_cmd.register(app)
    check_cmd.register(app)
    demo_cmd.register(app)
    runs_cmd.register(app)
    balance_cmd.register(app)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="syncguard")
