"""Webhook alerts against a real HTTP server on 127.0.0.1: retries, Retry-After, no-retry 4xx,
and alerting only on drift."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from ledger_support import finding, result, webhook_server
from sqlalchemy import update
from sqlalchemy.engine import Engine

from syncguard.config import AlertSettings, ChannelSettings, Settings
from syncguard.findings import CheckResult, Finding, Severity
from syncguard.ledger.alerts.dispatch import ChannelOutcome, send_alerts, send_test
from syncguard.ledger.alerts.http import parse_retry_after
from syncguard.ledger.alerts.state import ALERTED, deliveries
from syncguard.ledger.hooks import after_run
from syncguard.ledger.waivers import WaiverSpec, add_waiver
from syncguard.registry.schema import open_registry

SECRET = "s3cr3t-t0ken"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = open_registry(database_url, create=True)
    yield engine
    engine.dispose()


def alert_settings(kind: str = "webhook", **overrides: object) -> AlertSettings:
    channel = ChannelSettings(type=kind, url_env="SG_TEST_HOOK", resolutions=True)  # type: ignore[arg-type]
    values: dict[str, object] = {
        "attempts": 6,
        "backoff_initial": 0.01,
        "backoff_max": 0.05,
        "timeout": 0.5,
        "channels": {"ops": channel},
        **overrides,
    }
    return AlertSettings.model_validate(values)


def run_and_alert(
    engine: Engine, findings: list[Finding], url: str, settings: AlertSettings
) -> tuple[CheckResult, ChannelOutcome]:
    recorded = after_run(
        engine, result(findings), settings=Settings(), scope="audit:default:payers"
    )
    outcomes = send_alerts(
        engine,
        recorded,
        run_id=int(str(recorded.extra["run_id"])),
        scope="audit:default:payers",
        channels=["ops"],
        settings=settings,
        environ={"SG_TEST_HOOK": url},
        report="reports/audit-2026-11-02.html",
    )
    return recorded, outcomes[0]


def test_retries_503_timeout_and_429_then_delivers_once(engine: Engine) -> None:
    script = [(503, {}), (503, {}), "timeout", (429, {"Retry-After": "1"}), (200, {})]
    with webhook_server(script) as hook:  # type: ignore[arg-type]
        recorded, outcome = run_and_alert(engine, [finding("A")], hook.url(), alert_settings())
    assert outcome.error is None and outcome.attempts == 5
    assert len(hook.delivered) == 1
    assert hook.delivered[0]["findings"][0]["key"] == "A"  # type: ignore[index]
    assert hook.times[4] - hook.times[3] >= 1.0  # Retry-After honoured
    attempts = deliveries(engine, int(str(recorded.extra["run_id"])))
    assert [a.outcome for a in attempts] == ["retry", "retry", "retry", "retry", "delivered"]
    assert [a.status for a in attempts] == ["503", "503", None, "429", "200"]
    assert all(SECRET not in (a.detail or "") for a in attempts)
    assert "127.0.0.1" in (attempts[0].detail or "")


def test_400_is_not_retried_and_the_next_run_tries_again(engine: Engine) -> None:
    with webhook_server([(400, {})]) as hook:  # type: ignore[list-item]
        recorded, outcome = run_and_alert(engine, [finding("A")], hook.url(), alert_settings())
        assert len(hook.received) == 1
        assert outcome.error is not None and "HTTP 400" in outcome.error
        assert SECRET not in outcome.error
        attempts = deliveries(engine, int(str(recorded.extra["run_id"])))
        assert [(a.outcome, a.status) for a in attempts] == [("failed", "400")]
        # Nothing was marked as told: the next run says it again, though A is no longer new.
        _, again = run_and_alert(engine, [finding("A")], hook.url(), alert_settings())
    assert again.error is None and again.sent == 1 and len(hook.delivered) == 1


def test_gives_up_after_the_attempts_on_a_dead_server(engine: Engine) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hooks/{SECRET}"
    _, outcome = run_and_alert(engine, [finding("A")], url, alert_settings(attempts=3))
    assert outcome.attempts == 3 and outcome.error is not None
    assert "cannot reach http://127.0.0.1/***" in outcome.error and SECRET not in outcome.error


def test_alerts_only_on_drift(engine: Engine) -> None:
    settings = alert_settings()
    first = [
        finding("A", severity=Severity.WARNING),
        finding("B"),
        finding("I", code="PAY301", severity=Severity.INFO),
    ]
    with webhook_server([]) as hook:
        _, told = run_and_alert(engine, first, hook.url(), settings)
        assert told.sent == 2  # the info finding is below the channel's minimum
        _, quiet = run_and_alert(engine, first, hook.url(), settings)
        assert (quiet.sent, quiet.attempts, len(hook.received)) == (0, 0, 1)
        # A got worse and B was fixed: say both.
        _, worse = run_and_alert(engine, [finding("A"), first[2]], hook.url(), settings)
        assert worse.sent == 1 and len(hook.received) == 2
        sent = hook.received[1]
        assert [f["key"] for f in sent["findings"]] == ["A"]  # type: ignore[index]
        assert [f["key"] for f in sent["resolved"]] == ["B"]  # type: ignore[index]
        # B comes back: it was resolved, so it is news again.
        _, back = run_and_alert(engine, [finding("A"), finding("B")], hook.url(), settings)
        assert back.sent == 1 and len(hook.received) == 3


def test_waived_findings_do_not_alert_and_reminders_do(engine: Engine) -> None:
    add_waiver(engine, "default", WaiverSpec("PAY102", "known", "ops"))
    settings = alert_settings(remind_after=7)
    findings = [finding("A"), finding("W", code="PAY102")]
    with webhook_server([]) as hook:
        _, told = run_and_alert(engine, findings, hook.url(), settings)
        assert told.sent == 1
        with engine.begin() as connection:
            eight_days_ago = datetime.now(UTC) - timedelta(days=8)
            connection.execute(update(ALERTED).values(alerted_at=eight_days_ago))
        _, reminded = run_and_alert(engine, findings, hook.url(), settings)
    assert reminded.sent == 1 and "1 still open" in str(hook.received[1]["title"])


@pytest.mark.parametrize("kind", ["slack", "teams"])
def test_chat_payloads(engine: Engine, kind: str) -> None:
    with webhook_server([]) as hook:
        _, outcome = run_and_alert(engine, [finding("A&<B>")], hook.url(), alert_settings(kind))
    assert outcome.error is None
    body = hook.received[0]
    if kind == "slack":
        assert body["text"].startswith("syncguard check, practice default: 1 new")  # type: ignore[union-attr]
        section = body["blocks"][1]["text"]["text"]  # type: ignore[index]
        assert "A&amp;&lt;B&gt;" in section and "Fix:" in section
    else:
        card = body["attachments"][0]["content"]  # type: ignore[index]
        assert card["type"] == "AdaptiveCard"
        assert any("Full report" in block["text"] for block in card["body"])


def test_alert_test_message(engine: Engine) -> None:
    with webhook_server([]) as hook:
        outcomes = send_test(
            engine,
            "default",
            channels=None,
            settings=alert_settings(),
            environ={"SG_TEST_HOOK": hook.url()},
        )
    assert outcomes[0].error is None and hook.received[0]["event"] == "test"
    assert [a.outcome for a in deliveries(engine, None)] == ["delivered"]


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Mon, 02 Nov 2026 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("soon") is None


def test_two_findings_of_one_identity_are_both_alerted(engine: Engine) -> None:
    # Two WebPT payers of one name, neither with an Alternate ID to be known by.
    twins = [finding("A", value="1001", row=2), finding("A", value="1002", row=3)]
    with webhook_server([]) as hook:
        _, told = run_and_alert(engine, twins, hook.url(), alert_settings())
        assert told.sent == 2
        sent = hook.received[0]["findings"]
        assert sorted(f["message"] for f in sent) == [  # type: ignore[index, union-attr]
            "No CMD payer has sequence number 1001.",
            "No CMD payer has sequence number 1002.",
        ]
        _, quiet = run_and_alert(engine, twins, hook.url(), alert_settings())
        assert quiet.sent == 0
        # A third payer of that name, sorting before both: the alert names it, not an old one.
        third = finding("A", value="1000", row=4)
        _, news = run_and_alert(engine, [third, *twins], hook.url(), alert_settings())
        assert news.sent == 1
        assert [f["message"] for f in hook.received[1]["findings"]] == [  # type: ignore[index]
            "No CMD payer has sequence number 1000."
        ]
