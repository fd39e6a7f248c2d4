"""The ``sarif`` format: SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

Each finding is a result located at its input file and row; a registry-level finding (coverage,
no file) names the CMD record as a logical location, plus the input list it is missing from.
Rule text comes from the rule catalogue when it knows the code, else from the finding itself.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson

from syncguard.findings import CheckResult, Finding, Severity
from syncguard.reports.common import (
    RuleLookup,
    entity_of_kind,
    fingerprints,
    format_score,
    iso,
    load_rules,
)

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# SARIF's baselineState says what our run history calls drift.
BASELINE = {"new": "new", "open": "unchanged", "changed": "updated", "resolved": "absent"}


def render(result: CheckResult, rules: RuleLookup | None = None) -> str:
    """The SARIF log as JSON, indented by two spaces as ``json.dumps(indent=2,
    ensure_ascii=False)`` lays it out; ``rules`` defaults to syncguard's rule catalogue."""
    return render_bytes(result, rules).decode("utf-8")


def render_bytes(result: CheckResult, rules: RuleLookup | None = None) -> bytes:
    """``render``'s text as UTF-8, straight from orjson: the log of a hundred thousand findings
    is over a hundred megabytes, which the standard library's indenting encoder took seconds
    (and twice the memory) to write."""
    lookup = rules if rules is not None else load_rules()
    return orjson.dumps(log(result, lookup), option=orjson.OPT_INDENT_2) + b"\n"


def log(result: CheckResult, rules: RuleLookup | None) -> dict[str, Any]:
    findings = result.sorted_findings()
    codes = sorted({finding.code for finding in findings})
    descriptors = [_descriptor(code, findings, rules) for code in codes]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "syncguard",
                "version": result.version,
                "semanticVersion": result.version,
                "rules": descriptors,
            }
        },
        "automationDetails": {"id": f"syncguard/{result.practice}/"},
        "invocations": [_invocation(result)],
        "artifacts": [
            {
                "location": {"uri": quote(source.path)},
                "hashes": {"sha-256": source.sha256},
                "roles": ["analysisTarget"],
            }
            for source in result.inputs
        ],
        "results": [
            _result(result, f, codes.index(f.code), key)
            for f, key in zip(findings, fingerprints(result.practice, findings), strict=True)
        ],
        "properties": {"practice": result.practice, "failOn": result.fail_on.label},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _descriptor(code: str, findings: list[Finding], rules: RuleLookup | None) -> dict[str, Any]:
    example = next(finding for finding in findings if finding.code == code)
    rule = rules.get(code) if rules is not None else None
    if rule is None:  # a code the catalogue does not know (yet): describe it from the finding
        summary, full, help_text = example.message, example.message, example.fix
        name, severity = example.name, example.severity
    else:
        summary, name, severity = rule.summary, rule.name, rule.severity
        full = f"{rule.summary} {rule.why}"
        help_text = f"{rule.summary}\n\nWhy: {rule.why}\nExample: {rule.example}\nFix: {rule.fix}"
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": [example.entity]},
    }


def _result(
    result: CheckResult, finding: Finding, rule_index: int, fingerprint: str
) -> dict[str, Any]:
    text = f"{finding.message} Fix: {finding.fix}"
    if finding.suggestion:
        score = format_score(finding.score)
        text += f" Suggested: {finding.suggestion}" + (f" (score {score})." if score else ".")
    entry: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [_location(result, finding)],
        "partialFingerprints": {"syncguardFingerprint/v1": fingerprint},
        "properties": _properties(finding),
    }
    if finding.drift in BASELINE:
        entry["baselineState"] = BASELINE[finding.drift]
    if finding.waived:
        entry["suppressions"] = [{"kind": "external", "justification": "waived in syncguard"}]
    return entry


def _location(result: CheckResult, finding: Finding) -> dict[str, Any]:
    """The file and row; for a registry-level finding, the CMD record and the list it is missing
    from (code-scanning dashboards such as GitHub's expect every result to name a file)."""
    key = finding.key or finding.record
    logical = {
        "name": key,
        "fullyQualifiedName": f"{result.practice}/{finding.entity}/{key}",
        "kind": "object",
    }
    file = finding.file if finding.file is not None else _list_of(result, finding.entity)
    if file is None:
        return {"logicalLocations": [logical]}
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(file)}}
    if finding.row is not None:
        physical["region"] = {"startLine": finding.row}
    return {"physicalLocation": physical, "logicalLocations": [logical]}


def _list_of(result: CheckResult, entity: str) -> str | None:
    paths = [source.path for source in result.inputs if entity_of_kind(source.kind) == entity]
    return paths[0] if paths else None


def _properties(finding: Finding) -> dict[str, Any]:
    values = {
        "entity": finding.entity,
        "record": finding.record,
        "key": finding.key,
        "value": finding.value,
        "expected": finding.expected,
        "fix": finding.fix,
        "suggestion": finding.suggestion,
        "score": finding.score,
        "drift": finding.drift,
        "waived": finding.waived or None,
        "firstSeen": iso(finding.first_seen),
        "previousSeverity": _label(finding.previous_severity),
        "previousValue": finding.previous_value,
    }
    return {name: value for name, value in values.items() if value not in (None, "")}


def _label(severity: Severity | None) -> str | None:
    return severity.label if severity is not None else None


def _invocation(result: CheckResult) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": True, "exitCode": result.exit_code}
    if result.started_at is not None:
        invocation["startTimeUtc"] = iso(result.started_at)
    if result.finished_at is not None:
        invocation["endTimeUtc"] = iso(result.finished_at)
    return invocation
