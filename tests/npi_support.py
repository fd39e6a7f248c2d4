"""Valid NPIs for tests: a distinct one per index, its check digit computed."""

from __future__ import annotations

from syncguard.npi import npi_check_digit


def npi(index: int) -> str:
    """The valid NPI numbered ``index`` (1 followed by the index in 8 digits, then the check
    digit)."""
    first_nine = f"1{index:08d}"
    return first_nine + str(npi_check_digit(first_nine))
