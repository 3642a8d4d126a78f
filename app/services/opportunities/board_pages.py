"""The board's queries by page: a column's header from one grouped query, its cards a page at a time.

The cards of a column are ordered by urgency (deal health rank), then the larger amount, then the title
in the Persian alphabet, then the id (so the order is total and a keyset page can follow it). The first
page of every column comes from one query that numbers each stage's cards with ROW_NUMBER(); the next
pages of one column continue after its last loaded card (keyset, not OFFSET, so an insert or a move
between pages leaves neither a gap nor a duplicate).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, Subquery, and_, func, literal, select, tuple_
from sqlalchemy.orm import Session

from app.models import Identity, Opportunity
from app.persian import sort_key as alphabetical
from app.services.core.access import with_customers
from app.services.opportunities.data import BoardCard
from app.services.opportunities.health import URGENCY, rank_expression
from app.services.opportunities.recurring import monthly_expression

PAGE = 30  # cards per page: three screens of a column


@dataclass(frozen=True)
class ColumnTotals:
    count: int
    total: int
    weighted_raw: int
    monthly_recurring: int


NO_CARDS = ColumnTotals(0, 0, 0, 0)


def sort_key(card: BoardCard) -> tuple:
    """Inside a column: by urgency (overdue, none planned, today, future) when known, then amount, then
    the title in the Persian alphabet (the SQL order's terms but the id)."""
    urgency = URGENCY.get(card.health, len(URGENCY)) if card.health is not None else 0
    return urgency, -card.amount, alphabetical(card.title)


def column_totals(s: Session, conditions: list[ColumnElement[bool]]) -> dict[uuid.UUID, ColumnTotals]:
    """Count, amount, Σ amount × probability and MRR per stage, over every card the filters let through."""
    stmt = with_customers(
        select(
            Opportunity.stage_id,
            func.count(),
            func.coalesce(func.sum(Opportunity.amount), 0),
            func.coalesce(func.sum(Opportunity.amount * Opportunity.probability), 0),
            func.coalesce(func.sum(monthly_expression()), 0),
        )
        .join(Identity, Identity.id == Opportunity.identity_id)
        .where(and_(*conditions))
        .group_by(Opportunity.stage_id)
    )
    return {row[0]: ColumnTotals(*(int(v) for v in row[1:])) for row in s.execute(stmt)}


def ranked(conditions: list[ColumnElement[bool]], bounds: tuple[dt.datetime, dt.datetime]) -> Subquery:
    """Every card the filters let through, with its urgency rank and its place `n` in its stage's column.

    The window keeps the subquery whole on SQLite (not flattened into the outer query), so the rank's
    lookup into the activities runs once per card."""
    rank = rank_expression(*bounds).label("rank")
    place = func.row_number().over(
        partition_by=Opportunity.stage_id,
        order_by=(rank, Opportunity.amount.desc(), Opportunity.title_sort, Opportunity.id),
    )
    return (
        select(
            Opportunity.id.label("id"),
            Opportunity.stage_id.label("stage_id"),
            rank,
            Opportunity.amount.label("amount"),
            Opportunity.title_sort.label("title_sort"),
            place.label("n"),
        )
        .join(Identity, Identity.id == Opportunity.identity_id)
        .where(and_(*conditions))
        .subquery("ranked")
    )


def first_pages(cards: Select, order: Subquery, page: int) -> Select:
    """The first `page` cards of every column, column by column, in the board's order."""
    stmt = cards.join(order, order.c.id == Opportunity.id).where(order.c.n <= page)
    return stmt.order_by(order.c.stage_id, order.c.n)


def after_card(cards: Select, order: Subquery, stage_id: uuid.UUID, after: BoardCard | None, page: int) -> Select:
    """Up to `page` + 1 cards of one column following `after` (from the start when None): the extra
    one only tells whether more follow."""
    stmt = cards.join(order, order.c.id == Opportunity.id).where(order.c.stage_id == stage_id)
    if after is not None:
        # The amount descends: compared negated, so one row-value comparison follows the whole order.
        urgency, amount, title = sort_key(after)
        key = (
            literal(urgency),
            literal(amount),
            literal(title, order.c.title_sort.type),
            literal(after.id, order.c.id.type),
        )
        stmt = stmt.where(tuple_(order.c.rank, -order.c.amount, order.c.title_sort, order.c.id) > tuple_(*key))
    return stmt.order_by(order.c.n).limit(page + 1)
