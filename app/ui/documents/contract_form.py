"""The contract form (قرارداد مالی): a draft's customer, dates, lines and payment schedule are edited and
the contract signed («ثبت نهایی قرارداد»: it takes its number and the customer owes its instalments); a
signed contract is read-only but for «تغییر تاریخ پایان (لغو)», and offers print and a receipt for its
first instalment still due."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from app.models.enums import DocumentState
from app.persian import ValidationError, format_money
from app.persian import to_persian_digits as fa
from app.services.documents.contract_views import CONTRACT_STATE, ContractDraft, ContractView, add_months
from app.ui.common.form_fields import FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.record_form import register_form
from app.ui.documents.contract_schedule import ContractSchedule
from app.ui.documents.document_form import SalesDocumentForm

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

TITLE = "قرارداد"


class ContractForm(SalesDocumentForm):
    WATCHED = ("contracts", "receipts", "instalment_allocations")  # paid instalments come from these

    def __init__(self, services: Services, actor: Actor, record_id=None, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self._view: ContractView | None = None
        self._quote_id = None
        self.add_action("save", "ذخیره پیش‌نویس (Ctrl+S)", self.save)
        self.add_action("sign", "ثبت نهایی قرارداد", self.sign)
        self.add_action("end", "تغییر تاریخ پایان (لغو)", self.change_end_date)
        self.add_action("print", "پیش‌نمایش و چاپ", self.print_preview)
        self.add_action("receipt", "ثبت دریافت قسط", self.new_receipt)
        self.add_action("delete", "حذف پیش‌نویس", self.delete)
        self.build_header_fields(self._date_rows, settlement=False)
        self.schedule = ContractSchedule()
        self.body.addWidget(self.schedule, 1)
        self.schedule.sig_changed.connect(self._mark_dirty)
        self.schedule.split.clicked.connect(self._split)
        self.lines.sig_changed.connect(lambda: self.schedule.set_contract_total(self.lines.total()))
        for field in (self.start_date, self.end_date):
            field.dateChanged.connect(lambda *_: self._mark_dirty())
        if record_id is not None:
            self.load(services.contracts.get(actor, record_id))
        else:
            self._loading = True
            today = dt.date.today()
            for field, day in ((self.issue_date, today), (self.start_date, today),
                               (self.end_date, add_months(today, 12) - dt.timedelta(days=1))):  # fmt: skip
                field.set_date_value(day)
            self._loading = False
            self._show_state()

    def _date_rows(self, form: QFormLayout) -> None:
        self.start_date, self.end_date = JalaliDateEdit(), JalaliDateEdit()
        self.start_date.setObjectName("start_date")
        self.end_date.setObjectName("end_date")
        for key, label, widget in (("start_date", "تاریخ شروع *", self.start_date),
                                   ("end_date", "تاریخ پایان *", self.end_date)):  # fmt: skip
            self.rows[key] = FieldRow(widget)
            form.addRow(label, self.rows[key])

    def fetch(self, record_id) -> ContractView:
        return self._services.contracts.get(self._actor, record_id)

    def title(self) -> str:
        view = self._view
        if view is None:
            return f"{TITLE} جدید"
        return f"{TITLE} {fa(str(view.number))}" if view.number else f"{TITLE} (پیش‌نویس)"

    def _load_extra(self, view: ContractView) -> None:
        self._quote_id = view.quote_id
        self.start_date.set_date_value(view.start_date)
        self.end_date.set_date_value(view.end_date)
        self.schedule.set_contract_total(view.totals.total)
        self.schedule.set_instalments(view.instalments, view.is_signed)

    def _show_state(self) -> None:
        view = self._view
        signed = view is not None and view.is_signed
        state = view.state if view else DocumentState.DRAFT
        self.set_badge(state.value, CONTRACT_STATE[state])
        self.heading.setText(self.title())
        self.set_editable(not signed)
        for field in (self.start_date, self.end_date):
            field.setReadOnly(signed)
        self.schedule.set_read_only(signed)
        for key in ("save", "sign"):
            self.buttons[key].setVisible(not signed)
        self.buttons["delete"].setVisible(view is not None and not signed)
        self.buttons["print"].setEnabled(view is not None)
        self.buttons["end"].setVisible(signed)
        self.buttons["receipt"].setVisible(signed and view.due > 0)
        if signed:
            self.info.setText(
                f"تعهد تا پایان: {format_money(view.owed)} · پرداخت‌شده {format_money(view.paid)}"
                f" · مانده {format_money(view.due)}"
            )
        else:
            self.info.setText("")

    def _split(self) -> None:
        self.schedule.split_evenly(self.lines.total(), self.start_date.date_value() or dt.date.today())

    def _draft(self) -> ContractDraft | None:
        lines = self._draft_lines()
        if lines is None:
            return None
        try:
            instalments = self.schedule.drafts()
        except ValidationError as exc:
            self.schedule.show_errors({"instalments": exc.message})
            return None
        return ContractDraft(
            self.identity.identity_id(),
            self.issue_date.date_value(),
            self.start_date.date_value(),
            self.end_date.date_value(),
            lines,
            instalments,
            self.opportunity.value(),
            self.notes.toPlainText(),
            self._quote_id,
            self._view.version if self._view else None,
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        self.schedule.show_errors(errors)
        super().show_errors({k: m for k, m in errors.items() if not k.startswith("instalments")})

    def save(self) -> bool:
        if self._view is not None and self._view.is_signed:
            return True
        return self.save_draft(self._services.contracts, "پیش‌نویس قرارداد ذخیره شد.")

    def sign(self) -> None:
        if not self.save():
            return
        answer = QMessageBox.question(
            self,
            "ثبت نهایی قرارداد",
            "پس از ثبت نهایی، قرارداد شماره می‌گیرد و اقساط آن بدهی مشتری می‌شود؛ جز تاریخ پایان چیزی از آن"
            " تغییر نمی‌کند. ثبت شود؟",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        view = self.run(lambda: self._services.contracts.sign(self._actor, self._view.id, self._view.version))
        if view is not None:
            self.load(view)
            self.status(f"قرارداد شماره {fa(str(view.number))} ثبت شد.")

    def change_end_date(self) -> None:
        """Asks for the new end date; an earlier one cancels the instalments due after it."""
        view = self._view
        dialog = EndDateDialog(view, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        day = dialog.date.date_value()
        moved = self.run(lambda: self._services.contracts.change_end_date(self._actor, view.id, day, view.version))
        if moved is not None:
            self.load(moved)
            self.status(f"تاریخ پایان قرارداد {fa(str(moved.number))} تغییر کرد.")

    def delete(self) -> None:
        self.delete_draft(self._services.contracts, "پیش‌نویس این قرارداد حذف شود؟")

    def print_preview(self) -> None:
        if self._view is None:
            return
        number = self._view.number or "draft"
        self.preview("contract", self._view.id, self.title(), f"contract-{number}.pdf")

    def new_receipt(self) -> None:
        """A receipt for the first instalment still due."""
        view = self._view
        first = next((i for i in view.instalments if i.due > 0), None)
        form = self.open_new("receipt")
        if form is not None and first is not None:
            form.prefill_for_invoice(view.identity_id, view.identity_name, first.id, first.due, view.opportunity_id)


class EndDateDialog(QDialog):
    """«تغییر تاریخ پایان»: says what moving it earlier does before the user confirms."""

    def __init__(self, view: ContractView, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="endDateDialog")
        self.setWindowTitle("تغییر تاریخ پایان قرارداد")
        self.date = JalaliDateEdit()
        self.date.setObjectName("new_end_date")
        self.date.set_date_value(view.end_date)
        note = QLabel(
            "اقساطی که سررسیدشان پس از تاریخ پایان جدید است لغو می‌شوند و دیگر بدهی مشتری نیستند؛"
            " قسطی که مبلغی از آن دریافت شده لغو نمی‌شود.",
            wordWrap=True,
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("ثبت تاریخ پایان")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("تاریخ پایان جدید", self.date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)


register_form("contract", ContractForm)
