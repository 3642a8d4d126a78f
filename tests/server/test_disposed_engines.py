"""A disposed office-server Database leaves nothing behind: SQLAlchemy keeps the dialect in caches keyed by
it, and the dialect kept every type it had compiled, with the migrations' tables (a test run reached 3
million objects and garbage collections of seconds)."""

from __future__ import annotations

import gc

from sqlalchemy import MetaData

from app.services.core.database import Database
from app.services.core.migrations import current_revision, upgrade


def metadata_alive() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, MetaData))


def test_a_disposed_server_database_keeps_no_migration_tables(pg_database) -> None:
    before = metadata_alive()
    db = Database(pg_database)
    upgrade(db)  # each of its create_table makes a MetaData, compiled by this engine's dialect
    assert current_revision(db) is not None
    db.dispose()
    del db
    assert metadata_alive() == before
