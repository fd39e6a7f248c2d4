"""The ``markdown`` format: a verdict, counts and findings tables for CI summaries and PR comments.

Every value is escaped so that a name cannot break a table, start a link or inject HTML, and
the tables stop after ``MAX_ROWS`` findings (a PR comment holds at most 65,536 characters).
"""

from __future__ import annotations

import re

from syncguard.findings import CheckResult, Finding, Severity
from syncguard.reports.common import (
    display_value,
    entity_label,
    format_score,
    grouped,
    state_text,
    verdict,
)

MAX_ROWS = 200
MAX_CELL = 300
# Brackets are escaped, so no link or image can start; "<" and ">" become entities, so no HTML.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(value: str) -> str:
    """``value`` as literal text inside a Markdown table cell."""
    if len(value) > MAX_CELL:
        value = value[: MAX_CELL - 1] + "\u2026"
    value = _CONTROL.sub("\ufffd", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _NEWLINES.sub("<br>", _SPECIAL.sub(r"\\\1", value))


def render(result: CheckResult) -> str:
    mark = "\u274c" if result.exit_code else "\u2705"
    lines = [f"## {mark} syncguard {escape(result.command)}: {verdict(result)}", ""]
    lines += [_intro(result), ""]
    lines += _counts(result)
    lines += _inputs(result)
    shown = 0
    for entity, findings in grouped(result):
        if shown >= MAX_ROWS:
            break
        lines += ["", f"### {escape(entity_label(entity))} ({len(findings)})", ""]
        lines += _table(findings[: MAX_ROWS - shown], _has_states(result))
        shown += min(len(findings), MAX_ROWS - shown)
    if shown < len(result.findings):
        hidden = len(result.findings) - shown
        lines += ["", f"_{hidden} more findings not shown: see the full report (`--format html`)._"]
    lines += ["", f"**{escape(result.summary_line())}**", ""]
    return "\n".join(lines)


def _intro(result: CheckResult) -> str:
    return (
        f"Practice **{escape(result.practice)}**, syncguard {escape(result.version)}; "
        f"the check fails on **{result.fail_on.label}** or worse."
    )


def _inputs(result: CheckResult) -> list[str]:
    lines = ["", "| input | kind | rows | sha256 |", "| --- | --- | ---: | --- |"]
    lines += [
        f"| {escape(s.path)} | {escape(s.kind)} | {s.rows} | {escape(s.sha256[:12])} |"
        for s in result.inputs
    ]
    return lines if result.inputs else []


def _counts(result: CheckResult) -> list[str]:
    lines = ["| severity | findings |", "| --- | ---: |"]
    lines += [f"| {label} | {n} |" for label, n in result.counts_by_severity().items()]
    waived = sum(1 for finding in result.findings if finding.waived)
    if waived:
        lines.append(f"| waived | {waived} |")
    lines += ["", "| kind | findings |", "| --- | ---: |"]
    lines += [
        f"| {escape(entity_label(entity))} | {n} |"
        for entity, n in result.counts_by_entity().items()
    ]
    return lines


def _has_states(result: CheckResult) -> bool:
    return any(state_text(finding) for finding in result.findings)


def _table(findings: list[Finding], with_state: bool) -> list[str]:
    columns = ["severity", "code", "location", "record", "value", "expected", "message", "fix"]
    columns += ["state"] if with_state else []
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    for finding in findings:
        lines.append("| " + " | ".join(_cells(finding, with_state)) + " |")
    return lines


def _cells(finding: Finding, with_state: bool) -> list[str]:
    fix = finding.fix
    if finding.suggestion:
        score = format_score(finding.score)
        fix += f" (suggested: {finding.suggestion}{f', score {score}' if score else ''})"
    label = finding.severity.label
    location = finding.location if finding.file else f"registry {finding.key}".strip()
    cells = [
        f"**{label}**" if finding.severity is Severity.ERROR else label,
        escape(f"{finding.code} {finding.name}"),
        escape(location),
        escape(finding.record),
        escape(display_value(finding.value)),
        escape(display_value(finding.expected)),
        escape(finding.message),
        escape(fix),
    ]
    return cells + ([escape(state_text(finding))] if with_state else [])
