"""Duplicate detection: the same normalised name, mobile/phone, e-mail, national code or legal ID.

No UNIQUE constraints hold these (two laptops may create the same person offline, see sync.md):
the form warns before creating and the import decides per row (skip, merge or create).
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, literal_column, select, union_all
from sqlalchemy.orm import Session

from app.models import Identity, IdentityEmail, IdentityKind, IdentityPhone, IdentityRole, User
from app.services.core.access import SKIP, is_restricted
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


def _branch(reason: str):
    """SELECT (reason number, value, identity id) of live identities whose `reason` key is in :<reason>."""
    number = literal_column(str(list(REASONS).index(reason))).label("reason")
    wanted = bindparam(reason, expanding=True)
    if reason == "phone":
        stmt = select(number, IdentityPhone.number_key, Identity.id).join(
            Identity, Identity.id == IdentityPhone.identity_id
        )
        return _live(stmt.where(IdentityPhone.deleted_at.is_(None), IdentityPhone.number_key.in_(wanted)))
    if reason == "email":
        stmt = select(number, IdentityEmail.email_key, Identity.id).join(
            Identity, Identity.id == IdentityEmail.identity_id
        )
        return _live(stmt.where(IdentityEmail.deleted_at.is_(None), IdentityEmail.email_key.in_(wanted)))
    column = {"name": Identity.name_key, "national_code": Identity.national_code, "legal_id": Identity.legal_id}
    return _live(select(number, column[reason], Identity.id).where(column[reason].in_(wanted)))


@functools.cache
def _lookup(reasons: frozenset[str]):
    """One statement for the kinds of key asked for (UNION ALL of their look-ups), built once per set:
    the form's check is a single round trip and compiles nothing after the first time."""
    branches = [_branch(reason) for reason in REASONS if reason in reasons]
    return (branches[0] if len(branches) == 1 else union_all(*branches)).execution_options(**{SKIP: True})


def index_matches(s: Session, keys: list[DuplicateKeys], skip_access: bool = False) -> dict[str, dict]:
    """For many rows at once (the import): {reason: {value: {identity ids}}} over live identities; without
    skip_access only those the actor may see."""
    hits = _hits(s, keys)
    return _grouped(hits if skip_access else _visible_only(s, hits))


def _hits(s: Session, keys: list[DuplicateKeys]) -> list[tuple[str, str, uuid.UUID]]:
    """(reason, value, identity id) of every live identity sharing a key with `keys`, visible or not."""
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
    values = {reason: sorted(found) for reason, found in wanted.items() if found}
    reasons = list(REASONS)
    hits: list[tuple[str, str, uuid.UUID]] = []
    s.flush()  # as autoflush would: the look-up then runs on the connection, without the ORM's execution
    conn = s.connection()
    for start in range(0, max(map(len, values.values()), default=0), CHUNK):
        chunk = {reason: v[start : start + CHUNK] for reason, v in values.items() if v[start : start + CHUNK]}
        hits += [(reasons[n], value, i) for n, value, i in conn.execute(_lookup(frozenset(chunk)), chunk)]
    return hits


def _grouped(hits: list[tuple]) -> dict[str, dict]:
    found: dict[str, dict] = {reason: defaultdict(set) for reason in REASONS}
    for reason, value, identity_id in hits:
        found[reason][value].add(identity_id)
    return found


def _visible_only(s: Session, hits: list[tuple]) -> list[tuple]:
    """The hits on identities the actor may see (the access policy filters this query)."""
    if not hits or not is_restricted(s.info.get("actor")):
        return hits
    ids = sorted({i for _, _, i in hits})
    visible = set()
    for start in range(0, len(ids), CHUNK):
        visible.update(s.scalars(select(Identity.id).where(Identity.id.in_(ids[start : start + CHUNK]))))
    return [hit for hit in hits if hit[2] in visible]


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
    found = _hits(s, [keys])
    every_hit = {i for i in matches_of(_grouped(found), keys) if i not in excluded}
    if not every_hit:
        return [], 0
    visible = matches_of(_grouped(_visible_only(s, found)), keys)
    hits = {i: r for i, r in visible.items() if i not in excluded}
    hidden = len(every_hit - set(hits))
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
