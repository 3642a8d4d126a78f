"""The quick search's first pages in name order on SQLite, through the small table identity_order (each
live identity's rowid and the first ORDER_HEAD characters of its name_sort, kept by triggers:
app/migrations/raw_ddl.py).

Sorting many hits by name read every hit's row of identities (half a kilobyte each); the heads are a
twentieth of that, and a bounded sort by head (SQLite keeps only the best `limit` rows) puts them in order.
Rows with the same head are told apart by their full name_sort, read for them alone. The plan, from the
term's first WINDOW_SAMPLE hits (FTS5 gives them in rowid order, so they are spread through the name order):
- fewer hits than that: they are all known, their rows are read and sorted at once;
- many hits, enough of the sample within the next list_pages.WALK_ROWS rows of the name order, and walking
  to a page expected cheaper than sorting them all: walk those rows testing each row's search_blob;
- otherwise the bounded sort of every hit's head.
Used for the name order with no other filter, by a user who sees every identity: the table has no owner,
so the access policy cannot narrow it (others keep list_pages' plans).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from sqlalchemy import ColumnElement, and_, func, literal_column, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from app.migrations.raw_ddl import ORDER_HEAD
from app.models import Identity
from app.services.core.access import SCOPE_ALL, is_restricted
from app.services.core.paging import Cursor, after
from app.services.identities.service import IdentityQuery, _only_text, live

# Hits read to choose the plan; fewer than this are the whole result.
WINDOW_SAMPLE = 300
# Below this many hits the sort of their heads takes a few milliseconds: no walk is weighed.
SORT_BELOW = 6_000
# What a walked row costs (its row of identities read, its blob tested) against a sorted hit's head.
WALK_ROW_COST = 2
# How many of the walk's rows (list_pages.WALK_ROWS) must be expected hits, times the page, for it to
# be tried: a walk that finds too few costs its rows and then the sort.
WALK_MARGIN = 2
_TOP = "\U0010ffff"  # above every character a sort key holds
_KEYS = (Identity.name_sort, Identity.id)


def applies(s: Session, query: IdentityQuery) -> bool:
    """Whether this plan serves the query: name order, no filter but the text, an all-seeing reader."""
    return (
        query.sort == "display_name"
        and not query.descending
        and _only_text(query)
        and query.scope in (SCOPE_ALL, None)
        and not is_restricted(s.info.get("actor"))
    )


def page_keys(
    s: Session,
    match: str,
    test: Callable[[ColumnElement], ColumnElement[bool]],
    cursor: Cursor | None,
    limit: int,
    walk: Callable[[], list[tuple]],
    walk_rows: int,
) -> list[tuple] | None:
    """(name_sort, id) of the first `limit` hits of the FTS5 expression `match` after `cursor` in name
    order (`test`: the same test on a search_blob); None when a name has no
    sort key (the general plans handle it). `walk`: list_pages' walk of the next `walk_rows` rows of the
    name order (a page, or fewer rows when the hits lie elsewhere)."""
    start = cursor[0][:ORDER_HEAD] if cursor is not None and cursor[0] is not None else None
    if cursor is not None and start is None:
        return None
    # The first hits in rowid order with their heads (None: deleted or merged), a tenth of a millisecond.
    sample = s.execute(
        sql(
            "SELECT f.rowid, o.head FROM identity_search AS f LEFT JOIN identity_order AS o ON o.rid = f.rowid "
            "WHERE f.identity_search MATCH :m LIMIT :n"
        ),
        {"m": match, "n": WINDOW_SAMPLE},
    ).all()
    if len(sample) < WINDOW_SAMPLE:  # every hit: sort their rows
        return _sorted(s, _rowid_in([rowid for rowid, _head in sample]), cursor, limit)
    top = s.scalar(sql("SELECT max(rowid) FROM identities")) or sample[-1][0]
    hits = len(sample) * top / max(sample[-1][0], 1)  # rowids are dense: the table only grows
    heads = sorted(head for _rowid, head in sample if head is not None and (start is None or head > start))
    if hits >= SORT_BELOW and _walk_pays(s, heads, hits / len(sample), cursor, limit, walk_rows):
        found = walk()
        if len(found) == limit:
            return found
    # At least `limit` hits have a head up to the sample's limit-th: the sort need keep no later one.
    bound = heads[limit - 1] if len(heads) >= limit else None
    return _bounded(s, match, test, cursor, start, bound, limit)


def _rowid_in(rowids: Sequence[int]) -> ColumnElement[bool]:
    """identities.rowid among `rowids`, passed as one JSON parameter: binding a thousand cost more than
    reading their rows."""
    values = func.json_each(json.dumps(list(rowids))).table_valued("value")
    return literal_column("identities.rowid").in_(select(values.c.value))


def _sorted(s: Session, condition: ColumnElement[bool], cursor: Cursor | None, limit: int) -> list[tuple]:
    """The first `limit` live rows under `condition` after the cursor, by (name_sort, id)."""
    conditions = [*live(), condition]
    if cursor is not None:
        conditions.append(after(_KEYS, cursor, False, "sqlite"))
    stmt = select(*_KEYS).where(and_(*conditions)).order_by(*_KEYS).limit(limit)
    return [tuple(row) for row in s.execute(stmt)]


def _window_end(s: Session, cursor: Cursor | None, rows: int) -> str | None:
    """The name_sort `rows` live rows after the cursor (None: the order ends before), from its index."""
    conditions = live()
    if cursor is not None:
        conditions.append(after(_KEYS, cursor, False, "sqlite"))
    stmt = select(Identity.name_sort).where(and_(*conditions)).order_by(*_KEYS).offset(rows - 1).limit(1)
    return s.scalar(stmt)


def _walk_pays(s: Session, heads: list[str], per_head: float, cursor: Cursor | None, limit: int, rows: int) -> bool:
    """Whether walking the next `rows` rows of the name order is expected to find a page sooner than
    the sort of every hit, judged by how many sampled heads (each standing for `per_head` hits) fall
    among those rows."""
    end = _window_end(s, cursor, rows)
    if end is None:
        return True  # the walk reads every remaining row: it cannot miss
    within = sum(1 for head in heads if head <= end[:ORDER_HEAD]) * per_head
    # rows * limit / within rows walked to a page, each WALK_ROW_COST, against every hit's head sorted.
    return within >= WALK_MARGIN * limit and rows * limit * WALK_ROW_COST <= len(heads) * per_head * within


def _bounded(
    s: Session,
    match: str,
    test: Callable[[ColumnElement], ColumnElement[bool]],
    cursor: Cursor | None,
    start: str | None,
    bound: str | None,
    limit: int,
) -> list[tuple] | None:
    """Every hit's head (after the cursor's head `start`, up to `bound`), the best `limit` kept; then the
    full keys of those and of every hit sharing the cursor's or the last kept head, sorted."""
    # CROSS JOIN: the index's hits drive, each head found by rowid (never the whole table against them).
    best = s.execute(
        sql(
            "SELECT o.rid, o.head FROM identity_search AS f CROSS JOIN identity_order AS o ON o.rid = f.rowid "
            "WHERE f.identity_search MATCH :m AND (:start IS NULL OR o.head > :start) "
            "AND (:bound IS NULL OR o.head <= :bound) ORDER BY o.head LIMIT :n"
        ),
        {"m": match, "start": start, "bound": bound, "n": limit},
    ).all()
    if any(head is None for _rid, head in best):
        return None
    candidates = [_rowid_in([rid for rid, _head in best])]
    if start is not None:
        candidates.append(_same_head(test, start))
    if len(best) == limit:
        candidates.append(_same_head(test, best[-1][1]))
    # Each set's first `limit` rows hold the union's first `limit`.
    found = {row[1]: row for condition in candidates for row in _sorted(s, condition, cursor, limit)}
    return sorted(found.values())[:limit]


def _same_head(test: Callable[[ColumnElement], ColumnElement[bool]], head: str) -> ColumnElement[bool]:
    """Hits whose name_sort starts with `head` (one range of ix_identities_live_sort), tested on their blob."""
    names = (
        Identity.name_sort == head
        if len(head) < ORDER_HEAD
        else and_(Identity.name_sort >= head, Identity.name_sort < head + _TOP)
    )
    return and_(names, test(Identity.search_blob))
