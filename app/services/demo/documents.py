"""Demo quotes in every state (an accepted one on every won deal), issued invoices from the newest
won deals (two of them long enough for two pages), receipts of several methods, a return with its
refund. Made through the services (as the system) so numbers, stock, customers and balances are
exactly what the app itself would make; dated within each deal's life.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select

from app.models import Invoice, Product, Quote
from app.models.enums import MoneyDirection, OpportunityStatus, PaymentMethod, QuoteState, Settlement
from app.services.admin.settings import CompanyInfo, SettingsService
from app.services.catalog.products import frozen_quantities
from app.services.core.actor import SYSTEM
from app.services.demo.context import DemoContext
from app.services.documents.contract_payments import InstalmentShare
from app.services.documents.contract_views import ContractDraft, split_schedule
from app.services.documents.contracts import ContractService
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.invoices import InvoiceService
from app.services.documents.lines import LineDraft
from app.services.documents.quote_state import QUOTE_FLOW
from app.services.documents.quotes import QuoteDraft, QuoteService
from app.services.documents.receipts import Allocation, ReceiptDraft, ReceiptService
from app.services.documents.returns import ReturnDraft, ReturnLineDraft, ReturnService
from app.services.documents.samples import SELLER

OPEN_QUOTE_STATES = [QuoteState.DRAFT, QuoteState.SENT, QuoteState.EXPIRED] * 4
REJECTED_QUOTES = 3
QUOTE_MOVES = {  # from a new draft to the wanted state (an expired quote is a sent one past its validity)
    QuoteState.DRAFT: [],
    QuoteState.SENT: [QuoteState.SENT],
    QuoteState.EXPIRED: [QuoteState.SENT],
    QuoteState.REJECTED: [QuoteState.REJECTED],
}
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


def _between(rnd, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rnd.randint(0, max(0, (last - first).days)))


def _day(row: dict) -> dt.date:
    return row["created_at"].date()


def add_documents(ctx: DemoContext) -> None:
    rnd = ctx.rnd
    quotes = QuoteService(ctx.db)
    won = sorted(
        (r for r in ctx.opportunity_rows if r["status"] is OpportunityStatus.WON), key=lambda r: r["closed_on"]
    )
    # The newest won deals are invoiced (two of them long orders, for two-page invoices).
    invoiced = {r["id"]: i < 2 for i, r in enumerate(reversed(won[-INVOICES:]))}
    with ctx.db.read(SYSTEM) as s:
        first_run = s.scalar(select(Invoice.id).limit(1)) is None  # a second demo run adds no invoices
        products = list(s.scalars(select(Product).where(Product.deleted_at.is_(None), Product.is_other.is_(False))))
    accepted = {}
    for opp in won:  # every won deal: the quote the customer accepted, shortly before it closed
        day = _between(rnd, max(_day(opp), opp["closed_on"] - dt.timedelta(days=20)), opp["closed_on"])
        if invoiced.get(opp["id"]) and first_run:
            draft = QuoteDraft(opp["identity_id"], day, _lines(ctx, products, LONG_INVOICE_LINES),
                               day + dt.timedelta(days=30), opp["id"], settlement=Settlement.BOTH)  # fmt: skip
            quote = quotes.create(SYSTEM, draft)
        else:
            quote = quotes.from_opportunity(SYSTEM, opp["id"], day)
        accepted[opp["id"]] = quote
    _accept(ctx, [quote.id for quote in accepted.values()])
    made = len(won) + _other_quotes(ctx, quotes, products)
    ctx.counts.update(quotes=made, invoices=0, receipts=0, returns=0)
    if first_run and invoiced:
        _invoices(ctx, [accepted[i] for i in invoiced], won)
    signed_instead = won[-INVOICES - 1] if len(won) > INVOICES else None  # the deal before the invoiced ones
    if first_run and signed_instead is not None:
        _contract(ctx, accepted[signed_instead["id"]], signed_instead["closed_on"])


def _accept(ctx: DemoContext, quote_ids: list) -> None:
    """Accepts the won deals' quotes in one transaction (one per quote costs seconds at bench sizes),
    straight from the draft: sent weeks ago, they would read as expired by now. The goods were bought
    in: on-hand grows by what the accepted quotes freeze, so the available stock stays what the
    catalogue step drew (not deep below zero)."""
    with ctx.db.write(SYSTEM) as s:
        for start in range(0, len(quote_ids), 500):
            for quote in s.scalars(select(Quote).where(Quote.id.in_(quote_ids[start : start + 500]))):
                QUOTE_FLOW.check(quote.state, QuoteState.ACCEPTED)
                quote.state = QuoteState.ACCEPTED
        s.flush()
        frozen = frozen_quantities(s)
        for product in s.scalars(select(Product).where(Product.track_stock.is_(True), Product.id.in_(list(frozen)))):
            product.on_hand += float(frozen[product.id])


def _other_quotes(ctx: DemoContext, quotes: QuoteService, products: list) -> int:
    """Quotes in the other states: drafts, sent and expired ones on open deals, rejected on lost ones."""
    rnd, today = ctx.rnd, ctx.today
    open_deals = [r for r in ctx.opportunity_rows if r["status"] is OpportunityStatus.OPEN]
    lost = [r for r in ctx.opportunity_rows if r["status"] is OpportunityStatus.LOST]
    plan = list(zip(OPEN_QUOTE_STATES, rnd.sample(open_deals, min(len(open_deals), len(OPEN_QUOTE_STATES))),
                    strict=False))  # fmt: skip
    plan += [(QuoteState.REJECTED, opp) for opp in rnd.sample(lost, min(len(lost), REJECTED_QUOTES))]
    for state, opp in plan:
        last = opp["closed_on"] or today
        if state is QuoteState.EXPIRED:
            day = _between(rnd, _day(opp), last - dt.timedelta(days=3))
        else:  # a sent quote still valid today: from the last few weeks
            day = _between(rnd, max(_day(opp), last - dt.timedelta(days=25)), last)
        valid = day + dt.timedelta(days=2 if state is QuoteState.EXPIRED else 30)
        draft = QuoteDraft(opp["identity_id"], day, _lines(ctx, products, rnd.randint(1, 6)), valid, opp["id"],
                           settlement=rnd.choice(list(Settlement)))  # fmt: skip
        quote = quotes.create(SYSTEM, draft)
        for move in QUOTE_MOVES[state]:
            quotes.set_state(SYSTEM, quote.id, move)
    quotes.expire_overdue(SYSTEM)
    return len(plan)


def _invoices(ctx: DemoContext, accepted: list, won: list) -> None:
    """Invoices from the newest won deals' accepted quotes, dated a few days after the deal closed;
    receipts of several methods; a return with its refund."""
    rnd, today = ctx.rnd, ctx.today
    invoices, receipts, returns = InvoiceService(ctx.db), ReceiptService(ctx.db), ReturnService(ctx.db)
    closed_on = {r["id"]: r["closed_on"] for r in won}
    drafts = []
    for quote in accepted:
        day = min(today, closed_on[quote.opportunity_id] + dt.timedelta(days=rnd.randint(0, 5)))
        lines = [line.as_draft() for line in quote.lines]
        draft = InvoiceDraft(quote.identity_id, day, lines, quote.opportunity_id, quote.settlement, quote_id=quote.id)
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
    ctx.counts.update(invoices=len(issued), receipts=made + 1, returns=1)


def _contract(ctx: DemoContext, quote, closed_on: dt.date) -> None:
    """A customer who signs a contract instead of taking an invoice (seed 000): the accepted quote's
    lines, three monthly instalments from a month after the deal closed, the first one paid."""
    contracts, receipts = ContractService(ctx.db), ReceiptService(ctx.db)
    start = min(ctx.today, closed_on + dt.timedelta(days=3))
    lines = [line.as_draft() for line in quote.lines]
    draft = ContractDraft(quote.identity_id, start, start, start + dt.timedelta(days=365), lines,
                          opportunity_id=quote.opportunity_id, quote_id=quote.id)  # fmt: skip
    contract = contracts.create(SYSTEM, draft)
    schedule = split_schedule(contract.totals.total, start + dt.timedelta(days=30), 3)
    contract = contracts.update(SYSTEM, contract.id, replace(draft, instalments=schedule, version=contract.version))
    contract = contracts.sign(SYSTEM, contract.id)
    first = contract.instalments[0]
    paid_on = min(ctx.today, first.due_date)
    receipts.create(
        SYSTEM,
        ReceiptDraft(contract.identity_id, first.amount, paid_on, PaymentMethod.BANK_TRANSFER,
                     reference=str(ctx.rnd.randint(10**8, 10**9)), opportunity_id=contract.opportunity_id,
                     instalments=[InstalmentShare(first.id, first.amount)]),
    )  # fmt: skip
    ctx.counts.update(contracts=1, receipts=ctx.counts.get("receipts", 0) + 1)
