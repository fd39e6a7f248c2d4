"""Microsoft Teams webhook (a Workflows "post to a channel when a webhook request is received"
flow): a message carrying one Adaptive Card."""

from __future__ import annotations

from typing import Any

from syncguard.ledger.alerts.message import AlertMessage


def payload(message: AlertMessage) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": message.title, "weight": "Bolder", "wrap": True},
        *({"type": "TextBlock", "text": line, "wrap": True} for line in message.lines()),
    ]
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }
