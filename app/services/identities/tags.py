"""Tags «برچسب»: free labels any user adds while editing an identity (see identity_records.tags_by_name)."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Tag
from app.persian import search_key
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.identities.service import Choice


class TagService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def tags(self, actor: Actor, text: str = "", limit: int = 200) -> list[Choice]:
        """Live tags whose name contains `text`, by name (the form's completer, the filters). Anyone; reads."""
        stmt = select(Tag.id, Tag.name).where(Tag.deleted_at.is_(None)).order_by(Tag.name).limit(limit)
        key = search_key(text)
        if key:
            stmt = stmt.where(Tag.name_key.contains(key, autoescape=True))
        with self._db.read(actor) as s:
            return [Choice(i, name) for i, name in s.execute(stmt)]

    def colors(self, actor: Actor) -> dict:
        """Each live coloured tag's colour ("#rrggbb") by id: the chips of the pick lists. Anyone; reads."""
        stmt = select(Tag.id, Tag.color).where(Tag.deleted_at.is_(None), Tag.color.is_not(None))
        with self._db.read(actor) as s:
            return dict(s.execute(stmt).all())
