"""«ابزار ← دستگاه‌ها…» (administrator, office server): the laptops that may sync, each one's user,
name, code, when it was registered and last seen, and whether its access was revoked.

«ثبت دستگاه…» registers a laptop for a user and saves its registration file (.peyvand-device), which
the rep opens in «کار بیرون از دفتر…» on the laptop; the file holds the device's secret, so it is
handed over like a key. Every change goes through DeviceService, which refuses anyone but an admin.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_datetime
from app.ui.common.form_fields import ErrorForm, FieldRow, dialog_buttons, message_label, said_in
from app.ui.common.row_table import beside_buttons, rows_table, selected_row
from app.ui.ops import op
from app.ui.sync import files
from app.ui.sync.texts import relative_time

if TYPE_CHECKING:
    import uuid

    from app.services.admin.users import UserRow
    from app.services.core.actor import Actor
    from app.services.sync.devices import DeviceService, DeviceView

HEADERS = ("کاربر", "نام دستگاه", "کد", "ثبت", "آخرین همگام‌سازی", "لغو دسترسی")
NOTE = (
    "هر لپ‌تاپی که بیرون از دفتر کار می‌کند این‌جا ثبت می‌شود. فایل ثبت دستگاه را فقط به همان کاربر "
    "بدهید: کلید همگام‌سازی آن لپ‌تاپ در آن است."
)


class RegisterDialog(QDialog):
    """Which user the laptop is for and its name (e.g. «لپ‌تاپ علی»)."""

    def __init__(self, users: list[UserRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("ثبت دستگاه")
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        self.form = ErrorForm()
        self.user = QComboBox()
        for user in users:
            if user.is_active:
                self.user.addItem(f"{user.display_name} ({user.login})", user.id)
        self.form.rows["user_id"] = FieldRow(self.user)
        self.form.addRow("کاربر", self.form.rows["user_id"])
        self.name = self.form.add_line("name", "نام دستگاه", required=True)
        layout.addLayout(self.form)
        self.message = message_label()
        layout.addWidget(self.message)
        layout.addWidget(dialog_buttons(self, QDialogButtonBox.StandardButton.Ok))

    def value(self) -> tuple[uuid.UUID | None, str]:
        return self.user.currentData(), self.name.text().strip()


class DevicesDialog(QDialog):
    def __init__(self, devices: DeviceService, users: list[UserRow], actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._devices, self._users, self._actor = devices, users, actor
        self._rows: list[DeviceView] = []
        self.setWindowTitle("دستگاه‌های همگام‌سازی")
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        note = QLabel(NOTE, wordWrap=True)
        note.setStyleSheet("color: #455a64;")
        layout.addWidget(note)
        self.table = rows_table(HEADERS, "devicesTable", self._update_buttons, lambda: self.rename())
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # Sized by the header itself: resizeColumnsToContents() after a refill undid the name's stretch.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the name takes the room left
        self.register_button = QPushButton("ثبت دستگاه…")
        self.register_button.clicked.connect(lambda: self.register())
        self.rename_button = QPushButton("تغییر نام…")
        self.rename_button.clicked.connect(lambda: self.rename())
        self.revoke_button = QPushButton("لغو دسترسی")
        self.revoke_button.clicked.connect(lambda: self.revoke())
        layout.addLayout(beside_buttons(self.table, (self.register_button, self.rename_button, self.revoke_button)))
        self.message = QLabel(wordWrap=True, objectName="devicesMessage")
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.refresh()

    # --- the list ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        devices, actor = self._devices, self._actor
        listed = op(self, lambda: devices.list(actor)).failure(said_in(self.message))
        rows = listed.run()
        if not listed.succeeded:
            return
        self._rows = rows
        self.table.setRowCount(len(rows))
        for i, device in enumerate(rows):
            cells = (
                device.user_name,
                device.name,
                device.code,
                format_datetime(device.registered_at),
                relative_time(device.last_seen_at) if device.last_seen_at else "هرگز",
                format_datetime(device.revoked_at) if device.revoked_at else "—",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:  # the code is Latin: kept left to right inside the row
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if device.revoked_at:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(i, column, item)
        self._update_buttons()

    def selected(self) -> DeviceView | None:
        return selected_row(self.table, self._rows)

    def _update_buttons(self) -> None:
        device = self.selected()
        usable = device is not None and not device.revoked_at
        self.rename_button.setEnabled(usable)
        self.revoke_button.setEnabled(usable)

    def select(self, device_id: uuid.UUID) -> None:
        for i, device in enumerate(self._rows):
            if device.id == device_id:
                self.table.setCurrentCell(i, 0)  # selectRow() selects nothing in a right-to-left table

    # --- the questions (tests answer them) --------------------------------------------------------
    def ask_registration(self) -> tuple[uuid.UUID, str] | None:
        dialog = RegisterDialog(self._users, self)
        if not dialog.exec():
            return None
        user_id, name = dialog.value()
        return (user_id, name) if user_id is not None else None

    def ask_device_file(self, name: str) -> Path | None:
        return files.ask_save_path(
            self,
            "ذخیره فایل ثبت دستگاه",
            Path.home() / f"{name}{files.DEVICE_SUFFIX}",
            files.DEVICE_FILTER,
            files.DEVICE_SUFFIX,
        )

    def ask_name(self, current: str) -> str | None:
        name, ok = QInputDialog.getText(self, "تغییر نام دستگاه", "نام تازه:", text=current)
        return name.strip() if ok and name.strip() else None

    def confirm_revoke(self, device: DeviceView) -> bool:
        answer = QMessageBox.question(
            self,
            "لغو دسترسی دستگاه",
            f"دسترسی «{device.name}» ({device.user_name}) لغو شود؟\nاین دستگاه دیگر نمی‌تواند همگام‌سازی کند "
            "و تغییراتی که هنوز نفرستاده به دفتر نمی‌رسد.",
        )
        return answer == QMessageBox.StandardButton.Yes

    # --- the actions --------------------------------------------------------------------------------
    def register(self) -> None:
        asked = self.ask_registration()
        if asked is None:
            return
        user_id, name = asked
        path = self.ask_device_file(name)
        if path is None:
            return
        devices, actor = self._devices, self._actor
        registering = op(self, lambda: devices.register(actor, user_id, name)).failure(said_in(self.message))
        registration = registering.run()
        if not registering.succeeded:
            return
        self.refresh()
        self.select(registration.device_id)
        try:
            path.write_text(registration.to_json(), encoding="utf-8")
        except OSError:
            self.message.setText(
                f"دستگاه «{name}» ثبت شد اما فایل آن در «{path}» ذخیره نشد. دسترسی آن را لغو و دوباره ثبت کنید."
            )
            return
        self.message.setText(f"دستگاه «{name}» ثبت شد؛ فایل ثبت آن را به کاربرش بدهید: {path.name}")

    def rename(self) -> None:
        device = self.selected()
        if device is None or device.revoked_at:
            return
        name = self.ask_name(device.name)
        if name is None or name == device.name:
            return
        devices, actor = self._devices, self._actor
        renaming = op(self, lambda: devices.rename(actor, device.id, name)).failure(said_in(self.message))
        renaming.run()
        if renaming.succeeded:
            self.refresh()
            self.select(device.id)
            self.message.setText(f"نام دستگاه به «{name}» تغییر کرد.")

    def revoke(self) -> None:
        device = self.selected()
        if device is None or device.revoked_at or not self.confirm_revoke(device):
            return
        devices, actor = self._devices, self._actor
        revoking = op(self, lambda: devices.revoke(actor, device.id)).failure(said_in(self.message))
        revoking.run()
        if revoking.succeeded:
            self.refresh()
            self.message.setText(f"دسترسی «{device.name}» لغو شد.")
