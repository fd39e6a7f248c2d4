"""A finding's stable fingerprint: the same problem with the same record is the same finding.

It hashes the practice, the rule code, the entity kind and the record's stable key (the CMD
sequence number, the NPI, or the WebPT name when there is neither), never the row number, so
re-sorting an export does not make every finding "new". A value that changes keeps the
fingerprint: that is drift "changed", not a new finding. Findings of one run that share an
identity are told apart (see ``syncguard.identity``), so each fingerprint of a run names one
finding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from syncguard.findings import CheckResult, Finding
from syncguard.identity import told_apart
from syncguard.ledger import continuity

if TYPE_CHECKING:
    from syncguard.ledger.drift import Seen

_SEPARATOR = "\x1f"  # a control character no key or name contains


def fingerprint(practice: str, finding: Finding) -> str:
    """32 hex digits identifying ``finding`` across runs of ``practice``."""
    return identity(practice, finding.code, finding.entity, finding.key, finding.record)


def identity(practice: str, code: str, entity: str, key: str | None, record: str | None) -> str:
    """``fingerprint`` from a finding's fields (as the ledger stores them)."""
    known_by = key or record or ""
    parts = (practice, code.upper(), entity, known_by.strip().casefold())
    return _digest(_SEPARATOR.join(parts))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def fingerprints(result: CheckResult) -> list[str]:
    """The fingerprint of each finding of ``result``, in order, no two alike.

    These are the fingerprints of a run with no history; once a run is compared with the
    previous one (``annotate_drift``), ``recorded_fingerprints`` gives the ones it keeps.
    """
    return told_apart(plain_fingerprints(result), result.findings, _digest)


def carried_fingerprints(
    result: CheckResult,
    plain: list[str],
    previous: Mapping[str, Seen],
    placed_before: Mapping[str, list[str]],
) -> list[str]:
    """``fingerprints``, with the findings that share an identity paired with the previous
    run's (``previous``: its findings by fingerprint), see ``syncguard.ledger.continuity``."""
    return continuity.carried_fingerprints(plain, result.findings, previous, placed_before, _digest)


def recorded_fingerprints(result: CheckResult) -> list[str]:
    """The fingerprints ``annotate_drift`` gave ``result``'s findings (``fingerprints`` when
    the result was never compared with a previous run)."""
    keys = result.extra.get("fingerprints")
    if isinstance(keys, list) and len(keys) == len(result.findings):
        return [str(key) for key in keys]
    return fingerprints(result)


def plain_fingerprints(result: CheckResult) -> list[str]:
    """Each finding's identity, in order; findings that share one are not told apart."""
    practice = result.practice
    return [fingerprint(practice, finding) for finding in result.findings]
