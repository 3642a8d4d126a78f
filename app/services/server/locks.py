"""The owner's work on a server in use (`server init`: migrations, row security, the identities' order)
waits a bounded time for the locks users' transactions hold.

While a schema change waits for its lock, every user's query on that table queues behind it: one
transaction left open (a rep's psql, `BEGIN; SELECT … FROM identities;`) would freeze the office for as
long as it stayed open. Past LOCK_WAIT the work rolls back whole and says so in Persian.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from app.persian import format_number
from app.services.core.errors import ServiceError

LOCK_WAIT = 10.0
"""Seconds; the same number in the statement and in the message."""
LOCK_NOT_AVAILABLE = "55P03"
BUSY = (
    f"کاری باز از کاربران بیش از {format_number(int(LOCK_WAIT))} ثانیه جدول‌ها را در اختیار داشت؛ چیزی تغییر نکرد."
    " وقتی کاربران کمتری کار می‌کنند server init را دوباره اجرا کنید."
)


def wait_bounded(conn: Connection) -> None:
    """For the rest of this transaction, a lock not granted within LOCK_WAIT fails the statement."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {round(LOCK_WAIT * 1000)}")  # milliseconds


@contextlib.contextmanager
def refused_when_busy(message: str = BUSY) -> Iterator[None]:
    """A lock that timed out (wait_bounded) as a ServiceError with `message`; its transaction rolled back."""
    try:
        yield
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise ServiceError(message) from None
