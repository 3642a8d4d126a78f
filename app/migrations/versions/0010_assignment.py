"""Lead assignment: rules per sales team, their members and creators, the assignment log; the teams' and
users' «accepts leads» switches and an opportunity's assignment time

Revision ID: 0010_assignment
Revises: 0009_recurring
"""

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0010_assignment"
down_revision = "0009_recurring"
branch_labels = None
depends_on = None

_WHEN = app.models.base.UTCDateTime(timezone=True)


def _stamps(table: str) -> list:
    """BusinessMixin's columns and foreign keys."""
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", _WHEN, nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f(f"fk_{table}_created_by_users")),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f(f"fk_{table}_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "assignment_rules",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=True),
        sa.Column("city", sa.String(length=60), nullable=True),
        sa.Column("tag_id", sa.Uuid(), nullable=True),
        sa.Column("cap", sa.Integer(), nullable=False),
        sa.Column("cap_period", sa.String(length=8), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("next_turn", sa.Integer(), nullable=False),
        *_stamps("assignment_rules"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_assignment_rules_source_id_sources")),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], name=op.f("fk_assignment_rules_tag_id_tags")),
        sa.ForeignKeyConstraint(["team_id"], ["sales_teams.id"], name=op.f("fk_assignment_rules_team_id_sales_teams")),
    )
    op.create_index("ix_assignment_rules_team_position", "assignment_rules", ["team_id", "position"], unique=False)
    op.create_table(
        "assignment_rule_users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"], ["assignment_rules.id"], name=op.f("fk_assignment_rule_users_rule_id_assignment_rules")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_assignment_rule_users_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_rule_users")),
    )
    op.create_index(op.f("ix_assignment_rule_users_rule_id"), "assignment_rule_users", ["rule_id"], unique=False)
    op.create_table(
        "assignment_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("record_table", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("assigned_by", sa.Uuid(), nullable=True),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["assigned_by"], ["users.id"], name=op.f("fk_assignment_log_assigned_by_users")),
        sa.ForeignKeyConstraint(
            ["rule_id"], ["assignment_rules.id"], name=op.f("fk_assignment_log_rule_id_assignment_rules")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_assignment_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_log")),
    )
    op.create_index("ix_assignment_log_at", "assignment_log", ["at"], unique=False)
    op.create_index("ix_assignment_log_record", "assignment_log", ["record_table", "record_id"], unique=False)
    op.create_index("ix_assignment_log_user_at", "assignment_log", ["user_id", "at"], unique=False)
    # Plain nullable/defaulted columns: SQLite adds them in place, no batch copy needed.
    op.add_column("opportunities", sa.Column("assigned_at", _WHEN, nullable=True))
    # Opportunities made before: their owner was theirs from creation (the best the history says).
    op.execute("UPDATE opportunities SET assigned_at = created_at WHERE owner_id IS NOT NULL")
    op.add_column("sales_teams", sa.Column("accepts_leads", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column("users", sa.Column("accepts_leads", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): batch mode would copy and drop users, stages and
    # opportunities, which other tables' foreign keys refuse.
    op.drop_column("users", "accepts_leads")
    op.drop_column("sales_teams", "accepts_leads")
    op.drop_column("opportunities", "assigned_at")
    op.drop_table("assignment_log")
    op.drop_table("assignment_rule_users")
    op.drop_table("assignment_rules")
