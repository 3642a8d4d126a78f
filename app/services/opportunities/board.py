"""The kanban board (بورد فرصت‌ها): one column per stage of a pipeline, open opportunities as cards.

A board is loaded with one grouped query for the columns' counts and totals (amount, weighted, MRR),
one for the first page of every column's cards (tags aggregated, the deal health's nearest planned
activity and the monthly recurring revenue as correlated subqueries) and one for the pipeline's
stages; a column's further cards come a page at a time (`column_page`, board_pages.py), so the cost
of a first paint does not follow the number of open opportunities.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import astuple, dataclass, replace

from sqlalchemy import Select, func, null, select
from sqlalchemy.orm import Session

from app.models import (
    Identity,
    Opportunity,
    OpportunityStatus,
    Pipeline,
    Stage,
    StageFold,
    Tag,
    User,
    opportunity_tags,
)
from app.services.core.access import SKIP, fetch, with_customers
from app.services.core.actor import Actor
from app.services.core.concurrency import ensure_version
from app.services.core.database import Database
from app.services.core.errors import NotFound, ValidationFailed
from app.services.opportunities.board_pages import (
    NO_CARDS,
    PAGE,
    after_card,
    column_totals,
    first_pages,
    joins_identity,
    ranked,
    urgent_cards,
)
from app.services.opportunities.data import BoardCard, BoardColumn, ColumnPage, initials
from app.services.opportunities.health import classify, next_due_expression, today_bounds
from app.services.opportunities.queries import OpportunityQuery, filters
from app.services.opportunities.recurring import monthly_expression
from app.services.opportunities.sales_lists import ensure_sales_defaults
from app.services.server import card_customers
from app.services.server.security import on_own_role

TAG_SEPARATOR = "\x1f"
STARS = 3  # the most priority stars
COLOR_SEPARATOR = "\x1e"  # between a tag's name and its colour inside the aggregate


@dataclass(frozen=True)
class Board:
    pipeline_id: uuid.UUID
    pipeline_name: str
    columns: list[BoardColumn]

    @property
    def count(self) -> int:
        return sum(c.count for c in self.columns)


def _tags_table(db: Database):
    """Tag names and colours per opportunity in one string (group_concat on SQLite, string_agg on
    PostgreSQL), aggregated once and joined: cheaper than a correlated subquery per card."""
    labelled = Tag.name + COLOR_SEPARATOR + func.coalesce(Tag.color, "")
    aggregate = func.group_concat(labelled, TAG_SEPARATOR) if db.is_sqlite else func.string_agg(labelled, TAG_SEPARATOR)
    return (
        select(opportunity_tags.c.opportunity_id.label("opportunity_id"), aggregate.label("names"))
        .join(Tag, Tag.id == opportunity_tags.c.tag_id)
        .where(Tag.deleted_at.is_(None))
        .group_by(opportunity_tags.c.opportunity_id)
        .subquery()
    )


def card_statement(db: Database, customer: bool = True) -> Select:
    """The cards' columns; without `customer`, no customer's name (None) and no join to identities."""
    tags = _tags_table(db)
    statement = select(
        Opportunity.id,
        Opportunity.stage_id,
        Opportunity.title,
        Identity.display_name if customer else null(),
        Opportunity.amount,
        Opportunity.probability,
        Opportunity.priority,
        tags.c.names,
        User.display_name,
        Opportunity.expected_close,
        Opportunity.version,
        next_due_expression(),
        monthly_expression(),
    )
    if customer:
        statement = with_customers(statement.join(Identity, Identity.id == Opportunity.identity_id))
    return statement.outerjoin(User, User.id == Opportunity.owner_id).outerjoin(
        tags, tags.c.opportunity_id == Opportunity.id
    )


def _card(row, bounds: tuple[dt.datetime, dt.datetime]) -> BoardCard:
    oid, stage_id, title, identity, amount, prob, priority, tags, owner, close, version, next_due, mrr = row
    if next_due is not None and next_due.tzinfo is None:  # a scalar subquery loses the column type on SQLite
        next_due = next_due.replace(tzinfo=dt.UTC)
    labelled = sorted(tuple(t.split(COLOR_SEPARATOR)) for t in tags.split(TAG_SEPARATOR)) if tags else []
    tag_names = tuple(name for name, _ in labelled)
    health = classify(next_due, *bounds)
    return BoardCard(
        oid,
        stage_id,
        title,
        identity,
        amount,
        prob,
        priority,
        tag_names,
        owner,
        initials(owner),
        close,
        version,
        health,
        mrr,
        tuple(color or None for _, color in labelled),
    )


def _board_query(query: OpportunityQuery | None) -> OpportunityQuery:
    """The board shows the open opportunities of every stage, whatever the list's status, stage or group."""
    return replace(query or OpportunityQuery(), status=OpportunityStatus.OPEN, stage_id=None, group=None)


def _cards_of(s: Session, db: Database, chosen: list[uuid.UUID], bounds: tuple[dt.datetime, dt.datetime]) -> list:
    """The cards of `chosen` (ids the access policy let through, in the board's order), their details read
    without the policy: for a restricted user it would evaluate the customers' rule for their names (1.6 s
    a page at a million identities on the office server), and they see the customer of every opportunity
    they see (app.services.core.access.customers_clause). The server's own row security still applies:
    on a user's own role the names come from the server by the cards' ids (card_customers), where
    joining them made the server compute the user's whole customers' set (0.2 s a page)."""
    if not chosen:
        return []
    server = on_own_role(s.connection())
    stmt = card_statement(db, customer=not server).where(Opportunity.id.in_(chosen))
    rows = {row[0]: row for row in s.execute(stmt.execution_options(**{SKIP: True}))}
    if server:
        names = card_customers.names(s, list(rows))
        rows = {oid: (*row[:3], names[oid], *row[4:]) for oid, row in rows.items() if oid in names}
    return [_card(rows[oid], bounds) for oid in chosen if oid in rows]


def load_card(s: Session, db: Database, opportunity_id: uuid.UUID) -> BoardCard:
    row = s.execute(card_statement(db).where(Opportunity.id == opportunity_id)).one()
    return _card(row, today_bounds())


class BoardService:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._defaults_ready = False

    def _ensure_defaults(self) -> None:
        if not self._defaults_ready:
            ensure_sales_defaults(self._db)
            self._defaults_ready = True

    def load(self, actor: Actor, query: OpportunityQuery | None = None, page: int = PAGE) -> Board:
        """The open opportunities of a pipeline (the default when query.pipeline_id is None) in stage
        columns, filtered like the list: each column's first `page` cards with the whole column's count
        and sums. Anyone (within what they may see); reads only."""
        self._ensure_defaults()
        query = _board_query(query)
        with self._db.read(actor) as s:
            pipeline = self._pipeline(s, query.pipeline_id)
            query = replace(query, pipeline_id=pipeline.id)
            stages = s.scalars(
                select(Stage)
                .where(Stage.pipeline_id == pipeline.id, Stage.deleted_at.is_(None))
                .order_by(Stage.position)
            ).all()
            folds = dict(
                s.execute(
                    select(StageFold.stage_id, StageFold.folded).where(
                        StageFold.user_id == actor.user_id, StageFold.stage_id.in_([st.id for st in stages])
                    )
                ).all()
            )
            bounds = today_bounds()
            conditions, with_identity = filters(s, actor, query), joins_identity(query)
            totals = column_totals(s, conditions, with_identity)
            order = ranked(urgent_cards(conditions, bounds, with_identity))
            by_stage: dict[uuid.UUID, list[BoardCard]] = {st.id: [] for st in stages}
            chosen = list(s.scalars(first_pages(select(Opportunity.id), order, page)))
            for card in _cards_of(s, self._db, chosen, bounds):
                by_stage.setdefault(card.stage_id, []).append(card)
        columns = []
        for st in stages:
            cards, sums = by_stage[st.id], totals.get(st.id, NO_CARDS)
            folded = folds.get(st.id, st.folded)
            columns.append(
                BoardColumn(st.id, st.name, st.probability, cards, folded, *astuple(sums), sums.count > len(cards))
            )
        return Board(pipeline.id, pipeline.name, columns)

    def column_page(
        self,
        actor: Actor,
        query: OpportunityQuery | None,
        stage_id: uuid.UUID,
        after: BoardCard | None,
        page: int = PAGE,
    ) -> ColumnPage:
        """The cards of a stage's column that follow `after` (the column's last loaded card; None: from
        the first), filtered as `load` with the same query, at most `page` of them. Anyone (within what
        they may see); raises NotFound for an unknown stage; reads only."""
        query = _board_query(query)
        with self._db.read(actor) as s:
            fetch(s, Stage, stage_id, "مرحله")
            bounds = today_bounds()
            conditions = [*filters(s, actor, query), Opportunity.stage_id == stage_id]  # rank only this column
            cards = urgent_cards(conditions, bounds, joins_identity(query))
            chosen = list(s.scalars(after_card(select(Opportunity.id), cards, after, page)))
            found = _cards_of(s, self._db, chosen[:page], bounds)
        return ColumnPage(found, has_more=len(chosen) > page)

    def set_folded(self, actor: Actor, stage_id: uuid.UUID, folded: bool) -> None:
        """The user's own choice to fold or unfold a stage's column, kept over the administrator's
        default. Anyone, for themselves; writes."""
        with self._db.write(actor) as s:
            fetch(s, Stage, stage_id, "مرحله")
            choice = s.scalars(
                select(StageFold).where(StageFold.user_id == actor.user_id, StageFold.stage_id == stage_id)
            ).first()
            if choice is None:
                s.add(StageFold(user_id=actor.user_id, stage_id=stage_id, folded=folded))
            elif choice.folded != folded:
                choice.folded = folded

    def set_priority(
        self, actor: Actor, opportunity_id: uuid.UUID, priority: int, version: int | None = None
    ) -> BoardCard:
        """Sets an opportunity's priority stars (0–3) from its card. Whoever may change it; raises
        ValidationFailed, NotFound, AccessDenied, ConcurrentChange. Writes; returns the updated card."""
        if not 0 <= priority <= STARS:
            raise ValidationFailed({"priority": "اولویت بین صفر تا سه ستاره است."})
        with self._db.write(actor) as s:
            opp = fetch(s, Opportunity, opportunity_id, "فرصت")
            ensure_version(opp, version)
            if opp.priority != priority:
                opp.priority = priority
                s.flush()
            return load_card(s, self._db, opp.id)

    def card(self, actor: Actor, opportunity_id: uuid.UUID) -> BoardCard:
        """One card as the board shows it; raises NotFound/AccessDenied. Anyone; reads only."""
        with self._db.read(actor) as s:
            fetch(s, Opportunity, opportunity_id, "فرصت")
            return load_card(s, self._db, opportunity_id)

    @staticmethod
    def _pipeline(s: Session, pipeline_id: uuid.UUID | None) -> Pipeline:
        stmt = select(Pipeline).where(Pipeline.deleted_at.is_(None))
        if pipeline_id is not None:
            stmt = stmt.where(Pipeline.id == pipeline_id)
        pipeline = s.scalars(stmt.order_by(Pipeline.is_default.desc(), Pipeline.name)).first()
        if pipeline is None:
            raise NotFound("کاریز")
        return pipeline
