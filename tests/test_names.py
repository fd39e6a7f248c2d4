"""One-cell names split into (last, first) the way a billing admin reads them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncguard.names import person_display, split_full_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Smith, Jane A", ("Smith", "Jane A")),
        ("Jane Smith", ("Smith", "Jane")),
        ("  SMITH ,  JANE  ", ("SMITH", "JANE")),
        ("Smith,Jane", ("Smith", "Jane")),
        ("Smith, Jane, PT", ("Smith", "Jane")),
        ("SMITH, JANE, PT, DPT", ("SMITH", "JANE")),
        ("Smith, Jane DPT", ("Smith", "Jane")),
        ("Jane Smith, PT", ("Smith", "Jane")),
        ("Jane Smith PT, DPT", ("Smith", "Jane")),
        ("Jane A. Smith M.D.", ("Smith", "Jane A.")),
        ("Dr. Jane Smith", ("Smith", "Jane")),
        ("Smith Jr, John", ("Smith Jr", "John")),
        ("Smith, John, Jr.", ("Smith Jr.", "John")),
        ("John Smith III", ("Smith III", "John")),
        ("Ana de la Cruz", ("de la Cruz", "Ana")),
        ("Ludwig van Beethoven", ("van Beethoven", "Ludwig")),
        ("O'Brien, Mary-Kate", ("O'Brien", "Mary-Kate")),
        ("Jane Do", ("Do", "Jane")),  # "Do" is a surname here, not the credential DO
        ("Smith, Do", ("Smith", "Do")),
        ("Madonna", ("Madonna", "")),
        ("Smith,", ("Smith", "")),
        ("\u00a0Smith,\u200b Jane ", ("Smith", "Jane")),
        ("", ("", "")),
        ("  ,  ", ("", "")),
    ],
)
def test_split_full_name(text: str, expected: tuple[str, str]) -> None:
    assert split_full_name(text) == expected


def test_hostile_text_is_kept_as_text() -> None:
    assert split_full_name("<script>alert(1)</script>, Jane") == (
        "<script>alert(1)</script>",
        "Jane",
    )


@given(st.text(max_size=60))
def test_split_never_raises_and_returns_tidy_parts(text: str) -> None:
    last, first = split_full_name(text)
    for part in (last, first):
        assert part == part.strip()
        assert "," not in part or text.count(",") > 1
    if not last:
        assert not first


names = st.from_regex(r"[A-Z][a-z]{1,10}(-[A-Z][a-z]{1,8})?", fullmatch=True)


@given(names, names)
def test_both_written_forms_agree(last: str, first: str) -> None:
    assert split_full_name(f"{last}, {first}") == (last, first)
    assert split_full_name(f"{first} {last}") == (last, first)
    assert split_full_name(person_display(last, first)) == (last, first)


@pytest.mark.parametrize(
    ("last", "first", "shown"),
    [
        ("Smith", "Jane", "Smith, Jane"),
        (" Smith ", "", "Smith"),
        ("", "Jane", "Jane"),
        ("", "", ""),
    ],
)
def test_person_display(last: str, first: str, shown: str) -> None:
    assert person_display(last, first) == shown
