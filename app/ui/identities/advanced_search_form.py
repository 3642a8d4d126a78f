"""«جستجوی پیشرفته» in a central tab: conditions on any identity field joined by AND/OR, the matching
list (lazy, sorted in SQL), group-by counts, favourites per user and export of the results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import IdentityKind, IdentityRole
from app.persian import format_number
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.core.labels import KIND, ROLE
from app.services.core.periods import DateFilter, PeriodKind
from app.services.identities.advanced_search import CHOICE, DATE, FIELDS, GROUPS, OPERATORS, AdvancedQuery, Condition
from app.services.identities.service import IdentityQuery
from app.ui.common.lazy_table import LazyTableModel
from app.ui.common.period_chooser import PeriodChooser
from app.ui.common.record_form import RecordForm, register_form
from app.ui.errors import show_error
from app.ui.identities.identity_dock import COLUMNS
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

ENTITY = "identities"


class ConditionRow(QWidget):
    """One condition: field, operator, and a value editor that suits the field."""

    def __init__(self, choices: dict[str, list[tuple[str, str]]], on_remove) -> None:
        super().__init__()
        self._choices = choices
        self.field = QComboBox(objectName="conditionField")
        for key, spec in FIELDS.items():
            self.field.addItem(spec.label, key)
        self.op = QComboBox(objectName="conditionOp")
        self.text = QLineEdit(objectName="conditionText")
        self.choice = QComboBox(objectName="conditionChoice")
        self.dates = PeriodChooser()
        self.dates.set_date_filter(DateFilter(PeriodKind.THIS_MONTH))
        self.values = QStackedWidget()
        for widget in (self.text, self.choice, self.dates, QWidget()):
            self.values.addWidget(widget)
        remove = QPushButton("×", toolTip="حذف شرط")
        remove.setFixedWidth(28)
        remove.clicked.connect(lambda: on_remove(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.op)
        layout.addWidget(self.values, 1)
        layout.addWidget(remove)
        self.field.currentIndexChanged.connect(self._field_changed)
        self.op.currentIndexChanged.connect(self._op_changed)
        self._field_changed()

    def _field_changed(self) -> None:
        spec = FIELDS[self.field.currentData()]
        self.op.blockSignals(True)
        self.op.clear()
        for operator in spec.operators:
            self.op.addItem(OPERATORS[operator], operator)
        self.op.blockSignals(False)
        self.choice.clear()
        for label, value in self._choices.get(spec.key, []):
            self.choice.addItem(label, value)
        self._op_changed()

    def _op_changed(self) -> None:
        spec, op = FIELDS[self.field.currentData()], self.op.currentData()
        if op in ("empty", "not_empty"):
            self.values.setCurrentIndex(3)
        elif spec.type == CHOICE:
            self.values.setCurrentIndex(1)
        elif spec.type == DATE:
            self.values.setCurrentIndex(2)
        else:
            self.values.setCurrentIndex(0)

    def condition(self) -> Condition:
        spec, op = FIELDS[self.field.currentData()], self.op.currentData()
        if op in ("empty", "not_empty"):
            return Condition(spec.key, op)
        if spec.type == CHOICE:
            return Condition(spec.key, op, self.choice.currentData())
        if spec.type == DATE:
            period = self.dates.date_filter()
            if period.relative:  # kept by name: a favourite reruns it on the day it is opened
                return Condition(spec.key, op, period.kind)
            return Condition(spec.key, op, period.first, period.last)
        return Condition(spec.key, op, self.text.text())

    def set_condition(self, condition: Condition) -> None:
        self.field.setCurrentIndex(max(self.field.findData(condition.field), 0))
        self.op.setCurrentIndex(max(self.op.findData(condition.op), 0))
        spec = FIELDS[condition.field]
        if spec.type == CHOICE:
            self.choice.setCurrentIndex(max(self.choice.findData(condition.value), 0))
        elif spec.type == DATE and condition.op == "between":
            if isinstance(condition.value, PeriodKind):
                self.dates.set_date_filter(DateFilter(condition.value))
            else:
                self.dates.set_date_filter(DateFilter.fixed(condition.value, condition.value2))
        else:
            self.text.setText(str(condition.value or ""))


class AdvancedSearchForm(RecordForm):
    def __init__(self, services: Services, actor: Actor, _record_id=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setObjectName("advancedSearchForm")
        self.query = IdentityQuery(advanced=AdvancedQuery())
        self._choices = self._load_choices()
        self.rows: list[ConditionRow] = []

        conditions = QGroupBox("شرط‌ها")
        self.rows_layout = QVBoxLayout()
        add = QPushButton("+ شرط", objectName="addCondition")
        add.clicked.connect(lambda: self.add_condition())
        self.all_radio = QRadioButton("همه شرط‌ها برقرار باشد (و)", checked=True)
        self.any_radio = QRadioButton("دست‌کم یکی برقرار باشد (یا)")
        self.search_button = QPushButton("جستجو", objectName="runSearch")
        self.search_button.clicked.connect(self.run_search)
        line = QHBoxLayout()
        for widget in (add, self.all_radio, self.any_radio):
            line.addWidget(widget)
        line.addStretch()
        line.addWidget(self.search_button)
        box = QVBoxLayout(conditions)
        box.addLayout(self.rows_layout)
        box.addLayout(line)

        self.favourites = QComboBox(objectName="favourites")
        # Sized for the favourites' names, which arrive after the first show (it had cut «تهران» to «تهـ»).
        self.favourites.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.favourites.setMinimumContentsLength(16)
        self.favourites.activated.connect(self._load_favourite)
        save = QPushButton("ذخیره به‌عنوان علاقه‌مندی…")
        save.clicked.connect(self._save_favourite)
        remove = QPushButton("حذف علاقه‌مندی")
        remove.clicked.connect(self._delete_favourite)
        export = QPushButton("خروجی نتیجه…")
        export.clicked.connect(self._export)
        favourites = QHBoxLayout()
        for widget in (QLabel("علاقه‌مندی‌ها:"), self.favourites, save, remove):
            favourites.addWidget(widget)
        favourites.addStretch()
        favourites.addWidget(export)

        self.count_label = QLabel(objectName="resultCount")
        self.model = LazyTableModel(
            COLUMNS[:6],
            lambda cursor, limit, key, desc: services.identities.page(actor, self._sorted(key, desc), cursor, limit),
            lambda: services.identities.count(actor, self.query),
            self,
        )
        self.table = QTableView(alternatingRowColors=True)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(
            lambda index: self.sig_open_record.emit("identity", self.model.row_at(index.row()).id)
        )
        self.group_by = QComboBox(objectName="groupBy")
        self.group_by.addItem("بدون گروه‌بندی", None)
        for key, label in GROUPS.items():
            self.group_by.addItem(label, key)
        self.group_by.currentIndexChanged.connect(lambda _i: self._show_groups())
        self.groups = QTableWidget(0, 2)
        self.groups.setObjectName("groupCounts")
        self.groups.setHorizontalHeaderLabels(["گروه", "تعداد"])
        self.groups.verticalHeader().hide()
        self.groups.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(QLabel("گروه‌بندی بر اساس:"))
        side_layout.addWidget(self.group_by)
        side_layout.addWidget(self.groups, 1)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)

        layout = QVBoxLayout(self)
        layout.addWidget(conditions)
        layout.addLayout(favourites)
        layout.addWidget(self.count_label)
        layout.addWidget(split, 1)
        self.add_condition()
        self._reload_favourites()
        self._show_count()

    def title(self) -> str:
        return "جستجوی پیشرفته"

    def save(self) -> bool:
        return True  # nothing to save: favourites are saved by their own button

    # --- conditions ----------------------------------------------------------------------------
    def _load_choices(self) -> dict[str, list[tuple[str, str]]]:
        s, a = self._services, self._actor
        return {
            "role": [(ROLE[r], r.value) for r in IdentityRole],
            "kind": [(KIND[k], k.value) for k in IdentityKind],
            "category": [("    " * n.depth + n.name, str(n.id)) for n in s.categories.tree(a)],
            "source": [(c.name, str(c.id)) for c in s.identities.sources(a)],
            "owner": [(c.name, str(c.id)) for c in s.identities.owners(a)],
            "tag": [(c.name, str(c.id)) for c in s.tags.tags(a)],
        }

    def add_condition(self, condition: Condition | None = None) -> ConditionRow:
        row = ConditionRow(self._choices, self._remove)
        if condition is not None:
            row.set_condition(condition)
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        return row

    def _remove(self, row: ConditionRow) -> None:
        self.rows.remove(row)
        row.deleteLater()

    def advanced_query(self) -> AdvancedQuery:
        return AdvancedQuery(tuple(r.condition() for r in self.rows), self.all_radio.isChecked())

    def set_advanced_query(self, query: AdvancedQuery) -> None:
        for row in list(self.rows):
            self._remove(row)
        for condition in query.conditions:
            self.add_condition(condition)
        (self.all_radio if query.match_all else self.any_radio).setChecked(True)

    def _sorted(self, key: str | None, desc: bool) -> IdentityQuery:
        from dataclasses import replace

        return replace(self.query, sort=key or "display_name", descending=desc)

    def run_search(self) -> bool:
        self.query = IdentityQuery(advanced=self.advanced_query())
        try:
            self.model.reload()
        except ValidationFailed as exc:
            show_error(self, "؛ ".join(exc.errors.values()))
            return False
        except ServiceError as exc:
            show_error(self, exc.message)
            return False
        self._show_count()
        self._show_groups()
        return True

    def _show_count(self) -> None:
        self.count_label.setText(f"{format_number(self.model.total())} مورد")

    def _show_groups(self) -> None:
        by = self.group_by.currentData()
        self.groups.setRowCount(0)
        if by is None:
            return
        query = self.query
        groups = op(self, lambda: self._services.advanced_search.group_counts(self._actor, query, by)).run()
        if groups is None:
            return
        self.groups.setRowCount(len(groups))
        for r, group in enumerate(groups):
            self.groups.setItem(r, 0, QTableWidgetItem(group.label))
            self.groups.setItem(r, 1, QTableWidgetItem(format_number(group.count)))

    # --- favourites -----------------------------------------------------------------------------
    def _reload_favourites(self) -> None:
        self.favourites.clear()
        self.favourites.addItem("—", None)
        for row in self._services.saved_searches.list(self._actor, ENTITY):
            self.favourites.addItem(row.name, row)

    def _load_favourite(self, index: int) -> None:
        row = self.favourites.itemData(index)
        if row is not None:
            self.set_advanced_query(AdvancedQuery.from_dict(row.definition))
            self.run_search()

    def save_favourite(self, name: str) -> bool:
        definition = self.advanced_query().to_dict()
        saving = op(self, lambda: self._services.saved_searches.save(self._actor, name, definition, ENTITY))
        saving.validation(lambda errors: show_error(self, "؛ ".join(errors.values()))).run()
        if not saving.succeeded:
            return False
        self._reload_favourites()
        self.favourites.setCurrentIndex(max(self.favourites.findText(name.strip()), 0))
        return True

    def _save_favourite(self) -> None:
        name, ok = QInputDialog.getText(self, "ذخیره جستجو", "نام علاقه‌مندی:", text=self.favourites.currentText())
        if ok:
            self.save_favourite(name)

    def _delete_favourite(self) -> None:
        row = self.favourites.currentData()
        if row is None:
            return
        deleting = op(self, lambda: self._services.saved_searches.delete(self._actor, row.id))
        deleting.success(lambda _r: self._reload_favourites()).run()  # not when the wait let the form go

    def _export(self) -> None:
        from app.ui.identities.export_dialog import export_identities

        export_identities(self, self._services, self._actor, self.query)


register_form("identity_search", AdvancedSearchForm)
