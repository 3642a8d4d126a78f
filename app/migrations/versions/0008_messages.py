"""messages, message_files, message_reads: notes and messages on records, their files, read marks

Revision ID: 0008_messages
Revises: 0007_shared_favourites
"""

import sqlalchemy as sa
from alembic import op

import app.models.base
from app.migrations import raw_ddl

revision = "0008_messages"
down_revision = "0007_shared_favourites"
branch_labels = None
depends_on = None

_AT = app.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_table", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("identity_id", sa.Uuid(), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", _AT, nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_messages_author_id_users")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_messages_created_by_users")),
        sa.ForeignKeyConstraint(["identity_id"], ["identities.id"], name=op.f("fk_messages_identity_id_identities")),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_messages_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    op.create_index(op.f("ix_messages_identity_id"), "messages", ["identity_id"], unique=False)
    op.create_index("ix_messages_record", "messages", ["record_table", "record_id", "created_at"], unique=False)
    op.create_table(
        "message_files",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], name=op.f("fk_message_files_message_id_messages")),
        sa.ForeignKeyConstraint(
            ["sha256"], ["attachment_blobs.sha256"], name=op.f("fk_message_files_sha256_attachment_blobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_files")),
    )
    op.create_index(op.f("ix_message_files_message_id"), "message_files", ["message_id"], unique=False)
    op.create_table(
        "message_reads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("record_table", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("read_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_message_reads_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_reads")),
        sa.UniqueConstraint("user_id", "record_table", "record_id", name="uq_message_reads_user_record"),
    )
    # Other users' views hear of messages written outside the app too; read marks are each user's own.
    raw_ddl.notify_changes(op, ["messages", "message_files"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The office server's read policy of attachment_blobs looks into message_files: dropped with it,
        # the blobs are refused to users' roles until row security is installed again (`server init`).
        op.execute(
            "DO $$ DECLARE p text; BEGIN FOR p IN SELECT policyname FROM pg_policies"
            " WHERE tablename = 'attachment_blobs' AND starts_with(policyname, 'pv_') LOOP"
            " EXECUTE format('DROP POLICY %I ON attachment_blobs', p); END LOOP; END $$"
        )
    op.drop_table("message_reads")
    op.drop_index(op.f("ix_message_files_message_id"), table_name="message_files")
    op.drop_table("message_files")
    op.drop_index("ix_messages_record", table_name="messages")
    op.drop_index(op.f("ix_messages_identity_id"), table_name="messages")
    op.drop_table("messages")
