"""The HTML report in a real headless Chromium: no errors, hostile names inert, filters work.

Runs when ``SYNCGUARD_TEST_CHROMIUM`` names a Chromium binary (CI sets Debian's ``chromium``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from test_reports_sample import HOSTILE_NAME, sample_findings, sample_result

from syncguard.findings import Finding, Severity
from syncguard.reports import render, write_report

pytestmark = pytest.mark.browser

FLAG_NAME = '<img src=x onerror="window.__pwned=1;alert(1)">'
SCRIPT_VALUE = "</td><script>window.__pwned=2</script>"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Opened:
    page: Any
    url: str
    findings: list[Finding]
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def visible_rows(self) -> int:
        count: int = self.page.locator("#findings tbody tr:visible").count()
        return count


@pytest.fixture
def opened(chromium_path: str, tmp_path: Path) -> Iterator[Opened]:
    from playwright.sync_api import sync_playwright

    template = sample_findings()[1]
    findings = [
        *sample_findings(),
        replace(template, record=FLAG_NAME, key="10020002", row=10),
        replace(template, entity="referring", value=SCRIPT_VALUE, key="1", row=11),
    ]
    report = tmp_path / "report.html"
    write_report(render(sample_result(findings), "html"), report)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            state = Opened(page, report.as_uri(), findings)
            page.on("console", lambda m: m.type == "error" and state.console_errors.append(m.text))
            page.on("pageerror", lambda error: state.console_errors.append(str(error)))
            page.on("dialog", lambda dialog: _dismiss(state, dialog))
            page.on("request", lambda request: state.requests.append(request.url))
            page.goto(state.url, wait_until="load")
            yield state
        finally:
            browser.close()


def _dismiss(state: Opened, dialog: Any) -> None:
    state.dialogs.append(dialog.message)
    dialog.dismiss()


def test_the_page_loads_cleanly_and_requests_nothing_but_itself(opened: Opened) -> None:
    opened.page.wait_for_timeout(200)
    assert opened.console_errors == []
    assert opened.requests == [opened.url]
    assert opened.page.title() == "syncguard check: FAIL (northside)"
    assert opened.page.locator("#controls").is_visible()


def test_hostile_names_show_as_text_and_run_nothing(opened: Opened, tmp_path: Path) -> None:
    page = opened.page
    page.wait_for_timeout(200)
    assert page.get_by_text(HOSTILE_NAME, exact=True).first.is_visible()
    assert page.get_by_text(FLAG_NAME, exact=True).first.is_visible()
    assert page.get_by_text(SCRIPT_VALUE, exact=True).first.is_visible()
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#findings img, #findings script").count() == 0
    assert opened.dialogs == []
    assert opened.console_errors == []
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


def test_severity_and_kind_filters_hide_the_right_rows(opened: Opened) -> None:
    page, findings = opened.page, opened.findings
    total = len(findings)
    assert opened.visible_rows() == total
    assert page.locator("#shown").inner_text() == f"{total} of {total} findings shown"

    page.locator('input[data-filter="severity"][value="error"]').uncheck()
    not_errors = [f for f in findings if f.severity is not Severity.ERROR]
    assert opened.visible_rows() == len(not_errors)

    page.locator('input[data-filter="entity"][value="payer"]').uncheck()
    remaining = [f for f in not_errors if f.entity != "payer"]
    assert opened.visible_rows() == len(remaining)
    assert page.locator("#shown").inner_text() == f"{len(remaining)} of {total} findings shown"
    visible_codes = page.locator("#findings tbody tr:visible td:nth-child(2) .code")
    assert sorted(visible_codes.all_inner_texts()) == sorted(f.code for f in remaining)

    page.locator('input[data-filter="severity"][value="error"]').check()
    page.locator('input[data-filter="entity"][value="payer"]').check()
    assert opened.visible_rows() == total
    assert opened.console_errors == []


def test_the_search_box_narrows_the_table_and_says_when_nothing_matches(opened: Opened) -> None:
    page = opened.page
    search = page.locator("#search")
    search.fill("aetna")
    assert opened.visible_rows() == 1
    search.fill("ZÜRICH STRASSE")
    assert opened.visible_rows() == 0
    assert page.locator("#no-match").is_visible()
    search.fill("zürich")
    assert opened.visible_rows() == 1
    assert not page.locator("#no-match").is_visible()
    search.fill("10029999")
    assert opened.visible_rows() == 1  # the CMD key of a registry-level finding is searchable
    search.fill("")
    assert opened.visible_rows() == len(opened.findings)
    assert opened.console_errors == []
