"""The «تاریخچه» tab of any record: who changed what and when, newest first, field by field.

    view = HistoryView(services, actor, "opportunities", opportunity_id)
    view.set_record(opportunity_id)   # (re)loads; call after a save

Reads HistoryService.record_history (the record's changes and its children's: phones, lines ...) off
the GUI thread, and only while the tab is shown: a form reloads after every save, and a long-lived
record's history is long.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.persian import to_persian_digits
from app.services.core.errors import ServiceError
from app.ui import format as fmt
from app.ui.events import RefreshWhenShown
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.admin.history import FieldChange, HistoryRow
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

EMPTY = "—"


def shown(value: object) -> str:
    """A stored value (JSON-safe: text, number, ISO date, enum value) as the history shows it."""
    import datetime as dt

    from app.services.core import labels

    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, str):
        for table in (labels.ROLE, labels.KIND, labels.PHONE_KIND, labels.OPPORTUNITY_STATUS, labels.ACTIVITY_STATE):
            for key, label in table.items():
                if getattr(key, "value", None) == value:
                    return label
        try:
            if len(value) == 10 and value[4] == "-":
                return fmt.date(dt.date.fromisoformat(value))
            if len(value) > 18 and value[4] == "-" and "T" in value:
                return fmt.datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
        return to_persian_digits(value) if any(c.isdigit() for c in value) else value
    if isinstance(value, int | float):
        return fmt.number(int(value)) if float(value).is_integer() else to_persian_digits(str(value))
    return str(value)


class HistoryView(RefreshWhenShown, QWidget):
    """A tree: one row per change (when, who, what), its fields as children (field, before, after)."""

    def __init__(
        self, services: Services, actor: Actor, table: str, record_id: uuid.UUID | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.table, self.record_id = table, record_id
        self.tree = QTreeWidget()
        self.tree.setObjectName("historyTree")
        self.tree.setHeaderLabels(["زمان / فیلد", "کاربر / قبل", "عمل / بعد"])
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)

    def set_record(self, record_id: uuid.UUID | None) -> None:
        self.record_id = record_id
        self.refresh_or_defer(self.refresh)

    def refresh(self) -> None:
        record_id = self.record_id
        if record_id is None:
            self.tree.clear()
            return
        history, actor, table = self._services.history, self._actor, self.table

        def refused(exc: ServiceError) -> bool:
            self._show(record_id, [], exc.message)
            return True

        reading = op(self, lambda: history.record_history(actor, table, record_id))
        reading.success(lambda rows: self._show(record_id, rows)).failure(refused).run_in_background()

    def _show(self, record_id: uuid.UUID, rows: list[HistoryRow], message: str | None = None) -> None:
        if record_id != self.record_id:
            return  # the answer about a record no longer shown
        self.tree.clear()
        if message is not None:
            self.tree.addTopLevelItem(QTreeWidgetItem([message]))
        for row in rows:
            self.tree.addTopLevelItem(self._item(row))

    def _item(self, row: HistoryRow) -> QTreeWidgetItem:
        """The record's own changes say just the action; a child's name its kind («ایجاد تلفن»)."""
        what = row.action_label if row.record_id == self.record_id else f"{row.action_label} {row.record_kind}"
        item = QTreeWidgetItem([fmt.datetime(row.at), row.user_name, what])
        for change in row.changes:
            item.addChild(HistoryView._change(change))
        return item

    @staticmethod
    def _change(change: FieldChange) -> QTreeWidgetItem:
        return QTreeWidgetItem([change.label, shown(change.old), shown(change.new)])

    def rows(self) -> int:
        return self.tree.topLevelItemCount()
