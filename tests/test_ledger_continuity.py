"""Findings of one identity (WebPT rows known by one name) keep their fingerprints from run to
run: what was fixed resolves, what appeared is new, what stayed is open, whatever the order."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_support import mistyped_npi, result

from syncguard.findings import Finding
from syncguard.ledger.drift import Seen, with_drift
from syncguard.ledger.fingerprint import carried_fingerprints, plain_fingerprints


def _run(findings: list[Finding], before: list[Finding], before_keys: list[str]) -> list[str]:
    """The fingerprints of a run of ``findings`` after the run ``before`` was recorded."""
    previous = {key: Seen.of(f) for key, f in zip(before_keys, before, strict=True)}
    plain_before = plain_fingerprints(result(before))
    placed: dict[str, list[tuple[str, int, str]]] = {}
    for index, (key, plain) in enumerate(zip(before_keys, plain_before, strict=True)):
        if key != plain:
            placed.setdefault(plain, []).append((before[index].value or "", index, key))
    by_identity = {plain: [key for *_, key in sorted(keys)] for plain, keys in placed.items()}
    now = result(findings)
    return carried_fingerprints(now, plain_fingerprints(now), previous, by_identity)


values = st.lists(st.sampled_from(["1234567890", "1234567891", "1234567892", "12345"]), max_size=6)


@settings(max_examples=80, deadline=None)
@given(values, values, values, st.randoms())
def test_a_group_keeps_what_stayed_and_news_what_appeared(
    first: list[str], second: list[str], third: list[str], rng: random.Random
) -> None:
    runs: list[tuple[list[Finding], list[str]]] = [([], [])]
    for cells in (first, second, third):
        rows = list(range(2, len(cells) + 2))
        rng.shuffle(rows)
        findings = [mistyped_npi(value, row) for value, row in zip(cells, rows, strict=True)]
        before, before_keys = runs[-1]
        keys = _run(findings, before, before_keys)
        assert len(set(keys)) == len(keys)  # every fingerprint names one finding
        previous = {key: Seen.of(f) for key, f in zip(before_keys, before, strict=True)}
        annotated, gone = with_drift(result(findings), previous, 1, keys)
        drift = Counter(f.drift for f in annotated.findings)
        stayed = sum((Counter(f.value for f in before) & Counter(cells)).values())
        assert drift["open"] == stayed  # each value still there is the same finding, open
        assert drift["new"] == max(0, len(cells) - len(before))
        assert len(gone) == max(0, len(before) - len(cells))
        runs.append((findings, keys))


def test_a_fixed_one_resolves_under_its_own_value() -> None:
    before = [mistyped_npi("1234567890", 2), mistyped_npi("1234567899", 3)]
    before_keys = _run(before, [], [])
    keys = _run([mistyped_npi("1234567899", 9)], before, before_keys)
    assert keys == [before_keys[1]]
