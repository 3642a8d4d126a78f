"""«ورود»: login name and password at start-up. A refusal shows in the dialog, never as a popup."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.core.actor import Actor
from app.services.core.errors import ServiceError
from app.services.admin.users import UserService
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

    def accept(self) -> None:
        """Asks the service; a refusal is shown here, the login stays and the password is cleared."""
        try:
            self.actor = self._users.authenticate(self.login.text(), self.password.text())
        except ServiceError as exc:
            self.message.setText(exc.message)
            self.message.show()
            self.password.clear()
            (self.password if self.login.text() else self.login).setFocus()
            return
        super().accept()
