"""Optimistic locking made visible: a save compares the version the form OPENED with.

A fresh load at save time would hide a change made meanwhile (sync.md §3.1), so services take the
opened version and call `ensure_version` on the row they just loaded, before assigning anything;
`version_id_col` still covers the short window between that check and the flush.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import object_session

from app.models import User
from app.services.core.errors import ConcurrentChange


def ensure_version(obj, opened_version: int | None, fields: Iterable[str] = ()) -> None:
    """Raises ConcurrentChange (who, when, their values of `fields`) if `obj` (loaded in a session) moved
    past `opened_version`."""
    if opened_version is None or obj.version == opened_version:
        return
    editor = getattr(obj, "updated_by", None)
    who = object_session(obj).get(User, editor) if editor else None
    raise ConcurrentChange(
        changed_by=who.display_name if who else None,
        changed_at=getattr(obj, "updated_at", None),
        theirs={field: getattr(obj, field) for field in fields},
    )
