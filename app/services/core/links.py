"""Many-to-many links (an identity's tags, an opportunity's tags and competitors) as rows of their own.

Each link is an ORM object (app.models.LinkRow), so adding or removing one writes history under the
parent, moves the parent's version and reaches the change journal like any other change.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.models import BusinessMixin, LinkRow, new_id, utcnow
from app.services.core import capture
from app.services.core.access import SKIP


def replace_links(s: Session, model: type[LinkRow], parent: BusinessMixin, column: str, wanted: Iterable) -> bool:
    """Makes the parent's links exactly `wanted` (ids of `column`, in order, duplicates dropped): the
    others are deleted, the missing added. Returns whether anything changed."""
    parent.id = parent.id or new_id()  # a new parent: its links name it before the first flush
    parent_column = getattr(model, model.__access_parent__)
    wanted = list(dict.fromkeys(wanted))
    # The parent itself was fetched through the access policy; a parent not yet written has no links.
    current = (
        []
        if inspect(parent).pending
        else s.scalars(select(model).where(parent_column == parent.id).execution_options(**{SKIP: True})).all()
    )
    have = {getattr(link, column): link for link in current}
    gone = [link for value, link in have.items() if value not in wanted]
    added = [model(**{model.__access_parent__: parent.id, column: value}) for value in wanted if value not in have]
    for link in gone:
        s.delete(link)
    s.add_all(added)
    # The parent's version moves with its links (a stale form is refused), once per transaction.
    saved = capture.builder_of(s).op_of(parent.__tablename__, parent.id) is not None
    if (gone or added) and not (saved or parent in s.new or s.is_modified(parent)):
        parent.updated_at = utcnow()
    return bool(gone or added)
