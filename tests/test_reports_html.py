"""The HTML page, read as text: self-contained, every value escaped, a CSP that allows only itself.

``test_report_html_browser.py`` opens the same page in a real Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from test_reports_sample import HOSTILE_NAME, sample_findings, sample_result

from syncguard.reports import render


class Cells(HTMLParser):
    """Collects the text of every findings-table row, cell by cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False

    def handle_data(self, data: str) -> None:
        if self._in_body and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def parse(page: str) -> Cells:
    cells = Cells()
    cells.feed(page)
    return cells


def test_the_page_loads_nothing_from_anywhere() -> None:
    page = render(sample_result(), "html")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?://|//[a-z]|@import|url\(", page, re.IGNORECASE)
    assert not re.search(r"<(link|iframe|object|embed|img|base)\b", page, re.IGNORECASE)
    assert "<script src" not in page


def test_the_content_security_policy_allows_exactly_the_inline_style_and_script() -> None:
    page = render(sample_result(), "html")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy[1].split(";"))
    assert directives["default-src"] == "'none'" and directives["img-src"] == "data:"
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    script = re.search(r"<script>(.*?)</script>", page, re.DOTALL)
    assert style is not None and script is not None
    for directive, body in (("style-src", style[1]), ("script-src", script[1])):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert directives[directive] == f"'sha256-{digest}'"
    assert "unsafe-inline" not in policy[1]


def test_hostile_values_are_escaped_text_in_their_cells() -> None:
    page = render(sample_result(), "html")
    assert HOSTILE_NAME not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    rows = parse(page).rows
    assert len(rows) == 9
    hostile = next(row for row in rows if row[1].startswith("PAY201"))
    assert hostile[4] == HOSTILE_NAME and hostile[5] == HOSTILE_NAME


def test_rows_carry_their_severity_and_kind_for_the_filters() -> None:
    page = render(sample_result(), "html")
    rows = re.findall(r'<tr data-severity="(\w+)" data-entity="(\w+)"', page)
    assert len(rows) == 9
    assert rows[0] == ("error", "facility") and rows[-1] == ("info", "referring")
    assert 'data-filter="severity" value="warning" checked' in page
    assert 'data-filter="entity" value="provider" checked' in page


def test_drift_and_waived_show_as_badges_only_when_present() -> None:
    page = render(sample_result(), "html")
    assert page.count('class="badge state-') == 6  # five drift labels and one waiver
    assert '<span class="badge state-waived">waived</span>' in page
    quiet = [f for f in sample_findings() if not f.drift and not f.waived]
    assert "badge" not in render(sample_result(quiet), "html").split("<tbody>")[1]


def test_a_clean_run_says_so_instead_of_an_empty_table() -> None:
    page = render(sample_result([]), "html")
    assert "No findings: every record checked agrees with the registry." in page
    assert 'class="verdict verdict-ok"' in page
    assert "<tbody>" not in page


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_record_name_comes_back_as_exactly_its_text(name: str) -> None:
    finding = sample_findings()[0]
    page = render(sample_result([replace(finding, record=name)]), "html")
    cells = parse(page)
    assert cells.rows[0][4] == name
    assert cells.tags.count("script") == 1 and "img" not in cells.tags
