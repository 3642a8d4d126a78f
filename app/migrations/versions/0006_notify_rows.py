"""live refresh: the app's own writes send the rows they changed; the table trigger stays for other writers

Revision ID: 0006_notify_rows
Revises: 0005_cheques
"""

from alembic import op

from app.migrations.raw_ddl import CHANGES_CHANNEL, NOTIFY_FUNCTION

revision = "0006_notify_rows"
down_revision = "0005_cheques"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NOTIFY_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION peyvand_notify_change() RETURNS trigger LANGUAGE plpgsql"
            " SET search_path = pg_catalog, public, pg_temp AS $$ "
            f"BEGIN PERFORM pg_notify('{CHANGES_CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$"
        )
