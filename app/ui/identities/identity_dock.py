"""The identities dock (هویت‌ها): actions, quick search, role buttons, category tree and a lazy list
whose columns the user chooses (header menu; kept in QSettings), sorts (in SQL) and resizes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QMenu, QPushButton, QToolButton, QTreeWidget, QTreeWidgetItem

from app.models.enums import IdentityRole
from app.services.core.actor import Actor
from app.services.core.errors import ServiceError
from app.services.core.fields import headers
from app.services.core.labels import KIND, ROLE
from app.services.core.registry import Services
from app.services.identities.fields import IDENTITY_FIELDS
from app.services.identities.service import IdentityQuery
from app.ui import format as fmt
from app.ui.common.lazy_table import Column
from app.ui.common.list_panel import ListPanel
from app.ui.errors import show_error
from app.ui.events import change_bus
from app.ui.ops import op

# Column indexes are stable (hidden columns keep theirs): later columns are appended.
HEADER = headers(IDENTITY_FIELDS)  # the field table's column headers
NAME_SAMPLE = "ابوالفضل اصفهانی‌نژاد"  # a long first name and family name: most names fit
COLUMNS = [
    Column("display_name", HEADER["display_name"], lambda r: r.display_name, "display_name", sample=NAME_SAMPLE),
    Column("role", HEADER["role"], lambda r: ROLE[r.role], "role", sample="مخاطب"),
    Column("mobile", HEADER["mobile"], lambda r: fmt.digits(r.mobile), "mobile", ltr=True, sample="۰۹۱۲۱۲۳۴۵۶۷"),
    Column("city", HEADER["city"], lambda r: r.city or "", "city", sample="کرمانشاه"),
    Column("owner_name", HEADER["owner_name"], lambda r: r.owner_name or "", "owner_name"),
    Column("created_at", HEADER["created_at"], lambda r: fmt.date(r.created_at), "created_at"),
    Column("kind", HEADER["kind"], lambda r: KIND[r.kind], None),
    Column("national_code", HEADER["national_code"], lambda r: fmt.digits(r.national_code), "national_code", ltr=True),
    Column("economic_code", HEADER["economic_code"], lambda r: fmt.digits(r.economic_code), "economic_code", ltr=True),
    Column("category_name", HEADER["category_name"], lambda r: r.category_name or "", "category_name"),
    Column("source_name", HEADER["source_name"], lambda r: r.source_name or "", "source_name"),
    Column("updated_at", HEADER["updated_at"], lambda r: fmt.date(r.updated_at), "updated_at"),
]
DEFAULT_HIDDEN = {"kind", "national_code", "economic_code", "category_name", "source_name", "updated_at"}
FILTERS = [("همه", None)] + [(ROLE[role], role) for role in IdentityRole]
SETTINGS_KEY = "identity_dock/hidden_columns"
CATEGORIES_SHOWN_KEY = "identity_dock/categories_shown"
FIRST_PAGE = 60  # the first screen needs ~30 rows; scrolling fetches 200 at a time
ALL_CATEGORIES = "همه دسته‌بندی‌ها"


@dataclass
class DockFilters:
    """What the list shows besides the text and the role button (read by the fetch closures)."""

    category_id: uuid.UUID | None = None
    scope: str = "all"  # «همه», «هویت‌های من», «تیم من» or a team (OpportunityService.scope_choices)

    def query(self, text: str, role, key: str | None = None, desc: bool = False) -> IdentityQuery:
        return IdentityQuery(
            text=text,
            role=role,
            sort=key or "display_name",
            descending=desc,
            category_id=self.category_id,
            scope=self.scope,
        )


class IdentityPanel(ListPanel):
    sig_open_record = Signal(str, object)
    """Ask the main window to open a record tab: (kind, id or None for a new one)."""

    def __init__(self, services: Services, actor: Actor, settings: QSettings | None = None) -> None:
        filters = DockFilters()

        def fetch(text, role, cursor, limit, key, desc):
            return services.identities.page(actor, filters.query(text, role, key, desc), cursor, limit)

        super().__init__(
            COLUMNS,
            fetch,
            lambda text, role: services.identities.count(actor, filters.query(text, role)),
            placeholder="جستجو در نام، تلفن، ایمیل، کد ملی… (Ctrl+F)",
            empty_text="هنوز هویتی ثبت نشده — از اکسل وارد کنید یا یک هویت بسازید.",
            filters=FILTERS,
            keyset=True,
            first_page=FIRST_PAGE,
        )
        self.setObjectName("identityPanel")
        self._services, self._actor = services, actor
        self.filters = filters
        self._settings = settings if settings is not None else QSettings()
        self._build_toolbar()
        self._build_category_tree()
        self._apply_hidden_columns()
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        self.sig_activated.connect(lambda row: self.sig_open_record.emit("identity", row.id))
        shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.new_identity)
        self._refresh_timer = QTimer(self, singleShot=True, interval=150)
        self._refresh_timer.timeout.connect(self.refresh)
        change_bus().sig_changed.connect(self._on_changed)

    # --- construction ----------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        row = QHBoxLayout()
        self.new_button = QPushButton("+ هویت", toolTip="هویت جدید (Ctrl+N)")
        self.new_button.clicked.connect(self.new_identity)
        self.advanced_button = QPushButton("جستجوی پیشرفته")
        self.advanced_button.clicked.connect(lambda: self.sig_open_record.emit("identity_search", None))
        self.more_button = QToolButton(text="بیشتر")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more_button)
        self.import_action = menu.addAction("ورود از فایل اکسل یا CSV…", self.import_file)
        self.export_action = menu.addAction("خروجی فهرست فعلی…", self.export_list)
        self.duplicates_action = menu.addAction("تکراری‌های هویت انتخاب‌شده…", self.show_duplicates)
        menu.addSeparator()
        self.categories_action = menu.addAction("دسته‌بندی‌ها…", self.edit_categories)
        self.categories_action.setEnabled(self._actor.is_admin)
        self.more_button.setMenu(menu)
        self.scope = QComboBox(objectName="identityScope")
        for choice in self._services.opportunities.scope_choices(self._actor, mine_label="هویت‌های من"):
            self.scope.addItem(choice.label, choice.value)
        self.scope.currentIndexChanged.connect(self._scope_chosen)
        for widget in (self.new_button, self.advanced_button, self.more_button):
            row.addWidget(widget)
        row.addStretch()
        row.addWidget(self.scope)
        self.layout().insertLayout(0, row)

    def _build_category_tree(self) -> None:
        self.category_toggle = QToolButton(text="دسته‌بندی‌ها", checkable=True)
        self.category_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.category_toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.category_tree = QTreeWidget()
        self.category_tree.setObjectName("categoryTree")
        self.category_tree.setHeaderHidden(True)
        self.category_tree.setMaximumHeight(160)
        self.category_tree.currentItemChanged.connect(self._category_chosen)
        self.category_toggle.toggled.connect(self._show_categories)
        index = self.layout().indexOf(self.search) + 2  # below the search box and the role buttons
        self.layout().insertWidget(index, self.category_toggle)
        self.layout().insertWidget(index + 1, self.category_tree)
        self.load_categories()

    def load_categories(self) -> None:
        current = self.filters.category_id
        self.category_tree.blockSignals(True)
        self.category_tree.clear()
        root = QTreeWidgetItem([ALL_CATEGORIES])
        root.setData(0, Qt.ItemDataRole.UserRole, None)
        self.category_tree.addTopLevelItem(root)
        items: dict = {None: root}
        try:
            nodes = self._services.categories.tree(self._actor)
        except ServiceError:
            nodes = []
        for node in nodes:
            item = QTreeWidgetItem(items.get(node.parent_id, root), [node.name])
            item.setData(0, Qt.ItemDataRole.UserRole, str(node.id))
            items[node.id] = item
        self.category_tree.expandAll()
        self.category_tree.setMaximumHeight(min(160, 24 * (len(nodes) + 1) + 8))
        self.category_tree.setCurrentItem(items.get(current, root))
        self.category_tree.blockSignals(False)
        # The list comes first (at 768 px the tree left it one row): the tree opens from «دسته‌بندی‌ها»,
        # remembered; without categories neither shows.
        shown = bool(nodes) and self._settings.value(CATEGORIES_SHOWN_KEY, False, type=bool)
        self.category_toggle.blockSignals(True)
        self.category_toggle.setChecked(shown)
        self.category_toggle.blockSignals(False)
        self.category_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.LeftArrow)
        self.category_tree.setVisible(shown)
        self.category_toggle.setVisible(bool(nodes))

    def _show_categories(self, shown: bool) -> None:
        self._settings.setValue(CATEGORIES_SHOWN_KEY, shown)
        self.category_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.LeftArrow)
        self.category_tree.setVisible(shown)

    def _scope_chosen(self) -> None:
        self.filters.scope = self.scope.currentData()
        self.refresh()

    def _category_chosen(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        value = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        self.filters.category_id = uuid.UUID(value) if value else None
        self.refresh()

    # --- columns -----------------------------------------------------------------------------
    def hidden_columns(self) -> set[str]:
        stored = self._settings.value(SETTINGS_KEY)
        if stored is None:
            return set(DEFAULT_HIDDEN)
        if isinstance(stored, str):
            stored = [stored] if stored else []
        return set(stored)

    def _apply_hidden_columns(self) -> None:
        hidden = self.hidden_columns()
        for index, column in enumerate(COLUMNS):
            self.table.setColumnHidden(index, column.key in hidden and index != 0)

    def set_column_visible(self, key: str, visible: bool) -> None:
        hidden = self.hidden_columns()
        (hidden.discard if visible else hidden.add)(key)
        hidden.discard(COLUMNS[0].key)  # the name always shows
        self._settings.setValue(SETTINGS_KEY, sorted(hidden) or "")
        self._apply_hidden_columns()

    def _column_menu(self, position) -> None:
        menu = self.column_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def column_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setTitle("ستون‌ها")
        hidden = self.hidden_columns()
        for index, column in enumerate(COLUMNS):
            action = QAction(column.header, menu, checkable=True, checked=column.key not in hidden or index == 0)
            action.setEnabled(index != 0)
            action.toggled.connect(lambda on, k=column.key: self.set_column_visible(k, on))
            menu.addAction(action)
        return menu

    # --- actions -----------------------------------------------------------------------------
    def current_query(self) -> IdentityQuery:
        key, descending = self.model.sort_state()
        return self.filters.query(self.search.text(), self._filter_value, key, descending)

    def new_identity(self) -> None:
        self.sig_open_record.emit("identity", None)

    def selected_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).id if index.isValid() else None

    def import_file(self) -> None:
        from app.ui.identities.import_wizard import ImportWizard

        ImportWizard(self._services, self._actor, self).exec()

    def export_list(self) -> None:
        from app.ui.identities.export_dialog import export_identities

        export_identities(self, self._services, self._actor, self.current_query())

    def show_duplicates(self) -> None:
        identity_id = self.selected_id()
        if identity_id is None:
            show_error(self, "ابتدا یک هویت را در فهرست انتخاب کنید.")
            return
        from app.ui.identities.duplicates_dialog import MERGE, OPEN, DuplicatesDialog

        find = op(self, lambda: self._services.identities.duplicates_of(self._actor, identity_id))
        candidates = find.run()
        if not find.succeeded:
            return
        dialog = DuplicatesDialog(candidates, 0, self)
        dialog.create_button.hide()
        if not dialog.exec() or dialog.chosen_id() is None:
            return
        chosen = dialog.chosen_id()
        if dialog.choice() == OPEN:
            self.sig_open_record.emit("identity", chosen)
        elif dialog.choice() == MERGE:
            self._merge(identity_id, chosen)

    def _merge(self, identity_id: uuid.UUID, chosen: uuid.UUID) -> None:
        from app.ui.identities.merge_dialog import MergeDialog

        merge_service = self._services.identity_merge
        preview = op(self, lambda: merge_service.preview(self._actor, identity_id, chosen)).run()
        if preview is None:
            return
        merge = MergeDialog(preview, self)
        if merge.exec():
            take = merge.take_from_merged()
            op(self, lambda: merge_service.merge(self._actor, identity_id, chosen, take)).run()

    def edit_categories(self) -> None:
        from app.ui.identities.categories_dialog import CategoriesDialog

        CategoriesDialog(self._services, self._actor, self).exec()
        self.load_categories()

    def _on_changed(self, table: str, _ids) -> None:
        if table in ("identities", "categories"):
            if table == "categories":
                self.load_categories()
            self._refresh_timer.start()


def identity_panel(services: Services, actor: Actor, settings: QSettings | None = None) -> IdentityPanel:
    return IdentityPanel(services, actor, settings)
