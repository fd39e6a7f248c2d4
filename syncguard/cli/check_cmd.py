"""``syncguard check``, ``syncguard rules`` and ``syncguard rule CODE``: thin layers over the
library (``syncguard.checks``); the check itself never exits, the command turns its result into
an exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from syncguard.cli.common import (
    CONFIG_HELP,
    REPORT_FORMATS,
    emit_report,
    finish,
    record_run,
    require_folder,
    require_format,
    use_config,
)
from syncguard.cli.state import AppState
from syncguard.errors import ConfigError

CHECK_HELP = (
    "Check WebPT's payer, facility, provider and referring-provider lists against the CMD "
    "registry: every missing or wrong Alternate ID and NPI, why, and what to type in WebPT.\n\n"
    "Give any subset of the four lists. The report goes to stdout (or --output), the summary "
    "line to stderr.\n\n"
    "Exit codes: 0 no finding at or above --fail-on (default: error); 1 findings at or above "
    "it (with --fail-on-new: only new or worsened ones); 2 usage or input error (unreadable "
    "file, missing column, bad config); 3 the registry cannot be reached.\n\n"
    "Every run is recorded in the registry's run ledger (unless --no-ledger), so each finding "
    "is marked new, open or changed against the previous run of the same lists."
)


def check(
    ctx: typer.Context,
    payers: Path | None = typer.Option(None, "--payers", help="WebPT payer list (CSV or XLSX)."),
    facilities: Path | None = typer.Option(None, "--facilities", help="WebPT facility list."),
    providers: Path | None = typer.Option(None, "--providers", help="WebPT provider list."),
    referring: Path | None = typer.Option(None, "--referring", help="WebPT referring list."),
    practice: str | None = typer.Option(None, "--practice", help="Registry practice to use."),
    fmt: str = typer.Option("text", "--format", "-f", help=", ".join(REPORT_FORMATS) + "."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report here."),
    select: list[str] | None = typer.Option(
        None, "--select", help="Only these rules: codes, prefixes (PAY, REF1) or names; commas ok."
    ),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="Skip these rules (as above)."),
    fail_on: str | None = typer.Option(
        None, "--fail-on", help="Lowest severity that fails: info, warning or error."
    ),
    encoding: str | None = typer.Option(None, "--encoding", help="Encoding of CSV inputs."),
    fail_on_new: bool = typer.Option(
        False, "--fail-on-new", help="Fail only on findings new or worse since the last run."
    ),
    no_ledger: bool = typer.Option(False, "--no-ledger", help="Do not record this run."),
    config: Path | None = typer.Option(None, "--config", "-c", help=CONFIG_HELP),
) -> None:
    from syncguard.checks.engine import run_check
    from syncguard.registry.schema import open_registry
    from syncguard.reports import render_bytes

    require_format(fmt, REPORT_FORMATS)
    require_folder(output)
    state: AppState = ctx.obj
    use_config(state, config)
    state.add_overrides(registry={"practice": practice}, check={"fail_on": fail_on})
    settings = state.settings
    lists = {
        "payers": payers,
        "facilities": facilities,
        "providers": providers,
        "referring": referring,
    }
    engine = open_registry(settings.registry.database_url)
    try:
        result = run_check(
            {kind: path for kind, path in lists.items() if path is not None},
            engine=engine,
            settings=settings,
            select=select or (),
            ignore=ignore or (),
            encoding=encoding,
        )
        if not no_ledger:
            result = record_run(engine, result, settings, fail_on_new=fail_on_new)
    finally:
        engine.dispose()
    emit_report(render_bytes(result, fmt), output)
    finish(result)


def rules(
    fmt: str = typer.Option("text", "--format", "-f", help="text, json or markdown."),
) -> None:
    """List every rule: code, name, default severity, entity and what it checks."""
    from syncguard.checks.docs import render_rules_markdown
    from syncguard.checks.rules import all_rules

    require_format(fmt, ("text", "json", "markdown"))
    rules = list(all_rules())
    if fmt == "markdown":
        sys.stdout.write(render_rules_markdown())
    elif fmt == "json":
        import json

        fields = ("code", "name", "entity", "summary", "why", "example", "fix")
        data = [{**{f: getattr(r, f) for f in fields}, "severity": r.severity.label} for r in rules]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        width = max(len(r.name) for r in rules)
        for r in rules:
            typer.echo(f"{r.code}  {r.name:<{width}}  {r.severity.label:<7}  {r.summary}")


def rule(code_or_name: str = typer.Argument(..., help="A rule code (PAY101) or name.")) -> None:
    """Explain one rule: what it checks, why it matters, an example, and how to fix it."""
    import difflib

    from syncguard.checks.docs import render_rule_markdown
    from syncguard.checks.rules import all_rules

    rules = all_rules()
    found = rules.get(code_or_name)
    if found is None:
        known = [r.code for r in rules] + [r.name for r in rules]
        close = difflib.get_close_matches(code_or_name.strip(), known, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else "`syncguard rules` lists them"
        raise ConfigError(f"no rule '{code_or_name}'", hint=hint)
    sys.stdout.write(render_rule_markdown(found, heading="#"))


def register(app: typer.Typer) -> None:
    """Add the check commands to ``app``."""
    app.command("check", help=CHECK_HELP)(check)
    app.command("rules")(rules)
    app.command("rule")(rule)
