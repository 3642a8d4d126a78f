"""What the quote, invoice, return and receipt services share: checks, names, the buyer copy."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Identity,
    IdentityAddress,
    IdentityPhone,
    IdentityRole,
    Opportunity,
    User,
)
from app.models.enums import BuyerType, IdentityKind, PhoneKind
from app.persian import normalize_text
from app.services.core.access import SKIP, fetch
from app.services.core.actor import Actor
from app.services.core.concurrency import ensure_version
from app.services.core.errors import ValidationFailed

from .glyphs import unprintable

IDENTITY = "هویت"
OPPORTUNITY = "فرصت"
MAX_NOTES = 4000


@dataclass(frozen=True)
class Buyer:
    """The buyer as copied onto an issued invoice (Moadian tob, bid, tinb, bpc ...)."""

    buyer_type: BuyerType | None = None
    name: str = ""
    national_id: str = ""
    economic_code: str = ""
    registration_no: str = ""
    postal_code: str = ""
    address: str = ""
    phone: str = ""


def today() -> dt.date:
    return dt.date.today()


def identity_for_document(session: Session, identity_id: uuid.UUID | None, field: str = "identity_id") -> Identity:
    """The visible, live identity a document is for; ValidationFailed/AccessDenied otherwise."""
    if identity_id is None:
        raise ValidationFailed({field: "مشتری (هویت) را انتخاب کنید."})
    identity = fetch(session, Identity, identity_id, IDENTITY)
    if identity.merged_into_id is not None:
        raise ValidationFailed({field: "این هویت در هویت دیگری ادغام شده است؛ هویت اصلی را انتخاب کنید."})
    return identity


def opportunity_for_document(
    session: Session, opportunity_id: uuid.UUID | None, identity_id: uuid.UUID
) -> Opportunity | None:
    if opportunity_id is None:
        return None
    opportunity = fetch(session, Opportunity, opportunity_id, OPPORTUNITY)
    if opportunity.identity_id != identity_id:
        raise ValidationFailed({"opportunity_id": "این فرصت متعلق به مشتری انتخاب‌شده نیست."})
    return opportunity


def check_version(obj, version: int | None) -> None:
    """The form's version must still be the stored one (sync.md §3.1, the desktop gotcha)."""
    ensure_version(obj, version)


def clean_notes(notes: str | None) -> str | None:
    text = (notes or "").strip()
    if len(text) > MAX_NOTES:
        raise ValidationFailed({"notes": "توضیحات بیش از حد طولانی است."})
    missing = unprintable(text)
    if missing:  # the PDF would drop them silently
        raise ValidationFailed({"notes": f"«{missing}» در سند چاپی دیده نمی‌شود (شکلک یا نماد)؛ آن را بردارید."})
    return normalize_text(text) or None


def default_owner(actor: Actor, identity: Identity) -> uuid.UUID | None:
    return actor.user_id or identity.owner_id


def names(session: Session, model, column, ids: Iterable) -> dict:
    """id -> display column for the given ids, whoever owns them (labels of visible documents)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    stmt = select(model.id, column).where(model.id.in_(wanted)).execution_options(**{SKIP: True})
    return dict(session.execute(stmt).all())


def identity_names(session: Session, ids: Iterable) -> dict:
    return names(session, Identity, Identity.display_name, ids)


def opportunity_titles(session: Session, ids: Iterable) -> dict:
    return names(session, Opportunity, Opportunity.title, ids)


def user_names(session: Session, ids: Iterable) -> dict:
    return names(session, User, User.display_name, ids)


def buyer_of(session: Session, identity: Identity) -> Buyer:
    """The identity's tax details now: what an invoice copies when it is issued."""
    person = identity.kind is IdentityKind.PERSON
    address = session.scalars(
        select(IdentityAddress)
        .where(IdentityAddress.identity_id == identity.id, IdentityAddress.deleted_at.is_(None))
        .order_by(IdentityAddress.position)
        .limit(1)
        .execution_options(**{SKIP: True})
    ).first()
    phones = session.scalars(
        select(IdentityPhone)
        .where(IdentityPhone.identity_id == identity.id, IdentityPhone.deleted_at.is_(None))
        .order_by(IdentityPhone.position)
        .execution_options(**{SKIP: True})
    ).all()
    # Landlines print first on the form («شماره تلفن / نمابر»); a mobile is better than nothing.
    phone = next((p for p in phones if p.kind is PhoneKind.WORK), None) or (phones[0] if phones else None)
    street = ""
    if address is not None:
        street = "، ".join(part for part in (address.province, address.city, address.street) if part)
    return Buyer(
        buyer_type=BuyerType.PERSON if person else BuyerType.LEGAL,
        name=identity.display_name,
        national_id=(identity.national_code if person else identity.legal_id) or "",
        economic_code=identity.economic_code or "",
        registration_no=identity.registration_no or "",
        postal_code=(address.postal_code if address is not None else None) or "",
        address=street,
        phone=phone.number if phone is not None else "",
    )


def mark_customer(session: Session, identity: Identity) -> None:
    """An identity with an issued invoice is a customer: the identities area's rule when it has one
    (app.services.identities.lifecycle.mark_customer), else the role is set here, in the same transaction.

    Not a customer yet: the row is locked and re-read first, so two users issuing the first invoices of one
    identity at once queue here (the second then finds a customer) instead of one failing with ConcurrentChange.
    """
    if identity.role is not IdentityRole.CUSTOMER:
        session.refresh(identity, with_for_update=True)
    try:
        from app.services.identities.lifecycle import mark_customer as provided
    except ImportError:  # pragma: no cover - the identities area not present
        provided = None
    if provided is not None:
        provided(session, identity.id)
    elif identity.role is not IdentityRole.CUSTOMER:
        identity.role = IdentityRole.CUSTOMER
