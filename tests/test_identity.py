"""Findings that share an identity (two WebPT rows of one name, neither with an NPI) get
fingerprints of their own, the same whatever order the export lists them in."""

from __future__ import annotations

import hashlib
import random

from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_support import mistyped_npi

from syncguard.findings import Finding
from syncguard.identity import told_apart


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(findings: list[Finding]) -> list[str]:
    return [_digest(f"{f.code}|{f.key}") for f in findings]


def test_unique_fingerprints_are_kept_as_they_are() -> None:
    findings = [mistyped_npi("1234567890", 2), mistyped_npi("1234567891", 3, "Doe, Ann")]
    assert told_apart(_plain(findings), findings, _digest) == _plain(findings)


def test_the_first_of_a_group_keeps_its_fingerprint_and_the_others_differ() -> None:
    findings = [
        mistyped_npi("1234567890", 2),
        mistyped_npi("1234567899", 9),
    ]
    plain = _plain(findings)
    unique = told_apart(plain, findings, _digest)
    assert plain[0] == plain[1]
    assert unique[0] == plain[0]  # a record alone in the previous run keeps its history
    assert unique[1] != plain[1]


names = st.sampled_from(["Smith, John", "SMITH, JOHN", "Doe, Ann", "Lee, Kim"])
values = st.sampled_from(["1234567890", "1234567899", "12345", ""])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(names, values), min_size=1, max_size=12), st.randoms())
def test_no_two_alike_and_no_finding_moves_when_the_rows_are_resorted(
    cells: list[tuple[str, str]], rng: random.Random
) -> None:
    # Keys are case-folded as the fingerprints do; rows move, what each row says does not.
    rows = list(range(2, len(cells) + 2))
    before = [
        mistyped_npi(value, row, name) for (name, value), row in zip(cells, rows, strict=True)
    ]
    order = list(range(len(cells)))
    rng.shuffle(order)
    after = [before[i] for i in order]

    def keyed(findings: list[Finding]) -> dict[tuple[str, str, int], str]:
        plain = [_digest(f"{f.code}|{f.key.casefold()}") for f in findings]
        unique = told_apart(plain, findings, _digest)
        assert len(set(unique)) == len(unique)
        return {
            (f.record, f.value or "", f.row or 0): key
            for f, key in zip(findings, unique, strict=True)
        }

    assert keyed(before) == keyed(after)
