"""What is new to a user in the messages and notes of the records they follow: the main window's
badge, the cardboard's «پیام‌های تازه» and the read marks (opening a record marks its messages read).
Also the messages' place in an identity's timeline «سوابق».

New means: on a record the user follows, written by someone else after the user last read the record
(or, never read, after they began following it), and readable by them (messages.readable).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Follower, Identity, Opportunity, utcnow
from app.models.message import NOTE, Message, MessageRead
from app.persian import to_persian_digits
from app.services.activities.cardboard import CardboardItem, CardboardSection, register_section
from app.services.activities.messages import readable, record_model
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.identities.timeline import TimelineItem, register_provider

KIND_LABEL = {NOTE: "یادداشت", "message": "پیام"}
# What opening a cardboard row opens (window.tabs.open_record kinds).
RECORD_KIND = {"identities": "identity", "opportunities": "opportunity", "quotes": "quote", "invoices": "invoice"}
SNIPPET = 80


@dataclass(frozen=True)
class UnreadRow:
    id: uuid.UUID
    kind: str
    record_table: str
    record_id: uuid.UUID
    body: str
    created_at: dt.datetime


def _unread_select(actor: Actor, *columns):
    read_at = (
        select(MessageRead.read_at)
        .where(
            MessageRead.user_id == actor.user_id,
            MessageRead.record_table == Message.record_table,
            MessageRead.record_id == Message.record_id,
        )
        .scalar_subquery()
    )
    return (
        select(*columns)
        .join(
            Follower,
            (Follower.user_id == actor.user_id)
            & (Follower.record_table == Message.record_table)
            & (Follower.record_id == Message.record_id),
        )
        .where(
            Message.deleted_at.is_(None),
            Message.author_id != actor.user_id,
            Message.created_at > func.coalesce(read_at, Follower.created_at),
            readable(actor),
        )
    )


def _unread(s: Session, actor: Actor, limit: int) -> tuple[list[UnreadRow], int]:
    total = s.scalar(_unread_select(actor, func.count(Message.id))) or 0
    stmt = _unread_select(
        actor, Message.id, Message.kind, Message.record_table, Message.record_id, Message.body, Message.created_at
    ).order_by(Message.created_at.desc(), Message.id)
    return [UnreadRow(*row) for row in s.execute(stmt.limit(limit))], total


def new_messages(s: Session, actor: Actor, _now: dt.datetime, limit: int, _owners: list | None) -> CardboardSection:
    """The cardboard's «پیام‌های تازه»: new messages and notes on followed records, newest first, each
    with the record it is on («یادداشت: …» beside the customer's name or the opportunity's title). They
    are the user's own unread ones whatever people the cardboard shows («من», «تیم من», «همه»)."""
    rows, total = _unread(s, actor, limit)
    names = _record_names(s, rows)
    items = [
        CardboardItem(
            RECORD_KIND[r.record_table],
            r.record_id,
            f"{KIND_LABEL[r.kind]}: {_snippet(r.body)}",
            names.get(r.record_id, ""),
            r.created_at,
        )  # fmt: skip
        for r in rows
    ]
    return CardboardSection(items, total)


def _record_names(s: Session, rows: list[UnreadRow]) -> dict[uuid.UUID, str]:
    wanted: dict[str, set[uuid.UUID]] = {}
    for r in rows:
        wanted.setdefault(r.record_table, set()).add(r.record_id)
    names = {}
    for table, ids in wanted.items():
        model, what = record_model(table)
        if model is Identity:
            names |= dict(s.execute(select(Identity.id, Identity.display_name).where(Identity.id.in_(ids))).all())
        elif model is Opportunity:
            names |= dict(s.execute(select(Opportunity.id, Opportunity.title).where(Opportunity.id.in_(ids))).all())
        else:  # a quote or an invoice: by its number
            found = s.execute(select(model.id, model.number).where(model.id.in_(ids)))
            names |= {rid: f"{what} {to_persian_digits(str(number)) if number else 'پیش‌نویس'}" for rid, number in found}
    return names


def _snippet(body: str) -> str:
    line = body.splitlines()[0] if body else ""
    return line if len(line) <= SNIPPET else line[: SNIPPET - 1] + "…"


register_section("new_messages", "پیام‌های تازه", new_messages, 40)


@register_provider
def message_items(s: Session, actor: Actor, identity_id: uuid.UUID) -> list[TimelineItem]:
    """The identity's messages and the notes the actor may read (its own and its records'), in its
    timeline; opening one opens the record it was written on."""
    stmt = select(Message).where(Message.identity_id == identity_id, Message.deleted_at.is_(None), readable(actor))
    items = []
    for m in s.scalars(stmt):
        _, what = record_model(m.record_table)
        detail = f"روی {what}" if m.record_table != "identities" else ""
        items.append(TimelineItem(m.created_at, "message", KIND_LABEL[m.kind], _snippet(m.body), detail,
                                  RECORD_KIND[m.record_table], m.record_id))  # fmt: skip
    return items


class MessageReadService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def mark_read(self, actor: Actor, record_table: str, record_id: uuid.UUID) -> None:
        """Marks the record's messages read for the actor (opening the record does). Whoever may see
        the record; AccessDenied, NotFound. Writes only when a message is newer than the mark: a form
        reloads often, and on a laptop every write waits to be synced."""
        model, what = record_model(record_table)
        with self._db.write(actor) as s:
            fetch(s, model, record_id, what)
            mark = s.scalar(
                select(MessageRead).where(
                    MessageRead.user_id == actor.user_id,
                    MessageRead.record_table == record_table,
                    MessageRead.record_id == record_id,
                )
            )
            newer = select(Message.id).where(Message.record_table == record_table, Message.record_id == record_id)
            if mark is not None:
                newer = newer.where(Message.created_at > mark.read_at)
            if not s.scalar(select(newer.exists())):
                return
            if mark is None:
                s.add(MessageRead(user_id=actor.user_id, record_table=record_table, record_id=record_id))
            else:
                mark.read_at = utcnow()

    def unread_count(self, actor: Actor) -> int:
        """How many messages and notes on the records the actor follows are new to them (the badge).
        Personal; reads."""
        with self._db.read(actor) as s:
            return _unread(s, actor, 0)[1]

    def unread(self, actor: Actor, limit: int = 100) -> list[UnreadRow]:
        """The new messages and notes themselves, newest first. Personal; reads."""
        with self._db.read(actor) as s:
            return _unread(s, actor, limit)[0]
