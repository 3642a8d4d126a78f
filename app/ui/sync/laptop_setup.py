"""«ابزار ← کار بیرون از دفتر…»: makes this computer a laptop copy of the office database.

The rep opens the registration file the administrator saved («دستگاه‌ها»), types their own server
password and where to keep the local file; the copy is made from the office behind a progress dialog
with cancel, the password goes to the credential store for later syncs, and the program restarts onto
the new file as it does after «اتصال به سرور».
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import config
from app.services.core.errors import ServiceError, ValidationFailed
from app.ui.common.form_fields import ErrorForm, FieldRow, dialog_buttons, message_label
from app.ui.ops import op, report_progress
from app.ui.qt_setup import make_ltr
from app.ui.server.server_dialog import restart
from app.ui.sync import files

LOCAL_NAME = "peyvand-laptop.db"
INTRO = (
    "با این کار یک نسخه از داده‌های شما روی همین رایانه ساخته می‌شود تا بیرون از دفتر هم کار کنید؛ هر بار "
    "که به شبکه دفتر وصل شوید تغییرات دو طرف همگام می‌شوند. فایل ثبت دستگاه را از مدیر برنامه بگیرید."
)
BAD_FILE = "فایل ثبت دستگاه خوانده نشد؛ همان فایلی را که مدیر برنامه داده است انتخاب کنید."
EXISTS = "فایلی با این نام هست؛ برای نسخه لپ‌تاپ جای دیگری انتخاب کنید."


def default_local_path() -> Path:
    return config.data_dir() / LOCAL_NAME


def _read_registration(path: Path):
    """The registration in the file; a file that is not one is a refusal by its field (worker thread)."""
    from app.services.sync.devices import Registration

    try:
        return Registration.from_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed({"registration": BAD_FILE}) from exc
    except ServiceError as exc:  # not a registration this version reads: said by the service
        raise ValidationFailed({"registration": exc.message}) from exc


def make_copy(registration_path: Path, password: str, local: Path):
    """Reads the registration and copies the office's data into a new local file (worker thread); a
    cancelled or failed copy leaves no half-made file behind. Returns the registration."""
    from app.services.sync import setup

    registration = _read_registration(registration_path)
    local.parent.mkdir(parents=True, exist_ok=True)
    try:
        setup.first_copy(registration, password, f"sqlite:///{local.as_posix()}", progress=report_progress)
    except BaseException:
        for leftover in (local, local.with_name(local.name + "-wal"), local.with_name(local.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return registration


class LaptopSetupDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("کار بیرون از دفتر")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(INTRO, wordWrap=True))
        self.form = ErrorForm()
        self.registration = self._path_row("registration", "فایل ثبت دستگاه *", self._choose_registration)
        self.password = self.form.add_line("password", "گذرواژه سرور", ltr=True, required=True)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.local = self._path_row("local", "محل نگهداری فایل محلی *", self._choose_local)
        self.local.setText(str(default_local_path()))
        layout.addLayout(self.form)
        self.message = message_label()
        layout.addWidget(self.message)
        layout.addStretch()
        buttons = dialog_buttons(self, QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("ساختن نسخه لپ‌تاپ")
        layout.addWidget(buttons)

    def _path_row(self, field: str, label: str, choose) -> QLineEdit:
        editor = make_ltr(QLineEdit())
        button = QPushButton("انتخاب…")
        button.clicked.connect(lambda: choose())
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(editor)
        row.addWidget(button)
        self.form.rows[field] = FieldRow(box)
        self.form.addRow(label, self.form.rows[field])
        return editor

    def _choose_registration(self) -> None:
        path = files.ask_open_path(self, "فایل ثبت دستگاه", files.DEVICE_FILTER)
        if path is not None:
            self.registration.setText(str(path))

    def _choose_local(self) -> None:
        path = files.ask_save_path(self, "محل فایل محلی", Path(self.local.text()), "پایگاه داده (*.db)", ".db")
        if path is not None:
            self.local.setText(str(path))

    def _values(self) -> tuple[Path, str, Path]:
        errors = {}
        registration, local = self.registration.text().strip(), self.local.text().strip()
        if not registration or not Path(registration).is_file():
            errors["registration"] = "فایل ثبت دستگاه را انتخاب کنید."
        if not self.password.text():
            errors["password"] = "گذرواژه ورود خود به سرور دفتر را وارد کنید."
        if not local:
            errors["local"] = "محل فایل محلی را انتخاب کنید."
        elif Path(local).exists():
            errors["local"] = EXISTS
        if errors:
            raise ValidationFailed(errors)
        return Path(registration), self.password.text(), Path(local)

    def _refused(self, exc: ServiceError) -> bool:
        if isinstance(exc, ValidationFailed):
            self.form.show_errors(exc.errors)
        self.message.setText(exc.message)
        return True

    def accept(self) -> None:
        """Makes the copy; once made, the next start opens it (instead of a saved server) and the
        program restarts onto it."""
        self.form.show_errors({})
        self.message.clear()
        try:
            registration_path, password, local = self._values()
        except ValidationFailed as exc:
            self._refused(exc)
            return
        copying = op(self, lambda: make_copy(registration_path, password, local))
        registration = copying.progress("ساختن نسخه لپ‌تاپ").failure(self._refused).run()
        if not copying.succeeded:
            return
        from app.services.server import connection as server_connection
        from app.ui.sync.credentials import save_password

        save_password(registration.login, registration.server, password)
        server_connection.forget()  # a saved office connection would open instead of the laptop copy
        config.use_laptop_database(local)
        super().accept()
        restart()
