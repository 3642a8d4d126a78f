"""Persian alphabetical order: a sort key column with its own index on the lists people read by name

identities.name_sort and city_sort, opportunities.title_sort, products.name_sort, users.name_sort,
categories.name_sort and sources.name_sort hold app.persian.sort_key of the name (title, city); the
identities' and opportunities' sort indexes move from the search keys to them (the quick search
keeps ix_identities_live_name on name_key for its name prefix).

Revision ID: 0004_sort_keys
Revises: 0003_import_users
"""

import sqlalchemy as sa
from alembic import op

from app.persian import sort_key

revision = "0004_sort_keys"
down_revision = "0003_import_users"
branch_labels = None
depends_on = None

BATCH = 2000
# (table, key column, source column)
KEYS = [
    ("identities", "name_sort", "display_name"),
    ("identities", "city_sort", "primary_city"),
    ("opportunities", "title_sort", "title"),
    ("products", "name_sort", "name"),
    ("users", "name_sort", "display_name"),
    ("categories", "name_sort", "name"),
    ("sources", "name_sort", "name"),
]
_LIVE = "deleted_at IS NULL AND merged_into_id IS NULL"
# (new index, old index it replaces or None, table, columns, partial on live identities)
INDEXES = [
    ("ix_identities_live_sort", None, "identities", ["name_sort", "id"], True),
    ("ix_identities_live_role_sort", "ix_identities_live_role_name", "identities", ["role", "name_sort", "id"], True),
    ("ix_identities_live_city_sort", "ix_identities_live_city", "identities", ["city_sort", "id"], True),
    (
        "ix_identities_live_category_sort",
        "ix_identities_live_category_name",
        "identities",
        ["category_id", "name_sort", "id"],
        True,
    ),
    (
        "ix_identities_live_owner_sort",
        "ix_identities_live_owner_name",
        "identities",
        ["owner_id", "name_sort", "id"],
        True,
    ),
    (
        "ix_identities_live_source_sort",
        "ix_identities_live_source_name",
        "identities",
        ["source_id", "name_sort", "id"],
        True,
    ),
    (
        "ix_opportunities_status_title_sort",
        "ix_opportunities_status_title",
        "opportunities",
        ["status", "title_sort", "id"],
        False,
    ),
    ("ix_products_name_sort", None, "products", ["name_sort", "id"], False),
    ("ix_users_name_sort", None, "users", ["name_sort", "id"], False),
    ("ix_categories_name_sort", None, "categories", ["name_sort", "id"], False),
    ("ix_sources_name_sort", None, "sources", ["name_sort", "id"], False),
]
_OLD_COLUMNS = {
    "ix_identities_live_role_name": ["role", "name_key", "id"],
    "ix_identities_live_city": ["primary_city", "id"],
    "ix_identities_live_category_name": ["category_id", "name_key", "id"],
    "ix_identities_live_owner_name": ["owner_id", "name_key", "id"],
    "ix_identities_live_source_name": ["source_id", "name_key", "id"],
    "ix_opportunities_status_title": ["status", "title_key", "id"],
}


def _sort_type() -> sa.types.TypeEngine:
    # Code point order on PostgreSQL whatever the server's default collation (as app.models.columns).
    return sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def _create_index(name: str, table: str, columns: list[str], live: bool) -> None:
    where = {"sqlite_where": sa.text(_LIVE), "postgresql_where": sa.text(_LIVE)} if live else {}
    op.create_index(name, table, columns, unique=False, **where)


def _fill(table_name: str, key: str, source: str) -> None:
    """Each row's key computed in Python (the database cannot), a batch of rows at a time by id."""
    table = sa.table(table_name, sa.column("id", sa.Uuid()), sa.column(key, sa.Text()), sa.column(source, sa.Text()))
    bind = op.get_bind()
    update = table.update().where(table.c.id == sa.bindparam("row_id")).values({key: sa.bindparam("row_key")})
    last = None
    while True:
        stmt = sa.select(table.c.id, table.c[source]).order_by(table.c.id).limit(BATCH)
        if last is not None:
            stmt = stmt.where(table.c.id > last)
        rows = bind.execute(stmt).all()
        if not rows:
            return
        bind.execute(update, [{"row_id": row_id, "row_key": sort_key(value)} for row_id, value in rows])
        last = rows[-1][0]


def upgrade() -> None:
    # NOT NULL with an empty default: a plain ADD COLUMN (batch mode would copy and drop these tables,
    # which the other tables' keys refuse); the write path fills every new row's key itself.
    for table, key, _source in KEYS:
        op.add_column(table, sa.Column(key, _sort_type(), server_default="", nullable=False))
    for table, key, source in KEYS:
        _fill(table, key, source)
    for name, old, table, columns, live in INDEXES:
        if old is not None:
            op.drop_index(old, table_name=table)
        _create_index(name, table, columns, live)


def downgrade() -> None:
    for name, old, table, _columns, live in INDEXES:
        op.drop_index(name, table_name=table)
        if old is not None:
            _create_index(old, table, _OLD_COLUMNS[old], live)
    for table, key, _source in KEYS:
        op.drop_column(table, key)
