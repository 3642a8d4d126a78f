"""Followers (دنبال‌کننده): users who follow an identity, an opportunity or an activity.

A follower sees the record (and, through it, its notes, activities and files) without owning it;
the access policy reads the `followers` table. Who may add whom is the policy's rule too: an
administrator or all-documents user adds any active colleague; an own-documents user follows records
they can already reach and adds their team's members or a colleague who sees the record anyway
(access.seers). `candidates` is that list; anyone else is refused with the reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.models import Activity, Follower, Identity, Invoice, Opportunity, Quote, User
from app.services.core.access import fetch, is_restricted, seers, visible_owner_ids
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


def _refusal(name: str, what: str) -> str:
    return (
        f"«{name}» این {what} را نمی‌بیند و شما نمی‌توانید آن را با او به اشتراک بگذارید؛"
        " مدیر یا سرپرست تیم او می‌تواند او را دنبال‌کننده کند."
    )


def _addable(s, actor: Actor, model: type, record_id: uuid.UUID) -> set[uuid.UUID] | None:
    """Whom the actor may make a follower (None: any active user), the access policy's rule (see the module)."""
    if not is_restricted(actor):
        return None
    return set(visible_owner_ids(s)) | seers(s, model, record_id)


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

    def candidates(self, actor: Actor, table: str, record_id: uuid.UUID) -> list[FollowerRow]:
        """The active colleagues the actor may add as followers of a record (not following it yet), in
        Persian order. Whoever may see it; AccessDenied, NotFound. Reads."""
        model, what = _model(table)
        with self._db.read(actor) as s:
            fetch(s, model, record_id, what)
            following = select(Follower.user_id).where(Follower.record_table == table, Follower.record_id == record_id)
            users = s.execute(
                select(User.id, User.display_name)
                .where(User.is_active, User.id.not_in(following), User.id != actor.user_id)
                .order_by(User.name_sort, User.id)
            ).all()
            addable = _addable(s, actor, model, record_id)
            return [FollowerRow(*row) for row in users if addable is None or row[0] in addable]

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
            user = s.get(User, user_id)
            if user is None:
                raise ValidationFailed({"user_id": "کاربر پیدا نشد."})
            if user_id != actor.user_id:
                if not user.is_active:
                    raise ValidationFailed({"user_id": f"«{user.display_name}» غیرفعال است و دنبال‌کننده نمی‌شود."})
                addable = _addable(s, actor, model, record_id)
                if addable is not None and user_id not in addable:
                    raise ValidationFailed({"user_id": _refusal(user.display_name, what)})
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
