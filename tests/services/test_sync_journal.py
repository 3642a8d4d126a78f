"""What the journal keeps for the offline sync: a laptop change's own edit time, and a hard-deleted child's
parent (the office shows the delete to whoever sees the parent)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.models import ChangeLogEntry, Tag
from app.services.core.actor import SYSTEM
from app.services.core.journal import EDITED_AT
from app.services.identities.records import IdentityData


def _last(services) -> list[ChangeLogEntry]:
    with services.db.read(SYSTEM) as s:
        top = s.scalar(select(ChangeLogEntry.seq).order_by(ChangeLogEntry.seq.desc()).limit(1))
        return list(s.scalars(select(ChangeLogEntry).where(ChangeLogEntry.seq == top)))


def test_a_hard_deleted_childs_entry_names_its_parent(services, admin, journaling) -> None:
    detail = services.identities.create(admin, IdentityData(first_name="علی", tags=["ویژه"]))
    assert {e.edited_at for e in _last(services)} == {None}  # an office edit: edited when journalled
    services.identities.update(admin, detail.id, IdentityData(first_name="علی", tags=[]), detail.version)
    (deleted,) = [e for e in _last(services) if e.table_name == "identity_tags"]
    assert deleted.op == "delete" and deleted.fields == {"identity_id": str(detail.id)}


def test_a_laptop_changes_edit_time_is_journalled(services, admin, journaling) -> None:
    """The sync applies a laptop's batch with the time it was made there (the office's clock)."""
    edited = dt.datetime(2026, 11, 20, 8, 30, 15, 250, tzinfo=dt.UTC)
    with services.db.write(admin) as s:
        tag = Tag(name="از لپ‌تاپ", name_key="از لپ‌تاپ", created_by=admin.user_id)
        s.add(tag)
        s.flush()
        s.info[EDITED_AT] = {("tags", str(tag.id)): edited}
    (entry,) = _last(services)
    assert entry.table_name == "tags" and entry.edited_at == edited and entry.at > edited
