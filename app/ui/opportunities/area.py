"""Connects the opportunities area to the main window: the opportunity form, the dock's record
opening, and the admin screens (pipelines, products and price lists, sales lists, extra fields).
Called once from MainWindow.attach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from app.ui.areas import Area, Dock

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.ui.main_window import MainWindow
    from app.ui.opportunities.opportunity_dock import OpportunityDock


def attach_sales(window: MainWindow, services: Services, actor: Actor) -> None:
    from app.ui.admin.tags_dialog import TagsDialog
    from app.ui.catalog import catalog_dialogs
    from app.ui.opportunities import admin_dialogs, recurring_plans_dialog
    from app.ui.opportunities.auto_probability_dialog import AutoProbabilityDialog

    tools = next((a.menu() for a in window.menuBar().actions() if a.text() == "ابزار"), None)
    if tools is None:
        return
    tools.addSeparator()
    new = QAction("فرصت جدید", window, shortcut=QKeySequence("Ctrl+Shift+O"))
    new.triggered.connect(lambda: window.tabs.open_record("opportunity", None))
    tools.addAction(new)
    if not actor.is_admin:
        return
    sales = tools.addMenu("تنظیمات فروش")
    for text, opener in (
        ("کاریزها و مراحل…", admin_dialogs.PipelinesDialog),
        ("محصولات، گروه‌ها و لیست‌های قیمت…", catalog_dialogs.CatalogDialog),
        ("فهرست‌های فروش (نوع، منبع، کمپین، دلایل، رقبا)…", admin_dialogs.SalesListsDialog),
        ("فیلدهای اضافه فرصت…", admin_dialogs.CustomFieldsDialog),
        ("احتمال خودکار…", AutoProbabilityDialog),
        ("طرح‌های تکرارشونده…", recurring_plans_dialog.RecurringPlansDialog),
        ("برچسب‌ها (نام، رنگ، ادغام، حذف)…", TagsDialog),
    ):
        action = QAction(text, window)
        action.triggered.connect(lambda _=False, o=opener: o(services, actor, window).exec())
        sales.addAction(action)


def _opportunity_panel(window: MainWindow, services: Services, actor: Actor) -> OpportunityDock:
    from app.ui.opportunities.opportunity_dock import opportunity_panel

    panel = opportunity_panel(services, actor)
    panel.sig_open_record.connect(lambda kind, rid: window.tabs.open_record(kind, rid))
    return panel


AREA = Area(
    name="opportunities",
    docks=(
        Dock("opportunity", "فرصت‌ها", "opportunityDock", Qt.DockWidgetArea.RightDockWidgetArea, _opportunity_panel),
    ),
    forms=("app.ui.opportunities.opportunity_form",),
    install=attach_sales,
)
