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
    if gone or added:
        _touch(s, parent)
    return bool(gone or added)


def add_link(s: Session, model: type[LinkRow], parents: list[BusinessMixin], column: str, value) -> list:
    """Links each stored parent to `value` (one id of `column`) unless it already is; returns the parents
    that got the link. One query for all of them: a batch action tags hundreds at once."""
    parent_column = getattr(model, model.__access_parent__)
    ids = [p.id for p in parents]
    # The parents themselves were fetched through the access policy.
    linked = set(
        s.scalars(
            select(parent_column)
            .where(parent_column.in_(ids), getattr(model, column) == value)
            .execution_options(**{SKIP: True})
        )
    )
    added = [p for p in parents if p.id not in linked]
    s.add_all(model(**{model.__access_parent__: p.id, column: value}) for p in added)
    for parent in added:
        _touch(s, parent)
    return added


def _touch(s: Session, parent: BusinessMixin) -> None:
    """The parent's version moves with its links (a stale form is refused), once per transaction."""
    saved = capture.builder_of(s).op_of(parent.__tablename__, parent.id) is not None
    if not (saved or parent in s.new or s.is_modified(parent)):
        parent.updated_at = utcnow()
