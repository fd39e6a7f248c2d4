"""The Markdown report: tables that hold whatever the names contain, and a row cap."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from test_reports_sample import sample_findings, sample_result

from syncguard.findings import Severity
from syncguard.reports import render
from syncguard.reports.markdown import MAX_ROWS, escape

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def test_the_heading_gives_the_verdict_and_the_counts_come_first() -> None:
    text = render(sample_result(), "markdown")
    assert text.startswith("## \u274c syncguard check: FAIL\n")
    assert "| error | 4 |" in text and "| waived | 1 |" in text
    assert "| WebPT Referring.csv | referring | 311 | d4d4d4d4d4d4 |" in text
    passing = render(sample_result([]), "markdown")
    assert passing.startswith("## \u2705 syncguard check: OK\n")


def test_every_table_row_has_as_many_cells_as_its_header() -> None:
    text = render(sample_result(), "markdown")
    widths = {len(UNESCAPED_PIPE.findall(line)) for line in table_lines(text) if "severity" in line}
    for block in text.split("\n\n"):
        lines = table_lines(block)
        if lines:
            assert len({len(UNESCAPED_PIPE.findall(line)) for line in lines}) == 1, block
    assert widths


def test_hostile_names_are_shown_as_text() -> None:
    text = render(sample_result(), "markdown")
    assert "<img" not in text and "&lt;img src=x onerror=alert\\(1\\)&gt;" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "Smith \\| Jane<br>MD" in text
    assert "SMITH, JOHN \\`MD\\`" in text


@given(st.text(max_size=60))
def test_an_escaped_value_never_breaks_out_of_its_cell(value: str) -> None:
    cell = escape(value)
    assert "\n" not in cell and "\r" not in cell
    assert not UNESCAPED_PIPE.search(cell)
    assert "<" not in cell.replace("<br>", "")
    assert not re.search(r"(?<!\\)[`\[\]]", cell)


def test_tables_stop_at_the_cap_and_say_how_many_more() -> None:
    template = sample_findings()[0]
    many = [replace(template, key=str(n), row=n) for n in range(MAX_ROWS + 37)]
    many.append(replace(template, entity="referring", severity=Severity.INFO))
    text = render(sample_result(many), "markdown")
    finding_rows = [line for line in table_lines(text) if "PAY101" in line]
    assert len(finding_rows) == MAX_ROWS
    assert "_38 more findings not shown" in text
    assert "### Referring providers" not in text  # no heading over an empty table
