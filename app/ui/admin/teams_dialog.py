"""Sales teams: the list on the users dialog's second tab, and the form for one team."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import MoneyUnit, ValidationError, amount_in_words, format_money, format_number, parse_money
from app.services.admin.assignment_rules import AssignmentRuleService
from app.services.admin.teams import TeamData, TeamRow, TeamService
from app.services.admin.users import UserRow, UserService
from app.services.core.actor import Actor
from app.services.core.errors import ValidationFailed
from app.ui.admin.assignment_dialog import AssignmentLogDialog, AssignmentRulesDialog
from app.ui.admin.user_fields import add_combo
from app.ui.common.form_fields import ErrorForm, FieldRow, dialog_buttons, message_label, said_in, save_or_show
from app.ui.common.row_table import beside_buttons, rows_table, selected_row
from app.ui.ops import op
from app.ui.qt_setup import make_ltr

HEADERS = ("نام تیم", "سرپرست", "اعضا", "هدف ماهانه")


class TeamDialog(QDialog):
    """Creates or edits a team; `saved` is the stored row once accepted."""

    def __init__(
        self,
        teams: TeamService,
        actor: Actor,
        users: list[UserRow],
        unit: MoneyUnit,
        row: TeamRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._teams, self._actor, self._row, self._unit = teams, actor, row, unit
        self.saved: TeamRow | None = None
        self.setWindowTitle("تیم فروش جدید" if row is None else f"ویرایش تیم «{row.name}»")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        self.form = ErrorForm()
        self.form.add_line("name", "نام تیم", required=True)
        active = [u for u in users if u.is_active or (row is not None and u.id in row.member_ids)]
        self.leader = add_combo(
            self.form, "leader_id", "سرپرست", [("بدون سرپرست", None)] + [(u.display_name, u.id) for u in active]
        )
        self.members = QListWidget(objectName="member_ids")
        for user in active:
            item = QListWidgetItem(f"{user.display_name} ({user.login})")
            item.setData(Qt.ItemDataRole.UserRole, user.id)
            checked = row is not None and user.id in row.member_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.members.addItem(item)
        self.form.rows["member_ids"] = FieldRow(self.members)
        self.form.addRow("اعضا", self.form.rows["member_ids"])
        # Amounts are typed as digits (left to right) and read back in words, as Iranians check them.
        self.target = make_ltr(self.form.add_line("monthly_target", f"هدف ماهانه ({unit.value})"))
        self.target_words = QLabel(objectName="targetWords")
        self.target_words.setStyleSheet("color: gray;")
        self.form.addRow("", self.target_words)
        self.target.textChanged.connect(self._show_in_words)
        if row is not None:
            self.form.rows["name"].editor.setText(row.name)
            self.leader.set_value(row.leader_id)
            self.target.setText(format_money(row.monthly_target, unit, with_unit=False))
        layout.addLayout(self.form)
        self.message = message_label()
        layout.addWidget(self.message)
        layout.addWidget(dialog_buttons(self))

    def _show_in_words(self, text: str) -> None:
        try:
            self.target_words.setText(amount_in_words(parse_money(text, self._unit)) if text.strip() else "")
        except ValidationError:
            self.target_words.setText("")

    def _member_ids(self) -> tuple:
        items = (self.members.item(i) for i in range(self.members.count()))
        return tuple(i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked)

    def _submit(self) -> Callable[[], TeamRow]:
        text = self.form.text("monthly_target")
        try:
            target = parse_money(text, self._unit) if text.strip() else 0
        except ValidationError as exc:
            raise ValidationFailed({"monthly_target": exc.message}) from exc
        data = TeamData(self.form.text("name"), self.leader.value(), self._member_ids(), target)
        if self._row is None:
            return lambda: self._teams.create_team(self._actor, data)
        team_id = self._row.id
        return lambda: self._teams.update_team(self._actor, team_id, data)

    def _saved(self, row: TeamRow) -> None:
        self.saved = row

    def accept(self) -> None:
        if save_or_show(self.form, self.message, self._submit, self._saved):
            super().accept()


class TeamsPanel(QWidget):
    sig_changed = Signal()
    """A team was created, edited or deleted (members may have moved)."""

    def __init__(self, teams: TeamService, users: UserService, actor: Actor, unit: MoneyUnit) -> None:
        super().__init__()
        self._teams, self._users, self._actor, self._unit = teams, users, actor, unit
        self._rows: list[TeamRow] = []
        layout = QVBoxLayout(self)
        self.table = rows_table(HEADERS, "teamsTable", self._update_buttons, self.edit_team)
        self.new_button = QPushButton("تیم جدید…", clicked=self.new_team)
        self.edit_button = QPushButton("ویرایش…", clicked=self.edit_team)
        self.delete_button = QPushButton("حذف تیم", clicked=self.delete_team)
        self._rules = AssignmentRuleService(teams.db)
        self.rules_button = QPushButton("قوانین تخصیص…", clicked=self.open_rules)
        self.log_button = QPushButton("گزارش تخصیص…", clicked=self.open_log)
        buttons = (self.new_button, self.edit_button, self.delete_button, self.rules_button, self.log_button)
        layout.addLayout(beside_buttons(self.table, buttons))
        self.message = QLabel(wordWrap=True)
        layout.addWidget(self.message)
        self.refresh()

    def refresh(self) -> None:
        self._rows = self._teams.list_teams(self._actor)
        self.table.setRowCount(len(self._rows))
        for i, team in enumerate(self._rows):
            cells = (team.name, team.leader_name or "—", format_number(len(team.member_ids)))
            for column, text in enumerate(cells):
                self.table.setItem(i, column, QTableWidgetItem(text))
            target = QTableWidgetItem(format_money(team.monthly_target, self._unit))
            self.table.setItem(i, len(cells), target)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> TeamRow | None:
        return selected_row(self.table, self._rows)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        self.rules_button.setEnabled(chosen)

    def _open(self, row: TeamRow | None) -> None:
        users = self._users.list_users(self._actor)
        dialog = TeamDialog(self._teams, self._actor, users, self._unit, row, self)
        if dialog.exec() and dialog.saved is not None:
            self.refresh()
            self.message.setText(f"تیم «{dialog.saved.name}» ذخیره شد.")
            self.sig_changed.emit()

    def new_team(self) -> None:
        self._open(None)

    def edit_team(self) -> None:
        if (team := self.selected()) is not None:
            self._open(team)

    def open_rules(self) -> None:
        if (team := self.selected()) is not None:
            AssignmentRulesDialog(self._rules, self._actor, team, self).exec()

    def open_log(self) -> None:
        AssignmentLogDialog(self._rules, self._actor, self).exec()

    def delete_team(self) -> None:
        team = self.selected()
        if team is None:
            return
        question = f"تیم «{team.name}» حذف شود؟ اعضای آن بی‌تیم می‌شوند."
        if QMessageBox.question(self, "حذف تیم", question) != QMessageBox.StandardButton.Yes:
            return
        deleting = op(self, lambda: self._teams.delete_team(self._actor, team.id)).failure(said_in(self.message))
        deleting.run()
        if not deleting.succeeded:
            return
        self.refresh()
        self.message.setText(f"تیم «{team.name}» حذف شد؛ اعضای آن اکنون بی‌تیم هستند.")
        self.sig_changed.emit()
