"""A team's assignment rules (تخصیص براساس قانون), opened from the teams tab: the team's and each
member's «پذیرش سرنخ», the rules in order with their conditions, cap and each member's count; and the
administrator's log of who got what and why."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number
from app.services.admin.assignment import CAP_LABEL, KIND_LABEL
from app.services.admin.assignment_rules import AssignmentRuleService, RuleRow, TeamSetup
from app.services.admin.teams import TeamRow
from app.services.core.actor import Actor
from app.ui import format as fmt
from app.ui.admin.assignment_rule_form import RuleDialog
from app.ui.common.form_fields import said_in
from app.ui.common.row_table import beside_buttons, rows_table, selected_row
from app.ui.ops import op

HEADERS = ("ترتیب", "نام", "چه چیزی", "شرط", "سقف", "اعضا و شمار", "وضعیت")
LOG_HEADERS = ("زمان", "رکورد", "به", "توسط", "از راه", "دلیل")
VIA = {"create": "ثبت", "import": "ورود از فایل"}


def conditions(row: RuleRow) -> str:
    parts = [f"منبع: {row.source_name}"] if row.source_name else []
    parts += [f"شهر: {row.data.city}"] if row.data.city else []
    parts += [f"برچسب: {row.tag_name}"] if row.tag_name else []
    return "، ".join(parts) or "همه"


def members(row: RuleRow) -> str:
    """«علی ۲/۳، سارا (نمی‌پذیرد)»: each member's count against the cap, in turn order."""
    cap = f"/{format_number(row.data.cap)}" if row.data.cap else ""
    return "، ".join(
        f"{m.name} {format_number(m.load)}{cap}" + ("" if m.accepts_leads else " (نمی‌پذیرد)") for m in row.members
    )


class AssignmentRulesDialog(QDialog):
    def __init__(self, rules: AssignmentRuleService, actor: Actor, team: TeamRow, parent: QWidget | None = None):
        super().__init__(parent)
        self._rules, self._actor, self._team = rules, actor, team
        self._rows: list[RuleRow] = []
        self.setWindowTitle(f"قوانین تخصیص تیم «{team.name}»")
        self.resize(820, 480)
        layout = QVBoxLayout(self)
        self.accepts = QCheckBox("این تیم سرنخ و فرصت تازه می‌پذیرد", objectName="teamAcceptsLeads")
        self.accepts.clicked.connect(lambda: self._switch(None, self.accepts.isChecked()))
        layout.addWidget(self.accepts)
        self.members_box = QGroupBox("پذیرش سرنخ اعضا")
        self.members_row = QHBoxLayout(self.members_box)
        layout.addWidget(self.members_box)
        self.table = rows_table(HEADERS, "rulesTable", self._update_buttons, self.edit_rule)
        self.new_button = QPushButton("قانون جدید…", clicked=self.new_rule)
        self.edit_button = QPushButton("ویرایش…", clicked=self.edit_rule)
        self.up_button = QPushButton("بالاتر", clicked=lambda: self._move(-1))
        self.down_button = QPushButton("پایین‌تر", clicked=lambda: self._move(+1))
        self.delete_button = QPushButton("حذف قانون", clicked=self.delete_rule)
        buttons = (self.new_button, self.edit_button, self.up_button, self.down_button, self.delete_button)
        layout.addLayout(beside_buttons(self.table, buttons))
        note = "قانون‌ها به ترتیب سنجیده می‌شوند؛ نخستین قانونی که شرطش بخورد و نفری زیر سقف داشته باشد، تخصیص می‌دهد."
        layout.addWidget(QLabel(note, wordWrap=True))
        self.message = QLabel(wordWrap=True, objectName="rulesMessage")
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.setup: TeamSetup | None = None
        self.refresh()

    def refresh(self) -> None:
        reading = op(self, lambda: (self._rules.team_setup(self._actor, self._team.id),
                                    self._rules.rules(self._actor, self._team.id)))  # fmt: skip
        reading.failure(said_in(self.message)).success(self._show).run()

    def _show(self, loaded: tuple[TeamSetup, list[RuleRow]]) -> None:
        self.setup, self._rows = loaded
        self.accepts.setChecked(self.setup.accepts_leads)
        while self.members_row.count():
            if (old := self.members_row.takeAt(0).widget()) is not None:
                old.setParent(None)  # gone now, not at the next event loop turn
                old.deleteLater()
        for member in self.setup.members:
            box = QCheckBox(member.name, checked=member.accepts_leads, objectName=f"accepts_{member.user_id}")
            box.clicked.connect(lambda on, user_id=member.user_id: self._switch(user_id, on))
            self.members_row.addWidget(box)
        self.members_row.addStretch()
        self.table.setRowCount(len(self._rows))
        for i, row in enumerate(self._rows):
            cap = f"{format_number(row.data.cap)} {CAP_LABEL[row.data.cap_period]}" if row.data.cap else "بی‌سقف"
            cells = (format_number(i + 1), row.data.name, KIND_LABEL[row.data.record_kind], conditions(row), cap,
                     members(row), "فعال" if row.data.is_active else "غیرفعال")  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(i, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> RuleRow | None:
        return selected_row(self.table, self._rows)

    def _update_buttons(self) -> None:
        for button in (self.edit_button, self.up_button, self.down_button, self.delete_button):
            button.setEnabled(self.selected() is not None)

    def _write(self, fn, done: str) -> None:
        writing = op(self, fn).failure(said_in(self.message))
        writing.run()
        if writing.succeeded:
            self.message.setText(done)
            self.refresh()

    def _switch(self, user_id, on: bool) -> None:
        team_id = self._team.id
        self._write(lambda: self._rules.set_accepts_leads(self._actor, team_id, on, user_id), "ذخیره شد.")

    def _move(self, step: int) -> None:
        if (row := self.selected()) is not None:
            self._write(lambda: self._rules.move_rule(self._actor, row.id, step), f"ترتیب «{row.data.name}» تغییر کرد.")

    def _open(self, row: RuleRow | None) -> None:
        if self.setup is None:
            return
        dialog = RuleDialog(self._rules, self._actor, self._team.id, self.setup, row, self)
        if dialog.exec() and dialog.saved is not None:
            self.message.setText(f"قانون «{dialog.saved.data.name}» ذخیره شد.")
            self.refresh()

    def new_rule(self) -> None:
        self._open(None)

    def edit_rule(self) -> None:
        if (row := self.selected()) is not None:
            self._open(row)

    def delete_rule(self) -> None:
        row = self.selected()
        if row is None or QMessageBox.question(self, "حذف قانون", f"قانون «{row.data.name}» حذف شود؟") != (
            QMessageBox.StandardButton.Yes
        ):
            return
        self._write(lambda: self._rules.delete_rule(self._actor, row.id), f"قانون «{row.data.name}» حذف شد.")


class AssignmentLogDialog(QDialog):
    """The newest assignments: when, which record, to whom, by whom, how, and the rule's reason."""

    def __init__(self, rules: AssignmentRuleService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("گزارش تخصیص")
        self.resize(900, 460)
        layout = QVBoxLayout(self)
        self.table = rows_table(LOG_HEADERS, "assignmentLog", lambda: None, lambda: None)
        self.table.setWordWrap(True)
        layout.addWidget(self.table)
        self.message = QLabel(wordWrap=True)
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        op(self, lambda: rules.log(actor)).failure(said_in(self.message)).success(self._show).run_in_background()

    def _show(self, rows) -> None:
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            kind = KIND_LABEL.get(row.record_table, row.record_table)
            cells = (fmt.datetime(row.at), f"{kind}: {row.record_name}", row.user_name, row.assigned_by,
                     VIA.get(row.via, row.via), row.reason)  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(i, column, item)
        for column in range(len(LOG_HEADERS) - 1):
            self.table.resizeColumnToContents(column)
        self.table.horizontalHeader().setStretchLastSection(True)  # the reason wraps in what is left
        self.table.resizeRowsToContents()
        self.message.setText("هنوز چیزی تخصیص نیافته است." if not rows else f"{format_number(len(rows))} تخصیص آخر")
