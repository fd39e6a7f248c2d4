"""Alerts: one module per channel (Slack, Teams, generic webhook, email), tenacity delivery, and
the per-channel memory of what was already said."""
