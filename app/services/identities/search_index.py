"""The identities' quick-search index and the columns derived from an identity's children.

`Identity.search_blob` holds the search keys (app.persian.search_key) of the name, the phones as
ASCII digits, the e-mails and the national code / legal ID / economic code, space-separated.
SQLite indexes the live identities' blobs with the FTS5 trigram table `identity_search` (kept by
triggers, see app/migrations/raw_ddl.py), so any substring of three or more characters is found in a
few milliseconds among a million identities; its rowid holds the identity's rowid in its low RID_BITS
(`hit_rowids`). PostgreSQL matches it with ILIKE (the office-server migration adds a pg_trgm index).

`keep_derived_columns` is a session hook (installed by app.services.core.database after the audit hook,
so derived values never clutter the history): whenever an identity or one of its phones, e-mails
or addresses is written through the ORM, it refreshes search_blob, city and primary_mobile.
Bulk Core inserts (demo, import) call `blob_for` and `derived_values` themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    and_,
    func,
    inspect,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from app.migrations.raw_ddl import RID_BITS
from app.models import Identity, IdentityAddress, IdentityEmail, IdentityPhone
from app.models.enums import PhoneKind
from app.persian import search_key, sort_key, to_ascii_digits
from app.persian.sort import ALPHABET, LEVELS

# The FTS5 table as SQLAlchemy sees it (its own metadata: migrations create it from raw DDL).
_fts = Table(
    "identity_search",
    MetaData(),
    Column("rowid", Integer),
    Column("search_blob", Text),
    Column("identity_search", Text),  # FTS5's hidden column named after the table, for MATCH
)
TRIGRAM = 3  # FTS5 trigram tokens: shorter queries match nothing through the index
RID_MASK = (1 << RID_BITS) - 1  # the identity's rowid in the index's rowid
_PHONE_LIKE = re.compile(r"[0-9+\-().]+")
_NAME_FIELDS = ("display_name", "national_code", "legal_id", "economic_code")
# Above every character a search key can hold: the upper bound of a prefix range.
_TOP = "\U0010ffff"


def query_key(text: str) -> str:
    """The search key of what the user typed; phone-like input loses +98/0098 and punctuation."""
    key = search_key(text)
    if key and _PHONE_LIKE.fullmatch(key) and any(c.isdigit() for c in key):
        digits = re.sub(r"[^0-9]", "", key)
        if digits.startswith("0098"):
            digits = "0" + digits[4:]
        elif digits.startswith("98") and key.startswith("+"):
            digits = "0" + digits[2:]
        return digits
    return key


def blob_for(identity, phones: Iterable, emails: Iterable) -> str:
    """The search_blob of an identity (an object or a dict of its columns) with its phones and e-mails.

    Phones and e-mails may be objects or plain strings (number / address).
    """

    def value(obj, name):
        return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)

    parts = [search_key(value(identity, "display_name"))]
    for phone in phones:
        number = phone if isinstance(phone, str) else (value(phone, "number_key") or value(phone, "number"))
        parts.append(re.sub(r"[^0-9]", "", to_ascii_digits(number or "")))
    for email in emails:
        parts.append(search_key(email if isinstance(email, str) else value(email, "email")))
    for name in ("national_code", "legal_id", "economic_code"):
        parts.append(to_ascii_digits(value(identity, name) or ""))
    return " ".join(dict.fromkeys(p for p in parts if p))


def _phrase(key: str) -> str:
    return '"' + key.replace('"', '""') + '"'  # one FTS5 string: no operator in it is parsed


def phrase(key: str) -> str:
    """The FTS5 expression matching `key` anywhere in the blob."""
    return _phrase(key)


def inside(key: str) -> str:
    """The FTS5 expression matching `key` anywhere but at the blob's start (its name's start)."""
    return f"{_phrase(key)} NOT ^{_phrase(key)}"


def hit_rowids(expression: str) -> Select:
    """The rowids of the live identities the FTS5 expression matches."""
    return select(_fts.c.rowid.op("&")(RID_MASK)).where(_fts.c.identity_search.op("MATCH")(expression))


def hits_up_to(session: Session, expression: str, cap: int) -> int:
    """How many live identities the expression matches, counted up to `cap` (FTS5 stops there): a
    millisecond, where counting an e-mail domain's hits read them all (11 ms at 1M identities)."""
    hits = select(literal_column("1")).select_from(_fts).where(_fts.c.identity_search.op("MATCH")(expression))
    return session.scalar(select(func.count()).select_from(hits.limit(cap).subquery()))


def uses_fts(text: str, dialect: str) -> bool:
    return dialect == "sqlite" and len(query_key(text)) >= TRIGRAM


def fts_hits(session: Session, text: str) -> int:
    """How many live identities the FTS index matches: about a millisecond."""
    stmt = select(func.count()).select_from(_fts).where(_fts.c.identity_search.op("MATCH")(_phrase(query_key(text))))
    return session.scalar(stmt)


def match_condition(text: str, dialect: str = "sqlite", walk_index: bool = False) -> ColumnElement[bool] | None:
    """A WHERE condition on Identity for the quick-search text, or None when the text is blank.

    SQLite: the FTS5 trigram index (3+ characters) or, for one or two characters, a prefix range on
    name_key that uses the partial index ix_identities_live_name. PostgreSQL: LIKE on search_blob
    through its pg_trgm index (both sides are search keys, already case-folded: ILIKE would only be
    slower); for one or two characters, the same name prefix as on SQLite, as a regular expression
    anchored at the blob's start (the name key), which the trigram index also serves (any collation).
    `walk_index` (many hits): SQLite walks the sort order's index and tests each row against the
    hits, instead of fetching every hit and sorting them (`+rowid` stops it using the rowid).
    """
    key = query_key(text)
    if not key:
        return None
    if dialect != "sqlite":
        columns, blob_test = server_match(key)
        return and_(*columns, blob_test(Identity.search_blob))
    if len(key) < TRIGRAM:
        return and_(Identity.name_key >= key, Identity.name_key < key + _TOP)
    hits = hit_rowids(_phrase(key))
    return literal_column("+identities.rowid" if walk_index else "identities.rowid").in_(hits)


def name_sort_bounds(key: str) -> tuple[str, str] | None:
    """The range [low, high) of Identity.name_sort holding the names whose search key starts with `key`,
    a Persian word (None for anything else)."""
    if not key or any(c not in ALPHABET for c in key):
        return None
    low = sort_key(key).split(LEVELS)[0]
    return low, low[:-1] + chr(ord(low[-1]) + 1)


def prefix_bounds(key: str) -> tuple[str, str] | None:
    """name_sort_bounds of a term of one or two Persian letters (the list's name prefix); else None."""
    return name_sort_bounds(key) if 0 < len(key) < TRIGRAM else None


def server_match(key: str) -> tuple[list[ColumnElement[bool]], Callable[[ColumnElement], ColumnElement[bool]]]:
    """PostgreSQL's match of a search key, as conditions on the identity's columns and a test of a
    search_blob (a walk of the list's order tests it on each row: app.services.identities.list_pages)."""
    if len(key) < TRIGRAM:  # the lower bound lets a walk of the name index start at the prefix
        return [Identity.name_key >= key], lambda blob: blob.regexp_match("^" + re.escape(key))
    return [], lambda blob: blob.contains(key, autoescape=True)


# --- derived columns, kept by a session hook ----------------------------------------------------
def _live(rows: Iterable, session: Session) -> list:
    return sorted(
        (r for r in rows if r.deleted_at is None and r not in session.deleted),
        key=lambda r: r.position or 0,
    )


def _children(session: Session, identity: Identity, cls: type, attr: str) -> list:
    loaded = list(getattr(identity, attr))
    pending = [o for o in session.new if isinstance(o, cls) and o.identity_id == identity.id and o not in loaded]
    return _live(loaded + pending, session)


def derived_values(phones: list, addresses: list) -> tuple[str | None, str | None]:
    """(city, primary_mobile) from live children in position order (objects or dicts)."""

    def value(obj, name):
        return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)

    city = next((value(a, "city") for a in addresses if value(a, "city")), None)
    mobiles = [p for p in phones if value(p, "kind") in (PhoneKind.MOBILE, PhoneKind.MOBILE.value)]
    first = (mobiles or phones or [None])[0]
    return city, (value(first, "number") if first is not None else None)


def refresh(session: Session, identity: Identity) -> None:
    """Recomputes the identity's search_blob, primary_city and primary_mobile from the session's view."""
    phones = _children(session, identity, IdentityPhone, "phones")
    emails = _children(session, identity, IdentityEmail, "emails")
    addresses = _children(session, identity, IdentityAddress, "addresses")
    blob = blob_for(identity, phones, emails)
    city, mobile = derived_values(phones, addresses)
    for name, new in (("search_blob", blob), ("primary_city", city), ("primary_mobile", mobile)):
        if getattr(identity, name) != new:
            setattr(identity, name, new)


def _name_changed(identity: Identity) -> bool:
    state = inspect(identity)
    return any(state.attrs[name].history.has_changes() for name in _NAME_FIELDS)


def keep_derived_columns(session: Session, _ctx, _instances) -> None:
    """before_flush: identities whose name, codes or children change get fresh derived columns."""
    targets: dict[int, Identity] = {}
    with session.no_autoflush:
        for obj in [*session.new, *session.dirty, *session.deleted]:
            if isinstance(obj, Identity):
                if obj in session.new or _name_changed(obj):
                    targets[id(obj)] = obj
            elif isinstance(obj, IdentityPhone | IdentityEmail | IdentityAddress):
                if isinstance(obj, IdentityEmail) and obj.email:
                    obj.email_key = obj.email.casefold()
                if isinstance(obj, IdentityPhone) and obj.number and not obj.number_key:
                    obj.number_key = re.sub(r"[^0-9]", "", to_ascii_digits(obj.number))
                parent = obj.identity
                if parent is None and obj.identity_id is not None:
                    parent = session.get(Identity, obj.identity_id)
                if parent is not None:
                    targets[id(parent)] = parent
        for identity in targets.values():
            if identity.display_name is not None:
                key = search_key(identity.display_name)
                if identity.name_key != key:
                    identity.name_key = key
                refresh(session, identity)
