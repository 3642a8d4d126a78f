"""The cardboard dock's content (کارتابل): the rep's overdue, today's and coming activities."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from app.persian import format_number
from app.services.actor import Actor
from app.services.cardboard import CardboardSection
from app.services.labels import ACTIVITY_KIND
from app.services.registry import Services
from app.ui import format as fmt


class CardboardPanel(QTreeWidget):
    sig_title_changed = Signal(str)
    """Emitted with the dock title, which carries the count of urgent items."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._actor = actor
        self.setHeaderLabels(["فعالیت", "هویت", "موعد"])
        self.setObjectName("cardboardTree")
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 130)

    def refresh(self) -> None:
        board = self._services.cardboard.load(self._actor)
        self.clear()
        sections = (
            ("عقب‌افتاده", board.overdue),
            ("امروز", board.today),
            ("هفت روز آینده", board.next_7_days),
        )
        for title, section in sections:
            self._add_section(title, section)
        urgent = board.overdue.total + board.today.total
        self.sig_title_changed.emit(f"کارتابل ({format_number(urgent)})" if urgent else "کارتابل")

    def _add_section(self, title: str, section: CardboardSection) -> None:
        head = QTreeWidgetItem(self, [f"{title} ({format_number(section.total)})"])
        head.setFirstColumnSpanned(True)
        for row in section.rows:
            text = f"{ACTIVITY_KIND[row.kind]}: {row.summary}"
            if row.opportunity_title:
                text += f" — {row.opportunity_title}"
            QTreeWidgetItem(head, [text, row.identity_name, fmt.datetime(row.due_at)])
        head.setExpanded(True)
