"""Relative Jalali periods in the date filters, through the widgets: the advanced search's favourite
«متولدان این ماه» (picked from the period chooser) shows next month's identities next month; the
documents dock's period and the opportunity filters' expected close follow the calendar too."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.persian import parse_date
from app.services.core.periods import PeriodKind
from app.services.documents.quotes import QuoteDraft
from app.services.identities.records import IdentityData
from app.ui.common.combo import select
from app.ui.documents.documents_dock import DocumentsPanel
from app.ui.identities.advanced_search_form import AdvancedSearchForm
from app.ui.opportunities.filter_bar import OpportunityFilterBar
from tests.services.doc_helpers import example_lines, invoice_draft, office
from tests.services.sales_helpers import build


def freeze(monkeypatch, day: str) -> None:
    monkeypatch.setattr("app.services.core.periods.today", lambda: parse_date(day))


def names(form: AdvancedSearchForm) -> set[str]:
    return {form.model.row_at(r).display_name for r in range(form.model.rowCount())}


def test_a_favourite_with_this_month_shows_next_months_rows_next_month(qtbot, services, admin, monkeypatch) -> None:
    for name, day in (("اسفندی", "1404/12/20"), ("فروردینی", "1405/01/05")):
        services.identities.create(admin, IdentityData(last_name=name, birth_date=parse_date(day)))
    freeze(monkeypatch, "1404/12/25")
    form = AdvancedSearchForm(services, admin)
    qtbot.addWidget(form)
    row = form.rows[0]
    select(row.field, "birth_date")
    assert not row.dates.first.isVisibleTo(form)  # fixed dates only for «بازه دلخواه»
    select(row.dates.period, PeriodKind.THIS_MONTH)
    form.search_button.click()
    assert names(form) == {"اسفندی"}
    assert form.save_favourite("متولدان این ماه")
    (saved,) = services.saved_searches.list(admin)
    assert saved.definition["conditions"][0]["value"] == {"period": "this_month"}

    freeze(monkeypatch, "1405/01/10")  # a month later, in the next Jalali year
    again = AdvancedSearchForm(services, admin)
    qtbot.addWidget(again)
    index = again.favourites.findText("متولدان این ماه")
    again.favourites.setCurrentIndex(index)
    again.favourites.activated.emit(index)
    assert again.rows[0].dates.period.currentText() == "این ماه"
    assert names(again) == {"فروردینی"}


def test_fixed_dates_stay_fixed(qtbot, services, admin, monkeypatch) -> None:
    services.identities.create(admin, IdentityData(last_name="اسفندی", birth_date=parse_date("1404/12/20")))
    form = AdvancedSearchForm(services, admin)
    qtbot.addWidget(form)
    row = form.rows[0]
    select(row.field, "birth_date")
    select(row.dates.period, PeriodKind.CUSTOM)
    assert row.dates.first.isVisibleTo(form)
    row.dates.first.set_date_value(parse_date("1404/12/01"))
    row.dates.last.set_date_value(parse_date("1404/12/29"))
    assert form.save_favourite("اسفند ۱۴۰۴")
    freeze(monkeypatch, "1406/05/05")
    again = AdvancedSearchForm(services, admin)
    qtbot.addWidget(again)
    index = again.favourites.findText("اسفند ۱۴۰۴")
    again.favourites.setCurrentIndex(index)
    again.favourites.activated.emit(index)
    assert again.rows[0].dates.first.date_value() == parse_date("1404/12/01")
    assert names(again) == {"اسفندی"}


def test_the_documents_dock_lists_this_months_documents_month_after_month(qtbot, services, monkeypatch) -> None:
    o = office(services)
    for day in ("1404/12/20", "1405/01/05", "1405/01/25"):
        services.quotes.create(o.rep, QuoteDraft(o.customer, parse_date(day), example_lines(o)))
        services.invoices.create(o.rep, invoice_draft(o, day=parse_date(day)))
    freeze(monkeypatch, "1404/12/25")
    panel = DocumentsPanel(services, o.rep)
    qtbot.addWidget(panel)
    panel.refresh()
    assert panel.quotes.model.total() == 3 and panel.period.date_filter() is None  # «هر زمان» first
    assert [label.text() for label in panel.period.findChildren(QLabel) if not label.isHidden()] == ["تاریخ سند:"]
    select(panel.period.period, PeriodKind.THIS_MONTH)
    assert (panel.quotes.model.total(), panel.invoices.model.total()) == (1, 1)
    assert panel.quotes.model.row_at(0).issue_date == parse_date("1404/12/20")

    freeze(monkeypatch, "1405/01/10")  # the dock stayed open into the new Jalali year
    panel.refresh()
    assert (panel.quotes.model.total(), panel.invoices.model.total()) == (2, 2)
    select(panel.period.period, PeriodKind.LAST_MONTH)
    assert panel.quotes.model.total() == 1
    select(panel.period.period, PeriodKind.TODAY)
    assert panel.quotes.model.total() == 0
    assert panel.quotes.footer.text() == "۰ مورد" and not panel.quotes.table.isHidden()  # no match, not «none yet»

    select(panel.period.period, PeriodKind.CUSTOM)
    panel.period.first.set_date_value(parse_date("1405/01/20"))
    assert panel.quotes.model.total() == 1 and panel.invoices.model.total() == 1


def test_the_opportunity_filters_keep_this_month_by_name(qtbot, services, monkeypatch) -> None:
    sales = build(services)
    for title, day in (("اسفند", "1404/12/29"), ("فروردین", "1405/01/31"), ("اردیبهشت", "1405/02/01")):
        sales.new(title=title, expected_close=parse_date(day))
    freeze(monkeypatch, "1404/12/01")
    bar = OpportunityFilterBar(services, sales.rep)
    qtbot.addWidget(bar)

    def titles() -> set[str]:
        return {r.title for r in services.opportunities.search(sales.rep, bar.query())}

    assert bar.close_dates.isHidden()
    select(bar.period, "this_month")
    assert titles() == {"اسفند"}
    bar.save_favourite("بستن این ماه")
    (saved,) = services.saved_searches.list(sales.rep, "opportunities")
    assert saved.definition["period"] == "this_month" and saved.definition["close_first"] is None

    freeze(monkeypatch, "1405/01/10")
    again = OpportunityFilterBar(services, sales.rep)
    qtbot.addWidget(again)
    again.apply(saved.definition)
    assert {r.title for r in services.opportunities.search(sales.rep, again.query())} == {"فروردین"}
    select(again.period, "this_week")  # Saturday 1405/01/08 to Friday 1405/01/14
    assert {r.title for r in services.opportunities.search(sales.rep, again.query())} == set()

    select(bar.period, "custom")
    assert not bar.close_dates.isHidden()
    bar.close_first.set_date_value(parse_date("1405/01/01"))
    assert titles() == {"فروردین", "اردیبهشت"}
    bar.close_last.set_date_value(parse_date("1405/01/31"))
    bar.save_favourite("بستن فروردین")
    fixed = next(f for f in services.saved_searches.list(sales.rep, "opportunities") if f.name == "بستن فروردین")
    again.apply(fixed.definition)
    assert not again.close_dates.isHidden() and again.close_first.date_value() == parse_date("1405/01/01")
    assert {r.title for r in services.opportunities.search(sales.rep, again.query())} == {"فروردین"}
