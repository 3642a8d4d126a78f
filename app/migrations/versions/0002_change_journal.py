"""change journal: change_log, its one-row clock change_clock, this database's device id; link rows with ids

identity_tags, opportunity_tags and opportunity_competitors are rebuilt with an id of their own (UUIDv7,
made here in Python), so each link is a row the history and the journal can name.

Revision ID: 0002_change_journal
Revises: 0001
"""

import sqlalchemy as sa
import uuid6
from alembic import op

import app.models.base

revision = "0002_change_journal"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("ordinal", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", "ordinal", name=op.f("pk_change_log")),
    )
    op.create_index("ix_change_log_row", "change_log", ["row_id", "seq"], unique=False)
    clock = op.create_table(
        "change_clock",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_clock")),
    )
    op.bulk_insert(clock, [{"id": 1, "seq": 0}])
    settings = sa.table("settings", sa.column("key", sa.String()), sa.column("value", sa.JSON()))
    # One id per database (its installation), made here once: the journal names the device of each change.
    op.bulk_insert(settings, [{"key": "device_id", "value": uuid6.uuid7().hex}])
    _rebuild_links(with_id=True)


# table -> (parent column, linked column, linked table, index on the linked column)
LINKS = {
    "identity_tags": ("identity_id", "tag_id", "tags", True),
    "opportunity_tags": ("opportunity_id", "tag_id", "tags", True),
    "opportunity_competitors": ("opportunity_id", "competitor_id", "competitors", False),
}
PARENTS = {"identity_id": "identities", "opportunity_id": "opportunities"}


def _link_table(name: str, with_id: bool) -> list:
    parent, linked, linked_table, _indexed = LINKS[name]
    columns = [
        sa.Column(parent, sa.Uuid(), nullable=False),
        sa.Column(linked, sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            [parent], [f"{PARENTS[parent]}.id"], name=op.f(f"fk_{name}_{parent}_{PARENTS[parent]}")
        ),
        sa.ForeignKeyConstraint([linked], [f"{linked_table}.id"], name=op.f(f"fk_{name}_{linked}_{linked_table}")),
    ]
    if with_id:
        return [
            *columns,
            sa.Column("id", sa.Uuid(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
            sa.UniqueConstraint(parent, linked, name=op.f(f"uq_{name}_{parent}")),
        ]
    return [*columns, sa.PrimaryKeyConstraint(parent, linked, name=op.f(f"pk_{name}"))]


def _rebuild_links(with_id: bool) -> None:
    """Copies each link table's rows aside, makes the table anew and puts them back (new ids if wanted)."""
    conn = op.get_bind()
    for name, (parent, linked, _table, indexed) in LINKS.items():
        old = sa.table(name, sa.column(parent, sa.Uuid()), sa.column(linked, sa.Uuid()))
        rows = [dict(r._mapping) for r in conn.execute(sa.select(old.c[parent], old.c[linked]))]
        op.drop_table(name)
        table = op.create_table(name, *_link_table(name, with_id))
        if indexed:
            op.create_index(op.f(f"ix_{name}_{linked}"), name, [linked], unique=False)
        if with_id:
            rows = [{"id": uuid6.uuid7(), **r} for r in rows]
        if rows:
            op.bulk_insert(table, rows)


def downgrade() -> None:
    _rebuild_links(with_id=False)
    op.execute("DELETE FROM settings WHERE key = 'device_id'")
    op.drop_table("change_clock")
    op.drop_index("ix_change_log_row", table_name="change_log")
    op.drop_table("change_log")
