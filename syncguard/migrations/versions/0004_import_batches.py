"""Import batches: the change log names its source once per import, and added records by range.

Every change-log row used to repeat its file name, sha256 and time, and an import of a million
new records wrote a million "insert" rows. Now an ``import_batch`` row holds the source and
time, change-log rows point at it, and the records a batch added are the ids from
``first_record_id`` to ``last_record_id`` of its practice in its kind's table. Insert rows
logged before this revision stay as they are (``registry history`` reads both).

Each record table's unique (practice, key) constraint becomes a unique index of the same name,
which an import into an empty table can drop and build again once, at the end.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# table -> (kind as the change log names it, key column, unique constraint / index name)
RECORD_TABLES = {
    "payer": ("payers", "sequence", "uq_payer_practice_seq"),
    "facility": ("facilities", "sequence", "uq_facility_practice_seq"),
    "rendering_provider": ("providers", "sequence", "uq_provider_practice_seq"),
    "referring_provider": ("referring", "npi", "uq_referring_practice_npi"),
    "procedure_code": ("procedures", "code", "uq_procedure_practice_code"),
}
SOURCE_COLUMNS = ("source_name", "source_sha256")


def _same(left: str, right: str) -> str:
    """Null-safe equality (both sources of a manual edit have no sha256)."""
    if op.get_bind().dialect.name == "postgresql":
        return f"{left} IS NOT DISTINCT FROM {right}"
    return f"{left} IS {right}"


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("source_name", sa.String(), nullable=True),
        sa.Column("source_sha256", sa.String(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_record_id", sa.Integer(), nullable=True),
        sa.Column("last_record_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    # One batch per import as the change log knew it (same practice, kind, source and time),
    # numbered in the order the imports happened.
    op.execute(
        "INSERT INTO import_batch (practice, kind, source_name, source_sha256, changed_at) "
        "SELECT practice, kind, source_name, source_sha256, changed_at FROM change_log "
        "GROUP BY practice, kind, source_name, source_sha256, changed_at ORDER BY min(id)"
    )
    op.create_index("tmp_import_batch_lookup", "import_batch", ["practice", "kind", "changed_at"])
    with op.batch_alter_table("change_log") as batch:
        batch.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
    matches = " AND ".join(
        [
            "b.practice = change_log.practice",
            "b.kind = change_log.kind",
            "b.changed_at = change_log.changed_at",
            *(_same(f"b.{name}", f"change_log.{name}") for name in SOURCE_COLUMNS),
        ]
    )
    op.execute(
        f"UPDATE change_log SET batch_id = (SELECT b.id FROM import_batch b WHERE {matches})"
    )
    op.drop_index("tmp_import_batch_lookup", table_name="import_batch")
    with op.batch_alter_table("change_log") as batch:
        batch.alter_column("batch_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_change_log_batch", "import_batch", ["batch_id"], ["id"])
        for name in (*SOURCE_COLUMNS, "changed_at"):
            batch.drop_column(name)
    for table, (_kind, key, name) in RECORD_TABLES.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(name, type_="unique")
        op.create_index(name, table, ["practice", key], unique=True)


def downgrade() -> None:
    for table, (_kind, key, name) in RECORD_TABLES.items():
        op.drop_index(name, table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.create_unique_constraint(name, ["practice", key])
    with op.batch_alter_table("change_log") as batch:
        batch.add_column(sa.Column("source_name", sa.String(), nullable=True))
        batch.add_column(sa.Column("source_sha256", sa.String(), nullable=True))
        batch.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
    for name in (*SOURCE_COLUMNS, "changed_at"):
        op.execute(
            f"UPDATE change_log SET {name} = "
            f"(SELECT b.{name} FROM import_batch b WHERE b.id = change_log.batch_id)"
        )
    # The records a batch added by range get their "insert" rows back.
    for table, (kind, key, _name) in RECORD_TABLES.items():
        op.execute(
            "INSERT INTO change_log (practice, kind, key, action, source_name, source_sha256, "
            f"changed_at, batch_id) SELECT r.practice, '{kind}', r.{key}, 'insert', "
            "b.source_name, b.source_sha256, b.changed_at, b.id "
            f"FROM import_batch b JOIN {table} r ON r.practice = b.practice "
            "AND r.id BETWEEN b.first_record_id AND b.last_record_id "
            f"WHERE b.kind = '{kind}' ORDER BY b.id, r.id"
        )
    with op.batch_alter_table("change_log") as batch:
        batch.alter_column("changed_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_constraint("fk_change_log_batch", type_="foreignkey")
        batch.drop_column("batch_id")
    op.drop_table("import_batch")
