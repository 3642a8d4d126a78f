"""The first-run company form: errors by the field, nothing typed is lost, saved through the service."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit

from app.ui.admin.company_dialog import CompanyDialog
from tests.ui.persian_typing import type_text


def test_refused_save_keeps_text_and_shows_errors_by_field(qtbot, services, admin) -> None:
    dialog = CompanyDialog(services.settings, admin)
    qtbot.addWidget(dialog)
    form = dialog.form
    type_text(form.rows["name"].editor, "شرکت بازرگانی پیوند")
    type_text(form.rows["national_id"].editor, "۱۰۳۸۰۲۸۴۷۹۲")  # wrong check digit
    type_text(form.rows["postal_code"].editor, "1917763913")
    dialog.accept()
    assert dialog.result() == 0 and services.settings.is_first_run()
    error = form.rows["national_id"].error
    assert not error.isHidden() and "شناسه ملی" in error.text()
    assert form.rows["postal_code"].error.isHidden()
    assert form.rows["name"].editor.text() == "شرکت بازرگانی پیوند"
    assert form.rows["national_id"].editor.text() == "۱۰۳۸۰۲۸۴۷۹۲"

    form.rows["national_id"].editor.clear()
    type_text(form.rows["national_id"].editor, "10380284790")
    dialog.accept()
    assert dialog.result() == 1
    saved = services.settings.company()
    assert saved.name == "شرکت بازرگانی پیوند" and saved.national_id == "10380284790"


def test_sample_data_is_offered_only_on_first_run(qtbot, services, admin) -> None:
    first = CompanyDialog(services.settings, admin, offer_sample_data=True)
    later = CompanyDialog(services.settings, admin, offer_sample_data=False)
    qtbot.addWidget(first), qtbot.addWidget(later)
    assert not first.sample_data.isHidden()
    assert later.sample_data.isHidden()


def test_each_company_field_is_asked_once_and_what_is_typed_is_saved(qtbot, services, admin) -> None:
    """«شماره ثبت» was asked twice: what the user typed in the first box was dropped on saving."""
    dialog = CompanyDialog(services.settings, admin)
    qtbot.addWidget(dialog)
    form = dialog.form
    labels = [form.itemAt(i, QFormLayout.ItemRole.LabelRole).widget().text() for i in range(form.rowCount())]
    assert len(labels) == len(set(labels))
    edits = dialog.findChildren(QLineEdit, "registration_number")
    assert len(edits) == 1
    type_text(dialog.form.rows["name"].editor, "شرکت بازرگانی پیوند")
    type_text(edits[0], "۱۲۳۴۵/۶")
    dialog.accept()
    assert dialog.result() == 1
    assert services.settings.company().registration_number == "12345/6"
