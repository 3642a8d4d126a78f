"""Bringing the office's changes to a laptop (sync.md §2.5 pull): the journal says which rows changed
since the laptop's cursor; their current values are read as the laptop's user (their access applies: on
the office server its row security, everywhere the app's own policy) and written here in one local
transaction together with the new cursor, so a crash leaves both as they were.

Fields still waiting in the outbox keep their local values (the office judges them at the next push);
rows the office no longer has (a removed link, a change it refused) are removed here. The same reading
serves the first copy (every row the user sees) and a return sync file made at the office."""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import Connection, Table, delete, inspect, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import ChangeLogEntry
from app.services.core.access import CHILDREN
from app.services.core.changes import ChangeBuilder, Op
from app.services.sync import outbox, tables
from app.services.sync.hub import _class_of

PAGE = 5000  # journal entries per local transaction
CHUNK = 500  # keys per IN (...)
# Each user's own rows of these: another user's are never copied to a laptop.
PER_USER = {"recent_records": "user_id", "stage_folds": "user_id", "message_reads": "user_id"}

Progress = Callable[[int, int, str], None]


def feed(hub: Session, after: int, limit: int = PAGE) -> tuple[list[tuple[str, str, str]], int]:
    """Up to about `limit` journal entries after `after`, whole transactions only: [(table, row id, op)]
    of synced tables, and the last seq read (or `after`)."""
    log = ChangeLogEntry.__table__
    last = hub.execute(
        select(log.c.seq).where(log.c.seq > after).order_by(log.c.seq, log.c.ordinal).offset(limit - 1).limit(1)
    ).scalar()
    stmt = select(log.c.seq, log.c.table_name, log.c.row_id, log.c.op).where(log.c.seq > after)
    if last is not None:
        stmt = stmt.where(log.c.seq <= last)
    entries, top = [], after
    for seq, table, row_id, op in hub.execute(stmt.order_by(log.c.seq, log.c.ordinal)):
        top = max(top, seq)
        if tables.is_synced(table):
            entries.append((table, row_id, op))
    return entries, top


def _columns(table) -> list:
    mapper = inspect(_class_of(table.name))
    return [mapper.get_property_by_column(c).class_attribute.label(c.name) for c in tables.readable_columns(table)]


def select_rows(hub: Session, table, user_id: uuid.UUID | None):
    stmt = select(*_columns(table))
    if table.name in PER_USER and user_id is not None:
        stmt = stmt.where(table.c[PER_USER[table.name]] == user_id)
    if table.name == "settings":
        stmt = stmt.where(table.c.key.not_in(tables.LOCAL_SETTING_KEYS))
    return stmt


def fetch(hub: Session, table, keys: Iterable, user_id: uuid.UUID | None) -> list[dict]:
    """The rows of `table` with these key values that the session's actor may see."""
    key_col = tables.key_column(table)
    keys = list(keys)
    rows: list[dict] = []
    for start in range(0, len(keys), CHUNK):
        stmt = select_rows(hub, table, user_id).where(key_col.in_(keys[start : start + CHUNK]))
        rows.extend(dict(r._mapping) for r in hub.execute(stmt))
    return rows


def stream(hub: Session, table, user_id: uuid.UUID | None, size: int = 1000) -> Iterator[list[dict]]:
    """Every row of `table` the actor may see, in chunks (memory stays flat however big the table)."""
    result = hub.execute(select_rows(hub, table, user_id).execution_options(yield_per=size, stream_results=True))
    for part in result.partitions(size):
        yield [dict(r._mapping) for r in part]


def defer_foreign_keys(conn: Connection) -> None:
    """Parents and children arrive in one transaction in any order (a user's contact is an identity)."""
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")


def upsert(conn: Connection, table, rows: list[dict], pending: dict, changes: ChangeBuilder) -> None:
    """Writes the office's rows here, leaving the fields waiting in the outbox as they are."""
    if not rows:
        return
    key_col = tables.key_column(table)
    whole, partial = [], []
    for row in rows:
        waiting = pending.get((table.name, tables.row_key(row[key_col.name])), ())
        if waiting is None:
            continue  # made or removed here and not yet sent: the push comes first
        (partial if waiting else whole).append((row, waiting))
        changes.add(table.name, row[key_col.name], Op.UPDATE)
    if whole:
        conn.execute(_upsert(table, list(whole[0][0])), [row for row, _ in whole])
    for row, waiting in partial:
        values = {k: v for k, v in row.items() if k not in waiting}
        conn.execute(_upsert(table, list(values)), [values])


def _upsert(table, names: list[str]):
    """INSERT … ON CONFLICT (key) DO UPDATE of these columns (one statement for many rows)."""
    key = tables.key_column(table).name
    stmt = sqlite_insert(table)
    update = {n: stmt.excluded[n] for n in names if n != key}
    return stmt.on_conflict_do_update(index_elements=[key], set_=update) if update else stmt.on_conflict_do_nothing()


@functools.cache
def _references(name: str) -> tuple[tuple[str, str], ...]:
    """(table, column) of every synced column pointing at a row of table `name`."""
    return tuple(
        (table.name, column.name)
        for table in tables.synced()
        for column in table.columns
        if any(fk.column.table.name == name for fk in column.foreign_keys)
    )


def _referenced(conn: Connection, table: Table, key) -> bool:
    for name, column in _references(table.name):
        other = tables.by_name()[name].c[column]
        if conn.execute(select(other).where(other == key).limit(1)).first() is not None:
            return True
    return False


def remove(conn: Connection, table, keys: Iterable, pending: dict, changes: ChangeBuilder) -> None:
    """Removes rows the user no longer sees, except those waiting in the outbox and those a row kept here
    still points at (the foreign keys checked at COMMIT would refuse the whole pull, again at every sync)."""
    key_col = tables.key_column(table)
    for key in keys:
        if (table.name, tables.row_key(key)) in pending or _referenced(conn, table, key):
            continue
        if conn.execute(delete(table).where(key_col == key)).rowcount:
            changes.add(table.name, key, Op.DELETE)


@functools.cache
def _children() -> dict[str, list[tuple[Table, str]]]:
    """Parent table → [(child table, the column naming its parent)]: rows seen with their parent."""
    found: dict[str, list[tuple[Table, str]]] = defaultdict(list)
    for cls in CHILDREN:
        child = cls.__table__
        if tables.is_synced(child.name):
            column = inspect(cls).columns[cls.__access_parent__]
            (fk,) = column.foreign_keys
            found[fk.column.table.name].append((child, column.name))
    return found


def _local_keys(conn: Connection, table: Table, column, values: set) -> set:
    """Key values of the rows here whose `column` is one of `values`."""
    key_col, values, found = tables.key_column(table), list(values), set()
    for start in range(0, len(values), CHUNK):
        found.update(conn.execute(select(key_col).where(column.in_(values[start : start + CHUNK]))).scalars())
    return found


def _want_children(hub: Session, conn: Connection, table: Table, arrived: set, gone: set, wanted: dict) -> None:
    """A parent new here (handed to this user at the office) brings its children, which no journal entry
    of theirs announces; a parent gone from here takes its children, unless the office still shows them."""
    for child, name in _children().get(table.name, ()):
        keys = wanted.setdefault(child.name, set())
        keys.update(_local_keys(conn, child, child.c[name], gone))
        if arrived:
            cls = _class_of(child.name)
            column = inspect(cls).get_property_by_column(child.c[name]).class_attribute
            key = inspect(cls).get_property_by_column(tables.key_column(child)).class_attribute
            values = list(arrived)
            for start in range(0, len(values), CHUNK):
                keys.update(hub.scalars(select(key).where(column.in_(values[start : start + CHUNK]))))


def apply_keys(hub: Session, conn: Connection, wanted: dict[str, set], user_id, changes: ChangeBuilder) -> int:
    """Reads the wanted rows (table → key values) from the office and writes them here; a wanted row
    the office no longer shows is removed here, and so are its children. Parents first, children removed
    first."""
    pending = outbox.pending_fields(conn)
    wanted = {name: set(keys) for name, keys in wanted.items()}
    gone: dict[str, set] = {}
    count = 0
    for table in tables.synced():
        keys = wanted.get(table.name)
        if not keys:
            continue
        rows = fetch(hub, table, keys, user_id)
        key_col = tables.key_column(table)
        shown = {r[key_col.name] for r in rows}
        arrived = shown - _local_keys(conn, table, key_col, shown)
        upsert(conn, table, rows, pending, changes)
        count += len(rows)
        gone[table.name] = set(keys) - shown
        _want_children(hub, conn, table, arrived, gone[table.name], wanted)
    for table in reversed(tables.synced()):
        if gone.get(table.name):
            remove(conn, table, gone[table.name], pending, changes)
    return count


def wanted_of(entries: Iterable[tuple[str, str, str]]) -> dict[str, set]:
    wanted: dict[str, set] = defaultdict(set)
    for table, row_id, _op in entries:
        wanted[table].add(tables.key_value(tables.by_name()[table], row_id))
    return wanted
