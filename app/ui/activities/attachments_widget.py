"""The «پیوست‌ها» tab of a record: attach files (up to 25 MB each), open them, save a copy, remove."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number
from app.services.core.errors import ServiceError, ValidationFailed
from app.ui import format as fmt
from app.ui.errors import show_error
from app.ui.events import RefreshWhenShown, announce, change_bus

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


def human_size(size: int) -> str:
    for unit, factor in (("مگابایت", 1024 * 1024), ("کیلوبایت", 1024)):
        if size >= factor:
            return f"{format_number(round(size / factor, 1))} {unit}"
    return f"{format_number(size)} بایت"


class AttachmentsWidget(RefreshWhenShown, QWidget):
    """Files of one record: pass exactly one of identity_id, opportunity_id, activity_id."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        identity_id: uuid.UUID | None = None,
        opportunity_id: uuid.UUID | None = None,
        activity_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._record = {"identity_id": identity_id, "opportunity_id": opportunity_id, "activity_id": activity_id}
        self.tree = QTreeWidget(objectName="attachmentList")
        self.tree.setHeaderLabels(["نام فایل", "حجم", "تاریخ", "پیوست‌کننده"])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.open_file(item.data(0, Qt.ItemDataRole.UserRole)))
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton("افزودن فایل…")
        self.open_button = QPushButton("باز کردن")
        self.save_button = QPushButton("ذخیره به نام…")
        self.remove_button = QPushButton("حذف")
        self.add_button.clicked.connect(self._choose_files)
        self.open_button.clicked.connect(lambda: self.open_file(self._selected()))
        self.save_button.clicked.connect(lambda: self._save_as(self._selected()))
        self.remove_button.clicked.connect(lambda: self._remove(self._selected()))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.tree)
        change_bus().sig_changed.connect(self._changed)
        self.refresh()

    def set_record(
        self,
        identity_id: uuid.UUID | None = None,
        opportunity_id: uuid.UUID | None = None,
        activity_id: uuid.UUID | None = None,
    ) -> None:
        """Shows another record's files (a form learns its id after the first save)."""
        self._record = {"identity_id": identity_id, "opportunity_id": opportunity_id, "activity_id": activity_id}
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        self.add_button.setEnabled(any(self._record.values()))
        for row in self._services.attachments.files(self._actor, **self._record):
            item = QTreeWidgetItem(
                self.tree,
                [row.filename, human_size(row.size_bytes), fmt.date(row.created_at), row.created_by_name or ""],
            )
            item.setData(0, Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(0, f"SHA-256: {row.sha256}")
        self._update_buttons()

    def add_files(self, paths: list[Path]) -> int:
        """Attaches files from disk; refusals (too big ...) are shown; returns how many were attached."""
        added = 0
        for path in paths:
            try:
                self._services.attachments.attach_file(self._actor, Path(path), **self._record)
                added += 1
            except ValidationFailed as exc:
                show_error(self, f"«{Path(path).name}»: {' '.join(exc.errors.values())}")
            except ServiceError as exc:
                show_error(self, exc.message)
        if added:
            self.refresh()
            announce("attachments")
        return added

    def open_file(self, attachment_id: uuid.UUID | None) -> Path | None:
        """Writes the file to a temporary folder and opens it with the system's program."""
        if attachment_id is None:
            return None
        try:
            path = self._services.attachments.export_temp(self._actor, attachment_id)
        except ServiceError as exc:
            show_error(self, exc.message)
            return None
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    # --- private ---------------------------------------------------------------------------------
    def _selected(self) -> uuid.UUID | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _update_buttons(self) -> None:
        chosen = self._selected() is not None
        for button in (self.open_button, self.save_button, self.remove_button):
            button.setEnabled(chosen)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "انتخاب فایل برای پیوست")
        self.add_files([Path(n) for n in names])

    def _save_as(self, attachment_id: uuid.UUID | None) -> None:
        if attachment_id is None:
            return
        name = self.tree.currentItem().text(0)
        target, _ = QFileDialog.getSaveFileName(self, "ذخیره فایل", str(Path.home() / name))
        if target:
            try:
                self._services.attachments.save_as(self._actor, attachment_id, Path(target))
            except (ServiceError, OSError) as exc:
                show_error(self, getattr(exc, "message", "فایل ذخیره نشد."))

    def _remove(self, attachment_id: uuid.UUID | None) -> None:
        if attachment_id is None:
            return
        if QMessageBox.question(self, "حذف پیوست", "این فایل از پیوست‌ها حذف شود؟") != QMessageBox.StandardButton.Yes:
            return
        try:
            self._services.attachments.soft_delete(self._actor, attachment_id)
        except ServiceError as exc:
            show_error(self, exc.message)
            return
        self.refresh()
        announce("attachments", [attachment_id])

    def _changed(self, table: str, _ids) -> None:
        if table == "attachments":
            self.refresh_or_defer(self.refresh)
