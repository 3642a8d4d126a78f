"""Duplicate detection: the same normalised name, mobile/phone, e-mail, national code or legal ID.

No UNIQUE constraints hold these (two laptops may create the same person offline, see sync.md):
the form warns before creating and the import decides per row (skip, merge or create).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Identity, IdentityEmail, IdentityKind, IdentityPhone, IdentityRole, User
from app.services.core.access import SKIP
from app.services.core.errors import ServiceError

REASONS = {
    "name": "نام یکسان",
    "phone": "شماره تلفن یکسان",
    "email": "ایمیل یکسان",
    "national_code": "کد ملی یکسان",
    "legal_id": "شناسه ملی یکسان",
}
CHUNK = 500  # values per IN (...) list: well under SQLite's variable limit


@dataclass(frozen=True)
class DuplicateKeys:
    """What two identities are compared on, already normalised."""

    name_key: str = ""
    phones: tuple[str, ...] = ()  # ASCII digits
    emails: tuple[str, ...] = ()  # casefolded
    national_code: str | None = None
    legal_id: str | None = None

    @property
    def has_strong_key(self) -> bool:
        """A phone, e-mail or code: with one, a bare name match is not reported by the import."""
        return bool(self.phones or self.emails or self.national_code or self.legal_id)


@dataclass(frozen=True)
class DuplicateCandidate:
    id: uuid.UUID
    display_name: str
    kind: IdentityKind
    role: IdentityRole
    mobile: str | None
    city: str | None
    owner_name: str | None
    reasons: tuple[str, ...]  # Persian, e.g. («موبایل یکسان»,)


class DuplicatesFound(ServiceError):
    """Creating would duplicate visible identities (`candidates`); `hidden` more are not the actor's."""

    def __init__(self, candidates: list[DuplicateCandidate], hidden: int = 0) -> None:
        super().__init__("هویت‌های مشابهی از قبل ثبت شده‌اند.")
        self.candidates = candidates
        self.hidden = hidden


def _live(stmt):
    return stmt.where(Identity.deleted_at.is_(None), Identity.merged_into_id.is_(None))


def _chunks(values: list) -> Iterable[list]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _lookups():
    """(reason, value column, statement selecting (value, identity id)) for each kind of key."""
    phone = select(IdentityPhone.number_key, Identity.id).join(Identity, Identity.id == IdentityPhone.identity_id)
    email = select(IdentityEmail.email_key, Identity.id).join(Identity, Identity.id == IdentityEmail.identity_id)
    return [
        ("name", Identity.name_key, _live(select(Identity.name_key, Identity.id))),
        ("phone", IdentityPhone.number_key, _live(phone.where(IdentityPhone.deleted_at.is_(None)))),
        ("email", IdentityEmail.email_key, _live(email.where(IdentityEmail.deleted_at.is_(None)))),
        ("national_code", Identity.national_code, _live(select(Identity.national_code, Identity.id))),
        ("legal_id", Identity.legal_id, _live(select(Identity.legal_id, Identity.id))),
    ]


def index_matches(s: Session, keys: list[DuplicateKeys], skip_access: bool = False) -> dict[str, dict]:
    """For many rows at once (the import): {reason: {value: {identity ids}}} over live identities."""
    wanted: dict[str, set] = defaultdict(set)
    for k in keys:
        if k.name_key:
            wanted["name"].add(k.name_key)
        wanted["phone"].update(k.phones)
        wanted["email"].update(k.emails)
        if k.national_code:
            wanted["national_code"].add(k.national_code)
        if k.legal_id:
            wanted["legal_id"].add(k.legal_id)
    found: dict[str, dict] = {reason: defaultdict(set) for reason in REASONS}
    for reason, column, stmt in _lookups():
        values = sorted(wanted[reason])
        for chunk in _chunks(values):
            query = stmt.where(column.in_(chunk))
            if skip_access:
                query = query.execution_options(**{SKIP: True})
            for value, identity_id in s.execute(query):
                found[reason][value].add(identity_id)
    return found


def matches_of(found: dict[str, dict], keys: DuplicateKeys, names: bool = True) -> dict[uuid.UUID, list[str]]:
    """{identity id: [reasons]} for one row, from index_matches' result."""
    hits: dict[uuid.UUID, list[str]] = defaultdict(list)
    values = {
        "name": [keys.name_key] if names and keys.name_key else [],
        "phone": keys.phones,
        "email": keys.emails,
        "national_code": [keys.national_code] if keys.national_code else [],
        "legal_id": [keys.legal_id] if keys.legal_id else [],
    }
    for reason, items in values.items():
        for value in items:
            for identity_id in found[reason].get(value, ()):
                if reason not in hits[identity_id]:
                    hits[identity_id].append(reason)
    return hits


def candidates(s: Session, keys: DuplicateKeys, exclude: Iterable[uuid.UUID] = (), limit: int = 20):
    """Visible identities matching `keys` (best first) and how many more exist that are not visible."""
    excluded = set(exclude)
    everyone = {
        i: r for i, r in matches_of(index_matches(s, [keys], skip_access=True), keys).items() if i not in excluded
    }
    visible = matches_of(index_matches(s, [keys]), keys)
    hits = {i: r for i, r in visible.items() if i not in excluded}
    hidden = len(set(everyone) - set(hits))
    if not hits:
        return [], hidden
    ids = sorted(hits, key=lambda i: (-len(hits[i]), str(i)))[:limit]
    stmt = select(Identity, User.display_name).outerjoin(User, User.id == Identity.owner_id).where(Identity.id.in_(ids))
    rows = {identity.id: (identity, owner) for identity, owner in s.execute(stmt)}
    result = []
    for i in ids:
        if i in rows:
            identity, owner = rows[i]
            reasons = tuple(REASONS[r] for r in hits[i])
            result.append(
                DuplicateCandidate(
                    identity.id,
                    identity.display_name,
                    identity.kind,
                    identity.role,
                    identity.primary_mobile,
                    identity.primary_city,
                    owner,
                    reasons,
                )
            )
    return result, hidden
