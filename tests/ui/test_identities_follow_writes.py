"""The identities and admin areas follow writes made elsewhere in the UI: the write's operation
publishes what it changed, and no code tells the open views."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication, QInputDialog

from app.models import Identity, IdentityKind
from app.services.admin import passwords
from app.ui.admin.admin_history import RecycleBinDialog
from app.ui.admin.users_dialog import UserDialog
from app.ui.identities.categories_dialog import CategoriesDialog
from app.ui.identities.identity_dock import identity_panel
from app.ui.identities.identity_form import IdentityForm
from app.ui.qt_setup import configure_application
from tests.ui.persian_typing import type_text


@pytest.fixture(autouse=True)
def quick_hashes_and_persian_qt(monkeypatch):
    """(Not named like conftest's fresh_change_bus: overriding it skipped the stop of leftover timers, and a
    dock of an earlier test refreshed against its dropped database.)"""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    configure_application(QApplication.instance())


def _tree_texts(tree) -> list[str]:
    found, stack = [], [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop()
        found.append(item.text(0))
        stack.extend(item.child(i) for i in range(item.childCount()))
    return found


def test_a_category_added_in_its_dialog_shows_in_an_open_form_and_in_the_dock(qtbot, services, admin, monkeypatch):
    form = IdentityForm(services, admin, None)
    dock = identity_panel(services, admin)
    for widget in (form, dock):
        qtbot.addWidget(widget)
    type_text(form.details.last_name, "کاظمی")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("مشتریان ویژه", True))
    dialog = CategoriesDialog(services, admin)
    qtbot.addWidget(dialog)
    dialog.add_button.click()

    assert form.details.category.findText("مشتریان ویژه") > 0
    assert form.details.last_name.text() == "کاظمی" and form.details.category.currentIndex() == 0  # kept
    assert "مشتریان ویژه" in _tree_texts(dock.category_tree)


def test_a_record_restored_from_the_recycle_bin_is_listed_again(qtbot, services, admin) -> None:
    with services.db.write(admin) as s:
        person = Identity(kind=IdentityKind.PERSON, display_name="کاوه", name_key="کاوه", owner_id=admin.user_id)
        s.add(person)
    services.identities.soft_delete(admin, person.id)
    dock = identity_panel(services, admin)
    qtbot.addWidget(dock)
    assert dock.model.total() == 0
    bin_dialog = RecycleBinDialog(services, admin)
    qtbot.addWidget(bin_dialog)
    bin_dialog.table.setCurrentCell(0, 0)
    bin_dialog.restore_selected()
    qtbot.waitUntil(lambda: dock.model.total() == 1)


def test_a_user_created_in_users_shows_in_an_open_forms_owner_list(qtbot, services, admin) -> None:
    form = IdentityForm(services, admin, None)
    qtbot.addWidget(form)
    owner = form.details.owner.currentText()
    assert form.details.owner.findText("مریم احمدی") < 0
    dialog = UserDialog(services.users, admin, [])
    qtbot.addWidget(dialog)
    for field, text in (
        ("login", "maryam"),
        ("display_name", "مریم احمدی"),
        ("password", "گذرواژه‌ی بلند مریم ۱۴۰۵"),
        ("password_repeat", "گذرواژه‌ی بلند مریم ۱۴۰۵"),
    ):
        type_text(dialog.form.rows[field].editor, text)
    dialog.accept()
    assert dialog.result() == 1
    assert form.details.owner.findText("مریم احمدی") >= 0
    assert form.details.owner.currentText() == owner  # what was chosen stays
