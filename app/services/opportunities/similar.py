"""Similar opportunities (فرصت‌های مشابه, seed 004): the other opportunities of the same identity, or of an
identity with one of its phone numbers or e-mail addresses. The form shows their count; one click lists them.

Both reads are one query each under the access policy, so a user counts only what they may see. Merged
and deleted opportunities do not count; closed ones do (a customer's history is what the count is for).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import aliased

from app.models import Identity, IdentityEmail, IdentityPhone, Opportunity, OpportunityStatus, Stage, User
from app.services.core.access import with_customers
from app.services.core.actor import Actor
from app.services.core.database import Database

SAME_IDENTITY, SAME_PHONE, SAME_EMAIL = "همان هویت", "تلفن یکسان", "ایمیل یکسان"


@dataclass(frozen=True)
class SimilarRow:
    id: uuid.UUID
    title: str
    identity_name: str
    stage_name: str
    status: OpportunityStatus
    amount: int
    owner_name: str | None
    reason: str  # why it is similar: SAME_IDENTITY, SAME_PHONE or SAME_EMAIL


def _shared(model, key, identity_id: uuid.UUID) -> Select:
    """The identities that have one of `identity_id`'s phone numbers (or e-mail addresses)."""
    own = aliased(model)
    keys = select(getattr(own, key)).where(
        own.identity_id == identity_id, own.deleted_at.is_(None), getattr(own, key) != ""
    )
    return select(model.identity_id).where(getattr(model, key).in_(keys), model.deleted_at.is_(None))


def _conditions(identity_id: uuid.UUID, exclude_id: uuid.UUID | None) -> tuple[ColumnElement[bool], ...]:
    same = Opportunity.identity_id == identity_id
    phone = Opportunity.identity_id.in_(_shared(IdentityPhone, "number_key", identity_id))
    email = Opportunity.identity_id.in_(_shared(IdentityEmail, "email_key", identity_id))
    live = and_(Opportunity.deleted_at.is_(None), Opportunity.merged_into_id.is_(None))
    other = Opportunity.id != exclude_id if exclude_id is not None else Opportunity.id.is_not(None)
    return live, other, same | phone | email, same, phone


class SimilarOpportunityService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def count(self, actor: Actor, identity_id: uuid.UUID, exclude_id: uuid.UUID | None = None) -> int:
        """How many opportunities other than `exclude_id` share the identity, a phone or an e-mail with
        `identity_id`. Anyone (within what they may see); reads only, one query."""
        live, other, similar, _same, _phone = _conditions(identity_id, exclude_id)
        with self._db.read(actor) as s:
            return s.scalar(select(func.count()).select_from(Opportunity).where(live, other, similar))

    def rows(self, actor: Actor, identity_id: uuid.UUID, exclude_id: uuid.UUID | None = None) -> list[SimilarRow]:
        """The opportunities count() counts, newest first, each with why it is similar. As count()."""
        live, other, similar, same, phone = _conditions(identity_id, exclude_id)
        reason = case((same, SAME_IDENTITY), (phone, SAME_PHONE), else_=SAME_EMAIL)
        stmt = with_customers(
            select(
                Opportunity.id,
                Opportunity.title,
                Identity.display_name,
                Stage.name,
                Opportunity.status,
                Opportunity.amount,
                User.display_name,
                reason,
            )
            .join(Identity, Identity.id == Opportunity.identity_id)
            .join(Stage, Stage.id == Opportunity.stage_id)
            .outerjoin(User, User.id == Opportunity.owner_id)
            .where(live, other, similar)
            .order_by(Opportunity.created_at.desc(), Opportunity.id)
        )
        with self._db.read(actor) as s:
            return [SimilarRow(*row) for row in s.execute(stmt)]
