"""The ``html`` format: one self-contained page with summary cards, filters and the findings.

The page needs no network: its CSS and script are inline, and a Content-Security-Policy allows
exactly those two (by hash) and nothing else. Every value is HTML-escaped; the findings live in
the table rows as text, which the script only shows and hides.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib.resources import files
from string import Template

from syncguard.findings import CheckResult, Finding
from syncguard.reports.common import (
    checked_entities,
    display_value,
    drift_note,
    entity_label,
    format_score,
    severities,
    states,
    verdict,
)
from syncguard.reports.html_cards import cards, e, meta

COLUMNS = ("Severity", "Code", "Kind", "Location", "Record", "Value", "Expected", "Message", "Fix")


def render(result: CheckResult) -> str:
    style, script = _asset("report.css"), _asset("report.js")
    page = Template(_asset("report.html"))
    return page.substitute(
        csp=_csp(style, script),
        version=e(result.version),
        title=e(f"syncguard {result.command}: {verdict(result)} ({result.practice})"),
        style=style,
        script=script,
        command=e(result.command),
        practice=e(result.practice),
        verdict=verdict(result),
        verdict_class=verdict(result).lower(),
        meta=meta(result),
        cards=cards(result),
        body=_body(result),
        summary_line=e(result.summary_line()),
    )


@cache
def _asset(name: str) -> str:
    return (files("syncguard.reports") / "templates" / name).read_text(encoding="utf-8")


def _csp(style: str, script: str) -> str:
    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")

    return (
        f"default-src 'none'; style-src 'sha256-{digest(style)}'; "
        f"script-src 'sha256-{digest(script)}'; img-src data:; base-uri 'none'; form-action 'none'"
    )


def _body(result: CheckResult) -> str:
    if not result.findings:
        return '<p class="none">No findings: every record checked agrees with the registry.</p>'
    head = "".join(f"<th>{column}</th>" for column in COLUMNS)
    rows = "\n".join(_row(finding) for finding in result.sorted_findings())
    return (
        f"{_controls(result)}\n"
        f'<div class="table-wrap"><table class="findings" id="findings">'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>"
        f'<p id="no-match" hidden>No finding matches the filters.</p></div>'
    )


def _controls(result: CheckResult) -> str:
    counts = result.counts_by_severity()
    by_entity = result.counts_by_entity()
    severity_boxes = "".join(
        _chip("severity", s.label, s.label, counts[s.label]) for s in severities()
    )
    entity_boxes = "".join(
        _chip("entity", entity, entity_label(entity), by_entity.get(entity, 0))
        for entity in checked_entities(result)
    )
    return (
        '<section class="controls" id="controls" aria-label="Filters" hidden>'
        f"<fieldset><legend>Severity</legend>{severity_boxes}</fieldset>"
        f"<fieldset><legend>Kind</legend>{entity_boxes}</fieldset>"
        '<div class="search"><label for="search">Search</label>'
        '<input type="search" id="search" placeholder="Name, ID, code, file, message"></div>'
        '<output id="shown" for="search" aria-live="polite"></output></section>'
    )


def _chip(filter_name: str, value: str, label: str, count: int) -> str:
    return (
        f'<label class="chip"><input type="checkbox" data-filter="{filter_name}" '
        f'value="{e(value)}" checked>{e(label)} <span class="sub">{count}</span></label>'
    )


def _row(finding: Finding) -> str:
    badges = "".join(
        f'<span class="badge state-{e(label)}">{e(label)}</span>' for label in states(finding)
    )
    if drift_note(finding):
        badges += f'<span class="sub">{e(drift_note(finding))}</span>'
    location = e(finding.location)
    if finding.file is None and finding.key:
        location += f'<span class="sub">CMD {e(finding.key)}</span>'
    fix = e(finding.fix)
    if finding.suggestion:
        score = format_score(finding.score)
        suggestion = f"Suggested: {finding.suggestion}" + (f" (score {score})" if score else "")
        fix += f'<span class="sub">{e(suggestion)}</span>'
    cells = [
        ("", f'<span class="sev sev-{finding.severity.label}">{finding.severity.label}</span>'
             + (f"<br>{badges}" if badges else "")),
        ("", f'<span class="code mono">{e(finding.code)}</span>'
             f'<span class="sub">{e(finding.name)}</span>'),
        ("", e(finding.entity.capitalize())),
        ("loc", location),
        ("text", e(finding.record)),
        ("text", _value(finding.value)),
        ("text", _value(finding.expected)),
        ("", e(finding.message)),
        ("fix", fix),
    ]  # fmt: skip
    css = ' class="waived"' if finding.waived else ""
    return (
        f'<tr data-severity="{finding.severity.label}" data-entity="{e(finding.entity)}"{css}>'
        + "".join(f'<td class="{kind}">{html}</td>' if kind else f"<td>{html}</td>"
                  for kind, html in cells)
        + "</tr>"
    )  # fmt: skip


def _value(value: str | None) -> str:
    if value == "":
        return f'<span class="empty-cell">{display_value(value)}</span>'
    return e(value or "")
