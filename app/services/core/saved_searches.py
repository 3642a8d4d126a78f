"""Favourite searches «علاقه‌مندی‌ها», per user and per list (identities, opportunities ...).

Each user sees and changes only their own favourites, administrators included: a favourite is a
personal shortcut. One may be shared with the owner's sales team: its members see it read-only, only
its owner changes or removes it (the same rule as saved_searches' row security on the server).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.models import SavedSearch, User, utcnow
from app.persian import normalize_text, sort_key
from app.services.core.access import SKIP, teams_of
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound, ServiceError, ValidationFailed

NOT_OWNER = "این علاقه‌مندی را همکارتان با تیم به اشتراک گذاشته است؛ فقط خود او می‌تواند آن را تغییر دهد یا حذف کند."
NO_TEAM = "شما عضو هیچ تیمی نیستید؛ علاقه‌مندی را نمی‌توان با تیم به اشتراک گذاشت."


@dataclass(frozen=True)
class SavedSearchRow:
    id: uuid.UUID
    entity: str
    name: str
    definition: dict
    shared: bool = False  # shared with the owner's team
    mine: bool = True  # the actor's own; else a teammate's, read-only
    owner_name: str = ""


def _row(r: SavedSearch, actor: Actor, owner_name: str = "") -> SavedSearchRow:
    return SavedSearchRow(
        r.id, r.entity, r.name, r.definition, r.team_id is not None, r.user_id == actor.user_id, owner_name
    )


def _team_of(s, actor: Actor):
    return s.scalar(select(User.team_id).where(User.id == actor.user_id))


def _require_user(actor: Actor) -> None:
    if actor.user_id is None:
        raise ServiceError("علاقه‌مندی‌ها مخصوص کاربران است.")


class SavedSearchService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self, actor: Actor, entity: str = "identities") -> list[SavedSearchRow]:
        """The actor's own favourites for one list and those shared with their team, by name. Any user; reads."""
        if actor.user_id is None:
            return []
        with self._db.read(actor) as s:
            # Shared with any team the actor belongs to: a favourite is shared with its owner's main team,
            # and a member of several teams reads every one's.
            teams = teams_of(s, actor.user_id)
            seen = SavedSearch.user_id == actor.user_id
            if teams:
                seen = seen | SavedSearch.team_id.in_(teams)
            # The rule above is this table's whole access rule: the owner filter of the general policy
            # would hide a teammate's shared favourite from an own-documents rep.
            stmt = (
                select(SavedSearch, User.display_name)
                .join(User, User.id == SavedSearch.user_id)
                .where(seen, SavedSearch.entity == entity, SavedSearch.deleted_at.is_(None))
                .execution_options(**{SKIP: True})
            )
            rows = sorted(s.execute(stmt), key=lambda r: sort_key(r[0].name))  # one team's few searches
            return [_row(r, actor, owner) for r, owner in rows]

    def save(
        self, actor: Actor, name: str, definition: dict, entity: str = "identities", shared: bool = False
    ) -> SavedSearchRow:
        """Saves (or replaces, by name) a favourite of the actor, shared with the actor's team or private.
        Any user; raises ValidationFailed (no name; shared without a team), ServiceError (the system
        actor). Writes."""
        _require_user(actor)
        name = normalize_text(name)
        if not name:
            raise ValidationFailed({"name": "نام علاقه‌مندی را وارد کنید"})
        if len(name) > 200:
            raise ValidationFailed({"name": "حداکثر ۲۰۰ نویسه مجاز است"})
        with self._db.write(actor) as s:
            team = _team_of(s, actor) if shared else None
            if shared and team is None:
                raise ValidationFailed({"shared": NO_TEAM})
            row = s.scalars(
                select(SavedSearch).where(
                    SavedSearch.user_id == actor.user_id,
                    SavedSearch.entity == entity,
                    SavedSearch.name == name,
                    SavedSearch.deleted_at.is_(None),
                )
            ).first()
            if row is None:
                row = SavedSearch(user_id=actor.user_id, entity=entity, name=name, definition=definition, team_id=team)
                s.add(row)
            else:
                row.definition, row.team_id = definition, team
            s.flush()
            return _row(row, actor, actor.display_name)

    def delete(self, actor: Actor, saved_id: uuid.UUID) -> None:
        """Removes one of the actor's favourites. Raises AccessDenied (a teammate's shared one), NotFound
        (gone, or not visible to the actor). Writes."""
        with self._db.write(actor) as s:
            row = s.scalars(
                select(SavedSearch).where(SavedSearch.id == saved_id).execution_options(**{SKIP: True})
            ).first()
            if row is None or row.deleted_at is not None:
                raise NotFound("علاقه‌مندی")
            if row.user_id != actor.user_id:
                if row.team_id is not None and row.team_id in teams_of(s, actor.user_id):
                    raise AccessDenied(NOT_OWNER)
                raise NotFound("علاقه‌مندی")
            # No longer shared either: the owner may have left the team it named since.
            row.deleted_at, row.team_id = utcnow(), None
