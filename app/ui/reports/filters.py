"""The reports' filter bar: a Jalali period (presets or a custom range), a rep, a team, a pipeline."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.services.reports.periods import PERIOD_LABELS, PeriodKind, ReportFilter, period_bounds
from app.services.reports.service import FilterChoices
from app.ui.common.jalali_date_edit import JalaliDateEdit

EVERYONE = "همه"


class FilterBar(QWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.period = QComboBox()
        for kind, label in PERIOD_LABELS.items():
            self.period.addItem(label, kind)
        self.start, self.end = JalaliDateEdit(), JalaliDateEdit()
        first, last = period_bounds(PeriodKind.THIS_MONTH)
        self.start.set_date_value(first)
        self.end.set_date_value(last)
        self.rep, self.team, self.pipeline = QComboBox(), QComboBox(), QComboBox()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, widget in (
            ("دوره:", self.period),
            ("از", self.start),
            ("تا", self.end),
            ("فروشنده:", self.rep),
            ("تیم:", self.team),
            ("کاریز:", self.pipeline),
        ):
            layout.addWidget(QLabel(label))
            layout.addWidget(widget)
        layout.addStretch(1)
        self._custom(False)
        self.period.currentIndexChanged.connect(self._period_changed)
        for edit in (self.start, self.end):
            edit.sig_value_changed.connect(lambda _value: self.sig_changed.emit())
        for combo in (self.rep, self.team, self.pipeline):
            combo.currentIndexChanged.connect(lambda _index: self.sig_changed.emit())

    def set_choices(self, choices: FilterChoices) -> None:
        for combo, items in ((self.rep, choices.reps), (self.team, choices.teams), (self.pipeline, choices.pipelines)):
            was_blocked = combo.blockSignals(True)  # filling the lists is no change of filter
            combo.clear()
            combo.addItem(EVERYONE, None)
            for item_id, name in items:
                combo.addItem(name, item_id)
            combo.blockSignals(was_blocked)

    def _custom(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)

    def _period_changed(self, _index: int) -> None:
        kind = PeriodKind(self.period.currentData())  # Qt hands the str enum back as a plain str
        self._custom(kind is PeriodKind.CUSTOM)
        if kind is not PeriodKind.CUSTOM:
            first, last = period_bounds(kind)
            for edit, day in ((self.start, first), (self.end, last)):
                was_blocked = edit.blockSignals(True)  # one refresh for the whole change
                edit.set_date_value(day)
                edit.blockSignals(was_blocked)
        self.sig_changed.emit()

    def value(self) -> ReportFilter:
        start = self.start.date_value() or dt.date.today()
        end = self.end.date_value() or start
        start, end = min(start, end), max(start, end)
        return ReportFilter(start, end, self.rep.currentData(), self.team.currentData(), self.pipeline.currentData())
