"""Start-up as a person meets it: the login dialog, and the first-run wizard before any password exists."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWizard

from app.services.admin.passwords import WRONG_CREDENTIALS
from app.services.admin.settings import CompanyInfo
from app.services.admin.users import UserData
from app.ui.admin.first_run_wizard import FirstRunWizard
from app.ui.admin.login_dialog import LoginDialog
from app.ui.app import sign_in
from app.ui.qt_setup import configure_application
from tests.ui.persian_typing import type_text

pytestmark = pytest.mark.usefixtures("quick_hashes")


@pytest.fixture
def boss(services, admin):
    configure_application(QApplication.instance())
    return services.users.set_up_admin(admin, "boss", "مدیر فروش", "kelid-e-modir")


@pytest.fixture
def dialog(qtbot, services, boss) -> LoginDialog:
    services.users.create_user(boss, UserData("rep1", "مریم احمدی"), "گذرواژه‌ی مریم")
    login = LoginDialog(services.users, "شرکت بازرگانی پیوند")
    qtbot.addWidget(login)
    login.show()
    qtbot.waitExposed(login)
    return login


def test_fields_read_as_expected(dialog) -> None:
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dialog.login.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.login.hasFocus() and dialog.ok_button.text() == "ورود"


def test_a_wrong_password_is_said_in_the_dialog_and_the_login_stays(qtbot, dialog) -> None:
    type_text(dialog.login, "REP۱")  # Persian digits and capitals: still «rep1»
    type_text(dialog.password, "گذرواژه‌ی دیگر")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.message.text() == WRONG_CREDENTIALS and not dialog.message.isHidden()
    assert dialog.login.text() == "REP۱" and dialog.password.text() == ""
    assert dialog.password.hasFocus()

    type_text(dialog.password, "گذرواژه‌ی مریم")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter submits
    assert dialog.actor is not None and dialog.actor.display_name == "مریم احمدی"


def test_cancel_leaves_nobody_logged_in(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.actor is None


def test_first_run_wizard_saves_the_company_and_the_administrator(qtbot, services, admin) -> None:
    configure_application(QApplication.instance())
    wizard = FirstRunWizard(services.settings, services.users, admin, offer_sample_data=True)
    qtbot.addWidget(wizard)
    wizard.show()
    company = wizard.company_page.form
    wizard.next()
    assert wizard.currentPage() is wizard.company_page  # the company's name is required
    assert not company.rows["name"].error.isHidden()
    type_text(company.rows["name"].editor, "شرکت بازرگانی پیوند")
    wizard.next()
    assert wizard.currentPage() is wizard.admin_page and not services.settings.is_first_run()

    form = wizard.admin_page.form
    assert (form.text("login"), form.text("display_name")) == ("admin", "مدیر سیستم")  # from ensure_admin
    form.rows["display_name"].editor.clear()
    type_text(form.rows["display_name"].editor, "مریم احمدی")
    type_text(form.rows["password"].editor, "گذرواژه‌ی مدیر")
    type_text(form.rows["password_repeat"].editor, "گذرواژه‌ی دیگر")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.isVisible() and not form.rows["password_repeat"].error.isHidden()
    assert services.users.needs_admin_setup()

    form.rows["password_repeat"].editor.clear()
    type_text(form.rows["password_repeat"].editor, "گذرواژه‌ی مدیر")
    assert not wizard.admin_page.sample_hint.isVisible()
    wizard.sample_data.setChecked(True)
    assert wizard.admin_page.sample_hint.isVisible()  # says how the sample reps log in
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == 1 and wizard.sample_data.isChecked()
    assert wizard.admin is not None and wizard.admin.display_name == "مریم احمدی" and wizard.admin.is_admin
    assert not services.users.needs_admin_setup()
    assert services.users.authenticate("admin", "گذرواژه‌ی مدیر").user_id == admin.user_id


def test_start_up_asks_for_the_wizard_until_an_administrator_has_a_password(services, admin, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(FirstRunWizard, "exec", lambda wizard: shown.append(wizard) or 0)  # cancelled
    assert sign_in(services) is None and len(shown) == 1


def test_start_up_logs_in_once_set_up(services, boss, monkeypatch) -> None:
    def log_in(dialog: LoginDialog) -> int:
        dialog.login.setText("boss")
        dialog.password.setText("kelid-e-modir")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", log_in)
    services.settings.save_company(boss, CompanyInfo(name="شرکت بازرگانی پیوند"))
    assert sign_in(services) == boss
