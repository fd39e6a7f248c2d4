"""The neutral finding model that every check produces and every report format renders."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum


class Severity(IntEnum):
    """Ordered so that ``severity >= fail_on`` reads naturally."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        # A dict look-up: Enum.name is a descriptor call, and reports ask once per finding.
        return _LABELS[self]

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity '{name}' (use info, warning or error)") from None


_LABELS = {severity: severity.name.lower() for severity in Severity}


@dataclass(slots=True)
class Finding:
    """One problem with one record, with the concrete action that fixes it.

    Treated as a value: code changes a finding with ``dataclasses.replace``, never in place.
    (Not ``frozen``: a frozen dataclass sets each of its fields through ``object.__setattr__``,
    which tripled the cost of the hundred thousand findings of a large check.)

    ``row`` is numbered as a spreadsheet numbers it (the header is row 1); coverage findings
    (x301) have no file or row and carry the CMD key in ``key`` instead. ``key`` is the record's
    stable identity (CMD sequence number, NPI, or the WebPT name when it has neither), used to
    recognise the same finding across runs whatever the row order.
    """

    code: str
    name: str
    severity: Severity
    entity: str
    message: str
    fix: str
    record: str = ""
    key: str = ""
    file: str | None = None
    row: int | None = None
    value: str | None = None
    expected: str | None = None
    suggestion: str | None = None
    score: float | None = None
    drift: str | None = None  # new | open | changed | resolved, once run history exists
    waived: bool = False
    first_seen: datetime | None = None  # when the ledger first saw it (drift open / changed)
    previous_severity: Severity | None = None  # drift changed: the severity it had before
    previous_value: str | None = None  # drift changed: the value it had before

    @property
    def worsened(self) -> bool:
        """New, or changed to a higher severity: the drift that alerts and ``--fail-on-new``."""
        if self.drift == "new":
            return True
        return (
            self.drift == "changed"
            and self.previous_severity is not None
            and self.severity > self.previous_severity
        )

    @property
    def location(self) -> str:
        if self.file is None:
            return "registry"
        return f"{self.file}:{self.row}" if self.row is not None else self.file


@dataclass(frozen=True, slots=True)
class InputSummary:
    """An input file as the report names it: its kind, name, digest and data-row count."""

    kind: str
    path: str
    sha256: str
    rows: int


@dataclass(slots=True)
class CheckResult:
    """The outcome of one check: its findings plus what was checked, against which registry."""

    findings: list[Finding]
    inputs: list[InputSummary]
    practice: str
    version: str
    command: str = "check"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    fail_on: Severity = Severity.ERROR
    extra: dict[str, object] = field(default_factory=dict)
    fail_on_new: bool = False  # like a baseline: fail only on new or worsened findings

    def counts_by_severity(self) -> dict[str, int]:
        counts = Counter(f.severity.label for f in self.findings if not f.waived)
        return {severity.label: counts.get(severity.label, 0) for severity in reversed(Severity)}

    def counts_by_entity(self) -> dict[str, int]:
        return dict(sorted(Counter(f.entity for f in self.findings).items()))

    def failing(self) -> list[Finding]:
        return [
            f
            for f in self.findings
            if f.severity >= self.fail_on and not f.waived and (f.worsened or not self.fail_on_new)
        ]

    @property
    def exit_code(self) -> int:
        return 1 if self.failing() else 0

    def sorted_findings(self) -> list[Finding]:
        """Worst first, then by entity, file and row: the order every report uses."""
        return sorted(
            self.findings,
            key=lambda f: (-f.severity, f.entity, f.file or "~", f.row or 0, f.code, f.key),
        )

    def summary_line(self) -> str:
        counts = self.counts_by_severity()
        parts = ", ".join(
            f"{n} {label}{'s' if n != 1 and label != 'info' else ''}" for label, n in counts.items()
        )
        verdict = "FAIL" if self.exit_code else "OK"
        return f"syncguard {self.command}: {verdict}: {parts} (practice {self.practice})"
