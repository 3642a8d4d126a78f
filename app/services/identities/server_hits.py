"""The quick search on a user's own server role, where row security applies: the hits come from the
server's peyvand_identity_hits() (app.services.server.search_sql), which reaches the trigram index the
user's own LIKE cannot, and the list then sorts them (or counts them) under its other filters. The list in
name order with no other filter walks the names the user may see through peyvand_identity_walk()."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Uuid, any_, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from app.models import Identity
from app.services.identities import search_index
from app.services.server import security as server_security
from app.services.server.search_sql import HITS_CAP


def applies(s: Session, search_text: str, dialect: str) -> bool:
    """A term of three or more characters, on a connection logged in as a user's own role."""
    return len(search_index.query_key(search_text)) >= search_index.TRIGRAM and on_own_role(s, dialect)


def on_own_role(s: Session, dialect: str) -> bool:
    return dialect == "postgresql" and server_security.on_own_role(s.connection())


def every_hit(s: Session, search_text: str) -> ColumnElement[bool] | None:
    """`Identity.id` among the term's hits the user may see when they are at most HITS_CAP (the condition
    stands for the text's), None when there are more."""
    key = search_index.query_key(search_text)
    ids: list[uuid.UUID] = list(
        s.scalars(text("SELECT peyvand_identity_hits(:term, :cap)"), {"term": key, "cap": HITS_CAP + 1})
    )
    if len(ids) > HITS_CAP:
        return None
    return Identity.id == any_(bindparam("hits", ids, type_=ARRAY(Uuid)))


_WALK = text(
    "SELECT sort_key, identity_id FROM peyvand_identity_walk(:term, :mode, :low, :high, :after_sort, :after_id,"
    " :window_rows, :lim)"
)


def walk(
    s: Session,
    key: str,
    mode: str,
    bounds: tuple[str, str] | None,
    cursor: tuple | None,
    window_rows: int,
    limit: int,
) -> list[tuple]:
    """(name_sort, id) of the first `limit` hits of `key` in name order after the cursor among the
    identities the user may see, walking `window_rows` of them before fetching every hit
    (app.services.server.search_walk; `mode`: 'starts' within `bounds`, 'inside' or 'contains')."""
    low, high = bounds if bounds is not None else (None, None)
    after_sort, after_id = cursor if cursor is not None else (None, None)
    params = {"term": key, "mode": mode, "low": low, "high": high, "after_sort": after_sort}
    params |= {"after_id": after_id, "window_rows": window_rows, "lim": limit}
    # Sorted again here: a function's rows keep no order in SQL; PostgreSQL's "C" order is by code points.
    return sorted((name, identity_id) for name, identity_id in s.execute(_WALK, params))


def count(s: Session, search_text: str) -> int | None:
    """How many identities the user may see the term finds (peyvand_identity_count): a term of three or
    more characters, or a one- or two-letter Persian name prefix; None for any other term."""
    key = search_index.query_key(search_text)
    bounds = search_index.prefix_bounds(key)
    if len(key) < search_index.TRIGRAM and bounds is None:
        return None
    low, high = bounds if bounds is not None else (None, None)
    return s.scalar(text("SELECT peyvand_identity_count(:term, :low, :high)"), {"term": key, "low": low, "high": high})
