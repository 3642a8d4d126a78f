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
from app.services.core.errors import ServiceError
from app.ui import format as fmt
from app.ui.errors import show_error
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.ops import op

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
        self.add_button.setEnabled(any(self._record.values()))
        self.refresh_or_defer(self.refresh)  # a background tab reads when shown

    def refresh(self) -> None:
        self.tree.clear()
        self.add_button.setEnabled(any(self._record.values()))
        rows = self._services.attachments.files(self._actor, **self._record) if any(self._record.values()) else []
        for row in rows:  # no record yet (a new form): nothing to ask
            item = QTreeWidgetItem(
                self.tree,
                [row.filename, human_size(row.size_bytes), fmt.date(row.created_at), row.created_by_name or ""],
            )
            item.setData(0, Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(0, f"SHA-256: {row.sha256}")
        self._update_buttons()

    def add_files(self, paths: list[Path]) -> int:
        """Attaches files from disk; refusals (too big ...) are shown; returns how many were attached."""
        attachments, actor, record = self._services.attachments, self._actor, dict(self._record)
        added = 0
        for path in map(Path, paths):

            def refused(errors: dict[str, str], name: str = path.name) -> None:
                show_error(self, f"«{name}»: {' '.join(errors.values())}")

            attach = op(self, lambda p=path: attachments.attach_file(actor, p, **record)).validation(refused)
            attach.run()
            added += attach.succeeded
        if added:
            self.refresh()  # at once, even on a tab not showing yet (the change bus defers hidden views)
        return added

    def open_file(self, attachment_id: uuid.UUID | None) -> Path | None:
        """Writes the file to a temporary folder and opens it with the system's program."""
        if attachment_id is None:
            return None
        attachments, actor = self._services.attachments, self._actor
        path = op(self, lambda: attachments.export_temp(actor, attachment_id)).run()
        if path is not None:
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
            attachments, actor = self._services.attachments, self._actor
            op(self, lambda: _save_as(attachments, actor, attachment_id, Path(target))).run()

    def _remove(self, attachment_id: uuid.UUID | None) -> None:
        if attachment_id is None:
            return
        if QMessageBox.question(self, "حذف پیوست", "این فایل از پیوست‌ها حذف شود؟") != QMessageBox.StandardButton.Yes:
            return
        attachments, actor = self._services.attachments, self._actor
        remove = op(self, lambda: attachments.soft_delete(actor, attachment_id))
        remove.run()
        if remove.succeeded:
            self.refresh()

    def _changed(self, table: str, _ids) -> None:
        if table == "attachments":
            self.refresh_or_defer(self.refresh)


def _save_as(attachments, actor, attachment_id: uuid.UUID, target: Path) -> None:
    """A disk that refuses the file (full, read-only) is an expected failure, said in Persian."""
    try:
        attachments.save_as(actor, attachment_id, target)
    except OSError:
        raise ServiceError("فایل ذخیره نشد.") from None
