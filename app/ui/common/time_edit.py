"""A clock-time field: Persian digits, hours before minutes, a whole time typed in either digit set."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QTimeEdit, QWidget

from app.persian.typed import parse_typed_time
from app.ui.common.typed_entry import TypedEntry
from app.ui.qt_setup import make_ltr, persian_locale

DISPLAY_FORMAT = "HH:mm"


class TimeEdit(QTimeEdit):
    """Accepts «۱۱:۳۰», «1130», «11.30», «۹»; always shows ۱۱:۳۰. `time_value()` speaks datetime.time."""

    def __init__(self, parent: QWidget | None = None, objectName: str = "") -> None:  # noqa: N803 (Qt's name)
        super().__init__(parent, objectName=objectName)
        make_ltr(self)  # ۱۱:۳۰ reads hours first
        self.setLocale(persian_locale())
        self.setDisplayFormat(DISPLAY_FORMAT)
        self.typing = TypedEntry(self, parse_typed_time, self.set_time_value)

    def time_value(self) -> dt.time:
        """The time in the field; text still being typed is read first (`typing.error()` if it was none)."""
        self.typing.commit()
        return self.time().toPython()

    def set_time_value(self, value: dt.time) -> None:
        self.setTime(QTime(value.hour, value.minute))
