"""The board's queries by page: a column's header from one grouped query, its cards a page at a time.

The cards of a column are ordered by urgency (deal health rank), then the larger amount, then the title
in the Persian alphabet, then the id (so the order is total and a keyset page can follow it). The first
page of every column comes from one query that numbers each stage's cards with ROW_NUMBER(); the next
pages of one column continue after its last loaded card with ORDER BY … LIMIT (keyset, not OFFSET, so
an insert or a move between pages leaves neither a gap nor a duplicate).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import CTE, ColumnElement, Select, Subquery, and_, func, literal, select, tuple_
from sqlalchemy.orm import Session

from app.models import Identity, Opportunity
from app.persian import search_key
from app.persian import sort_key as alphabetical
from app.services.core.access import with_customers
from app.services.opportunities.data import BoardCard
from app.services.opportunities.health import URGENCY, rank_expression
from app.services.opportunities.queries import OpportunityQuery
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


def joins_identity(query: OpportunityQuery) -> bool:
    """Whether the board's queries need the customer joined: for the text filter alone. The foreign key
    guarantees the customer, and a restricted user sees the customer of every opportunity they see (the
    access policy's customers: app.services.core.access.customers_clause), so the join only cost them
    that policy per open card (3 s a page at a million identities on the office server)."""
    return bool(search_key(query.text))


def _cards(stmt: Select, conditions: list[ColumnElement[bool]], with_identity: bool) -> Select:
    if with_identity:
        stmt = with_customers(stmt.join(Identity, Identity.id == Opportunity.identity_id))
    return stmt.where(and_(*conditions))


def column_totals(
    s: Session, conditions: list[ColumnElement[bool]], with_identity: bool
) -> dict[uuid.UUID, ColumnTotals]:
    """Count, amount, Σ amount × probability and MRR per stage, over every card the filters let through."""
    sums = select(
        Opportunity.stage_id,
        func.count(),
        func.coalesce(func.sum(Opportunity.amount), 0),
        func.coalesce(func.sum(Opportunity.amount * Opportunity.probability), 0),
        func.coalesce(func.sum(monthly_expression()), 0),
    )
    stmt = _cards(sums, conditions, with_identity).group_by(Opportunity.stage_id)
    return {row[0]: ColumnTotals(*(int(v) for v in row[1:])) for row in s.execute(stmt)}


def urgent_cards(
    conditions: list[ColumnElement[bool]], bounds: tuple[dt.datetime, dt.datetime], with_identity: bool
) -> CTE:
    """Every card the filters let through with the terms of its order: its urgency rank, amount, title
    key and id. Materialised: as a plain subquery, SQLite copied the rank's lookup into the activities
    into the outer query's sort key and ran it twice per card."""
    columns = select(
        Opportunity.id.label("id"),
        Opportunity.stage_id.label("stage_id"),
        rank_expression(*bounds).label("rank"),
        Opportunity.amount.label("amount"),
        Opportunity.title_sort.label("title_sort"),
    )
    return _cards(columns, conditions, with_identity).cte("cards").prefix_with("MATERIALIZED")


def _order(cards: CTE | Subquery) -> tuple:
    return cards.c.rank, cards.c.amount.desc(), cards.c.title_sort, cards.c.id


def ranked(cards: CTE) -> Subquery:
    """The cards with their place `n` in their stage's column."""
    place = func.row_number().over(partition_by=cards.c.stage_id, order_by=_order(cards))
    return select(*cards.c, place.label("n")).subquery("ranked")


def first_pages(cards: Select, order: Subquery, page: int) -> Select:
    """The first `page` cards of every column, column by column, in the board's order."""
    stmt = cards.join(order, order.c.id == Opportunity.id).where(order.c.n <= page)
    return stmt.order_by(order.c.stage_id, order.c.n)


def after_card(statement: Select, cards: CTE, after: BoardCard | None, page: int) -> Select:
    """Up to `page` + 1 of `cards` (one column's) following `after` (from the start when None): the extra
    one only tells whether more follow. The page is chosen first (ORDER BY with LIMIT: SQLite keeps only
    the best rows while sorting) and only its cards are joined to their details."""
    chosen = select(*cards.c)
    if after is not None:
        # The amount descends: compared negated, so one row-value comparison follows the whole order.
        urgency, amount, title = sort_key(after)
        key = (
            literal(urgency),
            literal(amount),
            literal(title, cards.c.title_sort.type),
            literal(after.id, cards.c.id.type),
        )
        chosen = chosen.where(tuple_(cards.c.rank, -cards.c.amount, cards.c.title_sort, cards.c.id) > tuple_(*key))
    best = chosen.order_by(*_order(cards)).limit(page + 1).subquery("page")
    return statement.join(best, best.c.id == Opportunity.id).order_by(*_order(best))
