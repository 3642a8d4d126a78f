"""«ابزار ← کاربران ← تیم‌های فروش ← قوانین تخصیص…»: an admin sets a rule with a cap by clicking, switches
a member off, leads arrive, and «گزارش تخصیص…» explains who got what."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.models import AccessLevel, SalesTeam
from app.services.admin.teams import TeamService
from app.services.core.actor import SYSTEM
from app.services.identities.records import IdentityData
from app.ui.admin import assignment_dialog, teams_dialog
from app.ui.admin.assignment_rule_form import RuleDialog
from app.ui.admin.users_dialog import UsersDialog
from app.ui.qt_setup import configure_application
from tests.services.sales_helpers import user
from tests.ui.persian_typing import type_text


@pytest.fixture
def office(services, admin):
    configure_application(QApplication.instance())
    with services.db.write(SYSTEM) as s:
        team = SalesTeam(name="تیم تهران")
        s.add(team)
        s.flush()
        ali, sara = user(s, "ali", team_id=team.id), user(s, "sara", team_id=team.id)
        desk = user(s, "desk", AccessLevel.ALL_DOCUMENTS)
    return admin, desk, ali, sara


def _cells(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def _opened(monkeypatch, cls, then=None) -> list:
    """Opening `cls` modally records the dialog (and runs `then` on it, as the user would) instead of blocking."""
    opened: list = []

    def exec_(dialog) -> int:
        opened.append(dialog)
        if then is not None:
            then(dialog)
        return dialog.result()

    monkeypatch.setattr(cls, "exec", exec_)
    return opened


def test_admin_sets_a_rule_switches_a_member_off_and_reads_the_log(qtbot, services, office, monkeypatch) -> None:
    admin, desk, ali, sara = office
    users = UsersDialog(services.users, TeamService(services.db), admin)
    qtbot.addWidget(users)
    panel = users.teams_panel
    assert not panel.rules_button.isEnabled()  # no team chosen yet
    panel.table.setCurrentCell(0, 0)
    rules_dialogs = _opened(monkeypatch, assignment_dialog.AssignmentRulesDialog)
    qtbot.mouseClick(panel.rules_button, Qt.MouseButton.LeftButton)
    (dialog,) = rules_dialogs
    dialog.show()  # laid out: a check box takes a click only where it is drawn
    assert dialog.windowTitle() == "قوانین تخصیص تیم «تیم تهران»" and dialog.table.rowCount() == 0

    def fill(form: RuleDialog) -> None:
        type_text(form.form.rows["name"].editor, "سرنخ‌های تهران")
        form.cap.setValue(1)
        save = form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    forms = _opened(monkeypatch, RuleDialog, fill)
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert forms[0].result() == 1
    assert dialog.message.text() == "قانون «سرنخ‌های تهران» ذخیره شد."
    assert _cells(dialog.table, 0) == ["۱", "سرنخ‌های تهران", "سرنخ", "همه", "۱ باز در دست", "ali ۰/۱، sara ۰/۱", "فعال"]

    sara_box = dialog.members_box.findChild(type(dialog.accepts), f"accepts_{sara.user_id}")
    qtbot.waitUntil(sara_box.isVisible)  # boxes remade after the save show at the next turn of the event loop
    qtbot.mouseClick(sara_box, Qt.MouseButton.LeftButton)  # sara is on leave
    assert _cells(dialog.table, 0)[5] == "ali ۰/۱، sara ۰/۱ (نمی‌پذیرد)"

    first = services.identities.create(desk, IdentityData(last_name="احمدی"))
    second = services.identities.create(desk, IdentityData(last_name="بهرامی"))
    assert (first.owner_id, second.owner_id) == (ali.user_id, desk.user_id)  # ali at the cap, sara off

    logs = _opened(monkeypatch, teams_dialog.AssignmentLogDialog)
    qtbot.mouseClick(panel.log_button, Qt.MouseButton.LeftButton)
    (log,) = logs
    qtbot.waitUntil(lambda: log.table.rowCount() == 1)
    cells = _cells(log.table, 0)
    assert cells[1:5] == ["سرنخ: احمدی", "ali", "desk", "ثبت"]
    assert cells[5] == (
        "قانون «سرنخ‌های تهران» تیم «تیم تهران» (شرط: همه) — نوبت گردشی: ali، نفر ۱ از ۱؛ سقف ۱ باز در دست، با این یکی ۱"
        "؛ بیرون از نوبت: sara"
    )


def test_a_rule_without_a_name_or_members_is_refused_beside_its_fields(qtbot, services, office) -> None:
    admin, _desk, ali, _sara = office
    team_id = services.teams.list_teams(admin)[0].id
    setup = services.assignment_rules.team_setup(admin, team_id)
    form = RuleDialog(services.assignment_rules, admin, team_id, setup)
    qtbot.addWidget(form)
    form.show()
    for i in range(form.members.count()):  # every member unticked
        form.members.item(i).setCheckState(Qt.CheckState.Unchecked)
    form.cap.setValue(3)
    save = form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert form.result() == 0 and form.saved is None
    assert form.form.rows["name"].error.text() == "نام قانون را وارد کنید."
    assert form.form.rows["member_ids"].error.text() == "دست‌کم یک عضو تیم را برای نوبت برگزینید."
    assert form.cap.value() == 3  # nothing typed is lost

    type_text(form.form.rows["name"].editor, "همه")
    form.members.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert form.result() == 1 and form.saved.data.member_ids == (ali.user_id,)
