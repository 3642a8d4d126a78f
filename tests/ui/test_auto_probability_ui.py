"""The automatic probability on screen: beside the manual one on the form, with its factors, and the
administrator's page (fields, start date, «بازآموزی»)."""

from __future__ import annotations

import pytest
import shiboken6
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from app.services.opportunities.auto_probability import AutoProbabilityConfig
from app.services.opportunities.data import LossData, WinData
from app.ui import events
from app.ui.common.combo import select
from app.ui.opportunities import list_model
from app.ui.opportunities.auto_probability_cells import AUTO_KEY
from app.ui.opportunities.auto_probability_dialog import AutoProbabilityDialog
from app.ui.opportunities.list_model import OpportunityListModel
from app.ui.opportunities.opportunity_dock import COLUMNS, OpportunityDock
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.qt_setup import configure_application
from app.ui.tasks import held, settle
from tests.services.sales_helpers import Sales, build
from tests.ui.persian_typing import type_text


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def sales(services) -> Sales:
    sales = build(services)
    fair = services.sales_lists.save_item(sales.admin, "sources", "نمایشگاه")
    cold = services.sales_lists.save_item(sales.admin, "sources", "تماس سرد")
    for source, won, lost in ((fair, 6, 2), (cold, 2, 6)):
        for i in range(won + lost):
            opp = sales.new(source_id=source)
            if i < won:
                services.pipeline_moves.win(sales.rep, opp, WinData())
            else:
                services.pipeline_moves.lose(sales.rep, opp, LossData(sales.reason("loss_reasons")))
    services.auto_probability.save_config(sales.admin, AutoProbabilityConfig(("source",)))
    return sales


def test_a_saved_opportunity_shows_its_automatic_probability_beside_the_manual_one(qtbot, sales) -> None:
    form = OpportunityForm(sales.services, sales.rep, None)
    qtbot.addWidget(form)
    form.show()
    assert form.auto_probability.figure.text() == "احتمال خودکار: پس از ذخیره برآورد می‌شود"
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, "فروش پرینتر")
    form.source.setCurrentIndex(form.source.findText("نمایشگاه"))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.auto_probability.figure.text() == "احتمال خودکار: ۶۱٪")
    assert form.auto_probability.factors.text() == "منبع: نمایشگاه +۱۱٪ · از ۱۶ فرصت بسته‌شده؛ پایه ۵۰٪"
    assert form.auto_probability.isVisibleTo(form) and form.probability.value() == 10  # the stage's, kept


def test_a_closed_opportunity_has_no_automatic_probability(qtbot, sales) -> None:
    opp = sales.new(source_id=None)
    sales.services.pipeline_moves.win(sales.rep, opp, WinData())
    form = OpportunityForm(sales.services, sales.rep, opp)
    qtbot.addWidget(form)
    assert form.auto_probability.figure.text() == "احتمال خودکار: —" and form.auto_probability.factors.text() == ""


def test_the_admin_chooses_fields_and_retrains(qtbot, sales) -> None:
    dialog = AutoProbabilityDialog(sales.services, sales.admin)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.fields["source"].isChecked())
    assert not dialog.fields["city"].isChecked()
    dialog.fields["source"].setChecked(False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "دست‌کم یک فیلد را برای یادگیری انتخاب کنید."
    dialog.fields["source"].setChecked(True)
    dialog.fields["phone"].setChecked(True)
    qtbot.mouseClick(dialog.retrain_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary.text().startswith("از ۱۶ فرصت"))
    assert dialog.summary.text().splitlines() == [
        "از ۱۶ فرصت بسته‌شده (۸ برنده) آموخت؛ احتمال پایه ۵۰٪.",
        "اثرگذارترین عوامل:",
        "منبع: نمایشگاه +۱۱٪",
        "منبع: تماس سرد −۱۱٪",
    ]
    assert sales.services.auto_probability.config(sales.rep).fields == ("source", "phone")


def test_the_opportunity_list_and_its_export_show_the_automatic_probability(
    qtbot, sales, monkeypatch, tmp_path
) -> None:
    configure_application(QApplication.instance())
    fair = next(i.id for i in sales.services.sales_lists.items(sales.admin, "sources") if i.name == "نمایشگاه")
    sales.new(title="باز نمایشگاهی", source_id=fair)
    dock = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(dock)
    dock.show()
    select(dock.filters.status, "any")  # the closed deals too
    qtbot.waitUntil(lambda: dock.model.total() == 17, timeout=5_000)
    column = next(i for i, c in enumerate(COLUMNS) if c.key == AUTO_KEY)
    assert dock.model.headerData(column, Qt.Orientation.Horizontal) == "احتمال خودکار"
    cells = {dock.model.row_at(dock.model.index(r, 0)).title: dock.model.index(r, column) for r in range(17)}
    qtbot.waitUntil(lambda: cells["باز نمایشگاهی"].data() == "۶۱٪")
    assert cells["باز نمایشگاهی"].data(Qt.ItemDataRole.ToolTipRole) == "منبع: نمایشگاه +۱۱٪"
    assert {cell.data() for title, cell in cells.items() if title != "باز نمایشگاهی"} == {""}  # closed deals

    target = tmp_path / "فرصت‌ها.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "اکسل (*.xlsx)"))
    qtbot.mouseClick(dock.export_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dock.export_task.sig_finished, timeout=10_000):
        pass
    rows = [list(r) for r in load_workbook(target).active.iter_rows(values_only=True)]
    auto, title = rows[0].index("احتمال خودکار"), rows[0].index("عنوان")
    assert {r[title]: r[auto] for r in rows[1:]}["باز نمایشگاهی"] == "۶۱٪"


def test_answers_arriving_after_the_list_closed_are_dropped(qtbot, sales, monkeypatch) -> None:
    """A user switch closes the list while its count and estimates are computed: their answers find the
    list's objects deleted and must leave them alone (they raised in the event loop)."""
    for _ in range(3):
        sales.new(source_id=None)
    monkeypatch.setattr(list_model, "PAGE", 2)  # more rows than a page: the count runs in the background
    model = OpportunityListModel(sales.services, sales.rep, COLUMNS)
    with held():  # both calls start only once the list is gone
        model.reload()
        assert model.total() is None
        shiboken6.delete(model)
    settle()  # pytest-qt fails the test on an exception raised in the event loop
    assert not shiboken6.isValid(model)
