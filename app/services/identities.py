"""Identity queries and lifecycle. Lists are paged and sorted in SQL so 200,000 rows stay instant."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.models import (
    Identity,
    IdentityAddress,
    IdentityPhone,
    IdentityRole,
    PhoneKind,
    User,
    utcnow,
)
from app.models.enums import IdentityKind
from app.persian import search_key, to_ascii_digits
from app.services.access import fetch
from app.services.actor import Actor
from app.services.database import Database


@dataclass(frozen=True)
class IdentityQuery:
    text: str = ""
    role: IdentityRole | None = None
    sort: str = "display_name"  # a key of SORT_COLUMNS
    descending: bool = False


@dataclass(frozen=True)
class IdentityRow:
    id: uuid.UUID
    display_name: str
    kind: IdentityKind
    role: IdentityRole
    mobile: str | None
    city: str | None
    owner_name: str | None
    created_at: dt.datetime


_mobile = (
    select(IdentityPhone.number)
    .where(IdentityPhone.identity_id == Identity.id, IdentityPhone.deleted_at.is_(None))
    .order_by(IdentityPhone.kind != PhoneKind.MOBILE, IdentityPhone.position)
    .limit(1)
    .correlate(Identity)
    .scalar_subquery()
)
_city = (
    select(IdentityAddress.city)
    .where(IdentityAddress.identity_id == Identity.id, IdentityAddress.deleted_at.is_(None))
    .order_by(IdentityAddress.position)
    .limit(1)
    .correlate(Identity)
    .scalar_subquery()
)
_owner = aliased(User)

SORT_COLUMNS: dict[str, ColumnElement] = {
    "display_name": Identity.name_key,
    "role": Identity.role,
    "mobile": _mobile,
    "city": _city,
    "owner_name": _owner.display_name,
    "created_at": Identity.created_at,
}


def _filters(query: IdentityQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Identity.deleted_at.is_(None),
        Identity.merged_into_id.is_(None),
    ]
    if query.role is not None:
        conditions.append(Identity.role == query.role)
    key = search_key(query.text)
    if key:
        digits = to_ascii_digits(query.text).replace(" ", "").replace("-", "")
        matches = [Identity.name_key.contains(key, autoescape=True)]
        if digits.isdigit():
            matches.append(Identity.national_code.startswith(digits, autoescape=True))
            matches.append(
                exists().where(
                    IdentityPhone.identity_id == Identity.id,
                    IdentityPhone.number_key.contains(digits, autoescape=True),
                )
            )
        conditions.append(or_(*matches))
    return conditions


class IdentityService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _select(self, query: IdentityQuery) -> Select:
        return (
            select(
                Identity.id,
                Identity.display_name,
                Identity.kind,
                Identity.role,
                _mobile.label("mobile"),
                _city.label("city"),
                _owner.display_name,
                Identity.created_at,
            )
            .outerjoin(_owner, _owner.id == Identity.owner_id)
            .where(and_(*_filters(query)))
        )

    def search(self, actor: Actor, query: IdentityQuery, offset: int = 0, limit: int = 200) -> list[IdentityRow]:
        """A page of identities the actor may see, sorted in SQL. Reads only."""
        column = SORT_COLUMNS.get(query.sort, Identity.name_key)
        order = column.desc() if query.descending else column.asc()
        stmt = self._select(query).order_by(order, Identity.id).offset(offset).limit(limit)
        with self._db.read(actor) as s:
            return [IdentityRow(*row) for row in s.execute(stmt)]

    def count(self, actor: Actor, query: IdentityQuery) -> int:
        stmt = select(func.count()).select_from(Identity).where(and_(*_filters(query)))
        with self._db.read(actor) as s:
            return s.scalar(stmt)

    def soft_delete(self, actor: Actor, identity_id: uuid.UUID) -> None:
        """Marks the identity deleted (recoverable); raises NotFound. Writes."""
        with self._db.write(actor) as s:
            fetch(s, Identity, identity_id, "هویت").deleted_at = utcnow()
