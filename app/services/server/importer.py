"""Moving a single-user SQLite database onto the office server (`python -m app server import-sqlite`).

Every table is copied with its ids, numbers and history in one transaction; rows already on the
server are kept (INSERT ... ON CONFLICT DO NOTHING), so running it twice duplicates nothing.
Foreign keys in a cycle (users <-> identities, users <-> sales_teams) are copied as NULL first and
filled in once every row exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.models import Base
from app.services.core import migrations
from app.services.core.database import Database
from app.services.core.errors import ServiceError

BATCH = 2_000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    server: int

    @property
    def ok(self) -> bool:
        return self.server >= self.source


def _deferred_columns(table: Table) -> list[str]:
    return [col.name for fk in table.foreign_key_constraints if fk.use_alter for col in fk.columns]


def import_sqlite(source: Database, server: Database, progress: Progress | None = None) -> list[TableCount]:
    """Copies `source` (SQLite) into `server` (PostgreSQL); returns the row counts of both, per table."""
    if not source.is_sqlite or server.is_sqlite:
        raise ServiceError("مبدأ باید فایل SQLite و مقصد باید سرور PostgreSQL باشد.")
    migrations.upgrade(source)  # backs the file up first if it is behind
    migrations.upgrade(server)
    tables = Base.metadata.sorted_tables
    with source.engine.connect() as src, server.engine.begin() as dst:
        for table in tables:
            deferred = _deferred_columns(table)
            key = [c.name for c in table.primary_key.columns]
            result = src.execution_options(stream_results=True).execute(select(table))
            while rows := result.mappings().fetchmany(BATCH):
                values = [{**row, **dict.fromkeys(deferred)} for row in rows]
                stmt = pg_insert(table).values(values)
                if table.name == "number_series":  # the server keeps the larger counter
                    stmt = stmt.on_conflict_do_update(
                        index_elements=key,
                        set_={"last_number": func.greatest(table.c.last_number, stmt.excluded.last_number)},
                    )
                else:
                    stmt = stmt.on_conflict_do_nothing(index_elements=key)
                dst.execute(stmt)
                if deferred:
                    for row in rows:
                        filled = {col: row[col] for col in deferred if row[col] is not None}
                        if filled:
                            where = [table.c[k] == row[k] for k in key]
                            dst.execute(update(table).where(*where).values(**filled))
                if progress:
                    progress(table.name, len(rows))
        counts = [
            TableCount(
                t.name, src.scalar(select(func.count()).select_from(t)), dst.scalar(select(func.count()).select_from(t))
            )
            for t in tables
        ]
    return counts
