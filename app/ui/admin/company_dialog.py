"""Company details (printed on invoices): the first-run wizard's page and «ابزار ← مشخصات شرکت»."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.services.admin.settings import CompanyInfo, SettingsService
from app.services.core.actor import Actor
from app.ui.common.form_fields import ErrorForm, dialog_buttons, save_or_show

FIELDS = (
    ("name", "نام شرکت", False, True),
    ("economic_code", "کد اقتصادی", True, False),
    ("national_id", "شناسه ملی", True, False),
    ("registration_number", "شماره ثبت", True, False),
    ("address", "نشانی", False, False),
    ("postal_code", "کد پستی ۱۰ رقمی", True, False),
    ("phone", "تلفن", True, False),
)


def company_form(current: CompanyInfo) -> ErrorForm:
    """The company fields filled with `current`: this dialog's and the first-run wizard's."""
    form = ErrorForm()
    for field, label, ltr, required in FIELDS:
        form.add_line(field, label, ltr=ltr, required=required).setText(getattr(current, field))
    return form


def company_value(form: ErrorForm) -> CompanyInfo:
    return CompanyInfo(**{field: form.text(field) for field, *_ in FIELDS})


class CompanyDialog(QDialog):
    def __init__(
        self,
        settings: SettingsService,
        actor: Actor,
        parent: QWidget | None = None,
        offer_sample_data: bool = True,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._actor = actor
        self.setWindowTitle("مشخصات شرکت" if not offer_sample_data else "به پیوند خوش آمدید")
        layout = QVBoxLayout(self)
        intro = QLabel("این مشخصات روی پیش‌فاکتورها و فاکتورها چاپ می‌شود.", wordWrap=True)
        layout.addWidget(intro)
        self.form = company_form(settings.company())
        layout.addLayout(self.form)
        self.sample_data = QCheckBox("داده‌های نمونه بارگذاری شود (برای آشنایی با برنامه)")
        self.sample_data.setVisible(offer_sample_data)
        layout.addWidget(self.sample_data)
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("formMessage")
        layout.addWidget(self.message)
        layout.addWidget(dialog_buttons(self, QDialogButtonBox.StandardButton.Ok))

    def value(self) -> CompanyInfo:
        return company_value(self.form)

    def _submit(self) -> Callable[[], object]:
        value = self.value()
        return lambda: self._settings.save_company(self._actor, value)

    def accept(self) -> None:
        """Saves through the service; on refusal shows errors by the fields and keeps the text."""
        if save_or_show(self.form, self.message, self._submit):
            super().accept()
