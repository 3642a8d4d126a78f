"""Case 26 (sync.md §4): office users issue invoices while a laptop's sync posts the invoices issued on
the laptop. Both take legal numbers from the one office series (the office numbers a
laptop's invoice in its batch's transaction, `documents.number_first`): committed numbers are exactly 1..N.

Real PostgreSQL office; every office user is a spawned process with its own engine (Windows' only start
method), as in tests/server/test_numbering_processes.py.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from decimal import Decimal

from sqlalchemy import select

from app.models import Invoice
from app.models.enums import DocumentState
from app.persian import fiscal_year
from app.services.core.actor import SYSTEM
from app.services.documents import numbering
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
from tests.services.doc_helpers import add_identity, add_product
from tests.sync.issuing_child import issue

PROCESSES = 4
PER_PROCESS = 8
ON_LAPTOP = 10
DAY = dt.date.today()  # the office posts a laptop's earlier-dated invoice today: keep every date equal


def test_office_issuing_while_a_sync_posts_laptop_invoices_numbers_1_to_n(pg_world) -> None:
    ali, maryam = pg_world.rep("ali"), pg_world.rep("maryam")
    with pg_world.office.db.write(pg_world.admin) as s:
        # One customer per office user: office users issuing for one customer at once deadlock on their
        # own (found here; see the report), which is not this case's question.
        customers = [add_identity(s, ali, f"مشتری علی {i}") for i in range(PROCESSES)]
        maryam_customer = add_identity(s, maryam, "مشتری مریم")
        product = add_product(s, "A", "کالای نمونه", 1_000_000, on_hand=10_000)
    line = LineDraft("", Decimal(1), 1_000_000, 0, None, product)
    office = pg_world.at_office("ali")
    drafts = [
        [office.invoices.create(ali, InvoiceDraft(customer, DAY, [line])).id for _ in range(PER_PROCESS)]
        for customer in customers
    ]
    for customer in customers:  # each a customer already; the year's counter exists
        made = office.invoices.create(ali, InvoiceDraft(customer, DAY, [line]))
        office.invoices.issue(ali, made.id)
    before = len(customers)

    laptop = pg_world.laptop("maryam")
    on_laptop = []
    for _ in range(ON_LAPTOP):
        draft = laptop.services.invoices.create(maryam, InvoiceDraft(maryam_customer, DAY, [line]))
        on_laptop.append(laptop.services.invoices.issue(maryam, draft.id).id)

    url = office.db.url.render_as_string(hide_password=False)
    ctx = mp.get_context("spawn")
    go, results = ctx.Barrier(PROCESSES + 1), ctx.Queue()
    workers = [ctx.Process(target=issue, args=(url, ali, drafts[i], 200 + i, go, results)) for i in range(PROCESSES)]
    for worker in workers:
        worker.start()
    go.wait(timeout=180)
    report = laptop.sync()  # the push posts the laptop's invoices while the office issues
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)

    assert [e for _, errors in outcomes for e in errors] == []
    assert report.conflicts == 0
    issued = {invoice_id: number for done, _ in outcomes for invoice_id, number in done}
    assert len(issued) == PROCESSES * PER_PROCESS
    with pg_world.office.db.read(SYSTEM) as s:
        rows = s.execute(select(Invoice.id, Invoice.number, Invoice.state)).all()
        last = numbering.last_number(s, numbering.INVOICE, fiscal_year(DAY))
    numbers = {i: number for i, number, state in rows if state is DocumentState.ISSUED}
    n = before + len(issued) + ON_LAPTOP
    assert sorted(numbers.values()) == list(range(1, n + 1))  # no gap, no duplicate
    assert last == n
    assert all(numbers[i] == number for i, number in issued.items())
    assert all(numbers[i] is not None for i in on_laptop)
    # The laptop's invoices came back with their legal numbers.
    with laptop.db.read(SYSTEM) as s:
        back = dict(s.execute(select(Invoice.id, Invoice.number).where(Invoice.id.in_(on_laptop))).all())
    assert back == {i: numbers[i] for i in on_laptop}
