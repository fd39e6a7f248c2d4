"""Fingerprints that carry over from the previous run for findings that share an identity.

Findings known by one name (two WebPT 'Smith, John' rows with mistyped NPIs) are told apart by
their place in the group (``syncguard.identity``). Places hold while the group stays as it was,
but shift when one of its findings is fixed or another appears: a new 'Smith, John' could take
the place, and so the fingerprint, of an old one, be reported as that old finding "changed" and
leave the old one alerted as "new". Here each finding of such a group is paired with the finding
of the previous run's group that says the same (the same value, then the same value at another
severity, then what is left, in order) and takes its fingerprint; a finding left over gets a
place no finding of the group had before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from syncguard.findings import Finding
from syncguard.identity import group_order, place_key, told_apart

if TYPE_CHECKING:
    from syncguard.ledger.drift import Seen

Digest = Callable[[str], str]


def carried_fingerprints(
    plain: Sequence[str],
    findings: Sequence[Finding],
    previous: Mapping[str, Seen],
    placed_before: Mapping[str, list[str]],
    digest: Digest,
) -> list[str]:
    """The fingerprint of each finding (``plain``: their identities, in order), carried over
    from ``previous`` (the last run's findings by fingerprint) within each group.

    ``placed_before`` gives, by identity, the previous fingerprints that are places of a group
    (see ``syncguard.identity``) rather than the identity itself.
    """
    keys = told_apart(plain, findings, digest)
    if not previous:
        return keys
    shared = {identity for identity, count in Counter(plain).items() if count > 1}
    grouped = shared | placed_before.keys()  # a group now, or before
    if not grouped:
        return keys
    groups: dict[str, list[int]] = {}
    for index, identity in enumerate(plain):
        if identity in grouped:
            groups.setdefault(identity, []).append(index)
    for identity, members in groups.items():
        before = [identity] if identity in previous else []
        _carry(
            identity,
            members,
            before + placed_before.get(identity, []),
            findings,
            previous,
            digest,
            keys,
        )
    return keys


def _carry(
    identity: str,
    members: list[int],
    before: list[str],
    findings: Sequence[Finding],
    previous: Mapping[str, Seen],
    digest: Digest,
    keys: list[str],
) -> None:
    """Set ``keys`` of the group's ``members``: each takes the fingerprint of the previous
    finding it pairs with, or a place none of ``before`` had."""
    pending = sorted(members, key=lambda index: group_order(findings[index]))
    free = list(before)
    for same in (_same_value_and_severity, _same_value):
        for index in list(pending):
            match = next((key for key in free if same(previous[key], findings[index])), None)
            if match is not None:
                keys[index] = match
                free.remove(match)
                pending.remove(index)
    while pending and free:  # the rest in order: the same records, their values changed
        keys[pending.pop(0)] = free.pop(0)
    used, place = set(before), 0
    for index in pending:
        while (key := place_key(identity, place, digest)) in used:
            place += 1
        keys[index] = key
        used.add(key)


def _same_value_and_severity(seen: Seen, finding: Finding) -> bool:
    return seen.value == finding.value and seen.severity == finding.severity


def _same_value(seen: Seen, finding: Finding) -> bool:
    return seen.value == finding.value
