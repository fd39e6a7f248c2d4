"""The text report of a balance: readiness, one table per place of service, then the findings.

The findings part is the shared ``text`` report; the balance goes between its title line and
its findings, so that the numbers come before the details.
"""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from syncguard.balance.report_data import (
    COLUMNS,
    balance_of,
    cell,
    heading,
    locations_line,
    period_label,
    readiness_counts,
    total_row,
)
from syncguard.findings import CheckResult
from syncguard.reports import render as render_shared
from syncguard.reports.common import one_line

WIDTH = 120


def render(result: CheckResult, *, color: bool = False) -> str:
    shared = render_shared(result, "text")
    title, _, findings = shared.partition("\n")
    return f"{title}\n\n{balance_text(result, color=color)}{findings}"


def balance_text(result: CheckResult, *, color: bool = False) -> str:
    data = balance_of(result)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=WIDTH,
        color_system="standard" if color else None,
        force_terminal=color,
        highlight=False,
        emoji=False,
        markup=False,
    )
    console.print(Text(heading(data), style="bold"))
    if line := locations_line(data):
        console.print(one_line(line))
    console.print()
    console.print(Text("Readiness (the numbers are final only when all are zero)"))
    for code, what, count in readiness_counts(result):
        console.print(f"  {count:>4}  {what}  [{code}]")
    for place in data["places"]:
        console.print()
        console.print(_table(place, data["by"]))
    for note in data["notes"]:
        console.print(Text(f"note: {one_line(note)}", style="dim"))
    text = buffer.getvalue()
    return text if color else "\n".join(line.rstrip() for line in text.split("\n"))


def _table(place: dict[str, Any], by: str) -> Table:
    table = Table(
        title=f"Place of service {one_line(place['place'])}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_footer=True,
        pad_edge=False,
    )
    totals = total_row(place)
    table.add_column("Period", footer="Total", no_wrap=True)
    for name, _, label in COLUMNS:
        table.add_column(label, justify="right", footer=cell(name, totals[name]), no_wrap=True)
    for row in place["periods"]:
        style = "red" if row["unexplained"] else None
        values = [cell(name, row[name]) for name, _, _ in COLUMNS]
        table.add_row(period_label(row, by), *values, style=style)
    return table
