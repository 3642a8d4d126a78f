"""Schema that models cannot express, created by migrations (SQLite's FTS5 quick-search index and the
identities' name order beside it).

A later migration that rebuilds the identities table in batch mode must drop and re-create it
(`drop_identity_search` then `create_identity_search`), which also rebuilds the index, and likewise the
name order (`drop_identity_order`, `create_identity_order`): both hold the identities' rowids.
On PostgreSQL the same search runs as ILIKE over a pg_trgm GIN index.
"""

from __future__ import annotations

IDENTITY_SEARCH_SQLITE = [
    "CREATE VIRTUAL TABLE identity_search USING fts5(search_blob, content='identities', "
    "content_rowid='rowid', tokenize='trigram')",
    "CREATE TRIGGER identities_search_ai AFTER INSERT ON identities BEGIN "
    "INSERT INTO identity_search(rowid, search_blob) VALUES (new.rowid, new.search_blob); END",
    "CREATE TRIGGER identities_search_ad AFTER DELETE ON identities BEGIN "
    "INSERT INTO identity_search(identity_search, rowid, search_blob) "
    "VALUES ('delete', old.rowid, old.search_blob); END",
    "CREATE TRIGGER identities_search_au AFTER UPDATE OF search_blob ON identities BEGIN "
    "INSERT INTO identity_search(identity_search, rowid, search_blob) VALUES ('delete', old.rowid, old.search_blob); "
    "INSERT INTO identity_search(rowid, search_blob) VALUES (new.rowid, new.search_blob); END",
    "INSERT INTO identity_search(identity_search) VALUES ('rebuild')",
]


IDENTITY_SEARCH_POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",  # a trusted extension: the database owner may create it
    "CREATE INDEX ix_identities_search_trgm ON identities USING gin (search_blob gin_trgm_ops)",
]
UNMODELLED_INDEXES = ("ix_identities_search_trgm",)


def create_identity_search(op) -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": IDENTITY_SEARCH_SQLITE, "postgresql": IDENTITY_SEARCH_POSTGRESQL}.get(dialect, [])
    for statement in statements:
        op.execute(statement)


def drop_identity_search(op) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_identities_search_trgm")
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("identities_search_ai", "identities_search_ad", "identities_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS identity_search")


# The identities' name order in a small table (SQLite): the live identities' rowids and the first
# ORDER_HEAD characters of their name_sort. Sorting many quick-search hits by name then reads this table
# (about 30 bytes a row) instead of the identities' rows; equal heads are told apart by the full name_sort.
ORDER_HEAD = 16
_LIVE_NEW = "new.deleted_at IS NULL AND new.merged_into_id IS NULL"
IDENTITY_ORDER_SQLITE = [
    "CREATE TABLE identity_order (rid INTEGER PRIMARY KEY, head TEXT)",
    f"CREATE TRIGGER identities_order_ai AFTER INSERT ON identities WHEN {_LIVE_NEW} BEGIN "
    f"INSERT INTO identity_order(rid, head) VALUES (new.rowid, substr(new.name_sort, 1, {ORDER_HEAD})); END",
    "CREATE TRIGGER identities_order_ad AFTER DELETE ON identities BEGIN "
    "DELETE FROM identity_order WHERE rid = old.rowid; END",
    "CREATE TRIGGER identities_order_au AFTER UPDATE OF name_sort, deleted_at, merged_into_id ON identities BEGIN "
    "DELETE FROM identity_order WHERE rid = old.rowid; "
    f"INSERT INTO identity_order(rid, head) SELECT new.rowid, substr(new.name_sort, 1, {ORDER_HEAD}) "
    f"WHERE {_LIVE_NEW}; END",
    f"INSERT INTO identity_order(rid, head) SELECT rowid, substr(name_sort, 1, {ORDER_HEAD}) FROM identities "
    "WHERE deleted_at IS NULL AND merged_into_id IS NULL",
]


def create_identity_order(op) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in IDENTITY_ORDER_SQLITE:
            op.execute(statement)


def drop_identity_order(op) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("identities_order_ai", "identities_order_ad", "identities_order_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS identity_order")


# Foreign keys in a cycle (users <-> identities, users <-> sales_teams) are declared use_alter in the
# models. SQLite writes them inline, but on PostgreSQL Alembic's create_table leaves them out, so they
# are added once every table exists.
DEFERRED_FOREIGN_KEYS = [
    ("fk_users_team_id_sales_teams", "users", "sales_teams", ["team_id"], ["id"]),
    ("fk_users_contact_id_identities", "users", "identities", ["contact_id"], ["id"]),
]


def create_deferred_foreign_keys(op) -> None:
    if op.get_bind().dialect.name != "sqlite":
        for name, source, target, local, remote in DEFERRED_FOREIGN_KEYS:
            op.create_foreign_key(name, source, target, local, remote)


def drop_deferred_foreign_keys(op) -> None:
    if op.get_bind().dialect.name != "sqlite":
        for name, source, *_ in DEFERRED_FOREIGN_KEYS:
            op.drop_constraint(name, source, type_="foreignkey")


# Live refresh on the office server: every write statement on a business table sends the table's name
# on the channel below (statement-level, so a bulk INSERT of 200,000 rows is one notification).
# Tables added by later migrations need `notify_changes(op, [table])` there too.
CHANGES_CHANNEL = "peyvand_changes"
# The app's own writes send their rows themselves (app/services/core/notify.py) and set this for their
# transaction; the trigger then stays quiet. Other writers (psql, scripts) are still heard by table.
CHANGES_SENT = "peyvand.changes_sent"
NOTIFY_FUNCTION = f"""CREATE OR REPLACE FUNCTION peyvand_notify_change() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF coalesce(current_setting('{CHANGES_SENT}', true), '') <> 'on' THEN
    PERFORM pg_notify('{CHANGES_CHANNEL}', TG_TABLE_NAME);
  END IF;
  RETURN NULL;
END $$"""
QUIET_TABLES = {"alembic_version", "audit_log", "recent_records", "number_series", "attachment_blobs"}


def notify_changes(op, tables: list[str] | None = None) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(NOTIFY_FUNCTION)
    from sqlalchemy import inspect

    names = tables if tables is not None else sorted(set(inspect(bind).get_table_names()) - QUIET_TABLES)
    for name in names:
        op.execute(
            f"CREATE TRIGGER {name}_notify AFTER INSERT OR UPDATE OR DELETE ON {name} "
            "FOR EACH STATEMENT EXECUTE FUNCTION peyvand_notify_change()"
        )
