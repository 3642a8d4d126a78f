"""The fields the automatic probability may learn from (seed 004: «احتمال خودکار»), as SQL.

Each field gives, for a set of opportunities, a key and a name per opportunity: the won/lost counts
are GROUP BY queries over these (never the rows into Python), and an opportunity's own values come
from the same expressions, so training and estimating cannot disagree.

The stage counts «reached» stages, as Odoo does: a closed deal counts in its stage and in every
earlier stage of its pipeline (a won deal passed them all). Counted by the stage it closed in, every
won deal would sit in the last stage and any earlier stage would look hopeless.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, select
from sqlalchemy.orm import Session

from app.models import (
    Campaign,
    Category,
    Identity,
    IdentityEmail,
    Medium,
    Opportunity,
    OpportunityStatus,
    OpportunityTag,
    OpportunityType,
    SalesTeam,
    Source,
    Stage,
    Tag,
)

YES_NO = {1: "دارد", 0: "ندارد"}


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # Persian, as the factor names it: «منبع: نمایشگاه»
    value: Callable[[], tuple[ColumnElement, ColumnElement]]  # (key, name) over Opportunity and its joins
    joins: Callable[[Select], Select] = lambda stmt: stmt
    names: dict | None = None  # a yes/no field's names by key


def _listed(model, column) -> Field:
    """A field naming a row of an admin list (source, campaign ...): keyed by the row's id."""
    joins = lambda stmt: stmt.outerjoin(model, model.id == column)  # noqa: E731
    return lambda key, label: Field(key, label, lambda: (column, model.name), joins)


def _identity_joins(stmt: Select) -> Select:
    return stmt.outerjoin(Identity, Identity.id == Opportunity.identity_id)


def _has_email() -> ColumnElement:
    any_email = exists().where(IdentityEmail.identity_id == Opportunity.identity_id, IdentityEmail.deleted_at.is_(None))
    return case((any_email, 1), else_=0)


def _has_mobile() -> ColumnElement:
    # Mobiles are checked on entry (validators.mobile), so one on file is a valid one.
    return case((and_(Identity.primary_mobile.is_not(None), Identity.primary_mobile != ""), 1), else_=0)


FIELDS: tuple[Field, ...] = (
    Field("stage", "مرحله", lambda: (Opportunity.stage_id, Stage.name),
          lambda stmt: stmt.join(Stage, Stage.id == Opportunity.stage_id)),
    _listed(Source, Opportunity.source_id)("source", "منبع"),
    _listed(Campaign, Opportunity.campaign_id)("campaign", "کمپین"),
    _listed(Medium, Opportunity.medium_id)("medium", "وسیله ارتباطی"),
    _listed(OpportunityType, Opportunity.type_id)("type", "نوع"),
    _listed(SalesTeam, Opportunity.team_id)("team", "تیم فروش"),
    Field("tags", "برچسب", lambda: (Tag.id, Tag.name),
          lambda stmt: stmt.join(OpportunityTag, OpportunityTag.opportunity_id == Opportunity.id)
          .join(Tag, Tag.id == OpportunityTag.tag_id)),
    Field("city", "شهر", lambda: (Identity.primary_city, Identity.primary_city), _identity_joins),
    Field("category", "دسته هویت", lambda: (Category.id, Category.name),
          lambda stmt: _identity_joins(stmt).outerjoin(Category, Category.id == Identity.category_id)),
    Field("email", "ایمیل", lambda: (_has_email(), literal(None)), names=YES_NO),
    Field("phone", "تلفن همراه معتبر", lambda: (_has_mobile(), literal(None)), _identity_joins, YES_NO),
)  # fmt: skip
BY_KEY = {f.key: f for f in FIELDS}
DEFAULT_FIELDS = ("stage", "source", "campaign", "tags", "email", "phone")


def won_count() -> ColumnElement[int]:
    return func.sum(case((Opportunity.status == OpportunityStatus.WON, 1), else_=0))


def count_rows(s: Session, field: Field, where: list[ColumnElement[bool]]) -> list[tuple]:
    """(key, name, closed, won) per value of the field over the closed opportunities `where` picks."""
    if field.key == "stage":
        return _reached_stage_rows(s, where)
    key, name = field.value()
    # Each row's value first, grouped outside: grouped in place, a value read by a subquery (e-mail
    # present) is compiled twice with the access policy's criteria, and PostgreSQL calls them different.
    rows = field.joins(select(key.label("k"), name.label("n"), Opportunity.status.label("st")).select_from(Opportunity))
    rows = rows.where(*where, key.is_not(None)).subquery()
    won = func.sum(case((rows.c.st == OpportunityStatus.WON, 1), else_=0))
    return list(s.execute(select(rows.c.k, rows.c.n, func.count(), won).group_by(rows.c.k, rows.c.n)))


def _reached_stage_rows(s: Session, where: list[ColumnElement[bool]]) -> list[tuple]:
    """Closes per stage they closed in (GROUP BY), then summed from each pipeline's last stage back:
    a stage's count is that of its own closes and of every later stage's."""
    closed_in = select(Opportunity.stage_id, func.count(), won_count()).where(*where).group_by(Opportunity.stage_id)
    counts = {stage_id: (closes, int(won or 0)) for stage_id, closes, won in s.execute(closed_in)}
    stages = s.execute(
        select(Stage.id, Stage.name, Stage.pipeline_id)
        .where(Stage.deleted_at.is_(None))
        .order_by(Stage.pipeline_id, Stage.position.desc())
    )
    rows, pipeline, closes, won = [], None, 0, 0
    for stage_id, name, pipeline_id in stages:
        if pipeline_id != pipeline:
            pipeline, closes, won = pipeline_id, 0, 0
        here = counts.get(stage_id, (0, 0))
        closes, won = closes + here[0], won + here[1]
        if closes:
            rows.append((stage_id, name, closes, won))
    return rows


def values_query(field: Field, ids: list[uuid.UUID]) -> Select:
    """(opportunity id, key, name) of the given opportunities (a tag field gives a row per tag)."""
    key, name = field.value()
    stmt = field.joins(select(Opportunity.id, key, name).select_from(Opportunity))
    return stmt.where(Opportunity.id.in_(ids), key.is_not(None))


def value_name(field: Field, key, name) -> str:
    return field.names[key] if field.names else str(name or "—")
