"""Won / lost / restore from any view (board, list, form): the dialog runs the service call; what it
changed is published by the operation, so every view refreshes itself."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from app.ui.opportunities.close_dialogs import LostDialog, RestoreDialog, WonDialog

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


def sales_list_choices(services: Services, actor: Actor, kind: str) -> list[tuple[uuid.UUID, str]]:
    return [(i.id, i.name) for i in services.sales_lists.items(actor, kind)]


def mark_won(
    parent: QWidget | None, services: Services, actor: Actor, opp_id: uuid.UUID, title: str, amount: int,
    version: int | None = None,
) -> bool:  # fmt: skip
    """Asks for the final amount and reason, records the win; True when done."""
    dialog = WonDialog(
        title, amount, sales_list_choices(services, actor, "win_reasons"),
        lambda data: services.pipeline_moves.win(actor, opp_id, data, version), parent,
    )  # fmt: skip
    return answered(dialog)


def mark_lost(
    parent: QWidget | None, services: Services, actor: Actor, opp_id: uuid.UUID, title: str,
    version: int | None = None,
) -> bool:  # fmt: skip
    """Asks for the loss reason (required), competitor and note, records the loss; True when done."""
    dialog = LostDialog(
        title, sales_list_choices(services, actor, "loss_reasons"), sales_list_choices(services, actor, "competitors"),
        lambda data: services.pipeline_moves.lose(actor, opp_id, data, version), parent,
    )  # fmt: skip
    return answered(dialog)


def restore(
    parent: QWidget | None, services: Services, actor: Actor, opp_id: uuid.UUID, title: str, pipeline_id: uuid.UUID
) -> bool:
    """Asks for the stage and reopens a lost opportunity there; True when done."""
    pipeline = next((p for p in services.pipelines.pipelines(actor) if p.id == pipeline_id), None)
    stages = [(st.id, st.name) for st in pipeline.stages] if pipeline else []
    dialog = RestoreDialog(title, stages, lambda stage: services.pipeline_moves.restore(actor, opp_id, stage), parent)
    return answered(dialog)


def answered(dialog: QDialog) -> bool:
    """Shows the dialog (its OK runs the write) and whether it was accepted; it is deleted afterwards."""
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()  # not kept under its parent (a board column, a form) once answered
