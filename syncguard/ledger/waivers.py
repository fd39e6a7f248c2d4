"""Waivers: accepted findings that are shown as waived, do not fail a run and do not alert.

A waiver names a rule code and optionally one record key (without a key it covers every finding
of that code), a reason, who made it, and an optional last day. An expired waiver stops
applying, so its finding comes back (as new drift). Waivers live in the registry; ``waivers_file``
exports and imports them as TOML or JSON to keep under version control.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from syncguard.db import read_connection, write_transaction
from syncguard.errors import InputError
from syncguard.findings import CheckResult
from syncguard.ledger.clock import utcnow
from syncguard.ledger.tables import Waiver

WAIVER = Waiver.__table__  # type: ignore[attr-defined]
CODE = re.compile(r"[A-Z]{3}\d{3}")


@dataclass(frozen=True, slots=True)
class WaiverSpec:
    """A waiver as a user states it (and as the export file holds it)."""

    code: str
    reason: str
    by: str
    key: str = ""
    until: date | None = None

    def applies(self, code: str, key: str, today: date) -> bool:
        if self.until is not None and today > self.until:
            return False
        return self.code == code and (not self.key or self.key == key)

    def expired(self, today: date) -> bool:
        return self.until is not None and today > self.until


def rule_code(code_or_name: str, *, where: str = "waiver") -> str:
    """The rule code named by a code (PAY201, any case) or a rule name (payer-name-mismatch)."""
    text = code_or_name.strip()
    if CODE.fullmatch(text.upper()):
        # Any well-formed code, even one this version does not know: a waiver file may come
        # from another syncguard version.
        return text.upper()
    from syncguard.checks.rules import all_rules  # only for a name: keeps the ledger light

    rules = all_rules()
    found = rules.get(text)
    if found is not None:
        return found.code
    known = [rule.code for rule in rules] + [rule.name for rule in rules]
    close = difflib.get_close_matches(text, known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "`syncguard rules` lists them"
    raise InputError(f"{where}: '{code_or_name}' is not a rule code or name", hint=hint)


def validated(spec: WaiverSpec, *, where: str = "waiver") -> WaiverSpec:
    """``spec`` with its rule code resolved and upper-cased and its text trimmed; InputError
    when it is not usable."""
    code = rule_code(spec.code, where=where)
    if not spec.reason.strip():
        raise InputError(f"{where}: a waiver needs a reason", hint="say why it is accepted")
    if not spec.by.strip():
        raise InputError(f"{where}: a waiver needs the name of who made it", hint="use --by")
    return dataclasses.replace(
        spec, code=code, key=spec.key.strip(), reason=spec.reason.strip(), by=spec.by.strip()
    )


@dataclass(frozen=True, slots=True)
class SavedWaivers:
    """What ``save_waivers`` did: waivers added, existing ones replaced, others removed."""

    added: int
    updated: int
    removed: int


def add_waiver(engine: Engine, practice: str, spec: WaiverSpec) -> None:
    """Create the waiver, or replace the one with the same code and key."""
    save_waivers(engine, practice, [spec], replace_all=False)


def save_waivers(
    engine: Engine, practice: str, specs: list[WaiverSpec], *, replace_all: bool
) -> SavedWaivers:
    """Store ``specs`` in one transaction; ``replace_all`` first removes every other waiver."""
    specs = [validated(spec) for spec in specs]
    with write_transaction(engine) as connection:
        query = select(WAIVER.c.code, WAIVER.c.key).where(WAIVER.c.practice == practice)
        before = {(row.code, row.key) for row in connection.execute(query)}
        if replace_all:
            connection.execute(delete(WAIVER).where(WAIVER.c.practice == practice))
        for spec in specs:
            connection.execute(
                delete(WAIVER).where(
                    WAIVER.c.practice == practice,
                    WAIVER.c.code == spec.code,
                    WAIVER.c.key == spec.key,
                )
            )
            connection.execute(WAIVER.insert().values(**_row(practice, spec)))
    saved = {(spec.code, spec.key) for spec in specs}
    kept = before if not replace_all else before & saved
    return SavedWaivers(
        added=len(saved - before), updated=len(saved & before), removed=len(before - kept)
    )


def _row(practice: str, spec: WaiverSpec) -> dict[str, object]:
    return {
        "practice": practice,
        "code": spec.code,
        "key": spec.key,
        "reason": spec.reason,
        "created_by": spec.by,
        "created_at": utcnow(),
        "until": spec.until,
    }


def list_waivers(engine: Engine, practice: str) -> list[WaiverSpec]:
    """Every waiver of ``practice`` (expired ones too), by code and key."""
    query = (
        select(WAIVER).where(WAIVER.c.practice == practice).order_by(WAIVER.c.code, WAIVER.c.key)
    )
    with read_connection(engine) as connection:
        return [
            WaiverSpec(r.code, r.reason, r.created_by, r.key, r.until)
            for r in connection.execute(query)
        ]


def remove_waiver(engine: Engine, practice: str, code: str, key: str = "") -> bool:
    """Remove one waiver (``code`` may be a rule name); False when there was none."""
    with write_transaction(engine) as connection:
        done = connection.execute(
            delete(WAIVER).where(
                WAIVER.c.practice == practice,
                WAIVER.c.code == rule_code(code),
                WAIVER.c.key == key.strip(),
            )
        )
    return bool(done.rowcount)


def apply_waivers(result: CheckResult, waivers: list[WaiverSpec], today: date) -> CheckResult:
    """``result`` with every finding that an unexpired waiver covers marked waived."""
    live = [w for w in waivers if not w.expired(today)]
    if not live:
        return dataclasses.replace(result, findings=list(result.findings))
    by_code: dict[str, list[WaiverSpec]] = {}
    for waiver in live:
        by_code.setdefault(waiver.code, []).append(waiver)
    findings = [
        dataclasses.replace(f, waived=True)
        if any(w.applies(f.code, f.key, today) for w in by_code.get(f.code, ()))
        else f
        for f in result.findings
    ]
    return dataclasses.replace(result, findings=findings)
