"""The ``text`` format: a readable terminal report, grouped by entity kind, worst first."""

from __future__ import annotations

import functools
import io
import re
import textwrap

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from syncguard.findings import CheckResult, Finding, Severity
from syncguard.reports.common import (
    display_value,
    entity_label,
    format_score,
    grouped,
    one_line,
    state_text,
    verdict,
)

WIDTH = 100
_INDENT = 8  # findings' details sit under the code, past the severity
_VALUE_COLUMN = 19
_WORDS = re.compile(r"\S+(?: \S+)*")  # words between single spaces, no whitespace of another kind
_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_SEVERITY_CELLS = {s: (f"{s.label.upper():<{_INDENT}}", _STYLES[s]) for s in Severity}
_HANGING = " " * _VALUE_COLUMN  # where a wrapped value's next lines start


def render(result: CheckResult, *, color: bool = False, width: int = WIDTH) -> str:
    """The report as text; ``color`` adds ANSI styles (for a terminal only)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    console.print(_title(result))
    groups = grouped(result)
    if not groups:
        console.print(Text("\nNo findings: every record checked agrees with the registry."))
    for entity, findings in groups:
        console.print()
        noun = "finding" if len(findings) == 1 else "findings"
        console.rule(Text(f"{entity_label(entity)}: {len(findings)} {noun}"), align="left")
        # Wrapped here already: letting rich measure every finding is slow for large reports,
        # and without colour there is nothing left for rich to do, so the pieces are written
        # as they are (a coverage check can list a hundred thousand findings).
        pieces = [piece for finding in findings for piece in _finding(finding, width)]
        if color:
            console.print(Text.assemble(*pieces), soft_wrap=True, end="")
        else:
            buffer.write("".join(text for text, _ in pieces))
    console.print()
    console.rule(Text("Summary"), align="left")
    console.print(_summary(result))
    console.print(Text(result.summary_line(), style="bold"))
    text = buffer.getvalue()
    return text if color else "\n".join(line.rstrip() for line in text.split("\n"))


def _title(result: CheckResult) -> Text:
    style = "bold red" if result.exit_code else "bold green"
    return Text.assemble(
        (f"syncguard {result.command}: {verdict(result)}", style),
        f"  practice {one_line(result.practice)}  syncguard {result.version}",
    )


def _finding(finding: Finding, width: int) -> list[tuple[str, str]]:
    """One finding as (text, style) pieces: a heading line, then its details as label and value
    with a hanging indent."""
    pieces = [
        ("\n", ""),
        _SEVERITY_CELLS[finding.severity],
        (one_line(finding.code), "bold"),
        (f" {one_line(finding.name)}  ", ""),
        (one_line(finding.location), "underline"),
        ("\n", ""),
    ]
    room = max(width - _VALUE_COLUMN, 20)
    append = pieces.append
    for label, value in _details(finding):
        lines = wrap(value, room)
        append(_label_cell(label))
        append((lines[0] + "\n", ""))
        for line in lines[1:]:
            append((_HANGING + line + "\n", ""))
    return pieces


@functools.cache
def _label_cell(label: str) -> tuple[str, str]:
    return (f"{'':<{_INDENT}}{label:<{_VALUE_COLUMN - _INDENT}}", "dim")


def wrap(value: str, room: int) -> list[str]:
    """``value`` in lines of at most ``room`` characters, exactly as ``textwrap.wrap`` breaks
    them (never at a hyphen), and one empty line for an empty value.

    ``textwrap`` is slow: a report of a hundred thousand findings spent seconds in it. Text
    that is words between single spaces, none of them longer than a line and none of them
    whitespace of another kind, is wrapped here the same greedy way; anything else goes to
    ``textwrap``.
    """
    if len(value) <= room and value and not value[0].isspace() and not value[-1].isspace():
        return [value]
    if not _WORDS.fullmatch(value) or max(map(len, value.split(" "))) > room:
        return textwrap.wrap(value, room, break_on_hyphens=False) or [""]
    return _lines(room).findall(value)


@functools.cache
def _lines(room: int) -> re.Pattern[str]:
    """The longest run of at most ``room`` characters that ends before a space or the end."""
    return re.compile(rf"(\S.{{0,{room - 1}}})(?: |$)")


def _details(finding: Finding) -> list[tuple[str, str]]:
    rows = [("record", finding.record), ("value", display_value(finding.value))]
    rows.append(("expected", display_value(finding.expected)))
    rows += [("message", finding.message), ("fix", finding.fix)]
    if finding.suggestion:
        score = format_score(finding.score)
        rows.append(
            ("suggestion", f"{finding.suggestion} (score {score})" if score else finding.suggestion)
        )
    rows.append(("state", state_text(finding)))
    if finding.file is None and finding.key:
        rows.append(("key", finding.key))
    return [(label, one_line(value)) for label, value in rows if value]


def _summary(result: CheckResult) -> RenderableType:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(overflow="fold")
    by_severity = ", ".join(_plural(n, label) for label, n in result.counts_by_severity().items())
    by_entity = ", ".join(f"{n} {entity}" for entity, n in result.counts_by_entity().items())
    facts.add_row("findings", Text(f"{by_severity} (fail on {result.fail_on.label})"))
    facts.add_row("by kind", Text(by_entity or "none"))
    waived = sum(1 for finding in result.findings if finding.waived)
    if waived:
        facts.add_row("waived", Text(f"{waived} (not counted above)"))
    facts.add_row("practice", Text(one_line(result.practice)))
    facts.add_row("version", Text(f"syncguard {result.version}"))
    if result.started_at is not None and result.finished_at is not None:
        start = result.started_at.isoformat(sep=" ", timespec="seconds")
        period = f"{start} to {result.finished_at.isoformat(sep=' ', timespec='seconds')}"
        facts.add_row("ran", Text(period))
    facts.add_row("inputs", _inputs(result) if result.inputs else Text("none"))
    return Group(facts, Text())


def _inputs(result: CheckResult) -> RenderableType:
    table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, header_style="dim")
    for column in ("kind", "file", "rows", "sha256"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for source in result.inputs:
        table.add_row(source.kind, one_line(source.path), str(source.rows), source.sha256[:12])
    return table


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 or noun == "info" else f"{count} {noun}s"
