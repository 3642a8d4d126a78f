"""The office server's quick search in name order: a trigram index of each search key past its first
character, for the hits inside names (app.services.identities.list_pages). A word that begins many
names («شرکت», «محمدرضا») took a second or two at 1M identities: the plan either fetched and sorted all
its hits or walked the name order to where those names are. SQLite has its own index (0018).

Revision ID: 0020_inside_search
Revises: 0019_card_customers
"""

from alembic import op

from app.migrations.raw_ddl import IDENTITY_INSIDE_POSTGRESQL

revision = "0020_inside_search"
down_revision = "0019_card_customers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(IDENTITY_INSIDE_POSTGRESQL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_identities_inside_trgm")
