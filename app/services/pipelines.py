"""Pipelines and stages. The default pipeline is created on first use."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Pipeline, Stage
from app.services.actor import SYSTEM
from app.services.database import Database

DEFAULT_STAGES = (
    ("جدید", 10),
    ("واجد شرایط", 30),
    ("ارسال پیشنهاد", 60),
    ("مذاکره", 80),
)


def ensure_default_pipeline(db: Database) -> list[dict]:
    """The default pipeline's stages (id, pipeline_id, name, probability), creating them if absent."""
    with db.write(SYSTEM) as s:
        pipeline = s.scalars(select(Pipeline).where(Pipeline.is_default.is_(True))).first()
        if pipeline is None:
            pipeline = Pipeline(name="فروش", is_default=True)
            s.add(pipeline)
            s.flush()
            for position, (name, probability) in enumerate(DEFAULT_STAGES):
                s.add(
                    Stage(
                        pipeline_id=pipeline.id,
                        name=name,
                        position=position,
                        probability=probability,
                    )
                )
            s.flush()
        stages = s.scalars(
            select(Stage).where(Stage.pipeline_id == pipeline.id, Stage.deleted_at.is_(None)).order_by(Stage.position)
        )
        return [
            {
                "id": st.id,
                "pipeline_id": st.pipeline_id,
                "name": st.name,
                "probability": st.probability,
            }
            for st in stages
        ]
