"""Automatic probability (seed 004, «احتمال خودکار»): each open opportunity's chance of being won,
learned from the office's won and lost deals over the fields the administrator chose, from a chosen
start date (deals created before it are left out), with the factors that raised or lowered it.

The model (auto_probability_model.py) is trained from GROUP BY counts in the reader's own session, so
it learns from the deals the access policy lets that user see: an own-documents rep's factors come
from their own closes. It is a model, not a list, but its counts are lists in disguise (a campaign
with one closed deal tells that deal's result), and the server's row security draws the same line,
so both databases give the same answer without a privileged function. Trained models are kept in
memory per scope and retrained when the closed deals change (their count or last change), so a
close made anywhere is learned from at the next estimate.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.models import Opportunity, OpportunityStatus, Setting
from app.services.core.access import fetch, is_restricted
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ValidationFailed
from app.services.opportunities.auto_probability_fields import (
    BY_KEY,
    DEFAULT_FIELDS,
    FIELDS,
    count_rows,
    value_name,
    values_query,
    won_count,
)
from app.services.opportunities.auto_probability_model import Estimate, Factor, Model

SETTING_KEY = "auto_probability"
_CHUNK = 500  # opportunity ids per values query


@dataclass(frozen=True)
class AutoProbabilityConfig:
    fields: tuple[str, ...] = DEFAULT_FIELDS
    start: dt.date | None = None  # learn from deals created on or after this day


@dataclass(frozen=True)
class TrainingSummary:
    closes: int
    won: int
    base_percent: int
    strongest: tuple[Factor, ...]


def closed_filter(config: AutoProbabilityConfig, until: dt.date | None = None) -> list[ColumnElement[bool]]:
    """The closed deals the model learns from (before `until`, when given: the bench's cut-off)."""
    where = [
        Opportunity.status.in_((OpportunityStatus.WON, OpportunityStatus.LOST)),
        Opportunity.deleted_at.is_(None),
        Opportunity.merged_into_id.is_(None),
    ]
    if config.start is not None:
        where.append(Opportunity.created_at >= dt.datetime.combine(config.start, dt.time(), dt.UTC))
    if until is not None:
        where.append(Opportunity.closed_on < until)
    return where


def train(s: Session, config: AutoProbabilityConfig, until: dt.date | None = None) -> Model:
    """The model over the closed deals the session sees: one count and one GROUP BY per field."""
    where = closed_filter(config, until)
    stmt = select(func.count(), won_count()).select_from(Opportunity).where(*where)
    closes, won = s.execute(stmt).one()
    model = Model(closes=closes, won=int(won or 0))
    for key in config.fields:
        field = BY_KEY[key]
        rows = count_rows(s, field, where)
        model.add_counts(key, field.label, ((k, value_name(field, k, n), c, w) for k, n, c, w in rows))
    return model


def deal_values(s: Session, config: AutoProbabilityConfig, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict]:
    """Each opportunity's values of the chosen fields: {id: {field key: [(value key, name), ...]}}."""
    result: dict[uuid.UUID, dict] = {i: {} for i in ids}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for key in config.fields:
            field = BY_KEY[key]
            for opportunity_id, value, name in s.execute(values_query(field, chunk)):
                result[opportunity_id].setdefault(key, []).append((value, value_name(field, value, name)))
    return result


def _stamp(s: Session, config: AutoProbabilityConfig) -> tuple:
    """What changes whenever a deal is closed, reopened, edited after closing or deleted."""
    stmt = select(func.count(), func.max(Opportunity.updated_at)).where(*closed_filter(config))
    return tuple(s.execute(stmt).one())


class AutoProbabilityService:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._models: dict = {}  # (scope, config) -> (stamp, Model)
        # Held while a model trains: the list's first pages ask at once, and the second call waits for the
        # first's model instead of training the same one beside it.
        self._training = threading.Lock()

    def config(self, actor: Actor) -> AutoProbabilityConfig:
        """The administrator's choice of fields and start date (the default before any). Reads."""
        with self._db.read(actor) as s:
            return self._config(s)

    @staticmethod
    def _config(s: Session) -> AutoProbabilityConfig:
        row = s.get(Setting, SETTING_KEY)
        if row is None or not isinstance(row.value, dict):
            return AutoProbabilityConfig()
        fields = tuple(k for k in row.value.get("fields", ()) if k in BY_KEY)
        start = row.value.get("start")
        return AutoProbabilityConfig(fields, dt.date.fromisoformat(start) if start else None)

    def save_config(self, actor: Actor, config: AutoProbabilityConfig) -> AutoProbabilityConfig:
        """Administrator only; raises AccessDenied, ValidationFailed (no field, an unknown one). Writes."""
        if not actor.is_admin:
            raise AccessDenied("فقط مدیر می‌تواند تنظیمات احتمال خودکار را تغییر دهد.")
        if not config.fields:
            raise ValidationFailed({"fields": "دست‌کم یک فیلد را برای یادگیری انتخاب کنید."})
        unknown = [k for k in config.fields if k not in BY_KEY]
        if unknown:
            raise ValidationFailed({"fields": f"فیلد ناشناخته: {'، '.join(unknown)}"})
        ordered = tuple(f.key for f in FIELDS if f.key in config.fields)
        value = {"fields": list(ordered), "start": config.start.isoformat() if config.start else None}
        with self._db.write(actor) as s:
            s.merge(Setting(key=SETTING_KEY, value=value))
        return AutoProbabilityConfig(ordered, config.start)

    def retrain(self, actor: Actor) -> TrainingSummary:
        """«بازآموزی»: administrator only; forgets every kept model and trains the office's now. Reads."""
        if not actor.is_admin:
            raise AccessDenied("فقط مدیر می‌تواند احتمال خودکار را بازآموزی کند.")
        with self._lock:
            self._models.clear()
        with self._db.read(actor) as s:
            model = self._model(s, actor)
        return TrainingSummary(model.closes, model.won, round(100 * model.base), tuple(model.strongest(6)))

    def _model(self, s: Session, actor: Actor) -> Model:
        config = self._config(s)
        key = (actor.user_id if is_restricted(actor) else None, config)
        stamp = _stamp(s, config)
        with self._training:
            with self._lock:
                kept = self._models.get(key)
            if kept is not None and kept[0] == stamp:
                return kept[1]
            model = train(s, config)
            with self._lock:
                self._models[key] = (stamp, model)
        return model

    def estimates(self, actor: Actor, opportunity_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Estimate]:
        """The automatic probability of each given open opportunity the actor may see (closed and
        invisible ones are left out; none at all before the first close). Reads."""
        with self._db.read(actor) as s:
            ids = list(
                s.scalars(
                    select(Opportunity.id).where(
                        Opportunity.id.in_(list(opportunity_ids)),
                        Opportunity.status == OpportunityStatus.OPEN,
                        Opportunity.deleted_at.is_(None),
                    )
                )
            )
            if not ids:
                return {}
            model = self._model(s, actor)
            if not model.closes:
                return {}
            values = deal_values(s, self._config(s), ids)
            return {i: model.estimate(v) for i, v in values.items()}

    def estimate(self, actor: Actor, opportunity_id: uuid.UUID) -> Estimate | None:
        """One opportunity's automatic probability: None when closed or before any deal was closed.
        Raises NotFound when the actor may not see it. Reads."""
        with self._db.read(actor) as s:
            fetch(s, Opportunity, opportunity_id, "فرصت")
        return self.estimates(actor, [opportunity_id]).get(opportunity_id)
