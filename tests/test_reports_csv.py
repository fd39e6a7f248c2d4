"""The CSV fix list: one row per finding, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from test_reports_sample import FORMULA, sample_findings, sample_result

from syncguard.csvsafe import FORMULA_STARTS, neutralise
from syncguard.reports import render
from syncguard.reports.csv_fixes import COLUMNS

ATTACKS = [FORMULA, "+1", "-2", "@SUM(A1)", "\tcmd", "\r=1+1"]


def read(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_each_attack_gets_a_leading_apostrophe_and_plain_text_does_not() -> None:
    assert [neutralise(cell) for cell in ATTACKS] == [f"'{cell}" for cell in ATTACKS]
    for harmless in ["10023344", "Aetna PPO", "", "O'Brien", " =1", "a=b"]:
        assert neutralise(harmless) == harmless


@given(st.text())
def test_no_neutralised_cell_starts_a_formula_and_nothing_else_changes(cell: str) -> None:
    safe = neutralise(cell)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe in (cell, f"'{cell}")


def test_hostile_cells_in_every_text_column_are_defused() -> None:
    template = sample_findings()[0]
    findings = [
        replace(template, record=attack, key=attack, value=attack, expected=attack,
                message=attack, fix=attack, suggestion=attack, row=number)
        for number, attack in enumerate(ATTACKS, start=2)
    ]  # fmt: skip
    rows = read(render(sample_result(findings), "csv"))
    assert len(rows) == len(ATTACKS)
    for row, attack in zip(rows, ATTACKS, strict=True):
        for column in ("record", "key", "value", "expected", "message", "fix", "suggestion"):
            assert row[column] == f"'{attack}"
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row.values())


def test_one_row_per_finding_worst_first_with_the_documented_columns() -> None:
    text = render(sample_result(), "csv")
    assert text.splitlines()[0] == "\ufeff" + ",".join(COLUMNS)
    rows = read(text)
    assert len(rows) == 9
    assert [row["severity"] for row in rows] == ["error"] * 4 + ["warning"] * 3 + ["info"] * 2
    first = rows[0]
    assert first["code"] == "FAC401" and first["file"] == "webpt_facilities.csv"
    assert first["row"] == "3" and first["record"] == "Zürich Straße Physio \u2013 Süd"
    newline = next(row for row in rows if row["code"] == "REF201")
    assert newline["record"] == "Smith | Jane\nMD" and newline["drift"] == "open"
    assert next(row for row in rows if row["code"] == "REN102")["waived"] == "yes"
    coverage = next(row for row in rows if row["code"] == "REF301")
    assert coverage["file"] == "" and coverage["row"] == "" and coverage["key"] == "1245319599"
