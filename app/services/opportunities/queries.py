"""Opportunity queries for the list and the board: filtered, paged, sorted and grouped in SQL.

The access policy already limits every query to what the actor may see; the scope filter
(mine / my team / one team / all, `scope_choices`) narrows further within that.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import BigInteger, ColumnElement, Select, and_, case, cast, exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from app.models import Identity, Opportunity, OpportunityStatus, SalesTeam, Source, Stage, User, opportunity_tags
from app.persian import month_bounds, next_month, search_key, sort_key
from app.persian.jalali import MONTH_NAMES
from app.persian.text import to_persian_digits
from app.services.core import periods
from app.services.core.access import SCOPE_ALL, SCOPE_MINE, SCOPE_TEAM, TEAM_PREFIX, scope_owner_ids, with_customers
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.labels import OPPORTUNITY_STATUS
from app.services.core.periods import PERIOD_LABELS, PeriodKind
from app.services.opportunities import days
from app.services.opportunities.data import weighted_amount
from app.services.opportunities.health import (
    URGENCY,
    Health,
    next_due_expression,
    states_in_session,
    urgency_expression,
)
from app.services.opportunities.recurring import monthly_expression

# The app's periods, then two that only an expected close has: the month ahead and the overdue.
PERIODS = {kind.value: label for kind, label in PERIOD_LABELS.items() if kind is not PeriodKind.CUSTOM} | {
    "next_month": "ماه آینده",
    "overdue": "سررسید گذشته",
}
GROUPS = {
    "stage": "مرحله",
    "owner": "مسئول",
    "source": "منبع",
    "status": "وضعیت",
    "priority": "اولویت",
    "month": "ماه پیش‌بینی بستن",
}
NO_VALUE = "—"


@dataclass(frozen=True)
class OpportunityQuery:
    text: str = ""
    status: OpportunityStatus | None = OpportunityStatus.OPEN
    stage_id: uuid.UUID | None = None
    sort: str = "expected_close"
    descending: bool = False
    scope: str = "all"  # "all", "mine", "team" or "team:<id>" (access.scope_owner_ids)
    owner_id: uuid.UUID | None = None
    tag_id: uuid.UUID | None = None
    source_id: uuid.UUID | None = None
    period: str | None = None  # a key of PERIODS, kept by name: resolved when the query runs
    close_first: dt.date | None = None  # fixed days of the expected close («بازه دلخواه»)
    close_last: dt.date | None = None
    pipeline_id: uuid.UUID | None = None
    identity_id: uuid.UUID | None = None
    min_priority: int | None = None  # at least this many priority stars (1–3)
    # Restricts to one group of the list's group-by: (group key, value as OpportunityGroup.key).
    group: tuple[str, object] | None = None


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
    identity_id: uuid.UUID | None = None
    stage_id: uuid.UUID | None = None
    closed_on: dt.date | None = None
    close_reason: str | None = None
    monthly_recurring: int = 0  # MRR in whole Rial (recurring.monthly)
    days_to_assign: int | None = None  # computed in SQL (opportunities/days.py)
    days_to_close: int | None = None
    # Deal health of an open opportunity (None when closed), filled for the whole page in one query.
    health: Health | None = None

    @property
    def weighted_amount(self) -> int:
        return weighted_amount(self.amount, self.probability)


@dataclass(frozen=True)
class OpportunityGroup:
    key: object  # the value to pass back in OpportunityQuery.group
    label: str
    count: int
    amount: int
    weighted_amount: int
    monthly_recurring: int = 0


_owner = aliased(User)
SORT_COLUMNS: dict[str, ColumnElement] = {
    "title": Opportunity.title_sort,
    "identity_name": Identity.name_sort,
    "stage_name": Stage.position,
    "amount": Opportunity.amount,
    "probability": Opportunity.probability,
    "weighted_amount": Opportunity.amount * Opportunity.probability,
    "priority": Opportunity.priority,
    "owner_name": _owner.name_sort,
    "expected_close": Opportunity.expected_close,
    "closed_on": Opportunity.closed_on,
    "monthly_recurring": monthly_expression(),
}
URGENCY_SORT = "urgency"  # deal health: overdue, none planned, today, future; closed ones last


def urgency_order(descending: bool = False, now: dt.datetime | None = None, tz: dt.tzinfo | None = None) -> list:
    """ORDER BY terms of the "urgency" sort (ui.md, seed 002): open opportunities by health rank (0 overdue,
    1 none planned, 2 today, 3 future), then by their nearest planned activity, then the larger amount; closed
    ones after all open ones, whichever the direction. Descending reverses the open ones' order."""
    is_open = Opportunity.status == OpportunityStatus.OPEN
    closed_last = case((is_open, literal(0)), else_=literal(1))
    rank = case((is_open, urgency_expression(now, tz)), else_=literal(len(URGENCY)))
    due = case((is_open, next_due_expression()), else_=None)
    if descending:
        return [closed_last, rank.desc(), due.desc(), Opportunity.amount.asc()]
    return [closed_last, rank, due, Opportunity.amount.desc()]


def period_bounds(period: str, today: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
    """[start, end] of a Jalali period (the app's, or the month ahead); "overdue" is (None, yesterday)."""
    today = today or periods.today()
    if period == "next_month":
        return next_month(today)
    if period == "overdue":
        return None, today - dt.timedelta(days=1)
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    return periods.period_bounds(PeriodKind(period), today)


def filters(s: Session, actor: Actor, query: OpportunityQuery) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a query; the text condition needs Identity joined."""
    conditions: list[ColumnElement[bool]] = [Opportunity.deleted_at.is_(None), Opportunity.merged_into_id.is_(None)]
    if query.status is not None:
        conditions.append(Opportunity.status == query.status)
    if query.stage_id is not None:
        conditions.append(Opportunity.stage_id == query.stage_id)
    if query.pipeline_id is not None:
        conditions.append(Opportunity.pipeline_id == query.pipeline_id)
    if query.identity_id is not None:
        conditions.append(Opportunity.identity_id == query.identity_id)
    if query.owner_id is not None:
        conditions.append(Opportunity.owner_id == query.owner_id)
    if query.source_id is not None:
        conditions.append(Opportunity.source_id == query.source_id)
    if query.min_priority:
        conditions.append(Opportunity.priority >= query.min_priority)
    if query.tag_id is not None:
        conditions.append(
            exists().where(
                opportunity_tags.c.opportunity_id == Opportunity.id, opportunity_tags.c.tag_id == query.tag_id
            )
        )
    owners = scope_owner_ids(s, query.scope)
    if owners is not None:
        conditions.append(Opportunity.owner_id.in_(owners))
    if query.period:
        start, end = period_bounds(query.period)
        if start is not None:
            conditions.append(Opportunity.expected_close >= start)
        conditions.append(Opportunity.expected_close <= end)
    if query.close_first is not None:
        conditions.append(Opportunity.expected_close >= query.close_first)
    if query.close_last is not None:
        conditions.append(Opportunity.expected_close <= query.close_last)
    if query.group is not None:
        conditions.append(_group_condition(*query.group))
    key = search_key(query.text)
    if key:
        conditions.append(
            Opportunity.title_key.contains(key, autoescape=True) | Identity.name_key.contains(key, autoescape=True)
        )
    return conditions


_GROUP_COLUMNS: dict[str, ColumnElement] = {
    "stage": Opportunity.stage_id,
    "owner": Opportunity.owner_id,
    "source": Opportunity.source_id,
    "status": Opportunity.status,
    "priority": Opportunity.priority,
}


def _group_condition(group_by: str, key: object) -> ColumnElement[bool]:
    if group_by == "month":
        if key is None:
            return Opportunity.expected_close.is_(None)
        year, month = key
        start, end = month_bounds(year, month)
        return Opportunity.expected_close.between(start, end)
    column = _GROUP_COLUMNS[group_by]
    return column.is_(None) if key is None else column == key


def _jalali_month(day: dt.date) -> tuple[int, int]:
    import jdatetime

    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month


@dataclass(frozen=True)
class ScopeChoice:
    value: str  # OpportunityQuery.scope, IdentityQuery.scope, CardboardService.load(scope=)
    label: str


class OpportunityService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def scope_choices(self, actor: Actor, all_label: str = "همه", mine_label: str = "من") -> list[ScopeChoice]:
        """The scopes offered to the actor: «همه» and «من» to everyone, «تیم من» to a team's leader, and
        each team to an administrator (docs/access.md). Anyone; reads only."""
        choices = [ScopeChoice(SCOPE_ALL, all_label), ScopeChoice(SCOPE_MINE, mine_label)]
        with self._db.read(actor) as s:
            teams = s.execute(
                select(SalesTeam.id, SalesTeam.name, SalesTeam.leader_id).where(SalesTeam.deleted_at.is_(None))
            ).all()
        teams.sort(key=lambda team: (sort_key(team[1]), str(team[0])))
        if any(leader == actor.user_id for _, _, leader in teams):
            choices.append(ScopeChoice(SCOPE_TEAM, "تیم من"))
        if actor.is_admin:
            choices += [ScopeChoice(f"{TEAM_PREFIX}{tid}", f"تیم {name}") for tid, name, _ in teams]
        return choices

    def _select(self, s: Session, actor: Actor, query: OpportunityQuery) -> Select:
        return with_customers(
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
                Opportunity.identity_id,
                Opportunity.stage_id,
                Opportunity.closed_on,
                Opportunity.close_reason,
                monthly_expression(),
                days.days_to_assign(s.get_bind().dialect.name),
                days.days_to_close(s.get_bind().dialect.name),
            )
            .join(Identity, Identity.id == Opportunity.identity_id)
            .join(Stage, Stage.id == Opportunity.stage_id)
            .outerjoin(_owner, _owner.id == Opportunity.owner_id)
            .where(and_(*filters(s, actor, query)))
        )

    def search(
        self,
        actor: Actor,
        query: OpportunityQuery,
        offset: int = 0,
        limit: int = 200,
        now: dt.datetime | None = None,
        tz: dt.tzinfo | None = None,
    ) -> list[OpportunityRow]:
        """A page of opportunities the actor may see, filtered and sorted in SQL (sort "urgency": by deal
        health, see urgency_order), each open one with its deal health (`now`/`tz` fix the clock and the
        user's day, for tests). Anyone; reads only: two queries (the page, then its health grouped)."""
        if query.sort == URGENCY_SORT:
            order = urgency_order(query.descending, now, tz)
        else:
            column = SORT_COLUMNS.get(query.sort, Opportunity.expected_close)
            order = [column.desc() if query.descending else column.asc()]
        with self._db.read(actor) as s:
            stmt = self._select(s, actor, query).order_by(*order, Opportunity.id).offset(offset).limit(limit)
            rows = [OpportunityRow(*row) for row in s.execute(stmt)]
            open_ids = [r.id for r in rows if r.status is OpportunityStatus.OPEN]
            health = states_in_session(s, self._db, actor, open_ids, now, tz) if open_ids else {}
        return [replace(r, health=health[r.id]) if r.id in health else r for r in rows]

    def count(self, actor: Actor, query: OpportunityQuery) -> int:
        """How many opportunities match (within what the actor may see). Anyone; reads only."""
        with self._db.read(actor) as s:
            stmt = select(func.count()).select_from(Opportunity).where(and_(*filters(s, actor, query)))
            if search_key(query.text):  # the text also matches the identity's name
                stmt = stmt.join(Identity, Identity.id == Opportunity.identity_id)
            return s.scalar(with_customers(stmt))

    def groups(self, actor: Actor, query: OpportunityQuery, group_by: str) -> list[OpportunityGroup]:
        """The list's groups (a key of GROUPS) with count, amount, weighted amount and MRR. Anyone; reads only."""
        query = replace(query, group=None)
        with self._db.read(actor) as s:
            base = select(
                func.count(),  # PostgreSQL sums bigints as numeric: cast back to whole Rials
                cast(func.sum(Opportunity.amount), BigInteger),
                cast(func.sum(Opportunity.amount * Opportunity.probability), BigInteger),
                cast(func.sum(monthly_expression()), BigInteger),
            )
            base = with_customers(base.select_from(Opportunity).where(and_(*filters(s, actor, query))))
            if search_key(query.text):
                base = base.join(Identity, Identity.id == Opportunity.identity_id)
            if group_by == "month":
                rows = s.execute(base.add_columns(Opportunity.expected_close).group_by(Opportunity.expected_close))
                folded: dict = {}
                for count, amount, weighted, mrr, day in rows:
                    key = None if day is None else _jalali_month(day)
                    old = folded.get(key, (0, 0, 0, 0))
                    add = (count, amount or 0, weighted or 0, mrr or 0)
                    folded[key] = tuple(a + b for a, b in zip(old, add, strict=True))
                keys = sorted(folded, key=lambda k: (k is None, k or (0, 0)))
                return [
                    OpportunityGroup(
                        k, self._month_label(k), *folded[k][:2], weighted_amount(folded[k][2], 1), folded[k][3]
                    )
                    for k in keys
                ]
            column = _GROUP_COLUMNS[group_by]
            rows = list(s.execute(base.add_columns(column).group_by(column)))
            labels = self._labels(s, group_by, [r[4] for r in rows])
            groups = [
                OpportunityGroup(
                    key, labels.get(key, NO_VALUE), count, amount or 0, weighted_amount(weighted or 0, 1), mrr or 0
                )
                for count, amount, weighted, mrr, key in rows
            ]
            order = self._order(s, group_by)
            return sorted(groups, key=lambda g: (g.key is None, order.get(g.key, 0), sort_key(g.label)))

    @staticmethod
    def _month_label(key) -> str:
        if key is None:
            return "بدون تاریخ"
        return f"{MONTH_NAMES[key[1] - 1]} {to_persian_digits(str(key[0]))}"

    @staticmethod
    def _labels(s: Session, group_by: str, keys: list) -> dict:
        ids = [k for k in keys if k is not None]
        if group_by == "stage":
            return dict(s.execute(select(Stage.id, Stage.name).where(Stage.id.in_(ids))).all())
        if group_by == "owner":
            labels = dict(s.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())
            return labels | {None: "بدون مسئول"}
        if group_by == "source":
            return dict(s.execute(select(Source.id, Source.name).where(Source.id.in_(ids))).all())
        if group_by == "status":
            return dict(OPPORTUNITY_STATUS)
        if group_by == "priority":
            return {k: "★" * k if k else "بدون ستاره" for k in ids}
        return {}

    @staticmethod
    def _order(s: Session, group_by: str) -> dict:
        if group_by == "stage":
            return dict(s.execute(select(Stage.id, Stage.position)).all())
        if group_by == "status":
            return {status: i for i, status in enumerate(OpportunityStatus)}
        if group_by == "priority":
            return {p: -p for p in range(4)}
        return {}
