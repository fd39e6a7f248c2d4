"""NPI validation: CMS's Luhn over 80840 + the first nine digits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from syncguard.npi import NpiStatus, is_valid_npi, npi_check_digit, npi_status


def test_cms_example_is_valid() -> None:
    assert npi_check_digit("123456789") == 3
    assert is_valid_npi("1234567893")


def test_plain_luhn_number_is_rejected() -> None:
    # 4949558680 passes plain Luhn over ten digits, the common bug; it is not a valid NPI.
    assert npi_status("4949558680") is NpiStatus.BAD_CHECK_DIGIT
    assert npi_status("1234567890") is NpiStatus.BAD_CHECK_DIGIT


def test_malformed_told_apart_from_check_digit() -> None:
    for value in [
        "",
        "123456789",
        "12345678901",
        "12345678a3",
        "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff13",
    ]:
        assert npi_status(value) is NpiStatus.MALFORMED


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_is_valid(first_nine: str) -> None:
    valid = [d for d in "0123456789" if is_valid_npi(first_nine + d)]
    assert valid == [str(npi_check_digit(first_nine))]


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.integers(0, 9))
def test_any_single_digit_change_is_caught(npi: str, position: int) -> None:
    fixed = npi[:9] + str(npi_check_digit(npi[:9]))
    changed_digit = str((int(fixed[position]) + 1) % 10)
    changed = fixed[:position] + changed_digit + fixed[position + 1 :]
    assert is_valid_npi(fixed)
    assert not is_valid_npi(changed)
