"""The generic JSON webhook channel, and the webhook sender Slack and Teams share.

The generic document is versioned (``schema_version``) so a receiver can rely on its shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from syncguard import __version__
from syncguard.findings import Finding
from syncguard.ledger.alerts.http import post_json
from syncguard.ledger.alerts.message import AlertMessage

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class WebhookChannel:
    """A channel that POSTs ``render(message)`` as JSON to a secret URL."""

    name: str
    url: str
    timeout: float
    render: Callable[[AlertMessage], dict[str, Any]]

    def send(self, message: AlertMessage) -> str | None:
        return post_json(self.url, self.render(message), timeout=self.timeout)

    def __repr__(self) -> str:  # never show the URL
        return f"WebhookChannel({self.name!r})"


def document(message: AlertMessage) -> dict[str, Any]:
    """The generic webhook's JSON document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "event": "test" if message.test else "drift",
        "syncguard_version": __version__,
        "practice": message.practice,
        "command": message.command,
        "run_id": message.run_id,
        "title": message.title,
        "counts": message.severity_counts(),
        "findings": [_item(f) for f in message.shown()],
        "more": message.hidden(),
        "resolved": [_item(f) for f in message.resolved],
        "report": message.report,
        "text": "\n".join(message.lines()),
    }


def _item(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "drift": finding.drift,
        "entity": finding.entity,
        "record": finding.record,
        "key": finding.key,
        "message": finding.message,
        "fix": finding.fix,
        "first_seen": finding.first_seen.isoformat() if finding.first_seen else None,
    }
