"""A columnar copy of each kind of records per practice, invalidated by every write.

``syncguard check --referring`` reads up to a million referring providers at once; an Arrow
IPC copy kept in the registry loads in a fraction of the time the rows take. Each write to a
record table bumps the row's ``generation`` and clears its ``data`` in the same transaction, so
a copy is only ever read while it matches the records.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_frame_cache",
        sa.Column("practice", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("practice", "kind"),
    )


def downgrade() -> None:
    op.drop_table("record_frame_cache")
