"""Properties of ID normalisation: clean stays clean, decorations repair, lost digits are damage."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from syncguard.inputs.kinds import IdKind
from syncguard.normalize import IdRules, ValueStatus, clean_text, normalize_id

DIGITS = "0123456789"
sequences = st.text(DIGITS, min_size=8, max_size=8)
npis = st.text(DIGITS, min_size=10, max_size=10)
rev_codes = st.text(DIGITS, min_size=4, max_size=4)
clean_values = st.one_of(
    st.tuples(st.just(IdKind.SEQUENCE), sequences),
    st.tuples(st.just(IdKind.NPI), npis),
    st.tuples(st.just(IdKind.REV_CODE), rev_codes),
    # Excel itself turns a code like "1E5" into a number, so E-notation shapes are left out.
    st.tuples(
        st.just(IdKind.CODE),
        st.from_regex(r"[A-Z0-9]{1,10}", fullmatch=True).filter(
            lambda code: not re.fullmatch(r"[0-9]+E[0-9]+", code)
        ),
    ),
)
pads = st.text(" \t\u00a0\u2007\u202f", max_size=3)
invisible = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])


@given(clean_values, st.booleans())
def test_clean_values_are_clean_and_unchanged(
    kind_value: tuple[IdKind, str], is_number: bool
) -> None:
    kind, value = kind_value
    result = normalize_id(value, kind, is_number=is_number)
    assert result.status is ValueStatus.CLEAN
    assert result.value == value
    assert result.reason is None


@st.composite
def decorated(draw: st.DrawFn) -> tuple[IdKind, str, str]:
    """A clean value with the decorations spreadsheets add, at least one of them."""
    kind, value = draw(clean_values)
    text = value
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(invisible) + text[at:]
    if draw(st.booleans()):
        text = "'" + draw(pads) + text
    text = draw(pads) + text + draw(pads)
    if text == value:
        text = " " + text
    return kind, value, text


@given(decorated())
@example((IdKind.SEQUENCE, "00123456", "'00123456"))
@example((IdKind.NPI, "1234567893", "\u00a01234567893\u200b "))
def test_decorations_are_repaired_to_the_same_value(case: tuple[IdKind, str, str]) -> None:
    kind, value, text = case
    result = normalize_id(text, kind)
    assert result.status is ValueStatus.REPAIRED, result
    assert result.value == value
    assert result.reason


@given(st.one_of(sequences, npis), st.sampled_from([".0", ".00"]))
def test_trailing_point_zero_of_a_number_cell_is_repaired(value: str, tail: str) -> None:
    kind = IdKind.SEQUENCE if len(value) == 8 else IdKind.NPI
    result = normalize_id(value + tail, kind, is_number=True)
    if value.startswith("0"):
        # A number cell cannot hold leading zeros: "01234567.0" was typed, not stored.
        assert result.status in (ValueStatus.REPAIRED, ValueStatus.DAMAGED)
    else:
        assert result.status is ValueStatus.REPAIRED
        assert result.value == value


@given(npis, st.sampled_from(["-", " ", "\u00a0"]), st.integers(1, 9))
def test_separators_inside_an_npi_are_repaired(npi: str, separator: str, at: int) -> None:
    result = normalize_id(npi[:at] + separator + npi[at:], IdKind.NPI)
    assert result.status is ValueStatus.REPAIRED
    assert result.value == npi


@given(st.sampled_from(list(IdKind)), st.text(max_size=40), st.booleans())
@example(IdKind.CODE, "''x", False)
@example(IdKind.SEQUENCE, "'''12345678", False)
@example(IdKind.NPI, "\x1f", False)
@example(IdKind.NPI, " - ", False)
def test_repaired_values_are_clean_the_second_time(kind: IdKind, raw: str, is_number: bool) -> None:
    first = normalize_id(raw, kind, is_number=is_number)
    if first.status is not ValueStatus.REPAIRED:
        return
    assert first.value is not None
    again = normalize_id(first.value, kind)
    assert again.status is ValueStatus.CLEAN, (first, again)
    assert again.value == first.value


@given(
    st.sampled_from(list(IdKind)),
    st.from_regex(r"[+-]?[0-9]{1,9}([.,][0-9]{0,6})?[eE][+-]?[0-9]{1,3}", fullmatch=True),
    st.booleans(),
    pads,
)
@example(IdKind.SEQUENCE, "1.23457E+07", True, "")
def test_e_notation_is_always_damaged(kind: IdKind, text: str, is_number: bool, pad: str) -> None:
    result = normalize_id(pad + text + pad, kind, is_number=is_number)
    assert result.status is ValueStatus.DAMAGED
    assert result.value is None
    assert result.reason is not None
    assert "E-notation" in result.reason


@given(st.integers(1, 12), st.data())
def test_number_cells_shorter_than_the_width_lost_leading_zeros(
    width: int, data: st.DataObject
) -> None:
    rules = IdRules(sequence_width=width, revenue_code_width=min(width, 8))
    for kind in (IdKind.SEQUENCE, IdKind.REV_CODE):
        expected = rules.fixed_width(kind)
        assert expected is not None
        if expected < 2:
            continue
        digits = data.draw(st.text(DIGITS, min_size=1, max_size=expected - 1))
        tail = data.draw(st.sampled_from(["", ".0"]))
        result = normalize_id(digits + tail, kind, is_number=True, rules=rules)
        assert result.status is ValueStatus.DAMAGED
        assert result.reason is not None
        assert "leading zeros" in result.reason


@given(st.text(DIGITS, min_size=16, max_size=20))
def test_more_than_fifteen_digits_in_a_number_cell_is_damaged(digits: str) -> None:
    digits = "1" + digits[1:]
    result = normalize_id(digits, IdKind.NPI, is_number=True)
    assert result.status is ValueStatus.DAMAGED


@given(st.sampled_from(list(IdKind)), st.text(), st.booleans())
def test_never_raises(kind: IdKind, raw: str, is_number: bool) -> None:
    result = normalize_id(raw, kind, is_number=is_number)
    assert result.raw == raw
    assert (result.value is None) == (result.status in (ValueStatus.EMPTY, ValueStatus.DAMAGED))


@pytest.mark.parametrize("raw", ["", " ", "\u00a0", "\u200b", "'", " ' "])
def test_blank_cells_are_empty(raw: str) -> None:
    assert normalize_id(raw, IdKind.SEQUENCE).status is ValueStatus.EMPTY


@given(st.text())
def test_clean_text_is_idempotent(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once or once.startswith("'")
    assert once == once.strip()
