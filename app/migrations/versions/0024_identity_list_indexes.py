"""The identities' list indexes (issue 20): six on SQLite no longer end in `id`; the sort by last change gets one.

A SQLite index entry already ends in its row's rowid, so a trailing id (32 characters) repeated itself in
every entry: 266 of the 2,313 bytes each identity took at 1M. The lists still order by (sort key, id):
where few rows share a key (a name; a name within a role, category, owner or source) SQLite sorts them by
id as it reads them, which reads the id from the table: about half a millisecond more for a page of 200
(bench/identities.py at 1M: the quick search as before; the dock's first screen 29 to 35-55 ms, the scroll
to the end 10-20% longer, still linear). The created, city and mobile indexes keep their id: an import's rows share one
timestamp, and the rows without a city or a mobile share one key. The office server keeps its (…, id)
indexes, which its index-only walks read (PostgreSQL has no rowid).

The list's sort by last change («آخرین تغییر») had no index: every page sorted every row (2.6 s at 1M).
It now walks (updated_at, id) on both databases: 68 bytes per identity at 1M.

Revision ID: 0024_identity_list_indexes
Revises: 0023_identities_name_brin
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_identity_list_indexes"
down_revision = "0023_identities_name_brin"
branch_labels = None
depends_on = None

_LIVE = "deleted_at IS NULL AND merged_into_id IS NULL"
_INDEXES = {
    "ix_identities_live_name": ["name_key"],
    "ix_identities_live_sort": ["name_sort"],
    "ix_identities_live_role_sort": ["role", "name_sort"],
    "ix_identities_live_category_sort": ["category_id", "name_sort"],
    "ix_identities_live_owner_sort": ["owner_id", "name_sort"],
    "ix_identities_live_source_sort": ["source_id", "name_sort"],
}


def _rebuild(ending: list[str]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, columns in _INDEXES.items():
        op.drop_index(name, table_name="identities")
        op.create_index(name, "identities", [*columns, *ending], sqlite_where=sa.text(_LIVE))


def upgrade() -> None:
    _rebuild([])
    op.create_index(
        "ix_identities_live_updated",
        "identities",
        ["updated_at", "id"],
        sqlite_where=sa.text(_LIVE),
        postgresql_where=sa.text(_LIVE),
    )


def downgrade() -> None:
    op.drop_index("ix_identities_live_updated", table_name="identities")
    _rebuild(["id"])
