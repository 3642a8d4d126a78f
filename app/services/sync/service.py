"""A laptop's sync as the UI and the command line use it: its state, and one sync (push, then pull)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import SyncConflict
from app.services.core.changes import ChangeBuilder, Changes
from app.services.core.database import Database
from app.services.core.errors import ServiceError
from app.services.sync import handshake, hub, hub_calls, outbox, pull, push, setup, state, tables

Progress = Callable[[int, int, str], None]
NOT_A_LAPTOP = "این پایگاه داده نسخهٔ همگام‌شدهٔ یک لپ‌تاپ نیست."


@dataclass(frozen=True)
class SyncStatus:
    last_sync_at: dt.datetime | None
    waiting: int  # local transactions the office has not acknowledged
    conflicts_open: int
    device_name: str
    server: str


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    pulled: int
    conflicts: int  # new conflicts of this sync
    changes: Changes


class SyncService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def status(self, actor) -> SyncStatus | None:
        """None when this database is not a laptop copy."""
        laptop = state.load(self._db)
        if laptop is None:
            return None
        with self._db.read(actor) as s:
            waiting = outbox.waiting(s.connection())
            conflicts = s.scalar(
                select(func.count())
                .select_from(SyncConflict)
                .where(SyncConflict.status == "open", SyncConflict.deleted_at.is_(None))
            )
        server = laptop.server.get("host") or laptop.server.get("url", "")
        return SyncStatus(laptop.last_sync_at, waiting, conflicts or 0, laptop.device_name, server)

    def sync(self, actor, password: str | None, progress: Progress | None = None) -> SyncReport:
        """Push, then pull, over the LAN as the user's own server role. ServiceError (Persian) when the
        office is out of reach or refuses this laptop; nothing here is lost either way."""
        laptop = state.load(self._db)
        if laptop is None:
            raise ServiceError(NOT_A_LAPTOP)
        hub_db = handshake.open_hub(laptop.server, laptop.login, password)
        try:
            greeting = handshake.hello(hub_db, laptop.hub_id, laptop.device_id)
            hub_actor = handshake.actor_on(hub_db, laptop.user_id)
            origin = hub.Origin(laptop.device_id, laptop.user_id, greeting["offset_ms"], greeting["now"])
            answers = push.push(self._db, hub_db, hub_actor, origin, progress)
            changes = ChangeBuilder()
            if laptop.pull_cursor + 1 < greeting.get("retention_seq", 0):  # away past the office's retention
                pulled = resnapshot(self._db, hub_db, hub_actor, laptop.device_id, greeting, progress)
                for table in tables.synced():  # everything was read again
                    changes.add_table(table.name)
            else:
                pulled = pull_all(self._db, hub_db, hub_actor, greeting, changes, progress)
        finally:
            hub_db.dispose()
        conflicts = sum(len(a.get("conflicts", ())) for a in answers)
        return SyncReport(len(answers), pulled, conflicts, changes.build())

    def push_pending(self, password: str | None) -> int:
        """Before this laptop's file is migrated to a newer schema: what waits in the outbox goes to the
        office first, under the schema it was made in (sync.md §2.9); nothing is pulled. The number of
        batches sent; ServiceError when the office is out of reach or refuses (the outbox then stays)."""
        laptop = state.load(self._db)
        if laptop is None or not self._waiting():
            return 0
        hub_db = handshake.open_hub(laptop.server, laptop.login, password)
        try:
            greeting = handshake.hello(hub_db, laptop.hub_id, laptop.device_id)
            hub_actor = handshake.actor_on(hub_db, laptop.user_id)
            origin = hub.Origin(laptop.device_id, laptop.user_id, greeting["offset_ms"], greeting["now"])
            return len(push.push(self._db, hub_db, hub_actor, origin))
        finally:
            hub_db.dispose()

    def _waiting(self) -> int:
        with self._db.engine.connect() as conn:
            return outbox.waiting(conn)


def pull_all(local: Database, hub_db: Database, hub_actor, greeting: dict, changes, progress=None) -> int:
    """Pulls page by page, each page with its cursor in one local transaction; the rows the last push
    asked for come with the first page. The number of rows written."""
    laptop = state.load(local)
    cursor, count = laptop.pull_cursor, 0
    target = max(greeting["seq"], cursor)
    with hub_db.read(hub_actor) as hs:
        while True:
            entries, top = pull.feed(hs, cursor)
            with local.engine.begin() as conn:
                pull.defer_foreign_keys(conn)
                wanted = pull.wanted_of(entries)
                for table, row_id in _refresh(conn):
                    if table in pull.tables.by_name():
                        wanted.setdefault(table, set()).add(pull.tables.key_value(pull.tables.by_name()[table], row_id))
                count += pull.apply_keys(hs, conn, wanted, hub_actor.user_id, changes)
                cursor = top if entries else max(cursor, target)
                _saw(conn, cursor, greeting)
            if progress is not None:
                progress(min(cursor, target), max(target, 1), "دریافت تغییرهای دفتر")
            if not entries:
                break
    with hub_db.engine.begin() as conn:
        hub_calls.pulled(conn, laptop.device_id, cursor)
    return count


def resnapshot(local: Database, hub_db: Database, hub_actor, device_id, greeting: dict, progress=None) -> int:
    """The office pruned entries this laptop never pulled (retention.prune): after its push, every table it
    sees is read again (setup.snapshot), the cursor the snapshot's position."""
    return setup.snapshot(
        hub_db, local, hub_actor, device_id, lambda conn, seen: _saw(conn, seen["seq"], greeting), progress
    )


def _refresh(conn) -> list:
    from app.models import SyncState

    return conn.execute(select(SyncState.value).where(SyncState.key == "refresh")).scalar() or []


def _saw(conn, cursor: int, greeting: dict) -> None:
    state.save(
        conn,
        pull_cursor=cursor,
        refresh=[],
        last_sync_at=dt.datetime.now(dt.UTC).isoformat(),
        clock_offset_ms=greeting["offset_ms"],
    )
