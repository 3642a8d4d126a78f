"""Pipelines (کاریز) and their ordered stages, edited by the administrator.

The default pipeline is created on first use. Won and lost are results, not stages. A stage that
still holds opportunities cannot be removed (move them first), so nothing is orphaned.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import Opportunity, Pipeline, Stage, utcnow
from app.persian import normalize_text, sort_key
from app.services.core.access import fetch
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ServiceError, ValidationFailed

DEFAULT_STAGES = (
    ("جدید", 10),
    ("واجد شرایط", 30),
    ("ارسال پیشنهاد", 60),
    ("مذاکره", 80),
)
DENIED = "فقط مدیر می‌تواند کاریزها و مراحل را تغییر دهد."


@dataclass(frozen=True)
class StageRow:
    id: uuid.UUID
    pipeline_id: uuid.UUID
    name: str
    position: int
    probability: int
    folded: bool = False  # the administrator's default on the board


@dataclass(frozen=True)
class PipelineRow:
    id: uuid.UUID
    name: str
    is_default: bool
    stages: tuple[StageRow, ...]


def ensure_default_pipeline(db: Database) -> list[dict]:
    """The default pipeline's stages (id, pipeline_id, name, probability), creating them if absent."""
    with db.write(SYSTEM) as s:
        pipeline = s.scalars(
            select(Pipeline).where(Pipeline.is_default.is_(True), Pipeline.deleted_at.is_(None))
        ).first()
        if pipeline is None:
            pipeline = Pipeline(name="فروش", is_default=True)
            s.add(pipeline)
            s.flush()
            for position, (name, probability) in enumerate(DEFAULT_STAGES):
                s.add(Stage(pipeline_id=pipeline.id, name=name, position=position, probability=probability))
            s.flush()
        stages = s.scalars(
            select(Stage).where(Stage.pipeline_id == pipeline.id, Stage.deleted_at.is_(None)).order_by(Stage.position)
        )
        return [
            {"id": st.id, "pipeline_id": st.pipeline_id, "name": st.name, "probability": st.probability}
            for st in stages
        ]


def _stage_row(st: Stage) -> StageRow:
    return StageRow(st.id, st.pipeline_id, st.name, st.position, st.probability, st.folded)


def _live_stages(s, pipeline_id: uuid.UUID) -> list[Stage]:
    return list(
        s.scalars(
            select(Stage).where(Stage.pipeline_id == pipeline_id, Stage.deleted_at.is_(None)).order_by(Stage.position)
        )
    )


def _check_probability(probability: int) -> None:
    if not 0 <= probability <= 100:
        raise ValidationFailed({"probability": "احتمال باید بین ۰ و ۱۰۰ درصد باشد."})


class PipelineService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def pipelines(self, actor: Actor) -> list[PipelineRow]:
        """Every pipeline with its ordered stages, the default first. Anyone; reads only."""
        with self._db.read(actor) as s:
            rows = s.scalars(select(Pipeline).where(Pipeline.deleted_at.is_(None))).all()
            rows = sorted(rows, key=lambda p: (not p.is_default, sort_key(p.name)))  # a few: the default first
            return [
                PipelineRow(p.id, p.name, p.is_default, tuple(map(_stage_row, _live_stages(s, p.id)))) for p in rows
            ]

    def save_pipeline(self, actor: Actor, name: str, pipeline_id: uuid.UUID | None = None) -> uuid.UUID:
        """Adds a pipeline (with one stage «جدید») or renames one. Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        name = normalize_text(name or "").strip()
        if not name:
            raise ValidationFailed({"name": "نام کاریز را وارد کنید."})
        with self._db.write(actor) as s:
            if pipeline_id is None:
                pipeline = Pipeline(name=name, is_default=False)
                s.add(pipeline)
                s.flush()
                s.add(Stage(pipeline_id=pipeline.id, name=DEFAULT_STAGES[0][0], position=0, probability=10))
            else:
                pipeline = fetch(s, Pipeline, pipeline_id, "کاریز")
                pipeline.name = name
            s.flush()
            return pipeline.id

    def save_stage(
        self,
        actor: Actor,
        pipeline_id: uuid.UUID,
        name: str,
        probability: int,
        stage_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """Adds a stage at the end of the pipeline or edits one (its default probability). Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        name = normalize_text(name or "").strip()
        if not name:
            raise ValidationFailed({"name": "نام مرحله را وارد کنید."})
        _check_probability(probability)
        with self._db.write(actor) as s:
            fetch(s, Pipeline, pipeline_id, "کاریز")
            stages = _live_stages(s, pipeline_id)
            if any(st.name == name and st.id != stage_id for st in stages):
                raise ValidationFailed({"name": f"مرحله «{name}» در این کاریز هست."})
            if stage_id is None:
                stage = Stage(pipeline_id=pipeline_id, name=name, probability=probability, position=len(stages))
                s.add(stage)
            else:
                stage = fetch(s, Stage, stage_id, "مرحله")
                stage.name, stage.probability = name, probability
            s.flush()
            return stage.id

    def move_stage(self, actor: Actor, stage_id: uuid.UUID, delta: int) -> None:
        """Moves a stage earlier (-1) or later (+1) in its pipeline. Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        with self._db.write(actor) as s:
            stage = fetch(s, Stage, stage_id, "مرحله")
            stages = _live_stages(s, stage.pipeline_id)
            index = stages.index(stage)
            target = max(0, min(len(stages) - 1, index + delta))
            stages.insert(target, stages.pop(index))
            for position, st in enumerate(stages):
                if st.position != position:
                    st.position = position

    def set_folded_default(self, actor: Actor, stage_id: uuid.UUID, folded: bool) -> None:
        """Whether the stage's column shows folded on the board for users who have not chosen
        themselves (a stage few look at, say «در انتظار»). Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        with self._db.write(actor) as s:
            stage = fetch(s, Stage, stage_id, "مرحله")
            if stage.folded != folded:
                stage.folded = folded

    def delete_stage(self, actor: Actor, stage_id: uuid.UUID) -> None:
        """Removes an empty stage (ServiceError if opportunities are in it or it is the last). Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        with self._db.write(actor) as s:
            stage = fetch(s, Stage, stage_id, "مرحله")
            used = s.scalar(
                select(func.count())
                .select_from(Opportunity)
                .where(Opportunity.stage_id == stage_id, Opportunity.deleted_at.is_(None))
                .execution_options(skip_access=True)
            )
            if used:
                raise ServiceError(f"مرحله «{stage.name}» فرصت دارد؛ ابتدا آن‌ها را به مرحله دیگری ببرید.")
            if len(_live_stages(s, stage.pipeline_id)) == 1:
                raise ServiceError("کاریز دست‌کم یک مرحله لازم دارد.")
            stage.deleted_at = utcnow()
