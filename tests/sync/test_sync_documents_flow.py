"""Documents made on a laptop through a real sync (sync.md §2.10): the laptop's quote keeps its own
number, its invoice gets the office's legal number in the push and brings it back in the pull, and the
stock moves once, at the office."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.models import Invoice, NumberSeries, Product, Quote
from app.services.core.actor import SYSTEM
from app.services.documents import numbering
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from tests.services.doc_helpers import DAY, add_identity, add_product
from tests.sync.world import read

STOCK = 10


def test_a_laptops_quote_and_invoice_reach_the_office(world) -> None:
    maryam = world.rep("maryam")
    with world.office.db.write(world.admin) as s:
        customer = add_identity(s, maryam, "مشتری مریم")
        product = add_product(s, "A", "کالای نمونه", 1_000_000, on_hand=STOCK)
    lines = [LineDraft("", Decimal(2), 1_000_000, 0, None, product)]
    office = world.at_office("maryam")

    def sold_at_office(quantity: int) -> int:
        line = LineDraft("", Decimal(quantity), 1_000_000, 0, None, product)
        made = office.invoices.create(maryam, InvoiceDraft(customer, DAY, [line]))
        return office.invoices.issue(maryam, made.id).number

    assert sold_at_office(1) == 1
    laptop = world.laptop("maryam")
    code = laptop.registration.device_code
    quote = laptop.services.quotes.create(maryam, QuoteDraft(customer, DAY, lines))
    draft = laptop.services.invoices.create(maryam, InvoiceDraft(customer, DAY, lines))
    issued = laptop.services.invoices.issue(maryam, draft.id)
    assert (quote.number_text, issued.number, issued.provisional_number) == (f"{code}-1", None, f"P-{code}-1")
    assert read(laptop.services, Product, product, "on_hand") == STOCK - 1 - 2  # moved on the laptop as issued
    assert sold_at_office(4) == 2  # meanwhile at the office

    laptop.sync()
    assert read(world.office, Invoice, draft.id, "number", "provisional_number") == (3, f"P-{code}-1")
    assert read(world.office, Quote, quote.id, "device_code", "number") == (code, 1)
    # Moved once more, by the office: the laptop's own count (7) would have lost the office's sale of 4.
    assert read(world.office, Product, product, "on_hand") == STOCK - 1 - 2 - 4
    with world.office.db.read(SYSTEM) as s:
        assert numbering.last_number(s, numbering.INVOICE, 1404) == 3
        assert s.get(NumberSeries, (numbering.QUOTE, 1404)) is None  # the laptop's quote took none of the office's

    pulled = laptop.services.invoices.get(maryam, draft.id)  # the legal number came back with the pull
    assert (pulled.number, pulled.provisional_number, pulled.number_text) == (3, f"P-{code}-1", "3")
    assert read(laptop.services, Product, product, "on_hand") == STOCK - 1 - 2 - 4
    laptop.sync()  # nothing new: no second number
    with world.office.db.read(SYSTEM) as s:
        assert numbering.last_number(s, numbering.INVOICE, 1404) == 3


def test_a_laptops_invoice_dated_before_the_offices_last_is_posted_today(world) -> None:
    """The office issued a later-dated invoice while the laptop was away: the laptop's is not refused
    (its numbers would go back in time) but posted on the office's today, the legal issue."""

    from app.persian import fiscal_year

    maryam = world.rep("maryam")
    with world.office.db.write(world.admin) as s:
        customer = add_identity(s, maryam, "مشتری مریم")
        product = add_product(s, "A", "کالای نمونه", 1_000_000, on_hand=STOCK)
    lines = [LineDraft("", Decimal(1), 1_000_000, 0, None, product)]
    laptop = world.laptop("maryam")
    draft = laptop.services.invoices.create(maryam, InvoiceDraft(customer, DAY, lines))
    laptop.services.invoices.issue(maryam, draft.id)
    office = world.at_office("maryam")
    later = office.invoices.create(maryam, InvoiceDraft(customer, DAY + dt.timedelta(days=3), lines))
    office.invoices.issue(maryam, later.id)

    laptop.sync()
    today = dt.date.today()
    assert read(world.office, Invoice, draft.id, "issue_date", "fiscal_year") == (today, fiscal_year(today))
    assert read(world.office, Invoice, draft.id, "number") is not None
    assert read(laptop.services, Invoice, draft.id, "issue_date") == today
