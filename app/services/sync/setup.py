"""A laptop's first copy (sync.md §2.5): a new SQLite file with every row its user may see at the office,
read in one consistent snapshot together with the office's position, so the first pull starts exactly
where the copy ends. Memory stays flat: tables are streamed in chunks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete, func, insert, select, text, update

from app.models import Setting, User
from app.services.core import migrations
from app.services.core.database import Database
from app.services.sync import handshake, hub_calls, outbox, pull, state, tables

Progress = Callable[[int, int, str], None]
CHUNK = 1000


def _own_password_hash(hub, user_id) -> str | None:
    if hub.get_bind().dialect.name == "postgresql":
        return hub.execute(text("SELECT peyvand_own_password_hash()")).scalar()
    return hub.execute(select(User.password_hash).where(User.id == user_id)).scalar()


def _wipe(conn) -> None:
    """A new file's own starting rows (default pipeline, settings …) give way to the office's."""
    for table in reversed(tables.synced()):
        stmt = delete(table)
        if table.name == "settings":
            stmt = stmt.where(Setting.key.not_in(tables.LOCAL_SETTING_KEYS))
        conn.execute(stmt)


def first_copy(registration, password: str | None, local_url: str, progress: Progress | None = None) -> None:
    """Makes the laptop database at `local_url` (created and migrated if need be) a copy for the
    registered device. ServiceError when the office is out of reach or refuses the device."""
    hub_db = handshake.open_hub(registration.server, registration.login, password)
    local = Database(local_url)
    try:
        offset_ms = handshake.hello(hub_db, registration.hub_id, registration.device_id)["offset_ms"]
        actor = handshake.actor_on(hub_db, registration.user_id)
        migrations.upgrade(local)
        _copy(hub_db, local, actor, registration, offset_ms, progress)
    finally:
        hub_db.dispose()
        local.dispose()
    outbox.forget(local.engine.url)


def _copy(hub_db: Database, local: Database, actor, registration, offset_ms: int, progress: Progress | None) -> None:
    def keep(conn, greeting: dict) -> None:
        state.save(
            conn,
            hub_id=greeting["hub_id"],
            device_id=str(registration.device_id),
            device_code=registration.device_code,
            device_name=registration.device_name,
            user_id=str(registration.user_id),
            login=registration.login,
            secret=registration.secret,
            server=registration.server,
            pull_cursor=greeting["seq"],
            clock_offset_ms=offset_ms,
            last_sync_at=dt.datetime.now(dt.UTC).isoformat(),  # the copy is the first sync
            last_batch_no=(greeting.get("device") or {}).get("last_batch_no", 0),
            refresh=[],
        )

    snapshot(hub_db, local, actor, registration.device_id, keep, progress)


def snapshot(hub_db: Database, local: Database, actor, device_id, keep, progress: Progress | None = None) -> int:
    """Every synced table of `local` wiped and copied again from the rows the user sees at the office, read
    in one snapshot with the office's position, in one local transaction (the laptop's state, outbox and
    local settings stay); `keep(conn, greeting)` writes the laptop's state in it. The rows copied."""
    with hub_db.read(actor) as hs:
        if hub_db.engine.dialect.name == "postgresql":
            hs.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        greeting = hub_calls.hello(hs.connection(), device_id)  # the position, in the snapshot
        user = actor.user_id
        sizes = {
            t.name: hs.execute(select(func.count()).select_from(pull.select_rows(hs, t, user).subquery())).scalar_one()
            for t in tables.synced()
        }
        total, done = sum(sizes.values()), 0
        with local.engine.begin() as conn:
            pull.defer_foreign_keys(conn)
            _wipe(conn)
            for table in tables.synced():
                if not sizes[table.name]:
                    continue
                for rows in pull.stream(hs, table, user, CHUNK):
                    conn.execute(insert(table), rows)
                    done += len(rows)
                    if progress is not None:
                        progress(done, total, "نسخه‌برداری از داده‌های دفتر")
            conn.execute(update(User).where(User.id == user).values(password_hash=_own_password_hash(hs, user)))
            keep(conn, greeting)
    with hub_db.engine.begin() as conn:
        hub_calls.pulled(conn, device_id, greeting["seq"])
    return done
