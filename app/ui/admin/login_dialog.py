"""«ورود»: login name and password at start-up. A refusal shows in the dialog, never as a popup.

A temporary password (an imported user's, or one an administrator set with --temporary) is right
but not enough: the dialog then asks for a new password, twice, and logs in once it is stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.services.admin.users import PasswordChangeRequired, UserService
from app.services.core.actor import Actor
from app.services.core.errors import ServiceError, ValidationFailed
from app.ui.ops import op
from app.ui.qt_setup import make_ltr


class LoginDialog(QDialog):
    """Accepted once the service authenticates; `actor` is then the logged-in user."""

    def __init__(self, users: UserService, company_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self.actor: Actor | None = None
        self.setWindowTitle("ورود به پیوند")
        self.setMinimumWidth(360)
        layout = QVBoxLayout(self)
        heading = QLabel(company_name or "پیوند", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        heading.setTextFormat(Qt.TextFormat.PlainText)  # a company name is data, not markup
        heading.setStyleSheet("font-size: 14pt; font-weight: bold; margin: 8px;")
        layout.addWidget(heading)
        form = QFormLayout()
        # Logins are Latin letters: typed and shown left to right inside the right-to-left dialog.
        self.login = make_ltr(QLineEdit(objectName="login"))
        self.password = make_ltr(QLineEdit(objectName="password", echoMode=QLineEdit.EchoMode.Password))
        form.addRow("نام کاربری", self.login)
        form.addRow("گذرواژه", self.password)
        self.new_password = make_ltr(QLineEdit(objectName="newPassword", echoMode=QLineEdit.EchoMode.Password))
        self.repeat_password = make_ltr(QLineEdit(objectName="repeatPassword", echoMode=QLineEdit.EchoMode.Password))
        form.addRow("گذرواژه تازه", self.new_password)
        form.addRow("تکرار گذرواژه تازه", self.repeat_password)
        self._form = form
        self._show_new_password(False)
        layout.addLayout(form)
        self.message = QLabel(wordWrap=True, objectName="loginMessage")
        self.message.setStyleSheet("color: #c62828;")
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("ورود")
        self.ok_button.setDefault(True)  # Enter in either field submits
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("خروج")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.login.setFocus()

    def _show_new_password(self, shown: bool) -> None:
        self._changing = shown
        for field in (self.new_password, self.repeat_password):
            self._form.setRowVisible(field, shown)
        self.login.setReadOnly(shown)
        self.password.setReadOnly(shown)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def accept(self) -> None:
        """Asks the service; a refusal is shown here, the login stays and the password is cleared."""
        if self._changing:
            self._change_password()
            return
        login, password = self.login.text(), self.password.text()
        # Checking a password hash takes a moment: off the GUI thread, as an operation.
        signing_in = op(self, lambda: self._users.authenticate(login, password)).failure(self._refused)
        actor = signing_in.run()
        if signing_in.succeeded:
            self.actor = actor
            super().accept()

    def _refused(self, exc: ServiceError) -> bool:
        self._say(exc.message)
        if isinstance(exc, PasswordChangeRequired):
            self._show_new_password(True)
            self.ok_button.setText("ثبت گذرواژه و ورود")
            self.new_password.setFocus()
        else:
            self.password.clear()
            (self.password if self.login.text() else self.login).setFocus()
        return True

    def _change_password(self) -> None:
        new = self.new_password.text()
        if new != self.repeat_password.text():
            self._say("گذرواژه تازه و تکرار آن یکسان نیستند.")
            self.repeat_password.clear()
            self.repeat_password.setFocus()
            return
        login, password = self.login.text(), self.password.text()

        def refused(exc: ServiceError) -> bool:
            if isinstance(exc, ValidationFailed):
                self._say("\n".join(exc.errors.values()))
                self.new_password.setFocus()
            else:  # refused after all (deactivated meanwhile, waiting after failures)
                self._say(exc.message)
            return True

        changing = op(self, lambda: self._users.change_own_password(login, password, new)).failure(refused)
        actor = changing.run()
        if not changing.succeeded:
            return
        self.actor = actor
        saved_connection_follows(self._users, actor.login, new, self)
        super().accept()


def saved_connection_follows(users: UserService, login: str, password: str, parent: QWidget) -> None:
    """On a server, the connection saved for this user's role («ابزار ← اتصال به سرور») gets the new
    password: its old one no longer opens the server at the next start."""
    from app.services.server import connection
    from app.services.server.security import role_name

    settings = connection.load() if users.on_server else None
    if settings is None or settings.user.lower() not in (login, role_name(login)):
        return
    try:
        connection.save(settings, password)
    except ServiceError as exc:
        QMessageBox.warning(
            parent, "اتصال به سرور", f"{exc.message}\nگذرواژه تازه را در «ابزار ← اتصال به سرور» دوباره وارد کنید."
        )
