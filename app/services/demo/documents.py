"""Demo quotes in every state, issued invoices (two of them long enough for two pages), receipts of
several methods, a return with its refund. A fixed, small number: made through the services (as the
system) so numbers, stock, customers and balances are exactly what the app itself would make.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from app.models import Invoice, Product
from app.models.enums import MoneyDirection, OpportunityStatus, PaymentMethod, QuoteState, Settlement
from app.services.core.actor import SYSTEM
from app.services.demo.context import DemoContext
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.invoices import InvoiceService
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft, QuoteService
from app.services.documents.receipts import Allocation, ReceiptDraft, ReceiptService
from app.services.documents.returns import ReturnDraft, ReturnLineDraft, ReturnService
from app.services.documents.samples import SELLER
from app.services.admin.settings import CompanyInfo, SettingsService

QUOTE_STATES = [QuoteState.DRAFT, QuoteState.SENT, QuoteState.ACCEPTED, QuoteState.REJECTED, QuoteState.EXPIRED] * 3
INVOICES = 10
LONG_INVOICE_LINES = 34
BANKS = ["ملت", "ملی", "صادرات", "تجارت", "پاسارگاد", "سامان"]
# The seller printed on the demo's invoices (the renderer's sample seller); a company already entered is kept.
SAMPLE_COMPANY = CompanyInfo(
    **{
        field: getattr(SELLER, field)
        for field in ("name", "economic_code", "national_id", "registration_number", "address", "postal_code", "phone")
    }
)


def add_company(ctx: DemoContext) -> None:
    settings = SettingsService(ctx.db)
    if settings.is_first_run():
        settings.save_company(SYSTEM, SAMPLE_COMPANY)


def _lines(ctx: DemoContext, products: list, count: int) -> list[LineDraft]:
    chosen = ctx.rnd.sample(products, min(count, len(products))) if count <= len(products) else None
    if chosen is None:
        chosen = [ctx.rnd.choice(products) for _ in range(count)]
    lines = []
    for product in chosen:
        quantity = Decimal(1) if product.is_service else Decimal(ctx.rnd.randint(1, 5))
        gross = int(quantity) * product.default_price
        discount = ctx.rnd.choice([0, 0, 0, gross // 20])
        lines.append(LineDraft("", quantity, product.default_price, discount, None, product.id))
    return lines


def add_documents(ctx: DemoContext) -> None:
    with ctx.db.read(SYSTEM) as s:
        if s.scalar(select(Invoice.id).limit(1)) is not None:  # a second demo run adds none
            ctx.counts.update(quotes=0, invoices=0, receipts=0, returns=0)
            return
        products = list(s.scalars(select(Product).where(Product.deleted_at.is_(None), Product.is_other.is_(False))))
    opportunities = [row for row in ctx.opportunity_rows if row["status"] is OpportunityStatus.OPEN]
    if not products or not opportunities:
        return
    rnd, today = ctx.rnd, dt.date.today()
    quotes, invoices = QuoteService(ctx.db), InvoiceService(ctx.db)
    receipts, returns = ReceiptService(ctx.db), ReturnService(ctx.db)
    picks = rnd.sample(opportunities, min(len(opportunities), len(QUOTE_STATES) + INVOICES))

    accepted = []
    for state, opp in zip(QUOTE_STATES, picks, strict=False):
        day = today - dt.timedelta(days=rnd.randint(5, 40))
        valid = day + dt.timedelta(days=2 if state is QuoteState.EXPIRED else 45)
        draft = QuoteDraft(
            opp["identity_id"], day, _lines(ctx, products, rnd.randint(1, 6)), valid, opp["id"],
            settlement=rnd.choice(list(Settlement)),
        )  # fmt: skip
        quote = quotes.create(SYSTEM, draft)
        moves = {
            QuoteState.SENT: [QuoteState.SENT],
            QuoteState.EXPIRED: [QuoteState.SENT],
            QuoteState.ACCEPTED: [QuoteState.SENT, QuoteState.ACCEPTED],
            QuoteState.REJECTED: [QuoteState.SENT, QuoteState.REJECTED],
        }.get(state, [])
        for move in moves:
            quote = quotes.set_state(SYSTEM, quote.id, move)
        if state is QuoteState.ACCEPTED:
            accepted.append(quote)
    quotes.expire_overdue(SYSTEM)

    # Invoices: from two accepted quotes, two long ones, the rest from scratch; issued in date order.
    drafts = [invoices.from_quote(SYSTEM, q.id) for q in accepted[:2]]
    for i, opp in enumerate(picks[len(QUOTE_STATES) :][: INVOICES - len(drafts)]):
        count = LONG_INVOICE_LINES if i < 2 else rnd.randint(1, 8)
        day = today - dt.timedelta(days=rnd.randint(1, 30))
        draft = InvoiceDraft(opp["identity_id"], day, _lines(ctx, products, count), opp["id"], Settlement.BOTH)
        drafts.append(invoices.create(SYSTEM, draft))
    issued = invoices.issue_many(SYSTEM, [d.id for d in drafts])
    views = [invoices.get(SYSTEM, n.id) for n in issued]

    # Receipts of several methods: paid in full, partly, by cheque, one unallocated advance.
    methods = [PaymentMethod.CASH, PaymentMethod.CARD_TO_CARD, PaymentMethod.BANK_TRANSFER, PaymentMethod.CHEQUE,
               PaymentMethod.POS, PaymentMethod.PAYMENT_LINK, PaymentMethod.CREDIT]  # fmt: skip
    made = 0
    for i, (invoice, method) in enumerate(zip(views, methods, strict=False)):
        amount = invoice.totals.total if i % 2 == 0 else invoice.totals.total // 2
        cheque = method is PaymentMethod.CHEQUE
        receipts.create(
            SYSTEM,
            ReceiptDraft(
                invoice.identity_id, amount, invoice.issue_date, method,
                reference="" if cheque or method is PaymentMethod.CASH else str(rnd.randint(10**8, 10**9)),
                cheque_number=str(rnd.randint(10**5, 10**6)) if cheque else "",
                cheque_bank=rnd.choice(BANKS) if cheque else "",
                cheque_due=invoice.issue_date + dt.timedelta(days=30) if cheque else None,
                cheque_sayad=str(rnd.randint(10**15, 10**16 - 1)) if cheque else "",
                opportunity_id=invoice.opportunity_id,
                allocations=[Allocation(invoice.id, amount)],
            ),
        )  # fmt: skip
        made += 1

    # A return of part of the last invoice, refunded to the customer.
    last = views[-1]
    line = last.lines[0]
    ret = returns.create(
        SYSTEM, ReturnDraft(last.id, max(last.issue_date, today), [ReturnLineDraft(line.id, line.quantity)])
    )
    ret = returns.issue(SYSTEM, ret.id)
    refund = ReceiptDraft(
        last.identity_id, ret.totals.total, ret.issue_date, PaymentMethod.BANK_TRANSFER, MoneyDirection.OUT,
        reference=str(rnd.randint(10**8, 10**9)), sales_return_id=ret.id, opportunity_id=last.opportunity_id,
    )  # fmt: skip
    receipts.create(SYSTEM, refund)
    ctx.counts.update(quotes=len(QUOTE_STATES[: len(picks)]), invoices=len(issued), receipts=made + 1, returns=1)
