"""Offline sync: the office's device registry and batch ledger, conflicts, a laptop's state and outbox;
the journal's edit time of a laptop's change; a laptop's quote numbers under its device code and an
invoice's provisional number until the office gives the legal one (shared/design/sync.md §2).

Revision ID: 0015_sync
Revises: 0014_audit_indexes
"""

import sqlalchemy as sa
from alembic import op

import app.models.base


revision = "0015_sync"
down_revision = "0014_audit_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_outbox",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("base_seq", sa.BigInteger(), nullable=False),
        sa.Column("hlc", sa.String(length=40), nullable=False),
        sa.Column("batch_no", sa.BigInteger(), nullable=True),
        sa.Column("schema_version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_outbox")),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=80), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("server_value", sa.JSON(), nullable=True),
        sa.Column("device_value", sa.JSON(), nullable=True),
        sa.Column("server_user_id", sa.Uuid(), nullable=True),
        sa.Column("server_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("device_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("other_row_id", sa.String(length=80), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
        sa.Column("resolved_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_sync_conflicts_created_by_users")),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_sync_conflicts_updated_by_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sync_conflicts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflicts_row", ["table_name", "row_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflicts_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflicts_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sync_devices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("registered_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_batch_no", sa.BigInteger(), nullable=False),
        sa.Column("last_pull_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seen_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("schema_version", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["registered_by"], ["users.id"], name=op.f("fk_sync_devices_registered_by_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sync_devices_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_devices")),
        sa.UniqueConstraint("code", name=op.f("uq_sync_devices_code")),
    )
    with op.batch_alter_table("sync_devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_devices_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sync_batches",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("batch_no", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("applied_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["sync_devices.id"], name=op.f("fk_sync_batches_device_id_sync_devices")
        ),
        sa.PrimaryKeyConstraint("device_id", "batch_no", name=op.f("pk_sync_batches")),
    )
    with op.batch_alter_table("sync_batches", schema=None) as batch_op:
        batch_op.create_index("ix_sync_batches_batch", ["device_id", "batch_id"], unique=True)

    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edited_at", app.models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provisional_number", sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_invoices_provisional_number"), ["provisional_number"])

    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_code", sa.String(length=8), server_default="", nullable=False))
        batch_op.drop_index(batch_op.f("ix_quotes_year_number"))
        batch_op.create_index("ix_quotes_year_number", ["fiscal_year", "device_code", "number"], unique=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # On an office server the followers' policy names every owned table, sync_conflicts too, and the
        # journal's names every synced table (app.services.server.security): dropped here, made again by
        # install_row_security after the next upgrade (as in 0011_contracts).
        op.execute(
            "DO $$ DECLARE p record; BEGIN FOR p IN SELECT policyname, tablename FROM pg_policies"
            " WHERE tablename IN ('followers', 'change_log') AND starts_with(policyname, 'pv_') LOOP"
            " EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename); END LOOP; END $$"
        )
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_index("ix_quotes_year_number")
        batch_op.create_index(batch_op.f("ix_quotes_year_number"), ["fiscal_year", "number"], unique=1)
        batch_op.drop_column("device_code")

    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_invoices_provisional_number"), type_="unique")
        batch_op.drop_column("provisional_number")

    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_column("edited_at")

    with op.batch_alter_table("sync_batches", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_batches_batch")

    op.drop_table("sync_batches")
    with op.batch_alter_table("sync_devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_devices_user_id"))

    op.drop_table("sync_devices")
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflicts_user_id"))
        batch_op.drop_index(batch_op.f("ix_sync_conflicts_status"))
        batch_op.drop_index("ix_sync_conflicts_row")

    op.drop_table("sync_conflicts")
    op.drop_table("sync_state")
    op.drop_table("sync_outbox")
