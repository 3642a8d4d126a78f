"""Favourite searches «علاقه‌مندی‌ها», per user and per list (identities, opportunities ...).

Each user sees and changes only their own favourites, administrators included: a favourite is a
personal shortcut, not a shared record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.models import SavedSearch, utcnow
from app.persian import normalize_text, sort_key
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import NotFound, ServiceError, ValidationFailed


@dataclass(frozen=True)
class SavedSearchRow:
    id: uuid.UUID
    entity: str
    name: str
    definition: dict


def _require_user(actor: Actor) -> None:
    if actor.user_id is None:
        raise ServiceError("علاقه‌مندی‌ها مخصوص کاربران است.")


class SavedSearchService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self, actor: Actor, entity: str = "identities") -> list[SavedSearchRow]:
        """The actor's own favourites for one list, by name. Any user; reads."""
        if actor.user_id is None:
            return []
        stmt = select(SavedSearch).where(
            SavedSearch.user_id == actor.user_id, SavedSearch.entity == entity, SavedSearch.deleted_at.is_(None)
        )
        with self._db.read(actor) as s:
            rows = sorted(s.scalars(stmt), key=lambda r: sort_key(r.name))  # one user's few searches
            return [SavedSearchRow(r.id, r.entity, r.name, r.definition) for r in rows]

    def save(self, actor: Actor, name: str, definition: dict, entity: str = "identities") -> SavedSearchRow:
        """Saves (or replaces, by name) a favourite of the actor. Any user; raises ValidationFailed
        (no name), ServiceError (the system actor). Writes."""
        _require_user(actor)
        name = normalize_text(name)
        if not name:
            raise ValidationFailed({"name": "نام علاقه‌مندی را وارد کنید"})
        if len(name) > 200:
            raise ValidationFailed({"name": "حداکثر ۲۰۰ نویسه مجاز است"})
        with self._db.write(actor) as s:
            row = s.scalars(
                select(SavedSearch).where(
                    SavedSearch.user_id == actor.user_id,
                    SavedSearch.entity == entity,
                    SavedSearch.name == name,
                    SavedSearch.deleted_at.is_(None),
                )
            ).first()
            if row is None:
                row = SavedSearch(user_id=actor.user_id, entity=entity, name=name, definition=definition)
                s.add(row)
            else:
                row.definition = definition
            s.flush()
            return SavedSearchRow(row.id, row.entity, row.name, row.definition)

    def delete(self, actor: Actor, saved_id: uuid.UUID) -> None:
        """Removes one of the actor's favourites. Raises NotFound (not theirs or gone). Writes."""
        with self._db.write(actor) as s:
            row = s.get(SavedSearch, saved_id)
            if row is None or row.user_id != actor.user_id or row.deleted_at is not None:
                raise NotFound("علاقه‌مندی")
            row.deleted_at = utcnow()
