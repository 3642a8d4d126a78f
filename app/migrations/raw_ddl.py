"""Schema that models cannot express, created by migrations (SQLite's FTS5 quick-search index).

A later migration that rebuilds the identities table in batch mode must drop and re-create it
(`drop_identity_search` then `create_identity_search`), which also rebuilds the index.
PostgreSQL uses a pg_trgm index instead (the office server's migration).
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


def create_identity_search(op) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in IDENTITY_SEARCH_SQLITE:
            op.execute(statement)


def drop_identity_search(op) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("identities_search_ai", "identities_search_ad", "identities_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS identity_search")
