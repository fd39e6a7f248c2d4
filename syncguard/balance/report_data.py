"""What the balance reports show, read back from ``CheckResult.extra["balance"]``.

The text and HTML reports render the same plain data that the JSON document carries, so all
three always agree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from syncguard.findings import CheckResult

READINESS = (
    ("VIS001", "notes not finalized (Missed Notes Report)"),
    ("VIS002", "financial transmissions failed or pending (Claims Feed Report)"),
    ("VIS003", "rejections unresolved (Integration Rejection Summary)"),
)
# (field, label, short label for terminals)
COLUMNS = (
    ("emr_visits", "EMR visits", "EMR"),
    ("no_charge", "No-charge", "No-charge"),
    ("billable", "Billable", "Billable"),
    ("billing_visits", "Billing visits", "Billing"),
    ("difference", "Difference", "Diff"),
    ("explained", "Explained", "Explained"),
    ("unexplained", "Unexplained", "Unexplained"),
    ("emr_units", "EMR units", "EMR units"),
    ("billing_units", "Billing units", "Bill units"),
)
SIGNED = frozenset({"difference", "explained", "unexplained"})
_SUMMED = (
    "emr_visits",
    "no_charge",
    "billable",
    "billing_visits",
    "difference",
    "explained",
    "unexplained",
    "emr_units",
    "billing_units",
)


def balance_of(result: CheckResult) -> dict[str, Any]:
    data = result.extra.get("balance")
    if not isinstance(data, dict):
        raise ValueError("not a balance result: extra['balance'] is missing")
    return data


def heading(data: dict[str, Any]) -> str:
    by = "week (weeks start on " + data["week_start"].capitalize() + ")"
    period = "day" if data["by"] == "day" else by
    how = (
        "visits matched one by one"
        if data["mode"] == "visits"
        else "totals from POS Summary Charge Stats"
    )
    return f"Balance {data['from']} to {data['to']} by {period}; {how}"


def readiness_counts(result: CheckResult) -> list[tuple[str, str, int]]:
    """(code, what, count) for each readiness rule: reported before the balance."""
    return [
        (code, what, sum(1 for f in result.findings if f.code == code)) for code, what in READINESS
    ]


def period_label(row: dict[str, Any], by: str) -> str:
    start, end = date.fromisoformat(row["start"]), date.fromisoformat(row["end"])
    if by == "day":
        return f"{start.isoformat()} {start.strftime('%a')}"
    return f"{start.isoformat()} to {end.strftime('%m-%d')}"


def total_row(place: dict[str, Any]) -> dict[str, Any]:
    return {name: sum(row[name] for row in place["periods"]) for name in _SUMMED}


def cell(name: str, value: float) -> str:
    if name in SIGNED and value:
        return f"{value:+g}"
    return f"{value:g}"


def locations_line(data: dict[str, Any]) -> str:
    pairs = sorted(data["locations"].items())
    shown = ", ".join(f"{name} = {place}" for name, place in pairs if name != place)
    return f"WebPT locations: {shown}" if shown else ""
