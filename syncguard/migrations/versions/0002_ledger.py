"""The run ledger: runs, inputs, findings, waivers, alert deliveries, alerted state, audit locks.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _text(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _int(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _time(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _run_id(*, nullable: bool = False, cascade: bool = True) -> list[sa.schema.SchemaItem]:
    return [
        _int("run_id", nullable=nullable),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ledger_run.id"], ondelete="CASCADE" if cascade else None
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "ledger_run",
        _int("id"),
        _text("command"),
        _text("practice"),
        _text("scope"),
        _text("status"),
        _time("started_at"),
        _time("finished_at", nullable=True),
        _text("version"),
        _text("config_digest"),
        _int("exit_code", nullable=True),
        *(_int(name) for name in ("errors", "warnings", "infos", "waived", "new", "resolved")),
        _int("previous_run_id", nullable=True),
        _text("note", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ledger_run_practice", "ledger_run", ["practice"])
    op.create_index("ix_ledger_run_scope_status", "ledger_run", ["scope", "status", "id"])
    op.create_table(
        "ledger_input",
        _int("id"),
        *_run_id(),
        _text("kind"),
        _text("name"),
        _text("sha256"),
        _int("rows"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ledger_input_run_id", "ledger_input", ["run_id"])
    op.create_table(
        "ledger_finding",
        _int("id"),
        *_run_id(),
        *(_text(name) for name in ("fingerprint", "code", "name", "severity", "entity")),
        *(_text(name) for name in ("message", "fix", "record", "key")),
        _text("file", nullable=True),
        _int("row", nullable=True),
        *(_text(name, nullable=True) for name in ("value", "expected", "suggestion")),
        sa.Column("score", sa.Float(), nullable=True),
        _text("drift", nullable=True),
        sa.Column("waived", sa.Boolean(), nullable=False),
        _time("first_seen"),
        _text("previous_severity", nullable=True),
        _text("previous_value", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_ledger_finding_run_fingerprint", "ledger_finding", ["run_id", "fingerprint"]
    )
    _create_waivers_and_alerts()


def _create_waivers_and_alerts() -> None:
    op.create_table(
        "ledger_waiver",
        _int("id"),
        *(_text(name) for name in ("practice", "code", "key", "reason", "created_by")),
        _time("created_at"),
        sa.Column("until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice", "code", "key", name="uq_waiver_code_key"),
    )
    op.create_index("ix_ledger_waiver_practice", "ledger_waiver", ["practice"])
    op.create_table(
        "ledger_alert_delivery",
        _int("id"),
        *_run_id(nullable=True, cascade=False),
        _text("channel"),
        _int("attempt"),
        _time("attempted_at"),
        _text("outcome"),
        _text("status", nullable=True),
        _text("detail", nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ledger_alert_delivery_run_id", "ledger_alert_delivery", ["run_id"])
    op.create_table(
        "ledger_alerted",
        *(_text(name) for name in ("scope", "channel", "fingerprint", "severity")),
        _time("alerted_at"),
        sa.PrimaryKeyConstraint("scope", "channel", "fingerprint"),
    )
    op.create_table(
        "ledger_audit_lock",
        *(_text(name) for name in ("practice", "holder", "host")),
        _int("pid"),
        _time("acquired_at"),
        sa.PrimaryKeyConstraint("practice"),
    )


def downgrade() -> None:
    for table in ("ledger_audit_lock", "ledger_alerted", "ledger_alert_delivery"):
        op.drop_table(table)
    op.drop_index("ix_ledger_waiver_practice", table_name="ledger_waiver")
    op.drop_table("ledger_waiver")
    op.drop_index("ix_ledger_finding_run_fingerprint", table_name="ledger_finding")
    op.drop_table("ledger_finding")
    op.drop_index("ix_ledger_input_run_id", table_name="ledger_input")
    op.drop_table("ledger_input")
    op.drop_index("ix_ledger_run_scope_status", table_name="ledger_run")
    op.drop_index("ix_ledger_run_practice", table_name="ledger_run")
    op.drop_table("ledger_run")
