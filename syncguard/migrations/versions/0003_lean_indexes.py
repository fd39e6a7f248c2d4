"""Leaner registry indexes: imports of a million rows spend their time maintaining indexes.

Each record table's unique (practice, key) constraint already serves lookups by practice, so
the separate practice indexes go; the change log's two single-column indexes become one on
(practice, kind, key), the lookup ``registry history`` makes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

RECORD_TABLES = ("payer", "facility", "rendering_provider", "referring_provider", "procedure_code")


def upgrade() -> None:
    for table in RECORD_TABLES:
        op.drop_index(f"ix_{table}_practice", table_name=table)
    op.drop_index("ix_change_log_key", table_name="change_log")
    op.drop_index("ix_change_log_practice", table_name="change_log")
    op.create_index("ix_change_log_record", "change_log", ["practice", "kind", "key"])


def downgrade() -> None:
    op.drop_index("ix_change_log_record", table_name="change_log")
    op.create_index("ix_change_log_practice", "change_log", ["practice"])
    op.create_index("ix_change_log_key", "change_log", ["key"])
    for table in RECORD_TABLES:
        op.create_index(f"ix_{table}_practice", table, ["practice"])
