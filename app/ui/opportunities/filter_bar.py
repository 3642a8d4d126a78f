"""Filters shared by the board and the list: search, mine / my team / all, status, stage, owner,
tag, source, priority stars, expected close period, group-by (list only), and saved favourites.

The expected close is a relative Jalali period, saved in a favourite by name (so «این ماه» is always
the current month), or «بازه دلخواه» with fixed dates."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from app.models.enums import OpportunityStatus
from app.services.opportunities.queries import GROUPS, PERIODS, OpportunityQuery
from app.ui.common.combo import index_of
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.events import change_bus
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

SEARCH_DELAY_MS = 250
CHOICE_TABLES = frozenset({"pipelines", "stages", "users", "tags", "sources"})  # what the pick lists show
ENTITY = "opportunities"
STATUSES = (("open", "باز"), ("won", "برنده"), ("lost", "بازنده"), ("any", "همه وضعیت‌ها"))
CUSTOM = "custom"  # «بازه دلخواه»: fixed dates of the expected close
PRIORITIES = ((1, "★ و بیشتر"), (2, "★★ و بیشتر"), (3, "★★★"))


def _combo(name: str, items, first: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    if first is not None:
        combo.addItem(first, None)
    for value, label in items:
        combo.addItem(label, value)
    return combo


def _select(combo: QComboBox, value) -> None:
    index = index_of(combo, value)
    combo.setCurrentIndex(index if index >= 0 else 0)


class OpportunityFilterBar(QWidget):
    sig_changed = Signal()
    """The filters changed (text is debounced)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.search = QLineEdit(placeholderText="جستجو در عنوان فرصت یا نام هویت…", clearButtonEnabled=True)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.sig_changed)
        self.search.textChanged.connect(self._timer.start)
        # «همه», «فرصت‌های من», and «تیم من» for a leader or each team for an administrator
        scopes = services.opportunities.scope_choices(actor, mine_label="فرصت‌های من")
        self.scope = _combo("scope", [(c.value, c.label) for c in scopes])
        self.status = _combo("status", STATUSES)
        self.pipeline = _combo("pipeline", [])
        self.stage = _combo("stage", [], "همه مراحل")
        self.owner = _combo("owner", [], "همه مسئولان")
        self.tag = _combo("tag", [], "همه برچسب‌ها")
        self.source = _combo("source", [], "همه منابع")
        self.priority = _combo("priority", PRIORITIES, "هر اولویتی")
        self.period = _combo("period", [*PERIODS.items(), (CUSTOM, "بستن در بازه دلخواه")], "هر زمان بستن")
        self.close_first, self.close_last = JalaliDateEdit(), JalaliDateEdit()
        self.close_dates = QWidget()
        dates = QHBoxLayout(self.close_dates)
        dates.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel("بستن از"), self.close_first, QLabel("تا"), self.close_last):
            dates.addWidget(widget)
        dates.addStretch()
        for edit in (self.close_first, self.close_last):
            edit.setNullable(True)
            edit.set_date_value(None)
            edit.sig_value_changed.connect(lambda _value: self.sig_changed.emit())
        self.group = _combo("groupBy", GROUPS.items(), "بدون گروه‌بندی")
        self.favourites = QToolButton(text="علاقه‌مندی‌ها ▾", popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        self.favourites.setMenu(QMenu(self.favourites))
        self.favourites.menu().aboutToShow.connect(self._fill_favourites)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.search, 0, 0, 1, 2)
        grid.addWidget(self.favourites, 0, 2)
        # Three a row (the same four rows as four a row and the grouping): four combos a row made the
        # dock wider than its default 440 px at 1366×768 and its buttons scrolled out of sight.
        combos = (self.scope, self.status, self.pipeline, self.stage, self.owner, self.tag)
        combos += (self.source, self.priority, self.period, self.group)
        for i, combo in enumerate(combos):
            grid.addWidget(combo, 1 + i // 3, i % 3)
        grid.addWidget(self.close_dates, 2 + len(combos) // 3, 0, 1, 3)
        self._show_close_dates()
        self.period.currentIndexChanged.connect(self._show_close_dates)
        self.fill_choices()
        for combo in (self.scope, self.status, self.stage, self.owner, self.tag, self.source, self.priority):
            combo.currentIndexChanged.connect(self.sig_changed)
        for combo in (self.period, self.group):
            combo.currentIndexChanged.connect(self.sig_changed)
        self.pipeline.currentIndexChanged.connect(self._pipeline_changed)
        change_bus().sig_changed.connect(self._changed)

    def fill_choices(self) -> None:
        """(Re)loads the pick lists: pipelines, users, tags, sources."""
        s, a = self._services, self._actor
        self._pipelines = s.pipelines.pipelines(a)
        for combo in (self.pipeline, self.owner, self.tag, self.source):
            combo.blockSignals(True)
        for combo, items in (
            (self.pipeline, [(p.id, f"کاریز {p.name}") for p in self._pipelines]),
            (self.owner, [(u.id, u.name) for u in s.opportunity_records.choices(a).users]),
            (self.tag, [(t.id, t.name) for t in s.tags.tags(a)]),
            (self.source, [(i.id, i.name) for i in s.sales_lists.items(a, "sources")]),
        ):
            current = combo.currentData()
            while combo.count() > (0 if combo is self.pipeline else 1):
                combo.removeItem(combo.count() - 1)
            for value, label in items:
                combo.addItem(label, value)
            _select(combo, current)
        self._paint_tags(s.tags.colors(a))
        self.pipeline.setVisible(len(self._pipelines) > 1)
        for combo in (self.pipeline, self.owner, self.tag, self.source):
            combo.blockSignals(False)
        self._fill_stages()

    def _paint_tags(self, colors: dict) -> None:
        """A tag with a colour shows a swatch of it, as its chip on the cards."""
        for index in range(1, self.tag.count()):
            color = colors.get(self.tag.itemData(index))
            swatch = QPixmap(12, 12)
            swatch.fill(QColor(color) if color else QColor(0, 0, 0, 0))
            self.tag.setItemIcon(index, QIcon(swatch) if color else QIcon())

    def _changed(self, table: str, _ids) -> None:
        if table in CHOICE_TABLES:  # e.g. a tag typed in an opportunity form is a filter at once
            self.fill_choices()

    def _fill_stages(self) -> None:
        current = self.stage.currentData()
        self.stage.blockSignals(True)
        while self.stage.count() > 1:
            self.stage.removeItem(1)
        pipeline = next((p for p in self._pipelines if p.id == self.pipeline.currentData()), None)
        for st in pipeline.stages if pipeline else ():
            self.stage.addItem(st.name, st.id)
        _select(self.stage, current)
        self.stage.blockSignals(False)

    def _pipeline_changed(self) -> None:
        self._fill_stages()
        self.sig_changed.emit()

    def _custom(self) -> bool:
        return self.period.currentData() == CUSTOM

    def _show_close_dates(self) -> None:
        self.close_dates.setVisible(self._custom())

    def set_list_mode(self, is_list: bool) -> None:
        """The board shows open opportunities in stage columns: status, stage and group-by are the list's."""
        for combo in (self.status, self.stage, self.group):
            combo.setVisible(is_list)

    # --- the query ------------------------------------------------------------------------------
    def query(self) -> OpportunityQuery:
        status = self.status.currentData()
        custom = self._custom()
        return OpportunityQuery(
            text=self.search.text(),
            status=None if status == "any" else OpportunityStatus(status),
            stage_id=self.stage.currentData(),
            scope=self.scope.currentData(),
            owner_id=self.owner.currentData(),
            tag_id=self.tag.currentData(),
            source_id=self.source.currentData(),
            min_priority=self.priority.currentData(),
            period=None if custom else self.period.currentData(),
            close_first=self.close_first.date_value() if custom else None,
            close_last=self.close_last.date_value() if custom else None,
            pipeline_id=self.pipeline.currentData(),
        )

    def group_by(self) -> str | None:
        return self.group.currentData()

    def definition(self) -> dict:
        """The filters as JSON-safe values (a favourite)."""
        ids = {
            "pipeline": self.pipeline,
            "stage": self.stage,
            "owner": self.owner,
            "tag": self.tag,
            "source": self.source,
        }
        values = {k: (str(c.currentData()) if c.currentData() else None) for k, c in ids.items()}
        return values | {
            "text": self.search.text(),
            "scope": self.scope.currentData(),
            "status": self.status.currentData(),
            "period": self.period.currentData(),  # a relative period by its name, never its days
            "close_first": _iso(self.close_first.date_value()) if self._custom() else None,
            "close_last": _iso(self.close_last.date_value()) if self._custom() else None,
            "group_by": self.group.currentData(),
            "min_priority": self.priority.currentData(),
        }

    def apply(self, definition: dict) -> None:
        combos = (self.scope, self.status, self.pipeline, self.stage, self.owner, self.tag, self.source, self.priority)
        combos += (self.period,)
        for combo in (*combos, self.group):
            combo.blockSignals(True)
        self.search.blockSignals(True)
        self.search.setText(definition.get("text", ""))
        for key, combo in (
            ("scope", self.scope),
            ("status", self.status),
            ("period", self.period),
            ("group_by", self.group),
            ("min_priority", self.priority),
        ):
            _select(combo, definition.get(key))
        _select(self.pipeline, _uuid(definition.get("pipeline")))
        self._fill_stages()
        for key, combo in (("stage", self.stage), ("owner", self.owner), ("tag", self.tag), ("source", self.source)):
            _select(combo, _uuid(definition.get(key)))
        for key, edit in (("close_first", self.close_first), ("close_last", self.close_last)):
            edit.blockSignals(True)
            edit.set_date_value(_day(definition.get(key)))
            edit.blockSignals(False)
        self._show_close_dates()
        for combo in (*combos, self.group):
            combo.blockSignals(False)
        self.search.blockSignals(False)
        self.sig_changed.emit()

    # --- favourites --------------------------------------------------------------------------------
    def _fill_favourites(self) -> None:
        menu = self.favourites.menu()
        menu.clear()
        save = QAction("ذخیره فیلترهای فعلی…", menu)
        save.triggered.connect(self.ask_favourite)
        menu.addAction(save)
        saved = self._services.saved_searches.list(self._actor, ENTITY)
        if saved:
            menu.addSeparator()
        for fav in saved:
            action = QAction(fav.name, menu)
            action.triggered.connect(lambda _=False, d=fav.definition: self.apply(d))
            menu.addAction(action)
        if saved:
            remove = menu.addMenu("حذف")
            for fav in saved:
                action = QAction(fav.name, remove)
                action.triggered.connect(lambda _=False, i=fav.id: self._delete_favourite(i))
                remove.addAction(action)

    def ask_favourite(self) -> None:
        """«ذخیره فیلترهای فعلی…»: asks for a name, then saves the filters under it."""
        name, ok = QInputDialog.getText(self, "علاقه‌مندی تازه", "نام این مجموعه فیلتر:")
        if ok:
            self.save_favourite(name)

    def save_favourite(self, name: str) -> None:
        searches, actor, definition = self._services.saved_searches, self._actor, self.definition()
        op(self, lambda: searches.save(actor, name, definition, entity=ENTITY)).run()

    def _delete_favourite(self, favourite_id: uuid.UUID) -> None:
        searches, actor = self._services.saved_searches, self._actor
        op(self, lambda: searches.delete(actor, favourite_id)).run()


def _uuid(value) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
