"""The documents dock (اسناد): quotes, invoices, contracts, returns and receipts/payments, each a lazy list
with its filters; double-click opens the record, the buttons make a new one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from app.models.enums import DocumentState, MoneyDirection, PaymentStatus, QuoteState
from app.services.core.actor import Actor
from app.services.core.labels import (
    CHEQUE_STATE,
    DOCUMENT_STATE,
    MONEY_DIRECTION,
    PAYMENT_METHOD,
    PAYMENT_STATUS,
    QUOTE_STATE,
)
from app.services.core.registry import Services
from app.services.core.xlsx_export import paged
from app.services.documents import cheques
from app.services.documents.contract_views import CONTRACT_STATE, ContractQuery
from app.services.documents.doc_numbers import shown
from app.services.documents.invoice_views import InvoiceQuery
from app.services.documents.quotes import QuoteQuery
from app.services.documents.receipts import ReceiptQuery
from app.services.documents.returns import ReturnQuery
from app.ui import format as fmt
from app.ui.common.lazy_table import Column
from app.ui.common.list_export import EXPORT_TEXT, export_list, sheet_columns
from app.ui.common.list_panel import ListPanel
from app.ui.common.period_chooser import PeriodChooser
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.ops import Operation, op


def _number(row) -> str:
    return fmt.digits(str(row.number)) if row.number else "پیش‌نویس"


def _number_text(row) -> str:
    """A quote or invoice: «L3-12» of a laptop's quote, the provisional label of an invoice issued on one."""
    return shown(row.number_text) or "پیش‌نویس"


QUOTE_COLUMNS = [
    Column("number", "شماره", _number_text, "number"),
    Column("issue_date", "تاریخ", lambda r: fmt.date(r.issue_date), "issue_date"),
    Column("identity_name", "مشتری", lambda r: r.identity_name, "identity_name"),
    Column("state", "وضعیت", lambda r: QUOTE_STATE[r.state], "state"),
    Column("total", "جمع کل", lambda r: fmt.number(r.total), "total"),
    Column("valid_until", "اعتبار تا", lambda r: fmt.date(r.valid_until), "valid_until"),
]
INVOICE_COLUMNS = [
    Column("number", "شماره", _number_text, "number"),
    Column("issue_date", "تاریخ", lambda r: fmt.date(r.issue_date), "issue_date"),
    Column("identity_name", "مشتری", lambda r: r.identity_name, "identity_name"),
    Column("total", "جمع کل", lambda r: fmt.number(r.total), "total"),
    Column(
        "payment",
        "پرداخت",
        lambda r: PAYMENT_STATUS[r.payment_status] if r.payment_status else DOCUMENT_STATE[r.state],
        "paid",
    ),
    Column("due", "مانده", lambda r: fmt.number(r.due) if r.payment_status else "", None),
]
CONTRACT_COLUMNS = [
    Column("number", "شماره", _number, "number"),
    Column("issue_date", "تاریخ", lambda r: fmt.date(r.issue_date), "issue_date"),
    Column("identity_name", "مشتری", lambda r: r.identity_name, "identity_name"),
    Column("total", "مبلغ قرارداد", lambda r: fmt.number(r.total), "total"),
    Column("state", "وضعیت", lambda r: CONTRACT_STATE[r.state], "state"),
    Column("end_date", "تاریخ پایان", lambda r: fmt.date(r.end_date), "end_date"),
]
RETURN_COLUMNS = [
    Column("number", "شماره", _number, "number"),
    Column("issue_date", "تاریخ", lambda r: fmt.date(r.issue_date), "issue_date"),
    Column("identity_name", "مشتری", lambda r: r.identity_name, "identity_name"),
    Column("invoice", "صورتحساب مرجع", lambda r: fmt.digits(str(r.invoice_number or "")), None),
    Column("total", "جمع کل", lambda r: fmt.number(r.total), "total"),
]
RECEIPT_COLUMNS = [
    Column("received_on", "تاریخ", lambda r: fmt.date(r.received_on), "received_on"),
    Column("number", "شماره", lambda r: fmt.digits(str(r.number)), "number"),
    Column("direction", "نوع", lambda r: MONEY_DIRECTION[r.direction], None),
    Column("identity_name", "مشتری", lambda r: r.identity_name, "identity_name"),
    Column("amount", "مبلغ", lambda r: fmt.number(r.amount), "amount"),
    Column("method", "روش", lambda r: PAYMENT_METHOD[r.method], "method"),
    Column("cheque_due", "سررسید چک", lambda r: fmt.date(r.cheque_due), "cheque_due"),
    Column("cheque_state", "وضعیت چک", lambda r: CHEQUE_STATE[r.cheque_state] if r.cheque_state else "", None),
]


def _total(row) -> int:
    return row.total


INVOICE_MONEY = {"total": _total, "due": lambda r: r.due if r.payment_status else None}
RECEIPT_MONEY = {"amount": lambda r: r.amount}
UNCOLLECTED = "چک‌های وصول‌نشده"  # the receipts list's filter: received cheques still to be collected


class DocumentsPanel(RefreshWhenShown, QWidget):
    sig_open_record = Signal(str, object)
    """Open (kind, id) in a tab; id None for a new record."""

    def __init__(
        self, services: Services, actor: Actor, parent: QWidget | None = None, read_when_shown: bool = False
    ) -> None:
        """`read_when_shown`: the lists are read when the panel is first shown (the main window's dock,
        hidden behind the opportunities at start: five lists read for nobody were a quarter second)."""
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._unread = read_when_shown
        sv, a = services, actor
        # One period for the four lists (each by its document's date), kept by name: «این ماه» stays
        # this month when the dock stays open across the month's end.
        self.period = PeriodChooser("هر زمان", "تاریخ سند:")
        self.period.setObjectName("documentsPeriod")
        p = self.period.date_filter

        def narrowed() -> bool:
            return p() is not None

        self.quotes = ListPanel(
            QUOTE_COLUMNS,
            lambda t, f, o, n, k, d: sv.quotes.search(a, self._quote_query(t, f, k, d), o, n),
            lambda t, f: sv.quotes.count(a, self._quote_query(t, f)),
            "جستجو در شماره یا نام مشتری…",
            "هنوز پیش‌فاکتوری ثبت نشده — از یک فرصت «صدور پیش‌فاکتور» بزنید یا یک پیش‌فاکتور بسازید.",
            [("همه", None)] + [(QUOTE_STATE[s], s) for s in QuoteState],
            narrowed=narrowed,
            read_now=not read_when_shown,
        )
        self.invoices = ListPanel(
            INVOICE_COLUMNS,
            lambda t, f, o, n, k, d: sv.invoices.search(a, self._invoice_query(t, f, k, d), o, n),
            lambda t, f: sv.invoices.count(a, self._invoice_query(t, f)),
            "جستجو در شماره یا نام مشتری…",
            "هنوز صورتحسابی ثبت نشده.",
            [("همه", None), ("پیش‌نویس", DocumentState.DRAFT)] + [(PAYMENT_STATUS[s], s) for s in PaymentStatus],
            narrowed=narrowed,
            read_now=not read_when_shown,
        )
        self.contracts = ListPanel(
            CONTRACT_COLUMNS,
            lambda t, f, o, n, k, d: sv.contracts.search(a, self._contract_query(t, f, k, d), o, n),
            lambda t, f: sv.contracts.count(a, self._contract_query(t, f)),
            "جستجو در شماره یا نام مشتری…",
            "هنوز قراردادی ثبت نشده — از یک فرصت «قرارداد» بزنید یا یک قرارداد بسازید.",
            [("همه", None)] + [(CONTRACT_STATE[s], s) for s in DocumentState],
            narrowed=narrowed,
            read_now=not read_when_shown,
        )
        self.returns = ListPanel(
            RETURN_COLUMNS,
            lambda t, f, o, n, k, d: sv.returns.search(a, self._return_query(t, f, k, d), o, n),
            lambda t, f: sv.returns.count(a, self._return_query(t, f)),
            "جستجو در شماره یا نام مشتری…",
            "برگشت از فروشی ثبت نشده. برگشت از صفحه یک صورتحساب صادرشده ساخته می‌شود.",
            [("همه", None)] + [(DOCUMENT_STATE[s], s) for s in DocumentState],
            narrowed=narrowed,
            read_now=not read_when_shown,
        )
        self.receipts = ListPanel(
            RECEIPT_COLUMNS,
            lambda t, f, o, n, k, d: sv.receipts.search(a, self._receipt_query(t, f, k, d), o, n),
            lambda t, f: sv.receipts.count(a, self._receipt_query(t, f)),
            "جستجو در شماره، شماره پیگیری یا نام مشتری…",
            "هنوز دریافت یا پرداختی ثبت نشده.",
            [("همه", None)] + [(MONEY_DIRECTION[m], m) for m in MoneyDirection] + [(UNCOLLECTED, cheques.OPEN)],
            narrowed=narrowed,
            read_now=not read_when_shown,
        )
        self.tabs = QTabWidget(objectName="documentTabs")
        panels = (
            (self.quotes, "پیش‌فاکتورها", "quote"),
            (self.invoices, "صورتحساب‌ها", "invoice"),
            (self.returns, "برگشت‌ها", "return"),
            (self.receipts, "دریافت و پرداخت", "receipt"),
            (self.contracts, "قراردادها", "contract"),  # last: the other tabs keep their places
        )
        for panel, title, kind in panels:
            self.tabs.addTab(panel, title)
            panel.sig_activated.connect(lambda row, k=kind: self.sig_open_record.emit(k, row.id))
        buttons = QHBoxLayout()
        for text, kind in (("+ پیش‌فاکتور", "quote"), ("+ صورتحساب", "invoice"), ("+ قرارداد", "contract"),
                           ("+ دریافت/پرداخت", "receipt")):  # fmt: skip
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=kind: self.sig_open_record.emit(k, None))
            buttons.addWidget(button)
        buttons.addStretch()
        self.export_button = QPushButton(EXPORT_TEXT)
        self.export_button.setToolTip("فهرست همین برگه با همین فیلترها، جستجو و ترتیب در یک فایل اکسل")
        self.export_button.clicked.connect(self.export_to_xlsx)
        buttons.addWidget(self.export_button)
        self.export_task = None
        # per list: its name, service, query builder, columns and money columns, for the export
        self._exports = {
            self.quotes: ("پیش‌فاکتورها", sv.quotes, self._quote_query, QUOTE_COLUMNS, {"total": _total}),
            self.invoices: ("صورتحساب‌ها", sv.invoices, self._invoice_query, INVOICE_COLUMNS, INVOICE_MONEY),
            self.contracts: ("قراردادها", sv.contracts, self._contract_query, CONTRACT_COLUMNS, {"total": _total}),
            self.returns: ("برگشت‌ها", sv.returns, self._return_query, RETURN_COLUMNS, {"total": _total}),
            self.receipts: ("دریافت و پرداخت", sv.receipts, self._receipt_query, RECEIPT_COLUMNS, RECEIPT_MONEY),
        }
        self.period.sig_changed.connect(self._period_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.period)  # a row of its own: «بازه دلخواه» adds two date fields
        layout.addWidget(self.tabs)
        self._tables = {
            "quotes": (self.quotes,),
            "invoices": (self.invoices,),
            "contracts": (self.contracts,),
            "sales_returns": (self.returns, self.invoices),
            "receipts": (self.receipts, self.invoices),
        }
        change_bus().sig_changed.connect(self._changed)
        if read_when_shown:
            self.refresh_or_defer(self._read_lists)

    def _read_lists(self) -> None:
        self._unread = False
        self._period_changed()

    def _quote_query(self, text, value, key=None, desc=True) -> QuoteQuery:
        return QuoteQuery(text, value, period=self.period.date_filter(), sort=key or "number", descending=desc)

    def _contract_query(self, text, value, key=None, desc=True) -> ContractQuery:
        return ContractQuery(text, value, period=self.period.date_filter(), sort=key or "number", descending=desc)

    def _return_query(self, text, value, key=None, desc=True) -> ReturnQuery:
        return ReturnQuery(text, value, period=self.period.date_filter(), sort=key or "number", descending=desc)

    def _invoice_query(self, text, value, key=None, desc=True) -> InvoiceQuery:
        state = value if isinstance(value, DocumentState) else None
        payment = value if isinstance(value, PaymentStatus) else None
        period = self.period.date_filter()
        return InvoiceQuery(text, state, payment, period=period, sort=key or "number", descending=desc)

    def _receipt_query(self, text, value, key=None, desc=True) -> ReceiptQuery:
        direction = value if isinstance(value, MoneyDirection) else None
        states = value if isinstance(value, tuple) else ()
        period = self.period.date_filter()
        return ReceiptQuery(
            text, direction, cheque_states=states, period=period, sort=key or "received_on", descending=desc
        )

    def export_to_xlsx(self) -> None:
        """The list of the current tab, as filtered, searched and sorted now, to XLSX."""
        panel = self.tabs.currentWidget()
        title, service, build, columns, money = self._exports[panel]
        query = build(panel.search.text(), panel.filter_value(), *panel.model.sort_state())  # on the GUI thread
        actor = self._actor
        self.export_task = export_list(
            self,
            title,
            sheet_columns(columns, money, panel.table.horizontalHeader()),
            lambda: paged(lambda offset, limit: service.search(actor, query, offset, limit)),
            lambda: service.count(actor, query),
        )

    def _period_changed(self) -> None:
        if self._unread:
            return  # the first show reads every list
        for panel in (self.quotes, self.invoices, self.contracts, self.returns, self.receipts):
            panel.refresh()

    def _changed(self, table: str, _ids) -> None:
        if self._unread:
            return  # the first show reads every list
        for panel in self._tables.get(table, ()):
            panel.refresh()

    def expire_quotes(self) -> None:
        """At start the expiry is written off the GUI thread (the lists show overdue quotes as expired
        anyway); the quotes it changes reach the lists through the change bus, or their first read."""
        self._expiry().run_in_background()

    def _expiry(self) -> Operation[int]:
        """The quotes past their validity written down as expired; if that fails, reads show them expired anyway."""
        quotes, actor = self._services.quotes, self._actor
        return op(self, lambda: quotes.expire_overdue(actor)).failure(lambda _exc: True)

    def refresh(self) -> None:
        self._unread = False
        self._expiry().run()
        if not isValid(self):  # the wait lets a closing window go, this panel with it
            return
        for panel in (self.quotes, self.invoices, self.contracts, self.returns, self.receipts):
            panel.refresh()
