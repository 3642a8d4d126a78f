"""Moving an opportunity along its pipeline and recording its result (won / lost), or restoring it.

Transitions (Tryton's explicit table): open -> open (another stage), open -> won, open -> lost,
lost -> open (restore to a chosen stage). The won/lost date is set here and nowhere else: the day the
result is recorded, or the day the rep says it happened (not after today, not before the opportunity
was created), never edited later. A loss needs a reason from the admin's list; a win may name one.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from app.domain.workflow import Workflow
from app.models import CloseReason, Competitor, Opportunity, OpportunityStatus, Pipeline, Stage
from app.models.enums import ReasonKind
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.concurrency import ensure_version
from app.services.core.database import Database
from app.services.core.errors import ServiceError, TransitionRefused, ValidationFailed
from app.services.core.labels import OPPORTUNITY_STATUS
from app.services.opportunities.board import load_card
from app.services.opportunities.data import BoardCard, LossData, WinData

CLOSED = "این فرصت بسته شده است؛ برای جابه‌جایی، ابتدا آن را بازگردانید."
OPEN, WON, LOST = OpportunityStatus.OPEN, OpportunityStatus.WON, OpportunityStatus.LOST
# The result workflow. Moving between stages is not a change of status: it needs an open opportunity.
STATUS_FLOW: Workflow[OpportunityStatus] = Workflow(
    "فرصت",
    {(OPEN, WON): "ثبت برنده", (OPEN, LOST): "ثبت بازنده", (LOST, OPEN): "بازگرداندن"},
    label=OPPORTUNITY_STATUS.__getitem__,
    refusals={OPEN: "فقط فرصت بازنده را می‌توان بازگرداند.", WON: CLOSED, LOST: CLOSED},
)
_TARGET = {"win": WON, "lose": LOST, "restore": OPEN}


def live_stage(s: Session, stage_id: uuid.UUID) -> Stage:
    """A stage of a live pipeline (NotFound otherwise)."""
    stage = fetch(s, Stage, stage_id, "مرحله")
    fetch(s, Pipeline, stage.pipeline_id, "کاریز")
    return stage


def apply_stage(opp: Opportunity, stage: Stage) -> None:
    """Puts the opportunity in the stage; its probability follows the stage unless set by hand."""
    opp.stage_id, opp.pipeline_id = stage.id, stage.pipeline_id
    if not opp.probability_manual:
        opp.probability = stage.probability


def check_action(opp: Opportunity, action: str, version: int | None = None) -> None:
    """Whether `action` ("move", "win", "lose", "restore") may be done to the opportunity now: its
    version (when given), not merged away, and the status workflow. Raises ServiceError subclasses."""
    ensure_version(opp, version)
    if opp.merged_into_id is not None:
        raise ServiceError("این فرصت در فرصت دیگری ادغام شده است.")
    if action == "move":
        if opp.status is not OPEN:
            raise TransitionRefused(CLOSED, opp.status, OPEN)
    else:
        STATUS_FLOW.check(opp.status, _TARGET[action])


def closing_day(opp: Opportunity, day: dt.date | None) -> dt.date:
    """The won/lost date: today unless the rep chose the day it happened (ValidationFailed outside
    the opportunity's life: after today or before it was created)."""
    today = dt.date.today()
    if day is None:
        return today
    if day > today:
        raise ValidationFailed({"closed_on": "تاریخ بستن نمی‌تواند بعد از امروز باشد."})
    if opp.created_at is not None and day < opp.created_at.astimezone().date():  # the local day it was created
        raise ValidationFailed({"closed_on": "تاریخ بستن نمی‌تواند پیش از ایجاد فرصت باشد."})
    return day


def result_reason(s: Session, reason_id: uuid.UUID, kind: ReasonKind) -> CloseReason:
    reason = fetch(s, CloseReason, reason_id, "دلیل")
    if reason.kind is not kind:
        raise ValidationFailed({"reason_id": "این دلیل از فهرست دلایل این نتیجه نیست."})
    return reason


def apply_loss(opp: Opportunity, data: LossData, reason: CloseReason, competitor: Competitor | None) -> None:
    """Records the loss on an open opportunity (ValidationFailed for a day outside its life)."""
    opp.closed_on = closing_day(opp, data.closed_on)
    opp.status = OpportunityStatus.LOST
    opp.close_reason_id, opp.close_reason = reason.id, reason.name
    opp.lost_to_id = competitor.id if competitor else None
    opp.close_note = (data.note or "").strip() or None


class PipelineMoveService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def move(
        self, actor: Actor, opportunity_id: uuid.UUID, stage_id: uuid.UUID, version: int | None = None
    ) -> BoardCard:
        """Moves an open opportunity to another stage (drag and drop on the board).

        Whoever may change the opportunity; raises ServiceError (closed), NotFound, AccessDenied,
        ConcurrentChange (version given and stale). Writes; returns the updated card.
        """
        with self._db.write(actor) as s:
            opp = fetch(s, Opportunity, opportunity_id, "فرصت")
            check_action(opp, "move", version)
            stage = live_stage(s, stage_id)
            if stage.id != opp.stage_id:
                apply_stage(opp, stage)
                s.flush()
            return load_card(s, self._db, opp.id)

    def win(self, actor: Actor, opportunity_id: uuid.UUID, data: WinData, version: int | None = None) -> None:
        """Records the opportunity as won (today or the chosen past day, `closing_day`), with its final
        amount and an optional win reason.

        Whoever may change it; raises ServiceError (not open), ValidationFailed, NotFound,
        AccessDenied, ConcurrentChange. Writes.
        """
        if data.final_amount is not None and data.final_amount < 0:
            raise ValidationFailed({"final_amount": "مبلغ نهایی نمی‌تواند منفی باشد."})
        with self._db.write(actor) as s:
            opp = fetch(s, Opportunity, opportunity_id, "فرصت")
            check_action(opp, "win", version)
            reason = result_reason(s, data.reason_id, ReasonKind.WIN) if data.reason_id else None
            opp.closed_on = closing_day(opp, data.closed_on)
            opp.status = OpportunityStatus.WON
            opp.won_amount = opp.amount if data.final_amount is None else data.final_amount
            opp.close_reason_id = reason.id if reason else None
            opp.close_reason = reason.name if reason else None
            opp.close_note = (data.note or "").strip() or None

    def lose(self, actor: Actor, opportunity_id: uuid.UUID, data: LossData, version: int | None = None) -> None:
        """Records the opportunity as lost (today or the chosen past day); the reason (admin's loss list) is required.

        Whoever may change it; raises ValidationFailed (no reason), ServiceError (not open),
        NotFound, AccessDenied, ConcurrentChange. Writes.
        """
        if data.reason_id is None:
            raise ValidationFailed({"reason_id": "دلیل شکست را انتخاب کنید."})
        with self._db.write(actor) as s:
            opp = fetch(s, Opportunity, opportunity_id, "فرصت")
            check_action(opp, "lose", version)
            reason = result_reason(s, data.reason_id, ReasonKind.LOSS)
            competitor = fetch(s, Competitor, data.competitor_id, "رقیب") if data.competitor_id else None
            apply_loss(opp, data, reason, competitor)

    def restore(
        self, actor: Actor, opportunity_id: uuid.UUID, stage_id: uuid.UUID, version: int | None = None
    ) -> BoardCard:
        """Reopens a lost opportunity in the chosen stage; its result fields are cleared.

        Whoever may change it; raises ServiceError (not lost), NotFound, AccessDenied,
        ConcurrentChange. Writes; returns the card it now has on the board.
        """
        with self._db.write(actor) as s:
            opp = fetch(s, Opportunity, opportunity_id, "فرصت")
            check_action(opp, "restore", version)
            apply_stage(opp, live_stage(s, stage_id))
            opp.status = OpportunityStatus.OPEN
            opp.closed_on = opp.close_reason = opp.close_reason_id = opp.close_note = opp.lost_to_id = None
            s.flush()
            return load_card(s, self._db, opp.id)
