"""The ``json`` format: a versioned document for programs (see docs/report-formats.md)."""

from __future__ import annotations

from typing import Any

import orjson

from syncguard.findings import CheckResult, Finding
from syncguard.reports.common import fingerprint, iso

# Bump only when a field is removed or changes meaning; adding a field keeps the version.
SCHEMA_VERSION = 1


def render(result: CheckResult) -> str:
    """The document indented by two spaces, as ``json.dumps(indent=2, ensure_ascii=False)``
    lays it out. orjson encodes it: a large check has a hundred thousand findings, which the
    standard library's indenting encoder takes over a second to write."""
    return orjson.dumps(document(result), option=orjson.OPT_INDENT_2).decode() + "\n"


def document(result: CheckResult) -> dict[str, Any]:
    """The report as plain data, keys in the documented order."""
    by_severity = result.counts_by_severity()
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "syncguard", "version": result.version},
        "practice": result.practice,
        "command": result.command,
        "started_at": iso(result.started_at),
        "finished_at": iso(result.finished_at),
        "fail_on": result.fail_on.label,
        "fail_on_new": result.fail_on_new,
        "exit_code": result.exit_code,
        "summary": {
            "by_severity": by_severity,
            "by_entity": result.counts_by_entity(),
            "total": len(result.findings),
            "failing": len(result.failing()),
            "waived": sum(1 for finding in result.findings if finding.waived),
        },
        "inputs": [
            {"kind": source.kind, "path": source.path, "sha256": source.sha256, "rows": source.rows}
            for source in result.inputs
        ],
        "findings": [_finding(result.practice, finding) for finding in result.sorted_findings()],
    }


def _finding(practice: str, finding: Finding) -> dict[str, Any]:
    previous = finding.previous_severity
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "entity": finding.entity,
        "file": finding.file,
        "row": finding.row,
        "record": finding.record,
        "key": finding.key,
        "value": finding.value,
        "expected": finding.expected,
        "message": finding.message,
        "fix": finding.fix,
        "suggestion": finding.suggestion,
        "score": finding.score,
        "drift": finding.drift,
        "waived": finding.waived,
        "first_seen": iso(finding.first_seen),
        "previous_severity": previous.label if previous is not None else None,
        "previous_value": finding.previous_value,
        "fingerprint": fingerprint(practice, finding),
    }
