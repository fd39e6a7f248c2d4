"""What a kind's check writes findings through: the export's kind and file, the rules in force.

``add`` fills in what every finding of one export shares (entity, file, rule name, effective
severity) and drops codes that --select / --ignore turned off, so the checks never test that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from syncguard.checks.rules import RULES
from syncguard.checks.selection import RuleSelection
from syncguard.config import CheckSettings
from syncguard.findings import Finding, Severity
from syncguard.inputs.kinds import WEBPT_KINDS
from syncguard.normalize import IdRules

ENTITIES = {
    "payers": "payer",
    "facilities": "facility",
    "providers": "provider",
    "referring": "referring",
}
MENUS = {
    "payers": "Payers",
    "facilities": "Facilities",
    "providers": "Providers",
    "referring": "Referring Providers",
}
assert set(MENUS) == set(WEBPT_KINDS) == set(ENTITIES)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A CMD record proposed as the fix: the value to type, its match score, and a phrase such
    as "10023344 if it is CMD payer 'AETNA PPO'" for the fix text."""

    value: str
    score: float
    phrase: str


@dataclass(slots=True)
class ExportContext:
    """One export being checked; ``findings`` collects what it finds."""

    kind: str  # "payers", as on the command line
    file: str  # the file's name, as reports show it
    selection: RuleSelection
    check: CheckSettings
    ids: IdRules
    findings: list[Finding] = field(default_factory=list)
    # code -> (rule name, effective severity) of each enabled rule: ``add`` runs once per
    # finding, a hundred thousand times on a large list.
    _enabled: dict[str, tuple[str, Severity]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        severities = self.selection.severities
        self._enabled = {
            code: (RULES[code].name, severities[code]) for code in self.selection.enabled
        }

    @property
    def entity(self) -> str:
        return ENTITIES[self.kind]

    @property
    def noun(self) -> str:
        """The entity as a sentence names it: "referring provider" rather than "referring"."""
        return "referring provider" if self.kind == "referring" else self.entity

    @property
    def menu(self) -> str:
        return MENUS[self.kind]

    def where(self, record: str) -> str:
        """The WebPT navigation to a record: ``In WebPT > Payers > 'Aetna PPO'``."""
        return f"In WebPT > {self.menu} > '{record}'" if record else f"In WebPT > {self.menu}"

    def add(
        self,
        code: str,
        *,
        message: str,
        fix: str,
        row: int | None = None,
        record: str = "",
        key: str = "",
        value: str | None = None,
        expected: str | None = None,
        suggestion: str | None = None,
        score: float | None = None,
    ) -> None:
        rule = self._enabled.get(code)
        if rule is None:
            return
        name, severity = rule
        self.findings.append(
            Finding(
                code=code,
                name=name,
                severity=severity,
                entity=ENTITIES[self.kind],
                message=message,
                fix=fix,
                record=record,
                key=key or record,
                file=self.file if row is not None else None,
                row=row,
                value=value,
                expected=expected,
                suggestion=suggestion,
                score=None if score is None else round(score, 1),
            )
        )
