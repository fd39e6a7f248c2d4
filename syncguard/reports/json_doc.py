"""The ``json`` format: a versioned document for programs (see docs/report-formats.md)."""

from __future__ import annotations

import json
from typing import Any

from syncguard.findings import CheckResult, Finding
from syncguard.reports.common import fingerprint, iso

# Bump only when a field is removed or changes meaning; adding a field keeps the version.
SCHEMA_VERSION = 1


def render(result: CheckResult) -> str:
    """The document indented by two spaces, its findings without the slow encoder.

    Python's JSON encoder is fast only without indentation, and a large check has a hundred
    thousand findings: they are encoded in one call with separators that lay them out as
    ``indent=2`` would, and only the braces between them are placed by hand.
    """
    doc = document(result)
    findings = doc.pop("findings")
    if not findings:
        return json.dumps({**doc, "findings": []}, ensure_ascii=False, indent=2) + "\n"
    head = json.dumps(doc, ensure_ascii=False, indent=2)  # ends with "\n}"
    return "".join((head[:-2], ',\n  "findings": [\n', _indented(findings), "\n  ]\n}\n"))


def _indented(findings: list[dict[str, Any]]) -> str:
    """Flat findings as ``indent=2`` lays them out in the document's list.

    An encoded value never holds a raw newline (JSON escapes it), so "}," followed by a newline
    is always the end of one finding and the start of the next.
    """
    flat = json.dumps(findings, ensure_ascii=False, separators=(",\n      ", ": "))
    between = flat[2:-2].replace("},\n      {", "\n    },\n    {\n      ")
    return f"    {{\n      {between}\n    }}"


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
