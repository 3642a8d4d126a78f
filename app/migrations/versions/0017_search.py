"""identity_order (SQLite): each live identity's rowid and the first characters of its name_sort, kept by
triggers, so the quick search puts many hits in name order reading this small table instead of the
identities' rows (app/services/identities/name_order.py).

Revision ID: 0017_search
Revises: 0016_size
"""

from alembic import op

from app.migrations import raw_ddl

revision = "0017_search"
down_revision = "0016_size"
branch_labels = None
depends_on = None


def upgrade() -> None:
    raw_ddl.create_identity_order(op)


def downgrade() -> None:
    raw_ddl.drop_identity_order(op)
