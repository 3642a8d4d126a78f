"""Seed 004, «درآمدهای تکرارشونده» and «فرصت‌های مشابه», as the administrator and an own-documents rep:

A. «طرح‌های تکرارشونده»: the administrator finds monthly, quarterly and yearly plans and defines
   «شش‌ماهه» (6 months) for the office's half-yearly support contracts.
B. «ثبت فرصت»: the rep enters the revenue «در دو حالت ثابت و تکرارشونده»: «قرارداد پشتیبانی» with a
   one-off 120,000,000 and 9,000,000 each six months — the form says ۱٬۵۰۰٬۰۰۰ a month; then «میزبانی وب»
   for the same customer, 900,000 a quarter (300,000 a month).
C. The board's first column says 1,800,000 of monthly recurring revenue; the list shows it per row and per
   stage; the pivot's «درآمد تکرارشونده ماهانه» reads 1,800,000 for the rep.
D. «فرصت‌های مشابه» on the second opportunity counts the first (same customer); one click lists it, and
   it opens; closed and opened again, its recurring amount and plan are back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.services.reports.periods import PeriodKind, ReportFilter
from app.services.reports.pivot import PivotService
from app.ui.common.combo import index_of
from app.ui.opportunities.opportunity_dock import COLUMNS, OpportunityDock
from app.ui.opportunities.recurring_plans_dialog import PlanDialog, RecurringPlansDialog
from app.ui.opportunities.similar_dialog import SimilarDialog
from tests.ui.persian_typing import type_text
from tests.ui.test_recurring_and_similar_ui import when_shown


def _new_opportunity(tabs, sales, title: str, one_off: str, recurring: str, plan: str):
    form = tabs.open_record("opportunity", None)
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, title)
    if one_off:
        type_text(form.amount.edit, one_off)
    type_text(form.recurring.amount.edit, recurring)
    combo = form.recurring.plan
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i).startswith(plan)))
    return form


def test_recurring_revenue_and_similar_opportunities(qtbot, sales, tabs) -> None:
    # A. The administrator's plans.
    plans = RecurringPlansDialog(sales.services, sales.admin)
    qtbot.addWidget(plans)
    assert [plans.table.item(r, 1).text() for r in range(3)] == ["هر ۱ ماه", "هر ۳ ماه", "هر ۱۲ ماه"]
    half = PlanDialog(sales.services, sales.admin, None, plans)
    type_text(half.name, "شش‌ماهه")
    half.months.setValue(6)
    half.accept()

    # B. Two opportunities with fixed and recurring revenue.
    support = _new_opportunity(tabs, sales, "قرارداد پشتیبانی", "۱۲۰۰۰۰۰۰۰", "۹۰۰۰۰۰۰", "شش‌ماهه")
    assert support.recurring.monthly.text() == "ماهانه ۱٬۵۰۰٬۰۰۰ ریال"
    assert support.save() is True
    assert (support.detail.amount, support.detail.monthly_recurring) == (120_000_000, 1_500_000)
    hosting = _new_opportunity(tabs, sales, "میزبانی وب", "", "۹۰۰۰۰۰", "فصلی")
    assert hosting.recurring.monthly.text() == "ماهانه ۳۰۰٬۰۰۰ ریال"
    assert hosting.save() is True

    # C. The board, the list and the pivot.
    dock = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(dock)
    dock.resize(1100, 700)
    dock.show()
    dock.show_view("board")
    first = dock.board.columns[0]
    qtbot.waitUntil(lambda: first.model.count() == 2, timeout=3000)
    assert "درآمد ماهانه تکرارشونده: ۱٬۸۰۰٬۰۰۰ ریال" in first.header.text()
    dock.show_view("list")
    section = next(i for i, c in enumerate(COLUMNS) if c.key == "monthly_recurring")
    assert dock.model.headerData(section, Qt.Orientation.Horizontal) == "تکرارشونده ماهانه (ریال)"
    dock.filters.group.setCurrentIndex(index_of(dock.filters.group, "stage"))
    assert dock.model.index(0, section).data() == "۱٬۸۰۰٬۰۰۰"
    pivot = PivotService(sales.services.db).pivot(sales.rep, ReportFilter.of(PeriodKind.THIS_MONTH), [], [], "mrr_sum")
    assert pivot.grand_total == 1_800_000

    # D. Similar opportunities, from the second one.
    button = hosting.similar
    qtbot.waitUntil(lambda: button.text() == "فرصت‌های مشابه: ۱", timeout=3000)

    def open_it(dialog: SimilarDialog) -> None:
        assert dialog.table.item(0, 0).text() == "قرارداد پشتیبانی"
        dialog.table.setCurrentCell(0, 0)
        next(b for b in dialog.findChildren(QPushButton) if b.text() == "باز کردن").click()

    watcher = when_shown(SimilarDialog, open_it)
    button.click()
    assert not watcher.isActive()
    support_id = support.detail.id
    assert tabs.currentWidget() is support
    assert tabs.close_tab(tabs.indexOf(support))
    again = tabs.open_record("opportunity", support_id)
    assert again.recurring.amount.value() == 9_000_000
    assert again.recurring.plan.currentText() == "شش‌ماهه (هر ۶ ماه)"
    assert again.recurring.monthly.text() == "ماهانه ۱٬۵۰۰٬۰۰۰ ریال"
