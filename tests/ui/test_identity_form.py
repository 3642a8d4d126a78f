"""The identity form driven like a user: Persian typing, errors under fields, duplicates, convert, merge."""

from __future__ import annotations

import pytest

from app.models import IdentityRole, PhoneKind
from app.services.identities.records import IdentityData, PhoneData
from app.services.identities.service import IdentityQuery
from app.ui.identities import duplicates_dialog as dup
from app.ui.identities.identity_form import ConvertDialog, IdentityForm
from tests.conftest import TEST_OUTPUT
from tests.ui.persian_typing import type_text


@pytest.fixture
def new_form(qtbot, services, admin):
    form = IdentityForm(services, admin, None)
    qtbot.addWidget(form)
    form.resize(900, 900)
    form.show()
    yield form


def test_refused_save_keeps_everything_typed_and_shows_errors_under_fields(qtbot, services, admin, new_form) -> None:
    details = new_form.details
    type_text(details.first_name, "علي")
    type_text(details.national_code, "۱۲۳")
    type_text(details.phones.rows[0][1][1], "۰۹۱۲")
    assert new_form.is_dirty()
    assert new_form.save() is False
    assert details.fields["last_name"].error.text() == ""  # a first name is enough
    assert details.fields["national_code"].error.text() == "کد ملی باید ۱۰ رقم باشد"
    assert details.phones.rows[0][0].error.text() == "شماره موبایل معتبر نیست"
    assert (details.first_name.text(), details.national_code.text()) == ("علي", "۱۲۳")
    assert details.phones.rows[0][1][1].text() == "۰۹۱۲"
    assert services.identities.count(admin, IdentityQuery()) == 0


def test_a_valid_new_identity_is_saved_and_the_form_becomes_the_record(qtbot, services, admin, new_form) -> None:
    details = new_form.details
    type_text(details.first_name, "مریم")
    type_text(details.last_name, "احمدی")
    type_text(details.phones.rows[0][1][1], "۰۹۱۲۱۲۳۴۵۶۷")
    type_text(details.emails.rows[0][1][0], "maryam@example.ir")
    type_text(details.addresses.rows[0][1][1], "تهران")
    kind, number = details.phones.add_row()
    kind.setCurrentIndex(kind.findData(PhoneKind.WORK.value))
    type_text(number, "02188776655")
    with qtbot.waitSignal(new_form.sig_title_changed):
        assert new_form.save() is True
    assert new_form.title() == "مریم احمدی" and not new_form.is_dirty()
    detail = services.identities.get(admin, new_form.identity_id)
    assert [(p.number, p.kind) for p in detail.phones] == [
        ("09121234567", PhoneKind.MOBILE),
        ("02188776655", PhoneKind.WORK),
    ]
    assert detail.addresses[0].city == "تهران" and detail.owner_id == admin.user_id
    assert new_form.badge.text() == "شخص · سرنخ" and new_form.convert_button.isVisibleTo(new_form)
    new_form.grab().save(str(TEST_OUTPUT / "identity_form.png"))


@pytest.mark.parametrize("choice", [dup.OPEN, dup.MERGE, dup.CREATE])
def test_duplicate_warning_offers_open_merge_or_create(qtbot, services, admin, new_form, monkeypatch, choice) -> None:
    existing = services.identities.create(admin, IdentityData(last_name="کریمی", phones=[PhoneData("09121234567")]))
    opened = []
    new_form.sig_open_record.connect(lambda kind, record_id: opened.append(record_id))

    def answer(dialog) -> int:
        assert dialog.table.rowCount() == 1 and "شماره تلفن یکسان" in dialog.table.item(0, 4).text()
        dialog._finish(choice)
        return 1

    monkeypatch.setattr(dup.DuplicatesDialog, "exec", answer)
    type_text(new_form.details.last_name, "کریمی نو")
    type_text(new_form.details.phones.rows[0][1][1], "09121234567")
    type_text(new_form.details.emails.rows[0][1][0], "new@example.ir")
    saved = new_form.save()
    total = services.identities.count(admin, IdentityQuery())
    if choice == dup.CREATE:
        assert saved and total == 2
    else:
        assert not saved and total == 1 and opened == [existing.id]
    if choice == dup.MERGE:
        assert services.identities.get(admin, existing.id).emails == ["new@example.ir"]


def test_convert_with_an_opportunity_and_unqualify(qtbot, services, admin, monkeypatch) -> None:
    lead = services.identities.create(admin, IdentityData(last_name="سرنخ"))
    form = IdentityForm(services, admin, lead.id)
    qtbot.addWidget(form)

    def accept(dialog) -> int:
        dialog.with_opportunity.setChecked(True)
        type_text(dialog.title, "فروش پرینتر")
        type_text(dialog.amount, "۱۲۰۰۰۰۰")
        assert dialog.words.text() == "یک میلیون و دویست هزار ریال"
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(ConvertDialog, "exec", accept)
    form.unqualify_button.click()
    assert form.detail.role is IdentityRole.UNQUALIFIED and form.unqualify_button.text() == "بازگرداندن به سرنخ"
    form.convert_button.click()
    assert form.detail.role is IdentityRole.CONTACT and not form.convert_button.isVisibleTo(form)
    form.tabs.setCurrentWidget(form.opportunities)
    qtbot.waitUntil(lambda: form.opportunities.table.rowCount() == 1)  # read off the GUI thread
    assert form.opportunities.table.item(0, 0).text() == "فروش پرینتر"
    form.tabs.setCurrentWidget(form.timeline)
    titles = [form.timeline.table.item(r, 2).text() for r in range(form.timeline.table.rowCount())]
    assert "فروش پرینتر" in titles and "ثبت هویت" in titles
    form.show()  # the history is read off the GUI thread, once its tab is seen
    form.tabs.setCurrentWidget(form.history)
    qtbot.waitUntil(lambda: form.history.history.rows() >= 3)
    assert form.history.history.rows() >= 3


def test_editing_saves_with_the_loaded_version_and_history_tab_offers_undo_merge(qtbot, services, admin) -> None:
    a = services.identities.create(admin, IdentityData(last_name="اصلی", phones=[PhoneData("09121234567")]))
    b = services.identities.create(
        admin, IdentityData(last_name="تکراری", phones=[PhoneData("09350000000")]), allow_duplicates=True
    )
    services.identity_merge.merge(admin, a.id, b.id, set())
    form = IdentityForm(services, admin, a.id)
    qtbot.addWidget(form)
    type_text(form.details.first_name, "رضا")
    assert form.save() and services.identities.get(admin, a.id).first_name == "رضا"
    form.tabs.setCurrentWidget(form.history)
    assert form.history.merges.count() == 1 and form.history.merges_box.isVisibleTo(form)
    form.history.merges.setCurrentRow(0)
    form.history.undo_button.click()
    assert services.identities.get(admin, b.id).merged_into_id is None
    assert [p.number for p in form.detail.phones] == ["09121234567"]
    merged_view = IdentityForm(services, admin, b.id)
    qtbot.addWidget(merged_view)
    assert not merged_view.merged_banner.isVisibleTo(merged_view)
