"""Which rules run and at what severity: --select / --ignore, and per-code severity overrides.

A selector is a code (``PAY101``), a prefix (``PAY``, ``REF1``) or a rule name
(``payer-name-mismatch``), as in ruff. An unknown selector or code is a config error that names
the closest known one, so that a typo never silently disables nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from syncguard.checks.catalogue import Catalogue
from syncguard.errors import ConfigError
from syncguard.findings import Severity


def split_selectors(values: Iterable[str]) -> list[str]:
    """``["PAY,REF101", " FAC "]`` -> ``["PAY", "REF101", "FAC"]``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def resolve_selector(selector: str, rules: Catalogue) -> set[str]:
    """The codes a selector names; a ConfigError when it names none."""
    rule = rules.get(selector)
    if rule is not None:
        return {rule.code}
    prefix = selector.strip().upper()
    codes = {r.code for r in rules if r.code.startswith(prefix)}
    if prefix and codes:
        return codes
    known = [r.code for r in rules] + [r.name for r in rules]
    close = difflib.get_close_matches(selector.strip(), known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "see `syncguard rules`"
    raise ConfigError(f"'{selector}' names no rule", hint=hint)


class RuleSelection:
    """The enabled codes and the effective severity of each."""

    def __init__(
        self,
        rules: Catalogue,
        *,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        severity: Mapping[str, str] | None = None,
    ) -> None:
        selected = split_selectors(select)
        enabled = {r.code for r in rules}
        if selected:
            enabled = set().union(*(resolve_selector(s, rules) for s in selected))
        for selector in split_selectors(ignore):
            enabled -= resolve_selector(selector, rules)
        self.enabled = frozenset(enabled)
        self.severities = {r.code: r.severity for r in rules}
        for code, name in (severity or {}).items():
            if code.upper() not in self.severities:
                resolve_selector(code, rules)  # raises with the closest known code
                raise ConfigError(f"check.severity: '{code}' is not a rule code")
            try:
                self.severities[code.upper()] = Severity.parse(name)
            except ValueError as error:
                raise ConfigError(f"check.severity.{code}: {error}") from None

    def __contains__(self, code: object) -> bool:
        return code in self.enabled
