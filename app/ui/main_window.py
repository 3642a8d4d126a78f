"""The main window: menus, the areas' docks, a tab area for open records, and the status bar.

The window is built and shown before the database is opened (SQLAlchemy alone takes longer to
import than Qt takes to draw the window); `attach()` then fills the docks with live data and lets
each area (app/ui/areas.py) install its menus and forms.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFrame, QLabel, QMainWindow, QMessageBox, QScrollArea, QTabBar, QWidget

from app import __version__
from app.persian import format_long, to_persian_digits
from app.ui.areas import areas
from app.ui.qt_setup import make_ltr
from app.ui.record_tabs import RecordTabs

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.ui.activities.cardboard_dock import CardboardPanel
    from app.ui.common.list_panel import ListPanel
    from app.ui.opportunities.opportunity_dock import OpportunityDock

STATE_VERSION = 1  # bump when the dock set changes, so an old saved layout is ignored
DEFAULT_SIZE = QSize(1280, 800)
RECORDS_MIN_WIDTH = 420  # the open records keep this much room; the docks give way, not the records
DOCK_MIN_WIDTH = 300  # with three docks and a record the window still fits a 1366×768 laptop


def _dock(title: str, name: str) -> QDockWidget:
    dock = QDockWidget(title)
    dock.setObjectName(name)
    dock.setWidget(QLabel("در حال بارگذاری…", alignment=Qt.AlignmentFlag.AlignCenter))
    return dock


def _dock_page(panel: QWidget) -> QScrollArea:
    """A dock's content scrolls when the dock is narrower than the panel needs, instead of widening the
    window; the dock never gets narrower than DOCK_MIN_WIDTH (a re-docked board became a strip)."""
    page = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
    page.setWidget(panel)
    page.setMinimumWidth(min(panel.minimumSizeHint().width(), DOCK_MIN_WIDTH))
    return page


class MainWindow(QMainWindow):
    # Set from the areas' dock declarations (app/ui/areas.py): `<key>_dock`, then `<key>_panel`.
    identity_dock: QDockWidget
    opportunity_dock: QDockWidget
    cardboard_dock: QDockWidget
    identity_panel: ListPanel
    opportunity_panel: OpportunityDock
    cardboard_panel: CardboardPanel

    sig_session_ended = Signal(bool)
    """Logged out (False) or switching user (True); every record was closed, nothing unsaved lost."""

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self._session_over = False
        self.settings = settings
        self._services: Services | None = None
        self._actor: Actor | None = None
        self.setObjectName("mainWindow")
        self.setWindowTitle("پیوند — مدیریت ارتباط با مشتری")
        screen = QGuiApplication.primaryScreen()
        self.resize(DEFAULT_SIZE.boundedTo(screen.availableSize()) if screen else DEFAULT_SIZE)
        self.tabs = RecordTabs(self)
        self.tabs.setMinimumWidth(RECORDS_MIN_WIDTH)
        self.welcome = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.tabs.addTab(self.welcome, "خوش آمدید")
        for side in (QTabBar.ButtonPosition.LeftSide, QTabBar.ButtonPosition.RightSide):
            self.tabs.tabBar().setTabButton(0, side, None)  # the welcome page cannot be closed
        self.setCentralWidget(self.tabs)

        self.areas = areas()
        self.docks: tuple[QDockWidget, ...] = ()
        for area in self.areas:
            for spec in area.docks:
                dock = _dock(spec.title, spec.object_name)
                setattr(self, f"{spec.key}_dock", dock)
                self.addDockWidget(spec.side, dock)
                self.docks += (dock,)
        # Room for the open records on a 1366 px laptop (the docks scroll within, and can be widened).
        self.resizeDocks([self.identity_dock, self.cardboard_dock], [440, 320], Qt.Orientation.Horizontal)

        self._build_menus()
        self._build_status_bar()
        self._restore_layout()

    # --- construction ------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("فایل")
        from app.ui.admin.backup_dialogs import BackupActions

        self.backup_actions = BackupActions(self, lambda: (self._services, self._actor))
        file_menu.addActions(self.backup_actions.actions())
        file_menu.aboutToShow.connect(self.backup_actions.update_enabled)
        file_menu.addSeparator()
        self.switch_user_action = QAction("تعویض کاربر…", self)
        self.switch_user_action.triggered.connect(lambda: self.end_session(switching=True))
        self.log_out_action = QAction("خروج از حساب", self)
        self.log_out_action.triggered.connect(lambda: self.end_session(switching=False))
        file_menu.addActions([self.switch_user_action, self.log_out_action])
        quit_action = QAction("خروج", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = bar.addMenu("ویرایش")
        self.find_action = QAction("جستجو در هویت‌ها", self, shortcut=QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_identity_search)
        self.refresh_action = QAction("بازخوانی", self, shortcut=QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.refresh_all)
        save = QAction("ذخیره", self, shortcut=QKeySequence.StandardKey.Save)
        save.triggered.connect(self.tabs.save_current)
        close_tab = QAction("بستن زبانه", self, shortcut=QKeySequence.StandardKey.Close)
        close_tab.triggered.connect(lambda: self.tabs.close_tab(self.tabs.currentIndex()))
        next_tab = QAction("زبانه بعدی", self, shortcut=QKeySequence("Ctrl+Tab"))
        next_tab.triggered.connect(
            lambda: self.tabs.setCurrentIndex((self.tabs.currentIndex() + 1) % self.tabs.count())
        )
        edit_menu.addActions([self.find_action, self.refresh_action])
        edit_menu.addSeparator()
        edit_menu.addActions([save, close_tab, next_tab])

        self.view_menu = bar.addMenu("نما")
        for dock in self.docks:
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        reset = QAction("بازنشانی چیدمان پنل‌ها", self)
        reset.triggered.connect(self._reset_layout)
        self.view_menu.addAction(reset)

        tools_menu = bar.addMenu("ابزار")
        self.company_action = QAction("مشخصات شرکت…", self)
        self.company_action.triggered.connect(self._edit_company)
        tools_menu.addAction(self.company_action)
        self.users_action = QAction("کاربران…", self)
        self.users_action.triggered.connect(self._manage_users)
        tools_menu.addAction(self.users_action)
        self.changes_action = QAction("تاریخچه تغییرات…", self)
        self.changes_action.triggered.connect(self._show_changes)
        self.recycle_action = QAction("سطل بازیافت…", self)
        self.recycle_action.triggered.connect(self._show_recycle_bin)
        tools_menu.addActions([self.changes_action, self.recycle_action])
        self.server_action = QAction("اتصال به سرور…", self)
        self.server_action.triggered.connect(self._connect_server)
        tools_menu.addAction(self.server_action)
        self.conflicts_action = QAction("تعارض‌ها…", self)
        self.conflicts_action.triggered.connect(self._show_conflicts)
        tools_menu.addAction(self.conflicts_action)

        help_menu = bar.addMenu("راهنما")
        about = QAction("درباره پیوند", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        admin_actions = (self.company_action, self.users_action, self.changes_action, self.recycle_action)
        session_actions = (self.find_action, self.refresh_action, self.switch_user_action, self.log_out_action)
        session_actions += (self.conflicts_action,)
        for action in (*session_actions, *admin_actions):
            action.setEnabled(False)  # until the data is attached

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.user_label = QLabel()
        # The path gets its own left-to-right label: inside RTL text its slashes would be reordered.
        self.db_label = make_ltr(QLabel())
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.date_label = QLabel(format_long(dt.date.today()))
        for label in (self.user_label, QLabel("پایگاه داده:"), self.db_label):
            status.addWidget(label)
        status.addPermanentWidget(self.date_label)

    # --- live data -------------------------------------------------------------------
    def attach(self, services: Services, actor: Actor) -> None:
        """Fills the docks from the database for this user (called once, after show)."""
        self._services, self._actor = services, actor
        for area in self.areas:
            for module in area.forms:
                importlib.import_module(module)  # registers the area's record forms
        self.panels: list[QWidget] = []
        for area in self.areas:
            for spec in area.docks:
                panel = spec.panel(self, services, actor)
                setattr(self, f"{spec.key}_panel", panel)
                dock = getattr(self, f"{spec.key}_dock")
                dock.widget().deleteLater()
                dock.setWidget(_dock_page(panel))
                self.panels.append(panel)
        self.user_label.setText(f"کاربر: {actor.display_name}")
        self.db_label.setText(services.db.describe())
        company = services.settings.company().name
        self.welcome.setText(
            f"<h2>{company or 'پیوند'}</h2><p>هویت‌ها، فرصت‌ها و کارتابل در پنل‌های کناری هستند.</p>"
            "<p>برای باز کردن یک رکورد روی آن دوبار کلیک کنید.</p>"
        )
        self.tabs.attach(services, actor)
        for action in (self.find_action, self.refresh_action, self.switch_user_action, self.log_out_action):
            action.setEnabled(True)
        self.conflicts_action.setEnabled(True)
        self.company_action.setEnabled(actor.is_admin)
        self.users_action.setEnabled(actor.is_admin)  # the services refuse others anyway
        self.changes_action.setEnabled(actor.is_admin)
        self.recycle_action.setEnabled(actor.is_admin)
        for area in self.areas:
            if area.install is not None:
                area.install(self, services, actor)
        self._add_messages_badge(services, actor)
        self.tabs.reopen(self._remembered_tabs())
        self._raise_floating_docks()

    def _add_messages_badge(self, services: Services, actor: Actor) -> None:
        """«پیام‌های تازه: n» in the status bar; clicking it shows the cardboard and its section."""
        from app.ui.activities.messages_badge import MessagesBadge

        self.messages_badge = MessagesBadge(services, actor, self)
        self.messages_badge.sig_show_messages.connect(
            lambda: (self.cardboard_dock.show(), self.cardboard_dock.raise_())
        )
        self.statusBar().addPermanentWidget(self.messages_badge)
        self.messages_badge.refresh()

    def _show_cardboard(self) -> None:
        self.cardboard_dock.show()
        self.cardboard_dock.raise_()

    def refresh_all(self) -> None:
        for panel in self.panels:
            panel.refresh()

    # --- layout persistence ---------------------------------------------------------
    def _restore_layout(self) -> None:
        self._default_state = self.saveState(STATE_VERSION)
        geometry = self.settings.value("main/geometry")
        state = self.settings.value("main/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, STATE_VERSION)

    def save_layout(self) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/state", self.saveState(STATE_VERSION))
        self.settings.sync()

    def _reset_layout(self) -> None:
        self.restoreState(self._default_state, STATE_VERSION)
        for dock in self.docks:
            dock.show()

    # --- sessions: each user's open records are remembered apart -------------------------------
    def _tabs_key(self) -> str:
        return f"main/tabs/{self._actor.user_id if self._actor else None}"

    def _remembered_tabs(self) -> list[str]:
        return [str(key) for key in self.settings.value(self._tabs_key(), [], type=list)]

    def end_session(self, switching: bool) -> None:
        """«خروج از حساب» / «تعویض کاربر»: closes every record (asking about unsaved ones, as closing a
        tab does) and remembers them; the application then asks who logs in (app.py)."""
        open_tabs = self.tabs.open_keys()
        if not self.tabs.close_all():  # the user kept an unsaved record open: the session goes on
            return
        self.settings.setValue(self._tabs_key(), open_tabs)
        self.save_layout()
        self._session_over = True
        self.sig_session_ended.emit(switching)

    def resume_session(self) -> None:
        """Switching user was cancelled at the login dialog: the same user's records open again."""
        self._session_over = False
        self.tabs.reopen(self._remembered_tabs())

    def _raise_floating_docks(self) -> None:
        """Floating docks are restored before the window is shown, which then covered them; Qt itself
        moves one restored off every screen back onto one."""
        for dock in self.docks:
            if dock.isFloating() and not dock.isHidden():
                dock.raise_()

    def closeEvent(self, event: QCloseEvent) -> None:
        open_tabs = self.tabs.open_keys()
        if not self.tabs.close_all():  # the user chose to keep an unsaved record open
            event.ignore()
            return
        if self._actor is not None and not self._session_over:  # else the list was saved at the session's end
            self.settings.setValue(self._tabs_key(), open_tabs)
        self.save_layout()
        super().closeEvent(event)

    # --- actions -------------------------------------------------------------------
    def _focus_identity_search(self) -> None:
        self.identity_dock.show()
        self.identity_dock.raise_()
        self.identity_panel.search.setFocus()

    def _edit_company(self) -> None:
        from app.ui.admin.company_dialog import CompanyDialog

        assert self._services is not None and self._actor is not None
        dialog = CompanyDialog(self._services.settings, self._actor, self, offer_sample_data=False)
        if dialog.exec():
            self.statusBar().showMessage("مشخصات شرکت ذخیره شد.", 4000)

    def _show_changes(self) -> None:
        from app.ui.admin.admin_history import ChangesDialog

        users = [(u.display_name, u.id) for u in self._services.users.list_users(self._actor)]
        ChangesDialog(self._services, self._actor, users, self).exec()

    def _show_recycle_bin(self) -> None:
        from app.ui.admin.admin_history import RecycleBinDialog

        RecycleBinDialog(self._services, self._actor, self).exec()

    def _show_conflicts(self) -> None:
        from app.ui.sync.conflicts_dialog import open_conflicts

        open_conflicts(self, self._services, self._actor)

    def _connect_server(self) -> None:
        from app.ui.server.server_dialog import ServerDialog

        ServerDialog(self).exec()

    def _manage_users(self) -> None:
        from app.services.admin.teams import TeamService
        from app.ui.admin.users_dialog import UsersDialog

        assert self._services is not None and self._actor is not None
        services = self._services
        UsersDialog(services.users, TeamService(services.db), self._actor, services.settings.money_unit(), self).exec()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "درباره پیوند",
            f"<b>پیوند</b> — نرم‌افزار مدیریت ارتباط با مشتری<br>نسخه {to_persian_digits(__version__)}<br>"
            "قلم وزیرمتن با مجوز SIL Open Font License",
        )
