"""The quick-search index in name order (SQLite): a contentless FTS5 trigram table of the live identities
whose rowid puts each hit in its name's bucket (app/migrations/raw_ddl.py), replacing the external-content
index of every identity and the name-order table identity_order of 0017. A page of a term with many hits
reads its first buckets instead of every hit (app/services/identities/name_order.py).

Revision ID: 0018_name_search
Revises: 0017_search
"""

from alembic import op

from app.migrations import raw_ddl

revision = "0018_name_search"
down_revision = "0017_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # the office server keeps its trigram index
        raw_ddl.drop_identity_order(op)
        raw_ddl.drop_identity_search(op)
        raw_ddl.create_name_search(op)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        raw_ddl.drop_identity_search(op)
        raw_ddl.create_identity_search(op)
        raw_ddl.create_identity_order(op)
