"""Schema that models cannot express, created by migrations (SQLite's FTS5 quick-search index, in name
order; PostgreSQL's trigram index and change notifications).

A later migration that rebuilds the identities table in batch mode must drop and re-create the quick-search
index (`drop_identity_search` then `create_name_search`): its rowids hold the identities' rowids.
On PostgreSQL the same search runs as ILIKE over a pg_trgm GIN index.
"""

from __future__ import annotations

# The first quick-search index (migration 0001, replaced by 0018): external content, every identity.
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
# The hits of a term past a blob's first character (0020): with the range of the name order that holds
# the names starting with the term, a page in name order reads neither every hit nor every name.
IDENTITY_INSIDE_POSTGRESQL = (
    "CREATE INDEX ix_identities_inside_trgm ON identities USING gin (substr(search_blob, 2) gin_trgm_ops)"
)
# The name order with each row's search_blob beside it (0022): a quick search walks it without reading a
# row, about 0.2 µs a row where the table's rows cost 2 µs. A btree entry holds at most 2,704 bytes, so a
# row whose name_sort and search_blob are longer (a hundred phones) is left to its own index beside it.
WALK_FITS_BYTES = 2_400
_WALK_SIZE = "octet_length(search_blob) + octet_length(name_sort)"
WALK_FITS = f"{_WALK_SIZE} <= {WALK_FITS_BYTES}"
WALK_LONG = f"{_WALK_SIZE} > {WALK_FITS_BYTES}"
_LIVE = "deleted_at IS NULL AND merged_into_id IS NULL"
# A rep's walk reads each owner's names they see (app/services/server/search_walk.py): the same, by owner.
IDENTITY_WALK_POSTGRESQL = (
    f"CREATE INDEX ix_identities_walk ON identities (name_sort, id) INCLUDE (search_blob) "
    f"WHERE {_LIVE} AND {WALK_FITS}",
    f"CREATE INDEX ix_identities_owner_walk ON identities (owner_id, name_sort, id) INCLUDE (search_blob) "
    f"WHERE {_LIVE} AND {WALK_FITS}",
    f"CREATE INDEX ix_identities_walk_long ON identities (name_sort, id) WHERE {_LIVE} AND {WALK_LONG}",
)
# Where each range of 32 pages lies in the name order (0023): with the table kept in name order
# (app/services/server/name_clustering.py), a term's hits at or before a name are the trigram index's
# hits in those pages alone. A few hundred kilobytes at 1M; ranges filled later summarised by autovacuum.
IDENTITY_NAME_BRIN_POSTGRESQL = (
    "CREATE INDEX ix_identities_name_brin ON identities USING brin (name_sort)"
    " WITH (pages_per_range = 32, autosummarize = on)"
)
UNMODELLED_INDEXES = (
    "ix_identities_search_trgm",
    "ix_identities_inside_trgm",
    "ix_identities_walk",
    "ix_identities_owner_walk",
    "ix_identities_walk_long",
    "ix_identities_name_brin",
)


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


# The name order of 0017, a small table beside the first index (dropped by 0018; kept for its downgrade).
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


# The quick-search index since 0018 (SQLite): a contentless FTS5 trigram table of the live identities whose
# rowid is «the name's bucket × 2^RID_BITS + the identity's rowid». FTS5 gives hits in rowid order, so in
# name order bucket by bucket: a page of many hits reads its first buckets only (app/services/identities/
# name_order.py). The bucket is the name_sort's first NAME_CHARS code points, each capped at 127 (the
# primary codes of app.persian.sort are below it; from the first capped one on, the rest count as 0), so
# it never decreases along the name order. Its DELETE command needs the values indexed: the triggers pass
# the old row's.
NAME_CHARS = 5
RID_BITS = 28  # identities' rowids below 2^28 (268 million); the insert trigger refuses any above
NAME_CODE_CAP = 127  # above the primary codes of app.persian.sort
_LIVE = "{row}.deleted_at IS NULL AND {row}.merged_into_id IS NULL"


def name_bucket_sql(name: str) -> str:
    """The bucket of the name_sort `name` (an SQL expression) as an SQL expression."""
    codes = [f"coalesce(unicode(substr({name}, {i + 1}, 1)), 0)" for i in range(NAME_CHARS)]
    weights = [(NAME_CODE_CAP + 1) ** (NAME_CHARS - 1 - i) for i in range(NAME_CHARS)]
    capped = [
        f"WHEN {codes[k]} >= {NAME_CODE_CAP} THEN "
        + " + ".join([f"{codes[i]} * {weights[i]}" for i in range(k)] + [str(NAME_CODE_CAP * weights[k])])
        for k in range(NAME_CHARS)
    ]
    whole = " + ".join(f"{codes[i]} * {weights[i]}" for i in range(NAME_CHARS))
    return f"(CASE {' '.join(capped)} ELSE {whole} END)"


def search_rowid_sql(row: str) -> str:
    """The index's rowid of the identity `row` (new, old, or the table) as an SQL expression."""
    return f"({name_bucket_sql(f'{row}.name_sort')} * {1 << RID_BITS} + {row}.rowid)"


SEARCH_INSERT_TRIGGER = (
    f"CREATE TRIGGER identities_search_ai AFTER INSERT ON identities WHEN {_LIVE.format(row='new')} BEGIN "
    f"SELECT RAISE(ABORT, 'identities rowid beyond the quick-search index') WHERE new.rowid >= {1 << RID_BITS}; "
    f"INSERT INTO identity_search(rowid, search_blob) VALUES ({search_rowid_sql('new')}, new.search_blob); END"
)
# The live identities added after rowid :last, for bulk inserts that leave the insert trigger out.
SEARCH_INSERT_ROWS = (
    f"INSERT INTO identity_search(rowid, search_blob) SELECT {search_rowid_sql('identities')}, search_blob "
    f"FROM identities WHERE {_LIVE.format(row='identities')} AND rowid > :last"
)
_DELETE_OLD = (
    "INSERT INTO identity_search(identity_search, rowid, search_blob) "
    f"SELECT 'delete', {search_rowid_sql('old')}, old.search_blob WHERE {_LIVE.format(row='old')}"
)
NAME_SEARCH_SQLITE = [
    # No column sizes: nothing ranks the hits.
    "CREATE VIRTUAL TABLE identity_search USING fts5(search_blob, content='', columnsize=0, tokenize='trigram')",
    SEARCH_INSERT_TRIGGER,
    f"CREATE TRIGGER identities_search_ad AFTER DELETE ON identities BEGIN {_DELETE_OLD}; END",
    "CREATE TRIGGER identities_search_au AFTER UPDATE OF search_blob, name_sort, deleted_at, merged_into_id "
    "ON identities WHEN old.search_blob IS NOT new.search_blob OR old.name_sort IS NOT new.name_sort "
    f"OR ({_LIVE.format(row='old')}) IS NOT ({_LIVE.format(row='new')}) BEGIN {_DELETE_OLD}; "
    f"INSERT INTO identity_search(rowid, search_blob) SELECT {search_rowid_sql('new')}, new.search_blob "
    f"WHERE {_LIVE.format(row='new')}; END",
    SEARCH_INSERT_ROWS.replace(":last", "0"),
]


def create_name_search(op) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in NAME_SEARCH_SQLITE:
            op.execute(statement)


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
