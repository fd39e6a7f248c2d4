"""Slack incoming webhook: a ``text`` fallback plus Block Kit sections (mrkdwn)."""

from __future__ import annotations

from typing import Any

from syncguard.ledger.alerts.message import AlertMessage

MAX_SECTION = 2900  # Slack rejects a section text over 3000 characters


def payload(message: AlertMessage) -> dict[str, Any]:
    body = "\n".join(f"• {_escape(line)}" for line in message.lines())
    return {
        "text": message.title,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body[:MAX_SECTION]}},
        ],
    }


def _escape(text: str) -> str:
    # Slack's three control characters; names like "A&B Therapy" must not become markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
