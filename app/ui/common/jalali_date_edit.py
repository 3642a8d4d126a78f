"""A date edit that shows and picks Jalali (Persian calendar) dates, with the keyboard of ui.md."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QShowEvent, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QWidget

from app.persian.typed import parse_typed_date
from app.ui.common.typed_entry import TypedEntry
from app.ui.qt_setup import jalali_calendar, persian_locale

DISPLAY_FORMAT = "yyyy/MM/dd"
# QDateTimeEdit mirrors the section order of a right-to-left widget, which would show ۰۱/۰۹/۱۴۰۵.
# Persian writes year/month/day in logical order (the digits then read ۱۴۰۵/۰۹/۰۱ on screen), so a
# right-to-left edit is handed the mirror image and Qt's mirroring restores yyyy/MM/dd.
_MIRRORED_FORMAT = "dd/MM/yyyy"
EMPTY_TEXT = "—"
WEEKEND_COLOR = QColor(Qt.GlobalColor.red)

_TODAY_KEYS = frozenset({"t", "T", "ت"})
_NEXT_DAY_KEYS = frozenset({"+"})
_PREVIOUS_DAY_KEYS = frozenset({"-", "−"})  # ASCII hyphen and the Unicode minus sign
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


def to_qdate(value: datetime.date) -> QDate:
    return QDate(value.year, value.month, value.day)


class JalaliCalendarWidget(QCalendarWidget):
    """QCalendarWidget set up for Iran: Jalali months, Saturday first, Friday the only weekend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLocale(persian_locale())
        self.setCalendar(jalali_calendar())
        self.setFirstDayOfWeek(Qt.DayOfWeek.Saturday)
        # Persian full day names do not fit a cell; the one-letter names (ش ی د …) are customary.
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames)
        # Week numbers are Gregorian ISO weeks, meaningless beside Jalali months.
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        # Qt hard-codes Saturday and Sunday as the weekend.
        self.setWeekdayTextFormat(Qt.DayOfWeek.Saturday, QTextCharFormat())
        self.setWeekdayTextFormat(Qt.DayOfWeek.Sunday, QTextCharFormat())
        weekend = QTextCharFormat()
        weekend.setForeground(WEEKEND_COLOR)
        self.setWeekdayTextFormat(Qt.DayOfWeek.Friday, weekend)

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh_selection()
        super().showEvent(event)

    def refresh_selection(self) -> None:
        """Re-select the selected date so the highlighted cell matches it.

        After setCalendar/setLocale the grid keeps highlighting the cell of the old layout, and
        selecting the same date again is a no-op; selecting a neighbour first forces the update.
        Signals are blocked so a date edit listening to the calendar sees no change.
        """
        date = self.selectedDate()
        neighbour = date.addDays(-1) if date > self.minimumDate() else date.addDays(1)
        was_blocked = self.blockSignals(True)
        try:
            self.setSelectedDate(neighbour)
            self.setSelectedDate(date)
        finally:
            self.blockSignals(was_blocked)


class JalaliDateEdit(QDateEdit):
    """Jalali date edit with a calendar popup; the Python API speaks datetime.date.

    Keys: «ت» or T today, + / − one day, PageUp / PageDown one Jalali month; a whole date typed in
    either digit set («۱۴۰۳/۱۲/۳۰», «14031230») or a year alone (see TypedEntry, `typing`).
    With setNullable(True) the field may be empty: the minimum date stands for "no date" and
    shows «—»; Delete empties it.
    """

    sig_value_changed = Signal(object)
    """The value changed; carries a datetime.date, or None when the field was emptied."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._nullable = False
        self.setLocale(persian_locale())  # Persian digits in the text
        self.setCalendar(jalali_calendar())
        self._apply_display_format()
        self.setCalendarPopup(True)
        self.setCalendarWidget(JalaliCalendarWidget(self))
        self.calendarWidget().installEventFilter(self)
        self.setDate(QDate.currentDate())
        self.typing = TypedEntry(
            self, lambda text: parse_typed_date(text, self._base_date().toPython()), self.set_date_value
        )
        self.dateChanged.connect(self._emit_value)

    # --- value -----------------------------------------------------------------------------
    def setNullable(self, nullable: bool) -> None:  # Qt-style name: it sits beside setReadOnly
        self._nullable = nullable
        self.setSpecialValueText(EMPTY_TEXT if nullable else "")

    def isNullable(self) -> bool:
        return self._nullable

    def date_value(self) -> datetime.date | None:
        """The date in the field; text still being typed is read first (`typing.error()` says if it
        was no date, and the last date stays)."""
        self.typing.commit()
        if self._is_empty():
            return None
        return self.date().toPython()

    def set_date_value(self, value: datetime.date | None) -> None:
        if value is None:
            if not self._nullable:
                raise ValueError("this date field is required; call setNullable(True) to allow None")
            self.setDate(self.minimumDate())
        else:
            self.setDate(to_qdate(value))

    def _emit_value(self, _date: QDate) -> None:
        self.sig_value_changed.emit(self.date_value())

    def _is_empty(self) -> bool:
        return self._nullable and self.date() == self.minimumDate()

    # --- keyboard --------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_shortcut(event):
            super().keyPressEvent(event)

    def _handle_shortcut(self, event: QKeyEvent) -> bool:
        if self.isReadOnly():
            return False
        if event.modifiers() & _COMMAND_MODIFIERS:
            return False  # Ctrl/Alt combinations belong to the window's shortcuts
        key, text = event.key(), event.text()
        if text in _TODAY_KEYS:
            self.setDate(QDate.currentDate())
        elif text in _NEXT_DAY_KEYS:
            self.setDate(self._base_date().addDays(1))
        elif text in _PREVIOUS_DAY_KEYS:
            self.setDate(self._base_date().addDays(-1))
        elif key == Qt.Key.Key_PageUp:
            self.setDate(self._base_date().addMonths(1, self.calendar()))
        elif key == Qt.Key.Key_PageDown:
            self.setDate(self._base_date().addMonths(-1, self.calendar()))
        elif key == Qt.Key.Key_Delete and self._nullable:
            self.set_date_value(None)
        else:
            return False
        event.accept()
        return True

    def _base_date(self) -> QDate:
        """Stepping from an empty field starts at today, not at the far-past placeholder."""
        return QDate.currentDate() if self._is_empty() else self.date()

    # --- layout direction ------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Qt re-mirrors its current format on a direction change (e.g. when the edit is put in a
        # right-to-left form after being created), so choose the format again afterwards.
        if event.type() == QEvent.Type.LayoutDirectionChange:
            self._apply_display_format()

    def _apply_display_format(self) -> None:
        self.setDisplayFormat(_MIRRORED_FORMAT if self.isRightToLeft() else DISPLAY_FORMAT)

    # --- popup -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # An empty field would open the popup at the placeholder date, centuries ago.
        if watched is self.calendarWidget() and event.type() == QEvent.Type.Show and self._is_empty():
            calendar = self.calendarWidget()
            was_blocked = calendar.blockSignals(True)  # showing today must not fill the field
            calendar.setSelectedDate(QDate.currentDate())
            calendar.blockSignals(was_blocked)
        return super().eventFilter(watched, event)
