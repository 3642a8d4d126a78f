"""Seed 000, «ROAD MAP کارشناس فروش», as the sales rep lives it (an own-documents user), through the
windows a rep clicks:

1. A caller leaves only a phone number: the rep types it into a new identity page and saves a lead,
   shown everywhere by that number («تنها یک شماره تماس یا یک وبسایت داریم»). Converting it is
   refused while it has no name.
2. Details are added on «مشخصات» (a name, an e-mail); the page is now called by the name.
3. Qualified, the lead is converted to a contact («تبدیل به مخاطب»).
4. From the identity page «+ فرصت» opens a new opportunity for it; the rep adds the products and saves.
5. The opportunity's work is recorded in its «فعالیت‌ها»: a call with its result, a meeting held, a
   note, and a file attached («پیوست‌ها»).
6. On the opportunity «صدور پیش‌فاکتور» copies the products into a quote, which is sent and accepted;
   accepting closes the opportunity as won with the quote's amount.
7. From the accepted quote «صدور صورتحساب» makes the invoice, which is issued.
8. The customer pays part of it by a cheque (Sayad id, bank, due date): «ثبت دریافت» on the invoice,
   allocated to it.
9. One line (the cables) comes back: «برگشت از فروش» on the invoice, the other line left at zero.
10. The customer has now paid more than they owe: «استرداد وجه» on the return pays the difference back.

After every step the identity's and the opportunity's balances (مانده) are checked as the pages show
them and as the balance service computes them, and the newest items of the identity's «سوابق»
(timeline) as the tab lists them. Nothing is owed until the invoice is issued; the cheque leaves
۵٬۰۰۰٬۰۰۰ ریال owed; the return turns it to a credit; the refund settles it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog

from app.models import OpportunityStatus
from app.models.enums import ActivityKind, ChequeState, IdentityRole, MoneyDirection, PaymentMethod, QuoteState
from app.persian import format_money, to_persian_digits
from app.services.catalog.products import ProductQuery
from app.ui.activities.activity_actions import DoneDialog
from app.ui.activities.activity_dialog import ActivityDialog
from app.ui.documents.invoice_form import InvoiceForm
from app.ui.documents.quote_form import QuoteForm
from app.ui.documents.receipt_form import ReceiptForm
from app.ui.documents.return_form import ReturnForm
from app.ui.identities.identity_form import ConvertDialog, IdentityForm
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.conftest import TEST_OUTPUT
from tests.ui.activity_ui import when_dialog
from tests.ui.persian_typing import type_text

PHONE = "۰۹۱۲۳۴۵۶۷۸۹"
STILL_OWED = 5_000_000  # what the cheque leaves unpaid


@pytest.fixture
def window(qtbot, sales):
    configure_application(QApplication.instance())
    tabs = RecordTabs()
    tabs.resize(1300, 900)
    qtbot.addWidget(tabs)
    tabs.attach(sales.services, sales.rep)
    tabs.show()
    return tabs


def shown(balance: int) -> str:
    """The balance as the pages show it."""
    if balance == 0:
        return "مانده: بی‌حساب"
    return f"مانده: {format_money(abs(balance))} {'بدهکار' if balance > 0 else 'بستانکار'}"


def numbered(label: str, number: int | None) -> str:
    return f"{label} شماره {to_persian_digits(str(number))}"


def test_a_lead_with_only_a_phone_becomes_a_customer_pays_returns_and_is_refunded(
    qtbot, window, sales, yes, tmp_path
) -> None:
    services, rep = sales.services, sales.rep

    def check(balance: int, newest: list[tuple[str, str]], deal: OpportunityForm | None = None) -> None:
        """Both balances, by the service and as the pages show them, and the timeline's newest items."""
        assert services.balances.identity_balance(rep, page.identity_id).balance == balance
        window.setCurrentIndex(window.indexOf(page))
        qtbot.waitUntil(lambda: page.balance_label.text() == shown(balance))  # read off the GUI thread
        if deal is not None:
            assert services.balances.opportunity_balance(rep, deal.detail.id).balance == balance
            window.setCurrentIndex(window.indexOf(deal))
            qtbot.waitUntil(lambda: deal.balance.text() == shown(balance))  # a background tab catches up when shown
        page.tabs.setCurrentWidget(page.timeline)
        table = page.timeline.table
        listed = [(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())]
        assert listed[: len(newest)] == newest

    # 1. the lead: only a phone number, typed into a new identity page
    page = window.open_record("identity", None)
    assert isinstance(page, IdentityForm)
    type_text(page.details.phones.rows[0][1][1], PHONE)
    assert page.save()
    lead = services.identities.get(rep, page.identity_id)
    assert lead.role is IdentityRole.LEAD and lead.owner_id == rep.user_id and lead.display_name == PHONE
    assert window.tabText(window.indexOf(page)) == PHONE and page.details.last_name.text() == ""
    check(0, [("هویت", "ثبت هویت")])

    page.convert_button.click()  # a contact needs a name: said beside the name field, before any question
    assert page.details.fields["last_name"].error.text() == "پیش از تبدیل به مخاطب، نام هویت را در «جزئیات» وارد کنید."
    assert page.tabs.currentWidget() is page.details
    assert services.identities.get(rep, lead.id).role is IdentityRole.LEAD

    # 2. details added: a name and an e-mail
    type_text(page.details.first_name, "مهدی")
    type_text(page.details.last_name, "کاظمی")
    type_text(page.details.emails.add_row()[0], "kazemi@example.ir")
    assert page.save()
    assert window.tabText(window.indexOf(page)) == "مهدی کاظمی"
    assert services.identities.get(rep, lead.id).display_name == "مهدی کاظمی"
    check(0, [("هویت", "ثبت هویت")])

    # 3. qualified: converted to a contact
    def convert(dialog: ConvertDialog) -> None:
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    failures = when_dialog(ConvertDialog, convert)
    page.convert_button.click()
    assert not failures, failures
    assert services.identities.get(rep, lead.id).role is IdentityRole.CONTACT
    check(0, [("هویت", "تغییر نقش از «سرنخ» به «مخاطب»")])

    # 4. an opportunity from the identity page, with its products
    page.quick.opportunity_button.click()
    deal = window.currentWidget()
    assert isinstance(deal, OpportunityForm) and deal.identity.identity_id() == lead.id
    type_text(deal.title_edit, "پرینتر و کابل‌کشی")
    for code, quantity in (("P-1", 2), ("C-2", 50)):
        deal.lines.choose(services.products.search(rep, ProductQuery(text=code))[0])
        deal.lines.quantity.setValue(quantity)
        assert deal.lines.add_current()
    assert deal.save()
    opportunity_id = deal.detail.id
    assert deal.detail.amount == 2 * 185_000_000 + 50 * 180_000
    check(0, [("فرصت", "پرینتر و کابل‌کشی")], deal)

    # 5. the work on the opportunity: a call and a meeting with their results, a note, a file
    window.setCurrentIndex(window.indexOf(deal))
    deal.tabs.setCurrentWidget(deal.activities)
    for kind, summary, result in (
        (ActivityKind.CALL, "تماس معرفی محصول", "مشتری نمونه خواست"),
        (ActivityKind.MEETING, "جلسه نمایش پرینتر", "پرینتر پسندیده شد"),
    ):
        plan_and_do(qtbot, deal, kind, summary, result)
    write_note(deal, "تخفیف نقدی خواست")
    drawing = tmp_path / "نقشه کابل‌کشی.pdf"
    drawing.write_bytes(b"%PDF-1.4 plan")
    assert deal.activities.files.add_files([drawing]) == 1
    check(
        0,
        [
            ("فایل", "نقشه کابل‌کشی.pdf"),
            ("یادداشت", "تخفیف نقدی خواست"),
            ("جلسه", "جلسه نمایش پرینتر"),
            ("تماس", "تماس معرفی محصول"),
        ],
        deal,
    )
    assert page.timeline.table.item(0, 3).text() == "پیوست به فرصت «پرینتر و کابل‌کشی»"
    assert page.timeline.table.item(3, 3).text() == "انجام‌شده · مشتری نمونه خواست"

    # 6. the quote from the opportunity, sent and accepted: the opportunity is won
    window.setCurrentIndex(window.indexOf(deal))
    deal.documents.quote_button.click()
    quote = window.currentWidget()
    assert isinstance(quote, QuoteForm) and quote._view.opportunity_id == opportunity_id
    assert [(line.quantity, line.unit_price) for line in quote._view.lines] == [(2, 185_000_000), (50, 180_000)]
    quote.buttons["send"].click()
    quote.buttons["accept"].click()
    assert quote._view.state is QuoteState.ACCEPTED
    won = services.opportunity_records.get(rep, opportunity_id)
    assert won.status is OpportunityStatus.WON and won.won_amount == quote._view.totals.total
    check(0, [("پیش‌فاکتور", numbered("پیش‌فاکتور", quote._view.number))], deal)  # a proposal, not a debt
    assert page.timeline.table.item(0, 3).text() == f"پذیرفته‌شده · {format_money(quote._view.totals.total)}"
    rows = timeline_rows(page)
    won_row = rows.index(("فرصت", "پرینتر و کابل‌کشی"))
    assert page.timeline.table.item(won_row, 3).text().startswith("برنده")
    assert page.timeline.table.item(won_row, 3).text().endswith(format_money(won.won_amount))  # not the estimate

    # 7. the invoice from the accepted quote, issued: the customer owes its total
    window.setCurrentIndex(window.indexOf(quote))
    quote.buttons["invoice"].click()
    invoice = window.currentWidget()
    assert isinstance(invoice, InvoiceForm) and invoice._view.quote_id == quote._view.id
    invoice.buttons["issue"].click()
    total = invoice._view.totals.total
    assert invoice._view.is_issued and total == quote._view.totals.total
    assert services.identities.get(rep, lead.id).role is IdentityRole.CUSTOMER
    invoice_title = numbered("صورتحساب", invoice._view.number)
    check(total, [], deal)
    assert ("صورتحساب", invoice_title) in timeline_rows(page)[:2]  # beside «… به «مشتری»», same moment

    deal.tabs.setCurrentWidget(deal.documents.tab)
    qtbot.waitUntil(lambda: len(deal.documents.tab.entries) == 2)
    listed = sorted((e.label, e.state) for e in deal.documents.tab.entries)
    assert listed == [("صورتحساب", "پرداخت‌نشده"), ("پیش‌فاکتور", "پذیرفته‌شده")]
    assert deal.documents.tab.balance.text() == shown(total)

    # 8. part paid by a cheque, allocated to the invoice
    window.setCurrentIndex(window.indexOf(invoice))
    invoice.buttons["receipt"].click()
    receipt = window.currentWidget()
    assert isinstance(receipt, ReceiptForm) and receipt.amount.value() == total
    receipt.amount.set_value(None)
    type_text(receipt.amount.edit, to_persian_digits(str(total - STILL_OWED)))
    receipt.method.setCurrentIndex(receipt.method.findData(PaymentMethod.CHEQUE))
    type_text(receipt.cheque.number, "۴۵۶۷۸۹")
    type_text(receipt.cheque.sayad, "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶")
    type_text(receipt.cheque.bank, "ملت")
    receipt.cheque.due.set_date_value(dt.date.today() + dt.timedelta(days=30))
    receipt.auto.click()  # «تخصیص خودکار»: the typed amount goes to the invoice
    receipt.buttons["save"].click()
    cheque = receipt._view
    assert cheque is not None and cheque.cheque_state is ChequeState.RECEIVED and cheque.cheque_bank == "ملت"
    assert [(a.invoice_id, a.amount) for a in cheque.allocations] == [(invoice._view.id, total - STILL_OWED)]
    check(STILL_OWED, [("دریافت", numbered("دریافت", cheque.number))], deal)
    assert page.timeline.table.item(0, 3).text() == f"چک دریافت‌شده · {format_money(total - STILL_OWED)}"

    # 9. the cables come back: one line returned
    window.setCurrentIndex(window.indexOf(invoice))
    invoice.buttons["return"].click()
    returned = window.currentWidget()
    assert isinstance(returned, ReturnForm) and returned.table.rowCount() == 2
    returned.table.item(0, 6).setText("۰")  # the printers stay
    returned.buttons["issue"].click()
    assert returned._view.is_issued and [line.quantity for line in returned._view.lines] == [50]
    credit = returned._view.totals.total
    assert credit == invoice._view.lines[1].total > STILL_OWED  # the cables' line with its VAT
    check(STILL_OWED - credit, [("برگشت از فروش", numbered("برگشت از فروش", returned._view.number))], deal)
    paid, back = format_money(total - STILL_OWED), format_money(credit)
    assert f"پرداخت‌شده · {format_money(total)} · دریافت‌شده {paid} · برگشت‌شده {back}" in timeline_details(page)

    # 10. the customer has paid more than they owe: the difference is paid back
    returned.buttons["refund"].click()
    refund = window.currentWidget()
    assert isinstance(refund, ReceiptForm) and refund.amount.value() == credit
    refund.amount.set_value(None)
    type_text(refund.amount.edit, to_persian_digits(str(credit - STILL_OWED)))
    refund.buttons["save"].click()
    assert refund._view is not None and refund._view.direction is MoneyDirection.OUT
    check(0, [("پرداخت", numbered("پرداخت", refund._view.number))], deal)
    assert page.timeline.table.item(0, 3).text().endswith("بازپرداخت برگشت از فروش")

    window.setCurrentIndex(window.indexOf(page))
    TEST_OUTPUT.mkdir(exist_ok=True)
    window.grab().save(str(TEST_OUTPUT / "seed_000_timeline.png"))  # the whole story in «سوابق»
    page.tabs.setCurrentWidget(page.documents)
    qtbot.waitUntil(lambda: len(page.documents.entries) == 5)
    assert {e.label for e in page.documents.entries} == {"پیش‌فاکتور", "صورتحساب", "دریافت", "برگشت از فروش", "پرداخت"}
    assert page.documents.balance.text() == "مانده: بی‌حساب"


def timeline_details(page: IdentityForm) -> list[str]:
    return [page.timeline.table.item(r, 3).text() for r in range(page.timeline.table.rowCount())]


def timeline_rows(page: IdentityForm) -> list[tuple[str, str]]:
    table = page.timeline.table
    return [(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())]


def plan_and_do(qtbot, deal: OpportunityForm, kind: ActivityKind, summary: str, result: str) -> None:
    """«+ فعالیت» on the opportunity (today), then «انجام شد…» with its result."""

    def fill(dialog: ActivityDialog) -> None:
        types = [dialog.type_box.itemData(i) for i in range(dialog.type_box.count())]
        dialog.type_box.setCurrentIndex(next(i for i, t in enumerate(types) if t.is_builtin and t.kind is kind))
        type_text(dialog.summary, summary)
        dialog.date.set_date_value(dt.date.today())
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    failures = when_dialog(ActivityDialog, fill)
    deal.activities.plan_button.click()
    assert not failures, failures
    tree = deal.activities.tree
    planned = tree.topLevelItem(0)
    item = next(planned.child(i) for i in range(planned.childCount()) if planned.child(i).text(0) == summary)
    tree.setCurrentItem(item)

    def answer(dialog: DoneDialog) -> None:
        type_text(dialog.result_edit, result)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    failures = when_dialog(DoneDialog, answer)
    deal.activities.done_button.click()
    assert not failures, failures


def write_note(deal: OpportunityForm, text: str) -> None:
    """«+ یادداشت»: the text typed into the box it asks with."""

    def answer(dialog: QInputDialog) -> None:
        dialog.setTextValue(text)
        dialog.accept()

    failures = when_dialog(QInputDialog, answer)
    deal.activities.note_button.click()
    assert not failures, failures
