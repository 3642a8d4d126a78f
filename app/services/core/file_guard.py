"""The SQLite file under a running app: still the file it opened, and still locked as in use.

Identity: SQLite keeps writing into a file deleted (or replaced) under it, so saves "succeed"
into a file nobody will open again. The guard remembers the file's identity (st_dev, st_ino;
on Windows os.stat fills them with the volume serial and file index) when the first connection
opens it, and `check()` compares before every commit: one stat call.

Lock (Linux): POSIX advisory locks belong to the process and vanish when ANY descriptor of the
file is closed, e.g. by a file dialog's type detection. Another process closing the database
then believes it is the last user and deletes the -wal and -shm files under us. The guard holds
an open-file-description lock (F_OFD_SETLK) on SQLite's shared-lock bytes, which only closing
its own descriptor releases, so no other process can take the exclusive lock it needs for that.
"""

from __future__ import annotations

import logging
import os
import struct
from collections.abc import Callable
from pathlib import Path

from app.services.core.errors import DatabaseFileLost

try:
    import fcntl

    _OFD_SETLK = getattr(fcntl, "F_OFD_SETLK", None)  # Linux 3.15+
except ImportError:  # Windows: its locks are per handle and not lost this way
    _OFD_SETLK = None

log = logging.getLogger(__name__)

# SQLite's unix VFS: every connection read-locks SHARED_SIZE bytes from SHARED_FIRST while it is
# open (PENDING_BYTE = 0x40000000, SHARED_FIRST = PENDING_BYTE + 2).
_SHARED_FIRST = 0x40000000 + 2
_SHARED_SIZE = 510


class FileGuard:
    """Watches one SQLite file; `arm()` once it exists, `check()` before each commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._identity: tuple[int, int] | None = None
        self._lock_fd: int | None = None
        self.on_lost: list[Callable[[DatabaseFileLost], None]] = []
        """Called (from the writing thread) when a write is refused, e.g. to offer a restore."""

    @property
    def armed(self) -> bool:
        return self._identity is not None

    def arm(self) -> None:
        """Remember the file as it is now; the first connection calls this (it creates the file)."""
        stat = os.stat(self.path)
        self._identity = (stat.st_dev, stat.st_ino)
        self._hold_shared_lock()

    def disarm(self) -> None:
        """Before the engine closes its connections (a restore may replace the file on purpose,
        and the last connection must be free to checkpoint and remove the WAL)."""
        self._identity = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def check(self) -> None:
        """Raises DatabaseFileLost when the file at the path is gone or is another file."""
        if self._identity is None:
            return
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            self._refuse(replaced=False)
        else:
            if (stat.st_dev, stat.st_ino) != self._identity:
                self._refuse(replaced=True)

    def check_new_connection(self) -> None:
        """A connection opened after the file vanished has just created an empty one (SQLite
        creates a missing file): remove that and refuse, or the next start finds a new company."""
        try:
            stat = os.stat(self.path)
            if stat.st_size == 0 and (stat.st_dev, stat.st_ino) != self._identity:
                self.path.unlink()
        except FileNotFoundError:
            pass
        self.check()

    def _refuse(self, replaced: bool) -> None:
        error = DatabaseFileLost(str(self.path), replaced)
        log.error("database file %s was %s while open: write refused", self.path, "replaced" if replaced else "deleted")
        for listener in list(self.on_lost):
            try:
                listener(error)
            except Exception:  # a closed window's listener must not hide the refusal itself
                log.exception("a listener of the lost database file failed")
        raise error

    def _hold_shared_lock(self) -> None:
        if _OFD_SETLK is None or self._lock_fd is not None:
            return
        fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        # struct flock: l_type, l_whence, l_start, l_len, l_pid (0 for OFD locks), native layout.
        request = struct.pack("hhqqi4x", fcntl.F_RDLCK, os.SEEK_SET, _SHARED_FIRST, _SHARED_SIZE, 0)
        # Kept open even unlocked: closing a descriptor would drop SQLite's own locks, the very fault.
        self._lock_fd = fd
        try:
            fcntl.fcntl(fd, _OFD_SETLK, request)
        except OSError:
            log.warning("no lasting lock on %s: another process holds it exclusively", self.path)


def remove_stale_journal(path: Path) -> None:
    """Delete the -wal and -shm left by a database file that is gone: SQLite would replay them
    into the file restored in its place and damage it. Nothing is deleted while the file exists."""
    if path.exists():
        return
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def install(guard: FileGuard, engine, writer_sessions) -> None:
    """Arm on the first connection, check before every commit of a write session."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect", insert=True)  # before the PRAGMAs write a header
    def _refuse_another_file(_dbapi_conn, _record) -> None:
        if guard.armed:
            guard.check_new_connection()

    @event.listens_for(engine, "connect")  # after: WAL mode is set while nothing else locks the file
    def _arm(_dbapi_conn, _record) -> None:
        if not guard.armed and guard.path.exists():
            guard.arm()

    @event.listens_for(writer_sessions, "before_commit")
    def _check(_session) -> None:
        guard.check()
