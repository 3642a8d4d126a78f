"""Pipelines (کاریز) and their ordered stages. Won and lost are results, not stages."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, BusinessMixin, new_id


class Pipeline(BusinessMixin, Base):
    __tablename__ = "pipelines"
    __admin_managed__ = True

    name: Mapped[str] = mapped_column(String(100))
    is_default: Mapped[bool] = mapped_column(default=False)

    stages: Mapped[list[Stage]] = relationship(order_by="Stage.position", back_populates="pipeline")


class Stage(BusinessMixin, Base):
    __tablename__ = "stages"
    __admin_managed__ = True

    pipeline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pipelines.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    probability: Mapped[int] = mapped_column(default=0)  # percent
    # The administrator's default: the column shows folded on the board until a user chooses otherwise.
    folded: Mapped[bool] = mapped_column(default=False, server_default=false())

    pipeline: Mapped[Pipeline] = relationship(back_populates="stages")


class StageFold(Base):
    """A user's own choice to fold or unfold a stage's column on the board (over the admin's default)."""

    __tablename__ = "stage_folds"
    __table_args__ = (UniqueConstraint("user_id", "stage_id", name="uq_stage_folds_user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    stage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stages.id"), index=True)
    folded: Mapped[bool] = mapped_column()
