"""Followers (دنبال‌کننده): users who follow an identity, an opportunity or an activity.

A follower sees the record (and, through it, its notes, activities and files) without owning it;
the access policy reads the `followers` table. Who may add whom is the policy's rule too: an
own-documents user may follow records they can already reach, or add their team's members.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.models import Activity, Follower, Identity, Invoice, Opportunity, Quote, User
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed

FOLLOWABLE: dict[str, tuple[type, str]] = {
    "identities": (Identity, "هویت"),
    "opportunities": (Opportunity, "فرصت"),
    "activities": (Activity, "فعالیت"),
    "quotes": (Quote, "پیش‌فاکتور"),  # a document's notes are for its followers (messages.py)
    "invoices": (Invoice, "صورتحساب"),
}


@dataclass(frozen=True)
class FollowerRow:
    user_id: uuid.UUID
    display_name: str


def _model(table: str) -> tuple[type, str]:
    if table not in FOLLOWABLE:
        raise ValidationFailed({"record_table": "این نوع رکورد دنبال‌کردنی نیست."})
    return FOLLOWABLE[table]


class FollowerService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def followers(self, actor: Actor, table: str, record_id: uuid.UUID) -> list[FollowerRow]:
        """Who follows a record. Whoever may see it; AccessDenied, NotFound. Reads."""
        model, what = _model(table)
        with self._db.read(actor) as s:
            fetch(s, model, record_id, what)
            rows = s.execute(
                select(User.id, User.display_name)
                .join(Follower, Follower.user_id == User.id)
                .where(Follower.record_table == table, Follower.record_id == record_id)
                .order_by(User.name_sort, User.id)
            )
            return [FollowerRow(*row) for row in rows]

    def is_following(self, actor: Actor, table: str, record_id: uuid.UUID) -> bool:
        """Whether the actor follows the record. Whoever may see it; AccessDenied, NotFound. Reads."""
        model, what = _model(table)
        with self._db.read(actor) as s:
            fetch(s, model, record_id, what)
            return (
                s.scalar(
                    select(Follower.id).where(
                        Follower.record_table == table,
                        Follower.record_id == record_id,
                        Follower.user_id == actor.user_id,
                    )
                )
                is not None
            )

    def follow(self, actor: Actor, table: str, record_id: uuid.UUID, user_id: uuid.UUID | None = None) -> None:
        """Makes `user_id` (default: the actor) follow a record; following twice is harmless. The actor
        must reach the record; AccessDenied, NotFound. Writes."""
        model, what = _model(table)
        user_id = user_id or actor.user_id
        with self._db.write(actor) as s:
            fetch(s, model, record_id, what)
            if s.get(User, user_id) is None:
                raise ValidationFailed({"user_id": "کاربر پیدا نشد."})
            exists = s.scalar(
                select(Follower.id).where(
                    Follower.record_table == table, Follower.record_id == record_id, Follower.user_id == user_id
                )
            )
            if exists is None:
                s.add(Follower(record_table=table, record_id=record_id, user_id=user_id))

    def unfollow(self, actor: Actor, table: str, record_id: uuid.UUID, user_id: uuid.UUID | None = None) -> None:
        """Stops `user_id` (default: the actor) following a record. Anyone may unfollow themselves;
        removing someone else needs access to the record (AccessDenied). Writes."""
        model, what = _model(table)
        user_id = user_id or actor.user_id
        with self._db.write(actor) as s:
            if user_id != actor.user_id:
                fetch(s, model, record_id, what)
            rows = s.scalars(
                select(Follower).where(
                    Follower.record_table == table, Follower.record_id == record_id, Follower.user_id == user_id
                )
            ).all()
            for row in rows:
                s.delete(row)
