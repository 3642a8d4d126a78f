"""The office server's peyvand_opportunity_customers(): a rep's board reads its cards' customers' names
by the cards' ids (app/services/server/card_customers.py). The function is made by the row security
that every migration on the server installs again (app.services.core.migrations); SQLite has nothing
to change.

Revision ID: 0019_card_customers
Revises: 0018_name_search
"""

revision = "0019_card_customers"
down_revision = "0018_name_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing here: the server's row security, installed again after this migration, makes the function."""


def downgrade() -> None:
    """Nothing here: the function stays, unused by the older app."""
