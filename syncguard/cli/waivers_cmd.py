"""``syncguard waive`` and ``syncguard waivers list|remove|export|import``."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

import typer

from syncguard.cli.common import require_format
from syncguard.errors import InputError

waivers_app = typer.Typer(help="Accepted findings: shown as waived, never failing or alerting.")
RULE_HELP = "The rule: its code (PAY201) or name (payer-name-mismatch), see `syncguard rules`."


def _until(value: str | None) -> date | None:
    """The last day a new waiver applies: a date, today or later (a past one would never apply)."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"--until '{value}' is not a date", hint="give the last day it applies as YYYY-MM-DD"
        ) from None
    today = date.today()
    if day < today:
        raise InputError(
            f"--until {day} is in the past: the waiver would never apply",
            hint=f"give today ({today}) or a later day, or leave --until out for no expiry",
        )
    return day


def waive(
    ctx: typer.Context,
    code: str = typer.Argument(..., help=RULE_HELP),
    key: str = typer.Option("", "--key", help="Only the finding for this record key."),
    reason: str = typer.Option(..., "--reason", help="Why this finding is accepted."),
    until: str | None = typer.Option(None, "--until", help="Last day it applies (YYYY-MM-DD)."),
    by: str | None = typer.Option(None, "--by", help="Who accepts it (default: your login)."),
    practice: str | None = typer.Option(None, "--practice", help="Registry practice."),
) -> None:
    """Accept a finding (or every finding of a code) until a date."""
    from syncguard.cli.runs_cmd import open_engine
    from syncguard.ledger.waivers import WaiverSpec, add_waiver, validated

    spec = validated(WaiverSpec(code, reason, by or getpass.getuser(), key, _until(until)))
    engine, chosen = open_engine(ctx, practice)
    try:
        add_waiver(engine, chosen, spec)
    finally:
        engine.dispose()
    scope = f"key {spec.key}" if spec.key else "every record"
    typer.echo(f"waived {spec.code} for {scope} in practice {chosen}", err=True)


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
    code: str = typer.Argument(..., help=RULE_HELP),
    key: str = typer.Option("", "--key", help="The record key it names (none: the code-wide one)."),
    practice: str | None = typer.Option(None, "--practice", help="Registry practice."),
) -> None:
    """Remove one waiver."""
    from syncguard.cli.runs_cmd import open_engine
    from syncguard.ledger.waivers import remove_waiver, rule_code

    code = rule_code(code)
    engine, chosen = open_engine(ctx, practice)
    try:
        removed = remove_waiver(engine, chosen, code, key)
    finally:
        engine.dispose()
    if not removed:
        what = f"{code} --key {key}" if key else code
        raise InputError(
            f"no waiver {what} in practice {chosen}", hint="see `syncguard waivers list`"
        )
    typer.echo(f"removed waiver {code} {key or '*'}", err=True)


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
        saved = save_waivers(engine, chosen, waivers, replace_all=replace)
    finally:
        engine.dispose()
    count = saved.added + saved.updated  # a waiver given twice in the file is stored once
    removed = f", {saved.removed} removed" if replace else ""
    typer.echo(
        f"imported {count} waiver{'' if count == 1 else 's'} from {path} into practice "
        f"{chosen}: {saved.added} new, {saved.updated} updated{removed}",
        err=True,
    )


def register(app: typer.Typer) -> None:
    app.command("waive")(waive)
    app.add_typer(waivers_app, name="waivers")
