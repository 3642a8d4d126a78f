"""recurring revenue: the admin's recurring plans and an opportunity's recurring amount and plan

The default plans (monthly, quarterly, yearly) are added by the app on first use, through the write path.

Revision ID: 0009_recurring
Revises: 0008_messages
"""

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0009_recurring"
down_revision = "0008_messages"
branch_labels = None
depends_on = None

FK_NAME = "fk_opportunities_recurring_plan_id_recurring_plans"


def upgrade() -> None:
    op.create_table(
        "recurring_plans",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_recurring_plans_created_by_users")),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_recurring_plans_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_plans")),
    )
    op.add_column("opportunities", sa.Column("recurring_amount", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a key only with its column, and batch mode would copy and drop `opportunities`,
        # which every table referencing it refuses.
        op.execute(
            f"ALTER TABLE opportunities ADD COLUMN recurring_plan_id CHAR(32)"
            f" CONSTRAINT {FK_NAME} REFERENCES recurring_plans (id)"
        )
    else:
        op.add_column("opportunities", sa.Column("recurring_plan_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(op.f(FK_NAME), "opportunities", "recurring_plans", ["recurring_plan_id"], ["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE opportunities DROP COLUMN recurring_plan_id")
    else:
        op.drop_constraint(op.f(FK_NAME), "opportunities", type_="foreignkey")
        op.drop_column("opportunities", "recurring_plan_id")
    op.drop_column("opportunities", "recurring_amount")
    op.drop_table("recurring_plans")
