"""Aggregation in SQL: a scope's rows, grouped by dimensions, summed by measures.

The scope's rows are selected in an inner query (the access policy filters it like any list) with the
dimensions as labelled columns; the outer query groups them. Grouping the labelled columns, not the
expressions, keeps PostgreSQL from refusing a GROUP BY whose CASE carries its own bound parameters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from app.models import (
    Activity,
    Campaign,
    CloseReason,
    Competitor,
    Identity,
    Opportunity,
    OpportunityLine,
    Product,
    SalesTeam,
    Source,
    Stage,
    User,
)
from app.models.enums import OpportunityStatus
from app.persian import sort_key
from app.services.core.labels import OPPORTUNITY_STATUS
from app.services.opportunities.recurring import monthly_expression
from app.services.reports.periods import month_key_label
from app.services.reports.scopes import (
    SCOPES,
    Drill,
    days_to_close,
    deal_amount,
    dimension,
    drill_conditions,
    needs_owner,
)

NO_VALUE = "نامشخص"
DATE_DIMENSIONS = {"month", "quarter", "year", "close_month", "invoice_month", "return_month"}
NAMED = {
    "stage": Stage,
    "rep": User,
    "assignee": User,
    "team": SalesTeam,
    "owner_team": SalesTeam,
    "source": Source,
    "campaign": Campaign,
    "reason": CloseReason,
    "competitor": Competitor,
    "product": Product,
}


def _inputs(model, dialect: str) -> dict[str, ColumnElement]:
    """The per-row values the measures aggregate."""
    if model is Opportunity:
        won = Opportunity.status == OpportunityStatus.WON
        return {
            "amount": deal_amount(),
            "weighted": Opportunity.amount * Opportunity.probability,
            "days": days_to_close(dialect),
            "won": case((won, 1), else_=0),
            "lost": case((Opportunity.status == OpportunityStatus.LOST, 1), else_=0),
            "won_amount": case((won, deal_amount()), else_=None),
            "won_days": case((won, days_to_close(dialect)), else_=None),
            "mrr": monthly_expression(),  # whole Rial per opportunity (recurring.monthly)
        }
    if model in (Activity, Identity):
        return {}
    return {"amount": model.total_after_discount}  # invoices and returns: net of VAT


def rows_of(s: Session, drill: Drill, dims: list[str]):
    """The drill's rows as a subquery: each dimension as a column `d_<name>`, the measures' inputs, `row_id`."""
    model, _ = SCOPES[drill.scope]
    inputs = _inputs(model, s.get_bind().dialect.name)
    columns = [dimension(d, drill.filter).label(f"d_{d}") for d in dims]
    inner = select(*columns, *(v.label(k) for k, v in inputs.items()), model.id.label("row_id"))
    if "owner_team" in dims or needs_owner(drill):
        inner = inner.select_from(model).join(User, User.id == model.owner_id)
    if "product" in dims:  # one row per opportunity and product: two lines of one product count once
        live = and_(OpportunityLine.opportunity_id == Opportunity.id, OpportunityLine.deleted_at.is_(None))
        inner = inner.select_from(model).outerjoin(OpportunityLine, live).distinct()
    return inner.where(*drill_conditions(drill)).subquery()


def grouped(s: Session, drill: Drill, dims: list[str], measures: dict[str, Any]) -> list[tuple[tuple, dict[str, Any]]]:
    """(dimension values, {measure: value}) per group of the drill's rows; `measures` maps a name to
    a function of the inner query's columns giving its aggregate."""
    inner = rows_of(s, drill, dims)
    keys = [inner.c[f"d_{d}"] for d in dims]
    statement = select(*keys, *(fn(inner.c).label(name) for name, fn in measures.items()))
    statement = statement.select_from(inner).group_by(*keys)
    return [
        (tuple(row[: len(dims)]), dict(zip(measures, row[len(dims) :], strict=True))) for row in s.execute(statement)
    ]


def labels(s: Session, dim: str, values: list) -> dict[Any, str]:
    """Persian names of a dimension's values (one small query per named dimension)."""
    if dim in DATE_DIMENSIONS:
        return {v: month_key_label(v) for v in values}
    if dim == "status":
        return {v: OPPORTUNITY_STATUS.get(OpportunityStatus(v), NO_VALUE) if v else NO_VALUE for v in values}
    model = NAMED[dim]
    name = model.display_name if model is User else model.name
    ids = [v for v in values if v is not None]
    found = dict(s.execute(select(model.id, name).where(model.id.in_(ids))).all()) if ids else {}
    return {v: found.get(v, NO_VALUE) for v in values}


def order(s: Session, dim: str, values: list, names: dict[Any, str]) -> list:
    """A dimension's values in reading order: stages by position, dates by calendar, the rest alphabetically."""
    if dim == "stage":
        ids = [v for v in values if v is not None]
        positions = dict(s.execute(select(Stage.id, Stage.position).where(Stage.id.in_(ids))).all()) if ids else {}
        return sorted(values, key=lambda v: (v is None, positions.get(v, 0)))
    if dim in DATE_DIMENSIONS:
        return sorted(values, key=lambda v: (v is None, v or ""))
    if dim == "status":  # the workflow's order: open, won, lost
        return sorted(values, key=[status.value for status in OpportunityStatus].index)
    return sorted(values, key=lambda v: (v is None, sort_key(names[v])))


# count(*), not count(row_id): an index holding the conditions' columns then answers without the table
COUNT = lambda c: func.count()  # noqa: E731
SUM = {
    name: (lambda c, name=name: func.coalesce(func.sum(c[name]), 0))
    for name in ("amount", "weighted", "won", "lost", "won_amount", "won_days", "mrr")
}
# How many rows have a value: an average is a sum over this, and both add up across groups.
PRESENT = {name: (lambda c, name=name: func.count(c[name])) for name in ("won_amount", "won_days")}
ADDITIVE = {COUNT, *SUM.values(), *PRESENT.values()}  # a total of these is the sum of its groups'


def average(total, present) -> int | None:
    """A whole average from a sum and its count of values; None over no values."""
    return whole(total / present) if present else None


def whole(value) -> int | None:
    """An aggregate (Decimal or float from AVG/SUM) as a whole number; None stays None."""
    return None if value is None else int(round(float(value)))
