"""The SARIF 2.1.0 report: the structure code-scanning dashboards require, checked by hand."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from test_reports_sample import sample_catalogue, sample_findings, sample_result

from syncguard.findings import CheckResult
from syncguard.reports import render, sarif
from syncguard.reports.common import load_rules


def sarif_log(result: CheckResult | None = None) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        sarif.render(result or sample_result(), rules=sample_catalogue())
    )
    return document


def test_the_log_has_the_required_top_level_structure() -> None:
    log = sarif_log()
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "syncguard" and driver["version"] == "0.1.0"
    assert "informationUri" not in driver  # no public project page to point at yet
    assert len(run["results"]) == 9


def test_every_result_points_at_a_described_rule_with_a_valid_level() -> None:
    run = sarif_log()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted({f.code for f in sample_findings()})
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert " Fix: " in result["message"]["text"]
        assert result["partialFingerprints"]["syncguardFingerprint/v1"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["PAY101"] == "error" and levels["PAY201"] == "warning"
    assert levels["PAY301"] == "note"


def test_rules_the_catalogue_does_not_know_are_described_from_the_finding() -> None:
    rules = {rule["id"]: rule for rule in sarif_log()["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["PAY101"]["fullDescription"]["text"].endswith("misroutes charges.")
    assert rules["EXP101"]["name"] == "damaged-value"
    assert rules["EXP101"]["shortDescription"]["text"].startswith("The Alternate ID cell holds")


def test_file_findings_are_located_at_file_and_row_and_registry_ones_logically() -> None:
    results = {r["ruleId"]: r for r in sarif_log()["runs"][0]["results"]}
    located = results["REF201"]["locations"][0]["physicalLocation"]
    assert located["artifactLocation"]["uri"] == "WebPT%20Referring.csv"
    assert located["region"]["startLine"] == 12
    coverage = results["REF301"]["locations"][0]
    assert coverage["physicalLocation"] == {"artifactLocation": {"uri": "WebPT%20Referring.csv"}}
    assert coverage["logicalLocations"][0]["fullyQualifiedName"] == "northside/referring/1245319599"
    without_lists = sample_result()
    without_lists.inputs = []
    alone = {r["ruleId"]: r for r in sarif_log(without_lists)["runs"][0]["results"]}["REF301"]
    assert list(alone["locations"][0]) == ["logicalLocations"]


def test_drift_and_waivers_use_sarif_baseline_state_and_suppressions() -> None:
    results = {r["ruleId"]: r for r in sarif_log()["runs"][0]["results"]}
    assert results["PAY101"]["baselineState"] == "new"
    assert results["REF201"]["baselineState"] == "unchanged"
    assert results["REN102"]["baselineState"] == "updated"
    assert results["PAY301"]["baselineState"] == "absent"
    assert results["REN102"]["suppressions"][0]["kind"] == "external"
    assert "baselineState" not in results["FAC401"] and "suppressions" not in results["FAC401"]


def test_the_fingerprint_survives_a_moved_row_and_differs_per_record() -> None:
    moved = sample_result([replace(f, row=(f.row or 0) + 5) for f in sample_findings()])
    before = [r["partialFingerprints"] for r in sarif_log()["runs"][0]["results"]]
    after = [r["partialFingerprints"] for r in sarif_log(moved)["runs"][0]["results"]]
    assert before == after
    assert len({json.dumps(p) for p in before}) == len(before)


def test_inputs_are_listed_as_artifacts_with_their_digest() -> None:
    artifacts = sarif_log()["runs"][0]["artifacts"]
    assert artifacts[0] == {
        "location": {"uri": "webpt_payers.xlsx"},
        "hashes": {"sha-256": "a1" * 32},
        "roles": ["analysisTarget"],
    }


def test_the_real_catalogue_describes_its_rules() -> None:
    catalogue = load_rules()
    if catalogue is None:
        pytest.skip("the rule catalogue is not available")
    log = json.loads(render(sample_result(), "sarif"))
    for descriptor in log["runs"][0]["tool"]["driver"]["rules"]:
        rule = catalogue.get(descriptor["id"])
        if rule is not None:
            assert rule.why in descriptor["help"]["text"]
            assert descriptor["name"] == rule.name
