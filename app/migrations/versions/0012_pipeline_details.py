"""Pipeline details (seed 004): folded stages (admin default and per user), tag colours, team membership

users.team_id is kept as the user's main team (nothing to migrate); team_members holds the teams a user
belongs to besides it. The access policy reads both.

Revision ID: 0012_pipeline_details
Revises: 0011_contracts
"""

import sqlalchemy as sa
from alembic import op

from app.migrations import raw_ddl

revision = "0012_pipeline_details"
down_revision = "0011_contracts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place (ALTER TABLE … ADD COLUMN): a batch copy of stages is refused by the tables pointing at it.
    op.add_column("stages", sa.Column("folded", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("tags", sa.Column("color", sa.String(length=7), nullable=True))
    op.create_table(
        "stage_folds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("stage_id", sa.Uuid(), nullable=False),
        sa.Column("folded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["stage_id"], ["stages.id"], name=op.f("fk_stage_folds_stage_id_stages")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_stage_folds_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_folds")),
        sa.UniqueConstraint("user_id", "stage_id", name="uq_stage_folds_user_id"),
    )
    op.create_index(op.f("ix_stage_folds_stage_id"), "stage_folds", ["stage_id"], unique=False)
    op.create_table(
        "team_members",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["sales_teams.id"], name=op.f("fk_team_members_team_id_sales_teams")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_team_members_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_members")),
        sa.UniqueConstraint("team_id", "user_id", name="uq_team_members_team_id"),
    )
    op.create_index(op.f("ix_team_members_user_id"), "team_members", ["user_id"], unique=False)
    raw_ddl.notify_changes(op, ["stage_folds", "team_members"])  # live refresh on the office server


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The office server's policies that read team_members (followers, saved_searches): dropped with it,
        # those tables refuse their rows to users' roles until row security is installed again (after
        # every migration, `server init`).
        op.execute(
            "DO $$ DECLARE p record; BEGIN FOR p IN SELECT tablename, policyname FROM pg_policies"
            " WHERE starts_with(policyname, 'pv_') AND (coalesce(qual, '') LIKE '%team_members%'"
            " OR coalesce(with_check, '') LIKE '%team_members%') LOOP"
            " EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename); END LOOP; END $$"
        )
    op.drop_index(op.f("ix_team_members_user_id"), table_name="team_members")
    op.drop_table("team_members")
    op.drop_index(op.f("ix_stage_folds_stage_id"), table_name="stage_folds")
    op.drop_table("stage_folds")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): batch mode would copy and drop stages, which other
    # tables' foreign keys refuse.
    op.drop_column("tags", "color")
    op.drop_column("stages", "folded")
