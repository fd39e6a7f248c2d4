"""The summary cards at the top of the HTML report: counts, the run, and the inputs."""

from __future__ import annotations

from html import escape

from syncguard.findings import CheckResult
from syncguard.reports.common import checked_entities, entity_label, severities, verdict


def e(value: str) -> str:
    """``value`` safe in HTML text and in a quoted attribute."""
    return escape(value, quote=True)


def meta(result: CheckResult) -> str:
    parts = [f"syncguard {result.version}", f"fails on {result.fail_on.label} or worse"]
    if result.finished_at is not None:
        parts.append(f"finished {result.finished_at.isoformat(sep=' ', timespec='seconds')}")
    return " &middot; ".join(e(part) for part in parts)


def cards(result: CheckResult) -> str:
    counts = result.counts_by_severity()
    items = "".join(
        f'<li class="sev-{s.label}"><b>{counts[s.label]}</b><span>{s.label}</span></li>'
        for s in severities()
    )
    waived = sum(1 for finding in result.findings if finding.waived)
    note = f'<p class="note">{waived} waived, not counted.</p>' if waived else ""
    by_entity = result.counts_by_entity()
    kinds = "".join(
        f"<tr><th>{e(entity_label(entity))}</th>"
        f'<td class="num">{by_entity.get(entity, 0)}</td></tr>'
        for entity in checked_entities(result)
    )
    return "\n".join(
        [
            f'<div class="card"><h2>Findings by severity</h2><ul class="counts">{items}</ul>'
            f"{note}</div>",
            f'<div class="card"><h2>Findings by kind</h2><table class="facts">'
            f"{kinds or '<tr><th>none</th><td></td></tr>'}</table></div>",
            _facts(result),
            _inputs(result),
        ]
    )


def _facts(result: CheckResult) -> str:
    facts = [
        ("Verdict", f"{verdict(result)} (exit code {result.exit_code})"),
        ("Practice", result.practice),
        ("Fails on", f"{result.fail_on.label} or worse"),
        ("Version", f"syncguard {result.version}"),
    ]
    if result.started_at is not None:
        facts.append(("Started", result.started_at.isoformat(sep=" ", timespec="seconds")))
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts)
    return f'<div class="card"><h2>Run</h2><table class="facts">{rows}</table></div>'


def _inputs(result: CheckResult) -> str:
    rows = "".join(
        f'<tr><td>{e(s.kind)}</td><td>{e(s.path)}</td><td class="num">{s.rows}</td>'
        f'<td><code title="{e(s.sha256)}">{e(s.sha256[:16])}</code></td></tr>'
        for s in result.inputs
    )
    head = "<tr><th>Kind</th><th>File</th><th>Rows</th><th>sha256</th></tr>"
    table = f'<table class="inputs">{head}{rows}</table>' if rows else "<p>None.</p>"
    return f'<div class="card wide"><h2>Inputs</h2>{table}</div>'
