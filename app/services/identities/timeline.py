"""The timeline «سوابق» of an identity: every record about it, newest first, from several providers.

Each area registers a provider once, at import time of its service module:

    from app.services.identities.timeline import TimelineItem, register_provider

    def quotes_of(session, actor, identity_id) -> list[TimelineItem]: ...
    register_provider(quotes_of)

A provider runs inside the timeline's read session (the access policy already applies to its
queries) and returns plain TimelineItems. This module provides the identity's own items (created,
role changes, merges), its opportunities and its activities.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Activity, AuditEntry, Identity, Opportunity, OpportunityStatus, Stage, User
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.labels import ACTIVITY_KIND, ACTIVITY_STATE, OPPORTUNITY_STATUS, ROLE


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    kind: str  # "identity", "opportunity", "activity", "quote" ... (the record form's kind)
    kind_label: str  # Persian, e.g. «فرصت»
    title: str
    detail: str = ""
    record_kind: str | None = None  # what opening the item opens (a RecordTabs kind), if anything
    record_id: uuid.UUID | None = None


Provider = Callable[[Session, Actor, uuid.UUID], list[TimelineItem]]
_PROVIDERS: list[Provider] = []


def register_provider(provider: Provider) -> Provider:
    """Adds a provider (usable as a decorator); registering the same function twice is harmless."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def providers() -> list[Provider]:
    return list(_PROVIDERS)


@register_provider
def identity_items(s: Session, _actor: Actor, identity_id: uuid.UUID) -> list[TimelineItem]:
    """The identity's creation, role changes and merges (from its audit history)."""
    stmt = (
        select(AuditEntry, User.display_name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.record_table == "identities", AuditEntry.record_id == identity_id)
        .where(AuditEntry.action.in_(("create", "update", "merge", "unmerge")))
    )
    items = []
    for entry, user in s.execute(stmt):
        who = user or "سیستم"
        if entry.action == "create":
            items.append(TimelineItem(entry.at, "identity", "هویت", "ثبت هویت", f"توسط {who}"))
        elif entry.action == "update" and "role" in entry.changes:
            old, new = entry.changes["role"]
            label = f"تغییر نقش از «{_role(old)}» به «{_role(new)}»"
            items.append(TimelineItem(entry.at, "identity", "هویت", label, f"توسط {who}"))
        elif entry.action in ("merge", "unmerge"):
            name = entry.changes.get("merged_into_id", [None, None])
            title = f"ادغام «{name[1]}» در این هویت" if entry.action == "merge" else f"بازگرداندن ادغام «{name[0]}»"
            items.append(TimelineItem(entry.at, "identity", "هویت", title, f"توسط {who}"))
    return items


def _role(value) -> str:
    from app.models import IdentityRole

    try:
        return ROLE[IdentityRole(value)]
    except ValueError:
        return str(value)


@register_provider
def opportunity_items(s: Session, _actor: Actor, identity_id: uuid.UUID) -> list[TimelineItem]:
    stmt = (
        select(Opportunity, Stage.name)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(Opportunity.identity_id == identity_id, Opportunity.deleted_at.is_(None))
    )
    from app.persian import format_money

    items = []
    for opp, stage in s.execute(stmt):
        state = OPPORTUNITY_STATUS[opp.status]
        # A won opportunity is worth what it was won for (the accepted quote), not its estimate.
        amount = opp.won_amount if opp.status is OpportunityStatus.WON and opp.won_amount is not None else opp.amount
        detail = f"{state} · {stage} · {format_money(amount)}"
        items.append(TimelineItem(opp.created_at, "opportunity", "فرصت", opp.title, detail, "opportunity", opp.id))
    return items


@register_provider
def activity_items(s: Session, _actor: Actor, identity_id: uuid.UUID) -> list[TimelineItem]:
    stmt = select(Activity).where(Activity.identity_id == identity_id, Activity.deleted_at.is_(None))
    items = []
    for activity in s.scalars(stmt):
        at = activity.done_at or activity.due_at
        detail = ACTIVITY_STATE[activity.state]
        if activity.result:
            detail += f" · {activity.result}"
        label = ACTIVITY_KIND[activity.kind]
        items.append(TimelineItem(at, "activity", label, activity.summary, detail, "activity", activity.id))
    return items


class TimelineService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def for_identity(self, actor: Actor, identity_id: uuid.UUID, limit: int = 500) -> list[TimelineItem]:
        """Every provider's items for the identity (merged identities' records moved here), newest first.
        Whoever may see the identity; raises NotFound, AccessDenied. Reads."""
        with self._db.read(actor) as s:
            fetch(s, Identity, identity_id, "هویت")
            items: list[TimelineItem] = []
            for provider in providers():
                items.extend(provider(s, actor, identity_id))
            return sorted(items, key=lambda i: i.at, reverse=True)[:limit]
