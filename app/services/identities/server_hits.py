"""The quick search on a user's own server role, where row security applies: the hits come from the
server's peyvand_identity_hits() (app.services.server.search_sql), which reaches the trigram index the
user's own LIKE cannot, and the list then sorts them (or counts them) under its other filters."""

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
    return (
        dialect == "postgresql"
        and len(search_index.query_key(search_text)) >= search_index.TRIGRAM
        and server_security.on_own_role(s.connection())
    )


def every_hit(s: Session, search_text: str) -> ColumnElement[bool] | None:
    """`Identity.id` among the term's hits the user may see when they are at most HITS_CAP (the
    condition stands for the text's), None when there are more."""
    key = search_index.query_key(search_text)
    ids: list[uuid.UUID] = list(
        s.scalars(text("SELECT peyvand_identity_hits(:term, :cap)"), {"term": key, "cap": HITS_CAP + 1})
    )
    if len(ids) > HITS_CAP:
        return None
    return Identity.id == any_(bindparam("hits", ids, type_=ARRAY(Uuid)))
