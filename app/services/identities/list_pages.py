"""The identity list in keyset pages (app.services.core.paging): each page starts after the last row of
the one before, so scrolling to the end of a million rows costs the same per page throughout, and the
rows are the ones OFFSET paging gave, in the same order.

Quick search on SQLite in name order (either way), by a user who sees every identity, reads the index's
hits bucket by bucket of the name order (name_order). Other sorts and readers choose their plan from the
term's hits, counted up to SORT_BELOW (FTS5 stops there):
- few hits: fetch them all through the index, then sort (cost grows with the hits);
- many hits: walk the sort's index and test each row's search_blob, a bounded number of rows; when the
  walk finds too few (hits cluster elsewhere in the order), fall back to fetching and sorting.
A name-like term sorted by name, outside name_order (a restricted reader, other filters): the names that
start with it lie in one range of the name order (the index walks it), the other hits are found as
above, and the two are merged. The office server's owner does the same, with the trigram index of the
search keys past their first character for the other hits; its other terms in name order (digits, Latin,
one or two letters) walk a bounded window of the order, else fetch every hit and sort them, never
leaving the choice to PostgreSQL's guess of how many hits there are.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace

from sqlalchemy import ColumnElement, and_, func, literal_column, select
from sqlalchemy.orm import Session

from app.migrations.raw_ddl import WALK_FITS_BYTES
from app.models import Identity
from app.persian import sort_key
from app.services.core.access import SKIP
from app.services.core.paging import Cursor, Page, after, ordered
from app.services.identities import name_order, search_index, server_hits
from app.services.identities.service import (
    GROUPED,
    SORT_COLUMNS,
    IdentityQuery,
    IdentityRow,
    filters,
    list_select_of,
    name_sort_range,
    sort_prefix,
)

# Below this many hits, fetching and sorting them all is cheaper than walking the sort's
# index; above it a walk finds a page within WALK_ROWS rows unless the hits cluster.
SORT_BELOW = 6_000
WALK_ROWS = 6_000
# The office server walks its name order without reading the table (ix_identities_walk): 6,000 rows in
# about 1.5 ms at 1M. A family name (1.4% of the names, in runs: one per first name) may need more, and is
# then fetched through _first_hits (about 6 ms more); 20,000 found it, but cost every rarer term 4.5 ms
# first: p95 of bench/identities' 200 terms 22 ms with 20,000, 18 with 6,000.
PG_WALK_ROWS = 6_000
# A user's own role walks each owner's names it sees, merged, and tests each row's visibility: 6,000 rows
# in about 4 ms (peyvand_identity_walk). Asking first how many hits a term has cost 6-20 ms.
ROLE_WALK_ROWS = 6_000


def _keys(query: IdentityQuery) -> tuple[ColumnElement, ...]:
    return (*SORT_COLUMNS.get(query.sort, SORT_COLUMNS["display_name"]), Identity.id)


def _rows(s: Session, ids: list[uuid.UUID]) -> list[IdentityRow]:
    """The list's rows of `ids`, in that order."""
    if not ids:
        return []
    found = {row[0]: IdentityRow(*row) for row in s.execute(list_select_of(ids))}
    return [found[i] for i in ids if i in found]


def page(s: Session, query: IdentityQuery, dialect: str, cursor: Cursor | None, limit: int) -> Page[IdentityRow]:
    """The `limit` rows after `cursor` (None: the first page) in the query's order, and the next cursor."""
    if query.sort in GROUPED:
        return _grouped(s, query, dialect, cursor, limit)
    keys = _keys(query)
    if dialect == "sqlite" and search_index.uses_fts(query.text, dialect):
        found = _text_page(s, query, keys, cursor, limit)
    elif server_hits.applies(s, query.text, dialect):
        found = _own_role_page(s, query, keys, cursor, limit)
    elif (prefix := _own_role_prefix(s, query, dialect, cursor, limit)) is not None:
        found = prefix
    elif dialect == "postgresql" and (starts := _server_starts(query)):
        found = _starts_and_inside(s, query, keys, cursor, limit, starts)
    elif dialect == "postgresql" and query.sort == "display_name" and (key := search_index.query_key(query.text)):
        found = _server_other(s, query, keys, cursor, limit, key)
    else:
        found = _plain(s, query, dialect, keys, cursor, limit, text=True)
    ids = [row[-1] for row in found]
    more = tuple(found[-1]) if len(found) == limit else None
    return Page(_rows(s, ids), more)


def _plain(
    s: Session,
    query: IdentityQuery,
    dialect: str,
    keys: Sequence[ColumnElement],
    cursor: Cursor | None,
    limit: int,
    text: bool,
    extra: Sequence[ColumnElement[bool]] = (),
) -> list[tuple]:
    """Sort keys and ids of a page: the query's conditions (its text too, when `text`), `extra`, after
    the cursor, walked along the sort's index."""
    plain = query if text else _without_text(query)
    conditions = [*filters(s, plain, dialect), *extra]
    if cursor is not None:
        conditions.append(after(keys, cursor, query.descending, dialect))
    stmt = select(*keys).where(and_(*conditions)).order_by(*ordered(keys, query.descending)).limit(limit)
    return [tuple(row) for row in s.execute(stmt)]


def _own_role_page(
    s: Session, query: IdentityQuery, keys: Sequence[ColumnElement], cursor: Cursor | None, limit: int
) -> list[tuple]:
    """On a user's own server role: the default list walked in name order (_own_role_walk); any other, the
    term's hits sorted when few (server_hits), else found by the list's own query under row security.
    The walk needs no count of the hits first: asking for a page's worth of a common term's took 6-20 ms
    at 1M, where the walk finds its page in 2-5 (a rare term's walk, 4 ms, then fetches its hits)."""
    if _without_text(query) == IdentityQuery():
        return _own_role_walk(s, query, cursor, limit)
    hits = server_hits.every_hit(s, query.text)
    if hits is not None:
        return _plain(s, query, "postgresql", keys, cursor, limit, text=False, extra=[hits])
    return _plain(s, query, "postgresql", keys, cursor, limit, text=True)


def _own_role_walk(s: Session, query: IdentityQuery, cursor: Cursor | None, limit: int) -> list[tuple]:
    """A term on a user's own server role, in the list's name order with no other filter: the names starting
    with it (their range of the name order) and the other hits, each walked among the names the user may
    see (server_hits.walk; every hit fetched and sorted when the walk finds too few), merged."""
    key = search_index.query_key(query.text)
    bounds = search_index.name_sort_bounds(key)
    if bounds is None:
        return server_hits.walk(s, key, "contains", None, cursor, ROLE_WALK_ROWS, limit)
    starts = server_hits.walk(s, key, "starts", bounds, cursor, ROLE_WALK_ROWS, limit)
    inside = server_hits.walk(s, key, "inside", None, cursor, ROLE_WALK_ROWS, limit)
    return list(heapq.merge(starts, inside))[:limit]


def _own_role_prefix(
    s: Session, query: IdentityQuery, dialect: str, cursor: Cursor | None, limit: int
) -> list[tuple] | None:
    """One or two Persian letters on a user's own server role, in the list's name order with no other
    filter: the names starting with them, walked among those the user may see. Under row security the
    list's own walk of their range read colleagues' rows too, each computing the user's customers' set
    (0.18 s at 1M). None for anything else."""
    key = search_index.query_key(query.text)
    bounds = search_index.prefix_bounds(key)
    if bounds is None or _without_text(query) != IdentityQuery() or not server_hits.on_own_role(s, dialect):
        return None
    return server_hits.walk(s, key, "starts", bounds, cursor, ROLE_WALK_ROWS, limit)


def _server_hits(s: Session, query: IdentityQuery, dialect: str) -> ColumnElement[bool] | None:
    """On a user's own server role, the text's hits when few enough to sort (server_hits); else None:
    the sort's index is walked with the text's own condition."""
    return server_hits.every_hit(s, query.text) if server_hits.applies(s, query.text, dialect) else None


def _without_text(query: IdentityQuery) -> IdentityQuery:
    return replace(query, text="")


# --- quick search on the office server, by its owner (the app's own connection) -------------------
def _server_starts(query: IdentityQuery) -> list[ColumnElement[bool]]:
    """The name order's range of the names starting with the term, when the list is in name order and the
    term is a word the trigram indexes can find; else empty."""
    key = search_index.query_key(query.text)
    if query.sort != "display_name" or len(key) < search_index.TRIGRAM:
        return []
    return name_sort_range(key)


def _starts_and_inside(
    s: Session, query: IdentityQuery, keys: Sequence[ColumnElement], cursor: Cursor | None, limit: int, starts: list
) -> list[tuple]:
    """A word that begins many names («شرکت»: 100,000 of 1M) took a second: PostgreSQL either fetched and
    sorted every hit or walked the name order to those names. The names starting with it are walked along
    their range of the name order (read and sorted when the walk finds fewer than a page: the planner,
    guessing the range small, sorted 11,000 names of «محسن»), the other hits apart (_inside), and the
    two, disjoint, are merged."""
    key = search_index.query_key(query.text)
    extra = [*starts, _starts_with(key)]
    first = _server_walk(s, query, keys, cursor, limit, lambda blob: func.strpos(blob, key) == 1, starts)
    if first is None:
        first = _plain(s, query, "postgresql", keys, cursor, limit, text=False, extra=extra)
    return list(heapq.merge(first, _inside(s, query, keys, cursor, limit, key), reverse=query.descending))[:limit]


def _starts_with(key: str) -> ColumnElement[bool]:
    return func.strpos(Identity.search_blob, key) == 1


def _inside(
    s: Session, query: IdentityQuery, keys: Sequence[ColumnElement], cursor: Cursor | None, limit: int, key: str
) -> list[tuple]:
    """The hits past the search key's first character: the next PG_WALK_ROWS rows of the name order tested
    (a word inside names all through the order); when they hold too few, the hits through
    ix_identities_inside_trgm up to a name the page cannot pass (_first_hits), sorted (inside names that
    sort together: «مهندسی» of companies; a family name).
    The planner guessed between the two from the term's trigrams, and walked 400,000 rows for «مهند».
    The walk tests strpos() alone, which is the same test: LIKE on a substring cost it twice the time."""
    test, walk_test = (lambda blob: _past_first(blob, key)), (lambda blob: func.strpos(blob, key) > 1)
    return _walked_or_sorted(s, query, keys, cursor, limit, test, walk_test=walk_test, bounded=True)


def _server_other(
    s: Session, query: IdentityQuery, keys: Sequence[ColumnElement], cursor: Cursor | None, limit: int, key: str
) -> list[tuple]:
    """A term in name order that no range of names serves whole: digits, Latin, one or two letters."""
    columns, test = search_index.server_match(key)
    # One or two letters: every row of their range of names (sort_prefix) is a hit, so a window of two
    # pages holds the page; a window of WALK_ROWS PostgreSQL sorts whole (22,000 rows for «کا», 100 ms).
    rows = min(2 * limit, WALK_ROWS) if len(key) < search_index.TRIGRAM else None
    extra = [*columns, *sort_prefix(query.text)]
    return _walked_or_sorted(s, query, keys, cursor, limit, test, extra, rows, bounded=rows is None)


Test = Callable[[ColumnElement], ColumnElement[bool]]


def _walked_or_sorted(
    s: Session,
    query: IdentityQuery,
    keys: Sequence[ColumnElement],
    cursor: Cursor | None,
    limit: int,
    test: Test,
    extra: Sequence[ColumnElement[bool]] = (),
    rows: int | None = None,
    walk_test: Test | None = None,
    bounded: bool = False,
) -> list[tuple]:
    """A page of the name order's rows under `extra` whose search_blob passes `test` (`walk_test`, the same
    test for a walk): the next `rows` rows walked, and when they hold too few, every hit fetched and
    sorted (`bounded`, a test a trigram index serves, in name order: those up to a name _first_hits gives).
    PostgreSQL's own choice hangs on its guess of the hits: guessing 1% for a phone number, it walked the
    whole name order (2.5 s at 1M)."""
    found = _server_walk(s, query, keys, cursor, limit, walk_test or test, extra, rows)
    if found is not None:
        return found
    # Sorted by a copy of the name (same value, same order) that no index gives: the hits are fetched first.
    unindexed = [keys[0].concat(""), *keys[1:]]
    conditions = [*extra, test(Identity.search_blob)]
    if bounded and not query.descending:
        first = _first_hits(s, query, unindexed, cursor, limit, conditions)
        if len(first) < limit:  # every hit after the cursor
            return sorted(first)
        conditions.append(Identity.name_sort <= max(name for name, _ in first))
    return _plain(s, query, "postgresql", unindexed, cursor, limit, text=False, extra=conditions)


def _first_hits(
    s: Session,
    query: IdentityQuery,
    keys: Sequence[ColumnElement],
    cursor: Cursor | None,
    limit: int,
    conditions: Sequence[ColumnElement[bool]],
) -> list[tuple]:
    """(name_sort, id) of the first `limit` hits after the cursor in the table's own order: all of them when
    fewer; else the page holds no name past their greatest, whatever the order. The table is kept in name
    order (app.services.server.name_clustering), so that name is about the page's last, and
    ix_identities_name_brin leaves the trigram index's hits in the pages before it alone: «مهندسی», inside
    50,000 names that sort together, read 117 hits instead of 50,000 (4 ms instead of 40)."""
    probe = [*filters(s, _without_text(query), "postgresql"), *conditions]
    if cursor is not None:
        probe.append(after(keys, cursor, False, "postgresql"))
    # Through the bitmap of the term's trigrams, in the table's order: PostgreSQL, guessing the hits
    # common, would scan the table from its start instead, as far as the names that hold them.
    first = select(Identity.name_sort, Identity.id).where(and_(*probe)).limit(limit)
    with name_order.planner_without(s, "enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
        return [tuple(row) for row in s.execute(first)]


def _server_walk(
    s: Session,
    query: IdentityQuery,
    keys: Sequence[ColumnElement],
    cursor: Cursor | None,
    limit: int,
    test: Test,
    extra: Sequence[ColumnElement[bool]],
    rows: int | None = None,
) -> list[tuple] | None:
    """The first `limit` rows under `extra` passing `test` in name order, when the next `rows` (PG_WALK_ROWS)
    rows of ix_identities_walk hold them, merged with those of the few rows too long for it (along
    ix_identities_walk_long); None when the walk finds fewer."""
    fits = _fits_walk()
    found = _walk(s, query, keys, cursor, limit, test, "postgresql", [*extra, fits], rows or PG_WALK_ROWS)
    if len(found) < limit:
        return None
    long = [*extra, ~fits, test(Identity.search_blob)]
    others = _plain(s, query, "postgresql", keys, cursor, limit, text=False, extra=long)
    return list(heapq.merge(found, others, reverse=query.descending))[:limit]


def _fits_walk() -> ColumnElement[bool]:
    """The rows ix_identities_walk holds (raw_ddl.WALK_FITS; its negation, ix_identities_walk_long's), the
    bound a literal: the planner matches a partial index's condition by its text."""
    size = func.octet_length(Identity.search_blob) + func.octet_length(Identity.name_sort)
    return size <= literal_column(str(WALK_FITS_BYTES))


def _past_first(blob: ColumnElement, key: str) -> ColumnElement[bool]:
    """The key in a search_blob, first found past its first character."""
    past_first = func.substr(blob, literal_column("2"))  # ix_identities_inside_trgm's very expression
    return and_(past_first.contains(key, autoescape=True), func.strpos(blob, key) > 1)


# --- quick search on SQLite ----------------------------------------------------------------------
def _text_page(
    s: Session, query: IdentityQuery, keys: Sequence[ColumnElement], cursor: Cursor | None, limit: int
) -> list[tuple]:
    key = search_index.query_key(query.text)
    if name_order.applies(s, query):
        # The index gives every hit in name order, those starting with the term too. Leaving those out
        # (NOT ^"…") made FTS5 read all of a term's hits: 18 ms for the 50,000 of «بازرگانی» at 1M.
        anywhere, test = search_index.phrase(key), lambda blob: func.instr(blob, key) > 0
        every = name_order.page_keys(s, anywhere, test, cursor, limit, query.descending)
        if every is not None:
            return every
    # Names starting with the term: one range of the name order, every row in it a hit; the other hits
    # are found as below and the two merged.
    starts = name_sort_range(key) if query.sort == "display_name" else []
    if starts:
        match, test = search_index.inside(key), lambda blob: func.instr(blob, key) > 1
    else:
        match, test = search_index.phrase(key), lambda blob: func.instr(blob, key) > 0
    others = _hits(s, query, keys, cursor, limit, match, test)
    if not starts:
        return others
    start = [*starts, func.instr(Identity.search_blob, key) == 1]
    found = _plain(s, query, "sqlite", keys, cursor, limit, text=False, extra=start)
    merged = heapq.merge(found, others, key=lambda row: row, reverse=query.descending)
    return list(merged)[:limit]


def _hits(
    s: Session,
    query: IdentityQuery,
    keys: Sequence[ColumnElement],
    cursor: Cursor | None,
    limit: int,
    match: str,
    walk_test: Callable[[ColumnElement], ColumnElement[bool]],
) -> list[tuple]:
    """A page of the rows the FTS expression `match` finds (walk_test: the same test on a search_blob)."""
    hits = search_index.hit_rowids(match)
    if search_index.hits_up_to(s, match, SORT_BELOW) < SORT_BELOW:
        extra = [literal_column("identities.rowid").in_(hits)]
        return _plain(s, query, "sqlite", keys, cursor, limit, text=False, extra=extra)
    found = _walk(s, query, keys, cursor, limit, walk_test)
    if len(found) == limit:
        return found
    # The hits cluster past the window (an e-mail word shared by companies, whose names sort
    # together): walk the sort's index testing each entry against the set of hits (`+rowid`: not
    # the other way round), which needs no row read.
    extra = [literal_column("+identities.rowid").in_(hits)]
    return _plain(s, query, "sqlite", keys, cursor, limit, text=False, extra=extra)


def _walk(
    s: Session,
    query: IdentityQuery,
    keys: Sequence[ColumnElement],
    cursor: Cursor | None,
    limit: int,
    test: Callable[[ColumnElement], ColumnElement[bool]],
    dialect: str = "sqlite",
    extra: Sequence[ColumnElement[bool]] = (),
    rows: int | None = None,
) -> list[tuple]:
    """The first `limit` rows passing `test` (on a search_blob) among the next `rows` (WALK_ROWS) rows of
    the sort's index under `extra`."""
    conditions = [*filters(s, _without_text(query), dialect), *extra]
    if cursor is not None:
        conditions.append(after(keys, cursor, query.descending, dialect))
    order = ordered(keys, query.descending)
    reorder = None if dialect == "sqlite" else lambda columns: ordered(columns, query.descending)
    return name_order.walk(s, conditions, keys, order, WALK_ROWS if rows is None else rows, test, limit, reorder)


# --- sorted by the owner's (category's, source's) name ------------------------------------------------
def _grouped(s: Session, query: IdentityQuery, dialect: str, cursor: Cursor | None, limit: int) -> Page[IdentityRow]:
    """Group after group in the order of their names, each walked through its (group, name_sort, id)
    index from the cursor: no count of the groups, no join to sort. The cursor is (group, name_sort, id)."""
    column, model, name = GROUPED[query.sort]
    names = dict(s.execute(select(model.id, name).execution_options(**{SKIP: True})).all())
    groups: list = sorted([None, *names], key=lambda k: (k is not None, sort_key(names.get(k)), str(k)))
    if query.descending:
        groups.reverse()
    start = groups.index(cursor[0]) if cursor is not None and cursor[0] in groups else 0
    keys = (Identity.name_sort, Identity.id)
    found: list[tuple] = []
    hits = _server_hits(s, query, dialect)
    for group in groups[start:]:
        within = cursor[1:] if cursor is not None and group == cursor[0] else None
        extra = [column.is_(None) if group is None else column == group, *([] if hits is None else [hits])]
        rows = _plain(s, query, dialect, keys, within, limit - len(found), text=hits is None, extra=extra)
        found += [(group, *row) for row in rows]
        if len(found) == limit:
            break
    more = tuple(found[-1]) if len(found) == limit else None
    return Page(_rows(s, [row[-1] for row in found]), more)
