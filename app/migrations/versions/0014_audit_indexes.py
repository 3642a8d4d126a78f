"""audit_log: a record's history reads its own entries through (record_id, at) and its children's through
a partial (parent_id, at). The old (record_table, record_id, at) could not serve the history tab's
`record_id = ? OR parent_id = ?`, which scanned the whole log; entries without a parent leave the second.

Revision ID: 0014_audit_indexes
Revises: 0013_report_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_audit_indexes"
down_revision = "0013_report_index"
branch_labels = None
depends_on = None

_HAS_PARENT = sa.text("parent_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_audit_log_record", table_name="audit_log")
    op.create_index("ix_audit_log_record", "audit_log", ["record_id", "at"])
    op.drop_index("ix_audit_log_parent", table_name="audit_log")
    op.create_index(
        "ix_audit_log_parent",
        "audit_log",
        ["parent_id", "at"],
        sqlite_where=_HAS_PARENT,
        postgresql_where=_HAS_PARENT,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_log_parent", table_name="audit_log")
    op.create_index("ix_audit_log_parent", "audit_log", ["parent_id", "at"])
    op.drop_index("ix_audit_log_record", table_name="audit_log")
    op.create_index("ix_audit_log_record", "audit_log", ["record_table", "record_id", "at"])
