"""The JUnit XML report: structure and counts that GitLab, Jenkins and GitHub reporters read."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from test_reports_sample import sample_findings, sample_result

from syncguard.findings import Finding, Severity
from syncguard.reports import render

COUNTS = ("tests", "failures", "errors", "skipped")


def parse(result_findings: list[Finding] | None = None, **changes: object) -> ET.Element:
    result = sample_result(result_findings)
    for name, value in changes.items():
        setattr(result, name, value)
    return ET.fromstring(render(result, "junit").encode("utf-8"))


def counts(element: ET.Element) -> dict[str, int]:
    return {key: int(element.get(key, "-1")) for key in COUNTS}


def assert_counts_are_consistent(root: ET.Element) -> None:
    suites = root.findall("testsuite")
    for suite in suites:
        cases = suite.findall("testcase")
        assert counts(suite) == {
            "tests": len(cases),
            "failures": sum(case.find("failure") is not None for case in cases),
            "errors": sum(case.find("error") is not None for case in cases),
            "skipped": sum(case.find("skipped") is not None for case in cases),
        }
    assert counts(root) == {key: sum(counts(s)[key] for s in suites) for key in COUNTS}


def test_one_suite_per_kind_and_one_case_per_finding() -> None:
    root = parse()
    assert root.tag == "testsuites"
    names = [suite.get("name") for suite in root.findall("testsuite")]
    assert names == [
        "syncguard.facility",
        "syncguard.payer",
        "syncguard.provider",
        "syncguard.referring",
    ]
    assert counts(root) == {"tests": 9, "failures": 4, "errors": 0, "skipped": 1}
    assert_counts_are_consistent(root)


def test_a_failure_carries_the_message_the_code_and_the_fix() -> None:
    root = parse()
    case = root.find(".//testcase[@name='PAY101 Aetna PPO (webpt_payers.xlsx:4)']")
    assert case is not None
    assert case.get("file") == "webpt_payers.xlsx" and case.get("line") == "4"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "PAY101"
    assert failure.get("message") == "No CMD payer has sequence number 10023345."
    assert "fix: In WebPT > Payers > 'Aetna PPO'" in (failure.text or "")
    assert "state: new" in (failure.text or "")


def test_findings_below_fail_on_pass_with_their_details_and_waived_ones_are_skipped() -> None:
    root = parse()
    warning = root.find(".//testcase[@name='REF201 Smith | Jane\nMD (WebPT Referring.csv:12)']")
    assert warning is not None and warning.find("failure") is None
    assert "expected: SMITH, JOHN `MD`" in (warning.findtext("system-out") or "")
    waived = root.find(".//testcase[@name='REN102 Lee, Dana PT (webpt_providers.csv:5)']")
    assert waived is not None and waived.find("skipped") is not None


def test_fail_on_warning_turns_warnings_into_failures_but_not_waived_ones() -> None:
    root = parse(fail_on=Severity.WARNING)
    assert counts(root) == {"tests": 9, "failures": 6, "errors": 0, "skipped": 1}
    assert_counts_are_consistent(root)


def test_with_fail_on_new_only_new_or_worsened_findings_fail() -> None:
    root = parse(fail_on=Severity.WARNING, fail_on_new=True)
    failed = sorted(f.get("type", "") for f in root.iter("failure"))
    assert failed == ["PAY101"]  # the only new finding at or above warning
    assert_counts_are_consistent(root)


def test_a_kind_checked_without_findings_gets_one_passing_case() -> None:
    payers_only = [f for f in sample_findings() if f.entity == "payer"]
    root = parse(payers_only)
    suite = root.find("testsuite[@name='syncguard.facility']")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["Facilities: no findings"]
    assert list(cases[0]) == []
    assert_counts_are_consistent(root)


def test_no_inputs_and_no_findings_is_still_a_valid_report() -> None:
    root = parse([], inputs=[])
    assert counts(root) == {"tests": 1, "failures": 0, "errors": 0, "skipped": 0}


def test_characters_xml_cannot_carry_and_repeated_names_do_not_break_the_file() -> None:
    hostile = replace(sample_findings()[0], record="Bad\x00\x1b[31mName\ufffe", row=4)
    root = parse([hostile, hostile])
    names = [case.get("name") for case in root.iter("testcase") if case.get("file")]
    assert names[0] == "PAY101 Bad\ufffd\ufffd[31mName\ufffd (webpt_payers.xlsx:4)"
    assert names[1] == names[0] + " #2"
    assert_counts_are_consistent(root)
