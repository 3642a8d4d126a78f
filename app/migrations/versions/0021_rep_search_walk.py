"""The office server's peyvand_identity_walk(): a rep's quick search in name order when the term has more
hits than peyvand_identity_hits' cap (app/services/server/search_walk.py). The function is made by the
row security that every migration on the server installs again (app.services.core.migrations); SQLite
has nothing to change.

Revision ID: 0021_rep_search_walk
Revises: 0020_inside_search
"""

revision = "0021_rep_search_walk"
down_revision = "0020_inside_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing here: the server's row security, installed again after this migration, makes the function."""


def downgrade() -> None:
    """Nothing here: the function stays, unused by the older app."""
