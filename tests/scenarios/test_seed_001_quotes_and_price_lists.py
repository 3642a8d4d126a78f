"""Seed 001, the opportunity's road from price list to result, through the windows a user clicks.

The administrator prepares the catalogue: the laptop C-2001 at 480,000,000 Rial, a retail list (the
default) and a wholesale list that sells it at 441,600,000. Then the sales rep (an own-documents
user) works one customer:

1. A new opportunity: the rep sets the price list first («مشخص کنید با توجه به چه لیست قیمتی قرار
   است فروش انجام شود»), then adds the products; they are priced at the wholesale list.
2. «صدور پیش‌فاکتور» copies the products into a quote, which is sent; the customer says no.
   The rep gives a discount on the opportunity and issues a second quote; no again. A bigger order
   makes the third.
3. The customer accepts the last quote: the program offers to close the opportunity as won, which
   records today as the won date and the quote's total as the amount. The «اسناد» tab lists the
   three quotes with their answers.
4. Another opportunity of the same customer is lost: the rep gives the reason and the competitor
   who won it. Later the customer comes back: the rep restores it to a stage and it is open again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QPushButton, QTabWidget

from app.models import OpportunityStatus
from app.models.enums import QuoteState
from app.persian import format_number
from app.services.documents.quotes import QuoteQuery
from app.ui.catalog.catalog_dialogs import CatalogDialog, ProductDialog
from app.ui.documents.quote_form import QuoteForm
from app.ui.opportunities.close_dialogs import LostDialog, RestoreDialog
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.ui.activity_ui import when_dialog
from tests.ui.line_editing import pick_product, type_in_cell
from tests.ui.persian_typing import type_text

LAPTOP, WHOLESALE = 480_000_000, 441_600_000  # the product's own price is the retail one
DISCOUNT = 5  # the discount column of the opportunity's products


@pytest.fixture
def tabs(qtbot, sales):
    configure_application(QApplication.instance())
    window = RecordTabs()
    window.resize(1300, 900)
    qtbot.addWidget(window)
    window.attach(sales.services, sales.rep)
    window.show()
    return window


@pytest.fixture
def asked(monkeypatch):
    """Every question the program asks is answered yes; what it asked is kept."""
    questions: list[str] = []

    def question(_parent, _title, text, *_a, **_k):
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return questions


def click(widget, text: str) -> None:
    next(b for b in widget.findChildren(QPushButton) if b.text() == text).click()


def prepare_the_catalogue(qtbot, sales, monkeypatch) -> None:
    """The administrator's part: the product and the two price lists, in «محصولات و لیست‌های قیمت»."""
    catalog = CatalogDialog(sales.services, sales.admin)
    qtbot.addWidget(catalog)
    catalog.show()

    def fill(dialog: ProductDialog) -> None:
        type_text(dialog.code, "C-2001")
        type_text(dialog.name, "لپ‌تاپ ایسوس ویووبوک ۱۵")
        type_text(dialog.price.edit, str(LAPTOP))
        dialog.buttons.accepted.emit()

    failures = when_dialog(ProductDialog, fill)
    click(catalog.products, "محصول تازه…")
    assert not failures, failures

    catalog.findChild(QTabWidget).setCurrentWidget(catalog.prices)  # the «لیست‌های قیمت» tab
    prices = catalog.prices
    for name in ("خرده‌فروشی", "عمده‌فروشی"):
        monkeypatch.setattr(QInputDialog, "getText", lambda *_a, name=name, **_k: (name, True))
        click(prices, "لیست تازه…")
        if name == "خرده‌فروشی":
            click(prices, "پیش‌فرض شود")
    prices.lists.setCurrentIndex(prices.lists.findText("عمده‌فروشی"))
    row = next(r for r in range(prices.table.rowCount()) if prices.table.item(r, 0).text() == "C-۲۰۰۱")
    type_in_cell(qtbot, prices.table, row, 3, "۴۴۱۶۰۰۰۰۰")
    assert prices.table.item(row, 3).text() == format_number(WHOLESALE)
    catalog.close()


def open_opportunity(tabs, sales, title: str) -> OpportunityForm:
    form = tabs.open_record("opportunity", None)
    assert isinstance(form, OpportunityForm)
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, title)
    return form


def issue_quote(tabs, form: OpportunityForm) -> QuoteForm:
    tabs.setCurrentIndex(tabs.indexOf(form))
    form.documents.quote_button.click()
    quote = tabs.currentWidget()
    assert isinstance(quote, QuoteForm) and quote._view.opportunity_id == form.detail.id
    quote.buttons["send"].click()
    assert quote._view.state is QuoteState.SENT
    return quote


def test_three_quotes_the_last_one_wins_another_deal_is_lost_and_restored(
    qtbot, tabs, sales, asked, monkeypatch
) -> None:
    services, rep = sales.services, sales.rep
    prepare_the_catalogue(qtbot, sales, monkeypatch)

    # 1. the opportunity: the price list first, then the products
    deal = open_opportunity(tabs, sales, "لپ‌تاپ برای واحد فروش")
    deal.price_list.setCurrentIndex(deal.price_list.findText("عمده‌فروشی"))
    pick_product(qtbot, deal.lines.product, "C-2001")
    assert deal.lines.unit_price.text() == format_number(WHOLESALE)
    deal.lines.quantity.setValue(5)
    deal.lines.add_button.click()
    assert deal.save()
    assert [(line.unit_price, line.quantity) for line in deal.detail.lines] == [(WHOLESALE, 5)]
    assert deal.detail.amount == 5 * WHOLESALE

    # 2. three quotes while the customer negotiates
    first = issue_quote(tabs, deal)
    assert [(line.unit_price, line.quantity) for line in first._view.lines] == [(WHOLESALE, 5)]
    first.buttons["reject"].click()
    tabs.setCurrentIndex(tabs.indexOf(deal))
    type_in_cell(qtbot, deal.lines.table, 0, DISCOUNT, "۱۰۰۰۰۰۰۰۰")
    second = issue_quote(tabs, deal)  # the pending discount is saved on the way
    assert [line.discount for line in second._view.lines] == [100_000_000]
    second.buttons["reject"].click()
    tabs.setCurrentIndex(tabs.indexOf(deal))
    type_in_cell(qtbot, deal.lines.table, 0, 2, "۶")
    third = issue_quote(tabs, deal)
    assert [(line.quantity, line.discount) for line in third._view.lines] == [(6, 100_000_000)]
    assert len(services.quotes.search(rep, QuoteQuery(opportunity_id=deal.detail.id))) == 3

    # 3. the last quote accepted: the opportunity is won, today, at the quote's total
    third.buttons["accept"].click()
    assert asked[-1] == "فرصت «لپ‌تاپ برای واحد فروش» هم به‌عنوان «برنده» بسته شود؟"
    assert third._view.state is QuoteState.ACCEPTED
    won = services.opportunity_records.get(rep, deal.detail.id)
    total = third._view.totals.total
    assert won.status is OpportunityStatus.WON and won.closed_on == dt.date.today() and won.won_amount == total
    tabs.setCurrentIndex(tabs.indexOf(deal))
    assert (
        deal.result.text().startswith("برنده در ") and f"مبلغ نهایی: {format_number(total)} ریال" in deal.result.text()
    )
    assert not deal.won_button.isVisibleTo(deal) and not deal.lost_button.isVisibleTo(deal)
    deal.tabs.setCurrentWidget(deal.documents.tab)
    qtbot.waitUntil(lambda: len(deal.documents.tab.entries) == 3)  # read off the GUI thread when shown
    states = sorted((e.number, e.state) for e in deal.documents.tab.entries)
    assert [state for _number, state in states] == ["ردشده", "ردشده", "پذیرفته‌شده"]

    # 4. another opportunity lost to a competitor, then restored
    competitor = services.sales_lists.save_item(sales.admin, "competitors", "شرکت رایان‌سازان")
    other = open_opportunity(tabs, sales, "سرور برای شعبه")
    assert other.save()

    def lose(dialog: LostDialog) -> None:
        dialog.reason.setCurrentIndex(dialog.reason.findText("انتخاب رقیب"))
        dialog.competitor.setCurrentIndex(dialog.competitor.findText("شرکت رایان‌سازان"))
        type_text(dialog.note, "قیمت رقیب پایین‌تر بود")
        dialog.buttons.accepted.emit()

    failures = when_dialog(LostDialog, lose)
    other.lost_button.click()
    assert not failures, failures
    lost = services.opportunity_records.get(rep, other.detail.id)
    assert lost.status is OpportunityStatus.LOST and lost.closed_on == dt.date.today()
    assert (lost.close_reason, lost.lost_to_id, lost.close_note) == ("انتخاب رقیب", competitor, "قیمت رقیب پایین‌تر بود")
    assert other.result.text().startswith("بازنده در ") and "دلیل: انتخاب رقیب" in other.result.text()
    assert other.restore_button.isVisibleTo(other)

    def reopen(dialog: RestoreDialog) -> None:
        dialog.stage.setCurrentIndex(dialog.stage.findText("مذاکره"))
        dialog.buttons.accepted.emit()

    failures = when_dialog(RestoreDialog, reopen)
    other.restore_button.click()
    assert not failures, failures
    restored = services.opportunity_records.get(rep, other.detail.id)
    assert restored.status is OpportunityStatus.OPEN and restored.closed_on is None
    assert restored.stage_id == sales.stage("مذاکره").id and restored.close_reason is None
    assert other.result.text() == "—" and other.lost_button.isVisibleTo(other)
