"""Demo activities: due yesterday, today and next week, and done ones with results."""

from __future__ import annotations

import datetime as dt

from app.models import Activity, ActivityKind, ActivityState, OpportunityStatus, utcnow
from app.services.demo.context import DemoContext, stamp
from app.services.demo.vocabulary import STAGES

KINDS = [ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.REMINDER, ActivityKind.TASK]


def add_activities(ctx: DemoContext) -> None:
    rnd, rows, now = ctx.rnd, [], utcnow()
    local_now = dt.datetime.now().astimezone()
    open_opps = [o for o in ctx.opportunity_rows if o["status"] is OpportunityStatus.OPEN]
    # Every user gets a few activities due today, so each cardboard has something to show.
    targets = [(o, o["owner_id"]) for o in open_opps] + [(None, user) for user in ctx.user_ids for _ in range(4)]
    for opp, assignee in targets:
        if opp is not None and rnd.random() < 0.2:
            continue  # an open opportunity with nothing planned: the "warning" state
        day_offset = rnd.choice([-1, 0, 0, 1, 3, 7]) if opp else 0
        due = (local_now + dt.timedelta(days=day_offset)).replace(
            hour=rnd.randint(8, 18), minute=rnd.choice([0, 15, 30, 45]), second=0, microsecond=0
        )
        kind = rnd.choice(KINDS)
        done = opp is not None and rnd.random() < 0.3
        rows.append(
            stamp(
                now,
                identity_id=opp["identity_id"] if opp else rnd.choice(ctx.identity_ids),
                opportunity_id=opp["id"] if opp else None,
                kind=kind,
                summary=rnd.choice(STAGES.activity_summaries[kind]),
                due_at=due.astimezone(dt.UTC),
                assignee_id=assignee,
                state=ActivityState.DONE if done else ActivityState.PLANNED,
                result=rnd.choice(STAGES.results) if done else None,
                done_at=due.astimezone(dt.UTC) if done else None,
            )
        )
    ctx.insert(Activity, rows)
    ctx.counts["activities"] = len(rows)
