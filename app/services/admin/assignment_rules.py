"""Managing assignment rules (تخصیص براساس قانون): per sales team, in order, with conditions, members,
creators, a cap and an on/off switch; the team's and each member's «پذیرش سرنخ»; and the log.
Administrators only. Routing itself is app.services.admin.assignment.

The cap is per member: «باز در دست» counts the open records of the rule's kind the member owns now
(live leads, or open opportunities); «در ماه» counts what was assigned to them since the Jalali month
began. The rule rows show each member's count against the cap.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    AssignmentLogEntry,
    AssignmentRule,
    AssignmentRuleUser,
    Identity,
    Opportunity,
    SalesTeam,
    Source,
    Tag,
    User,
    utcnow,
)
from app.models.assignment import CAP_PERIODS, RECORD_KINDS
from app.models.enums import AccessLevel
from app.persian import normalize_text, sort_key
from app.services.admin.assignment import month_loads, open_loads
from app.services.core.access import DENIED_LIST
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound, ValidationFailed


@dataclass(frozen=True)
class RuleData:
    name: str
    record_kind: str = "identities"
    source_id: uuid.UUID | None = None
    city: str = ""
    tag_id: uuid.UUID | None = None
    cap: int = 0  # per member; 0: no cap
    cap_period: str = "open"
    is_active: bool = True
    member_ids: tuple[uuid.UUID, ...] = ()  # in turn order
    creator_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class MemberLoad:
    user_id: uuid.UUID
    name: str
    accepts_leads: bool
    load: int  # against the rule's cap


@dataclass(frozen=True)
class RuleRow:
    id: uuid.UUID
    team_id: uuid.UUID
    position: int
    data: RuleData
    source_name: str | None
    tag_name: str | None
    members: tuple[MemberLoad, ...]
    next_turn: int


@dataclass(frozen=True)
class TeamSetup:
    """What the rules dialog offers for one team."""

    accepts_leads: bool
    members: tuple[MemberLoad, ...]  # the team's members and their switches (load 0: not counted here)
    creators: tuple[tuple[uuid.UUID, str], ...]  # users who may hand records to others (not own-documents)
    sources: tuple[tuple[uuid.UUID, str], ...]
    tags: tuple[tuple[uuid.UUID, str], ...]


@dataclass(frozen=True)
class LogRow:
    at: dt.datetime
    record_table: str
    record_id: uuid.UUID
    record_name: str  # the lead's name or the opportunity's title
    user_name: str
    assigned_by: str
    via: str
    reason: str


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AccessDenied(DENIED_LIST)


def _validate(s: Session, team_id: uuid.UUID, data: RuleData) -> dict[str, str]:
    errors = {}
    if not normalize_text(data.name).strip():
        errors["name"] = "نام قانون را وارد کنید."
    if data.record_kind not in RECORD_KINDS:
        errors["record_kind"] = "نوع رکورد نامعتبر است."
    if data.cap < 0:
        errors["cap"] = "سقف نمی‌تواند منفی باشد."
    if data.cap_period not in CAP_PERIODS:
        errors["cap_period"] = "دوره سقف نامعتبر است."
    teams = dict(s.execute(select(User.id, User.team_id).where(User.id.in_(data.member_ids))).all())
    if not data.member_ids:
        errors["member_ids"] = "دست‌کم یک عضو تیم را برای نوبت برگزینید."
    elif any(teams.get(m) != team_id for m in data.member_ids):
        errors["member_ids"] = "اعضای قانون باید از اعضای همین تیم باشند."
    levels = dict(s.execute(select(User.id, User.access_level).where(User.id.in_(data.creator_ids))).all())
    if len(levels) != len(set(data.creator_ids)):
        errors["creator_ids"] = "یکی از ثبت‌کنندگان پیدا نشد."
    elif AccessLevel.OWN_DOCUMENTS in levels.values():
        # Their role may not hand a record to a colleague (row security): the rule could not route it.
        errors["creator_ids"] = "کاربر با دسترسی «فقط اسناد خود» نمی‌تواند سرنخ را به همکار بسپارد."
    return errors


class AssignmentRuleService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def team_setup(self, actor: Actor, team_id: uuid.UUID) -> TeamSetup:
        """The team's switch, its members' switches and the choices of a rule. Administrators only
        (AccessDenied); raises NotFound. Reads."""
        _require_admin(actor)
        with self._db.read(actor) as s:
            team = s.get(SalesTeam, team_id)
            if team is None or team.deleted_at is not None:
                raise NotFound("تیم فروش")
            live = User.is_active.is_(True)
            members = s.execute(
                select(User.id, User.display_name, User.accepts_leads)
                .where(User.team_id == team_id, live)
                .order_by(User.name_sort, User.id)
            ).all()
            creators = s.execute(
                select(User.id, User.display_name)
                .where(live, User.access_level != AccessLevel.OWN_DOCUMENTS)
                .order_by(User.name_sort, User.id)
            ).all()
            sources = s.execute(
                select(Source.id, Source.name).where(Source.deleted_at.is_(None), Source.is_active.is_(True))
            ).all()
            tags = s.execute(select(Tag.id, Tag.name).where(Tag.deleted_at.is_(None)).order_by(Tag.name_key)).all()
            return TeamSetup(
                team.accepts_leads,
                tuple(MemberLoad(m.id, m.display_name, m.accepts_leads, 0) for m in members),
                tuple((c.id, c.display_name) for c in creators),
                tuple((x.id, x.name) for x in sorted(sources, key=lambda x: sort_key(x.name))),
                tuple((x.id, x.name) for x in tags),
            )

    def rules(self, actor: Actor, team_id: uuid.UUID) -> list[RuleRow]:
        """The team's live rules in order, each member with their count against the cap. Administrators
        only (AccessDenied). Reads."""
        _require_admin(actor)
        with self._db.read(actor) as s:
            rules = s.scalars(
                select(AssignmentRule)
                .where(AssignmentRule.team_id == team_id, AssignmentRule.deleted_at.is_(None))
                .order_by(AssignmentRule.position, AssignmentRule.id)
            ).all()
            return [self._row(s, rule) for rule in rules]

    def save_rule(self, actor: Actor, team_id: uuid.UUID, rule_id: uuid.UUID | None, data: RuleData) -> RuleRow:
        """Creates (rule_id None: last in order) or edits a rule. Administrators only. Raises
        AccessDenied, NotFound, ValidationFailed. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            team = s.get(SalesTeam, team_id)
            if team is None or team.deleted_at is not None:
                raise NotFound("تیم فروش")
            if errors := _validate(s, team_id, data):
                raise ValidationFailed(errors)
            if rule_id is None:
                last = s.scalar(select(func.max(AssignmentRule.position)).where(AssignmentRule.team_id == team_id))
                rule = AssignmentRule(team_id=team_id, position=(last or 0) + 1)
                s.add(rule)
            else:
                rule = self._get(s, rule_id)
            rule.name, rule.record_kind = normalize_text(data.name).strip(), data.record_kind
            rule.source_id, rule.tag_id = data.source_id, data.tag_id
            rule.city = normalize_text(data.city).strip() or None
            rule.cap, rule.cap_period, rule.is_active = data.cap, data.cap_period, data.is_active
            s.flush()
            self._set_users(s, rule, data)
            return self._row(s, rule)

    def delete_rule(self, actor: Actor, rule_id: uuid.UUID) -> None:
        """Soft-deletes the rule (its log stays). Administrators only. Raises AccessDenied, NotFound. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            self._get(s, rule_id).deleted_at = utcnow()

    def move_rule(self, actor: Actor, rule_id: uuid.UUID, step: int) -> None:
        """Swaps the rule with its neighbour above (step -1) or below (+1) in the team's order.
        Administrators only. Raises AccessDenied, NotFound. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            rule = self._get(s, rule_id)
            order = list(
                s.scalars(
                    select(AssignmentRule)
                    .where(AssignmentRule.team_id == rule.team_id, AssignmentRule.deleted_at.is_(None))
                    .order_by(AssignmentRule.position, AssignmentRule.id)
                )
            )
            i = order.index(rule)
            if 0 <= i + step < len(order):
                order[i], order[i + step] = order[i + step], order[i]
            for position, each in enumerate(order, start=1):
                if each.position != position:
                    each.position = position

    def set_accepts_leads(self, actor: Actor, team_id: uuid.UUID, on: bool, user_id: uuid.UUID | None = None) -> None:
        """The team's «پذیرش سرنخ» switch, or (user_id given) one member's. Administrators only.
        Raises AccessDenied, NotFound. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            target = s.get(SalesTeam, team_id) if user_id is None else s.get(User, user_id)
            if target is None or (user_id is not None and target.team_id != team_id):
                raise NotFound("تیم فروش" if user_id is None else "عضو تیم")
            target.accepts_leads = on

    def log(self, actor: Actor, limit: int = 500) -> list[LogRow]:
        """The newest assignments first: who got which record, by whom, and why. Administrators only. Reads."""
        _require_admin(actor)
        by = aliased(User)
        with self._db.read(actor) as s:
            log = AssignmentLogEntry
            rows = s.execute(
                select(log, func.coalesce(Identity.display_name, Opportunity.title, ""), User.display_name,
                       by.display_name)
                .join(User, User.id == log.user_id)
                .outerjoin(by, by.id == log.assigned_by)
                .outerjoin(Identity, (log.record_table == "identities") & (Identity.id == log.record_id))
                .outerjoin(Opportunity, (log.record_table == "opportunities") & (Opportunity.id == log.record_id))
                .order_by(log.at.desc(), log.id.desc())
                .limit(limit)
            ).all()  # fmt: skip
            return [
                LogRow(e.at, e.record_table, e.record_id, record, name, by_name or "سیستم", e.via, e.reason)
                for e, record, name, by_name in rows
            ]

    @staticmethod
    def _get(s: Session, rule_id: uuid.UUID) -> AssignmentRule:
        rule = s.get(AssignmentRule, rule_id)
        if rule is None or rule.deleted_at is not None:
            raise NotFound("قانون تخصیص")
        return rule

    @staticmethod
    def _set_users(s: Session, rule: AssignmentRule, data: RuleData) -> None:
        for old in s.scalars(select(AssignmentRuleUser).where(AssignmentRuleUser.rule_id == rule.id)):
            s.delete(old)
        wanted = [("member", u) for u in dict.fromkeys(data.member_ids)]
        wanted += [("creator", u) for u in dict.fromkeys(data.creator_ids)]
        s.add_all(
            AssignmentRuleUser(rule_id=rule.id, user_id=u, kind=kind, position=i) for i, (kind, u) in enumerate(wanted)
        )
        s.flush()

    @staticmethod
    def _row(s: Session, rule: AssignmentRule) -> RuleRow:
        users = s.execute(
            select(AssignmentRuleUser.kind, User.id, User.display_name, User.accepts_leads)
            .join(User, User.id == AssignmentRuleUser.user_id)
            .where(AssignmentRuleUser.rule_id == rule.id)
            .order_by(AssignmentRuleUser.position)
        ).all()
        member_ids = tuple(u.id for u in users if u.kind == "member")
        counting = open_loads if rule.cap_period == "open" else month_loads
        loads = counting(s, rule.record_kind, set(member_ids))
        data = RuleData(
            rule.name, rule.record_kind, rule.source_id, rule.city or "", rule.tag_id, rule.cap, rule.cap_period,
            rule.is_active, member_ids, tuple(u.id for u in users if u.kind == "creator"),
        )  # fmt: skip
        members = tuple(
            MemberLoad(u.id, u.display_name, u.accepts_leads, loads[u.id]) for u in users if u.kind == "member"
        )
        source = s.get(Source, rule.source_id) if rule.source_id else None
        tag = s.get(Tag, rule.tag_id) if rule.tag_id else None
        return RuleRow(
            rule.id, rule.team_id, rule.position, data, source.name if source else None,
            tag.name if tag else None, members, rule.next_turn,
        )  # fmt: skip
