"""Identity categories «دسته‌بندی»: a tree the administrator edits; everyone files identities in it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import Category, Identity, utcnow
from app.persian import normalize_text
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ServiceError, ValidationFailed

DENIED = "فقط مدیر می‌تواند دسته‌بندی‌ها را تغییر دهد."


@dataclass(frozen=True)
class CategoryNode:
    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None
    depth: int
    position: int


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AccessDenied(DENIED)


def _ordered(rows: list[Category]) -> list[CategoryNode]:
    """Depth-first, siblings in the rows' order (the Persian alphabet's): the order a tree widget shows."""
    children: dict = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    result: list[CategoryNode] = []

    def walk(parent, depth: int) -> None:
        for row in children.get(parent, []):
            result.append(CategoryNode(row.id, row.name, row.parent_id, depth, row.position))
            walk(row.id, depth + 1)

    walk(None, 0)
    return result


class CategoryService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def tree(self, actor: Actor) -> list[CategoryNode]:
        """Every live category, depth-first. Anyone; reads."""
        with self._db.read(actor) as s:
            stmt = select(Category).where(Category.deleted_at.is_(None))
            rows = list(s.scalars(stmt.order_by(Category.name_sort, Category.position, Category.id)))
            return _ordered(rows)

    def save(
        self, actor: Actor, name: str, parent_id: uuid.UUID | None = None, category_id: uuid.UUID | None = None
    ) -> CategoryNode:
        """Creates a category (category_id None) or renames/moves one. Administrators only; raises
        AccessDenied, ValidationFailed (empty name, a parent inside itself), NotFound. Writes."""
        _require_admin(actor)
        name = normalize_text(name)
        if not name:
            raise ValidationFailed({"name": "نام دسته‌بندی را وارد کنید"})
        if len(name) > 200:
            raise ValidationFailed({"name": "حداکثر ۲۰۰ نویسه مجاز است"})
        with self._db.write(actor) as s:
            if parent_id is not None:
                fetch(s, Category, parent_id, "دسته‌بندی بالاتر")
            if category_id is None:
                position = s.scalar(select(func.count()).where(Category.parent_id == parent_id)) or 0
                row = Category(name=name, parent_id=parent_id, position=position)
                s.add(row)
            else:
                row = fetch(s, Category, category_id, "دسته‌بندی")
                if parent_id is not None and self._is_inside(s, parent_id, category_id):
                    raise ValidationFailed({"parent_id": "یک دسته‌بندی نمی‌تواند زیرمجموعه خودش باشد"})
                row.name, row.parent_id = name, parent_id
            s.flush()
            return CategoryNode(row.id, row.name, row.parent_id, 0, row.position)

    @staticmethod
    def _is_inside(s, candidate: uuid.UUID, ancestor: uuid.UUID) -> bool:
        current = candidate
        seen = set()
        while current is not None and current not in seen:
            if current == ancestor:
                return True
            seen.add(current)
            current = s.scalar(select(Category.parent_id).where(Category.id == current))
        return False

    def delete(self, actor: Actor, category_id: uuid.UUID) -> None:
        """Removes an empty category (no sub-categories, no identities). Administrators only; raises
        AccessDenied, ServiceError (in use), NotFound. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            row = fetch(s, Category, category_id, "دسته‌بندی")
            children = s.scalar(
                select(func.count()).where(Category.parent_id == category_id, Category.deleted_at.is_(None))
            )
            if children:
                raise ServiceError("این دسته‌بندی زیرمجموعه دارد؛ ابتدا آن‌ها را جابه‌جا یا حذف کنید.")
            used = s.scalar(
                select(func.count())
                .select_from(Identity)
                # Live rows (a merged one is gone too): the count reads the partial live index.
                .where(Identity.category_id == category_id, Identity.deleted_at.is_(None))
                .where(Identity.merged_into_id.is_(None))
            )
            if used:
                raise ServiceError("هویت‌هایی در این دسته‌بندی هستند؛ ابتدا آن‌ها را به دسته‌بندی دیگری ببرید.")
            row.deleted_at = utcnow()
