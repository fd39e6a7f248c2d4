"""``syncguard waive`` and ``syncguard waivers list|remove|export|import``."""

from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path

import typer

from syncguard.cli.common import require_format

waivers_app = typer.Typer(help="Accepted findings: shown as waived, never failing or alerting.")


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)") from None


def waive(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="The rule code, e.g. PAY201."),
    key: str = typer.Option("", "--key", help="Only the finding for this record key."),
    reason: str = typer.Option(..., "--reason", help="Why this finding is accepted."),
    until: str | None = typer.Option(None, "--until", help="Last day it applies (YYYY-MM-DD)."),
    by: str | None = typer.Option(None, "--by", help="Who accepts it (default: your login)."),
    practice: str | None = typer.Option(None, "--practice", help="Registry practice."),
) -> None:
    """Accept a finding (or every finding of a code) until a date."""
    from syncguard.cli.runs_cmd import open_engine
    from syncguard.ledger.waivers import WaiverSpec, add_waiver

    spec = WaiverSpec(code, reason, by or getpass.getuser(), key, _date(until))
    engine, chosen = open_engine(ctx, practice)
    try:
        add_waiver(engine, chosen, spec)
    finally:
        engine.dispose()
    scope = f"key {key}" if key else "every record"
    typer.echo(f"waived {spec.code.upper()} for {scope} in practice {chosen}", err=True)


@waivers_app.command("list")
def waivers_list(
    ctx: typer.Context,
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    practice: str | None = typer.Option(None, "--practice", help="Registry practice."),
) -> None:
    """Every waiver, expired ones marked."""
    from syncguard.cli.runs_cmd import open_engine
    from syncguard.ledger.waivers import list_waivers
    from syncguard.ledger.waivers_file import render_waivers

    require_format(fmt, ("text", "json"))
    engine, chosen = open_engine(ctx, practice)
    try:
        waivers = list_waivers(engine, chosen)
    finally:
        engine.dispose()
    if fmt == "json":
        typer.echo(render_waivers(waivers, "json"), nl=False)
        return
    today = date.today()
    for w in waivers:
        until = f"until {w.until}" if w.until else "no expiry"
        state = " EXPIRED" if w.expired(today) else ""
        typer.echo(f"{w.code} {w.key or '*'}  {until}{state}  by {w.by}: {w.reason}")


@waivers_app.command("remove")
def waivers_remove(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="The rule code of the waiver."),
    key: str = typer.Option("", "--key", help="The record key it names (none: the code-wide one)."),
    practice: str | None = typer.Option(None, "--practice", help="Registry practice."),
) -> None:
    """Remove one waiver."""
    from syncguard.cli.runs_cmd import open_engine
    from syncguard.errors import InputError
    from syncguard.ledger.waivers import remove_waiver

    engine, chosen = open_engine(ctx, practice)
    try:
        removed = remove_waiver(engine, chosen, code, key)
    finally:
        engine.dispose()
    if not removed:
        what = f"{code.upper()} --key {key}" if key else code.upper()
        raise InputError(
            f"no waiver {what} in practice {chosen}", hint="see `syncguard waivers list`"
        )
    typer.echo(f"removed waiver {code.upper()} {key or '*'}", err=True)


@waivers_app.command("export")
def waivers_export(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A .toml or .json file to write."),
    practice: str | None = typer.Option(None, "--practice", help="Registry practice."),
) -> None:
    """Write every waiver to a file to keep under version control."""
    from syncguard.cli.runs_cmd import open_engine
    from syncguard.ledger.waivers import list_waivers
    from syncguard.ledger.waivers_file import file_format, render_waivers
    from syncguard.reports import write_report

    fmt = file_format(path)
    engine, chosen = open_engine(ctx, practice)
    try:
        waivers = list_waivers(engine, chosen)
    finally:
        engine.dispose()
    write_report(render_waivers(waivers, fmt), path)
    typer.echo(f"exported {len(waivers)} waivers to {path}", err=True)


@waivers_app.command("import")
def waivers_import(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A .toml or .json file of waivers."),
    replace: bool = typer.Option(False, "--replace", help="Remove waivers not in the file."),
    practice: str | None = typer.Option(None, "--practice", help="Registry practice."),
) -> None:
    """Load waivers from a file (all or nothing)."""
    from syncguard.cli.runs_cmd import open_engine
    from syncguard.ledger.waivers import save_waivers
    from syncguard.ledger.waivers_file import read_waivers

    waivers = read_waivers(path)
    engine, chosen = open_engine(ctx, practice)
    try:
        save_waivers(engine, chosen, waivers, replace_all=replace)
    finally:
        engine.dispose()
    typer.echo(json.dumps({"imported": len(waivers), "practice": chosen}), err=True)


def register(app: typer.Typer) -> None:
    app.command("waive")(waive)
    app.add_typer(waivers_app, name="waivers")
