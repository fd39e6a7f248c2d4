"""Balance reports: the HTML page (escaped, strict CSP, a chart per place, checked in Chromium),
the text tables, the JSON tables, and the fixtures being current."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from syncguard.balance.api import balance
from syncguard.balance.render import render_balance
from syncguard.config import load_settings
from syncguard.findings import CheckResult

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "balance"
EMR_HEADER = ["Patient Account #", "Date of Service", "Finalized Date", "Location", "CPT Code"]
EMR_HEADER += ["Units"]
BILLING_HEADER = ["patient_account_number", "date_of_service", "charge_date", "cpt_code", "units"]
BILLING_HEADER += ["place_of_service_id"]
HOSTILE = '<img src=x onerror="alert(1)">&'
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def fixture_result(by: str = "day") -> CheckResult:
    return balance(
        emr=FIXTURES / "billing_report.csv",
        billing=FIXTURES / "charges.csv",
        rejections=FIXTURES / "rejection_summary.csv",
        missed_notes=FIXTURES / "missed_notes.csv",
        claims_feed=FIXTURES / "claims_feed.csv",
        date_from="2026-11-02",
        date_to="2026-11-08",
        by=by,
        settings=load_settings(FIXTURES / "syncguard.toml", environ={}),
    )


def hostile_result(tmp_path: Path) -> CheckResult:
    """A place of service whose name is markup: it must come out as text."""
    emr, billing = tmp_path / "emr.csv", tmp_path / "charges.csv"
    with emr.open("w", newline="") as stream:
        csv.writer(stream).writerows(
            [
                EMR_HEADER,
                ["1001", "11/04/2026", "11/04/2026", HOSTILE, "97110", "2"],
            ]
        )
    with billing.open("w", newline="") as stream:
        csv.writer(stream).writerows(
            [
                BILLING_HEADER,
                ["1001", "2026-11-05", "2026-11-05", "97110", "1", HOSTILE],
            ]
        )
    return balance(emr=emr, billing=billing, date_from="2026-11-02", date_to="2026-11-08")


def test_html_escapes_every_value_and_allows_only_its_own_style_and_script(tmp_path: Path) -> None:
    page = render_balance(hostile_result(tmp_path), "html")
    assert HOSTILE not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    assert "default-src 'none'" in policy[1]
    assert len(re.findall(r"'sha256-", policy[1].split("script-src")[0])) == 2
    assert "<script src" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_html_has_one_chart_per_place_with_one_series_per_side() -> None:
    page = render_balance(fixture_result(), "html")
    assert page.count('<svg class="chart"') == 3
    assert page.count('class="series series-emr"') == 3
    assert page.count('class="series series-billing"') == 3
    assert page.index('<section class="balance"') < page.index('id="findings"')


def test_text_shows_readiness_before_the_tables_and_the_findings_after() -> None:
    text = render_balance(fixture_result(by="week"), "text")
    lines = text.splitlines()
    assert lines[0].startswith("syncguard balance: FAIL")
    readiness = text.index("Readiness")
    assert readiness < text.index("Place of service 101") < text.index("VIS101 visits-unbalanced")
    assert re.search(r"2026-11-02 to 11-08\s+22\s+1\s+21\s+20\s+\+2\s+\+1\s+\+1\s+69\s+66", text)


def test_json_carries_the_per_place_tables() -> None:
    document = json.loads(render_balance(fixture_result(by="week"), "json"))
    (riverside,) = [p for p in document["balance"]["places"] if p["place"] == "102"]
    assert riverside["periods"][0]["unexplained"] == 1
    assert {f["code"] for f in document["findings"]} >= {"VIS103", "VIS104"}


@pytest.mark.parametrize("fmt", ["junit", "sarif", "csv", "markdown"])
def test_the_other_formats_render_the_findings(fmt: str) -> None:
    assert "VIS103" in render_balance(fixture_result(by="week"), fmt)


@pytest.mark.browser
def test_the_html_report_renders_in_chromium(chromium_path: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    report = tmp_path / "balance.html"
    report.write_text(render_balance(fixture_result(), "html"), encoding="utf-8")
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(report.as_uri())
        charts = page.locator("svg.chart")
        assert charts.count() == 3
        first = charts.first
        assert first.locator("g.series-emr polyline").count() == 1
        assert first.locator("g.series-billing polyline").count() == 1
        assert first.bounding_box() is not None and first.bounding_box()["width"] > 600  # type: ignore[index]
        page.screenshot(path=str(tmp_path / "balance.png"), full_page=True)
        browser.close()
    assert errors == []
    assert (tmp_path / "balance.png").stat().st_size > 10_000


def test_the_fixtures_are_current(tmp_path: Path) -> None:
    """``fixtures/balance/build.py`` writes exactly the files in the repository."""
    subprocess.run([sys.executable, str(FIXTURES / "build.py"), str(tmp_path)], check=True)
    for written in tmp_path.glob("*.csv"):
        assert written.read_bytes() == (FIXTURES / written.name).read_bytes(), written.name
    import openpyxl

    def cells(path: Path) -> list[tuple[object, ...]]:
        return list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))

    assert cells(tmp_path / "billing_report.xlsx") == cells(FIXTURES / "billing_report.xlsx")
