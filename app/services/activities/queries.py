"""Reading activities: the row SELECT shared with the cardboard and the calendar, one activity's detail,
an identity's or opportunity's activities, what is due, and the activity dialog's choices."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    Activity,
    ActivityAttendee,
    ActivityState,
    ActivityType,
    Identity,
    Opportunity,
    OpportunityStatus,
    User,
    utcnow,
)
from app.services.activities.cardboard import local_day_bounds_utc, local_tz
from app.services.activities.data import ActivityDetail, ActivityRow, Attendee, IdentityChoice, UserChoice
from app.services.admin.users import clean_login
from app.services.core.access import SKIP, fetch, with_customers
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import NotFound
from app.services.core.labels import ACTIVITY_KIND

ASSIGNEE = aliased(User)
ROW_COLUMNS = (
    Activity.id,
    Activity.kind,
    ActivityType.name,
    Activity.summary,
    Activity.due_at,
    Activity.state,
    Activity.result,
    Activity.done_at,
    ASSIGNEE.display_name,
    Activity.identity_id,
    Identity.display_name,
    Activity.opportunity_id,
    Opportunity.title,
    ActivityType.icon,
)


def row_select():
    """SELECT of ActivityRow columns with their joins (shared with the cardboard and the calendar)."""
    return with_customers(
        select(*ROW_COLUMNS)
        .join(Identity, Identity.id == Activity.identity_id)
        .outerjoin(Opportunity, Opportunity.id == Activity.opportunity_id)
        .outerjoin(ActivityType, ActivityType.id == Activity.type_id)
        .outerjoin(ASSIGNEE, ASSIGNEE.id == Activity.assignee_id)
        .where(Activity.deleted_at.is_(None))
    )


def load_detail(s: Session, activity: Activity) -> ActivityDetail:
    names = s.execute(
        select(Identity.display_name, Opportunity.title, ActivityType.name, ActivityType.icon, ASSIGNEE.display_name)
        .select_from(Activity)
        .join(Identity, Identity.id == Activity.identity_id)
        .outerjoin(Opportunity, Opportunity.id == Activity.opportunity_id)
        .outerjoin(ActivityType, ActivityType.id == Activity.type_id)
        .outerjoin(ASSIGNEE, ASSIGNEE.id == Activity.assignee_id)
        .where(Activity.id == activity.id)
        # The activity is already visible (fetched through the policy); its assignee may not own the
        # identity, whose name is still shown.
        .execution_options(**{SKIP: True})
    ).one()
    attendee_user = aliased(User)
    attendees = s.execute(
        select(
            ActivityAttendee.identity_id, ActivityAttendee.user_id, Identity.display_name, attendee_user.display_name
        )
        .outerjoin(Identity, Identity.id == ActivityAttendee.identity_id)
        .outerjoin(attendee_user, attendee_user.id == ActivityAttendee.user_id)
        .where(ActivityAttendee.activity_id == activity.id, ActivityAttendee.deleted_at.is_(None))
        .order_by(ActivityAttendee.created_at, ActivityAttendee.id)
        .execution_options(**{SKIP: True})
    )
    return ActivityDetail(
        id=activity.id,
        version=activity.version,
        kind=activity.kind,
        type_id=activity.type_id,
        type_name=names[2] or ACTIVITY_KIND[activity.kind],
        type_icon=names[3],
        summary=activity.summary,
        details=activity.details,
        due_at=activity.due_at,
        duration_minutes=activity.duration_minutes,
        place=activity.place,
        state=activity.state,
        assignee_id=activity.assignee_id,
        assignee_name=names[4],
        identity_id=activity.identity_id,
        identity_name=names[0],
        opportunity_id=activity.opportunity_id,
        opportunity_title=names[1],
        result=activity.result,
        done_at=activity.done_at,
        previous_id=activity.previous_id,
        attendees=tuple(Attendee(i, u, iname or uname or "") for i, u, iname, uname in attendees),
    )


class ActivityQueries:
    """The reading half of ActivityService (services.activities)."""

    _db: Database

    def get(self, actor: Actor, activity_id: uuid.UUID) -> ActivityDetail:
        """One activity with names and attendees. Whoever may see it; AccessDenied, NotFound. Reads."""
        with self._db.read(actor) as s:
            return load_detail(s, fetch(s, Activity, activity_id, "فعالیت"))

    def for_record(
        self,
        actor: Actor,
        identity_id: uuid.UUID | None = None,
        opportunity_id: uuid.UUID | None = None,
        state: ActivityState | None = None,
        limit: int = 200,
    ) -> list[ActivityRow]:
        """An identity's or an opportunity's activities the actor may see: planned ones by due time,
        then done and cancelled ones newest first. Reads."""
        stmt = row_select()
        if identity_id is not None:
            stmt = stmt.where(Activity.identity_id == identity_id)
        if opportunity_id is not None:
            stmt = stmt.where(Activity.opportunity_id == opportunity_id)
        if state is not None:
            stmt = stmt.where(Activity.state == state)
        planned_first = (Activity.state != ActivityState.PLANNED).label("closed")
        when = func.coalesce(Activity.done_at, Activity.due_at)
        stmt = stmt.order_by(
            planned_first,
            # planned: soonest first; closed: newest first (negating a timestamp is not portable)
            case((Activity.state == ActivityState.PLANNED, Activity.due_at)).asc(),
            when.desc(),
            Activity.id,
        ).limit(limit)
        with self._db.read(actor) as s:
            return [ActivityRow(*row) for row in s.execute(stmt)]

    def due(
        self, actor: Actor, login: str | None = None, now: dt.datetime | None = None, tz: dt.tzinfo | None = None
    ) -> list[ActivityRow]:
        """Planned activities due by the end of the (local) day, oldest first: the acting user's, or
        one user's by login, or (for the system, no login) everyone's. Reads; NotFound for a login."""
        now = now or utcnow()
        _, day_end = local_day_bounds_utc(now.astimezone(tz or local_tz()).date(), tz)
        stmt = row_select().where(Activity.state == ActivityState.PLANNED, Activity.due_at < day_end)
        with self._db.read(actor) as s:
            if login is not None:
                user_id = s.scalar(select(User.id).where(User.login == clean_login(login)))
                if user_id is None:
                    raise NotFound(f"کاربر «{login}»")
                stmt = stmt.where(Activity.assignee_id == user_id)
            elif actor.user_id is not None:
                stmt = stmt.where(Activity.assignee_id == actor.user_id)
            return [ActivityRow(*row) for row in s.execute(stmt.order_by(Activity.due_at, Activity.id))]

    def identity_choice(
        self, actor: Actor, identity_id: uuid.UUID | None, opportunity_id: uuid.UUID | None = None
    ) -> IdentityChoice:
        """An identity's name and open opportunities (the identity given, or the opportunity's), for the
        activity dialog. Whoever may see the identity; AccessDenied, NotFound. Reads."""
        with self._db.read(actor) as s:
            if identity_id is None:
                identity_id = fetch(s, Opportunity, opportunity_id, "فرصت").identity_id
            identity = fetch(s, Identity, identity_id, "هویت")
            rows = s.execute(
                select(Opportunity.id, Opportunity.title)
                .where(
                    Opportunity.identity_id == identity_id,
                    Opportunity.status == OpportunityStatus.OPEN,
                    Opportunity.deleted_at.is_(None),
                )
                .order_by(Opportunity.created_at.desc())
            )
            return IdentityChoice(identity.id, identity.display_name, tuple((i, t) for i, t in rows))

    def assignable_users(self, actor: Actor) -> list[UserChoice]:
        """Active users an activity may be assigned to. Anyone; reads."""
        stmt = select(User.id, User.display_name).where(User.is_active.is_(True)).order_by(User.name_sort, User.id)
        with self._db.read(actor) as s:
            return [UserChoice(*row) for row in s.execute(stmt)]
