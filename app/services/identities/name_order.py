"""The quick search's first pages in name order on SQLite, through the small table identity_order (each
live identity's rowid and the first ORDER_HEAD characters of its name_sort, kept by triggers:
app/migrations/raw_ddl.py).

Sorting many hits by name read every hit's row of identities (half a kilobyte each); the heads are a
twentieth of that, and a bounded sort by head (SQLite keeps only the best `limit` rows) puts them in order.
Rows with the same head are told apart by their full name_sort, read for them alone. The plan, from the
term's first WINDOW_SAMPLE hits (FTS5 gives them in rowid order, so they are spread through the name order):
- fewer hits than that: they are all known, their rows are read and sorted at once;
- enough of the sample sorts within the next list_pages.WALK_ROWS rows of the name order: walk those rows testing
  each row's search_blob, which stops at a page;
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
from app.services.identities import search_index
from app.services.identities.service import IdentityQuery, _only_text, live

# Hits read to choose the plan; fewer than this are the whole result.
WINDOW_SAMPLE = 1_000
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
    query: IdentityQuery,
    cursor: Cursor | None,
    limit: int,
    walk: Callable[[], list[tuple]],
    walk_rows: int,
) -> list[tuple] | None:
    """(name_sort, id) of the `limit` hits after `cursor`, in name order; None when a name has no sort key
    (the general plans handle it). `walk`: list_pages' walk of the next `walk_rows` rows of the name order
    (a page, or fewer rows when the hits lie elsewhere)."""
    key = search_index.query_key(query.text)
    match = search_index.phrase(key)
    sample = list(
        s.scalars(
            sql("SELECT rowid FROM identity_search WHERE identity_search MATCH :m LIMIT :n"),
            {"m": match, "n": WINDOW_SAMPLE},
        )
    )
    if len(sample) < WINDOW_SAMPLE:  # every hit: sort their rows
        return _sorted(s, _rowid_in(sample), cursor, limit)
    if _walk_pays(s, sample, cursor, limit, walk_rows):
        found = walk()
        if len(found) == limit:
            return found
    return _bounded(s, key, match, cursor, limit)


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


def _walk_pays(s: Session, sample: list[int], cursor: Cursor | None, limit: int, rows: int) -> bool:
    """Whether the next `rows` rows of the name order are expected to hold a page of hits, judged by
    how many of the sampled hits' heads fall among them (the sample is WINDOW_SAMPLE hits of about
    WINDOW_SAMPLE * top / sample[-1], rowids being dense)."""
    end = _window_end(s, cursor, rows)
    if end is None:
        return True  # the walk reads every remaining row: it cannot miss
    start = cursor[0][:ORDER_HEAD] if cursor is not None and cursor[0] is not None else ""
    heads = s.scalars(
        sql("SELECT head FROM identity_order WHERE rid IN (SELECT value FROM json_each(:rowids))"),
        {"rowids": json.dumps(sample)},
    )
    within = sum(1 for head in heads if head is not None and start <= head <= end[:ORDER_HEAD])
    top = s.scalar(sql("SELECT max(rowid) FROM identities")) or sample[-1]
    expected = within * top / max(sample[-1], 1)
    return expected >= WALK_MARGIN * limit


def _bounded(s: Session, key: str, match: str, cursor: Cursor | None, limit: int) -> list[tuple] | None:
    """Every hit's head, the best `limit` kept (after the cursor's head); then the full keys of those and
    of every hit sharing the cursor's or the last kept head, sorted."""
    start = cursor[0][:ORDER_HEAD] if cursor is not None else None
    if cursor is not None and start is None:
        return None
    # CROSS JOIN: the index's hits drive, each head found by rowid (never the whole table against them).
    best = s.execute(
        sql(
            "SELECT o.rid, o.head FROM identity_search AS f CROSS JOIN identity_order AS o ON o.rid = f.rowid "
            "WHERE f.identity_search MATCH :m AND (:start IS NULL OR o.head > :start) ORDER BY o.head LIMIT :n"
        ),
        {"m": match, "start": start, "n": limit},
    ).all()
    if any(head is None for _rid, head in best):
        return None
    candidates = [_rowid_in([rid for rid, _head in best])]
    if start is not None:
        candidates.append(_same_head(key, start))
    if len(best) == limit:
        candidates.append(_same_head(key, best[-1][1]))
    # Each set's first `limit` rows hold the union's first `limit`.
    found = {row[1]: row for condition in candidates for row in _sorted(s, condition, cursor, limit)}
    return sorted(found.values())[:limit]


def _same_head(key: str, head: str) -> ColumnElement[bool]:
    """Hits whose name_sort starts with `head` (one range of ix_identities_live_sort), tested on their blob."""
    names = (
        Identity.name_sort == head
        if len(head) < ORDER_HEAD
        else and_(Identity.name_sort >= head, Identity.name_sort < head + _TOP)
    )
    return and_(names, func.instr(Identity.search_blob, key) > 0)
