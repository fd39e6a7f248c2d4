"""Deliver one alert with tenacity: bounded retries, backoff with jitter, only on transient errors.

Connection errors, timeouts, HTTP 429 and 5xx (and SMTP 4xx) are transient and retried, after
at least the ``Retry-After`` the server asked for; any other refusal (a 400, a bad password) is
final at once. Every attempt is handed to ``on_attempt`` so the ledger shows each one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from syncguard.config import AlertSettings
from syncguard.ledger.clock import utcnow


class DeliveryError(Exception):
    """A channel refused or could not be reached; the message never holds a secret."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        status: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Attempt:
    """One delivery attempt, as the ledger records it."""

    channel: str
    number: int
    at: datetime
    outcome: str  # delivered | retry | failed
    status: str | None
    detail: str | None
    seconds: float


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 5
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    retry_after_max: float = 300.0

    @classmethod
    def from_settings(cls, settings: AlertSettings) -> RetryPolicy:
        return cls(
            settings.attempts,
            settings.backoff_initial,
            settings.backoff_max,
            settings.retry_after_max,
        )

    def wait(self, state: RetryCallState) -> float:
        """Exponential backoff with jitter, but never sooner than the server's Retry-After."""
        backoff = _backoff(self.backoff_initial, self.backoff_max)(state)
        error = state.outcome.exception() if state.outcome else None
        asked = error.retry_after if isinstance(error, DeliveryError) else None
        if asked is None:
            return backoff
        return min(max(backoff, asked), self.retry_after_max)


def _backoff(initial: float, most: float) -> wait_exponential_jitter:
    """initial * 2**n plus up to ``initial`` of jitter, at most ``most`` seconds."""
    try:
        return wait_exponential_jitter(multiplier=initial, max=most, jitter=initial)
    except TypeError:  # tenacity before 9.1 names it ``initial``
        return wait_exponential_jitter(initial=initial, max=most, jitter=initial)


def _transient(error: BaseException) -> bool:
    return isinstance(error, DeliveryError) and error.transient


def deliver(
    channel: str,
    send: Callable[[], str | None],
    policy: RetryPolicy,
    on_attempt: Callable[[Attempt], None],
) -> int:
    """Call ``send`` until it succeeds; returns the attempts used, or raises the last error."""
    retrying = Retrying(
        stop=stop_after_attempt(policy.attempts),
        wait=policy.wait,
        retry=retry_if_exception(_transient),
        reraise=True,
    )
    for attempt in retrying:
        with attempt:
            number = attempt.retry_state.attempt_number
            _attempt_once(channel, number, send, policy, on_attempt)
    return int(retrying.statistics.get("attempt_number", 1))


def _attempt_once(
    channel: str,
    number: int,
    send: Callable[[], str | None],
    policy: RetryPolicy,
    on_attempt: Callable[[Attempt], None],
) -> None:
    at, started = utcnow(), time.monotonic()
    try:
        status = send()
    except DeliveryError as error:
        again = error.transient and number < policy.attempts
        outcome = "retry" if again else "failed"
        seconds = time.monotonic() - started
        on_attempt(Attempt(channel, number, at, outcome, error.status, str(error), seconds))
        raise
    on_attempt(Attempt(channel, number, at, "delivered", status, None, time.monotonic() - started))
