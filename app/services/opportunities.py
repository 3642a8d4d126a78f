"""Opportunity queries: paged and sorted in SQL."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import aliased

from app.models import Identity, Opportunity, OpportunityStatus, Stage, User
from app.persian import search_key
from app.services.actor import Actor
from app.services.database import Database


@dataclass(frozen=True)
class OpportunityQuery:
    text: str = ""
    status: OpportunityStatus | None = OpportunityStatus.OPEN
    stage_id: uuid.UUID | None = None
    sort: str = "expected_close"
    descending: bool = False


@dataclass(frozen=True)
class OpportunityRow:
    id: uuid.UUID
    title: str
    identity_name: str
    stage_name: str
    status: OpportunityStatus
    amount: int
    probability: int
    priority: int
    owner_name: str | None
    expected_close: dt.date | None


_owner = aliased(User)
SORT_COLUMNS: dict[str, ColumnElement] = {
    "title": Opportunity.title_key,
    "identity_name": Identity.name_key,
    "stage_name": Stage.position,
    "amount": Opportunity.amount,
    "probability": Opportunity.probability,
    "priority": Opportunity.priority,
    "owner_name": _owner.display_name,
    "expected_close": Opportunity.expected_close,
}


def _filters(query: OpportunityQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Opportunity.deleted_at.is_(None)]
    if query.status is not None:
        conditions.append(Opportunity.status == query.status)
    if query.stage_id is not None:
        conditions.append(Opportunity.stage_id == query.stage_id)
    key = search_key(query.text)
    if key:
        conditions.append(
            Opportunity.title_key.contains(key, autoescape=True) | Identity.name_key.contains(key, autoescape=True)
        )
    return conditions


class OpportunityService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def search(self, actor: Actor, query: OpportunityQuery, offset: int = 0, limit: int = 200) -> list[OpportunityRow]:
        """A page of opportunities the actor may see. Reads only."""
        column = SORT_COLUMNS.get(query.sort, Opportunity.expected_close)
        order = column.desc() if query.descending else column.asc()
        stmt = (
            select(
                Opportunity.id,
                Opportunity.title,
                Identity.display_name,
                Stage.name,
                Opportunity.status,
                Opportunity.amount,
                Opportunity.probability,
                Opportunity.priority,
                _owner.display_name,
                Opportunity.expected_close,
            )
            .join(Identity, Identity.id == Opportunity.identity_id)
            .join(Stage, Stage.id == Opportunity.stage_id)
            .outerjoin(_owner, _owner.id == Opportunity.owner_id)
            .where(and_(*_filters(query)))
            .order_by(order, Opportunity.id)
            .offset(offset)
            .limit(limit)
        )
        with self._db.read(actor) as s:
            return [OpportunityRow(*row) for row in s.execute(stmt)]

    def count(self, actor: Actor, query: OpportunityQuery) -> int:
        stmt = select(func.count()).select_from(Opportunity).where(and_(*_filters(query)))
        if search_key(query.text):  # the text also matches the identity's name
            stmt = stmt.join(Identity, Identity.id == Opportunity.identity_id)
        with self._db.read(actor) as s:
            return s.scalar(stmt)
