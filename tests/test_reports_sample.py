"""One hand-built check result, shared by the report tests, with hostile and non-ASCII values.

Its timestamps and version are fixed so that every format renders it byte for byte the same.
"""

from __future__ import annotations

from datetime import UTC, datetime

from syncguard.checks.catalogue import Catalogue, Rule
from syncguard.findings import CheckResult, Finding, InputSummary, Severity

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
FORMULA = "=cmd|' /C calc'!A0"
PIPE_NEWLINE_NAME = "Smith | Jane\nMD"
CLINIC = "Zürich Straße Physio \u2013 Süd"  # an en dash, as names pasted from Word have


def sample_findings() -> list[Finding]:
    return [
        Finding(
            "PAY101", "payer-alternate-id-unknown", Severity.ERROR, "payer",
            "No CMD payer has sequence number 10023345.",
            "In WebPT > Payers > 'Aetna PPO', set Alternate ID to 10023344 (CMD 'AETNA PPO').",
            record="Aetna PPO", key="10023345", file="webpt_payers.xlsx", row=4,
            value="10023345", expected="the sequence number of an active CMD payer",
            suggestion="CMD payer 'AETNA PPO' (10023344)", score=93.33, drift="new",
        ),
        Finding(
            "PAY201", "payer-name-mismatch", Severity.WARNING, "payer",
            "The WebPT name does not resemble the CMD payer's name.",
            "Check that Alternate ID 10020001 is the right CMD payer for this WebPT payer.",
            record=HOSTILE_NAME, key="10020001", file="webpt_payers.xlsx", row=9,
            value=HOSTILE_NAME, expected="UNITED HEALTHCARE", score=12.5,
        ),
        Finding(
            "PAY301", "payer-missing-in-webpt", Severity.INFO, "payer",
            "The active CMD payer 'MEDICARE PART B' has no WebPT payer pointing at it.",
            "If WebPT bills this payer, set its Alternate ID to 10029999.",
            record="MEDICARE PART B", key="10029999", drift="resolved",
        ),
        Finding(
            "EXP101", "damaged-value", Severity.ERROR, "facility",
            "The Alternate ID cell holds a formula, not a sequence number.",
            "In WebPT > Facilities > 'Northside Clinic', retype the Alternate ID as text.",
            record="Northside Clinic", key="Northside Clinic", file="webpt_facilities.csv",
            row=7, value=FORMULA, expected="8 digits",
        ),
        Finding(
            "FAC401", "facility-npi-mismatch", Severity.ERROR, "facility",
            "WebPT and CMD have different NPIs for this facility.",
            f"In WebPT > Facilities > '{CLINIC}', set NPI to 1245319599.",
            record=CLINIC, key="10030002", file="webpt_facilities.csv",
            row=3, value="1234567893", expected="1245319599",
        ),
        Finding(
            "REN402", "provider-npi-missing", Severity.ERROR, "provider",
            "The WebPT provider has no NPI.",
            "In WebPT > Providers > 'O'Brien, Siobhán DPT', enter NPI 1538164770.",
            record="O'Brien, Siobhán DPT", key="10040003", file="webpt_providers.csv", row=2,
            value="", expected="1538164770",
        ),
        Finding(
            "REN102", "provider-inactive-in-cmd", Severity.WARNING, "provider",
            "The Alternate ID points at a CMD provider marked inactive.",
            "Point 'Lee, Dana PT' at the active CMD provider, or reactivate 10040007 in CMD.",
            record="Lee, Dana PT", key="10040007", file="webpt_providers.csv", row=5,
            value="10040007", expected="an active CMD provider", drift="changed", waived=True,
            first_seen=datetime(2024, 10, 1, 8, 0, tzinfo=UTC),
            previous_severity=Severity.INFO, previous_value="10040006",
        ),
        Finding(
            "REF201", "referring-name-mismatch", Severity.WARNING, "referring",
            "Same NPI, but the names differ.",
            "In WebPT > Referring Providers, correct the name to 'SMITH, JOHN' or the NPI.",
            record=PIPE_NEWLINE_NAME, key="1234567893", file="WebPT Referring.csv", row=12,
            value=PIPE_NEWLINE_NAME, expected="SMITH, JOHN `MD`", score=61.0, drift="open",
            first_seen=datetime(2024, 10, 29, 8, 0, tzinfo=UTC),
        ),
        Finding(
            "REF301", "referring-missing-in-webpt", Severity.INFO, "referring",
            "The active CMD referring provider 'NGUYEN, LINH' is absent from WebPT.",
            "Add 'Nguyen, Linh' to WebPT > Referring Providers with NPI 1245319599.",
            record="NGUYEN, LINH", key="1245319599", drift="new",
        ),
    ]  # fmt: skip


def sample_result(findings: list[Finding] | None = None) -> CheckResult:
    return CheckResult(
        findings=sample_findings() if findings is None else findings,
        inputs=[
            InputSummary("payers", "webpt_payers.xlsx", "a1" * 32, 42),
            InputSummary("facilities", "webpt_facilities.csv", "b2" * 32, 7),
            InputSummary("providers", "webpt_providers.csv", "c3" * 32, 18),
            InputSummary("referring", "WebPT Referring.csv", "d4" * 32, 311),
        ],
        practice="northside",
        version="0.1.0",
        started_at=datetime(2024, 11, 5, 14, 30, 0, tzinfo=UTC),
        finished_at=datetime(2024, 11, 5, 14, 30, 2, 250000, tzinfo=UTC),
        fail_on=Severity.ERROR,
    )


def sample_catalogue() -> Catalogue:
    """A few rules, so that report formats are tested apart from the real catalogue's wording.

    EXP101, PAY301, REN102, REN402 and REF301 are left out on purpose: a report must cope with
    codes the catalogue does not know.
    """
    catalogue = Catalogue()
    for code, name, severity, entity in [
        ("PAY101", "payer-alternate-id-unknown", Severity.ERROR, "payer"),
        ("PAY201", "payer-name-mismatch", Severity.WARNING, "payer"),
        ("FAC401", "facility-npi-mismatch", Severity.ERROR, "facility"),
        ("REF201", "referring-name-mismatch", Severity.WARNING, "referring"),
    ]:
        catalogue.register(
            Rule(
                code, name, severity, entity,
                summary=f"{name.replace('-', ' ').capitalize()}.",
                why="The interface finds CMD records by number; a wrong one misroutes charges.",
                example="Alternate ID 10023345 where CMD has 10023344.",
                fix="Copy the CMD sequence number into the WebPT record.",
            )
        )  # fmt: skip
    return catalogue


def test_sample_covers_every_kind_severity_and_state() -> None:
    result = sample_result()
    assert {f.entity for f in result.findings} == {"payer", "facility", "provider", "referring"}
    assert {f.severity for f in result.findings} == set(Severity)
    assert {f.drift for f in result.findings} >= {"new", "open", "changed", "resolved", None}
    assert any(f.waived for f in result.findings)
    assert any(f.file is None for f in result.findings)
