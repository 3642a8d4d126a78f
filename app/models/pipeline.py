"""Pipelines (کاریز) and their ordered stages. Won and lost are results, not stages."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, BusinessMixin


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

    pipeline: Mapped[Pipeline] = relationship(back_populates="stages")
