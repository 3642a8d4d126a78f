"""The main window: menus, the three docks, a tab area for open records, and the status bar."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabBar, QTabWidget

from app import __version__
from app.persian import format_long, to_persian_digits
from app.services.actor import Actor
from app.services.registry import Services
from app.ui.dialogs.company_dialog import CompanyDialog
from app.ui.docks.cardboard_dock import CardboardDock
from app.ui.docks.identity_dock import IdentityDock
from app.ui.docks.opportunity_dock import OpportunityDock
from app.ui.qt_setup import make_ltr

STATE_VERSION = 1  # bump when the dock set changes, so an old saved layout is ignored


class MainWindow(QMainWindow):
    def __init__(self, services: Services, actor: Actor, settings: QSettings) -> None:
        super().__init__()
        self._services = services
        self._actor = actor
        self._settings = settings
        self.setObjectName("mainWindow")
        self.setWindowTitle("پیوند — مدیریت ارتباط با مشتری")
        self.resize(1280, 800)
        self.tabs = QTabWidget(documentMode=True, tabsClosable=True, movable=True)
        self.tabs.addTab(self._welcome(), "خوش آمدید")
        for side in (QTabBar.ButtonPosition.LeftSide, QTabBar.ButtonPosition.RightSide):
            self.tabs.tabBar().setTabButton(0, side, None)  # the welcome page cannot be closed
        self.setCentralWidget(self.tabs)

        self.identity_dock = IdentityDock(services, actor, self)
        self.opportunity_dock = OpportunityDock(services, actor, self)
        self.cardboard_dock = CardboardDock(services, actor, self)
        # Right is the start side in RTL: the lists sit there; the cardboard on the left.
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.identity_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.opportunity_dock)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.cardboard_dock)
        self.docks = (self.identity_dock, self.opportunity_dock, self.cardboard_dock)
        self.resizeDocks([self.identity_dock, self.cardboard_dock], [620, 420], Qt.Orientation.Horizontal)

        self._build_menus()
        self._build_status_bar()
        self._restore_layout()

    # --- construction ------------------------------------------------------------
    def _welcome(self) -> QLabel:
        name = self._services.settings.company().name
        label = QLabel(
            f"<h2>{name or 'پیوند'}</h2><p>هویت‌ها، فرصت‌ها و کارتابل در پنل‌های کناری هستند.</p>"
            "<p>برای باز کردن یک رکورد روی آن دوبار کلیک کنید.</p>"
        )
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("فایل")
        quit_action = QAction("خروج", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = bar.addMenu("ویرایش")
        find = QAction("جستجو در هویت‌ها", self, shortcut=QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_identity_search)
        refresh = QAction("بازخوانی", self, shortcut=QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_all)
        edit_menu.addActions([find, refresh])

        self.view_menu = bar.addMenu("نما")
        for dock in self.docks:
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        reset = QAction("بازنشانی چیدمان پنل‌ها", self)
        reset.triggered.connect(self._reset_layout)
        self.view_menu.addAction(reset)

        tools_menu = bar.addMenu("ابزار")
        company = QAction("مشخصات شرکت…", self)
        company.triggered.connect(self._edit_company)
        company.setEnabled(self._actor.is_admin)
        tools_menu.addAction(company)

        help_menu = bar.addMenu("راهنما")
        about = QAction("درباره پیوند", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.user_label = QLabel(f"کاربر: {self._actor.display_name}")
        # The path gets its own left-to-right label: inside RTL text its slashes would be reordered.
        self.db_label = make_ltr(QLabel(self._services.db.describe()))
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.date_label = QLabel(format_long(dt.date.today()))
        for label in (self.user_label, QLabel("پایگاه داده:"), self.db_label):
            status.addWidget(label)
        status.addPermanentWidget(self.date_label)

    # --- layout persistence ---------------------------------------------------------
    def _restore_layout(self) -> None:
        self._default_state = self.saveState(STATE_VERSION)
        geometry = self._settings.value("main/geometry")
        state = self._settings.value("main/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, STATE_VERSION)

    def save_layout(self) -> None:
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("main/state", self.saveState(STATE_VERSION))
        self._settings.sync()

    def _reset_layout(self) -> None:
        self.restoreState(self._default_state, STATE_VERSION)
        for dock in self.docks:
            dock.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)

    # --- actions -------------------------------------------------------------------
    def refresh_all(self) -> None:
        self.identity_dock.panel.refresh()
        self.opportunity_dock.panel.refresh()
        self.cardboard_dock.refresh()

    def _focus_identity_search(self) -> None:
        self.identity_dock.show()
        self.identity_dock.raise_()
        self.identity_dock.panel.search.setFocus()

    def _edit_company(self) -> None:
        dialog = CompanyDialog(self._services.settings, self._actor, self, offer_sample_data=False)
        if dialog.exec():
            self.statusBar().showMessage("مشخصات شرکت ذخیره شد.", 4000)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "درباره پیوند",
            f"<b>پیوند</b> — نرم‌افزار مدیریت ارتباط با مشتری<br>نسخه {to_persian_digits(__version__)}<br>"
            "قلم وزیرمتن با مجوز SIL Open Font License",
        )
