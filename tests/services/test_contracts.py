"""Financial contracts (seed 000): a schedule summing to the amount, a gapless number, the balance's debit,
receipts paying instalments, and cancelling by an earlier end date."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from app.models.enums import ChequeState, DocumentState, PaymentMethod, QuoteState
from app.services.core.document_guard import DocumentLocked
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.documents.contract_payments import InstalmentShare
from app.services.documents.contract_views import ContractDraft, InstalmentDraft, add_months, split_schedule
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from app.services.documents.receipts import ReceiptDraft
from tests.services.doc_helpers import DAY, office, opportunity

END = DAY + dt.timedelta(days=364)


@pytest.fixture
def o(services):
    return office(services)


def _draft(o, opp=None, instalments=None, total=30_000_000) -> ContractDraft:
    schedule = instalments if instalments is not None else split_schedule(total, DAY, 3)
    lines = [LineDraft("پشتیبانی سالانه", Decimal(1), total, 0, 0)]
    return ContractDraft(o.customer, DAY, DAY, END, lines, schedule, opp)


def _signed(o, opp=None):
    draft = o.services.contracts.create(o.rep, _draft(o, opp))
    return o.services.contracts.sign(o.rep, draft.id, draft.version)


def _pay(o, contract, index, amount):
    share = InstalmentShare(contract.instalments[index].id, amount)
    draft = ReceiptDraft(o.customer, amount, DAY, PaymentMethod.CASH, instalments=[share])
    return o.services.receipts.create(o.rep, draft)


def test_schedule_split_over_jalali_months_sums_to_the_amount() -> None:
    schedule = split_schedule(10_000_000, dt.date(2025, 8, 23), 3)  # 1404/06/01
    assert [i.amount for i in schedule] == [3_333_333, 3_333_333, 3_333_334]
    assert [i.due_date for i in schedule] == [dt.date(2025, 8, 23), dt.date(2025, 9, 23), dt.date(2025, 10, 23)]
    assert add_months(dt.date(2025, 9, 22), 6) == dt.date(2026, 3, 20)  # 1404/06/31 -> 1404/12/29


def test_a_schedule_that_does_not_sum_to_the_amount_is_refused_at_signing(o) -> None:
    short = [InstalmentDraft(DAY, 10_000_000), InstalmentDraft(END, 10_000_000)]
    draft = o.services.contracts.create(o.rep, _draft(o, instalments=short))  # a draft may be incomplete
    with pytest.raises(ValidationFailed) as refused:
        o.services.contracts.sign(o.rep, draft.id, draft.version)
    assert "جمع اقساط" in refused.value.errors["instalments"]
    late = [InstalmentDraft(END + dt.timedelta(days=1), 30_000_000)]
    with pytest.raises(ValidationFailed) as refused:
        o.services.contracts.create(o.rep, _draft(o, instalments=late))
    assert "instalments.0" in refused.value.errors
    assert o.services.contracts.get(o.rep, draft.id).number is None


def test_from_an_opportunity_copies_its_accepted_quotes_lines(o) -> None:
    opp = opportunity(o)
    lines = [LineDraft("پروژه", Decimal(1), 20_000_000, 0, 0)]
    quote = o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, lines, END, opp))
    o.services.quotes.set_state(o.rep, quote.id, QuoteState.ACCEPTED)
    draft = o.services.contracts.from_opportunity(o.rep, opp)
    assert (draft.quote_id, draft.totals.total, draft.instalments) == (quote.id, 20_000_000, [])
    assert draft.end_date == add_months(draft.start_date, 12) - dt.timedelta(days=1)


def test_from_an_accepted_quote_once(o) -> None:
    lines = [LineDraft("پروژه", Decimal(1), 20_000_000, 0, 0)]
    quote = o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, lines, END, notes="تحویل در دفتر"))
    with pytest.raises(ServiceError):  # a draft quote is no agreement yet
        o.services.contracts.from_quote(o.rep, quote.id)
    o.services.quotes.set_state(o.rep, quote.id, QuoteState.ACCEPTED)
    draft = o.services.contracts.from_quote(o.rep, quote.id)
    assert (draft.quote_id, draft.totals.total, draft.notes) == (quote.id, 20_000_000, "تحویل در دفتر")
    assert o.services.contracts.from_quote(o.rep, quote.id).id == draft.id  # its draft again, not another
    schedule = split_schedule(20_000_000, draft.start_date, 2)
    updated = o.services.contracts.update(o.rep, draft.id, replace(draft.as_draft(), instalments=schedule))
    o.services.contracts.sign(o.rep, draft.id, updated.version)
    with pytest.raises(ServiceError) as refused:
        o.services.contracts.from_quote(o.rep, quote.id)
    assert "قبلاً قرارداد" in refused.value.message


def test_signing_numbers_in_its_own_series_and_debits_the_balance(o) -> None:
    opp = opportunity(o)
    draft = o.services.contracts.create(o.rep, _draft(o, opp))
    assert draft.number is None and o.services.balances.identity_balance(o.rep, o.customer).balance == 0
    first = o.services.contracts.sign(o.rep, draft.id, draft.version)
    second = _signed(o)
    assert (first.number, second.number, first.state) == (1, 2, DocumentState.ISSUED)
    assert o.services.balances.opportunity_balance(o.rep, opp).balance == 30_000_000
    assert o.services.balances.identity_balance(o.rep, o.customer).balance == 60_000_000
    with pytest.raises(DocumentLocked):
        o.services.contracts.update(o.rep, first.id, first.as_draft())


def test_a_receipt_pays_an_instalment_and_credits_the_balance(o) -> None:
    contract = _signed(o)
    open_before = o.services.instalments.open_instalments(o.rep, o.customer)
    assert [i.due for i in open_before] == [10_000_000] * 3
    receipt = _pay(o, contract, 0, 10_000_000)
    assert receipt.unallocated == 0 and receipt.instalments[0].contract_number == contract.number
    view = o.services.contracts.get(o.rep, contract.id)
    assert [i.due for i in view.instalments] == [0, 10_000_000, 10_000_000]
    assert o.services.balances.identity_balance(o.rep, o.customer).balance == 20_000_000
    with pytest.raises(ValidationFailed) as refused:
        _pay(o, contract, 0, 1)  # already paid
    assert "instalments.0" in refused.value.errors


def test_moving_the_end_date_earlier_cancels_the_later_instalments(o) -> None:
    contract = _signed(o)
    _pay(o, contract, 0, 10_000_000)
    second_due = contract.instalments[1].due_date
    moved = o.services.contracts.change_end_date(o.rep, contract.id, second_due, contract.version)
    assert [i.owed for i in moved.instalments] == [True, True, False]
    assert (moved.owed, moved.due) == (20_000_000, 10_000_000)
    assert o.services.balances.identity_balance(o.rep, o.customer).balance == 10_000_000
    assert [i.due for i in o.services.instalments.open_instalments(o.rep, o.customer)] == [0, 10_000_000]
    # Never before the start; back later, the cancelled instalment is owed again.
    with pytest.raises(ValidationFailed) as refused:
        o.services.contracts.change_end_date(o.rep, contract.id, DAY - dt.timedelta(days=1), moved.version)
    assert "شروع" in refused.value.errors["end_date"]
    back = o.services.contracts.change_end_date(o.rep, contract.id, END, moved.version)
    assert back.owed == 30_000_000


def test_an_instalment_after_a_paid_one_cannot_be_cancelled_below_its_payment(o) -> None:
    contract = _signed(o)
    _pay(o, contract, 2, 1_000_000)  # a little of the last instalment
    with pytest.raises(ValidationFailed) as refused:
        o.services.contracts.change_end_date(o.rep, contract.id, contract.instalments[1].due_date, contract.version)
    assert "قسط ۳" in refused.value.errors["end_date"]


def test_merging_opportunities_moves_a_signed_contract_and_its_debit(o) -> None:
    survivor, merged = opportunity(o), opportunity(o)
    contract = _signed(o, merged)
    result = o.services.opportunity_merge.merge(o.rep, survivor, merged)
    assert o.services.contracts.get(o.rep, contract.id).opportunity_id == survivor
    assert o.services.balances.opportunity_balance(o.rep, survivor).balance == 30_000_000
    o.services.opportunity_merge.undo(o.rep, result.merge_id)
    assert o.services.contracts.get(o.rep, contract.id).opportunity_id == merged


def test_merging_identities_moves_a_signed_contract_and_its_debit(o) -> None:
    contract = _signed(o)
    o.services.identity_merge.merge(o.rep, o.person, o.customer)
    assert o.services.contracts.get(o.rep, contract.id).identity_id == o.person
    assert o.services.balances.identity_balance(o.rep, o.person).balance == 30_000_000
    assert [i.due for i in o.services.instalments.open_instalments(o.rep, o.person)] == [10_000_000] * 3


def test_a_bounced_cheque_deposited_again_cannot_pay_an_instalment_settled_meanwhile(o) -> None:
    contract = _signed(o)
    first = contract.instalments[0]
    cheque = ReceiptDraft(
        o.customer, first.amount, DAY, PaymentMethod.CHEQUE, cheque_number="11", cheque_bank="ملت",
        cheque_due=DAY, cheque_sayad="1234567890123456", instalments=[InstalmentShare(first.id, first.amount)],
    )  # fmt: skip
    receipt = o.services.receipts.create(o.rep, cheque)
    deposited = o.services.receipts.move_cheque(o.rep, receipt.id, ChequeState.DEPOSITED)
    bounced = o.services.receipts.move_cheque(o.rep, receipt.id, ChequeState.BOUNCED, deposited.version)
    assert o.services.balances.identity_balance(o.rep, o.customer).balance == 30_000_000  # it paid nothing
    _pay(o, contract, 0, first.amount)  # paid in cash meanwhile
    with pytest.raises(ValidationFailed) as refused:
        o.services.receipts.move_cheque(o.rep, receipt.id, ChequeState.DEPOSITED, bounced.version)
    assert "قسط ۱ قرارداد ۱" in refused.value.errors["cheque_state"]
