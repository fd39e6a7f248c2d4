"""Logging: JSON lines off a terminal, no personal names, no database passwords."""

from __future__ import annotations

import json

import pytest

from syncguard.logs import configure_logging, get_logger
from syncguard.redaction import redact_secret_url, redact_url, redact_urls_in


def test_json_lines_drop_names_and_passwords(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("info", "json")
    get_logger("test").info(
        "import.done",
        rows=3,
        last_name="Smith",
        patient="Jane Doe",
        database="postgresql+psycopg://sync:s3cret@db.example:5432/reg",
    )
    line = capsys.readouterr().err.strip().splitlines()[-1]
    event = json.loads(line)
    assert event["event"] == "import.done"
    assert event["rows"] == 3
    assert "Smith" not in line and "Jane Doe" not in line and "s3cret" not in line
    assert event["database"] == "postgresql+psycopg://sync:***@db.example:5432/reg"


def test_level_filters(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("warning", "json")
    get_logger("test").info("quiet")
    assert capsys.readouterr().err == ""


def test_redaction_helpers() -> None:
    assert redact_url("sqlite:///x.db") == "sqlite:///x.db"
    assert redact_url("postgresql://u:p@h/db") == "postgresql://u:***@h/db"
    assert redact_secret_url("https://hooks.slack.com/services/T0/B0/XYZ") == (
        "https://hooks.slack.com/***"
    )
    assert "pw" not in redact_urls_in("cannot reach postgresql://u:pw@h:5/db now")


def test_structlog_is_loaded_only_for_an_event_the_level_lets_through() -> None:
    """At the default level an info event costs nothing (structlog's import is a tenth of a
    second); a warning still reaches stderr, configured as the CLI asked."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from syncguard.logs import configure_logging, get_logger\n"
        "configure_logging('warning', 'json')\n"
        "get_logger('t').info('quiet', rows=1)\n"
        "print('structlog' in sys.modules)\n"
        "get_logger('t').warning('loud', rows=2)\n"
        "print('structlog' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "True"]
    event = json.loads(done.stderr.strip())
    assert event["event"] == "loud" and event["rows"] == 2 and event["level"] == "warning"
