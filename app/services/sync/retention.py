"""The office's journal kept only as long as laptops need it (sync.md §4 case 30).

`prune` deletes `change_log` entries older than the retention and below the lowest pull cursor of the
active laptops seen within it: a revoked laptop, or one away longer than the retention, holds nothing
back. The first seq kept is stored (settings "sync_retention_seq") and told to every laptop by the
hello: one whose cursor is below it missed entries and must read the office again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from app.models import ChangeLogEntry, Setting, SyncDevice, utcnow
from app.services.core.actor import SYSTEM
from app.services.core.database import Database

KEY = "sync_retention_seq"
DEFAULT_DAYS = 90


@dataclass(frozen=True)
class PruneReport:
    deleted: int  # journal entries removed
    retention_seq: int  # the first seq still kept (0: nothing was ever removed)


def prune(db: Database, days: int = DEFAULT_DAYS) -> PruneReport:
    """Removes what no active laptop still needs; run as the database's owner (the journal is its own)."""
    if days < 1:
        raise ValueError("retention is at least one day")
    since = utcnow() - dt.timedelta(days=days)
    log = ChangeLogEntry.__table__
    with db.write(SYSTEM) as s:
        seen = func.coalesce(SyncDevice.last_seen_at, SyncDevice.registered_at)
        needed = s.scalar(
            select(func.min(SyncDevice.last_pull_seq)).where(SyncDevice.revoked_at.is_(None), seen >= since)
        )
        old = select(func.max(log.c.seq)).where(log.c.at < since)
        if needed is not None:
            old = old.where(log.c.seq < needed)  # a device at cursor c still needs c + 1 onwards
        last_removed = s.scalar(old)
        current = s.get(Setting, KEY)
        kept_from = int(current.value) if current is not None else 0
        if last_removed is None:
            return PruneReport(0, kept_from)
        deleted = s.execute(delete(ChangeLogEntry).where(ChangeLogEntry.seq <= last_removed)).rowcount
        kept_from = max(kept_from, last_removed + 1)
        if current is None:
            s.add(Setting(key=KEY, value=kept_from))
        else:
            current.value = kept_from
    return PruneReport(deleted, kept_from)


__all__ = ["DEFAULT_DAYS", "KEY", "PruneReport", "prune"]
