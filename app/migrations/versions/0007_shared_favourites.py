"""saved_searches: a favourite shared read-only with its owner's team (team_id; NULL is private)

Revision ID: 0007_shared_favourites
Revises: 0006_notify_rows
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_shared_favourites"
down_revision = "0006_notify_rows"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite adds a foreign key only by copying the table (nothing references saved_searches).
    with op.batch_alter_table("saved_searches") as batch:
        batch.add_column(sa.Column("team_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(op.f("fk_saved_searches_team_id_sales_teams"), "sales_teams", ["team_id"], ["id"])
        batch.create_index(batch.f("ix_saved_searches_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The office server's policies read team_id: dropped with it, the table refuses its rows to users'
        # roles until row security is installed again (after every migration, `server init`).
        op.execute(
            "DO $$ DECLARE p text; BEGIN FOR p IN SELECT policyname FROM pg_policies"
            " WHERE tablename = 'saved_searches' AND starts_with(policyname, 'pv_') LOOP"
            " EXECUTE format('DROP POLICY %I ON saved_searches', p); END LOOP; END $$"
        )
    with op.batch_alter_table("saved_searches") as batch:
        batch.drop_index(batch.f("ix_saved_searches_team_id"))
        batch.drop_constraint(op.f("fk_saved_searches_team_id_sales_teams"), type_="foreignkey")
        batch.drop_column("team_id")
