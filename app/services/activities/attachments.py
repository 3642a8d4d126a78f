"""Files (پیوست) attached to an identity, an opportunity or an activity, kept inside the database.

The bytes are stored once per SHA-256 (`attachment_blobs`), so the same file attached twice costs
nothing more and every file travels with backups and sync. Reading a file checks its hash again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.models import Activity, Attachment, AttachmentBlob, Opportunity, User, utcnow
from app.persian import format_number
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.identities.timeline import TimelineItem, register_provider

MAX_BYTES = 25 * 1024 * 1024
TOO_BIG = f"حجم فایل بیش از {format_number(25)} مگابایت است."
DAMAGED = "محتوای فایل با اثر انگشت ثبت‌شده نمی‌خواند؛ فایل آسیب دیده است."


@dataclass(frozen=True)
class AttachmentRow:
    id: uuid.UUID
    filename: str
    mime_type: str | None
    size_bytes: int
    sha256: str
    identity_id: uuid.UUID
    opportunity_id: uuid.UUID | None
    activity_id: uuid.UUID | None
    created_at: dt.datetime
    created_by_name: str | None


def _clean_name(filename: str) -> str:
    name = Path(str(filename).replace("\\", "/")).name.strip()
    return name[:255]


@register_provider
def attachment_items(s, _actor: Actor, identity_id: uuid.UUID) -> list[TimelineItem]:
    """The identity's files in its timeline «سوابق» (those of its opportunities and activities too),
    saying what they are attached to; opening one opens the file (kind "attachment")."""
    stmt = (
        select(Attachment, Opportunity.title, Activity.summary)
        .outerjoin(Opportunity, Opportunity.id == Attachment.opportunity_id)
        .outerjoin(Activity, Activity.id == Attachment.activity_id)
        .where(Attachment.identity_id == identity_id, Attachment.deleted_at.is_(None))
    )
    items = []
    for item, opportunity, activity in s.execute(stmt):
        on = f"فعالیت «{activity}»" if activity else f"فرصت «{opportunity}»" if opportunity else "هویت"
        detail = f"پیوست به {on}"
        items.append(TimelineItem(item.created_at, "attachment", "فایل", item.filename, detail, "attachment", item.id))
    return items


class AttachmentService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def attach(
        self,
        actor: Actor,
        filename: str,
        content: bytes,
        identity_id: uuid.UUID | None = None,
        opportunity_id: uuid.UUID | None = None,
        activity_id: uuid.UUID | None = None,
    ) -> AttachmentRow:
        """Attaches bytes (at most 25 MB) to one record; the identity is taken from the opportunity or
        activity. Whoever may see the record; ValidationFailed, AccessDenied, NotFound. Writes."""
        name = _clean_name(filename)
        errors = {}
        if not name:
            errors["filename"] = "نام فایل خالی است."
        if len(content) > MAX_BYTES:
            errors["content"] = TOO_BIG
        if identity_id is None and opportunity_id is None and activity_id is None:
            errors["record"] = "فایل باید به یک هویت، فرصت یا فعالیت پیوست شود."
        if errors:
            raise ValidationFailed(errors)
        digest = hashlib.sha256(content).hexdigest()
        with self._db.write(actor) as s:
            if activity_id is not None:
                activity = fetch(s, Activity, activity_id, "فعالیت")
                identity_id, opportunity_id = activity.identity_id, activity.opportunity_id
            elif opportunity_id is not None:
                identity_id = fetch(s, Opportunity, opportunity_id, "فرصت").identity_id
            if s.get(AttachmentBlob, digest) is None:
                s.add(AttachmentBlob(sha256=digest, content=content))
                s.flush()  # no relationship tells the unit of work the blob must come first
            item = Attachment(
                identity_id=identity_id,
                opportunity_id=opportunity_id,
                activity_id=activity_id,
                filename=name,
                mime_type=mimetypes.guess_type(name)[0],
                size_bytes=len(content),
                sha256=digest,
            )
            s.add(item)  # the flush checks the actor may touch the identity
            s.flush()
            return self._row(s, item)

    def attach_file(self, actor: Actor, path: Path, **record) -> AttachmentRow:
        """Reads a file from disk (refused before reading when over 25 MB) and attaches it. Writes."""
        path = Path(path)
        if path.stat().st_size > MAX_BYTES:
            raise ValidationFailed({"content": TOO_BIG})
        return self.attach(actor, path.name, path.read_bytes(), **record)

    def files(
        self,
        actor: Actor,
        identity_id: uuid.UUID | None = None,
        opportunity_id: uuid.UUID | None = None,
        activity_id: uuid.UUID | None = None,
    ) -> list[AttachmentRow]:
        """Files of a record the actor may see, newest first (an identity's list includes the files of
        its opportunities and activities). Reads."""
        stmt = select(Attachment, User.display_name).outerjoin(User, User.id == Attachment.created_by)
        stmt = stmt.where(Attachment.deleted_at.is_(None))
        if activity_id is not None:
            stmt = stmt.where(Attachment.activity_id == activity_id)
        elif opportunity_id is not None:
            stmt = stmt.where(Attachment.opportunity_id == opportunity_id)
        elif identity_id is not None:
            stmt = stmt.where(Attachment.identity_id == identity_id)
        else:
            return []
        with self._db.read(actor) as s:
            rows = s.execute(stmt.order_by(Attachment.created_at.desc(), Attachment.id))
            return [self._as_row(item, name) for item, name in rows]

    def content(self, actor: Actor, attachment_id: uuid.UUID) -> bytes:
        """The file's bytes, checked against its SHA-256. Whoever may see it; AccessDenied, NotFound,
        ServiceError when damaged. Reads."""
        with self._db.read(actor) as s:
            item = fetch(s, Attachment, attachment_id, "پیوست")
            blob = s.get(AttachmentBlob, item.sha256)
            if blob is None or hashlib.sha256(blob.content).hexdigest() != item.sha256:
                raise ServiceError(DAMAGED)
            return blob.content

    def save_as(self, actor: Actor, attachment_id: uuid.UUID, target: Path) -> Path:
        """Writes the file to `target` (save-as). Reads the database, writes the file."""
        data = self.content(actor, attachment_id)
        target = Path(target)
        target.write_bytes(data)
        return target

    def export_temp(self, actor: Actor, attachment_id: uuid.UUID) -> Path:
        """Writes the file under its own name in a fresh temporary folder, for opening with the
        system's program. Reads the database, writes the file."""
        with self._db.read(actor) as s:
            name = fetch(s, Attachment, attachment_id, "پیوست").filename
        folder = Path(tempfile.mkdtemp(prefix="peyvand-"))
        return self.save_as(actor, attachment_id, folder / (_clean_name(name) or "file"))

    def soft_delete(self, actor: Actor, attachment_id: uuid.UUID) -> None:
        """Removes a file from its record (recoverable; the bytes stay). AccessDenied, NotFound. Writes."""
        with self._db.write(actor) as s:
            fetch(s, Attachment, attachment_id, "پیوست").deleted_at = utcnow()

    # --- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _as_row(item: Attachment, created_by_name: str | None) -> AttachmentRow:
        return AttachmentRow(
            item.id,
            item.filename,
            item.mime_type,
            item.size_bytes,
            item.sha256,
            item.identity_id,
            item.opportunity_id,
            item.activity_id,
            item.created_at,
            created_by_name,
        )

    def _row(self, s, item: Attachment) -> AttachmentRow:
        name = s.scalar(select(User.display_name).where(User.id == item.created_by)) if item.created_by else None
        return self._as_row(item, name)
