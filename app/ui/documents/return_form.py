"""The return form (صورتحساب برگشت از فروش): quantities per line of the issued invoice, never more
than what is left; issue (own series, restock), print, refund the customer."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.persian import ValidationError, format_money, format_number
from app.persian import to_persian_digits as fa
from app.services.core.labels import DOCUMENT_STATE
from app.services.documents.returns import ReturnDraft, ReturnLineDraft, ReturnView
from app.ui.common.form_fields import FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.numbers import PersianDigitsDelegate
from app.ui.common.record_form import register_form
from app.ui.documents.document_form import DocumentForm
from app.ui.documents.document_lines import parse_quantity, qty_text
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

TITLE = "برگشت از فروش"
HEADERS = ("شرح کالا یا خدمات", "واحد", "مبلغ واحد", "فروخته‌شده", "برگشت‌شده قبلی", "قابل برگشت", "مقدار برگشتی")
QTY = 6


class ReturnForm(DocumentForm):
    def __init__(self, services: Services, actor: Actor, record_id=None, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self._view: ReturnView | None = None
        self._line_ids: list = []
        self._loading = False
        self.add_action("save", "ذخیره پیش‌نویس (Ctrl+S)", self.save)
        self.add_action("issue", "صدور برگشت از فروش", self.issue)
        self.add_action("print", "پیش‌نمایش و چاپ", self.print_preview)
        self.add_action("refund", "استرداد وجه به مشتری", self.refund)
        self.add_action("invoice", "صورتحساب مرجع", self.open_invoice)
        self.add_action("delete", "حذف پیش‌نویس", self.delete)
        self.customer = QLabel()
        self.issue_date = JalaliDateEdit()
        self.issue_date.setObjectName("issue_date")
        self.notes = QPlainTextEdit(objectName="notes")
        self.notes.setFixedHeight(56)
        self.rows = {"issue_date": FieldRow(self.issue_date), "notes": FieldRow(self.notes)}
        form = QFormLayout()
        form.addRow("مشتری", self.customer)
        form.addRow("تاریخ *", self.rows["issue_date"])
        form.addRow("توضیحات", self.rows["notes"])
        self.table = QTableWidget(0, len(HEADERS), objectName="returnLines")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(len(HEADERS) - 1, PersianDigitsDelegate(self.table))
        self.error = QLabel(objectName="fieldError", wordWrap=True)
        self.error.setStyleSheet("color: #c62828;")
        self.totals = QLabel()
        self.body.addLayout(form)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.error)
        self.body.addWidget(self.totals)
        self.issue_date.dateChanged.connect(lambda *_: self._touched())
        self.notes.textChanged.connect(self._touched)
        self.table.itemChanged.connect(lambda *_: self._quantities_changed())
        self._previews = 0
        self._preview_timer = QTimer(self, singleShot=True, interval=150)
        self._preview_timer.timeout.connect(self._preview)
        if record_id is None:
            raise ValueError("a return is made from an issued invoice (InvoiceForm.new_return)")
        self.load(services.returns.get(actor, record_id))

    def _touched(self) -> None:
        if not self._loading:
            self.set_dirty(True)

    def _quantities_changed(self) -> None:
        if not self._loading:
            self.set_dirty(True)
            self._preview_timer.start()  # after the cell's editor has closed, once typing pauses

    def _preview(self) -> None:
        """The total follows the quantities as they are typed, priced by the service as saving would
        (each part of a line takes its share of the discount); a quantity it refuses is named at once.
        Only the latest preview is shown (an earlier one may finish after it)."""
        self._previews += 1
        asked = self._previews
        self.error.clear()
        draft = self._draft()
        if draft is None:
            self.totals.setText("جمع کل برگشت: —")
            return

        def shown(totals) -> None:
            if asked == self._previews:
                self.totals.setText(f"جمع کل برگشت: {format_money(totals.total)}")

        def refused(errors: dict[str, str]) -> None:
            if asked == self._previews:
                self.show_errors(errors)
                self.totals.setText("جمع کل برگشت: —")

        returns, return_id = self._services.returns, self._view.id
        preview = op(self, lambda: returns.preview(self._actor, return_id, draft))
        preview.success(shown).validation(refused).run_in_background()

    def title(self) -> str:
        view = self._view
        return f"{TITLE} {fa(str(view.number))}" if view and view.number else f"{TITLE} (پیش‌نویس)"

    def load(self, view: ReturnView) -> None:
        self._loading = True
        self._view = view
        issued = view.is_issued
        self.customer.setText(f"{view.identity_name} — صورتحساب شماره {fa(str(view.invoice_number))}")
        self.issue_date.set_date_value(view.issue_date)
        self.notes.setPlainText(view.notes)
        chosen = {src: line.quantity for src, line in zip(view.sources, view.lines, strict=True)}
        if issued:
            rows = [
                (line.description, line.unit, line.unit_price, None, None, None, line.quantity) for line in view.lines
            ]
            self._line_ids = list(view.sources)
        else:
            left = self._services.returns.returnable(self._actor, view.invoice_id, view.id)
            rows = [
                (r.description, r.unit, r.unit_price, r.invoiced, r.returned, r.remaining,
                 chosen.get(r.invoice_line_id, Decimal(0)))
                for r in left
            ]  # fmt: skip
            self._line_ids = [r.invoice_line_id for r in left]
        self.table.setRowCount(0)
        for values in rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, value in enumerate(values):
                if col == 2:
                    text = format_number(value)
                elif col >= 3:
                    text = "—" if value is None else qty_text(value)
                else:
                    text = value
                item = QTableWidgetItem(text)
                if col != QTY or issued:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
        self.totals.setText(f"جمع کل برگشت: {format_money(view.totals.total)}")
        self.set_badge(view.state.value, DOCUMENT_STATE[view.state])
        self.heading.setText(self.title())
        self.issue_date.setReadOnly(issued)
        self.notes.setReadOnly(issued)
        for key in ("save", "issue", "delete"):
            self.buttons[key].setVisible(not issued)
        self.buttons["refund"].setVisible(issued)
        self._loading = False
        self.set_dirty(False)
        self.sig_title_changed.emit(self.title())

    def _draft(self) -> ReturnDraft | None:
        lines = []
        for row, line_id in enumerate(self._line_ids):
            try:
                quantity = parse_quantity(self.table.item(row, QTY).text() or "0")
            except ValidationError as exc:
                self.error.setText(f"ردیف {fa(str(row + 1))}: {exc.message}")
                return None
            if quantity > 0:
                lines.append(ReturnLineDraft(line_id, quantity))
        return ReturnDraft(
            self._view.invoice_id, self.issue_date.date_value(), lines, self.notes.toPlainText(), self._view.version
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, row in self.rows.items():
            row.set_error(errors.get(key))
        self.error.setText("\n".join(m for k, m in errors.items() if k.startswith("lines") or k not in self.rows))

    def save(self) -> bool:
        if self._view.is_issued:
            return True
        draft = self._draft()
        if draft is None:
            return False
        view = self.run(lambda: self._services.returns.update(self._actor, self._view.id, draft))
        if view is None:
            return False
        self.load(view)
        self.status("پیش‌نویس برگشت از فروش ذخیره شد.")
        return True

    def issue(self) -> None:
        if not self.save():
            return
        answer = QMessageBox.question(self, "صدور", "برگشت از فروش صادر شود؟ پس از صدور قابل تغییر نیست.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        view = self.run(lambda: self._services.returns.issue(self._actor, self._view.id, self._view.version))
        if view is not None:
            self.load(view)

    def delete(self) -> None:
        if QMessageBox.question(self, "حذف", "این پیش‌نویس حذف شود؟") != QMessageBox.StandardButton.Yes:
            return
        if self.run(lambda: self._services.returns.delete(self._actor, self._view.id) or True):
            self.set_dirty(False)
            if self._tabs is not None:
                self._tabs.close_tab(self._tabs.indexOf(self))

    def print_preview(self) -> None:
        self.preview("return", self._view.id, self.title(), f"return-{self._view.number or 'draft'}.pdf")

    def refund(self) -> None:
        view = self._view
        form = self.open_new("receipt")
        if form is not None:
            form.prefill_refund(view.identity_id, view.identity_name, view.id, view.totals.total, view.opportunity_id)

    def open_invoice(self) -> None:
        self.sig_open_record.emit("invoice", self._view.invoice_id)


register_form("return", ReturnForm)
