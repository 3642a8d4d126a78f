"""change journal: change_log, its one-row clock change_clock, and this database's device id

Revision ID: 0002_change_journal
Revises: 0001
"""

import sqlalchemy as sa
import uuid6
from alembic import op

import app.models.base

revision = "0002_change_journal"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("ordinal", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", "ordinal", name=op.f("pk_change_log")),
    )
    op.create_index("ix_change_log_row", "change_log", ["row_id", "seq"], unique=False)
    clock = op.create_table(
        "change_clock",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_clock")),
    )
    op.bulk_insert(clock, [{"id": 1, "seq": 0}])
    settings = sa.table("settings", sa.column("key", sa.String()), sa.column("value", sa.JSON()))
    # One id per database (its installation), made here once: the journal names the device of each change.
    op.bulk_insert(settings, [{"key": "device_id", "value": uuid6.uuid7().hex}])


def downgrade() -> None:
    op.execute("DELETE FROM settings WHERE key = 'device_id'")
    op.drop_table("change_clock")
    op.drop_index("ix_change_log_row", table_name="change_log")
    op.drop_table("change_log")
