"""The office server's name order with each identity's search_blob in the index (raw_ddl's
IDENTITY_WALK_POSTGRESQL), and by owner for a rep's walk (peyvand_identity_walk, made again by the row
security every migration installs): a quick search walks up to 20,000 names (a rep's, 6,000) without reading the table
(app.services.identities.list_pages), where its window of 6,000 rows read from the table found too few
hits for a family name (1.4% of the names, none of them in the first 6,000) and the hits were fetched and
sorted (45-60 ms at 1M). SQLite keeps its own index (0018).

Revision ID: 0022_search_walk_index
Revises: 0021_rep_search_walk
"""

from alembic import op

from app.migrations.raw_ddl import IDENTITY_WALK_POSTGRESQL

revision = "0022_search_walk_index"
down_revision = "0021_rep_search_walk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in IDENTITY_WALK_POSTGRESQL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for index in ("ix_identities_walk", "ix_identities_owner_walk", "ix_identities_walk_long"):
            op.execute(f"DROP INDEX IF EXISTS {index}")
