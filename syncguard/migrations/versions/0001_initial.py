"""The initial registry: CMD records per practice, practice settings, and the change log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _record_table(name: str, key: str, constraint: str, *columns: sa.Column[object]) -> None:
    # Keys and codes are text: a sequence number's or revenue code's leading zeros matter.
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice", sa.String(), nullable=False),
        *columns,
        sa.Column("inactive", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice", key, name=constraint),
    )
    op.create_index(op.f(f"ix_{name}_practice"), name, ["practice"], unique=False)


def _text(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.String(), nullable=nullable)


def upgrade() -> None:
    _record_table(
        "payer",
        "sequence",
        "uq_payer_practice_seq",
        _text("sequence", nullable=False),
        _text("name", nullable=False),
        _text("cpid", nullable=True),
    )
    _record_table(
        "facility",
        "sequence",
        "uq_facility_practice_seq",
        _text("sequence", nullable=False),
        _text("name", nullable=False),
        _text("npi", nullable=True),
        _text("pos", nullable=True),
    )
    _record_table(
        "rendering_provider",
        "sequence",
        "uq_provider_practice_seq",
        _text("sequence", nullable=False),
        _text("last_name", nullable=False),
        _text("first_name", nullable=False),
        _text("credentials", nullable=True),
        _text("npi", nullable=True),
        _text("taxonomy", nullable=True),
    )
    _record_table(
        "referring_provider",
        "npi",
        "uq_referring_practice_npi",
        _text("npi", nullable=False),
        _text("last_name", nullable=False),
        _text("first_name", nullable=False),
        _text("sequence", nullable=True),
    )
    _record_table(
        "procedure_code",
        "code",
        "uq_procedure_practice_code",
        _text("code", nullable=False),
        _text("rev_code", nullable=True),
        _text("description", nullable=True),
    )
    op.create_table(
        "practice_setting",
        _text("practice", nullable=False),
        _text("default_rev_code", nullable=True),
        sa.PrimaryKeyConstraint("practice"),
    )
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("practice", nullable=False),
        _text("kind", nullable=False),
        _text("key", nullable=False),
        _text("action", nullable=False),
        _text("field", nullable=True),
        _text("old_value", nullable=True),
        _text("new_value", nullable=True),
        _text("source_name", nullable=True),
        _text("source_sha256", nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_change_log_key"), "change_log", ["key"], unique=False)
    op.create_index(op.f("ix_change_log_practice"), "change_log", ["practice"], unique=False)


def downgrade() -> None:
    op.drop_table("change_log")
    op.drop_table("practice_setting")
    for name in (
        "procedure_code",
        "referring_provider",
        "rendering_provider",
        "facility",
        "payer",
    ):
        op.drop_index(op.f(f"ix_{name}_practice"), table_name=name)
        op.drop_table(name)
