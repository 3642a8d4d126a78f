"""The rows behind each report: named scopes (conditions) and dimensions (grouping expressions).

A report groups a scope by a dimension; its drill-down (`Drill`) names the same scope and the
dimension's value, so the records listed are exactly the rows that were counted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, case, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.models import Activity, Identity, Invoice, Opportunity, OpportunityLine, SalesReturn, User
from app.models.enums import ActivityState, DocumentState, IdentityRole, OpportunityStatus
from app.services.core.access import memberships
from app.services.reports.periods import ReportFilter, month_bucket, months_of


@dataclass(frozen=True)
class Drill:
    """The records behind one figure: a scope, the report's filter and the dimension values of the cell."""

    scope: str
    filter: ReportFilter
    keys: tuple[tuple[str, Any], ...] = ()


class unindexed(FunctionElement):  # noqa: N801 (used like a column)
    """A column SQLite may not read from an index (`+column`; the same column elsewhere). Over a period
    holding most activities SQLite would rather skip-scan an index holding the column and look every
    row up in the table, or walk the assignee index to group: three times slower than reading the table."""

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column) -> None:
        super().__init__(column)
        self.type = column.type  # the bound values keep the column's processing (UTC instants on SQLite)


@compiles(unindexed)
def _as_is(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unary_plus(element, compiler, **kw) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def _team_members(team_id: uuid.UUID):
    """The team's members, whether it is their main team or another of theirs."""
    member = memberships()
    return select(member.c.user_id).where(member.c.team_id == team_id)


def _live_opportunities(f: ReportFilter) -> list[ColumnElement]:
    conditions = [Opportunity.deleted_at.is_(None)]
    if f.rep_id:
        conditions.append(Opportunity.owner_id == f.rep_id)
    if f.team_id:
        conditions.append(Opportunity.team_id == f.team_id)
    if f.pipeline_id:
        conditions.append(Opportunity.pipeline_id == f.pipeline_id)
    return conditions


def _closed_in(f: ReportFilter, *statuses: OpportunityStatus) -> list[ColumnElement]:
    return [
        *_live_opportunities(f),
        Opportunity.status.in_(statuses),
        Opportunity.closed_on >= f.start,
        Opportunity.closed_on <= f.end,
    ]


def owned_by(column, f: ReportFilter) -> list[ColumnElement]:
    conditions = []
    if f.rep_id:
        conditions.append(column == f.rep_id)
    if f.team_id:
        conditions.append(column.in_(_team_members(f.team_id)))
    return conditions


def funnel(f: ReportFilter) -> tuple[list[ColumnElement], list[ColumnElement]]:
    """Identities created in the period (users' own contact cards aside), and the conditions narrowing
    them step by step: qualified (a contact or customer, or already with an opportunity), with an
    opportunity, with a won one."""

    def has_opportunity(*more):
        # an uncorrelated IN list: a correlated EXISTS let SQLite walk the status index once per identity
        return Identity.id.in_(select(Opportunity.identity_id).where(*_live_opportunities(f), *more))

    created = [
        Identity.deleted_at.is_(None),
        Identity.merged_into_id.is_(None),
        Identity.created_at >= f.first_instant,
        Identity.created_at < f.after_instant,
        Identity.id.notin_(select(User.contact_id).where(User.contact_id.is_not(None))),
        *owned_by(Identity.owner_id, f),
    ]
    steps = [
        Identity.role.in_((IdentityRole.CONTACT, IdentityRole.CUSTOMER)) | has_opportunity(),
        has_opportunity(),
        has_opportunity(Opportunity.status == OpportunityStatus.WON),
    ]
    return created, steps


def _funnel(f: ReportFilter, step: int) -> list[ColumnElement]:
    created, steps = funnel(f)
    return [*created, *steps[:step]]


def _issued(model, f: ReportFilter) -> list[ColumnElement]:
    return [
        model.deleted_at.is_(None),
        model.state == DocumentState.ISSUED,
        model.issue_date >= f.start,
        model.issue_date <= f.end,
        *owned_by(model.owner_id, f),
    ]


# scope name -> (the model listed, its conditions)
SCOPES = {
    "open": (Opportunity, lambda f: [*_live_opportunities(f), Opportunity.status == OpportunityStatus.OPEN]),
    "created": (
        Opportunity,
        lambda f: [
            *_live_opportunities(f),
            Opportunity.created_at >= f.first_instant,
            Opportunity.created_at < f.after_instant,
        ],
    ),
    "closed": (Opportunity, lambda f: _closed_in(f, OpportunityStatus.WON, OpportunityStatus.LOST)),
    "won": (Opportunity, lambda f: _closed_in(f, OpportunityStatus.WON)),
    "lost": (Opportunity, lambda f: _closed_in(f, OpportunityStatus.LOST)),
    "forecast": (
        Opportunity,
        lambda f: [
            *_live_opportunities(f),
            Opportunity.status == OpportunityStatus.OPEN,
            Opportunity.expected_close >= f.start,
            Opportunity.expected_close <= f.end,
        ],
    ),
    **{f"funnel{step}": (Identity, lambda f, step=step: _funnel(f, step)) for step in range(4)},
    "activities_done": (
        Activity,
        lambda f: [
            Activity.deleted_at.is_(None),
            Activity.state == ActivityState.DONE,
            Activity.done_at >= f.first_instant,
            Activity.done_at < f.after_instant,
            *owned_by(Activity.assignee_id, f),
        ],
    ),
    "activities_overdue": (
        Activity,
        lambda f: [
            Activity.deleted_at.is_(None),
            Activity.state == ActivityState.PLANNED,
            Activity.due_at < dt.datetime.now(dt.UTC),
            *owned_by(Activity.assignee_id, f),
        ],
    ),
    "invoices": (Invoice, lambda f: _issued(Invoice, f)),
    "returns": (SalesReturn, lambda f: _issued(SalesReturn, f)),
}


def days_to_close(dialect: str) -> ColumnElement:
    """Whole days from an opportunity's creation to its closing (NULL while open)."""
    if dialect == "sqlite":
        days = cast(func.julianday(Opportunity.closed_on) - func.julianday(func.date(Opportunity.created_at)), Integer)
    else:
        days = Opportunity.closed_on - cast(Opportunity.created_at, Date)
    return case((Opportunity.status != OpportunityStatus.OPEN, days), else_=None)


def deal_amount() -> ColumnElement:
    """A won deal counts its final amount; any other its estimate."""
    return case(
        (Opportunity.status == OpportunityStatus.WON, func.coalesce(Opportunity.won_amount, Opportunity.amount)),
        else_=Opportunity.amount,
    )


def dimension(name: str, f: ReportFilter) -> ColumnElement:
    """The grouping expression of a dimension of a scope's model."""
    months = months_of(f.start, f.end)
    simple = {
        "stage": Opportunity.stage_id,
        "rep": Opportunity.owner_id,
        "team": Opportunity.team_id,
        "source": Opportunity.source_id,
        "campaign": Opportunity.campaign_id,
        "status": Opportunity.status,
        "reason": Opportunity.close_reason_id,
        "competitor": Opportunity.lost_to_id,
        "assignee": unindexed(Activity.assignee_id),
        "owner_team": User.team_id,
        "product": OpportunityLine.product_id,  # grouped over the opportunity's lines (engine.grouped joins them)
    }
    if name in simple:
        return simple[name]
    if name in ("month", "quarter", "year"):
        return month_bucket(Opportunity.created_at, months, instants=True, grain=name)
    if name == "close_month":
        return month_bucket(Opportunity.expected_close, months, instants=False)
    if name == "invoice_month":
        return month_bucket(Invoice.issue_date, months, instants=False)
    if name == "return_month":
        return month_bucket(SalesReturn.issue_date, months, instants=False)
    raise KeyError(name)


def matches(expression: ColumnElement, value: Any) -> ColumnElement:
    return expression.is_(None) if value is None else expression == value


def _key_condition(name: str, value: Any, f: ReportFilter) -> ColumnElement:
    if name == "product":  # an opportunity with a line of the product; "none" is one without lines
        lines = select(OpportunityLine.opportunity_id).where(OpportunityLine.deleted_at.is_(None))
        if value is None:
            return Opportunity.id.notin_(lines)
        return Opportunity.id.in_(lines.where(OpportunityLine.product_id == value))
    return matches(dimension(name, f), value)


def drill_conditions(drill: Drill) -> list[ColumnElement]:
    _, conditions = SCOPES[drill.scope]
    return [*conditions(drill.filter), *(_key_condition(n, v, drill.filter) for n, v in drill.keys)]


def needs_owner(drill: Drill) -> bool:
    """Whether the drill groups by the owner's team (documents: joined to their owner)."""
    return any(name == "owner_team" for name, _ in drill.keys)
