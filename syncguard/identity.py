"""Telling apart findings that share an identity, so every fingerprint names one finding.

A finding's identity is its rule, kind and record key; a WebPT row with neither NPI nor sequence
number is keyed by its name. Two referring providers both called 'Smith, John', both with a
mistyped NPI, are then one identity for two findings. Left so, drift paired each with whichever
of them the previous run stored last (an unchanged rerun showed them "changed"), an alert named
only one, fixing one of them resolved nothing, and SARIF dashboards merged them.

The first finding of such a group keeps the plain fingerprint, so a record that was alone before
keeps its history; the others get the fingerprint with their place in the group appended. The
place comes from what the findings say (value, record, row), not from where they stand in the
run, so re-sorting an export moves no finding from one fingerprint to another.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from syncguard.findings import Finding

PLACE_SEPARATOR = "\x1e"  # a control character no key, name or fingerprint contains


def told_apart(
    fingerprints: Sequence[str], findings: Sequence[Finding], digest: Callable[[str], str]
) -> list[str]:
    """``fingerprints`` (one per finding, in order) made unique: within each group that shares
    one, the second finding on gets ``digest(fingerprint + separator + place)``."""
    counts = Counter(fingerprints)
    if len(counts) == len(fingerprints):
        return list(fingerprints)  # the usual case, at the cost of one Counter
    groups: dict[str, list[int]] = {}
    for index, key in enumerate(fingerprints):
        if counts[key] > 1:
            groups.setdefault(key, []).append(index)
    unique = list(fingerprints)
    for key, members in groups.items():
        members.sort(key=lambda index: group_order(findings[index]))
        for place, index in enumerate(members[1:], 1):
            unique[index] = place_key(key, place, digest)
    return unique


def group_order(finding: Finding) -> tuple[str, str, int, str]:
    """Where a finding stands in its group: by what it says, never by where its row is."""
    return (finding.value or "", finding.record, finding.row or 0, finding.message)


def place_key(fingerprint: str, place: int, digest: Callable[[str], str]) -> str:
    """The fingerprint of the finding at ``place`` (0: the first) of the group ``fingerprint``."""
    return fingerprint if place == 0 else digest(f"{fingerprint}{PLACE_SEPARATOR}{place}")
