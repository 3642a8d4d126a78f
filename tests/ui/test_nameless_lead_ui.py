"""A lead known only by its phone, as the rep meets it in the lists: the identities dock shows and finds
it by that number (Persian digits), the identity picker offers it, the page says what a contact needs."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from app.services.identities.records import IdentityData, PhoneData
from app.ui.identities.identity_dock import identity_panel
from app.ui.identities.identity_form import IdentityForm
from app.ui.identities.identity_picker import IdentityPicker
from tests.ui.persian_typing import type_text


def test_the_dock_and_the_picker_show_a_phone_only_lead_by_its_number(qtbot, services, admin, tmp_path) -> None:
    services.identities.create(admin, IdentityData(last_name="احمدی", phones=[PhoneData("09350001122")]))
    lead = services.identities.create(admin, IdentityData(phones=[PhoneData("09121234567")]))
    panel = identity_panel(services, admin, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(panel)
    panel.show()
    names = [panel.model.data(panel.model.index(r, 0), Qt.ItemDataRole.DisplayRole) for r in range(2)]
    assert names == ["۰۹۱۲۱۲۳۴۵۶۷", "احمدی"]  # sorted by what it is shown by: digits first
    type_text(panel.search, "۰۹۱۲۱")
    qtbot.waitUntil(lambda: panel.model.total() == 1, timeout=3000)
    assert panel.model.row_at(0).id == lead.id

    picker = IdentityPicker(services, admin)
    qtbot.addWidget(picker)
    type_text(picker, "0912")
    qtbot.waitUntil(lambda: picker.completer().model().rowCount() == 1, timeout=2000)
    assert picker.completer().model().stringList() == ["۰۹۱۲۱۲۳۴۵۶۷"]
    picker.completer().activated.emit("۰۹۱۲۱۲۳۴۵۶۷")
    assert picker.identity_id() == lead.id


def test_a_new_page_with_nothing_typed_asks_for_a_name_or_a_way_to_reach_them(qtbot, services, admin) -> None:
    form = IdentityForm(services, admin, None)
    qtbot.addWidget(form)
    form.show()
    assert form.save() is False
    assert form.details.fields["last_name"].error.text() == "نام، شماره تماس، ایمیل یا وب‌سایت را وارد کنید"
    type_text(form.details.website, "alpha.ir")
    assert form.save() and form.title() == "alpha.ir"
