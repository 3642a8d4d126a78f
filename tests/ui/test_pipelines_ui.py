"""Several pipelines, each with its own stages (seed 004 «کاریز»): the form's pipeline limits its stage
combo, the filter bar's pipeline limits its stages, and the board shows the chosen pipeline's columns."""

from __future__ import annotations

import pytest

from app.ui import events
from app.ui.opportunities.opportunity_dock import OpportunityDock
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.services.sales_helpers import build
from tests.ui.persian_typing import type_text


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def sales(services):
    world = build(services)
    pipelines = world.services.pipelines
    service = pipelines.save_pipeline(world.admin, "خدمات پس از فروش")  # comes with its stage «جدید»
    pipelines.save_stage(world.admin, service, "بازدید فنی", 50)
    world.service_pipeline = service
    return world


def _items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_forms_pipeline_limits_its_stages_and_the_opportunity_lands_there(qtbot, sales) -> None:
    form = OpportunityForm(sales.services, sales.rep, None)
    qtbot.addWidget(form)
    assert form.pipeline.isVisibleTo(form) and form.pipeline.currentText() == "فروش"
    assert _items(form.stage) == ["جدید", "واجد شرایط", "ارسال پیشنهاد", "مذاکره"]
    form.pipeline.setCurrentIndex(form.pipeline.findText("خدمات پس از فروش"))
    assert _items(form.stage) == ["جدید", "بازدید فنی"]
    form.stage.setCurrentIndex(1)
    assert form.probability.value() == 50
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, "سرویس دوره‌ای")
    assert form.save() is True, {k: r.error.text() for k, r in form.rows.items() if r.error.text()}
    assert form.detail.pipeline_id == sales.service_pipeline and form.detail.stage_name == "بازدید فنی"
    again = OpportunityForm(sales.services, sales.rep, form.detail.id)
    qtbot.addWidget(again)
    assert again.pipeline.currentText() == "خدمات پس از فروش" and again.stage.currentText() == "بازدید فنی"


def test_the_filter_and_the_board_follow_the_chosen_pipeline(qtbot, sales) -> None:
    sales.new(title="فروش پرینتر")
    service_stage = sales.services.pipelines.pipelines(sales.admin)[1].stages[1].id
    sales.new(title="سرویس", stage_id=service_stage)
    dock = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(dock)
    dock.resize(1100, 700)
    dock.show()
    dock.show_view("board")
    bar = dock.filters
    assert [c.model.name for c in dock.board.columns] == ["جدید", "واجد شرایط", "ارسال پیشنهاد", "مذاکره"]
    bar.pipeline.setCurrentIndex(bar.pipeline.findText("کاریز خدمات پس از فروش"))
    qtbot.waitUntil(lambda: [c.model.name for c in dock.board.columns] == ["جدید", "بازدید فنی"])
    assert [c.model.count() for c in dock.board.columns] == [0, 1]
    assert _items(bar.stage) == ["همه مراحل", "جدید", "بازدید فنی"]
    dock.show_view("list")
    assert dock.model.total() == 1
