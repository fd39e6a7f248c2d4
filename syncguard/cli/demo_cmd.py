"""``syncguard demo``: the main job on the bundled fixtures, against a throw-away registry."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from syncguard.cli.state import AppState
from syncguard.errors import ConfigError

DEMO_HELP = (
    "Run the whole check on the bundled demo data: import its CMD exports into a throw-away "
    "SQLite registry, check its WebPT exports (planted with problems on purpose), print the "
    "report and write it as HTML.\n\n"
    "Built-in settings apply (a config file only sets logging). Exit code 0 when the check "
    "found exactly the planted problems; 1 when it did not; 2 when the demo data is missing."
)


def demo(
    ctx: typer.Context,
    html: Path = typer.Option(
        Path("syncguard-demo.html"), "--html", help="Where to write the HTML report."
    ),
    registry: Path | None = typer.Option(
        None, "--registry", help="Keep the demo registry in this SQLite file."
    ),
    fixtures: Path | None = typer.Option(
        None, "--fixtures", help="The demo data folder (default: the checkout's fixtures/)."
    ),
) -> None:
    from syncguard.config import Settings
    from syncguard.demo import closing_note, locate_fixtures, run_demo, unmatched_findings
    from syncguard.reports import render, write_report

    if not html.absolute().parent.is_dir():
        raise ConfigError(f"cannot write {html}: its folder does not exist", hint="fix --html")
    state: AppState = ctx.obj
    folder = locate_fixtures(fixtures)
    result = run_demo(folder, registry=registry, settings=Settings(logging=state.settings.logging))
    report = render(result, "text")
    sys.stdout.write(report if report.endswith("\n") else report + "\n")
    write_report(render(result, "html"), html)
    unmatched = unmatched_findings(result, folder)
    typer.echo(closing_note(result, html, unmatched), err=True)
    raise typer.Exit(1 if unmatched else 0)


def register(app: typer.Typer) -> None:
    """Add the demo command to ``app``."""
    app.command("demo", help=DEMO_HELP)(demo)
