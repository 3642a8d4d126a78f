"""Routing new records by their team's rules (تخصیص براساس قانون, seed 004), in the creating transaction.

A new lead (identity) or opportunity is routed when its creator may hand records to others (an
own-documents user only ever owns what they create) and either no owner was chosen or the creator is
one of the matching rule's «ثبت‌کنندگان». Rules are tried team by team (team name, then the rule's
order); the first matching rule whose turn finds a member under the cap wins. A member takes turns
while active, still in the rule's team and accepting leads, in a team that accepts leads.

`route` handles a whole batch (an import's 10,000 rows) in a fixed number of queries: the rules, their
users, the members' loads, the lock, one UPDATE per rule used and bulk INSERTs of the log and history.
On PostgreSQL the rules used are locked (FOR UPDATE) before their pointers are read, so two creators at
once take consecutive turns; SQLite's writers are serialised at BEGIN IMMEDIATE.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from app.models import (
    AssignmentLogEntry,
    AssignmentRule,
    AssignmentRuleUser,
    AuditEntry,
    Identity,
    IdentityRole,
    Opportunity,
    OpportunityStatus,
    SalesTeam,
    Source,
    Tag,
    User,
    new_id,
    utcnow,
)
from app.persian import format_number, jalali, search_key
from app.services.core import periods
from app.services.core.access import SKIP, is_restricted
from app.services.core.actor import Actor

KIND_LABEL = {"identities": "سرنخ", "opportunities": "فرصت"}
CAP_LABEL = {"open": "باز در دست", "month": "تخصیص در این ماه"}


@dataclass(frozen=True)
class NewRecord:
    """What a rule may look at in a record being created."""

    table: str  # "identities" or "opportunities"
    record_id: uuid.UUID
    owner_given: bool  # the creator chose an owner
    source_id: uuid.UUID | None = None
    city: str | None = None
    tag_ids: frozenset[uuid.UUID] = frozenset()
    team_id: uuid.UUID | None = None  # an opportunity's chosen team: only that team's rules


@dataclass(frozen=True)
class Assignment:
    record_id: uuid.UUID
    user_id: uuid.UUID
    team_id: uuid.UUID
    rule_id: uuid.UUID
    reason: str  # Persian


@dataclass
class _Rule:
    row: AssignmentRule
    team_name: str
    members: list[tuple[uuid.UUID, str]]  # (user id, name) in turn order, eligible only
    resting: list[str]  # the rule's members out of the turn: not accepting leads, inactive or left the team
    creators: set[uuid.UUID]
    conditions: str  # Persian


def month_start() -> dt.datetime:
    """The start of the current Jalali month (local midnight), for the monthly cap."""
    first = jalali.this_month(periods.today())[0]
    return dt.datetime.combine(first, dt.time()).astimezone(dt.UTC)


@functools.cache
def _statements() -> tuple[Select, Select, Select, Select]:
    """The rules of a kind, their users, and the sources' and tags' names: built once (building them took
    most of a create's routing when no rule matched)."""
    rules = (
        select(AssignmentRule, SalesTeam.name)
        .join(SalesTeam, SalesTeam.id == AssignmentRule.team_id)
        .where(
            AssignmentRule.record_kind == bindparam("kind"),
            AssignmentRule.is_active.is_(True),
            AssignmentRule.deleted_at.is_(None),
            SalesTeam.deleted_at.is_(None),
            SalesTeam.accepts_leads.is_(True),
        )
        .order_by(SalesTeam.name, AssignmentRule.position, AssignmentRule.id)
    )
    users = (
        select(
            AssignmentRuleUser.rule_id,
            AssignmentRuleUser.kind,
            User.id,
            User.display_name,
            User.team_id,
            (User.is_active & User.accepts_leads).label("on_turn"),
        )
        .join(User, User.id == AssignmentRuleUser.user_id)
        .where(AssignmentRuleUser.rule_id.in_(bindparam("rules", expanding=True)))
        .order_by(AssignmentRuleUser.position, AssignmentRuleUser.id)
    )
    sources = select(Source.id, Source.name).where(Source.id.in_(bindparam("ids", expanding=True)))
    tags = select(Tag.id, Tag.name).where(Tag.id.in_(bindparam("ids", expanding=True)))
    return rules, users, sources, tags


def _load_rules(s: Session, kind: str) -> list[_Rule]:
    rules_stmt, users_stmt, _sources, _tags = _statements()
    rows = s.execute(rules_stmt, {"kind": kind}).all()
    if not rows:
        return []
    users = s.execute(users_stmt, {"rules": [r.id for r, _ in rows]}).all()
    labels = _condition_labels(s, [r for r, _ in rows])
    rules = []
    for rule, team_name in rows:
        mine = [u for u in users if u.rule_id == rule.id]
        named = [u for u in mine if u.kind == "member"]
        members = [(u.id, u.display_name) for u in named if u.on_turn and u.team_id == rule.team_id]
        resting = [u.display_name for u in named if not (u.on_turn and u.team_id == rule.team_id)]
        creators = {u.id for u in mine if u.kind == "creator"}
        rules.append(_Rule(rule, team_name, members, resting, creators, labels[rule.id]))
    return rules


def _condition_labels(s: Session, rules: list[AssignmentRule]) -> dict[uuid.UUID, str]:
    """«منبع: نمایشگاه، شهر: تهران» per rule, for the log's reasons."""
    _rules, _users, sources_stmt, tags_stmt = _statements()
    source_ids = [r.source_id for r in rules if r.source_id is not None]
    tag_ids = [r.tag_id for r in rules if r.tag_id is not None]
    sources = dict(s.execute(sources_stmt, {"ids": source_ids}).all()) if source_ids else {}
    tags = dict(s.execute(tags_stmt, {"ids": tag_ids}).all()) if tag_ids else {}
    labels = {}
    for r in rules:
        parts = [f"منبع: {sources.get(r.source_id, '')}"] if r.source_id else []
        parts += [f"شهر: {r.city}"] if r.city else []
        parts += [f"برچسب: {tags.get(r.tag_id, '')}"] if r.tag_id else []
        labels[r.id] = "، ".join(parts) or "همه"
    return labels


def _matches(rule: _Rule, record: NewRecord, actor: Actor) -> bool:
    r = rule.row
    if record.owner_given and actor.user_id not in rule.creators:
        return False
    if record.team_id is not None and record.team_id != r.team_id:
        return False
    if r.source_id is not None and r.source_id != record.source_id:
        return False
    if r.city and search_key(r.city) != search_key(record.city or ""):
        return False
    return r.tag_id is None or r.tag_id in record.tag_ids


def open_loads(s: Session, kind: str, user_ids: set[uuid.UUID]) -> Counter:
    """Open records each user owns now: live leads, or open opportunities."""
    if kind == "identities":
        model, live = Identity, [Identity.role == IdentityRole.LEAD, Identity.merged_into_id.is_(None)]
    else:
        model, live = Opportunity, [Opportunity.status == OpportunityStatus.OPEN]
    stmt = (
        select(model.owner_id, func.count())
        .where(model.owner_id.in_(user_ids), model.deleted_at.is_(None), *live)
        .group_by(model.owner_id)
        .execution_options(**{SKIP: True})
    )
    return Counter(dict(s.execute(stmt).all()))


def month_loads(s: Session, kind: str, user_ids: set[uuid.UUID]) -> Counter:
    """Records of this kind assigned to each user since the Jalali month began."""
    stmt = (
        select(AssignmentLogEntry.user_id, func.count())
        .where(
            AssignmentLogEntry.user_id.in_(user_ids),
            AssignmentLogEntry.record_table == kind,
            AssignmentLogEntry.at >= month_start(),
        )
        .group_by(AssignmentLogEntry.user_id)
    )
    return Counter(dict(s.execute(stmt).all()))


def _turn(rule: _Rule, pointer: int, loads: Counter) -> tuple[int, list[str]] | None:
    """The index of the member whose turn it is and is under the cap, with the names skipped at the cap."""
    n, skipped = len(rule.members), []
    for step in range(n):
        index = (pointer + step) % n
        user_id, name = rule.members[index]
        if rule.row.cap and loads[user_id] >= rule.row.cap:
            skipped.append(name)
            continue
        return index, skipped
    return None


def _reason(rule: _Rule, index: int, skipped: list[str], load: int) -> str:
    r, name = rule.row, rule.members[index][1]
    text = (
        f"قانون «{r.name}» تیم «{rule.team_name}» (شرط: {rule.conditions}) — نوبت گردشی:"
        f" {name}، نفر {format_number(index + 1)} از {format_number(len(rule.members))}"
    )
    if r.cap:
        text += f"؛ سقف {format_number(r.cap)} {CAP_LABEL[r.cap_period]}، با این یکی {format_number(load)}"
    if skipped:
        text += f"؛ به سقف رسیده: {'، '.join(skipped)}"
    if rule.resting:
        text += f"؛ بیرون از نوبت: {'، '.join(rule.resting)}"
    return text


def route(s: Session, actor: Actor, records: list[NewRecord], via: str) -> dict[uuid.UUID, Assignment]:
    """Assigns what the rules route among `records` (all of one table) and writes the log, the pointers
    and an «تخصیص» history entry each; the caller sets the owners. Returns record id -> Assignment."""
    if not records or is_restricted(actor):
        return {}
    kind = records[0].table
    rules = [r for r in _load_rules(s, kind) if r.members]
    wanted = [(record, [r for r in rules if _matches(r, record, actor)]) for record in records]
    used = {r.row.id for _, matching in wanted for r in matching}
    if not used:
        return {}
    # The lock comes before the pointers are read: a concurrent creator waits, then sees the moved turn.
    pointers = dict(
        s.execute(
            select(AssignmentRule.id, AssignmentRule.next_turn)
            .where(AssignmentRule.id.in_(used))
            .order_by(AssignmentRule.id)
            .with_for_update()
        ).all()
    )
    members = {m for r in rules if r.row.id in used for m, _ in r.members}
    loads = {
        "open": open_loads(s, kind, members) if any(r.row.cap_period == "open" for r in rules) else Counter(),
        "month": month_loads(s, kind, members) if any(r.row.cap_period == "month" for r in rules) else Counter(),
    }
    done: dict[uuid.UUID, Assignment] = {}
    for record, matching in wanted:
        for rule in matching:
            picked = _turn(rule, pointers[rule.row.id], loads[rule.row.cap_period])
            if picked is None:
                continue  # everyone at the cap: the next matching rule
            index, skipped = picked
            user_id = rule.members[index][0]
            for counter in loads.values():
                counter[user_id] += 1
            pointers[rule.row.id] = (index + 1) % len(rule.members)
            reason = _reason(rule, index, skipped, loads[rule.row.cap_period][user_id])
            done[record.record_id] = Assignment(record.record_id, user_id, rule.row.team_id, rule.row.id, reason)
            break
    _write(s, actor, kind, via, done, pointers)
    return done


def _write(s: Session, actor: Actor, kind: str, via: str, done: dict, pointers: dict) -> None:
    # The pointers by a plain UPDATE: the rules are the administrator's (the flush check refuses
    # anyone else's change to them); on the office server a rep's role may write next_turn alone.
    for rule_id, turn in pointers.items():
        s.execute(update(AssignmentRule).where(AssignmentRule.id == rule_id).values(next_turn=turn))
    if not done:
        return
    now = utcnow()
    log = [
        {"id": new_id(), "at": now, "rule_id": a.rule_id, "record_table": kind, "record_id": a.record_id,
         "user_id": a.user_id, "assigned_by": actor.user_id, "via": via, "reason": a.reason}
        for a in done.values()
    ]  # fmt: skip
    history = [
        {"id": new_id(), "at": now, "user_id": actor.user_id, "record_table": kind, "record_id": a.record_id,
         "parent_id": None, "action": "assign", "changes": {"assignment": [None, a.reason]}}
        for a in done.values()
    ]  # fmt: skip
    s.execute(insert(AssignmentLogEntry), log)
    s.execute(insert(AuditEntry), history)
