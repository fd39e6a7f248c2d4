"""docs/rules.md is generated from the catalogue, and every rule documents itself fully."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncguard.checks.catalogue import Catalogue, Rule
from syncguard.checks.docs import REGENERATE, render_rule_markdown, render_rules_markdown
from syncguard.checks.rules import ANY_ENTITY, RULES, all_rules, check_rules
from syncguard.findings import Severity

ROOT = Path(__file__).resolve().parent.parent
RULES_MD = ROOT / "docs" / "rules.md"
ENTITIES = {"payer", "facility", "provider", "referring", "visit", ANY_ENTITY}

# The contract of issue 3: these codes, names and default severities.
CONTRACT = {
    "EXP101": ("damaged-value", "error"),
    "EXP102": ("repaired-value", "warning"),
    "EXP201": ("duplicate-row", "warning"),
    "PAY001": ("payer-alternate-id-missing", "error"),
    "PAY002": ("payer-alternate-id-malformed", "error"),
    "PAY101": ("payer-alternate-id-unknown", "error"),
    "PAY102": ("payer-inactive-in-cmd", "warning"),
    "PAY201": ("payer-name-mismatch", "warning"),
    "PAY202": ("payer-alternate-id-shared", "info"),
    "PAY301": ("payer-missing-in-webpt", "info"),
    "FAC401": ("facility-npi-mismatch", "error"),
    "REN202": ("provider-alternate-id-shared", "warning"),
    "REN401": ("provider-npi-mismatch", "error"),
    "REN402": ("provider-npi-missing", "error"),
    "REF001": ("referring-npi-missing", "error"),
    "REF101": ("referring-npi-not-in-cmd", "error"),
    "REF102": ("referring-inactive-in-cmd", "warning"),
    "REF201": ("referring-name-mismatch", "warning"),
    "REF202": ("referring-npi-shared", "warning"),
    "REF301": ("referring-missing-in-webpt", "info"),
    "NPI001": ("npi-malformed", "error"),
    "NPI002": ("npi-check-digit", "error"),
}
AS_PAY = ("001", "002", "101", "102", "201", "202", "301")


def test_docs_rules_md_is_up_to_date() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == render_rules_markdown(), (
        f"docs/rules.md is stale: regenerate it with `{REGENERATE}`"
    )


def test_the_catalogue_holds_the_contract() -> None:
    for code, (name, severity) in CONTRACT.items():
        assert (RULES[code].name, RULES[code].severity.label) == (name, severity), code
    for area, word in (("FAC", "facility"), ("REN", "provider")):
        for number in AS_PAY:
            pay = RULES[f"PAY{number}"]
            rule = RULES[f"{area}{number}"]
            assert rule.name == pay.name.replace("payer", word)
            if (area, number) != ("REN", "202"):
                assert rule.severity == pay.severity
    family = {f"{area}{number}" for area in ("FAC", "REN") for number in AS_PAY}
    assert {rule.code for rule in check_rules()} == set(CONTRACT) | family


@pytest.mark.parametrize("rule", list(all_rules()), ids=lambda rule: rule.code)
def test_every_rule_documents_what_why_example_and_fix(rule: Rule) -> None:
    assert rule.entity in ENTITIES
    for part in (rule.summary, rule.why, rule.example, rule.fix):
        assert len(part) >= 30 and part.rstrip().endswith((".", ")")), (rule.code, part)
    if rule.area != "VIS":
        assert "WebPT" in rule.fix or "CMD" in rule.fix or "NPPES" in rule.fix
    text = render_rule_markdown(rule)
    for heading in ("What it checks", "Why it matters", "Example", "How to fix"):
        assert heading in text


def test_registration_rejects_duplicates_and_malformed_codes() -> None:
    catalogue = Catalogue()
    rule = Rule("ABC001", "a-rule", Severity.INFO, "payer", "s", "w", "e", "f")
    catalogue.register(rule)
    with pytest.raises(ValueError, match="twice"):
        catalogue.register(rule)
    with pytest.raises(ValueError, match="three digits"):
        catalogue.register(Rule("AB1", "b-rule", Severity.INFO, "payer", "s", "w", "e", "f"))
    with pytest.raises(ValueError, match="kebab"):
        catalogue.register(Rule("ABC002", "B_rule", Severity.INFO, "payer", "s", "w", "e", "f"))
