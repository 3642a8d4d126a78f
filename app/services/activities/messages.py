"""Messages and notes on a record (پیام‌ها و یادداشت‌ها): write, list newest first, edit, delete.

A note (یادداشت) is read by its author and the record's followers; a message (پیام) by every user
who may open the record. The record itself goes through the access policy (`fetch`), so a rep who
may not see it reads neither. Only the author edits or deletes (softly). On the office server the
same rule is row security on `messages` (app.services.server.security); read marks and the unread
count live in messages_unread.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from app.models import AttachmentBlob, Follower, Identity, Invoice, Opportunity, Quote, User, utcnow
from app.models.message import MESSAGE, NOTE, Message, MessageFile
from app.services.activities.attachments import DAMAGED, MAX_BYTES, TOO_BIG, _clean_name
from app.services.activities.data import clean_text
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.concurrency import ensure_version
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound, ServiceError, ValidationFailed

# record table -> (model, Persian name of the record)
RECORDS: dict[str, tuple[type, str]] = {
    "identities": (Identity, "هویت"),
    "opportunities": (Opportunity, "فرصت"),
    "quotes": (Quote, "پیش‌فاکتور"),
    "invoices": (Invoice, "صورتحساب"),
}
KINDS = (NOTE, MESSAGE)
BODY_MAX = 10_000
NOT_AUTHOR = "فقط نویسنده می‌تواند این پیام یا یادداشت را ویرایش یا حذف کند."


@dataclass(frozen=True)
class MessageFileRow:
    id: uuid.UUID
    filename: str
    size_bytes: int


@dataclass(frozen=True)
class MessageRow:
    id: uuid.UUID
    kind: str  # NOTE or MESSAGE
    record_table: str
    record_id: uuid.UUID
    author_id: uuid.UUID
    author_name: str
    body: str
    created_at: dt.datetime
    edited: bool
    version: int
    files: tuple[MessageFileRow, ...] = ()


def record_model(table: str) -> tuple[type, str]:
    if table not in RECORDS:
        raise ValidationFailed({"record_table": "برای این نوع رکورد پیام و یادداشت ثبت نمی‌شود."})
    return RECORDS[table]


def readable(actor: Actor):
    """SQL: the actor may read this message of a record they can open (a message, their own note,
    or a note on a record they follow)."""
    mine = aliased(Follower)  # a list joining the followers table must not correlate this one
    followed = select(mine.id).where(
        mine.user_id == actor.user_id,
        mine.record_table == Message.record_table,
        mine.record_id == Message.record_id,
    )
    return or_(Message.kind == MESSAGE, Message.author_id == actor.user_id, followed.exists())


def rows_of(s: Session, messages: list[Message]) -> list[MessageRow]:
    ids = [m.id for m in messages]
    files: dict[uuid.UUID, list[MessageFileRow]] = {}
    if ids:
        stmt = select(MessageFile).where(MessageFile.message_id.in_(ids)).order_by(MessageFile.filename)
        for f in s.scalars(stmt):
            files.setdefault(f.message_id, []).append(MessageFileRow(f.id, f.filename, f.size_bytes))
    names = dict(
        s.execute(select(User.id, User.display_name).where(User.id.in_({m.author_id for m in messages}))).all()
    )
    return [
        MessageRow(
            m.id,
            m.kind,
            m.record_table,
            m.record_id,
            m.author_id,
            names.get(m.author_id, ""),
            m.body,
            m.created_at,
            m.version > 1,
            m.version,
            tuple(files.get(m.id, ())),
        )  # fmt: skip
        for m in messages
    ]


def _identity_of(record) -> uuid.UUID:
    return record.id if isinstance(record, Identity) else record.identity_id


def _body(text: str) -> str:
    body = clean_text(text)
    if not body:
        raise ValidationFailed({"body": "متن پیام خالی است."})
    if len(body) > BODY_MAX:
        raise ValidationFailed({"body": "متن پیام بیش از اندازه طولانی است."})
    return body


class MessageService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def post(
        self,
        actor: Actor,
        kind: str,
        record_table: str,
        record_id: uuid.UUID,
        text: str,
        files: list[tuple[str, bytes]] | tuple = (),
    ) -> MessageRow:
        """Writes a note or a message on a record the actor may see, with files (name, bytes; each at
        most 25 MB). Writing a note makes its author follow the record (a note is for the record's
        followers). ValidationFailed, AccessDenied, NotFound. Writes."""
        if kind not in KINDS:
            raise ValidationFailed({"kind": "نوع پیام نامعتبر است."})
        model, what = record_model(record_table)
        body = _body(text)
        named = [(_clean_name(name), content) for name, content in files]
        if any(not name for name, _ in named):
            raise ValidationFailed({"files": "نام فایل خالی است."})
        if any(len(content) > MAX_BYTES for _, content in named):
            raise ValidationFailed({"files": TOO_BIG})
        with self._db.write(actor) as s:
            record = fetch(s, model, record_id, what)
            message = Message(
                kind=kind, record_table=record_table, record_id=record_id, identity_id=_identity_of(record),
                author_id=actor.user_id, body=body,
            )  # fmt: skip
            s.add(message)
            s.flush()
            for name, content in named:
                digest = hashlib.sha256(content).hexdigest()
                if s.get(AttachmentBlob, digest) is None:
                    s.add(AttachmentBlob(sha256=digest, content=content))
                    s.flush()  # no relationship tells the unit of work the blob must come first
                s.add(MessageFile(message_id=message.id, filename=name, mime_type=mimetypes.guess_type(name)[0],
                                  size_bytes=len(content), sha256=digest))  # fmt: skip
            if kind == NOTE and not _follows(s, actor, record_table, record_id):
                s.add(Follower(record_table=record_table, record_id=record_id, user_id=actor.user_id))
            s.flush()
            return rows_of(s, [message])[0]

    def for_record(self, actor: Actor, record_table: str, record_id: uuid.UUID) -> list[MessageRow]:
        """The record's messages and the notes the actor may read, newest first, with their files.
        Whoever may see the record; AccessDenied, NotFound. Reads."""
        model, what = record_model(record_table)
        with self._db.read(actor) as s:
            fetch(s, model, record_id, what)
            stmt = (
                select(Message)
                .where(Message.record_table == record_table, Message.record_id == record_id)
                .where(Message.deleted_at.is_(None), readable(actor))
                .order_by(Message.created_at.desc(), Message.id)
            )
            return rows_of(s, list(s.scalars(stmt)))

    def edit(self, actor: Actor, message_id: uuid.UUID, text: str, version: int) -> MessageRow:
        """Changes the text of one's own message or note. ValidationFailed, ConcurrentChange,
        AccessDenied (not the author), NotFound. Writes."""
        body = _body(text)
        with self._db.write(actor) as s:
            message = self._own(s, actor, message_id)
            ensure_version(message, version, ("body",))
            message.body = body
            s.flush()
            return rows_of(s, [message])[0]

    def delete(self, actor: Actor, message_id: uuid.UUID) -> None:
        """Removes one's own message or note (recoverable). AccessDenied (not the author), NotFound. Writes."""
        with self._db.write(actor) as s:
            self._own(s, actor, message_id).deleted_at = utcnow()

    def file_content(self, actor: Actor, file_id: uuid.UUID) -> bytes:
        """A message's file, checked against its SHA-256. Whoever may read the message; AccessDenied,
        NotFound, ServiceError when damaged. Reads."""
        with self._db.read(actor) as s:
            item = s.get(MessageFile, file_id)
            if item is None:
                raise NotFound("فایل")
            self._readable(s, actor, item.message_id)
            blob = s.get(AttachmentBlob, item.sha256)
            if blob is None or hashlib.sha256(blob.content).hexdigest() != item.sha256:
                raise ServiceError(DAMAGED)
            return blob.content

    def export_file(self, actor: Actor, file_id: uuid.UUID) -> Path:
        """Writes a message's file under its own name in a fresh temporary folder, for opening with
        the system's program. Reads the database, writes the file."""
        data = self.file_content(actor, file_id)
        with self._db.read(actor) as s:
            name = s.get(MessageFile, file_id).filename
        target = Path(tempfile.mkdtemp(prefix="peyvand-")) / (_clean_name(name) or "file")
        target.write_bytes(data)
        return target

    # --- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _readable(s: Session, actor: Actor, message_id: uuid.UUID) -> Message:
        message = s.get(Message, message_id)
        if message is None or message.deleted_at is not None:
            raise NotFound("پیام")
        model, what = record_model(message.record_table)
        fetch(s, model, message.record_id, what)
        if s.scalar(select(Message.id).where(Message.id == message_id, readable(actor))) is None:
            raise AccessDenied()
        return message

    def _own(self, s: Session, actor: Actor, message_id: uuid.UUID) -> Message:
        message = self._readable(s, actor, message_id)
        if message.author_id != actor.user_id:
            raise AccessDenied(NOT_AUTHOR)
        return message


def _follows(s: Session, actor: Actor, table: str, record_id: uuid.UUID) -> bool:
    stmt = select(Follower.id).where(
        Follower.user_id == actor.user_id, Follower.record_table == table, Follower.record_id == record_id
    )
    return s.scalar(stmt) is not None
