"""Report formats: golden files for every format, the format registry, and atomic writes.

The golden files in ``tests/golden/`` are the sample result of ``test_reports_sample.py``
rendered by each format. After an intended change to a format, regenerate them with::

    SYNCGUARD_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_reports.py

and review the diff before committing it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_reports_sample import HOSTILE_NAME, sample_catalogue, sample_result

from syncguard.errors import ConfigError
from syncguard.findings import CheckResult
from syncguard.reports import FORMATS, REPORTERS, render, write_report
from syncguard.reports.common import one_line
from syncguard.reports.text import wrap

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = {
    "text": "report.txt",
    "json": "report.json",
    "junit": "report.junit.xml",
    "sarif": "report.sarif",
    "csv": "report.csv",
    "markdown": "report.md",
    "html": "report.html",
}


def rendered(fmt: str, result: CheckResult) -> str:
    """Render as the CLI does; SARIF gets the sample catalogue so its rules text is fixed."""
    if fmt == "sarif":
        from syncguard.reports import sarif

        return sarif.render(result, rules=sample_catalogue())
    return render(result, fmt)


@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
def test_format_matches_its_golden_file(fmt: str) -> None:
    text = rendered(fmt, sample_result())
    path = GOLDEN / GOLDEN_FILES[fmt]
    if os.environ.get("SYNCGUARD_UPDATE_GOLDEN") == "1":
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"no golden file {path.name}: run with SYNCGUARD_UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
def test_format_is_deterministic_and_copes_with_no_findings(fmt: str) -> None:
    assert rendered(fmt, sample_result()) == rendered(fmt, sample_result())
    empty = rendered(fmt, sample_result(findings=[]))
    assert empty.strip()
    assert HOSTILE_NAME not in empty


def test_every_format_has_a_golden_file() -> None:
    assert set(GOLDEN_FILES) == set(FORMATS)


def test_every_format_is_registered_and_unknown_ones_are_refused() -> None:
    assert set(REPORTERS) == set(FORMATS)
    assert {"text", "json", "junit", "sarif", "csv", "markdown", "html"} <= set(FORMATS)
    with pytest.raises(ValueError, match=r"unknown report format 'yaml'.*json"):
        render(sample_result(), "yaml")


def test_reporter_modules_are_imported_only_when_used() -> None:
    code = (
        "import sys, syncguard.reports as r\n"
        "assert not [m for m in sys.modules if m.startswith('syncguard.reports.')], sys.modules\n"
        "assert 'rich' not in sys.modules\n"
        "r.REPORTERS['json']\n"
        "assert 'syncguard.reports.json_doc' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_json_document_has_the_documented_shape() -> None:
    document = json.loads(render(sample_result(), "json"))
    assert list(document) == [
        "schema_version", "tool", "practice", "command", "started_at", "finished_at",
        "fail_on", "fail_on_new", "exit_code", "summary", "inputs", "findings",
    ]  # fmt: skip
    assert document["schema_version"] == 1
    assert document["tool"] == {"name": "syncguard", "version": "0.1.0"}
    assert document["exit_code"] == 1
    assert document["summary"]["by_severity"] == {"error": 4, "warning": 2, "info": 2}
    assert document["summary"]["total"] == 9
    assert document["summary"]["waived"] == 1
    assert [f["severity"] for f in document["findings"]][:4] == ["error"] * 4
    first = document["findings"][0]
    assert list(first)[:16] == [
        "code", "name", "severity", "entity", "file", "row", "record", "key", "value",
        "expected", "message", "fix", "suggestion", "score", "drift", "waived",
    ]  # fmt: skip
    assert HOSTILE_NAME in [f["record"] for f in document["findings"]]


def test_json_fingerprint_ignores_the_row_but_not_the_key() -> None:
    result = sample_result()
    moved = sample_result([replace(f, row=f.row + 10 if f.row else None) for f in result.findings])
    first = json.loads(render(result, "json"))["findings"]
    second = json.loads(render(moved, "json"))["findings"]
    assert [f["fingerprint"] for f in first] == [f["fingerprint"] for f in second]
    assert len({f["fingerprint"] for f in first}) == len(first)


def test_text_report_groups_by_kind_worst_first_and_ends_with_the_summary_line() -> None:
    result = sample_result()
    text = render(result, "text")
    headings = [line.split(":")[0] for line in text.splitlines() if "findings ─" in line]
    # Kinds with an error come first (alphabetically among equals), then the others.
    assert headings == ["Facilities", "Payers", "Rendering providers", "Referring providers"]
    assert text.rstrip().endswith(result.summary_line())
    assert "\x1b" not in text
    assert "Smith | Jane\\nMD" in text  # the newline in a name is shown, not obeyed
    assert (
        "state      changed, waived (was info; value was 10040006; first seen 2024-10-01)" in text
    )
    assert "sha256" in text and "a1a1a1a1a1a1" in text


def test_text_report_can_be_coloured_for_a_terminal() -> None:
    from syncguard.reports import text

    assert "\x1b[" in text.render(sample_result(), color=True)


def test_write_report_writes_utf8_and_replaces_an_old_report(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    write_report("Zürich <b>\r\n", target)
    assert target.read_bytes() == "Zürich <b>\r\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_report_leaves_nothing_behind_when_the_target_cannot_be_replaced(
    tmp_path: Path,
) -> None:
    target = tmp_path / "report.json"
    target.mkdir()
    with pytest.raises(ConfigError, match="cannot write"):
        write_report("{}", target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    assert target.is_dir()


def test_write_report_in_a_missing_folder_fails_without_creating_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot write"):
        write_report("{}", tmp_path / "missing" / "report.json")
    assert list(tmp_path.iterdir()) == []


def test_write_report_gives_a_new_file_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    write_report("a,b\r\n", target)
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab -\t\n\u00a0\u2003x\x0b"), max_size=240),
    st.integers(20, 90),
)
def test_text_wrap_breaks_lines_as_textwrap_does(value: str, room: int) -> None:
    # The text report wraps most values itself: not a single line may differ from textwrap.
    shown = one_line(value)
    expected = textwrap.wrap(shown, room, break_on_hyphens=False) or [""]
    assert wrap(shown, room) == expected
