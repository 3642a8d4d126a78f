"""The cardboard (کارتابل): the acting rep's start page.

Sections: planned activities overdue / due today / due in the next 7 days, open opportunities with
nothing planned, sections other areas register (quotes awaiting an answer, invoices awaiting
payment: see `register_section`), and recently opened records. Each section holds at most
SECTION_LIMIT rows; its total is always exact (one grouped COUNT for the three activity sections).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from app.models import (
    Activity,
    ActivityKind,
    ActivityState,
    ActivityType,
    Identity,
    Opportunity,
    OpportunityStatus,
    Stage,
    utcnow,
)
from app.services.core.access import SCOPE_MINE, SKIP, is_restricted, scope_owner_ids, visible_owner_ids
from app.services.core.actor import Actor
from app.services.core.database import Database

SECTION_LIMIT = 100  # rows shown per section; the count is always exact
RECENT_LIMIT = 10


def local_tz() -> dt.tzinfo:
    """The computer's time zone (the user's "today" is a local day, while the database keeps UTC)."""
    return dt.datetime.now().astimezone().tzinfo


def local_day_bounds_utc(day: dt.date, tz: dt.tzinfo | None = None) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local calendar day as UTC instants: "today" is the user's day, not UTC's."""
    tz = tz or local_tz()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@dataclass(frozen=True)
class ActivityRow:
    id: uuid.UUID
    kind: ActivityKind
    summary: str
    due_at: dt.datetime
    identity_name: str
    opportunity_title: str | None
    identity_id: uuid.UUID | None = None
    opportunity_id: uuid.UUID | None = None
    type_icon: str | None = None  # the activity type's icon name


@dataclass(frozen=True)
class OpportunityItem:
    id: uuid.UUID
    title: str
    identity_name: str
    stage_name: str
    amount: int


@dataclass(frozen=True)
class CardboardItem:
    """A row of a registered section: `kind` and `id` say which record opens (window.tabs.open_record)."""

    kind: str
    id: uuid.UUID
    title: str
    subtitle: str = ""
    when: dt.datetime | dt.date | None = None
    amount: int | None = None


@dataclass
class CardboardSection:
    rows: list = field(default_factory=list)
    total: int = 0


@dataclass(frozen=True)
class RecentItem:
    kind: str
    id: uuid.UUID
    title: str
    opened_at: dt.datetime


@dataclass
class Cardboard:
    overdue: CardboardSection
    today: CardboardSection
    next_7_days: CardboardSection
    no_plan: CardboardSection = field(default_factory=CardboardSection)
    # key -> section, in the registered order (see register_section)
    extra: dict[str, CardboardSection] = field(default_factory=dict)
    recent: list[RecentItem] = field(default_factory=list)

    @property
    def urgent(self) -> int:
        return self.overdue.total + self.today.total


# --- sections other areas add ------------------------------------------------------------------
SectionLoader = Callable[[Session, Actor, dt.datetime, int, "list[uuid.UUID] | None"], CardboardSection]
"""loader(session, actor, now, limit, owners) -> a section of CardboardItem rows (at most `limit`) and
its exact total, of the records owned by `owners` (None: everyone's, the cardboard's «همه»). It runs
inside the cardboard's read session, so the access policy applies."""


@dataclass(frozen=True)
class ExtraSection:
    key: str
    title: str
    loader: SectionLoader | None
    position: int


EXTRA_SECTIONS: dict[str, ExtraSection] = {}


def register_section(key: str, title: str, loader: SectionLoader | None = None, position: int = 100) -> None:
    """Adds (or fills) a cardboard section; the documents area registers «پیش‌فاکتور منتظر پاسخ»
    and «فاکتور منتظر پرداخت» here with their loaders. A section without a loader shows empty."""
    EXTRA_SECTIONS[key] = ExtraSection(key, title, loader, position)


register_section("quotes_awaiting", "پیش‌فاکتور منتظر پاسخ", None, 10)
register_section("invoices_awaiting", "فاکتور منتظر پرداخت", None, 20)


def _activity_rows(s: Session, owners: list | None, lower, upper) -> list[ActivityRow]:
    stmt = (
        select(
            Activity.id,
            Activity.kind,
            Activity.summary,
            Activity.due_at,
            Identity.display_name,
            Opportunity.title,
            Activity.identity_id,
            Activity.opportunity_id,
            ActivityType.icon,
        )
        .join(Identity, Identity.id == Activity.identity_id)
        .outerjoin(Opportunity, Opportunity.id == Activity.opportunity_id)
        .outerjoin(ActivityType, ActivityType.id == Activity.type_id)
        .where(*_planned(owners))
        .order_by(Activity.due_at, Activity.id)
        .limit(SECTION_LIMIT)
        .execution_options(**{SKIP: True})
    )
    if lower is not None:
        stmt = stmt.where(Activity.due_at >= lower)
    stmt = stmt.where(Activity.due_at < upper)
    return [ActivityRow(*row) for row in s.execute(stmt)]


def _planned(owners: list | None) -> list:
    # Only activities assigned to the scope's users, whom the access policy lets the actor see anyway
    # (owners=None only for a user who sees everything). Skipping the policy's subqueries keeps a
    # 2,000-activity board fast.
    mine = [] if owners is None else [Activity.assignee_id.in_(owners)]
    return [*mine, Activity.state == ActivityState.PLANNED, Activity.deleted_at.is_(None)]


def _owners(s: Session, actor: Actor, scope: str) -> list | None:
    """The users whose work the cardboard shows: the scope's, and for an own-documents user never more
    than the policy lets them see (their «همه» is their «تیم من»)."""
    owners = scope_owner_ids(s, scope)
    if owners is None and is_restricted(actor):
        return visible_owner_ids(s)
    return owners


def _no_plan(s: Session, owners: list | None) -> CardboardSection:
    planned = exists().where(
        Activity.opportunity_id == Opportunity.id,
        Activity.state == ActivityState.PLANNED,
        Activity.deleted_at.is_(None),
    )
    mine = [] if owners is None else [Opportunity.owner_id.in_(owners)]  # visible by definition (_owners)
    conditions = [
        *mine,
        Opportunity.status == OpportunityStatus.OPEN,
        Opportunity.deleted_at.is_(None),
        ~planned,
    ]
    total = s.scalar(select(func.count()).select_from(Opportunity).where(*conditions).execution_options(**{SKIP: True}))
    rows = s.execute(
        select(Opportunity.id, Opportunity.title, Identity.display_name, Stage.name, Opportunity.amount)
        .join(Identity, Identity.id == Opportunity.identity_id)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(*conditions)
        .order_by(Opportunity.amount.desc(), Opportunity.id)
        .limit(SECTION_LIMIT)
        .execution_options(**{SKIP: True})
    )
    return CardboardSection([OpportunityItem(*row) for row in rows], total or 0)


class CardboardService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def load(
        self,
        actor: Actor,
        today: dt.date | None = None,
        now: dt.datetime | None = None,
        tz: dt.tzinfo | None = None,
        scope: str = SCOPE_MINE,
    ) -> Cardboard:
        """The cardboard of a scope (default the actor's own; «تیم من» for a leader, a team or everyone
        for an administrator, see OpportunityService.scope_choices): planned activities assigned to its
        users (overdue, due today, in the next 7 days), their open opportunities with nothing planned,
        the registered sections, and the actor's recently opened records. Anyone; reads."""
        from app.services.activities.recent import recent_items

        now = now or utcnow()
        today = today or now.astimezone(tz or local_tz()).date()
        today_start, tomorrow = local_day_bounds_utc(today, tz)
        week_end = tomorrow + dt.timedelta(days=7)
        bucket = case((Activity.due_at < today_start, 0), (Activity.due_at < tomorrow, 1), else_=2).label("bucket")
        with self._db.read(actor) as s:
            owners = _owners(s, actor, scope)
            counts_stmt = (
                select(bucket, func.count())
                .where(*_planned(owners), Activity.due_at < week_end)
                .group_by(bucket)
                .execution_options(**{SKIP: True})
            )
            counts = dict(s.execute(counts_stmt).all())
            board = Cardboard(
                CardboardSection(_activity_rows(s, owners, None, today_start), counts.get(0, 0)),
                CardboardSection(_activity_rows(s, owners, today_start, tomorrow), counts.get(1, 0)),
                CardboardSection(_activity_rows(s, owners, tomorrow, week_end), counts.get(2, 0)),
                _no_plan(s, owners),
            )
            for section in sorted(EXTRA_SECTIONS.values(), key=lambda x: x.position):
                board.extra[section.key] = (
                    section.loader(s, actor, now, SECTION_LIMIT, owners) if section.loader else CardboardSection()
                )
            board.recent = recent_items(s, actor, RECENT_LIMIT)
        return board
