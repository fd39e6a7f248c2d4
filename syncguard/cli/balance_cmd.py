"""``syncguard balance``: a thin layer over ``syncguard.balance.api.balance``."""

from __future__ import annotations

from pathlib import Path

import typer

from syncguard.cli.common import (
    CONFIG_HELP,
    REPORT_FORMATS,
    emit_report,
    finish,
    preload_ledger,
    record_run_if_registry,
    require_folder,
    require_format,
    use_config,
)
from syncguard.cli.state import AppState

BALANCE_HELP = (
    "Balance visits between the WebPT EMR and RevFlow / WebPT Billing, per place of service "
    "and day or week, and explain every difference it can: no-charge visits (NORCM / NC001), "
    "charges held on the rejection summary, charges created on another day.\n\n"
    "--emr is WebPT's Billing Report (run by Finalized Date); --billing the charge lines "
    "(Charge Audit Summary drill-down or the standard charge extract, by Created Date) and/or "
    "--pos-stats the POS Summary Charge Stats. WebPT locations are joined to places of service "
    "through \\[balance.locations] in the config.\n\n"
    "Exit codes: 0 no finding at or above --fail-on (default: error); 1 findings at or above "
    "it (with --fail-on-new: only new or worsened ones); 2 usage or input error (unreadable "
    "file, missing column, unmapped location).\n\n"
    "When a registry exists, the run is recorded in its run ledger (unless --no-ledger)."
)


def balance(
    ctx: typer.Context,
    emr: Path = typer.Option(..., "--emr", help="WebPT Billing Report, line by line."),
    billing: Path | None = typer.Option(
        None, "--billing", help="Billing charge lines (Charge Audit Summary or charge extract)."
    ),
    date_from: str = typer.Option(..., "--from", help="First day (2026-11-02 or 11/02/2026)."),
    date_to: str = typer.Option(..., "--to", help="Last day."),
    by: str = typer.Option("week", "--by", help="day or week."),
    pos_stats: Path | None = typer.Option(None, "--pos-stats", help="POS Summary Charge Stats."),
    rejections: Path | None = typer.Option(
        None, "--rejections", help="Integration Rejection Summary (or Billing Exceptions)."
    ),
    missed_notes: Path | None = typer.Option(None, "--missed-notes", help="Missed Notes Report."),
    claims_feed: Path | None = typer.Option(None, "--claims-feed", help="Claims Feed Report."),
    fmt: str = typer.Option("text", "--format", "-f", help=", ".join(REPORT_FORMATS) + "."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report here."),
    fail_on: str | None = typer.Option(
        None, "--fail-on", help="Lowest severity that fails: info, warning or error."
    ),
    fail_on_new: bool = typer.Option(
        False, "--fail-on-new", help="Fail only on findings new or worse since the last run."
    ),
    no_ledger: bool = typer.Option(False, "--no-ledger", help="Do not record this run."),
    practice: str | None = typer.Option(None, "--practice", help="Registry practice to use."),
    config: Path | None = typer.Option(None, "--config", "-c", help=CONFIG_HELP),
) -> None:
    from syncguard.balance.api import balance as run_balance
    from syncguard.balance.render import render_balance

    require_format(fmt, REPORT_FORMATS)
    require_folder(output)
    state: AppState = ctx.obj
    use_config(state, config)
    state.add_overrides(registry={"practice": practice}, check={"fail_on": fail_on})
    if not no_ledger:
        preload_ledger(state.settings)
    result = run_balance(
        emr=emr,
        billing=billing,
        date_from=date_from,
        date_to=date_to,
        by=by,
        pos_stats=pos_stats,
        rejections=rejections,
        missed_notes=missed_notes,
        claims_feed=claims_feed,
        settings=state.settings,
    )
    if not no_ledger:
        result = record_run_if_registry(result, state.settings, fail_on_new=fail_on_new)
    emit_report(render_balance(result, fmt), output)
    finish(result)


def register(app: typer.Typer) -> None:
    """Add the balance command to ``app``."""
    app.command("balance", help=BALANCE_HELP)(balance)
