"""Decide what each channel must hear about a run, send it, and remember what it was told.

A channel hears about a finding at or above its ``min_severity`` that it was not told about
yet, that got worse since, or (with ``remind_after``) that it was told about that many days
ago; and, with ``resolutions``, about findings that resolved. Waived findings never alert. A
channel that fails keeps its state, so the next run tells it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from syncguard.config import AlertSettings
from syncguard.findings import CheckResult, Finding, Severity
from syncguard.ledger.alerts.channels import Channel, build_channels
from syncguard.ledger.alerts.delivery import Attempt, DeliveryError, RetryPolicy, deliver
from syncguard.ledger.alerts.message import AlertMessage
from syncguard.ledger.alerts.state import Alerted, alerted, record_attempt, update_alerted
from syncguard.ledger.clock import utcnow
from syncguard.ledger.drift import resolved_of
from syncguard.ledger.fingerprint import recorded_fingerprints


@dataclass(frozen=True, slots=True)
class ChannelOutcome:
    channel: str
    sent: int  # findings the alert named (0: nothing to say, nothing sent)
    attempts: int
    error: str | None = None


def send_alerts(
    engine: Engine,
    result: CheckResult,
    *,
    run_id: int | None,
    scope: str,
    channels: list[str],
    settings: AlertSettings,
    environ: Mapping[str, str],
    report: str | None = None,
) -> list[ChannelOutcome]:
    """Alert every channel in ``channels`` about the drift in ``result``."""
    now = utcnow()
    pairs = zip(recorded_fingerprints(result), result.findings, strict=True)
    keyed = {key: f for key, f in pairs if not f.waived}
    outcomes = []
    for channel, config in build_channels(channels, settings, environ):
        minimum = Severity.parse(config.min_severity)
        told = alerted(engine, scope, channel.name)
        items = {k: f for k, f in keyed.items() if _due(f, told.get(k), minimum, settings, now)}
        resolved = [f for f in resolved_of(result) if config.resolutions and f.severity >= minimum]
        gone = set(told) - set(keyed)
        outcome = ChannelOutcome(channel.name, 0, 0)
        if items or resolved:
            message = AlertMessage(
                result.practice,
                result.command,
                _worst_first(items.values()),
                resolved,
                settings.max_items,
                run_id,
                report,
            )
            outcome = _send(engine, channel, message, RetryPolicy.from_settings(settings), run_id)
        if outcome.error is None:
            sent = {k: f.severity for k, f in items.items()}
            update_alerted(engine, scope, channel.name, sent=sent, gone=gone, at=now)
        outcomes.append(outcome)
    return outcomes


def send_test(
    engine: Engine,
    practice: str,
    *,
    channels: list[str] | None,
    settings: AlertSettings,
    environ: Mapping[str, str],
) -> list[ChannelOutcome]:
    """Send a test message to each channel (all configured ones for None)."""
    message = AlertMessage(practice, "alert test", [], test=True)
    policy = RetryPolicy.from_settings(settings)
    return [
        _send(engine, channel, message, policy, None)
        for channel, _ in build_channels(channels, settings, environ)
    ]


def _send(
    engine: Engine, channel: Channel, message: AlertMessage, policy: RetryPolicy, run_id: int | None
) -> ChannelOutcome:
    attempts: list[int] = []

    def on_attempt(attempt: Attempt) -> None:
        attempts.append(1)
        record_attempt(engine, run_id, attempt)

    try:
        deliver(channel.name, lambda: channel.send(message), policy, on_attempt)
    except DeliveryError as error:
        return ChannelOutcome(channel.name, len(message.items), len(attempts), str(error))
    return ChannelOutcome(channel.name, len(message.items), len(attempts))


def _due(
    finding: Finding,
    told: Alerted | None,
    minimum: Severity,
    settings: AlertSettings,
    now: datetime,
) -> bool:
    if finding.severity < minimum:
        return False
    if told is None or finding.severity > told.severity:
        return True
    remind = settings.remind_after
    return remind is not None and now - told.at >= timedelta(days=remind)


def _worst_first(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity, f.drift != "new", f.code, f.key))
