"""The referring check reads a large regular CSV by columns and any other file row by row; both
must give the same findings, in the same order, whatever the list holds."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from npi_support import npi as valid_npi
from test_check_rules import fill_registry

from syncguard.checks.engine import run_check
from syncguard.checks.matching import person_key, person_keys
from syncguard.checks.referring_rows import PYTHON_SPACES
from syncguard.config import Settings
from syncguard.findings import Finding
from syncguard.readers import columnar
from syncguard.registry.schema import open_registry

LAST = ["Smith", "O'Brien", "Núñez", "de la Cruz", "Do", "Lee-Park", "Zhang"]
FIRST = ["Jane", "John A.", "Ana", "Ma", "Bob, PT", ""]


def test_python_spaces_are_what_str_strip_removes() -> None:
    spaces = {chr(code) for code in range(0x110000) if chr(code).isspace()}
    assert set(PYTHON_SPACES) == spaces


NAME = st.text(alphabet=st.sampled_from("abAB .,'-&éÉ\u00a0\x1cDrPTjr"), max_size=10)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(NAME, NAME), max_size=12))
def test_person_keys_of_columns_are_person_key_of_each_pair(pairs: list[tuple[str, str]]) -> None:
    import polars as pl

    last = pl.Series([p[0] for p in pairs], dtype=pl.String)
    first = pl.Series([p[1] for p in pairs], dtype=pl.String)
    assert person_keys(last, first).to_list() == [person_key(*pair) for pair in pairs]


def _messy_lists(
    folder: Path, seed: int, full_name: bool, quoted: bool = False
) -> tuple[str, Path]:
    """A CMD registry of 300 referring providers and a WebPT list with every kind of trouble:
    repaired, damaged, empty, malformed and mistyped NPIs, unknown and repeated NPIs (same
    person and another person), inactive providers, names differing in form and in fact.
    ``quoted``: the list is comma-separated, every cell quoted, or one name column quoted
    where needed ("Last, First")."""
    rng = random.Random(seed)
    cmd_lines = ["NPI,Last Name,First Name,Inactive"]
    people = []
    for index in range(300):
        last, first = rng.choice(LAST), rng.choice(FIRST).replace(",", "")
        people.append((valid_npi(index), last, first))
        cmd_lines.append(f"{valid_npi(index)},{last},{first},{'Yes' if index % 17 == 0 else 'No'}")
    rows = []
    for _ in range(400):
        npi, last, first = rng.choice(people)
        trouble = rng.randrange(14)
        if trouble == 0:
            npi = f"'{npi}"
        elif trouble == 1:
            npi = f"{npi[:4]}-{npi[4:]}"
        elif trouble == 2:
            npi = "1.23457E+09"
        elif trouble == 3:
            npi = ""
        elif trouble == 4:
            npi = npi[:8]
        elif trouble == 5:
            npi = npi[:9] + str((int(npi[9]) + 1) % 10)
        elif trouble == 6:
            npi = valid_npi(5000 + rng.randrange(5))  # unknown to CMD, sometimes repeated
        elif trouble == 7:
            last, first = last.upper(), f"{first} Q."
        elif trouble == 8:
            last, first = rng.choice(LAST), rng.choice(FIRST)  # another person, maybe
        elif trouble == 9:
            last = f"\x1c {last}\u2003"
        rows.append((last, first.replace(",", ""), npi))
    cmd = folder / "cmd.csv"
    cmd.write_text("\n".join(cmd_lines) + "\n", encoding="utf-8")
    url = f"sqlite:///{folder / 'registry.db'}"
    fill_registry(url, {"referring": cmd.read_text(encoding="utf-8")}, folder, Settings())
    webpt = folder / "webpt.csv"
    if quoted:
        header = ["Referring Provider", "NPI"] if full_name else ["Last Name", "First Name", "NPI"]
        cells = [[f"{row[0]}, {row[1]}", row[2]] if full_name else row for row in rows]
        with webpt.open("w", encoding="utf-8", newline="") as stream:
            quoting = csv.QUOTE_MINIMAL if full_name else csv.QUOTE_ALL
            csv.writer(stream, quoting=quoting).writerows([header, *cells])
        return url, webpt
    if full_name:
        lines = [
            "Referring Provider\tNPI",
            *(f"{last}, {first}\t{npi}" for last, first, npi in rows),
        ]
        webpt = folder / "webpt.tsv"
    else:
        lines = ["Last Name,First Name,NPI", *(",".join(row) for row in rows)]
    webpt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return url, webpt


def _check(url: str, webpt: Path) -> list[Finding]:
    engine = open_registry(url)
    try:
        return run_check({"referring": webpt}, engine=engine, settings=Settings()).findings
    finally:
        engine.dispose()


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("full_name", [False, True], ids=["name-columns", "one-name-column"])
@pytest.mark.parametrize("quoted", [False, True], ids=["unquoted", "quoted"])
def test_columns_and_rows_give_the_same_findings(
    seed: int, full_name: bool, quoted: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, webpt = _messy_lists(tmp_path, seed, full_name, quoted)
    by_rows = _check(url, webpt)
    read_by_columns: list[bool] = []
    real_reader = columnar.read_csv_columns

    def spy(path: Path, header: tuple[str, ...]) -> object:
        frame = real_reader(path, header)
        read_by_columns.append(frame is not None)
        return frame

    monkeypatch.setattr(columnar, "LARGE_FILE_BYTES", 0)
    monkeypatch.setattr("syncguard.checks.referring_rows.read_csv_columns", spy)
    by_columns = _check(url, webpt)
    assert read_by_columns == [True]
    assert by_columns == by_rows
    codes = {finding.code for finding in by_rows}
    assert {"EXP101", "EXP102", "EXP201", "NPI001", "NPI002", "REF001", "REF101"} <= codes
    assert {"REF102", "REF201", "REF202", "REF301"} <= codes
    # As a row-by-row pass lists them: the rows' own findings in row order, then the rows set
    # aside (resolved after the last row) in row order, then coverage.
    row_rules = {"EXP102", "EXP201", "REF102", "REF201", "REF202"}
    own = [f.row or 0 for f in by_rows if f.code in row_rules]
    assert own == sorted(own)
    assert [f.code for f in by_rows][-1] == "REF301"


@pytest.mark.parametrize("reader", ["rows", "columns"])
def test_coverage_is_every_active_cmd_npi_no_row_carries(
    reader: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows repeating an NPI (the same provider listed twice) must not hide another NPI."""
    if reader == "columns":
        monkeypatch.setattr(columnar, "LARGE_FILE_BYTES", 0)
    rng = random.Random(5)
    people = [(valid_npi(index), f"Last{index}", f"First{index}") for index in range(200)]
    inactive = {npi for npi, _last, _first in people[::9]}
    cmd = ["NPI,Last Name,First Name,Inactive"] + [
        f"{npi},{last},{first},{'Yes' if npi in inactive else 'No'}" for npi, last, first in people
    ]
    listed = rng.sample(people, 120)
    rows = listed + rng.choices(listed, k=60)  # repeated rows: EXP201
    rng.shuffle(rows)
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    fill_registry(url, {"referring": "\n".join(cmd) + "\n"}, tmp_path, Settings())
    webpt = tmp_path / "webpt.csv"
    lines = ["Last Name,First Name,NPI", *(f"{last},{first},{npi}" for npi, last, first in rows)]
    webpt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    findings = _check(url, webpt)
    uncovered = {npi for npi, _last, _first in people} - {npi for npi, _l, _f in listed}
    assert {f.key for f in findings if f.code == "REF301"} == uncovered - inactive
    assert sum(f.code == "EXP201" for f in findings) == 60
