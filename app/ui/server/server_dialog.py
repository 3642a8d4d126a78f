"""«ابزار ← اتصال به سرور»: connect this computer to the office server, then restart onto it."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.server import connection as server_connection
from app.services.server.connection import TLS_MODES, ServerSettings
from app.ui.common.form_fields import ErrorForm, FieldRow, save_or_show
from app.ui.qt_setup import make_ltr

TLS_LABELS = {
    "disable": "بدون رمزنگاری",
    "prefer": "در صورت امکان",
    "require": "الزامی",
    "verify-full": "الزامی با بررسی گواهی",
}


class ServerDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("اتصال به سرور")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("برای کار چندکاربره، این رایانه به پایگاه داده سرور اداره (PostgreSQL) وصل می‌شود.", wordWrap=True)
        )
        self.form = ErrorForm()
        self.host = self.form.add_line("host", "نشانی سرور", ltr=True, required=True)
        self.port = make_ltr(QSpinBox(minimum=1, maximum=65535, value=5432))
        self._add_row("port", "درگاه", self.port)
        self.database = self.form.add_line("database", "پایگاه داده", ltr=True, required=True)
        self.database.setText("peyvand")
        self.user = self.form.add_line("user", "نام کاربری", ltr=True, required=True)
        self.password = self.form.add_line("password", "گذرواژه", ltr=True)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.tls = QComboBox()
        for mode in TLS_MODES:
            self.tls.addItem(TLS_LABELS[mode], mode)
        self.tls.setCurrentIndex(TLS_MODES.index("prefer"))
        self._add_row("tls_mode", "رمزنگاری اتصال", self.tls)
        layout.addLayout(self.form)
        current = server_connection.load()
        if current is not None:
            self.host.setText(current.host)
            self.port.setValue(current.port)
            self.database.setText(current.database)
            self.user.setText(current.user)
            self.tls.setCurrentIndex(TLS_MODES.index(current.tls_mode))
        self.message = QLabel(wordWrap=True)
        layout.addWidget(self.message)
        self.test_button = QPushButton("آزمایش اتصال")
        self.test_button.clicked.connect(self.test)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.local_button = buttons.addButton("بازگشت به پایگاه داده محلی", QDialogButtonBox.ButtonRole.ResetRole)
        self.local_button.setEnabled(current is not None)
        self.local_button.clicked.connect(self.use_local)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _add_row(self, field: str, label: str, editor: QWidget) -> None:
        row = FieldRow(editor)
        self.form.rows[field] = row
        self.form.addRow(label, row)

    def value(self) -> ServerSettings:
        return ServerSettings(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            tls_mode=self.tls.currentData(),
        )

    def _try(self, call: Callable[[], object]) -> bool:
        """Runs a call to the server off the GUI thread; a refusal shows by its field and below."""
        self.form.show_errors({})
        return save_or_show(self.form, self.message, lambda: call)

    def test(self) -> bool:
        settings, password = self.value(), self.password.text()
        if self._try(lambda: server_connection.test_connection(settings, password)):
            self.message.setText("اتصال برقرار شد.")
            return True
        return False

    def accept(self) -> None:
        """Saves only a connection that works, then restarts the program onto the server."""
        settings, password = self.value(), self.password.text()

        def connect_and_save() -> None:
            server_connection.test_connection(settings, password)
            server_connection.save(settings, password)

        if self._try(connect_and_save):
            super().accept()
            restart()

    def use_local(self) -> None:
        server_connection.forget()
        super().accept()
        restart()


def restart() -> None:
    """Starts a new copy of the program (on the new database) and closes this one."""
    QProcess.startDetached(sys.executable, sys.argv[1:] if getattr(sys, "frozen", False) else ["-m", "app"])
    QApplication.instance().quit()
