"""Recording a result: the won dialog (date, final amount, win reason), the lost dialog (date, reason
required, competitor, note) and the restore dialog (back to a chosen stage). The date is today unless
the rep says the result came earlier (a Jalali date edit that goes no further than today).

Each dialog runs the service call itself on OK (as a UI operation), so a refusal shows next to its
field and the dialog stays open with everything typed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from app.persian import ValidationError
from app.services.core.errors import ValidationFailed
from app.services.opportunities.data import LossData, WinData
from app.ui.common.form_dialog import FormDialog
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.money_edit import MoneyEdit

Choices = list[tuple[uuid.UUID, str]]


def _closing_date() -> JalaliDateEdit:
    edit = JalaliDateEdit()
    edit.setMaximumDate(QDate.currentDate())  # a result is recorded on or after the day it came
    edit.set_date_value(dt.date.today())
    return edit


def _day(edit: JalaliDateEdit) -> dt.date:
    """The chosen day; a typed text that is no date is refused beside the field."""
    day = edit.date_value()
    if edit.typing.error():
        raise ValidationFailed({"closed_on": edit.typing.error()})
    return day


def choice_combo(items: Choices, empty: str | None) -> QComboBox:
    combo = QComboBox()
    if empty is not None:
        combo.addItem(empty, None)
    for item_id, name in items:
        combo.addItem(name, item_id)
    return combo


class _ResultDialog(FormDialog):
    def __init__(self, title: str, heading: str, submit: Callable[[object], None], parent: QWidget | None) -> None:
        super().__init__(title, parent, heading)
        self._submit = submit

    def value(self) -> object:
        raise NotImplementedError

    def submit(self) -> Callable[[], object]:
        value, write = self.value(), self._submit
        return lambda: write(value)


class WonDialog(_ResultDialog):
    def __init__(self, title: str, amount: int, reasons: Choices, submit, parent: QWidget | None = None) -> None:
        super().__init__("ثبت برنده شدن", f"فرصت «{title}» برنده شد.", submit, parent)
        self.closed_on = self.add("closed_on", "تاریخ موفقیت", _closing_date())
        self.final_amount = self.add("final_amount", "مبلغ نهایی", MoneyEdit())
        self.final_amount.set_value(amount)
        self.reason = self.add("reason_id", "دلیل موفقیت", choice_combo(reasons, "— بدون دلیل —"))
        self.note = self.add("note", "یادداشت", QPlainTextEdit())
        self.note.setMaximumHeight(70)

    def value(self) -> WinData:
        try:
            amount = self.final_amount.value()
        except ValidationError as exc:
            raise ValidationFailed({"final_amount": exc.message}) from None
        return WinData(
            final_amount=amount,
            reason_id=self.reason.currentData(),
            note=self.note.toPlainText(),
            closed_on=_day(self.closed_on),
        )


class LostDialog(_ResultDialog):
    def __init__(
        self, title: str, reasons: Choices, competitors: Choices, submit, parent: QWidget | None = None,
        heading: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__("ثبت بازنده شدن", heading or f"فرصت «{title}» از دست رفت.", submit, parent)
        self.closed_on = self.add("closed_on", "تاریخ شکست", _closing_date())
        self.reason = self.add("reason_id", "دلیل شکست *", choice_combo(reasons, "— انتخاب کنید —"))
        self.competitor = self.add("competitor_id", "رقیب برنده", choice_combo(competitors, "— نامشخص —"))
        self.note = self.add("note", "یادداشت", QPlainTextEdit())
        self.note.setMaximumHeight(70)

    def value(self) -> LossData:
        day = _day(self.closed_on)
        return LossData(self.reason.currentData(), self.competitor.currentData(), self.note.toPlainText(), day)


class RestoreDialog(_ResultDialog):
    def __init__(self, title: str, stages: Choices, submit, parent: QWidget | None = None) -> None:
        super().__init__("بازگرداندن فرصت", f"فرصت «{title}» دوباره باز می‌شود.", submit, parent)
        self.stage = self.add("stage_id", "به مرحله", choice_combo(stages, None))

    def value(self) -> uuid.UUID:
        return self.stage.currentData()
