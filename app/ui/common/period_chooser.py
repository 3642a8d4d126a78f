"""The one period chooser of every date filter: a relative Jalali period («امروز»، «این هفته» … «سال مالی
جاری») or «بازه دلخواه» with fixed «از»/«تا» Jalali dates, which show only for it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.services.core.periods import PERIOD_LABELS, DateFilter, PeriodKind
from app.ui.common.combo import select
from app.ui.common.jalali_date_edit import JalaliDateEdit


class PeriodChooser(QWidget):
    sig_changed = Signal()
    """The period or one of the fixed dates changed."""

    def __init__(self, any_label: str | None = None, label: str | None = None, parent: QWidget | None = None) -> None:
        """`any_label` (e.g. «هر زمان») adds a first choice that filters nothing: date_filter() is None;
        `label` says which date it filters («تاریخ سند:»)."""
        super().__init__(parent)
        self.period = QComboBox(objectName="period")
        if any_label is not None:
            self.period.addItem(any_label, None)
        for kind, text in PERIOD_LABELS.items():
            self.period.addItem(text, kind)
        self.first, self.last = JalaliDateEdit(), JalaliDateEdit()
        for edit in (self.first, self.last):
            edit.setNullable(True)
            edit.set_date_value(None)
            edit.sig_value_changed.connect(lambda _value: self.sig_changed.emit())
        self._from, self._to = QLabel("از"), QLabel("تا")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if label is not None:
            layout.addWidget(QLabel(label))
        for widget in (self.period, self._from, self.first, self._to, self.last):
            layout.addWidget(widget)
        layout.addStretch()  # kept together at the start of the line, not spread over it
        self.period.currentIndexChanged.connect(self._period_changed)
        self._show_dates()

    def date_filter(self) -> DateFilter | None:
        kind = self._kind()
        if kind is None:
            return None
        if kind is PeriodKind.CUSTOM:
            return DateFilter.fixed(self.first.date_value(), self.last.date_value())
        return DateFilter(kind)

    def set_date_filter(self, value: DateFilter | None) -> None:
        self.period.blockSignals(True)
        select(self.period, None if value is None else value.kind)
        self.period.blockSignals(False)
        if value is not None and not value.relative:
            self.first.set_date_value(value.first)
            self.last.set_date_value(value.last)
        self._show_dates()

    def _kind(self) -> PeriodKind | None:
        data = self.period.currentData()
        return None if data is None else PeriodKind(data)  # Qt hands the str enum back as a plain str

    def _period_changed(self) -> None:
        self._show_dates()
        self.sig_changed.emit()

    def _show_dates(self) -> None:
        custom = self._kind() is PeriodKind.CUSTOM
        for widget in (self._from, self.first, self._to, self.last):
            widget.setVisible(custom)
