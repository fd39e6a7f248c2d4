"""Build the configured channels, reading their secrets from the environment (or .env)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from syncguard.config import AlertSettings, ChannelSettings
from syncguard.errors import ConfigError
from syncguard.ledger.alerts import slack, teams, webhook
from syncguard.ledger.alerts.email import EmailChannel
from syncguard.ledger.alerts.message import AlertMessage
from syncguard.ledger.alerts.webhook import WebhookChannel

RENDERERS = {"slack": slack.payload, "teams": teams.payload, "webhook": webhook.document}


class Channel(Protocol):
    @property
    def name(self) -> str:
        """The channel's name in [alerts.channels]."""

    def send(self, message: AlertMessage) -> str | None:
        """Deliver once; returns the server's status, raises DeliveryError."""


def build_channels(
    names: list[str] | None, settings: AlertSettings, environ: Mapping[str, str]
) -> list[tuple[Channel, ChannelSettings]]:
    """The channels called ``names`` (all configured ones for None), ready to send."""
    configured = settings.channels
    wanted = list(configured) if names is None else names
    for name in wanted:
        if name not in configured:
            known = ", ".join(configured) or "none configured"
            raise ConfigError(f"alert channel '{name}' is not in [alerts.channels]", hint=known)
    return [(build_channel(n, configured[n], settings, environ), configured[n]) for n in wanted]


def build_channel(
    name: str, channel: ChannelSettings, settings: AlertSettings, environ: Mapping[str, str]
) -> Channel:
    if channel.type == "email":
        return _email(name, channel, settings, environ)
    url = _secret(name, channel.url_env, environ)
    assert url is not None  # the config requires url_env for webhook channels
    return WebhookChannel(name, url, settings.timeout, RENDERERS[channel.type])


def _email(
    name: str, channel: ChannelSettings, settings: AlertSettings, environ: Mapping[str, str]
) -> EmailChannel:
    if channel.ca_file is not None and not channel.ca_file.is_file():
        raise ConfigError(f"alert channel '{name}': ca_file {channel.ca_file} not found")
    assert channel.host and channel.sender  # required by the config's validation
    return EmailChannel(
        name=name,
        host=channel.host,
        port=channel.port,
        sender=channel.sender,
        to=channel.to,
        timeout=settings.timeout,
        starttls=channel.starttls,
        username=channel.username,
        password=_secret(name, channel.password_env, environ),
        ca_file=channel.ca_file,
        verify=channel.verify,
    )


def _secret(channel: str, variable: str | None, environ: Mapping[str, str]) -> str | None:
    if variable is None:
        return None
    value = environ.get(variable, "").strip()
    if not value:
        raise ConfigError(
            f"alert channel '{channel}': environment variable {variable} is not set",
            hint="set it in the environment or in .env (secrets never go in the config file)",
        )
    return value
