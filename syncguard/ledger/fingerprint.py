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

from syncguard.findings import CheckResult, Finding
from syncguard.identity import told_apart

_SEPARATOR = "\x1f"  # a control character no key or name contains


def fingerprint(practice: str, finding: Finding) -> str:
    """32 hex digits identifying ``finding`` across runs of ``practice``."""
    identity = finding.key or finding.record
    parts = (practice, finding.code.upper(), finding.entity, identity.strip().casefold())
    return _digest(_SEPARATOR.join(parts))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def fingerprints(result: CheckResult) -> list[str]:
    """The fingerprint of each finding of ``result``, in order, no two alike."""
    practice = result.practice
    plain = [fingerprint(practice, finding) for finding in result.findings]
    return told_apart(plain, result.findings, _digest)
