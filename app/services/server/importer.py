"""Moving a single-user SQLite database onto the office server (`python -m app server import-sqlite`).

The documented order is `server init` first, then this. Every table is copied with its ids, numbers
and history in one transaction. Rows the server already has are kept:
- the same id (a second run): nothing is copied again (INSERT ... ON CONFLICT DO NOTHING);
- the same natural key under another id (import_merge): the server's row stays and the file's
  records point to it. So the file's administrator, whose login is the one `server init` made
  (admin by default), is the server's administrator: their records are attributed to that account,
  whose password and role stay as they are; the default pipeline, its stages and the lists
  (sources, types, reasons ...) are merged by name.
New active users get a temporary password and their server role (import_users).
The user references in a cycle (users -> sales_teams, users -> identities) are copied as NULL
first and filled in once every row exists.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import SQLAlchemyError

from app.models import Base
from app.services.core import migrations
from app.services.core.database import Database
from app.services.core.errors import ServiceError
from app.services.core.labels import TABLE
from app.services.server import security
from app.services.server.import_merge import Merger
from app.services.server.import_users import ImportedUser, give_roles

log = logging.getLogger(__name__)

BATCH = 2_000
# The server's change journal is its own: numbered by its own clock from `server init` on. The file's
# journal numbers would collide with it (its history stays in audit_log, which is copied).
SERVER_OWN = frozenset({"change_log", "change_clock"})
# Tables the record screens never name (app.services.core.labels.TABLE has the others).
_MORE_LABELS = {
    "users": "کاربر",
    "audit_log": "سابقه تغییرات",
    "number_series": "شماره‌گذاری اسناد",
    "settings": "تنظیمات",
    "attachment_blobs": "محتوای پیوست",
    "followers": "دنبال‌کننده",
    "sources": "منبع آشنایی",
    "opportunity_tags": "برچسب فرصت",
    "opportunity_competitors": "رقیب فرصت",
    "recent_records": "رکورد اخیر",
}


def table_label(name: str) -> str:
    return TABLE.get(name) or _MORE_LABELS.get(name, name)


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    server: int
    added: int = 0  # copied in this run
    merged: int = 0  # matched to a row the server already had under another id

    @property
    def ok(self) -> bool:
        return self.server >= self.source - self.merged


@dataclass
class ImportReport:
    tables: list[TableCount] = field(default_factory=list)
    users: list[ImportedUser] = field(default_factory=list)  # copied now, with their temporary passwords
    kept_users: list[str] = field(default_factory=list)  # logins the server already had: its accounts stay

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.tables)

    @property
    def changed(self) -> bool:
        """False on a second run of the same file: nothing was copied."""
        return any(c.added for c in self.tables)


def _deferred_columns(table: Table) -> list[str]:
    return [col.name for fk in table.foreign_key_constraints if fk.use_alter for col in fk.columns]


def import_sqlite(source: Database, server: Database) -> ImportReport:
    """Copies `source` (SQLite) into `server` (PostgreSQL); the counts of both per table and the
    users given a temporary password. Raises ServiceError (in Persian, naming no row's values)."""
    if not source.is_sqlite or server.is_sqlite:
        raise ServiceError("مبدأ باید فایل SQLite و مقصد باید سرور PostgreSQL باشد.")
    step = None
    try:
        migrations.upgrade(source)  # backs the file up first if it is behind
        migrations.upgrade(server)
        with source.engine.connect() as src, server.engine.begin() as dst:
            security.install_row_security(dst)  # the server's rules, with any column a migration added
            # Issued documents arrive issued, lines and all: the trigger that refuses changes to them
            # is off inside this transaction only (ALTER TABLE is transactional).
            _issued_triggers(dst, "DISABLE")
            report, merger, deferred = ImportReport(), Merger(), []
            for table in Base.metadata.sorted_tables:
                if table.name in SERVER_OWN:
                    continue
                step = table_label(table.name)
                added = _copy_table(table, src, dst, merger, deferred, report)
                report.tables.append(_count(table, src, dst, added, merger.count(table.name)))
            step = "پیوندهای کاربران"
            for table, key, values in deferred:
                _fill(table, key, merger.remap(table, values), dst)
            # Deferred checks queued by the copied documents run now: ALTER TABLE refuses a table with
            # pending trigger events.
            dst.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
            _issued_triggers(dst, "ENABLE")
    except SQLAlchemyError as exc:
        raise _refusal(exc, step) from None
    return report


def _refusal(exc: SQLAlchemyError, step: str | None) -> ServiceError:
    """The Persian refusal. The exception's own text holds the statement's parameters (password
    hashes among them): only the kind of error and the constraint's name are kept, even in the log."""
    cause = getattr(exc, "orig", None) or exc
    constraint = getattr(getattr(cause, "diag", None), "constraint_name", None)
    log.info("Import into the server failed at %s: %s %s", step, type(cause).__name__, constraint or "")
    if step is None:  # before any row: the file, the server connection or their schemas
        return ServiceError(
            "فایل یا سرور آماده انتقال نشد: فایل باید پایگاه داده سالم پیوند باشد و سرور در دسترس، "
            "با حساب مالک پایگاه داده. هیچ چیزی روی سرور تغییر نکرد."
        )
    detail = f" (قید {constraint})" if constraint else ""
    return ServiceError(
        f"انتقال در بخش «{step}» انجام نشد{detail}؛ هیچ چیزی روی سرور تغییر نکرد. "
        "اگر سرور از پیش داده‌ای جز داده‌های «server init» دارد، انتقال را روی پایگاه داده تازه‌ای انجام دهید."
    )


def _copy_table(
    table: Table, src: Connection, dst: Connection, merger: Merger, deferred: list, report: ImportReport
) -> int:
    """Copies one table in batches; returns how many rows it added."""
    deferred_cols = _deferred_columns(table)
    key = [c.name for c in table.primary_key.columns]
    result = src.execution_options(stream_results=True).execute(select(table))
    added = 0
    while batch := [dict(row) for row in result.mappings().fetchmany(BATCH)]:
        rows = merger.match(table, batch, dst)
        if table.name == "users":
            report.kept_users.extend(row["login"] for row in batch if row["id"] in merger.mapped["users"])
        if rows:
            inserted = _insert(table, key, [{**row, **dict.fromkeys(deferred_cols)} for row in rows], dst)
            added += len(inserted)
            by_key = {tuple(row[k] for k in key): row for row in rows}
            new_rows = [by_key[tuple(k)] for k in inserted]
            for row in new_rows:
                filled = {col: row[col] for col in deferred_cols if row[col] is not None}
                if filled:
                    deferred.append((table, {k: row[k] for k in key}, filled))
            if table.name == "users":
                report.users.extend(give_roles(table, new_rows, dst))
    return added


def _insert(table: Table, key: list[str], values: list[dict], dst: Connection) -> list:
    """INSERT the rows the server lacks; returns the primary keys of those actually inserted."""
    stmt = pg_insert(table).values(values)
    if table.name == "number_series":  # the server keeps the larger counter (and its date)
        stmt = stmt.on_conflict_do_update(
            index_elements=key,
            set_={
                "last_number": stmt.excluded.last_number,
                "last_date": func.greatest(table.c.last_date, stmt.excluded.last_date),
            },
            where=table.c.last_number < stmt.excluded.last_number,
        )
    elif table.name == "followers":  # a mapped user may already follow the record
        stmt = stmt.on_conflict_do_nothing()
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=key)
    return list(dst.execute(stmt.returning(*(table.c[k] for k in key))))


def _issued_triggers(dst: Connection, verb: str) -> None:
    for table in security.IMMUTABLE_TABLES:
        dst.exec_driver_sql(f"ALTER TABLE {table} {verb} TRIGGER {table}_issued")


def _fill(table: Table, key: dict, values: dict, dst: Connection) -> None:
    dst.execute(update(table).where(*(table.c[k] == v for k, v in key.items())).values(**values))


def _count(table: Table, src: Connection, dst: Connection, added: int, merged: int) -> TableCount:
    def count(conn: Connection) -> int:
        return conn.scalar(select(func.count()).select_from(table))

    return TableCount(table.name, count(src), count(dst), added, merged)
