"""The scheduling examples parse, and docs/scheduling.md shows each of them verbatim."""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Any

import pytest

from syncguard.config import load_settings

DOCS = Path(__file__).resolve().parent.parent / "docs"
EXAMPLES = DOCS / "examples"
CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\d+(-\d+)?))*$")


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir()))
def test_docs_show_each_example_verbatim(name: str) -> None:
    assert (EXAMPLES / name).read_text() in (DOCS / "scheduling.md").read_text()


def test_example_config_is_valid() -> None:
    settings = load_settings(EXAMPLES / "audit.toml", environ={})
    assert settings.audit.lists and settings.audit.fail_on_new
    assert set(settings.audit.channels) <= set(settings.alerts.channels)
    assert all("{date}" in path for path in settings.audit.reports.values())


def test_crontab_lines() -> None:
    lines = [
        line
        for line in (EXAMPLES / "crontab").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines
    for line in lines:
        fields = line.split(None, 5)
        limits = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
        for field, (low, high) in zip(fields[:5], limits, strict=True):
            assert CRON_FIELD.match(field), field
            assert all(low <= int(n) <= high for n in re.findall(r"\d+", field.split("/")[0]))
        assert "syncguard --config audit.toml audit" in fields[5]


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string((EXAMPLES / name).read_text())
    return parser


def test_systemd_units() -> None:
    service, timer = _unit("syncguard-audit.service"), _unit("syncguard-audit.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"].split()[1:4] == [
        "--config",
        "/srv/syncguard/audit.toml",
        "audit",
    ]
    assert timer["Timer"]["OnCalendar"] and timer["Install"]["WantedBy"] == "timers.target"


def _yaml(name: str) -> Any:
    """The document parsed by PyYAML when installed, else a structural check of it."""
    text = (EXAMPLES / name).read_text()
    try:
        import yaml  # type: ignore[import-untyped,unused-ignore]
    except ModuleNotFoundError:
        return _structure(text)
    return yaml.safe_load(text)


def _structure(text: str) -> dict[str, Any]:
    """Indentation in steps of two, no tabs, every line a key, a list item or a comment; returns
    the top-level keys with the keys found beneath them (enough for the checks below)."""
    tree: dict[str, Any] = {}
    top = ""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        assert "\t" not in line, f"line {number}: tab"
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, f"line {number}: indentation {indent}"
        body = line.strip().removeprefix("- ")
        assert re.match(r"^[\w$.\"-][^:]*:( |$)", body) or line.strip().startswith("- "), number
        if indent == 0:
            top = body.split(":")[0]
            tree[top] = {}
        else:
            tree[top][body.split(":")[0].strip()] = True
    return tree


def test_github_actions_workflow() -> None:
    workflow = _yaml("github-actions-audit.yml")
    jobs = workflow["jobs"]
    assert "audit" in jobs or "audit" in str(jobs)
    text = (EXAMPLES / "github-actions-audit.yml").read_text()
    assert "syncguard --config audit.toml audit" in text
    assert "report_paths: reports/audit-*.xml" in text and "upload-artifact" in text


def test_gitlab_ci_job() -> None:
    job = _yaml("gitlab-ci-audit.yml")["syncguard-audit"]
    assert "script" in job and "artifacts" in job
    text = (EXAMPLES / "gitlab-ci-audit.yml").read_text()
    assert "junit: reports/audit-*.xml" in text and "syncguard --config audit.toml audit" in text
