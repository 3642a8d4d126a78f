"""Seed 003, «ثبت فرصت», field by field, as an own-documents sales rep fills the opportunity form:

A. «مرتبط با»: part of the customer's name typed, the customer picked from the suggestions.
B. «مشخصات»: title, type («سفارش انبوه»), assigned to, team, source, campaign, medium, referrer, the
   expected close date typed in Jalali, the estimated amount typed in Persian digits (said in words),
   probability set by hand, priority, tags, buying process, price list, description.
C. «مشخصات اضافه»: the administrator's extra fields (the seed's «شیوه پرداخت», a number, a date).
D. «رقبا»: a competitor ticked.
E. «محصولات فرصت»: a product found by code (its stock shown), one within its group «گروه», the
   built-in «سایر» described and priced by hand; quantities, a discount in Persian digits; the amount
   becomes their sum.
Saved, the tab closed and the opportunity opened again: every value is back and the balance «مانده»
reads «بی‌حساب»; an invoice from the opportunity makes it the invoice's debt, a receipt lowers it; won
with its reason, the result date is written by itself. Wrong input is refused with a
Persian message beside its field, and nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from app.models.enums import CustomFieldKind
from app.persian import format_money, parse_date
from app.persian.jalali import format_date
from app.services.catalog.products import ProductData
from app.services.identities.records import IdentityData
from app.ui.documents.invoice_form import InvoiceForm
from app.ui.documents.receipt_form import ReceiptForm
from app.ui.opportunities.close_dialogs import WonDialog
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.ui.persian_typing import type_text


@pytest.fixture
def office(sales):
    """What the administrator set up before the rep starts: the pick lists, a price list, extra fields
    and a referrer the rep may see."""
    s, admin = sales.services, sales.admin
    for kind, name in (
        ("sources", "نمایشگاه"),
        ("campaigns", "کمپین پاییز"),
        ("media", "تلفن"),
        ("competitors", "شرکت رقیب"),
        ("competitors", "شرکت بتا"),
    ):
        s.sales_lists.save_item(admin, kind, name)
    s.price_lists.save_list(admin, "عمده‌فروشی")
    metal = s.products.save_group(admin, "محصولات فلزی")
    for code, name, group in (("S-3", "سنسور فشار", metal), ("S-4", "سنسور دما", None)):
        s.products.save(admin, ProductData(code=code, name=name, group_id=group, default_price=2_500_000))
    fields = {
        "payment": s.custom_fields.save_field(admin, "شیوه پرداخت", CustomFieldKind.CHOICE, ("نقدی", "اقساطی")),
        "devices": s.custom_fields.save_field(admin, "تعداد دستگاه", CustomFieldKind.NUMBER),
        "meeting": s.custom_fields.save_field(admin, "تاریخ جلسه بعدی", CustomFieldKind.DATE),
    }
    referrer = s.identities.create(sales.rep, IdentityData(first_name="رضا", last_name="معرفی"))
    return fields | {"referrer": referrer.id}


def choose(combo: QComboBox, text: str) -> None:
    """Picks the item the user reads."""
    index = combo.findText(text)
    assert index >= 0, f"«{text}» is not offered"
    combo.setCurrentIndex(index)


def pick_suggestion(qtbot, edit: QLineEdit, typed: str, label: str) -> None:
    """Types into a field with suggestions and picks one, as from its popup."""
    edit.setFocus()
    type_text(edit, typed)
    qtbot.waitUntil(lambda: label in edit.completer().model().stringList(), timeout=3_000)
    edit.completer().activated.emit(label)


def type_date(qtbot, edit, text: str) -> None:
    line = edit.lineEdit()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(line.width() // 2, line.height() // 2))
    type_text(edit, text)


def type_number(spin, text: str) -> None:
    """Types over a spin box's number, in Persian digits as the user sees them."""
    spin.lineEdit().selectAll()
    type_text(spin.lineEdit(), text)
    spin.interpretText()


def extra(form: OpportunityForm, field_id):
    return form.extra.editors[str(field_id)]


def errors(form: OpportunityForm) -> dict[str, str]:
    return {k: r.error.text() for k, r in form.rows.items() if r.error.text()}


def test_every_field_of_the_opportunity_form_comes_back(qtbot, tabs, sales, office, yes) -> None:
    form = tabs.open_record("opportunity", None)
    assert isinstance(form, OpportunityForm)

    # A. related identity: part of the name typed, the customer picked
    pick_suggestion(qtbot, form.identity, "آلفا", "شرکت آلفا")
    assert form.identity.identity_id() == sales.customer

    # B. the main fields
    type_text(form.title_edit, "فروش ۵۰ دستگاه پرینتر")
    choose(form.type, "سفارش انبوه")
    choose(form.owner, "rep one")
    choose(form.team, "تیم فروش تهران")
    choose(form.source, "نمایشگاه")
    choose(form.campaign, "کمپین پاییز")
    choose(form.medium, "تلفن")
    pick_suggestion(qtbot, form.referrer, "معرفی", "رضا معرفی")
    type_date(qtbot, form.expected_close, "۱۴۰۵/۱۰/۱۵")
    type_text(form.amount.edit, "۱۲۵۰۰۰۰۰۰")
    assert form.amount.edit.text() == "۱۲۵٬۰۰۰٬۰۰۰"
    assert form.amount.words.text() == "یکصد و بیست و پنج میلیون ریال"
    form.probability_auto.click()
    assert form.probability.isEnabled()
    type_number(form.probability, "۶۰")
    choose(form.priority, "★★")
    type_text(form.tags, "عمده، تهران")
    choose(form.buying, "گروهی")
    choose(form.price_list, "عمده‌فروشی")
    type_text(form.description, "مشتری پیش‌پرداخت می‌دهد")

    # C. extra fields
    choose(extra(form, office["payment"]), "اقساطی")
    type_text(extra(form, office["devices"]), "۵۰")
    type_date(qtbot, extra(form, office["meeting"]), "۱۴۰۵/۰۹/۲۰")

    # D. a competitor
    rivals = {form.competitors.item(i).text(): form.competitors.item(i) for i in range(form.competitors.count())}
    rivals["شرکت رقیب"].setCheckState(Qt.CheckState.Checked)

    # E. products: by code with its stock, within a group, «سایر» described; the amount becomes their sum
    pick_suggestion(qtbot, form.lines.product, "P-1", "P-1 — پرینتر لیزری")
    assert form.lines.stock.text().startswith("موجودی: ۴۰")
    type_number(form.lines.quantity, "۲")
    type_text(form.lines.discount, "۵٬۰۰۰٬۰۰۰")
    form.lines.add_button.click()
    choose(form.lines.group, "محصولات فلزی")
    pick_suggestion(qtbot, form.lines.product, "سنسور", "S-3 — سنسور فشار")
    assert form.lines.product.completer().model().stringList() == ["S-3 — سنسور فشار"]  # only the group's sensor
    type_number(form.lines.quantity, "۱۰")
    form.lines.add_button.click()
    choose(form.lines.group, "همه گروه‌ها")
    pick_suggestion(qtbot, form.lines.product, "سایر", "0 — سایر")
    type_text(form.lines.description, "نصب و راه‌اندازی")
    type_text(form.lines.unit_price, "۳۰۰۰۰۰۰")
    form.lines.add_button.click()
    total = 2 * 185_000_000 - 5_000_000 + 10 * 2_500_000 + 3_000_000
    assert form.lines.table.rowCount() == 3 and form.amount.value() == total
    assert form.amount.edit.isReadOnly()

    form.save_button.click()
    assert form.detail is not None, errors(form)
    saved_id = form.detail.id
    assert tabs.close_tab(tabs.indexOf(form)) and tabs.count() == 0

    again = tabs.open_record("opportunity", saved_id)
    assert again.identity.text() == "شرکت آلفا" and again.identity.identity_id() == sales.customer
    assert again.title_edit.text() == "فروش ۵۰ دستگاه پرینتر"
    for combo, text in (
        (again.type, "سفارش انبوه"),
        (again.owner, "rep one"),
        (again.team, "تیم فروش تهران"),
        (again.source, "نمایشگاه"),
        (again.campaign, "کمپین پاییز"),
        (again.medium, "تلفن"),
        (again.priority, "★★"),
        (again.buying, "گروهی"),
        (again.price_list, "عمده‌فروشی"),
        (extra(again, office["payment"]), "اقساطی"),
    ):
        assert combo.currentText() == text
    assert again.referrer.text() == "رضا معرفی" and again.referrer.identity_id() == office["referrer"]
    assert again.expected_close.date_value() == parse_date("1405/10/15")
    assert again.amount.value() == total and again.amount.edit.isReadOnly()
    assert not again.probability_auto.isChecked() and again.probability.value() == 60
    assert set(again.tags.text().split("، ")) == {"عمده", "تهران"}
    assert again.description.toPlainText() == "مشتری پیش‌پرداخت می‌دهد"
    assert extra(again, office["devices"]).text() == "۵۰"
    assert extra(again, office["meeting"]).date_value() == parse_date("1405/09/20")
    ticked = [
        again.competitors.item(i).text()
        for i in range(again.competitors.count())
        if again.competitors.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert ticked == ["شرکت رقیب"]
    lines = [
        [again.lines.table.item(r, c).text() for c in (0, 2, 4, 5, 6)] for r in range(again.lines.table.rowCount())
    ]
    assert lines == [
        ["P-1", "۲", "۱۸۵٬۰۰۰٬۰۰۰", "۵٬۰۰۰٬۰۰۰", "۳۶۵٬۰۰۰٬۰۰۰"],
        ["S-3", "۱۰", "۲٬۵۰۰٬۰۰۰", "۰", "۲۵٬۰۰۰٬۰۰۰"],
        ["0", "۱", "۳٬۰۰۰٬۰۰۰", "۰", "۳٬۰۰۰٬۰۰۰"],
    ]
    assert again.lines.table.item(2, 1).text() == "نصب و راه‌اندازی"
    assert again.balance.text() == "مانده: بی‌حساب" and not again.is_dirty()

    # «مانده»: an invoice from the opportunity makes the customer owe it; a receipt lowers the debt
    again.documents.invoice_button.click()
    invoice = tabs.currentWidget()
    assert isinstance(invoice, InvoiceForm)
    invoice.buttons["issue"].click()
    invoiced = invoice._view.totals.total
    assert invoice._view.is_issued and invoiced > total  # the lines, with VAT
    invoice.buttons["receipt"].click()
    receipt = tabs.currentWidget()
    assert isinstance(receipt, ReceiptForm)
    receipt.amount.edit.clear()
    type_text(receipt.amount.edit, "۵۰۰۰۰۰۰")
    receipt.auto.click()
    receipt.buttons["save"].click()
    tabs.setCurrentWidget(again)
    owed = f"مانده: {format_money(invoiced - 5_000_000)} بدهکار"
    qtbot.waitUntil(lambda: again.balance.text() == owed)  # read off the GUI thread when the tab is shown

    # «دلیل موفقیت» chosen when it is won; «تاریخ موفقیت» is written by itself
    def accept_won() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WonDialog)
        choose(dialog.reason, "سابقه همکاری")
        dialog.accept()

    QTimer.singleShot(0, accept_won)
    again.won_button.click()
    assert again.detail.closed_on == dt.date.today()
    assert format_date(dt.date.today()) in again.result.text() and "دلیل: سابقه همکاری" in again.result.text()


def test_wrong_input_is_refused_beside_its_field_and_nothing_typed_is_lost(qtbot, tabs, sales, office) -> None:
    form = tabs.open_record("opportunity", None)
    type_text(form.title_edit, "   ")
    type_text(form.amount.edit, "۱۲ میلیون")
    type_text(extra(form, office["devices"]), "پنجاه")
    type_text(form.tags, "عمده")
    form.save_button.click()
    assert form.detail is None
    assert errors(form) == {"amount": "عدد نامعتبر است"} == {"amount": form.amount.words.text()}
    assert form.focusWidget() is form.amount.edit

    form.amount.edit.clear()
    type_text(form.amount.edit, "۱۲۰۰۰۰۰۰")
    form.save_button.click()
    assert form.detail is None
    assert errors(form) == {
        "identity_id": "هویت مرتبط را انتخاب کنید.",
        "title": "عنوان فرصت را وارد کنید.",
        f"extra:{office['devices']}": "عدد معتبر وارد کنید.",
    }
    assert form.focusWidget() is form.identity  # the first field at fault
    assert form.title_edit.text() == "   " and form.tags.text() == "عمده"
    assert form.amount.value() == 12_000_000 and extra(form, office["devices"]).text() == "پنجاه"

    pick_suggestion(qtbot, form.identity, "آلفا", "شرکت آلفا")
    form.title_edit.clear()
    type_text(form.title_edit, "تمدید قرارداد")
    extra(form, office["devices"]).clear()
    type_text(extra(form, office["devices"]), "۱۲")
    type_date(qtbot, form.expected_close, "۱۴۰۴/۱۲/۳۰")  # 1404 is no leap year
    form.save_button.click()
    assert form.detail is None and form.expected_close.typing.error() == "تاریخ نامعتبر است"
    assert form.title_edit.text() == "تمدید قرارداد" and form.tags.text() == "عمده"

    qtbot.keyClick(form.expected_close, Qt.Key.Key_Escape)  # drops the refused date
    type_date(qtbot, form.expected_close, "۱۴۰۵/۰۱/۱۵")
    form.save_button.click()
    assert form.detail is not None, errors(form)
    assert errors(form) == {}
    assert (form.detail.title, form.detail.amount, form.detail.tags) == ("تمدید قرارداد", 12_000_000, ("عمده",))
    assert form.detail.extra == {str(office["devices"]): 12}
