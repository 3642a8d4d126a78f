"""«گروهی»: the batch actions on the opportunities selected in the list or on the board (issue #20): move
to a stage, assign, add a tag, close as lost. Each asks in a small dialog whose OK runs the whole batch
as one operation with progress (all or nothing: a refusal names each refused opportunity and the dialog
stays open); what it changed is published, so the list and the board refresh themselves."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtWidgets import QMenu, QWidget

from app.ui.opportunities.batch_dialog import BatchChoiceDialog, selection_heading
from app.ui.opportunities.close_dialogs import LostDialog
from app.ui.opportunities.result_actions import answered, sales_list_choices
from app.ui.ops import report_progress

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

BATCH_TEXT = "گروهی"
MOVE_TEXT, ASSIGN_TEXT = "انتقال به مرحله…", "تخصیص به…"
TAG_TEXT, LOSE_TEXT = "افزودن برچسب…", "بستن به‌عنوان باخته…"


def _title(text: str) -> str:
    return text.removesuffix("…")


class BatchActions(QObject):
    """The «گروهی» menu of a view; its actions act on the opportunity ids `selected()` returns."""

    sig_done = Signal()
    """A batch was written (the view may clear its selection)."""

    def __init__(
        self, parent: QWidget, services: Services, actor: Actor, selected: Callable[[], list[uuid.UUID]]
    ) -> None:
        super().__init__(parent)
        self._parent, self._services, self._actor, self._selected = parent, services, actor, selected
        self.menu = QMenu(BATCH_TEXT, parent)
        for text, slot in ((MOVE_TEXT, self.move), (ASSIGN_TEXT, self.assign), (TAG_TEXT, self.add_tag),
                           (LOSE_TEXT, self.lose)):  # fmt: skip
            self.menu.addAction(text).triggered.connect(slot)
        self.menu.aboutToShow.connect(self._enable)

    def _enable(self) -> None:
        chosen = bool(self._selected())
        for action in self.menu.actions():
            action.setEnabled(chosen)

    def show_menu(self, at: QPoint) -> None:
        """The context menu of the view, at a global position."""
        self.menu.popup(at)

    def move(self) -> bool:
        """Asks for a stage and moves the selected opportunities there; True when done."""
        ids, batch, actor = self._selected(), self._services.opportunity_batch, self._actor
        if not ids:
            return False
        pipelines = self._services.pipelines.pipelines(actor)
        stages = [
            (st.id, st.name if len(pipelines) == 1 else f"{p.name} — {st.name}") for p in pipelines for st in p.stages
        ]
        return self._ask(BatchChoiceDialog(
            _title(MOVE_TEXT), "stage_id", "مرحله", len(ids), stages,
            lambda stage: batch.move(actor, ids, stage, report_progress), self._parent,
        ))  # fmt: skip

    def assign(self) -> bool:
        """Asks for a user and hands the selected opportunities to them; True when done."""
        ids, batch, actor = self._selected(), self._services.opportunity_batch, self._actor
        if not ids:
            return False
        users = [(u.id, u.name) for u in self._services.opportunity_records.choices(actor).users]
        return self._ask(BatchChoiceDialog(
            _title(ASSIGN_TEXT), "owner_id", "مسئول", len(ids), users,
            lambda user: batch.assign(actor, ids, user, report_progress), self._parent,
        ))  # fmt: skip

    def add_tag(self) -> bool:
        """Asks for a tag and adds it to the selected opportunities; True when done."""
        ids, batch, actor = self._selected(), self._services.opportunity_batch, self._actor
        if not ids:
            return False
        tags = [(t.id, t.name) for t in self._services.tags.tags(actor)]
        return self._ask(BatchChoiceDialog(
            _title(TAG_TEXT), "tag_id", "برچسب", len(ids), tags,
            lambda tag: batch.add_tag(actor, ids, tag, report_progress), self._parent,
        ))  # fmt: skip

    def lose(self) -> bool:
        """Asks for the loss reason (required), competitor and note, and closes the selected as lost."""
        ids, batch, actor, services = self._selected(), self._services.opportunity_batch, self._actor, self._services
        if not ids:
            return False
        reasons = sales_list_choices(services, actor, "loss_reasons")
        competitors = sales_list_choices(services, actor, "competitors")
        dialog = LostDialog(
            "", reasons, competitors, lambda data: batch.lose(actor, ids, data, report_progress), self._parent,
            heading=selection_heading(len(ids)),
        )  # fmt: skip
        dialog.progress_title = _title(LOSE_TEXT)
        return self._ask(dialog)

    def _ask(self, dialog) -> bool:
        done = answered(dialog)
        if done:
            self.sig_done.emit()
        return done
