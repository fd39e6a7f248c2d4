"""What each channel has been told: delivery attempts, and the findings already alerted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from syncguard.db import read_connection, write_transaction
from syncguard.findings import Severity
from syncguard.ledger.alerts.delivery import Attempt
from syncguard.ledger.clock import as_utc
from syncguard.ledger.tables import AlertDelivery, AlertedFinding

DELIVERY = AlertDelivery.__table__  # type: ignore[attr-defined]
ALERTED = AlertedFinding.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Alerted:
    severity: Severity
    at: datetime


def record_attempt(engine: Engine, run_id: int | None, attempt: Attempt) -> None:
    """Store one attempt at once, in its own transaction (it survives a later crash)."""
    with write_transaction(engine) as connection:
        connection.execute(
            insert(DELIVERY).values(
                run_id=run_id,
                channel=attempt.channel,
                attempt=attempt.number,
                attempted_at=as_utc(attempt.at),
                outcome=attempt.outcome,
                status=attempt.status,
                detail=attempt.detail,
                seconds=round(attempt.seconds, 3),
            )
        )


def deliveries(engine: Engine, run_id: int | None) -> list[Attempt]:
    """The attempts of a run (``None``: of the test alerts), oldest first."""
    where = DELIVERY.c.run_id.is_(None) if run_id is None else DELIVERY.c.run_id == run_id
    query = select(DELIVERY).where(where).order_by(DELIVERY.c.id)
    with read_connection(engine) as connection:
        return [
            Attempt(
                r.channel,
                r.attempt,
                as_utc(r.attempted_at) or r.attempted_at,
                r.outcome,
                r.status,
                r.detail,
                r.seconds,
            )
            for r in connection.execute(query)
        ]


def alerted(engine: Engine, scope: str, channel: str) -> dict[str, Alerted]:
    query = select(ALERTED).where(ALERTED.c.scope == scope, ALERTED.c.channel == channel)
    with read_connection(engine) as connection:
        return {
            r.fingerprint: Alerted(Severity.parse(r.severity), as_utc(r.alerted_at) or r.alerted_at)
            for r in connection.execute(query)
        }


def update_alerted(
    engine: Engine,
    scope: str,
    channel: str,
    *,
    sent: dict[str, Severity],
    gone: set[str],
    at: datetime,
) -> None:
    """Remember what was just sent; forget what resolved (so it alerts again if it returns)."""
    forget = gone | set(sent)
    with write_transaction(engine) as connection:
        for chunk in _chunks(sorted(forget)):
            connection.execute(
                delete(ALERTED).where(
                    ALERTED.c.scope == scope,
                    ALERTED.c.channel == channel,
                    ALERTED.c.fingerprint.in_(chunk),
                )
            )
        rows = [
            {
                "scope": scope,
                "channel": channel,
                "fingerprint": key,
                "severity": severity.label,
                "alerted_at": as_utc(at),
            }
            for key, severity in sent.items()
        ]
        if rows:
            connection.execute(insert(ALERTED), rows)


def _chunks(keys: list[str], size: int = 500) -> list[list[str]]:
    return [keys[start : start + size] for start in range(0, len(keys), size)]
