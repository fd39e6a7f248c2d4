"""``syncguard audit`` and ``syncguard runs list|show|diff``; registers waivers and alert too."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from syncguard.cli.common import CONFIG_HELP, require_format, use_config
from syncguard.cli.state import AppState
from syncguard.errors import ConfigError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from syncguard.findings import Finding

AUDIT_HELP = (
    "Run the audit the config's \\[audit] section describes: check, balance, reports, alerts.\n\n"
    "Exit codes: 0 nothing at or above fail_on (or nothing new, with --fail-on-new); 1 findings; "
    "2 bad config or input; 3 registry unreachable, another audit of the practice running, "
    "or an alert channel that failed after its retries (the reports are written first)."
)
runs_app = typer.Typer(help="The run ledger: every check, balance and audit run.")


def open_engine(ctx: typer.Context, practice: str | None = None) -> tuple[Engine, str]:
    """The registry engine and the practice, after --practice is applied."""
    from syncguard.registry.schema import open_registry

    state: AppState = ctx.obj
    state.add_overrides(registry={"practice": practice})
    settings = state.settings
    return open_registry(settings.registry.database_url), settings.registry.practice


def audit(
    ctx: typer.Context,
    wait: float | None = typer.Option(
        None, "--wait", help="Seconds to wait for another audit of the practice to finish."
    ),
    fail_on_new: bool | None = typer.Option(
        None, "--fail-on-new/--fail-on-any", help="Fail only on new or worsened findings."
    ),
    practice: str | None = typer.Option(None, "--practice", help="Registry practice to audit."),
    config: Path | None = typer.Option(None, "--config", "-c", help=CONFIG_HELP),
) -> None:
    from syncguard.ledger.audit import run_audit

    use_config(ctx.obj, config)
    engine, _ = open_engine(ctx, practice)
    state: AppState = ctx.obj
    try:
        outcome = run_audit(
            engine, state.settings, environ=os.environ, wait=wait, fail_on_new=fail_on_new
        )
    finally:
        engine.dispose()
    for path in outcome.reports:
        typer.echo(f"report: {path}", err=True)
    for channel in outcome.channels:
        said = (
            f"failed after {channel.attempts} attempts: {channel.error}"
            if channel.error
            else (
                f"told about {channel.sent} findings" if channel.attempts else "nothing new to say"
            )
        )
        typer.echo(f"alert {channel.channel}: {said}", err=True)
    typer.echo(f"{outcome.result.summary_line()} (run {outcome.run_id})", err=True)
    raise typer.Exit(outcome.exit_code)


@runs_app.command("list")
def runs_list(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", "-n", help="How many runs, newest first."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    practice: str | None = typer.Option(None, "--practice", help="Only this practice."),
) -> None:
    """The newest runs: id, command, status, start, counts and exit code."""
    from syncguard.ledger.history import list_runs

    require_format(fmt, ("text", "json"))
    if limit < 1:
        raise ConfigError(f"--limit {limit} is not a number of runs", hint="give 1 or more")
    engine, chosen = open_engine(ctx, practice)
    try:
        runs = list_runs(engine, chosen, limit)
    finally:
        engine.dispose()
    if fmt == "json":
        typer.echo(json.dumps(runs, indent=2))
        return
    typer.echo(
        f"{'run':>5}  {'command':<8} {'status':<9} {'started (UTC)':<20} "
        f"{'err':>5} {'warn':>5} {'info':>5} {'new':>5} {'fixed':>5}  exit"
    )
    for run in runs:
        typer.echo(
            f"{run['id']:>5}  {run['command']:<8} {run['status']:<9} "
            f"{(run['started_at'] or '')[:19]:<20} {run['errors']:>5} {run['warnings']:>5} "
            f"{run['infos']:>5} {run['new']:>5} {run['resolved']:>5}  "
            f"{'' if run['exit_code'] is None else run['exit_code']}"
        )


@runs_app.command("show")
def runs_show(
    ctx: typer.Context,
    run_id: int = typer.Argument(..., help="The run id (see `syncguard runs list`)."),
    fmt: str = typer.Option("text", "--format", "-f", help="Any report format of `check`."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report here."),
) -> None:
    """One stored run as a report, in any format `check` writes."""
    from syncguard.ledger.history import load_run
    from syncguard.reports import FORMATS, render

    require_format(fmt, FORMATS)
    engine, _ = open_engine(ctx)
    try:
        result = load_run(engine, run_id)
    finally:
        engine.dispose()
    _emit(render(result, fmt), output)


@runs_app.command("diff")
def runs_diff(
    ctx: typer.Context,
    older: int = typer.Argument(..., help="The earlier run id."),
    newer: int = typer.Argument(..., help="The later run id."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """What changed between two runs: new, resolved, changed severity or value, still open."""
    from syncguard.ledger.history import diff_runs

    require_format(fmt, ("text", "json"))
    engine, _ = open_engine(ctx)
    try:
        diff = diff_runs(engine, older, newer)
    finally:
        engine.dispose()
    groups = {
        "new": diff.new,
        "resolved": diff.resolved,
        "changed": diff.changed,
        "still_open": diff.still_open,
    }
    if fmt == "json":
        data = {name: [_finding_json(f) for f in items] for name, items in groups.items()}
        typer.echo(json.dumps({"older": older, "newer": newer, **data}, indent=2))
        return
    typer.echo(
        f"run {older} -> run {newer}: "
        + ", ".join(f"{len(items)} {name.replace('_', ' ')}" for name, items in groups.items())
    )
    for name, items in groups.items():
        if name != "still_open":
            for finding in items:
                typer.echo(f"  {name:<9} {_finding_line(finding)}")


def _finding_line(finding: Finding) -> str:
    was = ""
    if finding.previous_severity is not None and finding.previous_severity != finding.severity:
        was = f" (was {finding.previous_severity.label})"
    elif finding.drift == "changed":
        was = f" (value was {finding.previous_value!r})"
    who = finding.record or finding.key
    key = f" [{finding.key}]" if finding.key and finding.key != who else ""
    return f"{finding.severity.label:<7} {finding.code} {finding.entity} '{who}'{key}{was}"


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity.label,
        "previous_severity": finding.previous_severity.label if finding.previous_severity else None,
        "entity": finding.entity,
        "key": finding.key,
        "record": finding.record,
        "value": finding.value,
        "previous_value": finding.previous_value,
        "message": finding.message,
    }


def _emit(text: str, output: Path | None) -> None:
    from syncguard.reports import write_report

    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        write_report(text, output)


def register(app: typer.Typer) -> None:
    """Add ``audit``, ``runs``, ``waive``, ``waivers`` and ``alert`` to ``app``."""
    from syncguard.cli import alert_cmd, waivers_cmd

    app.command("audit", help=AUDIT_HELP)(audit)
    app.add_typer(runs_app, name="runs")
    waivers_cmd.register(app)
    alert_cmd.register(app)
