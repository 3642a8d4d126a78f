"""An open opportunity form follows the administrator's pick lists: refilled once per batch of
writes, off the GUI thread, only when shown, keeping what the user chose and typed."""

from __future__ import annotations

from app.services.core.changes import ChangeBuilder, Op
from app.ui.events import publish
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.ops import op
from app.ui.tasks import Task
from tests.services.sales_helpers import identity
from tests.ui.persian_typing import type_text
from tests.ui.test_record_documents_ui import issue_invoice


def counting_choices(sales, monkeypatch) -> list[int]:
    records, calls = sales.services.opportunity_records, []
    real = records.choices
    monkeypatch.setattr(records, "choices", lambda actor: calls.append(1) or real(actor))
    return calls


def settled() -> bool:
    """No background read is running (one started by mistake would have been counted by now)."""
    return not Task._running


def open_form(qtbot, sales) -> OpportunityForm:
    form = OpportunityForm(sales.services, sales.rep, sales.new(title="فروش"))
    qtbot.addWidget(form)
    form.show()
    return form


def test_a_new_source_is_offered_and_the_users_choice_and_typing_stay(qtbot, sales, monkeypatch) -> None:
    lists, admin = sales.services.sales_lists, sales.admin
    old = op(None, lambda: lists.save_item(admin, "sources", "نمایشگاه الکامپ")).run()
    form = open_form(qtbot, sales)
    calls = counting_choices(sales, monkeypatch)
    form.source.setCurrentIndex(form.source.findText("نمایشگاه الکامپ"))
    type_text(form.title_edit, " ویژه")
    assert form.is_dirty()

    op(None, lambda: lists.save_item(admin, "sources", "تماس ورودی")).run()
    qtbot.waitUntil(lambda: form.source.findText("تماس ورودی") > 0)
    assert form.source.currentData() == old and form.title_edit.text() == "فروش ویژه" and form.is_dirty()
    assert calls == [1]

    op(None, lambda: lists.save_item(admin, "sources", "نمایشگاه الکامپ", old, is_active=False)).run()
    qtbot.waitUntil(lambda: calls == [1, 1])
    assert form.source.currentData() == old  # taken off the list, still this opportunity's until changed


def test_one_refill_per_batch_and_none_while_hidden(qtbot, sales, monkeypatch) -> None:
    form = open_form(qtbot, sales)
    calls = counting_choices(sales, monkeypatch)
    batch = ChangeBuilder()
    for table in ("stages", "pipelines", "sources", "campaigns", "users"):
        batch.add(table, table, Op.UPDATE)
    publish(batch.build())
    qtbot.waitUntil(lambda: calls == [1])

    form.hide()  # a background tab
    publish(batch.build())
    publish(batch.build())
    qtbot.waitUntil(settled)
    assert calls == [1]
    form.show()
    qtbot.waitUntil(lambda: calls == [1, 1])
    qtbot.waitUntil(settled)
    assert calls == [1, 1]


def test_changes_to_other_tables_refill_nothing(qtbot, sales, monkeypatch) -> None:
    open_form(qtbot, sales)
    calls = counting_choices(sales, monkeypatch)
    batch = ChangeBuilder()
    batch.add("activities", "a", Op.INSERT)
    publish(batch.build())
    qtbot.waitUntil(settled)
    assert calls == []


def test_the_header_balance_follows_its_own_invoices_only(qtbot, sales, monkeypatch) -> None:
    form = open_form(qtbot, sales)
    records, loads = sales.services.opportunity_records, []
    real = records.get
    monkeypatch.setattr(records, "get", lambda *a: loads.append(1) or real(*a))
    issue_invoice(sales, identity(sales.services, sales.rep, "شرکت بتا"))  # someone else's
    qtbot.waitUntil(settled)
    assert loads == [] and form.balance.text() == "مانده: بی‌حساب"

    issue_invoice(sales, sales.customer, form.detail.id)
    qtbot.waitUntil(lambda: form.balance.text() == "مانده: ۱۸۵٬۰۰۰٬۰۰۰ ریال بدهکار")
