"""The automatic probability on screen: beside the manual one on the form, with its factors, and the
administrator's page (fields, start date, «بازآموزی»)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.opportunities.auto_probability import AutoProbabilityConfig
from app.services.opportunities.data import LossData, WinData
from app.ui import events
from app.ui.opportunities.auto_probability_dialog import AutoProbabilityDialog
from app.ui.opportunities.opportunity_form import OpportunityForm
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
