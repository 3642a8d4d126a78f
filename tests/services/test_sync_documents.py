"""Documents made on a laptop: quotes in the laptop's own series, invoices with a provisional number
that the office replaces by its legal one when it applies the pushed batch (sync.md §2.10)."""

from __future__ import annotations

import shutil
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import Invoice, InvoiceLine, NumberSeries, Product, Quote
from app.models.enums import DocumentState, PaymentMethod
from app.services.admin.invariants import problems
from app.services.core import migrations
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.core.document_guard import DocumentLocked
from app.services.core.errors import ServiceError
from app.services.core.registry import Services
from app.services.documents import numbering
from app.services.documents.invoice_views import InvoiceQuery
from app.services.documents.lines import LineDraft, load_lines
from app.services.documents.quotes import QuoteDraft, QuoteQuery
from app.services.documents.receipts import ReceiptDraft
from app.services.sync import state
from app.services.sync.documents import legal_numbers, number_first, on_hub_apply, should_push
from tests.conftest import sqlite_url
from tests.services.doc_helpers import DAY, example_lines, invoice_draft, issued_invoice, office
from tests.services.documents.test_pdf_extraction import poppler_text, readable
from tests.services.test_documents_pdf import fold, pages


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A laptop is always SQLite, whichever database the rest of the suite runs on."""
    path = tmp_path_factory.mktemp("laptop") / "laptop.db"
    db = Database(sqlite_url(path))
    migrations.upgrade(db)
    db.dispose()
    return path


@pytest.fixture
def laptop(sqlite_template, tmp_path):
    path = tmp_path / "laptop.db"
    shutil.copyfile(sqlite_template, path)
    db = Database(sqlite_url(path))
    o = office(Services(db))
    with db.engine.begin() as conn:
        state.save(
            conn,
            hub_id="hub",
            device_id=str(uuid.uuid4()),
            device_code="L3",
            device_name="لپ‌تاپ",
            user_id=str(o.rep.user_id),
            login="rep",
            secret="00",
        )
    yield o
    db.dispose()


@pytest.fixture
def o(services):
    return office(services)


def _quote(o):
    return o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o)))


def test_a_laptop_numbers_its_quotes_in_its_own_series(laptop) -> None:
    first, second = _quote(laptop), _quote(laptop)
    assert (first.number, first.device_code, first.number_text) == (1, "L3", "L3-1")
    assert (second.number, second.number_text) == (2, "L3-2")
    rows = laptop.services.quotes.search(laptop.rep, QuoteQuery(sort="number", descending=False))
    assert [r.number_text for r in rows] == ["L3-1", "L3-2"]
    assert [r.id for r in laptop.services.quotes.search(laptop.rep, QuoteQuery("l3-2"))] == [second.id]
    with laptop.services.db.read(SYSTEM) as s:
        assert numbering.last_number(s, numbering.QUOTE, first.fiscal_year) == 0  # the office's stays the office's
        assert numbering.last_number(s, "quote@L3", first.fiscal_year) == 2


def test_a_laptop_copied_again_numbers_above_what_came_back_from_the_office(laptop) -> None:
    o = laptop
    with o.services.db.write(SYSTEM) as s:  # as the first copy brings them: counters empty
        s.add(Quote(identity_id=o.customer, owner_id=o.rep.user_id, issue_date=DAY, number=4, fiscal_year=1404,
                    device_code="L3"))  # fmt: skip
        s.add(Quote(identity_id=o.customer, owner_id=o.rep.user_id, issue_date=DAY, number=9, fiscal_year=1404,
                    device_code="L4"))  # fmt: skip
    invoice = issued_invoice(o)
    with o.services.db.write(SYSTEM) as s:
        s.get(NumberSeries, ("invoice@L3", 0)).last_number = 0  # as if copied again
        s.add(Invoice(identity_id=o.customer, owner_id=o.rep.user_id, issue_date=DAY, state=DocumentState.ISSUED,
                      provisional_number="P-L3-12", fiscal_year=1404))  # fmt: skip
    assert _quote(o).number_text == "L3-5"
    assert invoice.provisional_number == "P-L3-1"
    assert issued_invoice(o).provisional_number == "P-L3-13"


def test_office_quotes_keep_their_plain_numbers(o) -> None:
    quote = _quote(o)
    assert (quote.device_code, quote.number_text) == ("", "1")


def test_a_laptop_issues_invoices_with_provisional_numbers_only(laptop) -> None:
    first = issued_invoice(laptop)
    assert (first.number, first.provisional_number, first.state) == (None, "P-L3-1", DocumentState.ISSUED)
    assert first.number_text == "پیش‌شماره P-L3-1 (شماره قطعی پس از همگام‌سازی)"
    drafts = [laptop.services.invoices.create(laptop.rep, invoice_draft(laptop)).id for _ in range(2)]
    issued = laptop.services.invoices.issue_many(laptop.rep, drafts)
    assert [(i.number, i.provisional_number) for i in issued] == [(None, "P-L3-2"), (None, "P-L3-3")]
    with laptop.services.db.read(SYSTEM) as s:
        assert s.get(Product, laptop.products["A"]).on_hand == 100 - 3 * 3  # stock moves locally as today
        assert numbering.last_number(s, numbering.INVOICE, first.fiscal_year) == 0
    found = laptop.services.invoices.search(laptop.rep, InvoiceQuery("P-L3-1"))
    assert [(r.id, r.number_text) for r in found] == [(first.id, first.number_text)]
    listed = laptop.services.invoices.get(laptop.rep, first.id)
    assert listed.number_text == first.number_text
    with pytest.raises(DocumentLocked):
        laptop.services.invoices.update(laptop.rep, first.id, listed.as_draft())


def test_the_laptops_numbers_read_the_same_in_every_list(laptop) -> None:
    o = laptop
    _quote(o)
    invoice = issued_invoice(o)
    label = "پیش‌شماره P-L3-1 (شماره قطعی پس از همگام‌سازی)"
    entries = o.services.record_documents.of_record(o.rep, identity_id=o.customer).entries
    assert sorted(e.number_text for e in entries) == sorted(["L3-1", label])
    titles = {item.title for item in o.services.timeline.for_identity(o.rep, o.customer)}
    assert {"پیش‌فاکتور شماره L3-1", f"صورتحساب {label}"} <= titles
    (open_invoice,) = o.services.receipts.open_invoices(o.rep, o.customer)
    assert (open_invoice.id, open_invoice.number_text) == (invoice.id, label)
    board = o.services.cardboard.load(o.rep).extra  # DAY is long past: awaiting and overdue
    assert board["invoices_awaiting"].rows[0].title == f"صورتحساب {label}"
    assert board["invoices_overdue"].rows[0].title.endswith(f" · صورتحساب {label}")
    with o.services.db.read(SYSTEM) as s:  # a laptop's own numbers are no broken invariant
        assert problems(s) == []


def test_the_legal_number_comes_back_to_the_laptop_and_nothing_else_may(laptop) -> None:
    """The pull writes the office's number onto the laptop's issued invoice under `legal_numbers`."""
    invoice = issued_invoice(laptop)
    with pytest.raises(DocumentLocked):
        with laptop.services.db.write(laptop.rep) as s, legal_numbers(s):
            s.get(Invoice, invoice.id).notes = "دست‌کاری"
            s.flush()
    with laptop.services.db.write(laptop.rep) as s, legal_numbers(s):
        pulled = s.get(Invoice, invoice.id)
        pulled.number, pulled.fiscal_year = 14, 1404
        s.flush()  # inside: the permission ends with the block
    view = laptop.services.invoices.get(laptop.rep, invoice.id)
    assert (view.number, view.provisional_number, view.number_text) == (14, "P-L3-1", "14")
    with pytest.raises(DocumentLocked):
        with laptop.services.db.write(laptop.rep) as s, legal_numbers(s):
            s.get(Invoice, invoice.id).number = 15
            s.flush()


def test_the_provisional_invoice_prints_as_not_yet_numbered(laptop, tmp_path) -> None:
    invoice = issued_invoice(laptop)
    pdf = laptop.services.printing.pdf(laptop.rep, "invoice", invoice.id)
    text = fold(pages(pdf, tmp_path)[0])
    for expected in ("پیش‌شماره", "P-L3-1", "شماره قطعی پس از همگام‌سازی"):
        assert fold(expected) in text, expected
    assert fold("پیش‌نویس") not in text
    lines = readable(poppler_text(pdf, tmp_path)).splitlines()  # the diagonal watermark, a line of its own
    assert "فاقد شماره قطعی" in [line.strip() for line in lines]
    quote = _quote(laptop)
    text = fold(pages(laptop.services.printing.pdf(laptop.rep, "quote", quote.id), tmp_path, "quote")[0])
    assert "L3-1" in text


def _hub_applies(s, invoice, op: str, fields: dict) -> None:
    """The office's apply of the row: its legal number as it is applied, its stock once the batch is in."""
    number_first(s, invoice, op, fields)
    on_hub_apply(s, invoice, op, fields)


def _arrives_issued(o, provisional: str, day=DAY) -> uuid.UUID:
    """What the office's apply does with a laptop's issuing batch: the pushed draft turns issued with its
    provisional number; then the hook runs in the same transaction."""
    draft = o.services.invoices.create(o.rep, invoice_draft(o, day=day))
    with o.services.db.write(o.rep) as s:
        invoice = s.get(Invoice, draft.id)
        fields = {"state": "issued", "provisional_number": provisional, "fiscal_year": 1404}
        invoice.state, invoice.provisional_number, invoice.fiscal_year = DocumentState.ISSUED, provisional, 1404
        invoice.buyer_name = "فروشگاه لوازم اداری نگین"
        s.flush()
        _hub_applies(s, invoice, "update", fields)
    return draft.id


def _numbers(o) -> list[tuple]:
    with o.services.db.read(SYSTEM) as s:
        stmt = select(Invoice.number, Invoice.provisional_number).order_by(Invoice.number)
        return list(s.execute(stmt.where(Invoice.state == DocumentState.ISSUED)))


def test_the_office_gives_gapless_legal_numbers_and_keeps_the_provisional_one(o) -> None:
    issued_invoice(o)  # the office's own: number 1
    first = _arrives_issued(o, "P-L3-1")
    _arrives_issued(o, "P-L4-1")
    issued_invoice(o)
    assert _numbers(o) == [(1, None), (2, "P-L3-1"), (3, "P-L4-1"), (4, None)]
    with o.services.db.read(SYSTEM) as s:
        assert s.get(Product, o.products["A"]).on_hand == 100 - 4 * 3  # the office moved its own stock
    view = o.services.invoices.get(o.rep, first)
    assert (view.number, view.fiscal_year, view.number_text) == (2, 1404, "2")
    with o.services.db.write(o.rep) as s:  # the batch applied again: nothing new is taken
        invoice = s.get(Invoice, first)
        _hub_applies(s, invoice, "update", {"state": "issued", "provisional_number": "P-L3-1"})
    assert _numbers(o)[-1] == (4, None)
    with o.services.db.read(SYSTEM) as s:
        counter = s.get(NumberSeries, (numbering.INVOICE, 1404))
        assert counter.last_number == 4
        assert s.get(Product, o.products["A"]).on_hand == 100 - 4 * 3
    with o.services.db.write(o.rep) as s:  # a laptop's quote, as pushed
        s.add(Quote(identity_id=o.customer, owner_id=o.rep.user_id, issue_date=DAY, number=9, fiscal_year=1404,
                    device_code="L3"))  # fmt: skip
    with o.services.db.read(SYSTEM) as s:
        assert problems(s) == []


def test_an_invoice_inserted_issued_is_numbered_too(o) -> None:
    draft = o.services.invoices.create(o.rep, invoice_draft(o))
    with o.services.db.write(o.rep) as s:
        old = s.get(Invoice, draft.id)
        lines = load_lines(s, InvoiceLine, "invoice_id", old.id)
        assert lines
        invoice = Invoice(
            identity_id=o.customer, owner_id=o.rep.user_id, issue_date=DAY, state=DocumentState.ISSUED,
            provisional_number="P-L3-9", fiscal_year=1404,
        )  # fmt: skip
        s.add(invoice)
        s.flush()
        _hub_applies(s, invoice, "insert", {"state": "issued"})
        assert invoice.number == 1


def test_the_legal_number_follows_the_dates(o) -> None:
    issued_invoice(o)  # 1404/09/01
    with pytest.raises(ServiceError, match="صورتحساب P-L3-1 شمارهٔ قطعی نگرفت: تاریخ سند نمی‌تواند پیش از"):
        _arrives_issued(o, "P-L3-1", day=DAY.replace(day=1))
    assert _numbers(o) == [(1, None)]


def test_the_guard_lets_only_the_legal_number_through(o) -> None:
    own = issued_invoice(o)
    numbered = _arrives_issued(o, "P-L3-1")
    with pytest.raises(DocumentLocked):  # an office invoice is never renumbered
        with o.services.db.write(o.rep) as s:
            invoice = s.get(Invoice, own.id)
            invoice.provisional_number = "P-L3-2"
            _hub_applies(s, invoice, "update", {"provisional_number": "P-L3-2"})
    with o.services.db.write(o.rep) as s:  # numbered: the hook leaves it alone
        invoice = s.get(Invoice, numbered)
        _hub_applies(s, invoice, "update", {})
        assert invoice.number == 2
    from app.services.core.document_guard import ALLOW_LEGAL_NUMBER

    with pytest.raises(DocumentLocked):  # even allowed, nothing but the number of an unnumbered one
        with o.services.db.write(o.rep) as s:
            s.info[ALLOW_LEGAL_NUMBER] = True
            invoice = s.get(Invoice, numbered)
            invoice.number = 7
    with pytest.raises(DocumentLocked):
        with o.services.db.write(o.rep) as s:
            s.info[ALLOW_LEGAL_NUMBER] = True
            invoice = s.get(Invoice, _arrives_unnumbered(o))
            invoice.number, invoice.notes = 3, "دست‌کاری"


def _arrives_unnumbered(o) -> uuid.UUID:
    draft = o.services.invoices.create(o.rep, invoice_draft(o))
    with o.services.db.write(o.rep) as s:
        invoice = s.get(Invoice, draft.id)
        invoice.state, invoice.provisional_number, invoice.fiscal_year = DocumentState.ISSUED, "P-L3-5", 1404
    return draft.id


def test_the_laptop_does_not_send_what_the_office_derives() -> None:
    assert should_push("products", {"on_hand": 91.0, "version": 3}) == {}
    assert should_push("products", {"on_hand": 91.0, "name": "کالا", "version": 3}) == {"name": "کالا", "version": 3}
    assert should_push("invoices", {"state": "issued", "number": None, "provisional_number": "P-L3-1"}) == {
        "state": "issued",
        "provisional_number": "P-L3-1",
    }
    fields = {"title": "فرصت"}
    assert should_push("opportunities", fields) is fields


@pytest.fixture
def attacked(monkeypatch):
    """An office server with a rep on her own role (tests/security/attack_office.py)."""
    from argon2 import PasswordHasher

    from app.services.admin import passwords
    from tests.security.attack_office import attacked_office

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with attacked_office() as made:
        yield made


def test_on_a_reps_own_role_the_server_lets_exactly_the_legal_number_through(attacked) -> None:
    """The apply runs as the laptop's user: the server's triggers move the stock when the invoice turns
    issued, check its number at COMMIT (given after the row arrived) and refuse any other change."""
    import psycopg

    from tests.security.attack_office import STOCK

    services, maryam = attacked.as_maryam, attacked.maryam
    draft = attacked.draft_invoice(quantity=2).id  # the office's invoice 1 took 1 already
    fields = {"state": "issued", "provisional_number": "P-L3-1", "fiscal_year": 1405}
    for _ in range(2):  # the same batch twice: one number
        with services.db.write(maryam) as s:
            invoice = s.get(Invoice, draft)
            if invoice.number is None:
                invoice.state, invoice.provisional_number, invoice.fiscal_year = DocumentState.ISSUED, "P-L3-1", 1405
                s.flush()
            _hub_applies(s, invoice, "update", fields)
    assert attacked.as_owner("SELECT number, provisional_number FROM invoices WHERE id = %s", (draft,)) == [
        (2, "P-L3-1")
    ]
    assert attacked.as_owner("SELECT last_number FROM number_series WHERE series = 'invoice'") == [(2,)]
    stock = attacked.as_owner("SELECT on_hand FROM products WHERE id = %s", (attacked.mine["product"],))
    assert stock[0][0] == STOCK - 3  # moved once, by the server
    other = attacked.draft_invoice().id
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.RaiseException):  # numbered: nothing changes any more
            conn.execute("UPDATE invoices SET number = NULL WHERE id = %s", (draft,))
        with pytest.raises(psycopg.errors.CheckViolation):  # issued with a provisional number only
            conn.execute("UPDATE invoices SET state = 'issued', provisional_number = 'P-L3-2' WHERE id = %s", (other,))
        with conn.transaction():
            conn.execute(
                "UPDATE invoices SET state = 'issued', provisional_number = 'P-L3-3', fiscal_year = 1405 WHERE id = %s",
                (other,),
            )
            with pytest.raises(psycopg.errors.RaiseException):  # not a number: its notes
                with conn.transaction():
                    conn.execute("UPDATE invoices SET notes = 'x' WHERE id = %s", (other,))
            with pytest.raises(psycopg.errors.CheckViolation):  # a number not from the counter
                with conn.transaction():
                    conn.execute("UPDATE invoices SET number = 3 WHERE id = %s", (other,))
                    conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
            conn.execute("SELECT first_number FROM peyvand_take_numbers('invoice', 1405, 1, NULL)")
            conn.execute("UPDATE invoices SET number = 3 WHERE id = %s", (other,))
    assert attacked.as_owner("SELECT number FROM invoices WHERE id = %s", (other,)) == [(3,)]


def test_on_a_reps_own_role_a_laptops_quotes_do_not_disturb_the_office_counter(attacked) -> None:
    from tests.security.attack_office import DAY

    services, maryam, mine = attacked.as_maryam, attacked.maryam, attacked.mine
    line = LineDraft("", Decimal(1), 1_000_000, 0, None, mine["product"])
    first = services.quotes.create(maryam, QuoteDraft(mine["identity"], DAY, [line]))
    with services.db.write(maryam) as s:  # a laptop's quote arrives with its own number
        s.add(
            Quote(identity_id=mine["identity"], owner_id=maryam.user_id, issue_date=DAY, number=7, fiscal_year=1405,
                  device_code="L3")
        )  # fmt: skip
    second = services.quotes.create(maryam, QuoteDraft(mine["identity"], DAY, [line]))
    assert (first.number_text, second.number_text) == ("1", "2")


def test_a_laptop_does_not_number_what_only_the_office_numbers(laptop) -> None:
    """Receipts, returns and contracts take the office's numbers: on a laptop they are refused with a
    Persian message (not made with a number that would clash at the office), and nothing is written."""
    from app.services.core.errors import ServiceError

    draft = ReceiptDraft(laptop.customer, 5_000_000, DAY, PaymentMethod.CASH)
    with pytest.raises(ServiceError, match="در دفتر ثبت کنید"):
        laptop.services.receipts.create(laptop.rep, draft)
    assert laptop.services.sync.status(laptop.rep).waiting == 0
