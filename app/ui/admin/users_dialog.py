"""«ابزار ← کاربران»: the administrator's list of users (and, on a second tab, the sales teams).

Each change goes through the services, which refuse anyone but an administrator; a refusal shows
under the field at fault (or in the dialog's message line) and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import AccessLevel
from app.persian import MoneyUnit
from app.services.admin.teams import TeamRow, TeamService
from app.services.admin.users import UserData, UserRow, UserService
from app.services.core.actor import Actor
from app.services.core.errors import ValidationFailed
from app.services.core.labels import ACCESS_LEVEL
from app.ui.admin.teams_dialog import TeamsPanel
from app.ui.admin.user_fields import add_checklist, add_combo, add_password_pair, password_pair_errors
from app.ui.common.form_fields import ErrorForm, dialog_buttons, message_label, said_in, save_or_show
from app.ui.common.row_table import beside_buttons, rows_table, selected_row
from app.ui.ops import op

HEADERS = ("نام کاربری", "نام نمایشی", "سطح دسترسی", "تیم فروش", "وضعیت")
SERVER_NOTE = (  # the Latin names isolated (LRI … PDI) so that they read left to right in the sentence
    "روی سرور اداره هر کاربر یک حساب ورود به سرور هم دارد (برای نمونه \u2066pv_ali\u2069 برای کاربر "
    "\u2066ali\u2069) با همان گذرواژه؛ ساختن، غیرفعال و دوباره فعال کردن کاربر در این‌جا حساب سرور او را هم "
    "تغییر می‌دهد و سرور همان سطح دسترسی را اعمال می‌کند."
)


class UserDialog(QDialog):
    """Creates a user (with a password) or edits one; `saved` is the stored row once accepted."""

    def __init__(
        self,
        users: UserService,
        actor: Actor,
        teams: list[TeamRow],
        row: UserRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._users, self._actor, self._row = users, actor, row
        self.saved: UserRow | None = None
        self.setWindowTitle("کاربر جدید" if row is None else f"ویرایش کاربر «{row.login}»")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.form = ErrorForm()
        self.form.add_line("login", "نام کاربری", ltr=True, required=True)
        self.form.add_line("display_name", "نام نمایشی", required=True)
        levels = [(text, level) for level, text in ACCESS_LEVEL.items()]
        self.level = add_combo(self.form, "access_level", "سطح دسترسی", levels)
        self.team = add_combo(self.form, "team_id", "تیم فروش", [("بدون تیم", None)] + [(t.name, t.id) for t in teams])
        # Seed 004 «مخاطب چندین تیم»: the teams besides the main one; each one's leader sees the user's records.
        self.other_teams = add_checklist(self.form, "other_team_ids", "تیم‌های دیگر", [(t.name, t.id) for t in teams])
        if row is None:
            add_password_pair(self.form)
            self.level.set_value(AccessLevel.OWN_DOCUMENTS)  # the least access unless chosen
        else:
            self.form.rows["login"].editor.setText(row.login)
            self.form.rows["display_name"].editor.setText(row.display_name)
            self.level.set_value(row.access_level)
            self.team.set_value(row.team_id)
            self.other_teams.set_values(row.other_team_ids)
        layout.addLayout(self.form)
        self.message = message_label()
        layout.addWidget(self.message)
        layout.addWidget(dialog_buttons(self))

    def value(self) -> UserData:
        contact = self._row.contact_id if self._row else None  # kept: this dialog does not edit it
        return UserData(
            self.form.text("login"),
            self.form.text("display_name"),
            self.level.value(),
            self.team.value(),
            contact,
            tuple(t for t in self.other_teams.values() if t != self.team.value()),  # the main team is one already
        )

    def _submit(self) -> Callable[[], UserRow]:
        value = self.value()
        if self._row is not None:
            user_id = self._row.id
            return lambda: self._users.update_user(self._actor, user_id, value)
        if errors := password_pair_errors(self.form):
            raise ValidationFailed(errors)
        password = self.form.text("password")
        return lambda: self._users.create_user(self._actor, value, password)

    def _saved(self, row: UserRow) -> None:
        self.saved = row

    def accept(self) -> None:
        if save_or_show(self.form, self.message, self._submit, self._saved):
            super().accept()


class PasswordDialog(QDialog):
    """An administrator sets a new password for a user (which also lifts a waiting time)."""

    def __init__(self, users: UserService, actor: Actor, row: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users, self._actor, self._row = users, actor, row
        self.setWindowTitle(f"گذرواژه تازه برای «{row.display_name}»")
        layout = QVBoxLayout(self)
        self.form = ErrorForm()
        add_password_pair(self.form)
        layout.addLayout(self.form)
        self.message = message_label()
        layout.addWidget(self.message)
        layout.addWidget(dialog_buttons(self))

    def _submit(self) -> Callable[[], None]:
        if errors := password_pair_errors(self.form):
            raise ValidationFailed(errors)
        user_id, password = self._row.id, self.form.text("password")
        return lambda: self._users.reset_password(self._actor, user_id, password)

    def accept(self) -> None:
        if save_or_show(self.form, self.message, self._submit):
            super().accept()


class UsersDialog(QDialog):
    def __init__(
        self,
        users: UserService,
        teams: TeamService,
        actor: Actor,
        money_unit: MoneyUnit = MoneyUnit.RIAL,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._users, self._teams, self._actor = users, teams, actor
        self._rows: list[UserRow] = []
        self.setWindowTitle("کاربران و تیم‌های فروش")
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._users_tab(), "کاربران")
        self.teams_panel = TeamsPanel(teams, users, actor, money_unit)
        self.teams_panel.sig_changed.connect(self.refresh)  # team names show in the users' list
        self.tabs.addTab(self.teams_panel, "تیم‌های فروش")
        layout.addWidget(self.tabs)
        self.message = QLabel(wordWrap=True, objectName="usersMessage")
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.refresh()

    def _users_tab(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        if self._users.on_server:  # each user is also a server login (app.services.server.security)
            self.server_note = QLabel(SERVER_NOTE, wordWrap=True, objectName="serverNote")
            self.server_note.setStyleSheet("color: #455a64;")
            column.addWidget(self.server_note)
        self.table = rows_table(HEADERS, "usersTable", self._update_buttons, self.edit_user)
        self.new_button = QPushButton("کاربر جدید…", clicked=self.new_user)
        self.edit_button = QPushButton("ویرایش…", clicked=self.edit_user)
        self.active_button = QPushButton("غیرفعال کردن", clicked=self.toggle_active)
        self.password_button = QPushButton("تعیین گذرواژه…", clicked=self.set_password)
        buttons = (self.new_button, self.edit_button, self.active_button, self.password_button)
        column.addLayout(beside_buttons(self.table, buttons))
        return page

    def refresh(self) -> None:
        selected = self.selected()
        self._rows = self._users.list_users(self._actor)
        team_names = {t.id: t.name for t in self._teams.list_teams(self._actor)}
        self.table.setRowCount(len(self._rows))
        for i, user in enumerate(self._rows):
            cells = (
                user.login,
                user.display_name,
                ACCESS_LEVEL[user.access_level],
                "، ".join([user.team_name or "—", *(team_names[t] for t in user.other_team_ids if t in team_names)]),
                "فعال" if user.is_active else "غیرفعال",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not user.is_active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(i, column, item)
            if selected is not None and user.id == selected.id:
                self.table.setCurrentCell(i, 0)  # selectRow() selects nothing in a right-to-left table
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> UserRow | None:
        return selected_row(self.table, self._rows)

    def _update_buttons(self) -> None:
        user = self.selected()
        for button in (self.edit_button, self.active_button, self.password_button):
            button.setEnabled(user is not None)
        self.active_button.setText("فعال کردن" if user is not None and not user.is_active else "غیرفعال کردن")

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def new_user(self) -> None:
        dialog = UserDialog(self._users, self._actor, self._teams.list_teams(self._actor), parent=self)
        if dialog.exec() and dialog.saved is not None:
            self.refresh()
            self._say(f"کاربر «{dialog.saved.login}» ساخته شد.")

    def edit_user(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = UserDialog(self._users, self._actor, self._teams.list_teams(self._actor), user, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self.refresh()
            self.teams_panel.refresh()  # a user's team shows in the teams' member lists
            self._say(f"تغییرات «{dialog.saved.login}» ذخیره شد.")

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        change = self._users.deactivate if user.is_active else self._users.reactivate
        toggling = op(self, lambda: change(self._actor, user.id)).failure(said_in(self.message))
        toggling.run()
        if not toggling.succeeded:
            return
        self.refresh()
        self._say(f"کاربر «{user.login}» {'غیرفعال' if user.is_active else 'فعال'} شد.")

    def set_password(self) -> None:
        user = self.selected()
        if user is not None and PasswordDialog(self._users, self._actor, user, self).exec():
            self._say(f"گذرواژه «{user.login}» تغییر کرد.")
