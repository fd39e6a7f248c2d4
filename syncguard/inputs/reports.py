"""The reports ``balance`` reads, their fields, and the header names each field is known by.

Headers match as in ``syncguard.inputs.columns`` (case, spaces and punctuation ignored). A
``[columns.<source>.<report>]`` table in the config names a header for a field, e.g.
``[columns.webpt.billing_report] finalized_date = "Date Signed"``.
"""

from __future__ import annotations

from dataclasses import dataclass

_MODIFIERS = (
    "Modifier",
    "Modifiers",
    "Modifier 1",
    "Modifier 2",
    "Modifier 3",
    "Modifier 4",
    "Mod 1",
    "Mod 2",
    "Mod 3",
    "Mod 4",
    "mod1",
    "mod2",
    "mod3",
    "mod4",
)
_PATIENT = (
    "patient_account_number",
    "Patient Account Number",
    "Patient Account #",
    "Patient Account",
    "Account Number",
    "Account #",
    "Acct #",
    "Patient ID",
    "Patient Number",
    "Chart Number",
    "MRN",
)
_DOS = ("date_of_service", "Date of Service", "DOS", "Service Date", "Visit Date", "From DOS")
_CPT = ("cpt_code", "CPT Code", "CPT", "CPT/HCPCS", "HCPCS", "Procedure Code", "Billing Code")
_UNITS = ("units", "Units", "Unit", "Units Billed", "Qty", "Quantity")
_POS = (
    "place_of_service_id",
    "Place of Service ID",
    "Place of Service",
    "POS ID",
    "POS",
    "place_of_service",
)
_LOCATION = ("Location", "Location Name", "Clinic", "Clinic Name")


@dataclass(frozen=True, slots=True)
class ReportField:
    """One field of a report; ``multi`` fields take every matching column (modifiers)."""

    name: str
    label: str
    aliases: tuple[str, ...]
    required: bool = True
    multi: bool = False


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """A report: its config address (source, report), its title, and its fields."""

    source: str
    report: str
    title: str
    fields: tuple[ReportField, ...]

    @property
    def config_table(self) -> str:
        return f"[columns.{self.source}.{self.report}]"


def _f(name: str, label: str, *aliases: str, required: bool = True) -> ReportField:
    return ReportField(name, label, aliases, required)


_MODIFIER_FIELD = ReportField("modifier", "Modifier", _MODIFIERS, required=False, multi=True)

EMR = ReportSpec(
    "webpt",
    "billing_report",
    "WebPT Billing Report",
    (
        _f("patient", "Patient Account Number", *_PATIENT),
        _f("date_of_service", "Date of Service", *_DOS),
        _f("finalized_date", "Finalized Date", "Finalized Date", "Date Finalized", "Finalized"),
        _f("location", "Location", *_LOCATION, "Facility"),
        _f("cpt_code", "CPT Code", *_CPT, "Code"),
        _MODIFIER_FIELD,
        _f("units", "Units", *_UNITS),
        _f(
            "no_charge",
            "No Charges This Visit",
            "No Charges This Visit",
            "No Charge",
            "No Charges",
            "NC001",
            required=False,
        ),
    ),
)
BILLING = ReportSpec(
    "revflow",
    "charges",
    "RevFlow / WebPT Billing charges",
    (
        _f("patient", "patient_account_number", *_PATIENT),
        _f("date_of_service", "date_of_service", *_DOS),
        _f(
            "created_date",
            "charge_date (created date)",
            "charge_date",
            "Created Date",
            "Date Created",
            "Create Date",
            "Charge Date",
            "Created",
        ),
        _f("cpt_code", "cpt_code", *_CPT, "Procedure", "Code"),
        _MODIFIER_FIELD,
        _f("units", "units", *_UNITS, "Days/Units"),
        _f("place_of_service", "place_of_service_id", *_POS),
    ),
)
POS_STATS = ReportSpec(
    "revflow",
    "pos_stats",
    "POS Summary Charge Stats",
    (
        _f("place_of_service", "Place of Service", *_POS),
        _f("date", "Date", "Date", "Created Date", "Charge Date", "Day"),
        _f("visits", "Visits", "Visits", "Visit Count", "# Visits", "Total Visits"),
        _f("units", "Units", "Units", "Total Units", required=False),
        _f("new", "New", "New", "New Visits", "New Patients", "New Patient Visits"),
    ),
)
REJECTIONS = ReportSpec(
    "revflow",
    "rejections",
    "Integration Rejection Summary / Billing Exceptions",
    (
        _f("patient", "Patient Account Number", *_PATIENT, required=False),
        _f("date_of_service", "Date of Service", *_DOS, required=False),
        _f(
            "rejection_type",
            "Rejection Type",
            "Rejection Type",
            "Exception Type",
            "Type",
            required=False,
        ),
        _f("status", "Status", "Status", "Resolution Status", "Resolved", required=False),
    ),
)
MISSED_NOTES = ReportSpec(
    "webpt",
    "missed_notes",
    "WebPT Missed Notes Report",
    (
        _f("patient", "Patient Account Number", *_PATIENT, required=False),
        _f("date_of_service", "Date of Service", *_DOS),
        _f("location", "Location", *_LOCATION, required=False),
        _f("note_type", "Note Type", "Note Type", "Document Type", "Type", required=False),
    ),
)
CLAIMS_FEED = ReportSpec(
    "webpt",
    "claims_feed",
    "WebPT Claims Feed Report",
    (
        _f("patient", "Patient Account Number", *_PATIENT, required=False),
        _f("date", "Date of Service", *_DOS, "Transmission Date", "Date Sent", "Date"),
        _f("status", "Status", "Status", "Transmission Status", "Claim Status"),
        _f(
            "transmission_type",
            "Transmission Type",
            "Transmission Type",
            "Feed Type",
            "Type",
            required=False,
        ),
    ),
)

REPORTS: dict[str, ReportSpec] = {
    "emr": EMR,
    "billing": BILLING,
    "pos_stats": POS_STATS,
    "rejections": REJECTIONS,
    "missed_notes": MISSED_NOTES,
    "claims_feed": CLAIMS_FEED,
}


def report_fields() -> dict[str, dict[str, list[str]]]:
    """source -> report -> the field names a ``[columns.<source>.<report>]`` table may map."""
    known: dict[str, dict[str, list[str]]] = {}
    for spec in REPORTS.values():
        known.setdefault(spec.source, {})[spec.report] = [field.name for field in spec.fields]
    return known
