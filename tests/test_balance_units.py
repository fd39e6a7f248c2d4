"""Balance building blocks: dates, cell readers, shifts, places of service, periods, rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncguard.balance.dates import DateFormatError, excel_serial, parse_date
from syncguard.balance.model import BalanceOptions
from syncguard.balance.periods import period_end, period_start, periods
from syncguard.balance.places import place_of_service_map
from syncguard.balance.rules import BALANCE_RULES
from syncguard.balance.shifts import cancelling
from syncguard.balance.values import base_code, identifier, read_no_charge, read_units
from syncguard.errors import InputError

NOV4 = date(2026, 11, 4)
report_dates = st.dates(min_value=date(1955, 1, 1), max_value=date(2118, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "11/04/2026",
        "11/4/2026",
        "11/04/26",
        " 11/04/2026 ",
        "11-04-2026",
        "2026-11-04",
        "2026/11/04",
        "2026-11-04T15:30:00",
        "2026-11-04 15:30:00",
        "11/04/2026 3:30 PM",
        "46330",
        "46330.0",
        "46330.6458",
        "20261104",
    ],
)
def test_every_report_date_format_reads_as_the_same_day(text: str) -> None:
    assert parse_date(text) == NOV4


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_cell_is_no_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize("text", ["Total", "02/30/2026", "13/01/2026", "4633", "2026-11", "n/a"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(DateFormatError):
        parse_date(text)


@given(report_dates)
def test_dates_round_trip_through_every_format(day: date) -> None:
    assert parse_date(day.strftime("%m/%d/%Y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.isoformat()}T08:15:00") == day
    assert parse_date(str(excel_serial(day))) == day


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=8), min_size=1))
def test_accounts_left_as_they_are_only_when_no_cell_needs_cleaning(cells: list[str]) -> None:
    """The fast path of ``cells.identifiers`` keeps a column as it is when its pattern finds
    nothing to clean; then ``identifier`` must leave every cell unchanged."""
    import polars as pl

    from syncguard.balance.cells import _NOT_PLAIN_ID

    flagged = pl.Series(cells, dtype=pl.String).str.contains(_NOT_PLAIN_ID)
    for cell, needs_cleaning in zip(cells, flagged, strict=True):
        if not needs_cleaning:
            assert identifier(cell) == cell


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("00123", "123"), ("123.0", "123"), ("'10442", "10442"), (" A0012 ", "A0012"), ("0", "0")],
)
def test_identifiers_agree_across_spreadsheet_damage(raw: str, expected: str) -> None:
    assert identifier(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("97161-GP", "97161"), ("97161GP", "97161"), ("97161 GP", "97161"), ("norcm", "NORCM")],
)
def test_modifiers_suffixed_on_the_code_are_not_part_of_it(raw: str, expected: str) -> None:
    assert base_code(raw) == expected


def test_units_read_as_billed() -> None:
    assert [read_units(v) for v in ("2", "2.0", " 3 ", "", "1,000")] == [2, 2, 3, 1, 1000]
    for bad in ("two", "nan", "inf"):
        with pytest.raises(ValueError, match="not a number of units"):
            read_units(bad)


def test_the_no_charge_box_reads_yes_no_and_its_own_name() -> None:
    assert [read_no_charge(v) for v in ("Yes", "X", "", "No", "NC001")] == [
        True,
        True,
        False,
        False,
        True,
    ]
    with pytest.raises(ValueError, match="neither yes nor no"):
        read_no_charge("maybe")


def test_a_shift_that_the_next_day_cancels_is_explained() -> None:
    assert cancelling([1, -1, 0, 2]) == [1, -1, 0, 0]
    assert cancelling([2, -1, -1]) == [2, -1, -1]
    assert cancelling([0, 0]) == [0, 0]


@given(st.lists(st.integers(min_value=-5, max_value=5), max_size=40))
def test_cancelled_runs_sum_to_zero_and_the_rest_is_left(values: list[int]) -> None:
    explained = cancelling([float(v) for v in values])
    assert sum(explained) == 0
    assert all(e in (0, v) for e, v in zip(explained, values, strict=True))
    left = [v - e for v, e in zip(values, explained, strict=True)]
    # What is left is a tail that never returns to zero.
    running = 0.0
    for value in left[next((i for i, v in enumerate(left) if v), len(left)) :]:
        running += value
        assert running != 0


@pytest.mark.parametrize(
    ("week_start", "first"),
    [("monday", date(2026, 11, 2)), ("sunday", date(2026, 11, 1)), ("wednesday", NOV4)],
)
def test_weeks_start_on_the_configured_day(week_start: str, first: date) -> None:
    options = BalanceOptions(date(2026, 10, 1), date(2026, 12, 31), week_start=week_start)
    assert period_start(NOV4, options) == first
    assert period_end(first, options) == first + timedelta(days=6)


@given(report_dates, st.integers(min_value=0, max_value=60), st.sampled_from(["day", "week"]))
def test_periods_cover_the_range_once(first: date, length: int, by: str) -> None:
    options = BalanceOptions(first, first + timedelta(days=length), by=by)  # type: ignore[arg-type]
    spans = periods(options)
    covered = [s + timedelta(days=i) for s, e in spans for i in range((e - s).days + 1)]
    assert covered == [first + timedelta(days=i) for i in range(length + 1)]
    assert all(period_start(day, options) == s for s, e in spans for day in (s, e))


def test_locations_map_by_config_or_by_being_a_place_already() -> None:
    mapped = place_of_service_map(
        ["Downtown", "downtown ", "103"],
        {"DOWNTOWN": "0101"},
        {"103"},
        file_name="billing_report.csv",
    )
    assert mapped == {"Downtown": "101", "downtown ": "101", "103": "103"}


def test_an_unmapped_location_is_an_input_error_that_names_it() -> None:
    with pytest.raises(InputError) as caught:
        place_of_service_map(
            ["Uptown", "Downtown"], {"Downtown": "101"}, {"101"}, file_name="r.csv"
        )
    message = caught.value.one_line()
    assert '"Uptown"' in message and "[balance.locations]" in message
    assert "Downtown" not in message.split("no place of service:")[1].split("(")[0]


def test_every_balance_rule_is_documented_and_in_the_shared_catalogue() -> None:
    from syncguard.checks.rules import RULES

    expected = {"VIS001", "VIS002", "VIS003", "VIS004", "VIS101", "VIS102", "VIS103"}
    expected |= {"VIS104", "VIS201", "VIS301", "VIS401"}
    assert set(BALANCE_RULES) == expected
    for code, rule in BALANCE_RULES.items():
        assert RULES[code] is rule
        assert all(len(text) > 20 for text in (rule.summary, rule.why, rule.example, rule.fix))
