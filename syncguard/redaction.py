"""Keep secrets out of logs, reports and error messages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_URL_IN_TEXT = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")


def redact_url(url: str) -> str:
    """Return ``url`` with any password replaced by ``***`` (user names are kept: they help)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def redact_secret_url(url: str) -> str:
    """Redact a URL that is itself a secret (webhooks): keep scheme and host, hide the rest."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    return f"{parts.scheme}://{parts.hostname or '?'}/***"


def redact_urls_in(text: str) -> str:
    """Redact the password of every URL found inside free text (error messages)."""
    return _URL_IN_TEXT.sub(lambda match: redact_url(match.group(0)), text)
