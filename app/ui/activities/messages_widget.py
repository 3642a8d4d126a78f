"""The «پیام‌ها و یادداشت‌ها» tab of a record: write a note (for the record's followers) or a message
(for every user) with files, list them newest first (author, Jalali time, files), edit or remove one's
own. Showing a record's messages marks them read for the user (the main window's badge follows)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.models.message import MESSAGE, NOTE
from app.services.activities.attachments import MAX_BYTES, TOO_BIG
from app.ui import format as fmt
from app.ui.activities.attachments_widget import human_size
from app.ui.errors import show_error
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.activities.messages import MessageRow
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

TAB_TITLE = "پیام‌ها و یادداشت‌ها"
KIND_LABEL = {NOTE: "یادداشت", MESSAGE: "پیام"}
MESSAGE_ROLE = Qt.ItemDataRole.UserRole
FILE_ROLE = Qt.ItemDataRole.UserRole + 1
WATCHED = ("messages", "message_files", "followers")
TEXT = 3  # the column of the text (and of a file's name)


class MessagesWidget(RefreshWhenShown, QWidget):
    """Messages and notes of one record (record_table "identities", "opportunities", "quotes", "invoices")."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._record: tuple[str, uuid.UUID] | None = None
        self._rows: dict[uuid.UUID, MessageRow] = {}
        self._files: list[Path] = []
        self.text = QPlainTextEdit(objectName="messageText")
        self.text.setPlaceholderText("متن یادداشت یا پیام…")
        self.text.setMaximumHeight(90)
        self.note_choice = QRadioButton("یادداشت")
        self.note_choice.setToolTip("فقط برای دنبال‌کنندگان این رکورد")
        self.message_choice = QRadioButton("پیام")
        self.message_choice.setToolTip("برای همه کاربران")
        self.note_choice.setChecked(True)
        self._kinds = QButtonGroup(self)
        for button in (self.note_choice, self.message_choice):
            self._kinds.addButton(button)
        self.files_button = QPushButton("پیوست فایل…")
        self.files_label = QLabel()
        self.send_button = QPushButton("ثبت")
        self.files_button.clicked.connect(self._choose_files)
        self.send_button.clicked.connect(self.send)
        composer = QHBoxLayout()
        for widget in (self.send_button, self.note_choice, self.message_choice, self.files_button, self.files_label):
            composer.addWidget(widget)
        composer.addStretch()
        self.tree = QTreeWidget(objectName="messageList")
        # Kind, author and time first: a narrow form still shows them beside the (stretched) text.
        self.tree.setHeaderLabels(["نوع", "نویسنده", "زمان", "متن"])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.tree.setWordWrap(True)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.open_file(item.data(0, FILE_ROLE)))
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.edit_button = QPushButton("ویرایش")
        self.remove_button = QPushButton("حذف")
        self.edit_button.clicked.connect(self._ask_edit)
        self.remove_button.clicked.connect(self._ask_remove)
        actions = QHBoxLayout()
        actions.addWidget(self.edit_button)
        actions.addWidget(self.remove_button)
        actions.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(composer)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)
        change_bus().sig_changed.connect(self._changed)
        self._update_buttons()

    def set_record(self, record_table: str, record_id: uuid.UUID | None) -> None:
        """Shows a record's messages (a form learns its id after the first save) and marks them read."""
        self._record = (record_table, record_id) if record_id is not None else None
        if self._record is not None:
            reads, actor, record = self._services.message_reads, self._actor, self._record
            op(self, lambda: reads.mark_read(actor, *record)).run()
            if not isValid(self):  # the wait lets a closing form go, this tab with it
                return
        self.refresh_or_defer(self.refresh)

    def refresh(self) -> None:
        self.tree.clear()
        self._rows = {}
        if self._record is not None:
            messages, actor, record = self._services.messages, self._actor, self._record
            rows = op(self, lambda: messages.for_record(actor, *record)).run()
            if not isValid(self):  # the wait lets a closing form go, this tab with it
                return
            for row in rows or []:
                self._add_item(row)
        self._update_buttons()

    def send(self) -> bool:
        """Writes the typed text, with the chosen files, as a note or a message."""
        if self._record is None:
            return False
        kind = NOTE if self.note_choice.isChecked() else MESSAGE
        messages, actor, record, text = self._services.messages, self._actor, self._record, self.text.toPlainText()
        files = list(self._files)

        def write():
            return messages.post(actor, kind, *record, text, [(p.name, p.read_bytes()) for p in files])

        posted = op(self, write).validation(lambda errors: show_error(self, " ".join(errors.values()))).run()
        if posted is None:
            return False
        self.text.clear()
        self.set_files([])
        self.refresh()
        return True

    def set_files(self, paths: list[Path]) -> None:
        """The files the next note or message takes (over 25 MB refused before reading)."""
        too_big = [p.name for p in map(Path, paths) if p.stat().st_size > MAX_BYTES]
        if too_big:
            show_error(self, f"«{'، '.join(too_big)}»: {TOO_BIG}")
        self._files = [Path(p) for p in paths if Path(p).name not in too_big]
        self.files_label.setText("، ".join(p.name for p in self._files))

    def edit(self, message_id: uuid.UUID, text: str) -> bool:
        row = self._rows[message_id]
        messages, actor = self._services.messages, self._actor
        edit = op(self, lambda: messages.edit(actor, message_id, text, row.version))
        edit.validation(lambda errors: show_error(self, " ".join(errors.values()))).run()
        if edit.succeeded:
            self.refresh()
        return edit.succeeded

    def remove(self, message_id: uuid.UUID) -> bool:
        messages, actor = self._services.messages, self._actor
        remove = op(self, lambda: messages.delete(actor, message_id))
        remove.run()
        if remove.succeeded:
            self.refresh()
        return remove.succeeded

    def open_file(self, file_id: uuid.UUID | None) -> Path | None:
        """Writes the file to a temporary folder and opens it with the system's program."""
        if file_id is None:
            return None
        messages, actor = self._services.messages, self._actor
        path = op(self, lambda: messages.export_file(actor, file_id)).run()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    # --- private ---------------------------------------------------------------------------------
    def _add_item(self, row: MessageRow) -> None:
        when = fmt.datetime(row.created_at) + (" (ویرایش‌شده)" if row.edited else "")
        item = QTreeWidgetItem(self.tree, [KIND_LABEL[row.kind], row.author_name, when, row.body])
        item.setData(0, MESSAGE_ROLE, row.id)
        item.setToolTip(TEXT, row.body)
        for f in row.files:
            child = QTreeWidgetItem(item, ["پیوست", "", human_size(f.size_bytes), f.filename])
            child.setData(0, FILE_ROLE, f.id)
            child.setToolTip(TEXT, "برای باز کردن دوبار کلیک کنید")
        item.setExpanded(True)
        self._rows[row.id] = row

    def _selected(self) -> uuid.UUID | None:
        item = self.tree.currentItem()
        return item.data(0, MESSAGE_ROLE) if item is not None else None

    def _update_buttons(self) -> None:
        self.send_button.setEnabled(self._record is not None)
        self.files_button.setEnabled(self._record is not None)
        chosen = self._rows.get(self._selected())
        mine = chosen is not None and chosen.author_id == self._actor.user_id
        self.edit_button.setEnabled(mine)
        self.remove_button.setEnabled(mine)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "انتخاب فایل برای پیوست")
        if names:
            self.set_files([Path(n) for n in names])

    def _ask_edit(self) -> None:
        message_id = self._selected()
        if message_id is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, "ویرایش", "متن:", self._rows[message_id].body)
        if ok:
            self.edit(message_id, text)

    def _ask_remove(self) -> None:
        message_id = self._selected()
        if message_id is None:
            return
        asked = QMessageBox.question(self, "حذف", "این مورد حذف شود؟")
        if asked == QMessageBox.StandardButton.Yes:
            self.remove(message_id)

    def _changed(self, table: str, _ids) -> None:
        if table in WATCHED and self._record is not None:
            self.refresh_or_defer(self.refresh)


def add_messages_tab(tabs: QTabWidget, services: Services, actor: Actor) -> MessagesWidget:
    """Adds «پیام‌ها و یادداشت‌ها» to a record form's tabs; call `set_record` when the id is known."""
    widget = MessagesWidget(services, actor)
    tabs.addTab(widget, TAB_TITLE)
    return widget
