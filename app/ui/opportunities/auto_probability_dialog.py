"""The administrator's page of the automatic probability (seed 004): which fields it learns from,
from which day's deals, and «بازآموزی» with what it learned (closed deals, base rate, the strongest
factors). Every call runs off the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.persian import to_persian_digits
from app.services.opportunities.auto_probability import AutoProbabilityConfig, TrainingSummary
from app.services.opportunities.auto_probability_fields import FIELDS
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

INTRO = (
    "احتمال برد هر فرصت باز از فرصت‌های برنده و بازنده گذشته برآورد می‌شود: هر مقدارِ فیلدهای انتخاب‌شده "
    "به اندازه‌ای که فرصت‌های با آن مقدار بیشتر یا کمتر از میانگین برنده شده‌اند، احتمال را بالا یا پایین می‌برد."
)


def summary_text(summary: TrainingSummary) -> str:
    digits = lambda n: to_persian_digits(str(n))  # noqa: E731
    head = (
        f"از {digits(summary.closes)} فرصت بسته‌شده ({digits(summary.won)} برنده) آموخت؛ "
        f"احتمال پایه {digits(summary.base_percent)}٪."
    )
    if not summary.closes:
        return "هنوز فرصت بسته‌شده‌ای برای یادگیری نیست."
    strongest = "\n".join(f.text for f in summary.strongest)
    return f"{head}\nاثرگذارترین عوامل:\n{strongest}" if strongest else head


class AutoProbabilityDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setWindowTitle("احتمال خودکار")
        self.setMinimumWidth(560)
        intro = QLabel(INTRO, wordWrap=True)
        fields_box = QGroupBox("فیلدهای یادگیری")
        grid = QGridLayout(fields_box)
        self.fields: dict[str, QCheckBox] = {}
        for index, field in enumerate(FIELDS):
            box = QCheckBox(field.label, objectName=f"field_{field.key}")
            self.fields[field.key] = box
            grid.addWidget(box, index // 3, index % 3)
        self.start = JalaliDateEdit()
        self.start.setNullable(True)
        self.start.setObjectName("autoProbabilityStart")
        form = QFormLayout()
        form.addRow("فرصت‌های ایجادشده از تاریخ", self.start)
        self.error = QLabel(objectName="autoProbabilityError", wordWrap=True)
        self.error.setStyleSheet("color: #b00020")
        self.save_button = QPushButton("ذخیره", objectName="saveAutoProbability")
        self.retrain_button = QPushButton("بازآموزی", objectName="retrainAutoProbability")
        self.summary = QLabel(objectName="autoProbabilitySummary", wordWrap=True)
        self.save_button.clicked.connect(self.save)
        self.retrain_button.clicked.connect(self.retrain)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        close.rejected.connect(self.reject)
        close.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        close.addButton(self.retrain_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        for widget in (intro, fields_box):
            layout.addWidget(widget)
        layout.addLayout(form)
        for widget in (self.error, self.summary, close):
            layout.addWidget(widget)
        service, actor = services.auto_probability, actor
        op(self, lambda: service.config(actor)).success(self._show_config).run_in_background()

    def _show_config(self, config: AutoProbabilityConfig) -> None:
        for key, box in self.fields.items():
            box.setChecked(key in config.fields)
        self.start.set_date_value(config.start)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.error.setText("\n".join(errors.values()))

    def save(self) -> bool:
        chosen = tuple(key for key, box in self.fields.items() if box.isChecked())
        config = AutoProbabilityConfig(chosen, self.start.date_value())
        service, actor = self._services.auto_probability, self._actor
        self.error.clear()
        return op(self, lambda: service.save_config(actor, config)).run() is not None

    def retrain(self) -> None:
        """Saves what is chosen, then trains again off the GUI thread and says what it learned."""
        if not self.save():
            return
        self.summary.setText("در حال بازآموزی…")
        service, actor = self._services.auto_probability, self._actor
        task = op(self, lambda: service.retrain(actor))
        task.success(lambda summary: self.summary.setText(summary_text(summary))).run_in_background()
