"""The office server's identities: a BRIN index of name_sort (raw_ddl's IDENTITY_NAME_BRIN_POSTGRESQL).
A term whose hits sort together («مهندسی» inside 50,000 company names) had every hit fetched and sorted
for its first page (40 ms at 1M); a probe of the first hits in the table's order (which is name order)
now gives a name the page cannot pass, and this index limits the hits read to the pages before it
(app.services.identities.list_pages, app.services.server.search_walk). SQLite has its own plan.

Revision ID: 0023_identities_name_brin
Revises: 0022_search_walk_index
"""

from alembic import op

from app.migrations.raw_ddl import IDENTITY_NAME_BRIN_POSTGRESQL

revision = "0023_identities_name_brin"
down_revision = "0022_search_walk_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(IDENTITY_NAME_BRIN_POSTGRESQL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_identities_name_brin")
