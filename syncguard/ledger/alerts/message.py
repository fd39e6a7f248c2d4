"""What an alert says: what changed in a few lines, the worst items with their fix, and where
the full report is. Every channel renders this one message its own way."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from syncguard.findings import Finding


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """The content of one alert to one channel."""

    practice: str
    command: str
    items: list[Finding]  # new, worsened or due for a reminder, worst first
    resolved: list[Finding] = field(default_factory=list)
    max_items: int = 5
    run_id: int | None = None
    report: str | None = None
    test: bool = False

    @property
    def title(self) -> str:
        if self.test:
            return f"syncguard: test alert for practice {self.practice}"
        parts = []
        new = sum(1 for f in self.items if f.drift == "new")
        worse = sum(1 for f in self.items if f.worsened and f.drift != "new")
        other = len(self.items) - new - worse
        for count, label in ((new, "new"), (worse, "worse"), (other, "still open")):
            if count:
                parts.append(f"{count} {label}")
        if self.resolved:
            parts.append(f"{len(self.resolved)} resolved")
        return f"syncguard {self.command}, practice {self.practice}: {', '.join(parts)}"

    def severity_counts(self) -> dict[str, int]:
        counts = Counter(f.severity.label for f in self.items)
        return {label: counts[label] for label in ("error", "warning", "info") if counts[label]}

    def shown(self) -> list[Finding]:
        return self.items[: self.max_items]

    def hidden(self) -> int:
        return max(0, len(self.items) - self.max_items)

    def lines(self) -> list[str]:
        """The message as plain text lines (email body, and the fallback text of chat cards)."""
        if self.test:
            return ["This is a test message from `syncguard alert test`. Delivery works."]
        lines = [item_line(f) for f in self.shown()]
        if self.hidden():
            lines.append(f"... and {self.hidden()} more")
        lines += [f"Resolved: {f.code} {describe(f)}" for f in self.resolved[: self.max_items]]
        if len(self.resolved) > self.max_items:
            lines.append(f"... and {len(self.resolved) - self.max_items} more resolved")
        where = self.report or (f"syncguard runs show {self.run_id}" if self.run_id else None)
        if where:
            lines.append(f"Full report: {where}")
        return lines


def describe(finding: Finding) -> str:
    """The record a finding is about, as briefly as it can be named."""
    who = finding.record or finding.key
    return f"{finding.entity} '{who}'" if who else finding.entity


def item_line(finding: Finding) -> str:
    drift = "NEW" if finding.drift == "new" else "WORSE" if finding.worsened else "OPEN"
    return (
        f"[{drift} {finding.severity.label}] {finding.code} {describe(finding)}: "
        f"{finding.message} Fix: {finding.fix}"
    )
