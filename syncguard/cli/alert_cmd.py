"""``syncguard alert test``: send a test message to each configured channel."""

from __future__ import annotations

import os

import typer

from syncguard.cli.state import AppState

alert_app = typer.Typer(help="Alert channels (\\[alerts.channels] in the config).")


@alert_app.command("test")
def alert_test(
    ctx: typer.Context,
    channel: list[str] | None = typer.Option(
        None, "--channel", help="Only this channel (repeatable; default: every channel)."
    ),
) -> None:
    """Send a test message to each channel; exit 3 when one fails after its retries."""
    from syncguard.cli.runs_cmd import open_engine
    from syncguard.errors import ConfigError
    from syncguard.ledger.alerts.dispatch import send_test

    state: AppState = ctx.obj
    alerts = state.settings.alerts
    if not alerts.channels:
        raise ConfigError("no alert channels configured", hint="add [alerts.channels.NAME]")
    engine, practice = open_engine(ctx)
    try:
        outcomes = send_test(
            engine, practice, channels=channel or None, settings=alerts, environ=os.environ
        )
    finally:
        engine.dispose()
    for outcome in outcomes:
        said = f"FAILED: {outcome.error}" if outcome.error else "delivered"
        typer.echo(f"{outcome.channel}: {said} ({outcome.attempts} attempts)", err=True)
    raise typer.Exit(3 if any(o.error for o in outcomes) else 0)


def register(app: typer.Typer) -> None:
    app.add_typer(alert_app, name="alert")
