"""The ``junit`` format: JUnit XML for GitLab, Jenkins and GitHub test reporters.

One test suite per entity kind. A finding that fails the check (``CheckResult.failing()``: at
or above ``fail_on``) is a failed test case whose type is the rule code; any other finding passes
with its details in ``system-out``; a waived finding is skipped; a kind checked without any
finding gets one passing test case.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from syncguard.findings import CheckResult, Finding
from syncguard.reports.common import (
    checked_entities,
    display_value,
    entity_label,
    format_score,
    state_text,
)

# Characters XML 1.0 cannot carry at all; ElementTree would write them and break the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def render(result: CheckResult) -> str:
    root = ET.Element("testsuites", name=f"syncguard {xml_text(result.command)}")
    for entity in checked_entities(result) or ["check"]:
        findings = [f for f in result.sorted_findings() if f.entity == entity]
        root.append(_suite(result, entity, findings))
    _count(root, root.findall("testsuite"))
    if result.started_at and result.finished_at:
        seconds = (result.finished_at - result.started_at).total_seconds()
        root.set("time", f"{seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _suite(result: CheckResult, entity: str, findings: list[Finding]) -> ET.Element:
    suite = ET.Element("testsuite", name=f"syncguard.{xml_text(entity)}")
    if result.started_at is not None:
        suite.set("timestamp", _timestamp(result.started_at))
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("practice", result.practice),
        ("syncguard.version", result.version),
        ("fail_on", result.fail_on.label),
    ):
        ET.SubElement(properties, "property", name=name, value=xml_text(value))
    names: set[str] = set()
    failing = {id(finding) for finding in result.failing()}
    for finding in findings:
        name = _unique(_case_name(finding), names)
        suite.append(_case(finding, name, failing=id(finding) in failing))
    if not findings:
        ET.SubElement(
            suite, "testcase", classname=suite.get("name", ""), time="0",
            name=f"{entity_label(entity)}: no findings",
        )  # fmt: skip
    _count(suite, suite.findall("testcase"))
    return suite


def _case(finding: Finding, name: str, *, failing: bool) -> ET.Element:
    case = ET.Element("testcase", classname=f"syncguard.{xml_text(finding.entity)}", name=name)
    if finding.file is not None:
        case.set("file", xml_text(finding.file))
        if finding.row is not None:
            case.set("line", str(finding.row))
    case.set("time", "0")
    body = xml_text(_details(finding))
    if finding.waived:
        ET.SubElement(case, "skipped", message=xml_text(f"waived: {finding.message}"))
        ET.SubElement(case, "system-out").text = body
    elif failing:
        failure = ET.SubElement(case, "failure", message=xml_text(finding.message))
        failure.set("type", finding.code)
        failure.text = body
    else:
        ET.SubElement(case, "system-out").text = body
    return case


def _case_name(finding: Finding) -> str:
    return xml_text(f"{finding.code} {finding.record or finding.key} ({finding.location})")


def _unique(name: str, seen: set[str]) -> str:
    """Reporters merge test cases with equal names; number the repeats instead."""
    candidate, number = name, 1
    while candidate in seen:
        number += 1
        candidate = f"{name} #{number}"
    seen.add(candidate)
    return candidate


def _details(finding: Finding) -> str:
    score = format_score(finding.score)
    lines = [
        ("rule", f"{finding.code} {finding.name}"),
        ("severity", finding.severity.label),
        ("location", finding.location),
        ("record", finding.record),
        ("key", finding.key),
        ("value", display_value(finding.value)),
        ("expected", display_value(finding.expected)),
        ("message", finding.message),
        ("fix", finding.fix),
        ("suggestion", f"{finding.suggestion} (score {score})" if finding.suggestion else ""),
        ("state", state_text(finding)),
    ]
    return "\n".join(f"{label}: {value}" for label, value in lines if value)


def _count(element: ET.Element, children: list[ET.Element]) -> None:
    """Set tests / failures / errors / skipped from the children (cases, or suites)."""
    if element.tag == "testsuites":
        totals = {key: sum(int(c.get(key, "0")) for c in children) for key in _COUNTS}
    else:
        totals = {
            "tests": len(children),
            "failures": sum(1 for c in children if c.find("failure") is not None),
            "errors": 0,
            "skipped": sum(1 for c in children if c.find("skipped") is not None),
        }
    for key in _COUNTS:
        element.set(key, str(totals[key]))
    element.set("time", element.get("time", "0"))


_COUNTS = ("tests", "failures", "errors", "skipped")


def _timestamp(moment: datetime) -> str:
    """JUnit's schema wants a local date-time without zone: give UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None, microsecond=0).isoformat()
