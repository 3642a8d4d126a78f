"""The identity's timeline «سوابق» holds its documents and files (seed 000: every item created for the
identity appears there), newest first, with state and amount, each naming the record it opens; a rep
sees there only what the documents lists show them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.models.enums import MoneyDirection, PaymentMethod
from app.persian import to_persian_digits as _fa
from app.services.documents.invoice_views import InvoiceQuery
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from app.services.documents.receipts import Allocation, ReceiptDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from tests.services.doc_helpers import DAY, issued_invoice, office, opportunity

DOCUMENT_KINDS = {"quote", "invoice", "return", "receipt", "attachment"}


@pytest.fixture
def o(services):
    return office(services)


def _documents(o, actor=None) -> list[tuple[str, str, str, str | None]]:
    items = o.services.timeline.for_identity(actor or o.rep, o.customer)
    return [(i.kind_label, i.title, i.detail, i.record_kind) for i in items if i.kind in DOCUMENT_KINDS]


def test_quote_invoice_cheque_return_refund_and_file_newest_first_with_state_and_amount(o) -> None:
    services, rep = o.services, o.rep
    deal = opportunity(o)
    line = LineDraft("پروژه", Decimal(2), 10_000_000, 0, 0)
    quote = services.quotes.create(rep, QuoteDraft(o.customer, DAY, [line], opportunity_id=deal))
    assert _documents(o) == [
        ("پیش‌فاکتور", f"پیش‌فاکتور شماره {_fa(str(quote.number))}", "پیش‌نویس · ۲۰٬۰۰۰٬۰۰۰ ریال", "quote")
    ]

    invoice = issued_invoice(o, [line], opportunity_id=deal)
    number = _fa(str(invoice.number))
    assert _documents(o)[0] == ("صورتحساب", f"صورتحساب شماره {number}", "پرداخت‌نشده · ۲۰٬۰۰۰٬۰۰۰ ریال", "invoice")

    cheque = ReceiptDraft(
        o.customer, 5_000_000, DAY, PaymentMethod.CHEQUE, cheque_number="123456", cheque_bank="ملت",
        cheque_due=DAY + dt.timedelta(days=30), cheque_sayad="1234567890123456", opportunity_id=deal,
        allocations=[Allocation(invoice.id, 5_000_000)],
    )  # fmt: skip
    receipt = services.receipts.create(rep, cheque)
    items = _documents(o)
    assert items[0] == (
        "دریافت",
        f"دریافت شماره {_fa(str(receipt.number))}",
        "چک دریافت‌شده · ۵٬۰۰۰٬۰۰۰ ریال",
        "receipt",
    )
    assert items[1][2] == "پرداخت جزئی · ۲۰٬۰۰۰٬۰۰۰ ریال · دریافت‌شده ۵٬۰۰۰٬۰۰۰ ریال"  # the invoice, paid in part

    draft = services.returns.create(
        rep, ReturnDraft(invoice.id, DAY, [ReturnLineDraft(invoice.lines[0].id, Decimal(1))])
    )
    assert _documents(o)[0] == (
        "برگشت از فروش", "برگشت از فروش (پیش‌نویس)", f"پیش‌نویس · ۱۰٬۰۰۰٬۰۰۰ ریال · از صورتحساب {number}", "return"
    )  # fmt: skip
    returned = services.returns.issue(rep, draft.id)
    refund = services.receipts.create(
        rep,
        ReceiptDraft(o.customer, 2_000_000, DAY, PaymentMethod.CASH, MoneyDirection.OUT, sales_return_id=returned.id),
    )
    services.attachments.attach(rep, "قرارداد.pdf", b"%PDF-1.4", opportunity_id=deal)
    labels = [(label, kind) for label, _title, _detail, kind in _documents(o)]
    assert labels == [
        ("فایل", "attachment"),
        ("پرداخت", "receipt"),
        ("برگشت از فروش", "return"),
        ("دریافت", "receipt"),
        ("صورتحساب", "invoice"),
        ("پیش‌فاکتور", "quote"),
    ]
    items = o.services.timeline.for_identity(rep, o.customer)
    assert (items[0].title, items[0].detail) == ("قرارداد.pdf", "پیوست به فرصت «فروش تجهیزات»")
    assert items[1].record_id == refund.id and items[1].detail == "نقد · ۲٬۰۰۰٬۰۰۰ ریال · بازپرداخت برگشت از فروش"
    assert items[2].record_id == returned.id and items[2].title == f"برگشت از فروش شماره {_fa(str(returned.number))}"
    assert [i.at for i in items] == sorted((i.at for i in items), reverse=True)


def test_a_rep_sees_in_the_timeline_only_the_documents_they_may_see(o) -> None:
    mine = issued_invoice(o, [LineDraft("کالا", Decimal(1), 1_000_000, 0, 0)])
    # The admin's invoice for the rep's customer is not the rep's document: the lists hide it, so does the timeline.
    issued_invoice(o, [LineDraft("کالا", Decimal(1), 3_000_000, 0, 0)], actor=o.admin)
    assert [i.record_id for i in o.services.timeline.for_identity(o.rep, o.customer) if i.kind == "invoice"] == [
        mine.id
    ]
    assert len([i for i in o.services.timeline.for_identity(o.admin, o.customer) if i.kind == "invoice"]) == 2
    visible = {r.id for r in o.services.invoices.search(o.rep, InvoiceQuery(identity_id=o.customer))}
    assert visible == {mine.id}
