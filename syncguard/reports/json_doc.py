"""The ``json`` format: a versioned document for programs (see docs/report-formats.md)."""

from __future__ import annotations

from typing import Any

import orjson

from syncguard.findings import CheckResult, Severity
from syncguard.reports.common import fingerprints, iso

# Bump only when a field is removed or changes meaning; adding a field keeps the version.
SCHEMA_VERSION = 1
_LABELS: dict[Severity | None, str | None] = {None: None, **{s: s.label for s in Severity}}


def render(result: CheckResult) -> str:
    """The document indented by two spaces, as ``json.dumps(indent=2, ensure_ascii=False)``
    lays it out."""
    return render_bytes(result).decode("utf-8")


def render_bytes(result: CheckResult) -> bytes:
    """``render``'s text as UTF-8, straight from the encoder. orjson encodes it: a large check
    has a hundred thousand findings, which the standard library's indenting encoder takes over
    a second to write."""
    return orjson.dumps(document(result), option=orjson.OPT_INDENT_2) + b"\n"


def document(result: CheckResult) -> dict[str, Any]:
    """The report as plain data, keys in the documented order."""
    by_severity = result.counts_by_severity()
    failing = result.failing()  # once: ``exit_code`` is whether any finding fails
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "syncguard", "version": result.version},
        "practice": result.practice,
        "command": result.command,
        "started_at": iso(result.started_at),
        "finished_at": iso(result.finished_at),
        "fail_on": result.fail_on.label,
        "fail_on_new": result.fail_on_new,
        "exit_code": 1 if failing else 0,
        "summary": {
            "by_severity": by_severity,
            "by_entity": result.counts_by_entity(),
            "total": len(result.findings),
            "failing": len(failing),
            "waived": sum(1 for finding in result.findings if finding.waived),
        },
        "inputs": [
            {"kind": source.kind, "path": source.path, "sha256": source.sha256, "rows": source.rows}
            for source in result.inputs
        ],
        "findings": _findings(result),
    }


def _findings(result: CheckResult) -> list[dict[str, Any]]:
    """One dict per finding, worst first. A large check has a hundred thousand: the loop looks
    each label and first-seen time up as cheaply as it can (most findings share
    their first-seen time, so its text is made once per distinct time)."""
    labels = _LABELS
    findings = result.sorted_findings()
    keys = fingerprints(result.practice, findings)
    seen_texts: dict[Any, str | None] = {None: None}
    documents: list[dict[str, Any]] = []
    append = documents.append
    for f, key in zip(findings, keys, strict=True):
        first_seen = f.first_seen
        try:
            seen_text = seen_texts[first_seen]
        except KeyError:
            seen_text = seen_texts[first_seen] = iso(first_seen)
        append(
            {
                "code": f.code,
                "name": f.name,
                "severity": labels[f.severity],
                "entity": f.entity,
                "file": f.file,
                "row": f.row,
                "record": f.record,
                "key": f.key,
                "value": f.value,
                "expected": f.expected,
                "message": f.message,
                "fix": f.fix,
                "suggestion": f.suggestion,
                "score": f.score,
                "drift": f.drift,
                "waived": f.waived,
                "first_seen": seen_text,
                "previous_severity": labels[f.previous_severity],
                "previous_value": f.previous_value,
                "fingerprint": key,
            }
        )
    return documents
