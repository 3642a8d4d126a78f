"""Engine, sessions and the one hook that stamps who/when on every business write.

Services are the only code that opens sessions: one transaction per use case through
`Database.write(actor)` (or `read(actor)` for queries).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.models import BusinessMixin, new_id, utcnow
from app.services.core import access, audit, capture, document_guard, file_guard, journal, notify, sort_keys, text_guard
from app.services.core import changes as change_bus
from app.services.core.actor import Actor
from app.services.core.errors import ConcurrentChange, NotFound
from app.services.identities import search_index
from app.services.sync import outbox

BUSY_TIMEOUT_MS = 10_000
_ACTOR_KEY = "actor"


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, full sync, busy timeout, and BEGIN IMMEDIATE for writers.

    pysqlite's own transaction handling is switched off (SQLAlchemy's documented recipe)
    so that a writer takes the write lock at BEGIN, not halfway through: no deadlock
    between two writers that both read first.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = FULL")
        # 16 MB of page cache per connection (default 2 MB): the lists' keyset pages touch few pages and the OS
        # caches the file; 64 MB, times the GUI's and the workers' connections, made a start at 200k identities 309 MB
        # (now 209 MB).
        cur.execute("PRAGMA cache_size = -16384")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _stamp_business_rows(session: Session, _ctx, _instances) -> None:
    now = utcnow()
    actor: Actor = session.info[_ACTOR_KEY]
    actor_id = actor.user_id
    for obj in session.new:
        if isinstance(obj, BusinessMixin):
            obj.id = obj.id or new_id()  # known before the INSERT, for the audit entry
            obj.created_at = obj.created_at or now
            obj.updated_at = now
            obj.created_by = obj.created_by or actor_id
            obj.updated_by = actor_id
    for obj in session.dirty:
        if isinstance(obj, BusinessMixin) and session.is_modified(obj, include_collections=False):
            obj.updated_at = now
            obj.updated_by = actor_id


class Database:
    """One database (SQLite file or PostgreSQL server) and its session factories."""

    def __init__(self, url: str, echo: bool = False, create: bool = True) -> None:
        """`create=False` refuses a missing SQLite file instead of creating an empty one."""
        self.url = make_url(url)
        kwargs: dict = {"echo": echo, "json_serializer": audit.dumps}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
            path = self.sqlite_path
            if path is not None and not create and not path.exists():
                raise NotFound(f"فایل پایگاه داده «{path}»")
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
        else:
            # psycopg prepares a statement run five times, and PostgreSQL then plans it once for any
            # values: the quick search's plans hang on the term (a name range, a rare phone number), and
            # the generic plan sorted 100,000 rows for «شر» (290 ms; 3 ms planned for its own values).
            kwargs["connect_args"] = {"options": "-c plan_cache_mode=force_custom_plan"}
        self.engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            reader = self.engine.execution_options(sqlite_begin="DEFERRED")
        else:
            reader = self.engine
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(reader, expire_on_commit=False)
        # Order matters: stamp (ids, who/when), then the access check, then the history.
        event.listen(self._writer, "before_flush", _stamp_business_rows)
        text_guard.install(self._writer)  # unsafe characters, too-long text, amounts beyond MAX_RIALS
        access.install(self._writer)
        access.install(self._reader)
        document_guard.install(self._writer)  # issued invoices and returns never change
        event.listen(self._writer, "before_flush", audit.record_changes)
        # Last: derived identity columns (search index, city, mobile) are kept out of the history.
        event.listen(self._writer, "before_flush", search_index.keep_derived_columns)
        sort_keys.install(self._writer)  # Persian order keys of names, after the derived city
        # What each transaction changed, for the UI (`changes.collecting`) and the journal.
        capture.install(self._writer)
        journal.install(self._writer)
        outbox.install(self._writer)  # on a laptop copy: the transaction is a batch for the office
        notify.install(self._writer)  # on the office server, the other users hear the same Changes
        # A file deleted or replaced under the app refuses writes instead of losing them.
        self.file_guard = file_guard.FileGuard(self.sqlite_path) if self.sqlite_path else None
        if self.file_guard is not None:
            file_guard.install(self.file_guard, self.engine, self._writer)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    def describe(self) -> str:
        """Where the data lives, for the status bar (never shows a password)."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return self.url.render_as_string(hide_password=True)

    @contextlib.contextmanager
    def write(self, actor: Actor) -> Iterator[Session]:
        """One write transaction as `actor`: commits at the end, rolls back everything on any error.

        Every query in it is filtered by the access policy and every flush checked and audited. What it
        changed (`capture.changes_of(session)`) goes to `changes.committed` once the COMMIT succeeded.
        """
        session = self._writer()
        session.info[_ACTOR_KEY] = actor
        try:
            with session.begin():
                yield session
            change_bus.committed(capture.changes_of(session))
        except StaleDataError as exc:
            raise ConcurrentChange() from exc
        finally:
            session.close()

    @contextlib.contextmanager
    def read(self, actor: Actor) -> Iterator[Session]:
        """A read-only transaction as `actor` (queries filtered by the access policy)."""
        session = self._reader()
        session.info[_ACTOR_KEY] = actor
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def dispose(self) -> None:
        if self.file_guard is not None:
            self.file_guard.disarm()  # first: the last connection's close may then remove the WAL
        self.engine.dispose()
        # SQLAlchemy keeps a disposed engine's dialect in caches keyed by it (the mappers' statements, the
        # PostgreSQL dialect's reflection queries), and the dialect keeps every type it compiled, with their
        # tables: a laptop's sync makes an engine each time, and a test run held 3 million objects (garbage
        # collections of seconds). Emptied, the types are only adapted again if the engine is used again.
        self.engine.dialect._type_memos.clear()
