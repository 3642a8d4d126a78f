"""The import wizard and the advanced search tab, driven through their widgets."""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from app.services.core.periods import PeriodKind
from app.services.identities.advanced_search import AdvancedQuery, Condition
from app.services.identities.service import IdentityQuery
from app.ui.identities.advanced_search_form import ENTITY, AdvancedSearchForm
from app.ui.identities.import_wizard import ImportWizard
from tests.ui.deleted_meanwhile import delete_during
from tests.ui.persian_typing import type_text


def test_wizard_maps_previews_imports_and_saves_the_error_report(qtbot, services, admin, tmp_path) -> None:
    source = tmp_path / "list.csv"
    source.write_text(
        "Full Name,Mobile,یادداشت,ستون عجیب\nعلی کریمی,09121234567,مشتری قدیمی,x\nبد,0912,,\n", "utf-8-sig"
    )
    wizard = ImportWizard(services, admin)
    qtbot.addWidget(wizard)
    assert wizard.open_file(source) and wizard.pages.currentIndex() == 1
    assert wizard.mapping() == {0: "full_name", 1: "mobile", 2: "description", 3: None}
    assert wizard.preview_table.item(0, 3).text() == "آماده"
    assert wizard.preview_table.item(1, 3).text().startswith("خطا:")
    wizard.set_field(2, None)
    wizard.set_on_duplicate("merge")
    task = wizard.start_import()
    with qtbot.waitSignal(task.sig_finished, timeout=10000):
        pass
    QApplication.processEvents()
    assert wizard.pages.currentIndex() == 2 and wizard.result.created == 1 and wizard.result.failed == 1
    assert wizard.errors_table.item(0, 0).text() == "۳"
    detail = services.identities.get(admin, services.identities.search(admin, IdentityQuery())[0].id)
    assert (detail.first_name, detail.last_name, detail.description) == ("علی", "کریمی", "")
    report = tmp_path / "report.csv"
    wizard.save_report(report)
    assert "شماره موبایل معتبر نیست" in report.read_text(encoding="utf-8-sig")


def test_wizard_refuses_an_unreadable_file(qtbot, services, admin, tmp_path, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr("app.ui.ops.show_error", lambda _p, m: shown.append(m))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    wizard = ImportWizard(services, admin)
    qtbot.addWidget(wizard)
    assert wizard.open_file(bad) is False and "خوانده نشد" in shown[0]


def test_advanced_search_tab_conditions_groups_and_favourites(qtbot, demo_services, demo_admin) -> None:
    form = AdvancedSearchForm(demo_services, demo_admin)
    qtbot.addWidget(form)
    assert form.model.total() == 300
    row = form.rows[0]
    row.field.setCurrentIndex(row.field.findData("role"))
    row.choice.setCurrentIndex(row.choice.findData("customer"))
    second = form.add_condition()
    second.field.setCurrentIndex(second.field.findData("created_at"))
    # Before the demo's first identity (entered over the last two years): the date leaves out none.
    second.dates.period.setCurrentIndex(second.dates.period.findData(PeriodKind.CUSTOM))  # «بازه دلخواه»
    second.dates.first.set_date_value(dt.date.today() - dt.timedelta(days=800))
    assert form.run_search()
    customers = demo_services.identities.count(demo_admin, IdentityQuery(role=form.model.row_at(0).role))
    assert form.model.total() == customers and form.count_label.text().endswith("مورد")
    form.group_by.setCurrentIndex(form.group_by.findData("city"))
    counts = sum(
        int(form.groups.item(r, 1).text().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
        for r in range(form.groups.rowCount())
    )
    assert counts == customers
    assert form.save_favourite("مشتریان دو سال اخیر")
    again = AdvancedSearchForm(demo_services, demo_admin)
    qtbot.addWidget(again)
    again.favourites.setCurrentIndex(again.favourites.findText("مشتریان دو سال اخیر"))
    again._load_favourite(again.favourites.currentIndex())
    assert again.advanced_query() == form.advanced_query() and again.model.total() == customers


def test_deleting_a_favourite_takes_it_off_the_list(qtbot, services, admin) -> None:
    form = AdvancedSearchForm(services, admin)
    qtbot.addWidget(form)
    assert form.save_favourite("مشتریان تهران") and form.favourites.currentText() == "مشتریان تهران"
    remove = next(b for b in form.findChildren(QPushButton) if b.text() == "حذف علاقه‌مندی")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert [form.favourites.itemText(i) for i in range(form.favourites.count())] == ["—"]
    assert services.saved_searches.list(admin, ENTITY) == []


def test_a_form_deleted_while_its_favourite_is_deleted_is_left_alone(qapp, services, admin, monkeypatch) -> None:
    """The delete waits in an event loop, which lets a closing window go: the favourites are not reloaded
    into the deleted form (it raised «already deleted»), and the delete itself holds."""
    form = AdvancedSearchForm(services, admin)  # not qtbot's: it would close the deleted form
    assert form.save_favourite("مشتریان تهران")
    delete_during(monkeypatch, form, services.saved_searches, "delete")
    form._delete_favourite()
    assert not shiboken6.isValid(form)
    assert services.saved_searches.list(admin, ENTITY) == []


def test_text_condition_typed_in_persian(qtbot, demo_services, demo_admin) -> None:
    form = AdvancedSearchForm(demo_services, demo_admin)
    qtbot.addWidget(form)
    name = form.model.row_at(0).display_name.split()[0]
    type_text(form.rows[0].text, name)
    form.search_button.click()
    expected = demo_services.identities.count(
        demo_admin, IdentityQuery(advanced=AdvancedQuery((Condition("name", "contains", name),)))
    )
    assert 0 < form.model.total() == expected
