"""The tag management page «مدیریت برچسب‌ها» (seed 004): rename, colour, merge and remove tags.

Any user adds a tag while editing a record (identities.records.tags_by_name); renaming, colouring,
merging and removing one change labels on other users' records, so they are the administrator's.
A merge moves every link of one tag to the other in one transaction (link rows written as ORM objects,
so history and the change journal record each one) and removes the merged tag. Removal is soft: the
recycle bin or `restore` brings a tag back with its links.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import IdentityTag, OpportunityTag, Tag, utcnow
from app.persian import normalize_text, search_key
from app.services.core.access import DENIED_LIST
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound, ValidationFailed

COLOR = re.compile(r"^#[0-9a-f]{6}$")


@dataclass(frozen=True)
class TagRow:
    id: uuid.UUID
    name: str
    color: str | None
    identities: int  # how many identities carry it
    opportunities: int
    deleted: bool


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AccessDenied(DENIED_LIST)


def _usage(link) -> object:
    return select(link.tag_id, func.count().label("n")).group_by(link.tag_id).subquery()


class TagAdminService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list_tags(self, actor: Actor, include_deleted: bool = False) -> list[TagRow]:
        """Every tag by name with its colour and how many identities and opportunities carry it.
        Administrators only; reads."""
        _require_admin(actor)
        identities, opportunities = _usage(IdentityTag), _usage(OpportunityTag)
        stmt = (
            select(Tag, func.coalesce(identities.c.n, 0), func.coalesce(opportunities.c.n, 0))
            .outerjoin(identities, identities.c.tag_id == Tag.id)
            .outerjoin(opportunities, opportunities.c.tag_id == Tag.id)
            .order_by(Tag.name_key, Tag.id)
        )
        if not include_deleted:
            stmt = stmt.where(Tag.deleted_at.is_(None))
        with self._db.read(actor) as s:
            return [
                TagRow(t.id, t.name, t.color, n_ident, n_opp, t.deleted_at is not None)
                for t, n_ident, n_opp in s.execute(stmt)
            ]

    def rename(self, actor: Actor, tag_id: uuid.UUID, name: str) -> None:
        """Renames a tag; refuses an empty name or one another live tag already has. Administrators only."""
        _require_admin(actor)
        name = normalize_text(name)
        if not name:
            raise ValidationFailed({"name": "نام برچسب را بنویسید."})
        with self._db.write(actor) as s:
            tag = _live(s, tag_id)
            key = search_key(name)
            taken = s.scalar(select(Tag.id).where(Tag.name_key == key, Tag.id != tag.id, Tag.deleted_at.is_(None)))
            if taken is not None:
                raise ValidationFailed({"name": "برچسبی با این نام هست؛ برای یکی کردن آن‌ها «ادغام» را بزنید."})
            tag.name, tag.name_key = name, key

    def set_color(self, actor: Actor, tag_id: uuid.UUID, color: str | None) -> None:
        """Sets a tag's colour ("#rrggbb") or clears it (None). Administrators only."""
        _require_admin(actor)
        color = color.lower() if color else None
        if color is not None and not COLOR.match(color):
            raise ValidationFailed({"color": "رنگ نامعتبر است."})
        with self._db.write(actor) as s:
            _live(s, tag_id).color = color

    def merge(self, actor: Actor, merged_id: uuid.UUID, kept_id: uuid.UUID) -> int:
        """Moves every link of `merged_id` to `kept_id` and removes `merged_id`, in one transaction; a
        record carrying both keeps one link. Returns how many links moved. Administrators only."""
        _require_admin(actor)
        if merged_id == kept_id:
            raise ValidationFailed({"tag": "یک برچسب با خودش ادغام نمی‌شود."})
        moved = 0
        with self._db.write(actor) as s:
            merged, kept = _live(s, merged_id), _live(s, kept_id)
            for link, parent in ((IdentityTag, "identity_id"), (OpportunityTag, "opportunity_id")):
                already = set(s.scalars(select(getattr(link, parent)).where(link.tag_id == kept.id)))
                for row in s.scalars(select(link).where(link.tag_id == merged.id)).all():
                    if getattr(row, parent) in already:
                        s.delete(row)
                    else:
                        row.tag_id = kept.id
                        moved += 1
            merged.deleted_at = utcnow()
        return moved

    def delete(self, actor: Actor, tag_id: uuid.UUID) -> None:
        """Removes a tag (soft: its links stay and come back with it). Administrators only."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            _live(s, tag_id).deleted_at = utcnow()

    def restore(self, actor: Actor, tag_id: uuid.UUID) -> None:
        """Brings a removed tag back; refused while a live tag has its name. Administrators only."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            tag = s.get(Tag, tag_id)
            if tag is None:
                raise NotFound("برچسب")
            clash = s.scalar(select(Tag.id).where(Tag.name_key == tag.name_key, Tag.deleted_at.is_(None)))
            if clash is not None and clash != tag.id:
                raise ValidationFailed({"name": "برچسب دیگری با همین نام هست؛ اول آن را تغییر نام دهید."})
            tag.deleted_at = None


def _live(s, tag_id: uuid.UUID) -> Tag:
    tag = s.get(Tag, tag_id)
    if tag is None or tag.deleted_at is not None:
        raise NotFound("برچسب")
    return tag
