"""The role lifecycle: سرنخ (lead) → مخاطب (contact) → مشتری (customer); lead ⇄ عدم کفایت سرنخ.

Moves are checked against one transition table (Tryton's style). A customer is made by issuing an
invoice: the documents service calls `mark_customer(session, identity_id)` inside its own
transaction. Converting keeps every record of the lead (it is the same row) and may open an
opportunity in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.domain.workflow import Workflow
from app.models import Identity, IdentityRole, Opportunity
from app.persian import normalize_text, search_key
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.core.labels import ROLE
from app.services.identities.names import CONTACT_NEEDS_NAME, is_named, name_field
from app.services.opportunities.pipelines import ensure_default_pipeline

L, C, U, K = IdentityRole.LEAD, IdentityRole.CONTACT, IdentityRole.UNQUALIFIED, IdentityRole.CUSTOMER
# The role workflow: (from, to) -> the action's Persian name. Customer comes from an issued invoice, from any role.
ROLE_FLOW: Workflow[IdentityRole] = Workflow(
    "هویت",
    {
        (L, C): "تبدیل به مخاطب",
        (U, C): "تبدیل به مخاطب",
        (L, U): "عدم کفایت سرنخ",
        (U, L): "بازگرداندن به سرنخ",
        (L, K): "ثبت به‌عنوان مشتری",
        (C, K): "ثبت به‌عنوان مشتری",
        (U, K): "ثبت به‌عنوان مشتری",
    },
    label=ROLE.__getitem__,
    refusal="{record} با نقش «{current}» را نمی‌توان به «{wanted}» تغییر داد.",
)


@dataclass(frozen=True)
class ConversionResult:
    identity_id: uuid.UUID
    role: IdentityRole
    opportunity_id: uuid.UUID | None


def allowed_moves(role: IdentityRole) -> list[IdentityRole]:
    """Roles a user may move to by hand from `role` (customer is left to invoices)."""
    return [to for to in ROLE_FLOW.targets(role) if to is not K]


def _move(identity: Identity, to: IdentityRole) -> None:
    if identity.role == to:
        return
    ROLE_FLOW.check(identity.role, to)
    identity.role = to


def mark_customer(session: Session, identity_id: uuid.UUID) -> None:
    """Makes the identity a customer inside the caller's transaction (invoice issuing). Idempotent;
    raises NotFound/AccessDenied like any fetch. Writes through the caller's session."""
    identity = fetch(session, Identity, identity_id, "هویت")
    if identity.role is not K:
        _move(identity, K)


class IdentityLifecycleService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def convert(
        self,
        actor: Actor,
        identity_id: uuid.UUID,
        opportunity_title: str | None = None,
        amount: int = 0,
    ) -> ConversionResult:
        """Lead (or unqualified) → contact, optionally opening an opportunity in the default pipeline's
        first stage, all in one transaction. Whoever may edit the identity. Raises ServiceError
        (not a lead), ValidationFailed (title too long, negative amount), NotFound, AccessDenied. Writes."""
        title = normalize_text(opportunity_title) if opportunity_title else ""
        errors = {}
        if len(title) > 300:
            errors["opportunity_title"] = "حداکثر ۳۰۰ نویسه مجاز است"
        if amount < 0:
            errors["amount"] = "مبلغ نمی‌تواند منفی باشد"
        if errors:
            raise ValidationFailed(errors)
        stages = ensure_default_pipeline(self._db) if title else []
        with self._db.write(actor) as s:
            identity = fetch(s, Identity, identity_id, "هویت")
            if identity.role not in (L, U):
                raise ServiceError("فقط سرنخ را می‌توان به مخاطب تبدیل کرد.")
            if not is_named(identity):
                # A contact needs a name; a lead may be known by its phone only.
                raise ValidationFailed({name_field(identity.kind): CONTACT_NEEDS_NAME})
            _move(identity, C)
            opportunity_id = None
            if title:
                first = stages[0]
                opportunity = Opportunity(
                    identity_id=identity.id,
                    title=title,
                    title_key=search_key(title),
                    pipeline_id=first["pipeline_id"],
                    stage_id=first["id"],
                    probability=first["probability"],
                    amount=amount,
                    owner_id=identity.owner_id or actor.user_id,
                    source_id=identity.source_id,
                )
                s.add(opportunity)
                s.flush()
                opportunity_id = opportunity.id
            return ConversionResult(identity.id, identity.role, opportunity_id)

    def mark_unqualified(self, actor: Actor, identity_id: uuid.UUID) -> IdentityRole:
        """Lead → «عدم کفایت سرنخ». Raises ServiceError (not a lead), NotFound, AccessDenied. Writes."""
        return self._set(actor, identity_id, U, {L})

    def requalify(self, actor: Actor, identity_id: uuid.UUID) -> IdentityRole:
        """Unqualified → lead again. Raises ServiceError, NotFound, AccessDenied. Writes."""
        return self._set(actor, identity_id, L, {U})

    def _set(self, actor: Actor, identity_id: uuid.UUID, to: IdentityRole, sources: set) -> IdentityRole:
        with self._db.write(actor) as s:
            identity = fetch(s, Identity, identity_id, "هویت")
            if identity.role not in sources:
                raise ServiceError(f"این کار برای هویت با نقش «{ROLE[identity.role]}» ممکن نیست.")
            _move(identity, to)
            return identity.role
