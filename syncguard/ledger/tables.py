"""The ledger's tables: runs, their inputs and findings, waivers, alert deliveries and locks.

They live in the registry database beside the CMD records (migration 0002 creates them). Times
are UTC. A run's ``status`` is ``running`` while an audit works, ``complete`` once its findings
are stored (in the same transaction), or ``failed``; drift only ever compares complete runs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class LedgerRun(SQLModel, table=True):
    """One ``check``, ``balance`` or ``audit`` run and its outcome."""

    __tablename__ = "ledger_run"
    __table_args__ = (Index("ix_ledger_run_scope_status", "scope", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    command: str
    practice: str = Field(index=True)
    scope: str
    status: str  # running | complete | failed
    started_at: datetime
    finished_at: datetime | None = None
    version: str
    config_digest: str
    exit_code: int | None = None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    waived: int = 0
    new: int = 0
    resolved: int = 0
    previous_run_id: int | None = None
    note: str | None = None  # why a run failed


class LedgerInput(SQLModel, table=True):
    """An input file of a run: its kind, name (never a full path), sha256 and data rows."""

    __tablename__ = "ledger_input"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="ledger_run.id", index=True, ondelete="CASCADE")
    kind: str
    name: str
    sha256: str
    rows: int


class LedgerFinding(SQLModel, table=True):
    """A finding of a run, with its stable fingerprint and the drift it showed."""

    __tablename__ = "ledger_finding"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="ledger_run.id", index=True, ondelete="CASCADE")
    fingerprint: str
    code: str
    name: str
    severity: str
    entity: str
    message: str
    fix: str
    record: str = ""
    key: str = ""
    file: str | None = None
    row: int | None = None
    value: str | None = None
    expected: str | None = None
    suggestion: str | None = None
    score: float | None = None
    drift: str | None = None
    waived: bool = False
    first_seen: datetime
    previous_severity: str | None = None
    previous_value: str | None = None


class Waiver(SQLModel, table=True):
    """An accepted finding: a code, optionally one record key, why, who, and until when."""

    __tablename__ = "ledger_waiver"
    __table_args__ = (UniqueConstraint("practice", "code", "key", name="uq_waiver_code_key"),)

    id: int | None = Field(default=None, primary_key=True)
    practice: str = Field(index=True)
    code: str
    key: str = ""  # empty: every finding with this code
    reason: str
    created_by: str
    created_at: datetime
    until: date | None = None  # the last day it applies; None: no expiry


class AlertDelivery(SQLModel, table=True):
    """One attempt to deliver one alert to one channel (``run_id`` is None for a test)."""

    __tablename__ = "ledger_alert_delivery"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = Field(default=None, foreign_key="ledger_run.id", index=True)
    channel: str
    attempt: int
    attempted_at: datetime
    outcome: str  # delivered | retry | failed
    status: str | None = None  # HTTP status or SMTP reply code
    detail: str | None = None  # the error, with secrets redacted
    seconds: float = 0.0


class AlertedFinding(SQLModel, table=True):
    """A finding a channel was told about; it is not told again until it resolves."""

    __tablename__ = "ledger_alerted"

    scope: str = Field(primary_key=True)
    channel: str = Field(primary_key=True)
    fingerprint: str = Field(primary_key=True)
    severity: str
    alerted_at: datetime


class AuditLock(SQLModel, table=True):
    """Who runs the audit of a practice now (SQLite; PostgreSQL uses an advisory lock)."""

    __tablename__ = "ledger_audit_lock"

    practice: str = Field(primary_key=True)
    holder: str  # host:pid
    host: str
    pid: int
    acquired_at: datetime


LEDGER_TABLES = (
    LedgerRun,
    LedgerInput,
    LedgerFinding,
    Waiver,
    AlertDelivery,
    AlertedFinding,
    AuditLock,
)
