"""Gapless invoice numbers on the office server: eight processes issue at once, some roll back after numbering.

sync.md §3.2/§3.3: the counter row is locked FOR UPDATE as late as possible and held only until COMMIT; a
transaction that rolls back after taking a number gives it back. Committed numbers are exactly 1..N.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import random
import time
from decimal import Decimal

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.models import AccessLevel, Identity, IdentityKind, Invoice, Product, SyncDevice, User, new_id
from app.models.enums import DocumentState
from app.persian import fiscal_year
from app.services.core import migrations
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.documents import numbering
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
from app.services.opportunities.data import OpportunityData

PROCESSES = 8
PER_PROCESS = 12
ROLLBACK_SHARE = 0.3
DAY = dt.date(2026, 11, 22)


class AfterNumbering(Exception):
    """Raised at COMMIT, after the invoice took its number: the whole transaction rolls back."""


def _fail_fast(url: str) -> str:
    """A broken locking order fails the test in seconds instead of hanging it."""
    return (
        make_url(url)
        .update_query_dict({"options": "-c lock_timeout=20000 -c statement_timeout=60000"})
        .render_as_string(hide_password=False)
    )


def _world(url: str, drafts: int) -> tuple[Actor, list]:
    """A rep, a customer with an opportunity, a stocked product and `drafts` draft invoices.

    All for the one customer, on purpose: the first invoices of a not-yet customer, issued at once, must
    queue on the identity (documents.common.mark_customer) rather than fail with ConcurrentChange."""
    db = Database(url)
    migrations.upgrade(db)
    services = Services(db)
    with db.write(SYSTEM) as s:
        user = User(login="rep", display_name="نماینده فروش", access_level=AccessLevel.OWN_DOCUMENTS)
        s.add(user)
        s.flush()
        rep = Actor(user.id, user.login, user.display_name, user.access_level)
        customer = Identity(
            kind=IdentityKind.PERSON, display_name="مهسا کریمی", name_key="مهسا کریمی", owner_id=user.id
        )
        s.add(customer)
        s.flush()
        product = Product(code="P1", name="کالا", name_key="کالا", default_price=1_000_000, on_hand=10_000)
        s.add(product)
    opportunity = services.opportunity_records.create(rep, OpportunityData(identity_id=customer.id, title="تجهیز دفتر"))
    lines = [LineDraft("", Decimal(2), 1_000_000, 0, None, product.id), LineDraft("نصب", Decimal(1), 500_000)]
    draft = InvoiceDraft(customer.id, DAY, lines, opportunity)
    ids = [services.invoices.create(rep, draft).id for _ in range(drafts)]
    db.dispose()
    return rep, ids


def _issue(url: str, actor: Actor, invoice_ids: list, seed: int, go, results) -> None:
    """Issues its drafts one transaction each; at COMMIT (the number is taken and the counter row
    locked) waits a little, and rolls back about a third of them."""
    rnd = random.Random(seed)
    taken: list[int] = []

    @event.listens_for(Session, "before_commit")
    def roll_some_back(session: Session) -> None:
        numbered = [o for o in session.identity_map.values() if isinstance(o, Invoice) and o.number is not None]
        if not numbered:
            return
        time.sleep(rnd.random() * 0.004)  # others queue on the counter's row lock meanwhile
        if rnd.random() < ROLLBACK_SHARE:
            taken.append(numbered[0].number)
            raise AfterNumbering()

    services = Services(Database(_fail_fast(url)))
    issued, rolled_back, errors = [], [], []
    go.wait()
    for invoice_id in invoice_ids:
        try:
            issued.append((invoice_id, services.invoices.issue(actor, invoice_id).number))
        except AfterNumbering:
            rolled_back.append((invoice_id, taken[-1]))
        except Exception as exc:  # anything else fails the test, with its message
            errors.append(repr(exc))
    services.db.dispose()
    results.put((issued, rolled_back, errors))


def test_eight_processes_with_rollbacks_after_numbering_commit_exactly_1_to_n(pg_database) -> None:
    rep, ids = _world(pg_database, PROCESSES * PER_PROCESS)
    ctx = mp.get_context("spawn")  # Windows' only start method: one engine per process
    go, results = ctx.Barrier(PROCESSES + 1), ctx.Queue()
    workers = [
        ctx.Process(target=_issue, args=(pg_database, rep, ids[i::PROCESSES], 100 + i, go, results))
        for i in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    go.wait(timeout=180)  # all started: they issue at the same time
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)

    assert [e for _, _, errors in outcomes for e in errors] == []
    issued = {invoice_id: number for done, _, _ in outcomes for invoice_id, number in done}
    rolled_back = [(invoice_id, number) for _, undone, _ in outcomes for invoice_id, number in undone]
    assert issued and rolled_back, "the random rollbacks should hit some and spare some"
    assert len(issued) + len(rolled_back) == len(ids)

    db = Database(pg_database)
    with db.read(SYSTEM) as s:
        rows = s.execute(select(Invoice.id, Invoice.number, Invoice.state, Invoice.fiscal_year)).all()
        last = numbering.last_number(s, numbering.INVOICE, fiscal_year(DAY))
    db.dispose()
    committed = sorted(number for _, number, state, _ in rows if state is DocumentState.ISSUED)
    n = len(issued)
    assert committed == list(range(1, n + 1))  # no gap, no duplicate
    assert last == n  # the counter's rolled-back increments were undone too
    assert {i: number for i, number, state, _ in rows if state is DocumentState.ISSUED} == issued
    for invoice_id, _ in rolled_back:  # left exactly as they were: drafts without a number
        state, number = next((st, nb) for i, nb, st, _ in rows if i == invoice_id)
        assert state is DocumentState.DRAFT and number is None
    # A number taken by a transaction that rolled back was handed out again (one taken after the last
    # commit is left over, as the next number to give).
    assert all(number <= n + 1 for _, number in rolled_back)
    assert any(number <= n for _, number in rolled_back)


@pytest.mark.parametrize("device", [False, True], ids=["no device", "a device"])
def test_the_counter_row_is_locked_only_to_number_and_commit(pg_database, device) -> None:
    """Everything slow (lines, totals, stock, buyer copy, the returned view's lookups) runs before the
    counter row's SELECT ... FOR UPDATE; after it, only the writes of the numbering itself, then COMMIT."""
    rep, ids = _world(pg_database, 1)
    db = Database(pg_database)
    if device:
        with db.write(SYSTEM) as s:
            s.add(SyncDevice(id=new_id(), user_id=rep.user_id, name="لپ‌تاپ", code="L1", secret="0" * 64))
    statements: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split()))

    @event.listens_for(db.engine, "commit")
    def record_commit(_conn) -> None:
        statements.append("COMMIT")

    view = Services(db).invoices.issue(rep, ids[0])
    db.dispose()
    assert view.number == 1 and view.is_issued
    assert view.opportunity_title == "تجهیز دفتر" and view.owner_name == "نماینده فروش" and view.buyer is not None
    locks = [i for i, sql in enumerate(statements) if "FROM number_series" in sql and "FOR UPDATE" in sql]
    lock = locks[-1]  # the first number of a year makes the row first, then locks it
    held = statements[lock + 1 :]
    assert held[-1] == "COMMIT", held
    # The counter; the invoice, its history and its change journal (whose clock is the last lock taken:
    # for update with a device to read the journal, else shared, with the question asked again), and the
    # notice of what changed to the other users (delivered at COMMIT).
    journal = (
        ["INSERT INTO change_log", "SELECT EXISTS (SELECT", "UPDATE change_clock SET"]
        if device
        else ["SELECT 1 FROM", "SELECT EXISTS (SELECT", "SELECT EXISTS (SELECT"]
    )
    writes = sorted(" ".join(sql.split()[:3]) for sql in held[:-1])
    assert writes == sorted(
        [
            "INSERT INTO audit_log",
            "SELECT pg_notify(%(channel)s, %(payload)s)",
            "UPDATE invoices SET",
            "UPDATE number_series SET",
            *journal,
        ]
    ), held
