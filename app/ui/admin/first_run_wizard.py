"""The first start: the company's details, the administrator's account, and sample data if wanted.

Each page saves through the services when it is left («بعدی» / «پایان»); a refusal keeps the page
open with the errors under the fields. The administrator is then logged in without a second prompt.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget, QWizard, QWizardPage

from app.services.admin.passwords import DEMO_PASSWORD
from app.services.admin.settings import SettingsService
from app.services.admin.users import UserService
from app.services.core.actor import Actor
from app.services.core.errors import ValidationFailed
from app.ui.admin.company_dialog import company_form, company_value
from app.ui.admin.user_fields import add_password_pair, password_pair_errors
from app.ui.common.form_fields import ErrorForm, save_or_show


class _SavingPage(QWizardPage):
    """A page with an ErrorForm whose write runs (as a UI operation) when the page is left."""

    def __init__(self, title: str, subtitle: str, form: ErrorForm) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = form
        self.box = QVBoxLayout(self)
        self.box.addLayout(form)
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        self.message.setStyleSheet("color: #c62828;")
        self.box.addWidget(self.message)

    def write(self) -> Callable[[], object]:
        """Reads the page (ValidationFailed for a value it refuses) and returns the service call."""
        raise NotImplementedError

    def saved(self, _result: object) -> None:
        """Called with the service call's result once it has run."""

    def validatePage(self) -> bool:
        return save_or_show(self.form, self.message, self.write, self.saved)


class CompanyPage(_SavingPage):
    def __init__(self, settings: SettingsService, actor: Actor) -> None:
        subtitle = "این مشخصات روی پیش‌فاکتورها و فاکتورها چاپ می‌شود."
        super().__init__("مشخصات شرکت", subtitle, company_form(settings.company()))
        self._settings, self._actor = settings, actor

    def write(self) -> Callable[[], object]:
        value = company_value(self.form)
        return lambda: self._settings.save_company(self._actor, value)


class AdminPage(_SavingPage):
    def __init__(self, users: UserService, actor: Actor, offer_sample_data: bool) -> None:
        form = ErrorForm()
        form.add_line("display_name", "نام شما", required=True).setText(actor.display_name)
        form.add_line("login", "نام کاربری", ltr=True, required=True).setText(actor.login)
        add_password_pair(form)
        subtitle = "مدیر سیستم با این نام کاربری و گذرواژه وارد می‌شود و کاربران دیگر را تعریف می‌کند."
        super().__init__("حساب مدیر سیستم", subtitle, form)
        self._users, self._actor = users, actor
        self.admin: Actor | None = None
        self.sample_data = QCheckBox("داده‌های نمونه بارگذاری شود (برای آشنایی با برنامه)")
        self.sample_hint = QLabel(
            f"کارشناسان فروش نمونه هم ساخته می‌شوند و با گذرواژه «{DEMO_PASSWORD}» وارد می‌شوند؛"
            " نام کاربری‌شان در «ابزار ← کاربران» است.",
            wordWrap=True,
        )
        self.sample_hint.setStyleSheet("color: gray;")
        self.sample_hint.hide()
        self.sample_data.toggled.connect(self.sample_hint.setVisible)
        self.sample_data.setVisible(offer_sample_data)
        self.box.insertWidget(1, self.sample_data)
        self.box.insertWidget(2, self.sample_hint)

    def write(self) -> Callable[[], Actor]:
        if errors := password_pair_errors(self.form):
            raise ValidationFailed(errors)
        login, name, password = self.form.text("login"), self.form.text("display_name"), self.form.text("password")
        return lambda: self._users.set_up_admin(self._actor, login, name, password)

    def saved(self, admin: Actor) -> None:
        self.admin = admin


class FirstRunWizard(QWizard):
    """`admin` is the logged-in administrator once accepted; `sample_data` says what was asked for."""

    def __init__(
        self,
        settings: SettingsService,
        users: UserService,
        actor: Actor,
        offer_sample_data: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("به پیوند خوش آمدید")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)  # one look on every Windows version
        # Qt's «بعدی >» / «< عقب» arrows point the wrong way in a right-to-left wizard.
        self.setButtonText(QWizard.WizardButton.NextButton, "بعدی")
        self.setButtonText(QWizard.WizardButton.BackButton, "قبلی")
        self.company_page = CompanyPage(settings, actor)
        self.admin_page = AdminPage(users, actor, offer_sample_data)
        self.addPage(self.company_page)
        self.addPage(self.admin_page)
        self.sample_data = self.admin_page.sample_data
        self.resize(560, 520)

    @property
    def admin(self) -> Actor | None:
        return self.admin_page.admin
