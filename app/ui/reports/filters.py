"""The reports' filter bar: a Jalali period (presets or a custom range), a rep, a team, a pipeline."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.reports.periods import PERIOD_LABELS, PeriodKind, ReportFilter, period_bounds
from app.services.reports.service import FilterChoices
from app.ui.common.combo import select
from app.ui.common.jalali_date_edit import JalaliDateEdit

EVERYONE = "همه"


def _text(value) -> str | None:
    return None if value is None else str(value)


class FilterBar(QWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None, two_rows: bool = False) -> None:
        """`two_rows`: the period on one row, the people and pipeline on the next (a narrow tab)."""
        super().__init__(parent)
        self.period = QComboBox()
        for kind, label in PERIOD_LABELS.items():
            self.period.addItem(label, kind)
        self.start, self.end = JalaliDateEdit(), JalaliDateEdit()
        first, last = period_bounds(PeriodKind.THIS_MONTH)
        self.start.set_date_value(first)
        self.end.set_date_value(last)
        self.rep, self.team, self.pipeline = QComboBox(), QComboBox(), QComboBox()
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        layout = QHBoxLayout()
        rows.addLayout(layout)
        for label, widget in (
            ("دوره:", self.period),
            ("از", self.start),
            ("تا", self.end),
            ("فروشنده:", self.rep),
            ("تیم:", self.team),
            ("کاریز:", self.pipeline),
        ):
            if two_rows and widget is self.rep:
                layout.addStretch(1)
                layout = QHBoxLayout()
                rows.addLayout(layout)
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

    def state(self) -> dict:
        """The bar as plain JSON (a favourite): a preset period is kept by name, so «این ماه» moves on."""
        start, end = self.start.date_value(), self.end.date_value()
        return {
            "period": PeriodKind(self.period.currentData()).value,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            **{name: _text(getattr(self, name).currentData()) for name in ("rep", "team", "pipeline")},
        }

    def set_state(self, state: dict) -> None:
        """Shows a saved state without refreshing for each field (the caller refreshes once)."""
        widgets = (self.period, self.start, self.end, self.rep, self.team, self.pipeline)
        blocked = [w.blockSignals(True) for w in widgets]
        select(self.period, PeriodKind(state.get("period", PeriodKind.THIS_MONTH.value)))
        for name in ("rep", "team", "pipeline"):
            combo = getattr(self, name)
            found = (i for i in range(combo.count()) if _text(combo.itemData(i)) == state.get(name))
            combo.setCurrentIndex(next(found, 0))  # a rep or team since removed: everyone
        kind = PeriodKind(self.period.currentData())
        self._custom(kind is PeriodKind.CUSTOM)
        if kind is PeriodKind.CUSTOM and state.get("start") and state.get("end"):
            first, last = (dt.date.fromisoformat(state[key]) for key in ("start", "end"))
        else:  # a preset, or a range saved without its dates: this month
            first, last = period_bounds(PeriodKind.THIS_MONTH if kind is PeriodKind.CUSTOM else kind)
        self.start.set_date_value(first)
        self.end.set_date_value(last)
        for widget, was_blocked in zip(widgets, blocked, strict=True):
            widget.blockSignals(was_blocked)

    def value(self) -> ReportFilter:
        start = self.start.date_value() or dt.date.today()
        end = self.end.date_value() or start
        start, end = min(start, end), max(start, end)
        return ReportFilter(start, end, self.rep.currentData(), self.team.currentData(), self.pipeline.currentData())
