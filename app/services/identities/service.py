"""Identities (هویت): the list (paged, filtered and sorted in SQL so 200,000 rows stay instant) and
one record's reading, creating, editing and deleting.

Quick search goes through the FTS5 trigram index (app.services.identities.search_index); the derived columns
(search_blob, city, primary_mobile) are kept by a session hook on every ORM write.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from app.models import Category, Identity, IdentityKind, IdentityRole, Source, User, identity_tags, utcnow
from app.persian import sort_key
from app.services.admin import assignment
from app.services.core.access import SCOPE_ALL, SKIP, fetch, is_restricted, scope_owner_ids
from app.services.core.actor import Actor
from app.services.core.concurrency import ensure_version
from app.services.core.database import Database
from app.services.core.paging import Cursor, Page
from app.services.identities import duplicates, new_rows, search_index, server_hits
from app.services.identities import records as identity_records
from app.services.identities.duplicates import DuplicateCandidate, DuplicateKeys, DuplicatesFound
from app.services.identities.records import IdentityData, IdentityDetail

WHAT = "هویت"


@dataclass(frozen=True)
class IdentityQuery:
    text: str = ""
    role: IdentityRole | None = None
    sort: str = "display_name"  # a key of SORT_COLUMNS
    descending: bool = False
    kind: IdentityKind | None = None
    category_id: uuid.UUID | None = None  # with its sub-categories
    owner_id: uuid.UUID | None = None
    source_id: uuid.UUID | None = None
    tag_id: uuid.UUID | None = None
    scope: str = "all"  # "all", "mine", "team" or "team:<id>" (access.scope_owner_ids)
    # Conditions of the advanced search page (app.services.identities.advanced_search.AdvancedQuery).
    advanced: object | None = None


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
    national_code: str | None = None
    category_name: str | None = None
    source_name: str | None = None
    updated_at: dt.datetime | None = None
    economic_code: str | None = None


@dataclass(frozen=True)
class Choice:
    id: uuid.UUID
    name: str
    depth: int = 0  # categories: how deep in the tree


_owner = aliased(User)
_category = aliased(Category)
_source = aliased(Source)

_LIST_COLUMNS = (
    Identity.id,
    Identity.display_name,
    Identity.kind,
    Identity.role,
    Identity.primary_mobile,
    Identity.primary_city,
    _owner.display_name,
    Identity.created_at,
    Identity.national_code,
    _category.name,
    _source.name,
    Identity.updated_at,
    Identity.economic_code,
)
# Above this many index hits, a sorted page is cheaper by walking the sort's index than by fetching
# and sorting every hit (measured on 200,000 rows: «علی», 15,600 hits: 4.5 ms walking, 23 ms sorting;
# «فاطمه», 2,600 hits clustered in name order: 33 ms walking, 7 ms sorting; «0912», 4,200 hits
# spread evenly: 3 ms walking, 16 ms sorting).
WALK_INDEX_ABOVE = 8_000
WALK_SPREAD_ABOVE = 1_500
PG_WALK_INDEX_ABOVE = 5_000  # PostgreSQL's crossover, measured on 200,000 identities (bench/server.py)
# Sorts by a referenced row's name, paged group by group (see IdentityService._grouped_page).
GROUPED = {
    "owner_name": (Identity.owner_id, User, User.display_name),
    "category_name": (Identity.category_id, Category, Category.name),
    "source_name": (Identity.source_id, Source, Source.name),
}

# Each sort is an index's leading columns (see the partial indexes on Identity), then the id (which
# some of those indexes leave to SQLite's rowid: app.models.identity._live_index).
SORT_COLUMNS: dict[str, tuple[ColumnElement, ...]] = {
    "display_name": (Identity.name_sort,),
    "role": (Identity.role, Identity.name_sort),
    "mobile": (Identity.primary_mobile,),
    "city": (Identity.city_sort,),
    "owner_name": (_owner.name_sort,),
    "created_at": (Identity.created_at,),
    "updated_at": (Identity.updated_at,),
    "national_code": (Identity.national_code,),
    "category_name": (_category.name_sort,),
    "source_name": (_source.name_sort,),
    "economic_code": (Identity.economic_code,),
}


def live() -> list[ColumnElement[bool]]:
    """The conditions of the partial indexes: not deleted, not merged away."""
    return [Identity.deleted_at.is_(None), Identity.merged_into_id.is_(None)]


def category_with_descendants(s: Session, category_id: uuid.UUID) -> list[uuid.UUID]:
    rows = s.execute(select(Category.id, Category.parent_id).where(Category.deleted_at.is_(None))).all()
    children: dict = {}
    for cid, parent in rows:
        children.setdefault(parent, []).append(cid)
    result, stack = [], [category_id]
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.append(current)
        stack.extend(children.get(current, []))
    return result


def filters(s: Session, query: IdentityQuery, dialect: str, walk_index: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a query (the access policy adds its own); see match_condition for walk_index."""
    conditions = live()
    if query.role is not None:
        conditions.append(Identity.role == query.role)
    if query.kind is not None:
        conditions.append(Identity.kind == query.kind)
    if query.category_id is not None:
        conditions.append(Identity.category_id.in_(category_with_descendants(s, query.category_id)))
    if query.owner_id is not None:
        conditions.append(Identity.owner_id == query.owner_id)
    owners = scope_owner_ids(s, query.scope)
    if owners is not None:
        conditions.append(Identity.owner_id.in_(owners))
    if query.source_id is not None:
        conditions.append(Identity.source_id == query.source_id)
    if query.tag_id is not None:
        tagged = select(identity_tags.c.identity_id).where(identity_tags.c.tag_id == query.tag_id)
        conditions.append(Identity.id.in_(tagged))
    match = search_index.match_condition(query.text, dialect, walk_index)
    if match is not None:
        conditions.append(match)
        conditions += sort_prefix(query.text)
    if query.advanced is not None:
        from app.services.identities.advanced_search import condition_of

        advanced = condition_of(s, query.advanced)
        if advanced is not None:
            conditions.append(advanced)
    return conditions


def sort_prefix(text: str) -> list[ColumnElement[bool]]:
    """For a one- or two-letter Persian name prefix, the range its rows hold in the Persian order: the
    same rows as the prefix on name_key (both keys fold the same letters), so the list walks the sort's
    index from there instead of sorting every hit."""
    key = search_index.query_key(text)
    return name_sort_range(key) if len(key) < search_index.TRIGRAM else []


def name_sort_range(key: str) -> list[ColumnElement[bool]]:
    """search_index.name_sort_bounds as conditions (empty for anything but a Persian word)."""
    bounds = search_index.name_sort_bounds(key)
    return [] if bounds is None else [Identity.name_sort >= bounds[0], Identity.name_sort < bounds[1]]


def list_select(s: Session, query: IdentityQuery, dialect: str, walk_index: bool = False) -> Select:
    """The list's columns (as IdentityRow) under the query's conditions, unordered."""
    return (
        select(*_LIST_COLUMNS)
        .outerjoin(_owner, _owner.id == Identity.owner_id)
        .outerjoin(_category, _category.id == Identity.category_id)
        .outerjoin(_source, _source.id == Identity.source_id)
        .where(and_(*filters(s, query, dialect, walk_index)))
    )


def list_select_of(ids) -> Select:
    """The list's columns for the identities whose ids the subquery gives."""
    return (
        select(*_LIST_COLUMNS)
        .outerjoin(_owner, _owner.id == Identity.owner_id)
        .outerjoin(_category, _category.id == Identity.category_id)
        .outerjoin(_source, _source.id == Identity.source_id)
        .where(Identity.id.in_(ids))
    )


def _only_text(query: IdentityQuery) -> bool:
    """No filter but the quick-search text (the counts' fast path applies)."""
    rest = (query.role, query.kind, query.category_id, query.owner_id, query.source_id, query.tag_id, query.advanced)
    return query.scope in (SCOPE_ALL, None) and all(v is None for v in rest)


def order_of(query: IdentityQuery) -> list:
    columns = SORT_COLUMNS.get(query.sort, SORT_COLUMNS["display_name"])
    return [c.desc() if query.descending else c.asc() for c in (*columns, Identity.id)]


def duplicate_keys(cleaned: identity_records.Cleaned) -> DuplicateKeys:
    from app.persian import search_key

    return DuplicateKeys(
        name_key=search_key(cleaned.values["display_name"]),
        phones=tuple(p.number for p in cleaned.phones),
        emails=tuple(e.casefold() for e in cleaned.emails),
        national_code=cleaned.values["national_code"],
        legal_id=cleaned.values["legal_id"],
    )


class IdentityService:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._hit_cache: dict[str, tuple[float, int]] = {}

    @property
    def _dialect(self) -> str:
        return self._db.engine.dialect.name

    # --- the list ------------------------------------------------------------------------
    def search(self, actor: Actor, query: IdentityQuery, offset: int = 0, limit: int = 200) -> list[IdentityRow]:
        """A page of the identities the actor may see, filtered and sorted in SQL. Anyone; reads."""
        with self._db.read(actor) as s:
            if query.sort in GROUPED:
                return self._grouped_page(s, query, offset, limit)
            walk = search_index.uses_fts(query.text, self._dialect) and self._walks(s, query.text)
            # The page's ids first, from the sort's index alone (skipping 199,800 rows that way takes
            # milliseconds; skipping them through the joins took most of a second), then their rows.
            page = (
                select(Identity.id)
                .where(and_(*filters(s, query, self._dialect, walk)))
                .order_by(*order_of(query))
                .offset(offset)
                .limit(limit)
            )
            if not self._db.is_sqlite and search_index.query_key(query.text) and not self._pg_walks(s, query):
                page = self._hits_sorted(s, query, offset, limit)
            stmt = list_select_of(page.scalar_subquery()).order_by(*order_of(query))
            return [IdentityRow(*row) for row in s.execute(stmt)]

    def page(
        self, actor: Actor, query: IdentityQuery, after: Cursor | None = None, limit: int = 200
    ) -> Page[IdentityRow]:
        """The `limit` identities after the cursor `after` (None: from the start) in the query's order,
        with the next page's cursor: the rows `search` gives at the matching offset. Anyone; reads."""
        from app.services.identities import list_pages  # it builds on this module's conditions

        with self._db.read(actor) as s:
            return list_pages.page(s, query, self._dialect, after, limit)

    def _walks(self, s: Session, text: str) -> bool:
        """Walk the sort's index (many hits) or fetch the hits and sort them (few)? Hits of a phone or
        e-mail fragment are spread evenly through the name order, so walking finds a page early;
        a name's hits cluster where the name sorts, so walking pays off only for very common ones."""
        hits = self._hits(s, text)
        spread = not any(c.isalpha() for c in search_index.query_key(text).split("@")[0])
        return hits > (WALK_SPREAD_ABOVE if spread else WALK_INDEX_ABOVE)

    def _pg_walks(self, s: Session, query: IdentityQuery) -> bool:
        """PostgreSQL's planner cannot tell how the text's hits spread through the sort order: it walks
        the name index even for a first name whose hits all sort near the end (200,000 rows tested
        for a page). A choice like SQLite's instead, from the hit count count() just made."""
        key = search_index.query_key(query.text)
        if len(key) < search_index.TRIGRAM:  # a name prefix: walk the sort's index from it (sort_prefix)
            return bool(sort_prefix(query.text)) and query.sort == "display_name" and not query.descending
        cached = self._hit_cache.get(key)
        if cached is not None and time.monotonic() - cached[0] < 1.0:
            hits = cached[1]
        else:
            hits = s.scalar(select(func.count()).select_from(Identity).where(and_(*filters(s, query, self._dialect))))
        spread = not any(c.isalpha() for c in key.split("@")[0])
        return hits > (WALK_SPREAD_ABOVE if spread else PG_WALK_INDEX_ABOVE)

    def _hits_sorted(self, s: Session, query: IdentityQuery, offset: int, limit: int) -> Select:
        """The page's ids from the text's hits fetched through the trigram index, then sorted (PostgreSQL,
        few hits): a MATERIALIZED CTE keeps the planner from walking the sort's index instead."""
        keys = (*SORT_COLUMNS.get(query.sort, SORT_COLUMNS["display_name"]), Identity.id)
        hits = (
            select(*(column.label(f"k{i}") for i, column in enumerate(keys)))
            .where(and_(*filters(s, query, self._dialect)))
            .cte("hits")
            .prefix_with("MATERIALIZED")
        )
        columns = [hits.c[f"k{i}"] for i in range(len(keys))]
        order = [c.desc() if query.descending else c.asc() for c in columns]
        return select(columns[-1]).order_by(*order).offset(offset).limit(limit)

    def _hits(self, s: Session, text: str) -> int:
        """The index's hit count, reused for a second after count() (the list asks count, then a page):
        it only chooses the query plan, so a slightly old figure is harmless."""
        key = search_index.query_key(text)
        cached = self._hit_cache.get(key)
        if cached is not None and time.monotonic() - cached[0] < 1.0:
            return cached[1]
        hits = search_index.fts_hits(s, text)
        if len(self._hit_cache) > 64:
            self._hit_cache.clear()
        self._hit_cache[key] = (time.monotonic(), hits)
        return hits

    def _grouped_page(self, s: Session, query: IdentityQuery, offset: int, limit: int) -> list[IdentityRow]:
        """Sorting by the owner's (category's, source's) name without sorting 200,000 rows: count each
        group through its (group, name_sort, id) index, then read only the groups the page touches."""
        column, model, name = GROUPED[query.sort]
        where = and_(*filters(s, query, self._dialect))
        counts = dict(s.execute(select(column, func.count()).select_from(Identity).where(where).group_by(column)).all())
        keys = [k for k in counts if k is not None]
        names = dict(
            s.execute(select(model.id, name).where(model.id.in_(keys)).execution_options(**{SKIP: True})).all()
        )
        order = sorted(counts, key=lambda k: (k is not None, sort_key(names.get(k)), str(k)), reverse=query.descending)
        direction = (lambda c: c.desc()) if query.descending else (lambda c: c.asc())
        rows: list[IdentityRow] = []
        position = 0
        for key in order:
            size = counts[key]
            if position + size <= offset:
                position += size
                continue
            group = column.is_(None) if key is None else column == key
            stmt = (
                list_select(s, query, self._dialect)
                .where(group)
                .order_by(direction(Identity.name_sort), direction(Identity.id))
                .offset(max(0, offset - position))
                .limit(limit - len(rows))
            )
            rows += [IdentityRow(*row) for row in s.execute(stmt)]
            position += size
            if len(rows) >= limit:
                break
        return rows

    def count(self, actor: Actor, query: IdentityQuery) -> int:
        """How many identities the query finds among those the actor may see. Anyone; reads."""
        with self._db.read(actor) as s:
            if search_index.uses_fts(query.text, self._dialect) and _only_text(query) and not is_restricted(actor):
                # The index's own count (it holds the live identities only): no row is read.
                hits = search_index.fts_hits(s, query.text)
                self._hit_cache[search_index.query_key(query.text)] = (time.monotonic(), hits)
                return hits
            # On a user's own server role: the term's hits counted as the owner (server_hits), or those the
            # list pages sort, when few enough, under the list's other filters.
            found = None
            if query.text and _only_text(query) and server_hits.on_own_role(s, self._dialect):
                found = server_hits.count(s, query.text)
            if found is None:
                found = self._counted(s, query)
            if not self._db.is_sqlite and query.text and _only_text(query):  # the page's plan (_pg_walks)
                self._hit_cache[search_index.query_key(query.text)] = (time.monotonic(), found)
            return found

    def _counted(self, s: Session, query: IdentityQuery) -> int:
        hits = server_hits.every_hit(s, query.text) if server_hits.applies(s, query.text, self._dialect) else None
        if hits is None:
            conditions = filters(s, query, self._dialect)
        else:
            conditions = [*filters(s, replace(query, text=""), self._dialect), hits]
        return s.scalar(select(func.count()).select_from(Identity).where(and_(*conditions)))

    # --- one record ----------------------------------------------------------------------
    def get(self, actor: Actor, identity_id: uuid.UUID) -> IdentityDetail:
        """One identity with its phones, e-mails, addresses and tags (a merged one too: it shows where
        it went). Anyone who may see it; raises NotFound, AccessDenied. Reads."""
        with self._db.read(actor) as s:
            return identity_records.detail(s, fetch(s, Identity, identity_id, WHAT))

    def create(self, actor: Actor, data: IdentityData, allow_duplicates: bool = False) -> IdentityDetail:
        """A new identity owned by data.owner_id or the actor. Anyone (own-documents users only for
        themselves or their team). Raises ValidationFailed, and DuplicatesFound (with the candidates)
        unless allow_duplicates. Writes."""
        with self._db.write(actor) as s:
            cleaned = identity_records.validate(s, data)
            if not allow_duplicates:
                found, hidden = duplicates.candidates(s, duplicate_keys(cleaned))
                if found or hidden:
                    raise DuplicatesFound(found, hidden)
            role = data.role if data.role in (IdentityRole.LEAD, IdentityRole.CONTACT) else IdentityRole.LEAD
            owner_id = data.owner_id or actor.user_id
            if new_rows.covers(cleaned):
                new, identity = new_rows.insert_identity(s, cleaned, role, owner_id), None
                row, tags = new.row, frozenset()
            else:  # tags: found or made, and linked, through the ORM
                identity = Identity(role=role, owner_id=owner_id)
                s.add(identity)
                identity_records.apply(s, identity, cleaned)
                s.flush()
                row = {"id": identity.id, "source_id": identity.source_id, "primary_city": identity.primary_city}
                tags = frozenset(tag.id for tag in identity.tags)  # loaded once: the detail returned reads them too
            record = assignment.NewRecord(
                "identities", row["id"], data.owner_id is not None, row["source_id"], row["primary_city"], tags
            )
            if role is IdentityRole.LEAD and not is_restricted(actor):  # else it stays the creator's
                routed = assignment.route(s, actor, [record], "create").get(record.record_id)
                if routed is not None:  # the new owner as an ORM change: its history and journal entries
                    identity = identity or s.get(Identity, record.record_id)
                    identity.owner_id = routed.user_id
                    s.flush()
            return identity_records.detail(s, identity) if identity is not None else new_rows.detail(s, new)

    def update(
        self, actor: Actor, identity_id: uuid.UUID, data: IdentityData, version: int | None = None
    ) -> IdentityDetail:
        """Saves the form over the identity. `version` is the one the form loaded: if someone saved
        since, ConcurrentChange. Raises ValidationFailed, NotFound, AccessDenied. Writes."""
        with self._db.write(actor) as s:
            identity = fetch(s, Identity, identity_id, WHAT)
            ensure_version(identity, version)
            cleaned = identity_records.validate(s, data, identity_id)
            identity_records.apply(s, identity, cleaned)
            if data.owner_id is not None and identity.owner_id != data.owner_id:
                identity.owner_id = data.owner_id
            s.flush()
            return identity_records.detail(s, identity)

    def add_to_existing(self, actor: Actor, identity_id: uuid.UUID, data: IdentityData) -> IdentityDetail:
        """The form's «merge» answer to a duplicate warning: the typed data joins the existing identity
        (empty fields filled; phones, e-mails, addresses, tags added). Whoever may edit it; raises
        ValidationFailed, NotFound, AccessDenied. Writes."""
        with self._db.write(actor) as s:
            identity = fetch(s, Identity, identity_id, WHAT)
            identity_records.fold_into(s, identity, data)
            s.flush()
            return identity_records.detail(s, identity)

    def soft_delete(self, actor: Actor, identity_id: uuid.UUID) -> None:
        """Marks the identity deleted (the recycle bin restores it). Raises NotFound, AccessDenied. Writes."""
        with self._db.write(actor) as s:
            fetch(s, Identity, identity_id, WHAT).deleted_at = utcnow()

    # --- duplicates ----------------------------------------------------------------------
    def find_duplicates(
        self, actor: Actor, data: IdentityData, exclude_id: uuid.UUID | None = None
    ) -> list[DuplicateCandidate]:
        """Visible identities sharing the data's name, phone, e-mail or code. Raises ValidationFailed
        (the data must be valid to compare). Anyone; reads."""
        with self._db.read(actor) as s:
            cleaned = identity_records.validate(s, data, exclude_id)
            found, _hidden = duplicates.candidates(
                s, duplicate_keys(cleaned), exclude=[exclude_id] if exclude_id else []
            )
            return found

    def duplicates_of(self, actor: Actor, identity_id: uuid.UUID) -> list[DuplicateCandidate]:
        """Other visible identities that look like this one (merge suggestions). Raises NotFound,
        AccessDenied. Reads."""
        with self._db.read(actor) as s:
            identity = fetch(s, Identity, identity_id, WHAT)
            keys = DuplicateKeys(
                name_key=identity.name_key,
                phones=tuple(p.number_key for p in identity.phones if p.deleted_at is None),
                emails=tuple(e.email_key for e in identity.emails if e.deleted_at is None),
                national_code=identity.national_code,
                legal_id=identity.legal_id,
            )
            found, _hidden = duplicates.candidates(s, keys, exclude=[identity_id])
            return found

    # --- pick lists for the form and the dock ------------------------------------------------
    def owners(self, actor: Actor) -> list[Choice]:
        """Active users, for the «مسئول» pick list. Anyone; reads."""
        with self._db.read(actor) as s:
            rows = s.execute(
                select(User.id, User.display_name).where(User.is_active.is_(True)).order_by(User.name_sort, User.id)
            )
            return [Choice(i, name) for i, name in rows]

    def sources(self, actor: Actor) -> list[Choice]:
        """Active sources («نحوه آشنایی»), shared with opportunities. Anyone; reads."""
        with self._db.read(actor) as s:
            stmt = (
                select(Source.id, Source.name)
                .where(Source.deleted_at.is_(None), Source.is_active.is_(True))
                .order_by(Source.position, Source.name)
            )
            return [Choice(i, name) for i, name in s.execute(stmt)]
