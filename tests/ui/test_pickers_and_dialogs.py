"""Pickers and small dialogs: same-named people told apart by mobile and city, dialogs that close."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from app.services.identities.records import AddressData, IdentityData, PhoneData
from app.ui.identities.identity_picker import IdentityPicker
from app.ui.opportunities.admin_dialogs import CustomFieldsDialog, PipelinesDialog, SalesListsDialog
from tests.ui.persian_typing import type_text


def test_same_named_identities_show_their_mobile_and_city(qtbot, services, admin) -> None:
    def person(mobile: str, city: str):
        data = IdentityData(first_name="علی", last_name="رضایی", phones=[PhoneData(mobile)])
        data.addresses = [AddressData(city=city)] if city else []
        return services.identities.create(admin, data, allow_duplicates=True)

    tehran, shiraz = person("09121234567", "تهران"), person("09171234567", "شیراز")
    services.identities.create(admin, IdentityData(first_name="علی", last_name="رضایی‌نژاد"))
    picker = IdentityPicker(services, admin)
    qtbot.addWidget(picker)
    type_text(picker, "رضایی")
    qtbot.waitUntil(lambda: picker.completer().model().rowCount() == 3, timeout=2000)
    labels = picker.completer().model().stringList()
    assert "علی رضایی (۰۹۱۲۱۲۳۴۵۶۷، تهران)" in labels and "علی رضایی (۰۹۱۷۱۲۳۴۵۶۷، شیراز)" in labels
    assert "علی رضایی‌نژاد" in labels  # a name of its own needs nothing more
    picker.completer().activated.emit("علی رضایی (۰۹۱۷۱۲۳۴۵۶۷، شیراز)")
    assert picker.identity_id() == shiraz.id != tehran.id


@pytest.mark.parametrize("dialog_class", [SalesListsDialog, PipelinesDialog, CustomFieldsDialog])
def test_the_sales_admin_dialogs_have_a_close_button(qtbot, services, admin, dialog_class) -> None:
    dialog = dialog_class(services, admin)
    qtbot.addWidget(dialog)
    dialog.show()
    (close,) = [b for b in dialog.findChildren(QPushButton) if b.text() == "بستن"]
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
