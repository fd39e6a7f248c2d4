"""What every report format shares: grouping, labels, rule lookup, and safe display text."""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from syncguard.checks.catalogue import Rule
from syncguard.findings import CheckResult, Finding, Severity
from syncguard.identity import told_apart

ENTITY_LABELS: dict[str, str] = {
    "payer": "Payers",
    "facility": "Facilities",
    "provider": "Rendering providers",
    "referring": "Referring providers",
}
# Input kinds are named as on the command line ("payers"); findings use the singular.
_KIND_TO_ENTITY: dict[str, str] = {
    "payers": "payer",
    "facilities": "facility",
    "providers": "provider",
    "referring": "referring",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class RuleLookup(Protocol):
    """What a report needs from the rule catalogue (``syncguard.checks.catalogue.Catalogue``)."""

    def get(self, code_or_name: str) -> Rule | None: ...


def load_rules() -> RuleLookup | None:
    """The real catalogue, imported on first use; ``None`` when it cannot be loaded yet."""
    try:
        module = importlib.import_module("syncguard.checks.rules")
    except ImportError:
        return None
    rules: RuleLookup | None = getattr(module, "RULES", None)
    return rules


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity.replace("_", " ").capitalize())


def entity_of_kind(kind: str) -> str:
    return _KIND_TO_ENTITY.get(kind, kind)


def severities() -> list[Severity]:
    """Worst first."""
    return sorted(Severity, reverse=True)


def grouped(result: CheckResult) -> list[tuple[str, list[Finding]]]:
    """Findings by entity kind, worst first; the kind holding the worst finding comes first."""
    groups: dict[str, list[Finding]] = {}
    for finding in result.sorted_findings():
        groups.setdefault(finding.entity, []).append(finding)
    return list(groups.items())


def checked_entities(result: CheckResult) -> list[str]:
    """Every kind the check covered: those with inputs plus those with findings, sorted."""
    entities = {entity_of_kind(source.kind) for source in result.inputs}
    entities.update(finding.entity for finding in result.findings)
    return sorted(entities)


def states(finding: Finding) -> list[str]:
    """The run-history labels of a finding (drift, waived); empty when it has none."""
    labels = [finding.drift] if finding.drift else []
    if finding.waived:
        labels.append("waived")
    return labels


def drift_note(finding: Finding) -> str:
    """What run history knows about a finding: its old severity and value, when first seen."""
    parts = []
    previous = finding.previous_severity
    if previous is not None and previous != finding.severity:
        parts.append(f"was {previous.label}")
    if finding.previous_value is not None and finding.previous_value != finding.value:
        parts.append(f"value was {display_value(finding.previous_value)}")
    if finding.first_seen is not None:
        parts.append(f"first seen {finding.first_seen.date().isoformat()}")
    return "; ".join(parts)


def state_text(finding: Finding) -> str:
    """Drift and waiver for people, e.g. ``changed, waived (was error; value was 1)``; or ""."""
    labels, note = ", ".join(states(finding)), drift_note(finding)
    return f"{labels} ({note})" if labels and note else labels or note


def one_line(value: str) -> str:
    """``value`` with control characters made visible, for reports read line by line.

    A name with a newline or an escape sequence must not break a table or drive a terminal.
    """
    return _CONTROL.sub(_visible, value)


def _visible(match: re.Match[str]) -> str:
    char = match[0]
    return _CONTROL_NAMES.get(
        char, f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


def display_value(value: str | None) -> str:
    """A value for people: an empty cell says so; an absent value shows nothing."""
    if value is None:
        return ""
    return value or "(empty)"


def format_score(score: float | None) -> str:
    return "" if score is None else f"{round(score, 2):g}"


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def fingerprints(practice: str, findings: Sequence[Finding]) -> list[str]:
    """Each finding's identity across runs (practice, rule, kind and record key, never the row),
    in order, no two alike (see ``syncguard.identity``). A report of a hundred thousand findings
    calls this once."""
    sha256 = hashlib.sha256
    plain = [
        sha256(f"{practice}|{f.code}|{f.entity}|{f.key or f.record}".encode()).hexdigest()
        for f in findings
    ]
    return told_apart(plain, findings, lambda text: sha256(text.encode()).hexdigest())


def verdict(result: CheckResult) -> str:
    return "FAIL" if result.exit_code else "OK"
