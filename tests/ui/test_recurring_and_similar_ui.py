"""Recurring revenue and similar opportunities (seed 004) through the real widgets: the form's recurring
amount and plan with their MRR, the board's column headers, the list's MRR column and group totals, the
admin's plans, the pivot's MRR measure, and «فرصت‌های مشابه» listing the others and opening one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from app.ui import events
from app.ui.common.combo import index_of, select
from app.ui.opportunities.opportunity_dock import COLUMNS, OpportunityDock
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.opportunities.recurring_plans_dialog import PlanDialog, RecurringPlansDialog
from app.ui.opportunities.similar_dialog import SimilarDialog
from app.ui.qt_setup import configure_application
from app.ui.reports.reports_panel import PIVOT, ReportsPanel
from tests.ui.persian_typing import type_text

M = 1_000_000


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    """Widgets left over from earlier tests stay connected to the old bus and never hear these changes."""
    monkeypatch.setattr(events, "_bus", None)


def _plan(sales, name: str):
    return next(p.id for p in sales.services.recurring_plans.plans(sales.admin) if p.name == name)


def test_the_form_takes_a_recurring_amount_and_plan_and_shows_its_mrr(qtbot, sales) -> None:
    form = OpportunityForm(sales.services, sales.rep, None)
    qtbot.addWidget(form)
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, "پشتیبانی شبکه")
    type_text(form.recurring.amount.edit, "۳۰۰۰۰۰۰")
    assert form.save() is False  # an amount without its plan
    assert form.rows["recurring_plan_id"].error.text() == "طرح تکرارشونده را انتخاب کنید."
    assert form.recurring.amount.value() == 3 * M  # what was typed stays
    plan = form.recurring.plan
    plan.setCurrentIndex(index_of(plan, _plan(sales, "فصلی")))
    assert plan.currentText() == "فصلی (هر ۳ ماه)"
    assert form.recurring.monthly.text() == "ماهانه ۱٬۰۰۰٬۰۰۰ ریال"
    assert form.save() is True
    assert (form.detail.recurring_amount, form.detail.monthly_recurring) == (3 * M, M)
    assert not form.is_dirty()


def test_board_headers_and_list_show_mrr(qtbot, sales) -> None:
    yearly, monthly = _plan(sales, "سالانه"), _plan(sales, "ماهانه")
    sales.new(title="قرارداد سالانه", recurring_amount=10 * M, recurring_plan_id=yearly)  # 833,333.33…
    sales.new(title="اشتراک", recurring_amount=2 * M, recurring_plan_id=monthly)
    sales.new(title="فروش یک‌باره", amount=50 * M, stage_id=sales.stages[1].id)
    dock = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(dock)
    dock.resize(1100, 700)
    dock.show()
    dock.show_view("board")
    first, second = dock.board.columns[0], dock.board.columns[1]
    qtbot.waitUntil(lambda: first.model.count() == 2, timeout=3000)
    assert "درآمد ماهانه تکرارشونده: ۲٬۸۳۳٬۳۳۳ ریال" in first.header.text()
    assert "تکرارشونده" not in second.header.text()  # none there: the header stays as it was
    assert "درآمد ماهانه تکرارشونده: ۲٬۸۳۳٬۳۳۳" in dock.board.summary.text()
    dock.show_view("list")
    section = next(i for i, c in enumerate(COLUMNS) if c.key == "monthly_recurring")
    assert dock.model.headerData(section, Qt.Orientation.Horizontal) == "تکرارشونده ماهانه (ریال)"
    shown = {dock.model.row_at(dock.model.index(r, 0)).title: dock.model.index(r, section).data() for r in range(3)}
    assert shown == {"قرارداد سالانه": "۸۳۳٬۳۳۳", "اشتراک": "۲٬۰۰۰٬۰۰۰", "فروش یک‌باره": "۰"}
    bar = dock.filters
    bar.group.setCurrentIndex(bar.group.findData("stage"))
    totals = [dock.model.index(r, section).data() for r in range(dock.model.rowCount())]
    assert totals == ["۲٬۸۳۳٬۳۳۳", "۰"]


def test_the_admin_adds_and_deactivates_a_plan(qtbot, sales) -> None:
    dialog = RecurringPlansDialog(sales.services, sales.admin)
    qtbot.addWidget(dialog)
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == ["ماهانه", "فصلی", "سالانه"]
    plan = PlanDialog(sales.services, sales.admin, None, dialog)
    plan.accept()  # no name: refused, stays open
    assert plan.form.rows["name"].error.text() == "نام طرح را وارد کنید."
    type_text(plan.name, "شش‌ماهه")
    plan.months.setValue(6)
    plan.accept()
    dialog.refresh()
    assert dialog.table.item(2, 0).text() == "شش‌ماهه" and dialog.table.item(2, 1).text() == "هر ۶ ماه"
    dialog.table.setCurrentCell(2, 0)
    dialog.toggle()
    assert dialog.table.item(2, 2).text() == "غیرفعال"
    assert "شش‌ماهه" not in [p.name for p in sales.services.recurring_plans.plans(sales.rep)]


def test_similar_opportunities_are_counted_listed_and_opened(qtbot, tabs, sales) -> None:
    first = sales.new(title="شبکه طبقه اول")
    second = sales.new(title="شبکه طبقه دوم")
    form = tabs.open_record("opportunity", first)
    button = form.similar
    qtbot.waitUntil(lambda: button.text() == "فرصت‌های مشابه: ۱" and button.isEnabled(), timeout=3000)

    def open_the_other(dialog: SimilarDialog) -> None:
        assert dialog.table.item(0, 0).text() == "شبکه طبقه دوم" and dialog.table.item(0, 6).text() == "همان هویت"
        dialog.table.setCurrentCell(0, 0)
        next(b for b in dialog.findChildren(QPushButton) if b.text() == "باز کردن").click()

    watcher = when_shown(SimilarDialog, open_the_other)
    button.click()  # the count is read first (an operation), then the list opens
    assert tabs.currentWidget().detail.id == second and not watcher.isActive()


def when_shown(kind: type, act) -> QTimer:
    """Runs act(dialog) once a modal `kind` is up (the operation before it runs its own event loop); a
    dialog whose check failed is closed, so the test fails instead of waiting."""
    timer = QTimer(interval=20)

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            timer.stop()
            try:
                act(dialog)
            finally:
                if dialog.isVisible():
                    dialog.reject()

    timer.timeout.connect(check)
    timer.start()
    return timer


def test_the_pivot_sums_mrr_in_persian_digits(qtbot, sales) -> None:
    sales.new(title="قرارداد سالانه", recurring_amount=10 * M, recurring_plan_id=_plan(sales, "سالانه"))
    sales.new(title="اشتراک", recurring_amount=2 * M, recurring_plan_id=_plan(sales, "ماهانه"))
    configure_application(QApplication.instance())
    panel = ReportsPanel(sales.services, sales.admin)
    qtbot.addWidget(panel)
    panel.show()
    ready = lambda: not panel.busy and panel.grid is not None  # noqa: E731
    qtbot.waitUntil(ready, timeout=10_000)
    select(panel.chooser, PIVOT)
    qtbot.waitUntil(ready, timeout=10_000)
    select(panel.pivot_bar.measure, "mrr_sum")
    assert panel.pivot_bar.measure.currentText() == "درآمد تکرارشونده ماهانه"
    qtbot.waitUntil(ready, timeout=10_000)
    last = panel.table.rowCount() - 1
    cells = [panel.table.item(last, c).text() for c in range(panel.table.columnCount())]
    assert cells[0] == "جمع" and cells[-1] == "۲٬۸۳۳٬۳۳۳"
