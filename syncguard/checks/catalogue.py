"""The rule catalogue's data model: every rule is data (code, name, severity, docs).

Codes are an area plus three digits (0xx presence and format, 1xx lookup in the registry,
2xx consistency, 3xx coverage, 4xx NPI agreement) and are never reused. ``docs/rules.md`` is
generated from this catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from syncguard.findings import Severity

CODE_PATTERN = re.compile(r"[A-Z]{3}\d{3}")
NAME_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: what it checks, why it matters, an example, and how to fix what it finds."""

    code: str
    name: str
    severity: Severity
    entity: str
    summary: str
    why: str
    example: str
    fix: str

    @property
    def area(self) -> str:
        return self.code[:3]


class Catalogue:
    """Rules by code; registration rejects malformed or duplicate codes and names."""

    def __init__(self) -> None:
        self._by_code: dict[str, Rule] = {}
        self._by_name: dict[str, Rule] = {}

    def register(self, rule: Rule) -> Rule:
        if not CODE_PATTERN.fullmatch(rule.code):
            raise ValueError(f"rule code {rule.code!r} is not an area plus three digits")
        if not NAME_PATTERN.fullmatch(rule.name):
            raise ValueError(f"rule name {rule.name!r} is not kebab-case")
        if rule.code in self._by_code or rule.name in self._by_name:
            raise ValueError(f"rule {rule.code} / {rule.name} is registered twice")
        self._by_code[rule.code] = rule
        self._by_name[rule.name] = rule
        return rule

    def __getitem__(self, code: str) -> Rule:
        return self._by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._by_code.values(), key=lambda rule: rule.code))

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code_or_name: str) -> Rule | None:
        key = code_or_name.strip()
        return self._by_code.get(key.upper()) or self._by_name.get(key.lower())
