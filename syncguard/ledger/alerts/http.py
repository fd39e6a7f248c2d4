"""POST a JSON document to a webhook with the standard library, translating every failure.

The webhook URL is a secret (whoever has it can post to the channel): errors name only its
scheme and host (``redact_secret_url``). Redirects are not followed: a webhook that redirects
is misconfigured, and following one would turn the POST into a GET.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from syncguard import __version__
from syncguard.ledger.alerts.delivery import DeliveryError
from syncguard.redaction import redact_secret_url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, document: object, *, timeout: float) -> str:
    """POST ``document``; returns the HTTP status, or raises DeliveryError."""
    where = redact_secret_url(url)
    request = urllib.request.Request(
        url,
        data=json.dumps(document).encode("utf-8"),
        headers={"Content-Type": "application/json", "User-Agent": f"syncguard/{__version__}"},
        method="POST",
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read()
            return str(response.status)
    except urllib.error.HTTPError as error:
        raise _http_error(where, error) from None
    except urllib.error.URLError as error:
        reason = str(error.reason).replace(url, where)
        raise DeliveryError(f"cannot reach {where}: {reason}", transient=True) from None
    except (TimeoutError, OSError) as error:
        reason = str(error).replace(url, where) or type(error).__name__
        raise DeliveryError(f"no answer from {where}: {reason}", transient=True) from None
    except ValueError:
        raise DeliveryError(f"webhook URL {where} is not a valid URL", transient=False) from None


def _http_error(where: str, error: urllib.error.HTTPError) -> DeliveryError:
    status = error.code
    transient = status == 429 or status >= 500
    retry_after = parse_retry_after(error.headers.get("Retry-After") if error.headers else None)
    error.close()
    return DeliveryError(
        f"{where} answered HTTP {status} {error.reason}",
        transient=transient,
        status=str(status),
        retry_after=retry_after,
    )


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
