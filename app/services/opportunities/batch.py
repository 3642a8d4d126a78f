"""Batch actions on opportunities (issue #20): move to a stage, assign to a user, add a tag, close as
lost: many at once, all or nothing, in one transaction (one fsync on SQLite).

Each record passes the single path's checks (moves.check_action for the workflow, the access policy's
may_change for who may touch it); if any is refused, nothing is written and BatchRefused names each
refused record and why. The write path records the history and the change journal per row as for a
single move, and the UI hears every changed opportunity on the change bus.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from app.models import Competitor, Opportunity, OpportunityTag, Tag, User
from app.models.enums import ReasonKind
from app.services.core.access import DENIED_RECORD, SKIP, fetch, may_change
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, BatchRefused, NotFound, Refusal, ServiceError, ValidationFailed
from app.services.core.links import add_link
from app.services.opportunities.data import LossData
from app.services.opportunities.moves import apply_loss, apply_stage, check_action, live_stage, result_reason
from app.services.opportunities.records import assign_owner

Progress = Callable[[int, int], None]
"""progress(done, total): called as the records are checked; it may raise to abandon the batch."""
CHUNK = 500  # ids per IN (...) list
# What the checks and the four actions read or write: leaving the rest (the extra fields' JSON above
# all) unloaded halves the cost of reading 500 rows; the write path's hooks read only what is loaded.
LOADED = (
    *("id", "version", "title", "status", "merged_into_id", "deleted_at", "created_at", "owner_id", "assigned_at"),
    *("pipeline_id", "stage_id", "probability", "probability_manual"),
    *("closed_on", "close_reason_id", "close_reason", "lost_to_id", "close_note"),
)


def _why(exc: ServiceError) -> str:
    if isinstance(exc, ValidationFailed):
        return "؛ ".join(exc.errors.values())
    return exc.message


def _unreachable(s: Session, ids: list[uuid.UUID]) -> list[Refusal]:
    """Why each id the actor's query did not return is refused, as `fetch` would say it (unnamed)."""
    existing = set()
    for start in range(0, len(ids), CHUNK):
        existing.update(
            s.scalars(
                select(Opportunity.id)
                .where(Opportunity.id.in_(ids[start : start + CHUNK]), Opportunity.deleted_at.is_(None))
                .execution_options(**{SKIP: True})
            )
        )
    missing = NotFound("فرصت").message
    return [Refusal(i, None, DENIED_RECORD if i in existing else missing) for i in ids]


def _checked(
    s: Session,
    ids: Iterable[uuid.UUID],
    check: Callable[[Opportunity], None],
    progress: Progress | None,
    owner: uuid.UUID | None = None,
) -> list[Opportunity]:
    """The opportunities in the order given, each checked; BatchRefused naming every refused one."""
    wanted = list(dict.fromkeys(ids))
    found: dict[uuid.UUID, Opportunity] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = s.scalars(
            select(Opportunity)
            .options(load_only(*(getattr(Opportunity, c) for c in LOADED)))
            .where(Opportunity.id.in_(chunk), Opportunity.deleted_at.is_(None))
        )
        found.update((o.id, o) for o in rows)
    refusals = _unreachable(s, [i for i in wanted if i not in found])
    for done, opp in enumerate((found[i] for i in wanted if i in found), start=1):
        try:
            check(opp)
            if not may_change(s, opp, owner):
                raise AccessDenied(DENIED_RECORD)
        except ServiceError as exc:
            refusals.append(Refusal(opp.id, opp.title, _why(exc)))
        if progress is not None:
            progress(done, len(found))
    if refusals:
        raise BatchRefused(refusals)
    return [found[i] for i in wanted]


class OpportunityBatchService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def move(
        self, actor: Actor, ids: Iterable[uuid.UUID], stage_id: uuid.UUID, progress: Progress | None = None
    ) -> int:
        """Moves open opportunities to a stage of a live pipeline, as dragging each card would.

        Whoever may change every one of them; raises BatchRefused (a closed, merged or unreachable
        record: nothing written), NotFound (the stage). Writes; returns how many changed stage.
        """
        with self._db.write(actor) as s:
            stage = live_stage(s, stage_id)
            opps = _checked(s, ids, lambda o: check_action(o, "move"), progress)
            moved = [o for o in opps if o.stage_id != stage.id]
            for opp in moved:
                apply_stage(opp, stage)
            return len(moved)

    def assign(
        self, actor: Actor, ids: Iterable[uuid.UUID], user_id: uuid.UUID, progress: Progress | None = None
    ) -> int:
        """Hands the opportunities to an active user («تاریخ تخصیص» is set on each that changes hands).

        Whoever may change them and give them to that user (an own-documents rep: to themselves or,
        as a leader, to their team); raises ValidationFailed (no such active user), BatchRefused.
        Writes; returns how many changed hands.
        """
        with self._db.write(actor) as s:
            user = s.get(User, user_id)
            if user is None or not user.is_active:
                raise ValidationFailed({"owner_id": "کاربر انتخاب‌شده پیدا نشد."})
            opps = _checked(s, ids, lambda o: None, progress, owner=user.id)
            handed = [o for o in opps if o.owner_id != user.id]
            for opp in handed:
                assign_owner(opp, user.id)
            return len(handed)

    def add_tag(
        self, actor: Actor, ids: Iterable[uuid.UUID], tag_id: uuid.UUID, progress: Progress | None = None
    ) -> int:
        """Adds a tag to the opportunities (those that have it already are left as they are).

        Whoever may change them; raises NotFound (the tag), BatchRefused. Writes; returns how many got the tag.
        """
        with self._db.write(actor) as s:
            tag = fetch(s, Tag, tag_id, "برچسب")
            opps = _checked(s, ids, lambda o: None, progress)
            return len(add_link(s, OpportunityTag, opps, "tag_id", tag.id))

    def lose(
        self, actor: Actor, ids: Iterable[uuid.UUID], data: LossData, progress: Progress | None = None
    ) -> int:
        """Closes open opportunities as lost with one reason (required, from the loss list), competitor,
        note and day, as the single «بازنده شد» does for each.

        Whoever may change every one of them; raises ValidationFailed (no reason, a reason of another
        list), NotFound (reason, competitor), BatchRefused (a closed, merged or unreachable record, a
        day before one was created). Writes; returns how many were closed.
        """
        if data.reason_id is None:
            raise ValidationFailed({"reason_id": "دلیل شکست را انتخاب کنید."})
        with self._db.write(actor) as s:
            reason = result_reason(s, data.reason_id, ReasonKind.LOSS)
            competitor = fetch(s, Competitor, data.competitor_id, "رقیب") if data.competitor_id else None

            def close(opp: Opportunity) -> None:  # checked and written per record: a refused day is named
                check_action(opp, "lose")
                apply_loss(opp, data, reason, competitor)

            return len(_checked(s, ids, close, progress))
