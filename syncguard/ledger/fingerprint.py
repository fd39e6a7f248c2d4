"""A finding's stable fingerprint: the same problem with the same record is the same finding.

It hashes the practice, the rule code, the entity kind and the record's stable key (the CMD
sequence number, the NPI, or the WebPT name when there is neither), never the row number, so
re-sorting an export does not make every finding "new". A value that changes keeps the
fingerprint: that is drift "changed", not a new finding.
"""

from __future__ import annotations

import hashlib

from syncguard.findings import CheckResult, Finding

_SEPARATOR = "\x1f"  # a control character no key or name contains


def fingerprint(practice: str, finding: Finding) -> str:
    """32 hex digits identifying ``finding`` across runs of ``practice``."""
    identity = finding.key or finding.record
    parts = (practice, finding.code.upper(), finding.entity, identity.strip().casefold())
    digest = hashlib.blake2b(_SEPARATOR.join(parts).encode("utf-8"), digest_size=16)
    return digest.hexdigest()


def fingerprints(result: CheckResult) -> list[str]:
    """The fingerprint of each finding of ``result``, in order."""
    practice = result.practice
    return [fingerprint(practice, finding) for finding in result.findings]
