"""The rules of ``syncguard balance`` (VIS codes), registered into the shared catalogue on import.

0xx readiness (the numbers are not final yet), 1xx visits, 2xx units, 3xx new patients, 4xx
no-charge visits. Importing this module twice, or after the catalogue already holds the codes,
registers nothing again.
"""

from __future__ import annotations

from syncguard.checks.catalogue import Rule
from syncguard.checks.rules import RULES
from syncguard.findings import Severity

ENTITY = "visit"
_BALANCE_RULES = (
    Rule(
        "VIS001",
        "notes-not-finalized",
        Severity.WARNING,
        ENTITY,
        summary="The Missed Notes Report lists notes in the period that are not finalized.",
        why="A visit reaches the Billing Report (and billing) only when its note is finalized. "
        "While notes are open, the EMR count is short and the balance is not final.",
        example="The Missed Notes Report lists a daily note of 11/04/2026 at Downtown.",
        fix="Have the therapist finalize the note in WebPT, then balance again.",
    ),
    Rule(
        "VIS002",
        "transmissions-not-successful",
        Severity.ERROR,
        ENTITY,
        summary="The Claims Feed Report shows financial transmissions in the period that "
        "failed or are still pending.",
        why="A charge whose financial transmission failed or is pending never arrives in "
        "billing: the visit is finalized in WebPT but missing from the Charge Audit Summary.",
        example="Claims Feed Report: account 10442, 11/04/2026, status Transmission Failed.",
        fix="Open the Claims Feed Report in WebPT, correct what the failure names and "
        "re-send the transmission; pending ones usually clear within the day.",
    ),
    Rule(
        "VIS003",
        "rejections-unresolved",
        Severity.WARNING,
        ENTITY,
        summary="The Integration Rejection Summary (Billing Exceptions) still holds charges "
        "in the period.",
        why="A held charge gets its Created Date only when the rejection is fixed, so the "
        "billing count is short by these visits until then (the balance explains them).",
        example="A Case rejection for account 10442, date of service 11/04/2026.",
        fix="Resolve the rejection (patient, case, charge or payment data) so that the "
        "charge is created in billing.",
    ),
    Rule(
        "VIS004",
        "range-over-export-limit",
        Severity.WARNING,
        ENTITY,
        summary="The balanced range is longer than a Charge Audit Summary can be run for "
        "(31 days by default).",
        why="RevFlow's Charge Audit Summary accepts at most 31 days per run; an export for a "
        "longer range may be cut, and the missing days would look like missing charges.",
        example="--from 2026-10-01 --to 2026-11-15 (46 days).",
        fix="Balance at most 31 days at a time, or use the standard charge extract, which "
        "has no such limit (then set [balance] max_range_days).",
    ),
    Rule(
        "VIS101",
        "visits-unbalanced",
        Severity.ERROR,
        ENTITY,
        summary="EMR billable visits and billing visits differ, and the difference is not "
        "explained by no-charge, held or shifted visits.",
        why="Every finalized, billable visit should become a charge. An unexplained "
        "difference is a visit that was never billed (lost revenue) or a charge without a "
        "documented visit (a compliance risk).",
        example="POS 11, week of 11/02/2026: 120 EMR visits (3 no-charge), 115 billing "
        "visits; 3 explained, 2 unexplained.",
        fix="Work through the visits listed as VIS103 / VIS104 for that place and period; "
        "without charge lines, compare the Billing Report with the Charge Audit Summary "
        "patient by patient.",
    ),
    Rule(
        "VIS102",
        "visits-shifted",
        Severity.INFO,
        ENTITY,
        summary="A difference fully explained by charges held or created on another day.",
        why="A charge held on the rejection summary is created the day it is fixed: "
        "finalized 11/4, created 11/5. Daily totals shift; the week balances. Nothing is "
        "lost, so this is information only.",
        example="POS 11 on 11/04/2026: 1 visit finalized that day is created on 11/05/2026.",
        fix="Nothing to do; resolve held charges (VIS003) so that they are created.",
    ),
    Rule(
        "VIS103",
        "visit-missing-in-billing",
        Severity.ERROR,
        ENTITY,
        summary="A billable EMR visit finalized in the period has no billing visit and is "
        "not held on the rejection summary.",
        why="The visit was documented and finalized but no charge exists: revenue that "
        "will never be claimed unless someone chases it.",
        example="Account 10442, date of service 11/04/2026, POS 11: 97161-GP, 97110 x2.",
        fix="Check the Claims Feed Report for the visit's transmission and the rejection "
        "summary for the patient; re-send the charge from WebPT or enter it in billing.",
    ),
    Rule(
        "VIS104",
        "visit-missing-in-emr",
        Severity.WARNING,
        ENTITY,
        summary="A billing visit created in the period has no finalized EMR visit (or the "
        "EMR marks that visit as no-charge).",
        why="A charge without a finalized note is billed without documentation, or was "
        "entered twice by hand; a charge for a NORCM / NC001 visit should not exist.",
        example="Account 10442, date of service 11/05/2026, POS 11: 97110 x2, created 11/05/2026.",
        fix="Find the note in WebPT (finalize it, or correct its date or location); if "
        "there is none, void the charge in billing.",
    ),
    Rule(
        "VIS201",
        "units-differ",
        Severity.INFO,
        ENTITY,
        summary="Units on the EMR side and the billing side differ.",
        why="Payer scrubbing rules drop units (billed 3, allowed 2) and no report shows what "
        "was scrubbed, so a units difference is expected and never fails a balance unless "
        "[balance] fail_on_units is set.",
        example="POS 11, week of 11/02/2026: 412 EMR units, 405 billing units.",
        fix="Nothing to do unless the difference is large; then compare the units of the "
        "visits with the most lines.",
    ),
    Rule(
        "VIS301",
        "new-patients-unbalanced",
        Severity.ERROR,
        ENTITY,
        summary="Units of 97161 / 97162 / 97163 (with modifier lines) differ from the "
        '"New" visits in billing.',
        why="Initial evaluations are the new patients; a mismatch means an evaluation was "
        "not billed, billed with the wrong code, or billed twice.",
        example="POS 11, week of 11/02/2026: 6 evaluation units in the EMR, 5 New visits.",
        fix="Compare the evaluations on the Billing Report with the New visits on POS "
        "Summary Charge Stats and correct the charge's code.",
    ),
    Rule(
        "VIS401",
        "no-charge-visits",
        Severity.INFO,
        ENTITY,
        summary="Visits documented with NORCM or No Charges This Visit (NC001), excluded "
        "from the billable count.",
        why="These visits never flow into billing, so the EMR count is higher by exactly "
        "them; they explain that part of the difference.",
        example="POS 11, week of 11/02/2026: 3 no-charge visits.",
        fix="Nothing to do; check that each one really was a no-charge visit.",
    ),
)


BALANCE_RULES: dict[str, Rule] = {rule.code: rule for rule in _BALANCE_RULES}


def register_balance_rules() -> None:
    """Add the VIS rules to ``RULES`` unless they are there already."""
    for rule in _BALANCE_RULES:
        if rule.code not in RULES:
            RULES.register(rule)


register_balance_rules()
