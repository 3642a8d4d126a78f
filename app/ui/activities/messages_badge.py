"""The main window's badge of new messages and notes (on the records the user follows): a button in
the status bar, «پیام‌های تازه: ۳», hidden when there are none; clicking it shows the cardboard, whose
«پیام‌های تازه» section lists them. It counts again off the GUI thread whenever messages, read marks
or followers change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from app.persian import format_number
from app.ui.events import change_bus
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

WATCHED = frozenset({"messages", "message_reads", "followers"})


class MessagesBadge(QPushButton):
    sig_show_messages = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="messagesBadge")
        self._services, self._actor = services, actor
        self.count = 0
        self.setFlat(True)
        self.setToolTip("پیام‌ها و یادداشت‌های تازه روی رکوردهایی که دنبال می‌کنید")
        self.clicked.connect(self.sig_show_messages)
        change_bus().sig_changed.connect(self._changed)
        self._show_count(0)

    def refresh(self) -> None:
        reads, actor = self._services.message_reads, self._actor
        op(self, lambda: reads.unread_count(actor)).success(self._show_count).run_in_background()

    def _show_count(self, count: int) -> None:
        self.count = count
        self.setText(f"✉ پیام‌های تازه: {format_number(count)}")
        self.setVisible(count > 0)

    def _changed(self, table: str, _ids) -> None:
        if table in WATCHED:
            self.refresh()
