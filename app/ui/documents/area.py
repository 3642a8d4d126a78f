"""Connects the documents area to the main window: the «اسناد» dock, the «اسناد» menu (new quote,
invoice, contract, receipt, payment; print the open document with Ctrl+P; the VAT table for admins) and the
record forms. Called once from MainWindow.attach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from app.ui.areas import Area

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.ui.main_window import MainWindow


def attach_documents(window: MainWindow, services: Services, actor: Actor) -> None:
    from app.ui.documents.documents_dock import DocumentsPanel

    panel = DocumentsPanel(services, actor, read_when_shown=True)
    panel.sig_open_record.connect(window.tabs.open_record)
    dock = QDockWidget("اسناد", window)
    dock.setObjectName("documentsDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(window.opportunity_dock, dock)
    window.restoreDockWidget(dock)
    window.opportunity_dock.raise_()
    window.documents_dock, window.documents_panel = dock, panel
    window.view_menu.insertAction(window.view_menu.actions()[len(window.docks)], dock.toggleViewAction())

    tools = next((a for a in window.menuBar().actions() if a.text() == "ابزار"), None)
    menu = QMenu("اسناد", window)
    if tools is not None:
        window.menuBar().insertMenu(tools, menu)
    else:
        window.menuBar().addMenu(menu)
    items = (
        ("پیش‌فاکتور جدید", "Ctrl+Shift+Q", lambda: window.tabs.open_record("quote", None)),
        ("صورتحساب جدید", "Ctrl+Shift+I", lambda: window.tabs.open_record("invoice", None)),
        ("قرارداد جدید", "Ctrl+Shift+K", lambda: window.tabs.open_record("contract", None)),
        ("دریافت یا پرداخت جدید", "Ctrl+Shift+R", lambda: window.tabs.open_record("receipt", None)),
    )
    for text, shortcut, slot in items:
        action = QAction(text, window, shortcut=QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
    menu.addSeparator()
    print_action = QAction("پیش‌نمایش و چاپ سند باز", window, shortcut=QKeySequence.StandardKey.Print)
    print_action.triggered.connect(lambda: _print_current(window))
    menu.addAction(print_action)
    show = QAction("فهرست اسناد", window)
    show.triggered.connect(lambda: (dock.show(), dock.raise_()))
    menu.addAction(show)
    if actor.is_admin:
        menu.addSeparator()
        vat = QAction("نرخ مالیات بر ارزش افزوده…", window)
        vat.triggered.connect(lambda: _vat_rates(window, services, actor))
        menu.addAction(vat)
    panel.expire_quotes()  # off the GUI thread; the lists are read when the dock is first shown


def _print_current(window: MainWindow) -> None:
    form = window.tabs.currentWidget()
    if hasattr(form, "print_preview"):
        form.print_preview()
    else:
        window.statusBar().showMessage("برای چاپ، یک پیش‌فاکتور، صورتحساب، برگشت یا دریافت را باز کنید.", 4000)


def _vat_rates(window: MainWindow, services: Services, actor: Actor) -> None:
    from app.ui.documents.vat_rates_dialog import VatRatesDialog

    VatRatesDialog(services, actor, window).exec()


# The «اسناد» dock is built by the install hook, tabbed with the opportunities (a saved layout
# written before it existed still restores).
AREA = Area(
    name="documents",
    forms=(
        "app.ui.documents.invoice_form",
        "app.ui.documents.contract_form",
        "app.ui.documents.quote_form",
        "app.ui.documents.receipt_form",
        "app.ui.documents.return_form",
    ),
    install=attach_documents,
)
