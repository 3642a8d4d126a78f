"""A small office for access tests: an admin, two reps, a team leader, an all-documents user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.models import (
    AccessLevel,
    Activity,
    ActivityKind,
    Follower,
    Identity,
    IdentityKind,
    IdentityPhone,
    Opportunity,
    SalesTeam,
    User,
    utcnow,
)
from app.persian import search_key
from app.services.core.actor import SYSTEM, Actor
from app.services.core.registry import Services
from app.services.opportunities.pipelines import ensure_default_pipeline


@dataclass
class World:
    services: Services
    admin: Actor
    rep_a: Actor  # own documents, member of the team
    rep_b: Actor  # own documents, no team
    leader: Actor  # own documents, leads rep_a's team
    clerk: Actor  # all documents
    records: dict  # name -> id


def _user(s, login: str, level: AccessLevel) -> Actor:
    user = User(login=login, display_name=login, access_level=level)
    s.add(user)
    s.flush()
    return Actor(user.id, login, login, level)


def build(services: Services) -> World:
    stages = ensure_default_pipeline(services.db)
    with services.db.write(SYSTEM) as s:
        admin = _user(s, "boss", AccessLevel.ADMIN)
        rep_a = _user(s, "rep_a", AccessLevel.OWN_DOCUMENTS)
        rep_b = _user(s, "rep_b", AccessLevel.OWN_DOCUMENTS)
        leader = _user(s, "leader", AccessLevel.OWN_DOCUMENTS)
        clerk = _user(s, "clerk", AccessLevel.ALL_DOCUMENTS)
        team = SalesTeam(name="تیم شمال", leader_id=leader.user_id)
        s.add(team)
        s.flush()
        s.get(User, rep_a.user_id).team_id = team.id
        records = {}
        for owner, tag in ((rep_a, "a"), (rep_b, "b")):
            name = f"مشتری {tag}"
            identity = Identity(
                kind=IdentityKind.PERSON, display_name=name, name_key=search_key(name), owner_id=owner.user_id
            )
            s.add(identity)
            s.flush()
            s.add(IdentityPhone(identity_id=identity.id, number=f"0912000000{len(tag)}", number_key="0912"))
            title = f"فرصت {tag}"
            opp = Opportunity(
                identity_id=identity.id,
                title=title,
                title_key=search_key(title),
                pipeline_id=stages[0]["pipeline_id"],
                stage_id=stages[0]["id"],
                owner_id=owner.user_id,
                amount=1_000_000,
            )
            s.add(opp)
            s.flush()
            activity = Activity(
                identity_id=identity.id,
                opportunity_id=opp.id,
                kind=ActivityKind.CALL,
                summary=f"تماس {tag}",
                due_at=utcnow() + dt.timedelta(hours=1),
                assignee_id=owner.user_id,
            )
            s.add(activity)
            s.flush()
            records |= {f"identity_{tag}": identity.id, f"opportunity_{tag}": opp.id, f"activity_{tag}": activity.id}
    return World(services, admin, rep_a, rep_b, leader, clerk, records)


def follow(world: World, user: Actor, table: str, record_id) -> None:
    with world.services.db.write(SYSTEM) as s:
        s.add(Follower(record_table=table, record_id=record_id, user_id=user.user_id))
