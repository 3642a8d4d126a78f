"""«تعارض‌ها»: the conflicts the office met when this user's laptop changes arrived, and the choice for each.

    open_conflicts(parent, services, actor)   # from «ابزار» or the status bar's sync widget

The list shows the open conflicts (with «نمایش موارد حل‌شده» also those settled automatically, which can
still be reverted by keeping the other version, and those resolved). The selected one shows both versions
side by side with who and when. Every call runs through an operation; the list follows the change bus.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number
from app.services.core.changes import Changes
from app.services.sync.conflicts import ConflictView
from app.ui.common.form_fields import said_in
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.ops import op
from app.ui.sync.conflict_panes import LAPTOP, OFFICE, THIS_COMPUTER, MergeEditor, SurvivorDialog, VersionBox

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

HEADERS = ["رکورد", "فیلد", "نوع تعارض", "وضعیت"]
EXPLAIN = {
    "update_update": "این فیلد هم در دفتر و هم در رایانهٔ همراه تغییر کرده است.",
    "delete_update": "این رکورد در دفتر حذف شده بود و در رایانهٔ همراه ویرایش شد؛ تا بازگردانده نشود حذف‌شده می‌ماند.",
    "update_delete": "این رکورد در رایانهٔ همراه حذف شد ولی در دفتر ویرایش شده بود؛ بنابراین حذف نشد.",
    "duplicate": "این هویت در دو رایانه جداگانه ثبت شده است؛ اگر یک نفرند آن دو را ادغام کنید.",
    "rejected": "دفتر این تغییر را نپذیرفت.",
}
AUTO = "خودکار حل شد: {winner} ماند، چون تغییر جدیدتر بود؛ با نگه‌داشتن نسخهٔ دیگر می‌توانید آن را برگردانید."
# The record forms (app.ui.record_tabs) a conflict's record opens in, by table.
RECORD_FORMS = {
    "identities": "identity",
    "opportunities": "opportunity",
    "activities": "activity",
    "quotes": "quote",
    "invoices": "invoice",
    "sales_returns": "return",
    "receipts": "receipt",
    "contracts": "contract",
}
NOTHING = "تعارضی برای حل کردن نیست."
CHOOSE_FIRST = "ابتدا یک تعارض را از فهرست انتخاب کنید."


class ConflictsDialog(RefreshWhenShown, QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._views: list[ConflictView] = []
        self.setObjectName("conflictsDialog")
        self.setWindowTitle("تعارض‌ها")
        self.resize(1100, 620)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.settled = QCheckBox("نمایش موارد حل‌شده")
        self.settled.toggled.connect(lambda _checked: self.refresh())
        top.addWidget(self.summary, 1)
        top.addWidget(self.settled)
        layout.addLayout(top)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("conflictsTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda *_cells: self._show_current())
        self.table.cellDoubleClicked.connect(lambda *_cell: self.open_record())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self._detail())
        splitter.setSizes([430, 670])
        layout.addWidget(splitter, 1)

        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("conflictsMessage")
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self._generation = 0  # the latest read asked for: an older one that ends later is dropped
        change_bus().sig_changes.connect(self._on_changes)
        self.refresh()

    def _detail(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        self.heading = QLabel(wordWrap=True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: bold;")
        self.explain = QLabel(wordWrap=True)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        sides = QHBoxLayout()
        self.office_box = VersionBox(OFFICE)
        self.device_box = VersionBox(THIS_COMPUTER)
        sides.addWidget(self.office_box)
        sides.addWidget(self.device_box)
        layout.addLayout(sides, 1)
        self.reason = QLabel(wordWrap=True)
        self.reason.setStyleSheet("color: #c62828;")
        layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for action, text, slot in (
            ("server", "نگه‌داشتن نسخهٔ دفتر", self.keep_server),
            ("device", "نگه‌داشتن نسخهٔ این رایانه", self.keep_device),
            ("merge", "ادغام…", self.merge_texts),
            ("restore", "بازگرداندن", self.restore),
            ("merge_duplicate", "ادغام دو هویت…", self.merge_identities),
            ("discard", "کنار گذاشتن", self.discard),
        ):
            button = QPushButton(text)
            button.setObjectName(f"conflict_{action}")
            button.clicked.connect(lambda _checked, slot=slot: slot())
            buttons.addWidget(button)
            self.buttons[action] = button
        buttons.addStretch(1)
        self.open_button = QPushButton("باز کردن رکورد")
        self.open_button.setObjectName("conflict_open")
        self.open_button.clicked.connect(lambda _checked: self.open_record())
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)
        return pane

    # --- reading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reads the list again in the background, keeping the selected conflict selected."""
        conflicts, actor, include = self._services.conflicts, self._actor, self.settled.isChecked()
        self._generation += 1
        generation = self._generation
        load = op(self, lambda: (generation, conflicts.on_laptop(), conflicts.list(actor, include)))
        load.success(self._fill).run_in_background()

    def _on_changes(self, changes: Changes) -> None:
        if changes.tables & ({"sync_conflicts"} | {v.table_name for v in self._views}):
            self.refresh_or_defer(self.refresh)

    def _fill(self, loaded: tuple[int, bool, list[ConflictView]]) -> None:
        generation, on_laptop, views = loaded
        if generation != self._generation:
            return
        self.device_box.setTitle(THIS_COMPUTER if on_laptop else LAPTOP)
        self.buttons["device"].setText("نگه‌داشتن " + (THIS_COMPUTER if on_laptop else LAPTOP))
        selected = self.current()
        self._views = views
        self.table.setRowCount(len(views))
        for r, v in enumerate(views):
            cells = (f"{v.record_kind}: {v.record_title}", v.field_label, v.kind_label, v.status_label)
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        n = sum(v.status == "open" for v in views)
        self.summary.setText(f"{format_number(n)} تعارض باز" if n else "تعارض بازی نیست.")
        ids = [v.id for v in views]
        row = ids.index(selected.id) if selected is not None and selected.id in ids else 0
        if views:
            self.table.setCurrentCell(row, 0)  # selectRow() selects nothing in a right-to-left table
        self._show_current()

    def current(self) -> ConflictView | None:
        row = self.table.currentRow()
        return self._views[row] if 0 <= row < len(self._views) else None

    def _show_current(self) -> None:
        v = self.current()
        for action, button in self.buttons.items():
            button.setVisible(v is not None and action in v.actions)
        self.open_button.setVisible(self._form_of(v) is not None)
        if v is None:
            self.heading.setText(NOTHING if not self._views else CHOOSE_FIRST)
            for widget in (self.explain, self.reason):
                widget.clear()
            self.office_box.clear()
            self.device_box.clear()
            return
        title = f"{v.record_kind} «{v.record_title}»"
        if v.other_row_id:
            title += f" و «{v.other_title}»"
        self.heading.setText(f"{title} — {v.field_label}")
        explain = AUTO.format(winner=v.resolution_label) if v.status == "auto" else EXPLAIN.get(v.kind, "")
        if v.status == "resolved":
            explain = f"حل‌شده: {v.resolution_label}، توسط {v.resolved_by or 'سیستم'}"
        self.explain.setText(explain)
        self.office_box.show_version(v.server_text, v.server_who, v.server_at)
        device_who = "، ".join(p for p in (v.device_who, v.device_name) if p)
        self.device_box.show_version(v.device_text, device_who, v.device_at)
        self.reason.setText(f"دلیل: {v.message}" if v.message else "")

    def _form_of(self, v: ConflictView | None) -> tuple[object, str] | None:
        """The main window's record tabs and the form kind the record opens in (None: nowhere)."""
        tabs = getattr(self.parentWidget(), "tabs", None)
        kind = RECORD_FORMS.get(v.table_name) if v is not None else None
        return (tabs, kind) if tabs is not None and kind is not None else None

    def open_record(self) -> None:
        """Shows the conflict's record in the main window, beside this list."""
        v = self.current()
        found = self._form_of(v)
        if found is not None:
            tabs, kind = found
            tabs.open_record(kind, uuid.UUID(v.row_id))

    # --- resolving -------------------------------------------------------------------------
    def _resolve(self, call, done: str) -> bool:
        v = self.current()
        if v is None:
            self.message.setText(CHOOSE_FIRST)
            return False
        actor, conflict_id = self._actor, v.id
        running = op(self, lambda: call(actor, conflict_id)).failure(said_in(self.message))
        running.run()
        if running.succeeded:
            self.message.setText(done.format(title=v.record_title))
        return running.succeeded

    def keep_server(self) -> None:
        self._resolve(self._services.conflicts.keep_server, "نسخهٔ دفتر برای «{title}» ماند.")

    def keep_device(self) -> None:
        self._resolve(self._services.conflicts.keep_device, "نسخهٔ رایانهٔ همراه برای «{title}» ثبت شد.")

    def restore(self) -> None:
        self._resolve(self._services.conflicts.restore, "«{title}» بازگردانده شد.")

    def discard(self) -> None:
        self._resolve(self._services.conflicts.discard, "تعارض «{title}» کنار گذاشته شد.")

    def merge_texts(self) -> None:
        v = self.current()
        if v is None:
            return
        editor = MergeEditor(v, self)
        if editor.exec() != QDialog.DialogCode.Accepted:
            return
        text, merge = editor.text(), self._services.conflicts.merge
        self._resolve(lambda actor, cid: merge(actor, cid, text), "متن ادغام‌شده برای «{title}» ثبت شد.")

    def merge_identities(self) -> None:
        """Which identity stays, then the identity merge's own choice of values, then the merge."""
        v = self.current()
        if v is None:
            return
        survivor = SurvivorDialog(v, self)
        if survivor.exec() != QDialog.DialogCode.Accepted:
            return
        keep, merged = survivor.keep_and_merged()
        from app.ui.identities.merge_dialog import MergeDialog

        merge_service, actor = self._services.identity_merge, self._actor
        reading = op(self, lambda: merge_service.preview(actor, uuid.UUID(keep), uuid.UUID(merged)))
        preview = reading.failure(said_in(self.message)).run()
        if preview is None:
            return
        dialog = MergeDialog(preview, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        take, conflicts = dialog.take_from_merged(), self._services.conflicts
        self._resolve(
            lambda actor, cid: conflicts.merge_duplicate(actor, cid, keep, take), "دو هویت «{title}» ادغام شدند."
        )


def open_conflicts(parent: QWidget | None, services: Services, actor: Actor) -> ConflictsDialog:
    """Shows the inbox (one per window: opening it again brings the open one forward)."""
    existing = parent.findChild(ConflictsDialog) if parent is not None else None
    dialog = existing or ConflictsDialog(services, actor, parent)
    if existing is None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ended = getattr(parent, "sig_session_ended", None)
        if ended is not None:  # another user logs in: this one's conflicts go with them
            ended.connect(dialog.close)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
