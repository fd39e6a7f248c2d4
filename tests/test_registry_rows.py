"""Row parsing: the short path for clean cells agrees with full normalisation and validation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncguard.inputs.columns import resolve_columns
from syncguard.inputs.kinds import IdKind
from syncguard.normalize import IdRules, ValueStatus, normalize_id
from syncguard.npi import NpiStatus, npi_status
from syncguard.readers.table import Row
from syncguard.registry.rows import InvalidRow, RowParser
from syncguard.registry.shapes import shape_for

HEADER = ("NPI", "Last Name", "First Name", "Sequence#", "Inactive")
RULES = IdRules()
CELLS = st.one_of(
    st.text(alphabet="0123456789", min_size=8, max_size=10),
    st.text(alphabet="0123456789 -.\u0661\u0663\u00a0A", max_size=12),
)


def parser() -> RowParser:
    columns = resolve_columns(HEADER, source="cmd", kind="referring", file_name="r.csv")
    return RowParser(shape_for("referring"), columns, RULES)


def expected_npi(cell: str) -> str | None:
    """The NPI the full path accepts, or None when the row is invalid."""
    normalized = normalize_id(cell, IdKind.NPI, rules=RULES)
    if normalized.status in (ValueStatus.DAMAGED, ValueStatus.EMPTY) or normalized.value is None:
        return None
    return normalized.value if npi_status(normalized.value) is NpiStatus.VALID else None


@given(CELLS, st.booleans())
def test_npi_cells_parse_as_normalisation_says(cell: str, numeric: bool) -> None:
    row = Row(2, (cell, "Smith", "Ann", "30000000", "N"), frozenset({0} if numeric else ()))
    expected = expected_npi(cell) if not numeric else None
    if numeric:
        normalized = normalize_id(cell, IdKind.NPI, is_number=True, rules=RULES)
        valid = normalized.status not in (ValueStatus.DAMAGED, ValueStatus.EMPTY)
        if valid and normalized.value and npi_status(normalized.value) is NpiStatus.VALID:
            expected = normalized.value
    if expected is None:
        with pytest.raises(InvalidRow):
            parser().parse(row)
    else:
        assert parser().parse(row).key == expected


@given(CELLS)
def test_sequence_cells_parse_as_normalisation_says(cell: str) -> None:
    row = Row(2, ("1234567893", "Smith", "Ann", cell, "N"), frozenset())
    normalized = normalize_id(cell, IdKind.SEQUENCE, rules=RULES)
    rejected = normalized.status is ValueStatus.DAMAGED or (
        normalized.value is not None and not RULES.is_well_formed(IdKind.SEQUENCE, normalized.value)
    )
    if rejected:
        with pytest.raises(InvalidRow):
            parser().parse(row)
    else:
        assert parser().parse(row).values == ("Smith", "Ann", normalized.value)


def test_a_clean_row_is_parsed_whole() -> None:
    parsed = parser().parse(Row(7, ("1234567893", "Smith", "Ann", "30000000", "Y"), frozenset()))
    assert parsed == (7, "1234567893", ("Smith", "Ann", "30000000"), True)


@pytest.mark.parametrize("check_digit", "0123456789")
def test_only_the_right_check_digit_passes(check_digit: str) -> None:
    cells = ("123456789" + check_digit, "Smith", "Ann", "30000000", "N")
    if check_digit == "3":
        assert parser().parse(Row(2, cells, frozenset())).key == "1234567893"
    else:
        with pytest.raises(InvalidRow, match="fails the check digit"):
            parser().parse(Row(2, cells, frozenset()))
