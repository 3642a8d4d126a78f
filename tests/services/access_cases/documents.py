"""Access cases of quotes, invoices, returns, receipts, balances, VAT rates and printing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.models import Identity, OpportunityLine, Product
from app.models.enums import ChequeState, PaymentMethod, QuoteState
from app.persian import search_key
from app.services.core.actor import SYSTEM
from app.services.documents.invoice_views import InvoiceDraft, InvoiceQuery
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft, QuoteQuery
from app.services.documents.receipts import Allocation, ReceiptDraft, ReceiptQuery
from app.services.documents.returns import ReturnDraft, ReturnLineDraft, ReturnQuery

DAY = dt.date(2025, 11, 22)
FAR = DAY + dt.timedelta(days=3650)


def _lines(w) -> list[LineDraft]:
    return [LineDraft("", Decimal(2), 1_000_000, 0, None, w.records["product"])]


def extend(world) -> None:
    sv, b, r = world.services, world.rep_b, world.records
    with sv.db.write(SYSTEM) as s:
        product = Product(code="D-1", name="کالای سند", name_key=search_key("کالای سند"), on_hand=10)
        s.add(product)
        s.flush()
        s.add(OpportunityLine(opportunity_id=r["opportunity_b"], product_id=product.id, quantity=1, unit_price=5))
    r["product"] = product.id
    identity, opp = r["identity_b"], r["opportunity_b"]
    with sv.db.read(SYSTEM) as s:
        role = s.get(Identity, identity).role
    r["quote_b"] = sv.quotes.create(b, QuoteDraft(identity, DAY, _lines(world), FAR, opp)).id
    accepted = sv.quotes.create(b, QuoteDraft(identity, DAY, _lines(world), FAR, opp)).id
    sv.quotes.set_state(b, accepted, QuoteState.ACCEPTED)
    r["accepted_quote_b"] = accepted
    r["draft_invoice_b"] = sv.invoices.create(b, InvoiceDraft(identity, DAY, _lines(world), opp)).id
    issued = sv.invoices.issue(b, sv.invoices.create(b, InvoiceDraft(identity, DAY, _lines(world), opp)).id)
    r["invoice_b"], r["invoice_line_b"], r["invoice_number_b"] = issued.id, issued.lines[0].id, issued.number
    r["return_b"] = sv.returns.create(b, ReturnDraft(issued.id, DAY, [ReturnLineDraft(issued.lines[0].id, 1)])).id
    # Issuing made identity_b a customer: give it its role back, other areas' cases expect a lead.
    with sv.db.write(SYSTEM) as s:
        s.get(Identity, identity).role = role
    r["receipt_b"] = sv.receipts.create(
        b, ReceiptDraft(identity, 1000, DAY, PaymentMethod.CASH, allocations=[Allocation(issued.id, 1000)])
    ).id
    cheque = ReceiptDraft(identity, 700, DAY, PaymentMethod.CHEQUE, cheque_number="1", cheque_bank="ملت",
                          cheque_due=DAY, cheque_sayad="1234567890123456")  # fmt: skip
    r["cheque_b"] = sv.receipts.create(b, cheque).id


def _ids(rows) -> set:
    return {row.id for row in rows}


def _quote_draft(w):
    return QuoteDraft(w.records["identity_b"], DAY, _lines(w), FAR, w.records["opportunity_b"])


def _invoice_draft(w):
    return InvoiceDraft(w.records["identity_b"], DAY, _lines(w), w.records["opportunity_b"])


def _return_draft(w):
    return ReturnDraft(w.records["invoice_b"], DAY, [ReturnLineDraft(w.records["invoice_line_b"], 1)])


def _receipt_draft(w):
    return ReceiptDraft(w.records["identity_b"], 500, DAY, PaymentMethod.POS)


def _expire(w, a) -> bool:
    w.services.quotes.set_state(w.admin, w.records["quote_b"], QuoteState.SENT)
    return w.services.quotes.expire_overdue(a, FAR + dt.timedelta(days=1)) > 0


def _delete_rate(w, a) -> bool:
    row = w.services.vat_rates.save_rate(w.admin, dt.date(2026, 3, 21), 12)
    w.services.vat_rates.delete_rate(a, row.id)
    return True


CASES = {
    "quotes.get": lambda w, a: w.services.quotes.get(a, w.records["quote_b"]) is not None,
    "quotes.search": lambda w, a: w.records["quote_b"] in _ids(w.services.quotes.search(a, QuoteQuery())),
    "quotes.count": lambda w, a: w.services.quotes.count(a, QuoteQuery(identity_id=w.records["identity_b"])) > 0,
    "quotes.create": lambda w, a: w.services.quotes.create(a, _quote_draft(w)) is not None,
    "quotes.update": lambda w, a: w.services.quotes.update(a, w.records["quote_b"], _quote_draft(w)) is not None,
    "quotes.delete": lambda w, a: w.services.quotes.delete(a, w.records["quote_b"]) is None,
    "quotes.set_state": lambda w, a: (
        w.services.quotes.set_state(a, w.records["quote_b"], QuoteState.SENT).state is QuoteState.SENT
    ),
    "quotes.from_opportunity": lambda w, a: (
        w.services.quotes.from_opportunity(a, w.records["opportunity_b"]) is not None
    ),
    "quotes.expire_overdue": _expire,
    "invoices.get": lambda w, a: w.services.invoices.get(a, w.records["invoice_b"]) is not None,
    "invoices.search": lambda w, a: w.records["invoice_b"] in _ids(w.services.invoices.search(a, InvoiceQuery())),
    "invoices.count": lambda w, a: w.services.invoices.count(a, InvoiceQuery(identity_id=w.records["identity_b"])) > 0,
    "invoices.create": lambda w, a: w.services.invoices.create(a, _invoice_draft(w)) is not None,
    "invoices.update": lambda w, a: (
        w.services.invoices.update(a, w.records["draft_invoice_b"], _invoice_draft(w)) is not None
    ),
    "invoices.delete": lambda w, a: w.services.invoices.delete(a, w.records["draft_invoice_b"]) is None,
    "invoices.from_quote": lambda w, a: w.services.invoices.from_quote(a, w.records["accepted_quote_b"]) is not None,
    "invoices.from_opportunity": lambda w, a: (
        w.services.invoices.from_opportunity(a, w.records["opportunity_b"]) is not None
    ),
    "invoices.issue": lambda w, a: w.services.invoices.issue(a, w.records["draft_invoice_b"]).number is not None,
    "invoices.issue_many": lambda w, a: len(w.services.invoices.issue_many(a, [w.records["draft_invoice_b"]])) == 1,
    "returns.returnable": lambda w, a: bool(w.services.returns.returnable(a, w.records["invoice_b"])),
    "returns.get": lambda w, a: w.services.returns.get(a, w.records["return_b"]) is not None,
    "returns.search": lambda w, a: w.records["return_b"] in _ids(w.services.returns.search(a, ReturnQuery())),
    "returns.count": lambda w, a: w.services.returns.count(a, ReturnQuery(invoice_id=w.records["invoice_b"])) > 0,
    "returns.preview": lambda w, a: w.services.returns.preview(a, w.records["return_b"], _return_draft(w)).total > 0,
    "returns.create": lambda w, a: w.services.returns.create(a, _return_draft(w)) is not None,
    "returns.update": lambda w, a: w.services.returns.update(a, w.records["return_b"], _return_draft(w)) is not None,
    "returns.delete": lambda w, a: w.services.returns.delete(a, w.records["return_b"]) is None,
    "returns.issue": lambda w, a: w.services.returns.issue(a, w.records["return_b"]).number is not None,
    "receipts.get": lambda w, a: w.services.receipts.get(a, w.records["receipt_b"]) is not None,
    "receipts.search": lambda w, a: w.records["receipt_b"] in _ids(w.services.receipts.search(a, ReceiptQuery())),
    "receipts.count": lambda w, a: w.services.receipts.count(a, ReceiptQuery(identity_id=w.records["identity_b"])) > 0,
    "receipts.open_invoices": lambda w, a: bool(w.services.receipts.open_invoices(a, w.records["identity_b"])),
    "receipts.create": lambda w, a: w.services.receipts.create(a, _receipt_draft(w)) is not None,
    "receipts.update": lambda w, a: (
        w.services.receipts.update(a, w.records["receipt_b"], _receipt_draft(w)) is not None
    ),
    "receipts.delete": lambda w, a: w.services.receipts.delete(a, w.records["receipt_b"]) is None,
    "receipts.move_cheque": lambda w, a: (
        w.services.receipts.move_cheque(a, w.records["cheque_b"], ChequeState.DEPOSITED) is not None
    ),
    "receipts.cheques_due": lambda w, a: w.records["cheque_b"] in _ids(w.services.receipts.cheques_due(a)),
    "balances.identity_balance": lambda w, a: (
        w.services.balances.identity_balance(a, w.records["identity_b"]).debit > 0
    ),
    "balances.opportunity_balance": lambda w, a: (
        w.services.balances.opportunity_balance(a, w.records["opportunity_b"]).debit > 0
    ),
    "balances.identity_balances": lambda w, a: (
        w.records["identity_b"] in w.services.balances.identity_balances(a, [w.records["identity_b"]])
    ),
    "record_documents.of_record": lambda w, a: (
        w.records["invoice_b"]
        in {e.id for e in w.services.record_documents.of_record(a, w.records["identity_b"]).entries}
    ),
    "record_documents.concerns": lambda w, a: w.services.record_documents.concerns(
        a, {"invoices": frozenset({w.records["invoice_b"]})}, opportunity_id=w.records["opportunity_b"]
    ),
    "vat_rates.save_rate": lambda w, a: w.services.vat_rates.save_rate(a, dt.date(2026, 3, 21), 12) is not None,
    "vat_rates.delete_rate": _delete_rate,
    "printing.document": lambda w, a: w.services.printing.document(a, "invoice", w.records["invoice_b"]) is not None,
    "printing.pdf": lambda w, a: w.services.printing.pdf(a, "receipt", w.records["receipt_b"]).startswith(b"%PDF"),
    "printing.find": lambda w, a: (
        w.services.printing.find(a, "invoice", w.records["invoice_number_b"]) == w.records["invoice_b"]
    ),
}
NOT_RECORD_SCOPED = {"vat_rates.rates", "vat_rates.rate_on"}
ADMIN_ONLY = {"vat_rates.save_rate", "vat_rates.delete_rate"}
