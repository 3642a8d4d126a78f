"""The same person created on two laptops (or on a laptop and at the office): identities that share a
phone, an e-mail or a national or legal code, found among those the user sees (sync.md §2.7)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Identity, IdentityEmail, IdentityPhone
from app.services.identities.duplicates import REASONS, DuplicateKeys, index_matches, matches_of


def _keys(s: Session, identity_id: uuid.UUID) -> DuplicateKeys:
    identity = s.get(Identity, identity_id)
    phones = s.scalars(
        select(IdentityPhone.number_key).where(
            IdentityPhone.identity_id == identity_id, IdentityPhone.deleted_at.is_(None)
        )
    )
    emails = s.scalars(
        select(IdentityEmail.email_key).where(
            IdentityEmail.identity_id == identity_id, IdentityEmail.deleted_at.is_(None)
        )
    )
    return DuplicateKeys(
        phones=tuple(p for p in phones if p),
        emails=tuple(e for e in emails if e),
        national_code=identity.national_code,
        legal_id=identity.legal_id,
    )


def proposals(s: Session, new_ids: list[uuid.UUID]) -> Iterator[tuple[uuid.UUID, uuid.UUID, str]]:
    """(new identity, an older one it may be, the Persian reasons) for each match."""
    fresh = set(new_ids)
    for identity_id in new_ids:
        keys = _keys(s, identity_id)
        if not keys.has_strong_key:
            continue
        found = matches_of(index_matches(s, [keys]), keys, names=False)
        for other, reasons in sorted(found.items(), key=lambda item: str(item[0])):
            if other not in fresh:
                yield identity_id, other, "، ".join(REASONS[r] for r in reasons)
