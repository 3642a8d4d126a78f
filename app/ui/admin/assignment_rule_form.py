"""The form of one assignment rule: its conditions, members in turn order, creators, cap and switch."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QListWidget, QListWidgetItem, QSpinBox, QVBoxLayout, QWidget

from app.services.admin.assignment_rules import AssignmentRuleService, RuleData, RuleRow, TeamSetup
from app.services.core.actor import Actor
from app.ui.admin.user_fields import add_combo
from app.ui.common.form_fields import ErrorForm, FieldRow, dialog_buttons, message_label, save_or_show

KINDS = [("سرنخ‌های تازه (هویت)", "identities"), ("فرصت‌های تازه", "opportunities")]
PERIODS = [("پرونده‌های باز در دست هر نفر", "open"), ("تخصیص‌های ماه جاری (شمسی) هر نفر", "month")]
CAP_NOTE = "۰: بی‌سقف. نفرِ به سقف رسیده در نوبت رد می‌شود."


def _checklist(name: str, items, chosen: tuple) -> QListWidget:
    """Items (id, text); the chosen ones checked and first, in their order (the turn order)."""
    widget = QListWidget(objectName=name)
    order = [i for i in chosen if i in {x for x, _ in items}] + [x for x, _ in items if x not in chosen]
    texts = dict(items)
    for item_id in order:
        item = QListWidgetItem(texts[item_id])
        item.setData(Qt.ItemDataRole.UserRole, item_id)
        item.setCheckState(Qt.CheckState.Checked if item_id in chosen else Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMaximumHeight(110)
    return widget


def _note(text: str) -> QLabel:
    note = QLabel(text, wordWrap=True)
    note.setStyleSheet("color: gray;")
    return note


def checked(widget: QListWidget) -> tuple[uuid.UUID, ...]:
    items = (widget.item(i) for i in range(widget.count()))
    return tuple(i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked)


class RuleDialog(QDialog):
    """Creates or edits a rule of one team; `saved` is the stored row once accepted."""

    def __init__(
        self,
        rules: AssignmentRuleService,
        actor: Actor,
        team_id: uuid.UUID,
        setup: TeamSetup,
        row: RuleRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._rules, self._actor, self._team_id, self._row = rules, actor, team_id, row
        self.saved: RuleRow | None = None
        self.setWindowTitle("قانون تخصیص جدید" if row is None else f"ویرایش قانون «{row.data.name}»")
        self.setMinimumWidth(480)
        data = row.data if row is not None else RuleData("", member_ids=tuple(m.user_id for m in setup.members))
        self.form = ErrorForm()
        self.form.add_line("name", "نام قانون", required=True).setText(data.name)
        self.kind = add_combo(self.form, "record_kind", "چه چیزی تخصیص یابد", KINDS)
        self.kind.set_value(data.record_kind)
        self.source = add_combo(
            self.form, "source_id", "منبع", [("هر منبعی", None), *[(n, i) for i, n in setup.sources]]
        )
        self.source.set_value(data.source_id)
        self.form.add_line("city", "شهر (خالی: هر شهری)").setText(data.city)
        self.tag = add_combo(self.form, "tag_id", "برچسب", [("هر برچسبی", None), *[(n, i) for i, n in setup.tags]])
        self.tag.set_value(data.tag_id)
        members = [(m.user_id, m.name) for m in setup.members]
        self.members = _checklist("member_ids", members, data.member_ids)
        self.form.rows["member_ids"] = FieldRow(self.members)
        self.form.addRow("اعضا به نوبت", self.form.rows["member_ids"])
        self.cap = QSpinBox(objectName="cap", maximum=100_000, value=data.cap)
        self.form.rows["cap"] = FieldRow(self.cap)
        self.form.addRow("سقف هر نفر", self.form.rows["cap"])
        self.period = add_combo(self.form, "cap_period", "سقف بر حسب", PERIODS)
        self.period.set_value(data.cap_period)
        self.form.addRow("", _note(CAP_NOTE))
        self.creators = _checklist("creator_ids", list(setup.creators), data.creator_ids)
        self.form.rows["creator_ids"] = FieldRow(self.creators)
        self.form.addRow("ثبت‌های این کاربران هم تخصیص یابد", self.form.rows["creator_ids"])
        self.active = QCheckBox("فعال", objectName="is_active", checked=data.is_active)
        self.form.addRow("", self.active)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        self.message = message_label()
        layout.addWidget(self.message)
        layout.addWidget(dialog_buttons(self))

    def _submit(self) -> Callable[[], RuleRow]:
        data = RuleData(
            self.form.text("name"), self.kind.value(), self.source.value(), self.form.text("city"), self.tag.value(),
            self.cap.value(), self.period.value(), self.active.isChecked(), checked(self.members),
            checked(self.creators),
        )  # fmt: skip
        rule_id = self._row.id if self._row is not None else None
        return lambda: self._rules.save_rule(self._actor, self._team_id, rule_id, data)

    def _saved(self, row: RuleRow) -> None:
        self.saved = row

    def accept(self) -> None:
        if save_or_show(self.form, self.message, self._submit, self._saved):
            super().accept()
