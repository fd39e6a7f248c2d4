"""Name comparison must not cry wolf: differences of form are not differences of name."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from syncguard.checks.matching import (
    COMPANY_SUFFIXES,
    NameIndex,
    org_key,
    person_key,
    same_person,
    similarity,
)

NAME_THRESHOLD = 85.0
letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=12)


@pytest.mark.parametrize(
    ("webpt", "cmd"),
    [
        (("Smith", "Jane"), ("SMITH", "JANE")),
        (("Smith", "Jane A."), ("Smith", "Jane")),
        (("Smith", "Jane, PT, DPT"), ("Smith", "Jane")),
        (("Smith PT", "Jane"), ("Smith", "Jane")),
        (("Smith Jr.", "John"), ("Smith", "John")),
        (("Smith", "John III"), ("SMITH", "JOHN")),
        (("O'Brien", "Kate"), ("OBRIEN", "KATE")),
        (("Smith-Jones", "Ann"), ("Smith Jones", "Ann")),
        (("  Smith ", " Jane  "), ("Smith", "Jane")),
        (("Alvarez", "Tomas"), ("Alvarez", "Tomás")),
        (("Lee", "Ann CCC-SLP"), ("Lee", "Ann")),
        (("Park", "David PA-C"), ("Park", "David MD")),
        (("Brennan", "Ruth OTR/L"), ("Brennan", "Ruth")),
        (("Dr. Smith", "Jane"), ("Smith", "Jane")),
        (("Jane Smith", ""), ("Smith", "Jane")),  # "First Last" in one cell, not split
    ],
)
def test_the_same_person_written_differently_has_one_key(
    webpt: tuple[str, str], cmd: tuple[str, str]
) -> None:
    assert person_key(*webpt) == person_key(*cmd)


def test_a_surname_that_looks_like_a_credential_is_kept() -> None:
    assert person_key("Do", "Anh") != person_key("Le", "Anh")
    assert person_key("Do", "Anh MD") == person_key("DO", "ANH")


@pytest.mark.parametrize(
    ("webpt", "cmd"),
    [
        (("Smith", "Jane"), ("Doe", "John")),
        (("Delgado", "Janelle"), ("Pruitt", "Janelle")),
        (("Smith", "Jane"), ("Smith", "Robert")),
    ],
)
def test_different_people_are_not_similar(webpt: tuple[str, str], cmd: tuple[str, str]) -> None:
    assert similarity(person_key(*webpt), person_key(*cmd)) < NAME_THRESHOLD


def test_a_small_typo_is_similar_but_not_the_same() -> None:
    score = similarity(person_key("Smith", "Jon"), person_key("Smith", "John"))
    assert NAME_THRESHOLD <= score < 100


@pytest.mark.parametrize(
    ("webpt", "cmd"),
    [
        ("Aetna PPO", "AETNA PPO"),
        ("Lone Star PT - North Austin", "LONE STAR PT NORTH AUSTIN"),
        ("Texas Medicaid (TMHP)", "TEXAS MEDICAID TMHP"),
        ("Smith & Jones Therapy", "SMITH AND JONES THERAPY"),
        ("Acme Health, Inc.", "ACME HEALTH"),
        ("Acme Health LLC", "Acme Health"),
        ("St. David's", "ST DAVIDS"),
    ],
)
def test_organisation_names_differing_in_form_have_one_key(webpt: str, cmd: str) -> None:
    assert org_key(webpt) == org_key(cmd)


def test_different_plans_of_one_insurer_are_not_similar() -> None:
    assert similarity(org_key("Aetna PPO"), org_key("Aetna HMO")) < NAME_THRESHOLD
    assert similarity(org_key("Bright HealthCare"), org_key("LIBERTY MUTUAL AUTO")) < 50


def test_a_name_made_only_of_company_words_is_kept() -> None:
    assert org_key("Inc. LLC") == "inc llc"


@given(last=letters, first=letters, middle=st.sampled_from("ABCDEFGHIJ"))
def test_case_spaces_initials_and_credentials_never_change_a_person_key(
    last: str, first: str, middle: str
) -> None:
    decorated = (f"  {last.upper()} ", f"{first.title()}  {middle}., DPT")
    assert person_key(*decorated) == person_key(last, first) or _is_noise(first)


def _is_noise(word: str) -> bool:
    """A random first name may itself be a credential ("pt"), which the key drops."""
    from syncguard.checks.matching import CREDENTIALS, SUFFIXES, TITLES

    return word in CREDENTIALS | SUFFIXES | TITLES


@given(name=st.lists(letters, min_size=1, max_size=4))
def test_case_punctuation_and_spacing_never_change_an_organisation_key(name: list[str]) -> None:
    assume(not set(name) <= COMPANY_SUFFIXES)  # a name made only of "LLC" and "Inc" is kept whole
    plain = " ".join(name)
    decorated = "  " + " - ".join(word.upper() for word in name) + ", Inc. "
    assert org_key(decorated) == org_key(plain)


@given(a=letters, b=letters)
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert similarity(a, b) == similarity(b, a)
    assert 0 <= similarity(a, b) <= 100
    assert similarity(a, a) == 100


def test_same_person_is_exact_not_fuzzy() -> None:
    assert same_person("SMITH", "JANE A", "Smith", "Jane")
    assert not same_person("Smith", "Jon", "Smith", "John")


def test_name_index_proposes_the_best_match_above_the_cutoff() -> None:
    names = ["AETNA PPO", "AETNA HMO", "CIGNA"]
    index = NameIndex(["1", "2", "3"], [org_key(n) for n in names])
    assert index.best(org_key("Aetna PPO"), 90) == ("1", 100.0)
    assert index.best(org_key("Humana"), 90) is None
    assert index.best("", 0) is None
