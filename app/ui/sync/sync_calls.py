"""The worker-thread side of the status bar's sync: what it reads and the quiet background sync.

Plain functions run through `app.ui.ops` (never on the GUI thread). The background sync says every
failure as a `ServiceError` with a Persian message, so the status bar shows it as a tooltip and
nothing pops up while the user types.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.services.core.errors import ServiceError
from app.services.sync import state

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.database import Database
    from app.services.sync.service import SyncReport, SyncService, SyncStatus

log = logging.getLogger(__name__)

REACH_TIMEOUT_S = 3
UNREACHABLE = "سرور دفتر در دسترس نیست؛ همگام‌سازی وقتی به شبکه دفتر وصل شوید انجام می‌شود."
NO_PASSWORD = "گذرواژه سرور ذخیره نشده است؛ یک بار دکمه «همگام‌سازی» را بزنید."
UNEXPECTED = "همگام‌سازی به خطای پیش‌بینی‌نشده خورد؛ جزئیات در فایل گزارش برنامه ثبت شده است."


@dataclass(frozen=True)
class Snapshot:
    """What the status bar shows: the sync's status and who this laptop is (for its password)."""

    status: SyncStatus | None
    laptop: state.LaptopState | None


def read_snapshot(service: SyncService, db: Database, actor: Actor) -> Snapshot:
    return Snapshot(service.status(actor), state.load(db))


def server_reachable(server: dict) -> bool:
    """A plain TCP connect to the office's PostgreSQL: cheap enough to try every few minutes. An office
    kept in a file (`url`) has no address to try: the sync itself says whether it answers."""
    if server.get("url"):
        return True
    try:
        with socket.create_connection((server.get("host", ""), int(server.get("port", 5432))), REACH_TIMEOUT_S):
            return True
    except (OSError, ValueError):
        return False


def background_sync(service: SyncService, db: Database, actor: Actor) -> SyncReport:
    """The timer's sync: only when the office answers and a password is stored; every failure a ServiceError."""
    from app.ui.sync.credentials import saved_password

    laptop = state.load(db)
    if laptop is None:
        raise ServiceError(UNEXPECTED)
    if not server_reachable(laptop.server):
        raise ServiceError(UNREACHABLE)
    password = saved_password(laptop.login, laptop.server)
    if not password:
        raise ServiceError(NO_PASSWORD)
    try:
        return service.sync(actor, password)
    except ServiceError:
        raise
    except Exception as exc:  # logged for support; the user sees the tooltip only
        log.exception("background sync failed")
        raise ServiceError(UNEXPECTED) from exc
