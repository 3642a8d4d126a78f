"""Where a contract shows besides its form: the rep's cardboard «اقساط سررسید قرارداد» (instalments due
within a week or overdue, not fully paid, not cancelled), the identity's «سوابق» and a record's «اسناد»,
and the documents dock's list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.models.enums import PaymentMethod
from app.services.documents.contract_payments import InstalmentShare
from app.services.documents.contract_views import ContractDraft, ContractQuery, InstalmentDraft
from app.services.documents.lines import LineDraft
from app.services.documents.receipts import ReceiptDraft
from tests.services.doc_helpers import office, opportunity


def _contract(o, opp=None, sign: bool = True):
    """Four instalments: overdue, due in three days, due in a month, due in two months."""
    today = dt.date.today()  # at the test's run, not at import: a run may cross midnight
    start, end = today - dt.timedelta(days=40), today + dt.timedelta(days=90)
    days = (today - dt.timedelta(days=10), today + dt.timedelta(days=3), today + dt.timedelta(days=30), end)
    lines = [LineDraft("پشتیبانی", Decimal(1), 4_000_000, 0, 0)]
    schedule = [InstalmentDraft(day, 1_000_000) for day in days]
    draft = o.services.contracts.create(o.rep, ContractDraft(o.customer, start, start, end, lines, schedule, opp))
    return o.services.contracts.sign(o.rep, draft.id, draft.version) if sign else draft


def test_the_cardboard_lists_the_reps_instalments_due_within_a_week(services) -> None:
    today = dt.date.today()
    o = office(services)
    contract = _contract(o)
    section = o.services.cardboard.load(o.rep).extra["instalments_due"]
    assert section.total == 2 and [r.id for r in section.rows] == [contract.id, contract.id]
    assert [r.title for r in section.rows] == ["قسط ۱ قرارداد ۱", "قسط ۲ قرارداد ۱"]
    assert section.rows[0].kind == "contract" and "مانده ۱٬۰۰۰٬۰۰۰ ریال" in section.rows[0].subtitle
    share = InstalmentShare(contract.instalments[0].id, 1_000_000)
    o.services.receipts.create(
        o.rep, ReceiptDraft(o.customer, 1_000_000, today, PaymentMethod.CASH, instalments=[share])
    )
    o.services.contracts.change_end_date(o.rep, contract.id, today - dt.timedelta(days=5))  # the second cancelled
    assert o.services.cardboard.load(o.rep).extra["instalments_due"].total == 0
    assert o.services.cardboard.load(o.other).extra["instalments_due"].total == 0


def test_a_draft_owes_nothing_and_is_not_on_the_cardboard(services) -> None:
    o = office(services)
    _contract(o, sign=False)
    assert o.services.cardboard.load(o.rep).extra["instalments_due"].total == 0
    assert o.services.balances.identity_balance(o.rep, o.customer).balance == 0


def test_the_timeline_the_records_documents_and_the_list_show_it(services) -> None:
    o = office(services)
    opp = opportunity(o)
    contract = _contract(o, opp)
    items = [i for i in o.services.timeline.for_identity(o.rep, o.customer) if i.kind == "contract"]
    assert [i.title for i in items] == ["قرارداد شماره ۱"] and "۴٬۰۰۰٬۰۰۰ ریال" in items[0].detail
    tab = o.services.record_documents.of_record(o.rep, opportunity_id=opp)
    (entry,) = [e for e in tab.entries if e.kind == "contract"]
    assert (entry.id, entry.label, entry.number, entry.amount) == (contract.id, "قرارداد", 1, 4_000_000)
    assert entry.state.startswith("ثبت نهایی · پایان")
    assert tab.balance.balance == 4_000_000
    assert o.services.record_documents.concerns(o.rep, {"contracts": frozenset({contract.id})}, opportunity_id=opp)
    rows = o.services.contracts.search(o.rep, ContractQuery(text="۱"))
    assert [r.id for r in rows] == [contract.id] and o.services.contracts.count(o.other, ContractQuery()) == 0


def test_moving_the_end_date_is_in_the_history_in_persian(services) -> None:
    today = dt.date.today()
    o = office(services)
    contract = _contract(o)
    o.services.contracts.change_end_date(o.rep, contract.id, today)
    rows = [r for r in o.services.history.changes(o.admin) if r.record_table == "contracts" and r.action == "update"]
    moved = [c for r in rows for c in r.changes if c.field == "end_date"]
    assert rows[0].record_kind == "قرارداد" and [c.label for c in moved] == ["تاریخ پایان"]


def test_a_deleted_draft_is_in_the_recycle_bin_and_its_history_opens(services) -> None:
    o = office(services)
    draft = _contract(o, sign=False)
    o.services.contracts.delete(o.rep, draft.id)
    (row,) = o.services.recycle_bin.deleted(o.admin, "contracts")
    assert (row.id, row.record_kind, row.title) == (draft.id, "قرارداد", "پیش‌نویس قرارداد 4000000")
    o.services.recycle_bin.restore(o.admin, "contracts", draft.id)
    assert o.services.contracts.count(o.rep, ContractQuery()) == 1
    history = o.services.history.record_history(o.rep, "contracts", draft.id)
    assert {h.record_kind for h in history} >= {"قرارداد", "قسط قرارداد"}
