"""Ledger findings indexed by run only: recording a run of 100,000 findings kept a second copy
of every fingerprint in random order, about a third of the insert's time.

Drift reads a run's findings by ``run_id`` (in id order, which this index keeps) and loads the
resolved ones again by id, so nothing looks findings up by fingerprint any more.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_ledger_finding_run_fingerprint", table_name="ledger_finding")
    op.create_index("ix_ledger_finding_run_id", "ledger_finding", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_ledger_finding_run_id", table_name="ledger_finding")
    op.create_index(
        "ix_ledger_finding_run_fingerprint", "ledger_finding", ["run_id", "fingerprint"]
    )
