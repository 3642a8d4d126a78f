"""Cheques received: the Sayad id, bank, branch and due date; the state workflow; the list of cheques due."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace as _with

import pytest

from app.models import Receipt
from app.models.enums import ChequeState, MoneyDirection, PaymentMethod
from app.services.core.actor import SYSTEM
from app.services.core.errors import AccessDenied, TransitionRefused, ValidationFailed
from app.services.documents.receipts import ReceiptDraft
from tests.services.doc_helpers import DAY, office

SAYAD = "1234567890123456"


@pytest.fixture
def o(services):
    return office(services)


def _cheque(o, sayad=SAYAD, due=DAY + dt.timedelta(days=30), amount=1_000_000, **values):
    draft = ReceiptDraft(o.customer, amount, DAY, PaymentMethod.CHEQUE, cheque_number="789012", cheque_bank="ملت",
                         cheque_due=due, cheque_sayad=sayad, **values)  # fmt: skip
    return o.services.receipts.create(o.rep, draft)


@pytest.mark.parametrize(
    "typed", ["۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦", "1234 5678 9012 3456", "1234-5678-9012-3456", "\u200e" + SAYAD]
)
def test_the_sayad_id_is_typed_in_any_digits_and_kept_in_latin(o, typed) -> None:
    cheque = _cheque(o, typed, cheque_branch="  ونک ")
    assert (cheque.cheque_sayad, cheque.cheque_branch) == (SAYAD, "ونک")
    assert o.services.receipts.get(o.rep, cheque.id).cheque_sayad == SAYAD


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "شناسه صیادی چک را وارد کنید."),
        ("123456789012345", "شناسه صیادی باید ۱۶ رقم باشد."),
        ("12345678901234567", "شناسه صیادی باید ۱۶ رقم باشد."),
        ("12345678901234ab", "شناسه صیادی فقط رقم است."),
        ("0000000000000000", "شناسه صیادی معتبر نیست."),
    ],
)
def test_a_bad_sayad_id_is_refused_beside_its_field(o, typed, message) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _cheque(o, typed)
    assert caught.value.errors == {"cheque_sayad": message}


def test_one_cheque_is_recorded_once(o) -> None:
    first = _cheque(o)
    with pytest.raises(ValidationFailed) as caught:
        _cheque(o, "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶")
    assert caught.value.errors == {"cheque_sayad": "چکی با این شناسه صیادی قبلاً ثبت شده است."}
    edited = o.services.receipts.update(o.rep, first.id, first.as_draft())  # its own id is no twin
    assert edited.cheque_sayad == SAYAD
    o.services.receipts.delete(o.rep, first.id)
    assert _cheque(o).cheque_sayad == SAYAD  # the deleted one no longer counts


def test_a_cheque_recorded_before_the_sayad_id_existed_stays_editable(o) -> None:
    cheque = _cheque(o)
    with o.services.db.write(SYSTEM) as s:
        s.get(Receipt, cheque.id).cheque_sayad = None
    old = o.services.receipts.get(o.rep, cheque.id)
    edited = o.services.receipts.update(o.rep, cheque.id, _with(old.as_draft(), notes="پیگیری شد"))
    assert edited.notes == "پیگیری شد" and edited.cheque_sayad == ""
    cash = o.services.receipts.create(o.rep, ReceiptDraft(o.customer, 100, DAY, PaymentMethod.CASH))
    with pytest.raises(ValidationFailed) as caught:  # becoming a cheque now needs the id
        o.services.receipts.update(
            o.rep,
            cash.id,
            _with(cash.as_draft(), method=PaymentMethod.CHEQUE, cheque_number="1", cheque_bank="ملی", cheque_due=DAY),
        )
    assert set(caught.value.errors) == {"cheque_sayad"}


def test_a_received_cheque_moves_along_its_workflow(o) -> None:
    cheque = _cheque(o)
    assert cheque.cheque_state is ChequeState.RECEIVED
    receipts = o.services.receipts
    deposited = receipts.move_cheque(o.rep, cheque.id, ChequeState.DEPOSITED, cheque.version)
    bounced = receipts.move_cheque(o.rep, cheque.id, ChequeState.BOUNCED, deposited.version)
    again = receipts.move_cheque(o.rep, cheque.id, ChequeState.DEPOSITED)
    cleared = receipts.move_cheque(o.rep, cheque.id, ChequeState.CLEARED)
    assert [v.cheque_state for v in (deposited, bounced, again, cleared)] == [
        ChequeState.DEPOSITED, ChequeState.BOUNCED, ChequeState.DEPOSITED, ChequeState.CLEARED,
    ]  # fmt: skip
    with pytest.raises(TransitionRefused) as caught:
        receipts.move_cheque(o.rep, cheque.id, ChequeState.RETURNED)
    assert str(caught.value) == "چک با وضعیت «وصول‌شده» را نمی‌توان به «عودت‌شده» برد."
    assert receipts.update(o.rep, cheque.id, cleared.as_draft()).cheque_state is ChequeState.CLEARED  # an edit keeps it


def test_only_received_cheques_have_a_state(o) -> None:
    receipts = o.services.receipts
    cash = receipts.create(o.rep, ReceiptDraft(o.customer, 100, DAY, PaymentMethod.CASH))
    paid = _cheque(o, direction=MoneyDirection.OUT)  # a refund by our cheque: its collection is not ours
    assert cash.cheque_state is None and paid.cheque_state is None and paid.cheque_sayad == SAYAD
    for view in (cash, paid):
        with pytest.raises(ValidationFailed) as caught:
            receipts.move_cheque(o.rep, view.id, ChequeState.DEPOSITED)
        assert caught.value.errors == {"cheque_state": "این سند چک دریافتی نیست."}
    cheque = _cheque(o, "1111222233334444")
    as_cash = receipts.update(o.rep, cheque.id, _with(cheque.as_draft(), method=PaymentMethod.CASH))
    assert as_cash.cheque_state is None and as_cash.cheque_sayad == ""


def test_a_colleague_may_not_move_the_reps_cheque(o) -> None:
    cheque = _cheque(o)
    with pytest.raises(AccessDenied):
        o.services.receipts.move_cheque(o.other, cheque.id, ChequeState.DEPOSITED)


def test_cheques_due_lists_the_uncollected_nearest_first(o) -> None:
    late = _cheque(o, "1000000000000001", due=DAY + dt.timedelta(days=40))
    soon = _cheque(o, "1000000000000002", due=DAY + dt.timedelta(days=5))
    deposited = _cheque(o, "1000000000000003", due=DAY + dt.timedelta(days=10))
    o.services.receipts.move_cheque(o.rep, deposited.id, ChequeState.DEPOSITED)
    cleared = _cheque(o, "1000000000000004", due=DAY)
    o.services.receipts.move_cheque(o.rep, cleared.id, ChequeState.CLEARED)
    _cheque(o, "1000000000000005", direction=MoneyDirection.OUT)  # ours to pay: not in the list
    receipts = o.services.receipts
    assert [r.id for r in receipts.cheques_due(o.rep)] == [soon.id, deposited.id, late.id]
    due = receipts.cheques_due(o.rep, until=DAY + dt.timedelta(days=10))
    assert [(r.id, r.state, r.sayad_id) for r in due] == [
        (soon.id, ChequeState.RECEIVED, "1000000000000002"),
        (deposited.id, ChequeState.DEPOSITED, "1000000000000003"),
    ]
    assert receipts.cheques_due(o.other) == []  # a colleague's customers' cheques are not theirs to see
    assert len(receipts.cheques_due(o.admin)) == 3


def test_the_cardboard_shows_the_reps_cheques_due_this_week(o) -> None:
    today = dt.date.today()
    overdue = _cheque(o, "2000000000000001", due=today - dt.timedelta(days=3))
    this_week = _cheque(o, "2000000000000002", due=today + dt.timedelta(days=7))
    _cheque(o, "2000000000000003", due=today + dt.timedelta(days=8))
    section = o.services.cardboard.load(o.rep).extra["cheques_due"]
    assert (section.total, [r.id for r in section.rows]) == (2, [overdue.id, this_week.id])
    first = section.rows[0]
    assert (first.kind, first.title, first.when, first.amount) == (
        "receipt",
        "چک ۷۸۹۰۱۲",
        overdue.cheque_due,
        1_000_000,
    )
    assert first.subtitle.endswith("ملت · دریافت‌شده")
    assert o.services.cardboard.load(o.other).extra["cheques_due"].total == 0


def test_migration_0005_takes_the_cheques_already_received_as_received(o) -> None:
    from alembic import command

    from app.services.core import migrations

    received = _cheque(o)
    paid = _cheque(o, "5000000000000005", direction=MoneyDirection.OUT)
    cash = o.services.receipts.create(o.rep, ReceiptDraft(o.customer, 100, DAY, PaymentMethod.CASH))
    cfg = migrations._config()
    with o.services.db.engine.begin() as conn:  # back to before the cheque columns, then up again
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005_cheques-1")
        command.upgrade(cfg, "head")
    states = {v.id: o.services.receipts.get(o.rep, v.id).cheque_state for v in (received, paid, cash)}
    assert states == {received.id: ChequeState.RECEIVED, paid.id: None, cash.id: None}


def test_a_bounced_or_returned_cheque_pays_nothing(o) -> None:
    from app.models.enums import PaymentStatus
    from app.services.documents.receipts import Allocation
    from tests.services.doc_helpers import issued_invoice

    invoice = issued_invoice(o)
    total = invoice.totals.total
    cheque = _cheque(o, amount=total, allocations=[Allocation(invoice.id, total)])
    receipts, invoices, balances = o.services.receipts, o.services.invoices, o.services.balances
    assert invoices.get(o.rep, invoice.id).payment_status is PaymentStatus.PAID
    assert balances.identity_balance(o.rep, o.customer).balance == 0
    receipts.move_cheque(o.rep, cheque.id, ChequeState.DEPOSITED)
    receipts.move_cheque(o.rep, cheque.id, ChequeState.BOUNCED)
    assert invoices.get(o.rep, invoice.id).payment_status is PaymentStatus.UNPAID
    assert balances.identity_balance(o.rep, o.customer).balance == total  # the customer owes it again
    assert receipts.open_invoices(o.rep, o.customer)[0].due == total  # another receipt may settle it
    receipts.move_cheque(o.rep, cheque.id, ChequeState.RETURNED)
    assert balances.identity_balance(o.rep, o.customer).balance == total


def test_a_bounced_cheque_deposited_again_must_still_fit_its_invoices(o) -> None:
    from app.services.documents.receipts import Allocation
    from tests.services.doc_helpers import issued_invoice

    invoice = issued_invoice(o)
    total = invoice.totals.total
    receipts = o.services.receipts
    cheque = _cheque(o, amount=total, allocations=[Allocation(invoice.id, total)])
    receipts.move_cheque(o.rep, cheque.id, ChequeState.DEPOSITED)
    bounced = receipts.move_cheque(o.rep, cheque.id, ChequeState.BOUNCED)
    cash = ReceiptDraft(o.customer, total, DAY, PaymentMethod.CASH, allocations=[Allocation(invoice.id, total)])
    receipts.create(o.rep, cash)  # the customer paid cash instead
    with pytest.raises(ValidationFailed) as caught:
        receipts.move_cheque(o.rep, cheque.id, ChequeState.DEPOSITED)
    assert caught.value.errors == {
        "cheque_state": "صورتحساب ۱ در این فاصله تسویه شده است؛ ابتدا تخصیص این دریافت را اصلاح کنید."
    }
    with pytest.raises(ValidationFailed):  # nor may the bounced cheque be allocated over the due again
        receipts.update(o.rep, cheque.id, bounced.as_draft())
    unallocated = receipts.update(o.rep, cheque.id, _with(bounced.as_draft(), allocations=[]))
    again = receipts.move_cheque(o.rep, cheque.id, ChequeState.DEPOSITED, unallocated.version)
    assert again.cheque_state is ChequeState.DEPOSITED and again.unallocated == total
