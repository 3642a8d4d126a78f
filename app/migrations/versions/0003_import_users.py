"""users.must_change_password: a temporary password the user replaces at first login

Revision ID: 0003_import_users
Revises: 0002_change_journal
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_import_users"
down_revision = "0002_change_journal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: batch mode would copy and drop `users`, which the other tables' keys refuse.
    op.add_column("users", sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.drop_column("users", "must_change_password")
