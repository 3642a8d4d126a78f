"""What the quote, invoice, return and receipt forms share: a header strip with the state badge and
the actions, refusals shown next to the fields (nothing typed is lost), print preview, and the
header fields of a sales document (customer, date, settlement, notes, lines).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Settlement
from app.persian import ValidationError
from app.services.core.errors import ServiceError
from app.services.core.labels import SETTLEMENT
from app.ui.catalog.price_list_choice import price_list_combo
from app.ui.common.combo import select
from app.ui.common.flow_layout import FlowLayout
from app.ui.common.form_fields import FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.record_form import RecordForm
from app.ui.documents.document_lines import DocumentLinesEditor
from app.ui.documents.opportunity_choice import OpportunityChoice
from app.ui.errors import show_error
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.identities.identity_picker import IdentityPicker
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

BADGE_STYLE = "border-radius: 8px; padding: 2px 10px; background: %s; color: white;"
BADGE_COLORS = {"draft": "#757575", "issued": "#2e7d32", "sent": "#1565c0", "accepted": "#2e7d32",
                "rejected": "#c62828", "expired": "#ef6c00"}  # fmt: skip


class DocumentForm(RefreshWhenShown, RecordForm):
    """Header strip (title, badge, info, actions) above a body; `run` shows refusals."""

    WATCHED: tuple[str, ...] = ()
    """Tables whose writes may change what a saved document shows (an invoice's paid amount follows
    its receipts); the form reloads itself when one changes, unless the user is editing it."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._view = None
        self._tabs = parent if hasattr(parent, "open_record") else None
        self.heading = QLabel(objectName="documentHeading")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.badge = QLabel(objectName="stateBadge")
        self.info = QLabel(objectName="documentInfo")
        self.actions_bar = FlowLayout()  # wraps when the record area is narrow (1366×768 with both docks)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.badge)
        top.addWidget(self.info, 1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.actions_bar)
        layout.addLayout(self.body, 1)
        self.buttons: dict[str, QPushButton] = {}
        change_bus().sig_changed.connect(self._changed)

    def add_action(self, key: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, objectName=f"action_{key}")
        button.clicked.connect(lambda _=False: slot())
        self.actions_bar.addWidget(button)
        self.buttons[key] = button
        return button

    def set_badge(self, state: str, text: str) -> None:
        self.badge.setText(text)
        self.badge.setStyleSheet(BADGE_STYLE % BADGE_COLORS.get(state, "#757575"))

    def run(self, action: Callable[[], object]):
        """Runs a service call as a UI operation: field errors or a Persian message when refused (then
        None), what it changed published to every open view."""
        result = op(self, lambda: _refusing_in_persian(action)).run()
        if result is not None:
            self.show_errors({})
        return result

    def show_errors(self, errors: dict[str, str]) -> None:
        if errors:
            show_error(self, "\n".join(errors.values()))

    def open_new(self, kind: str) -> RecordForm | None:
        """Opens an empty form of `kind` in a new tab (to fill in, e.g. a receipt for this invoice)."""
        if self._tabs is None:
            return None
        return self._tabs.open_record(kind, None)

    def preview(self, kind: str, record_id, title: str, file_name: str) -> None:
        from app.ui.documents.pdf_preview import preview

        if self.is_dirty() and not self.save():
            return
        preview(self, self._services, self._actor, kind, record_id, title, file_name)

    def status(self, message: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 4000)

    def fetch(self, record_id):
        """The stored document (for reloading after a write elsewhere); forms with WATCHED tables say how."""
        raise NotImplementedError

    def _changed(self, table: str, _ids) -> None:
        if table in self.WATCHED and self._view is not None and not self.is_dirty():
            self.refresh_or_defer(self._reload)

    def _reload(self) -> None:
        if self._view is None or self.is_dirty():
            return
        try:
            view = self.fetch(self._view.id)
        except ServiceError:
            return  # deleted (or no longer visible) meanwhile: the tab keeps what it showed
        self.load(view)


class SalesDocumentForm(DocumentForm):
    """Customer, date, settlement, notes and lines: the editable part of quotes and invoices, and
    their shared load, save and delete (each subclass names its service, table and messages)."""

    MESSAGES_TABLE = ""  # the document's table, which its «پیام‌ها و یادداشت‌ها» are written on

    def build_header_fields(self, extra: Callable[[QFormLayout], None] | None = None, settlement: bool = True) -> None:
        """`extra` adds rows after the date; `settlement=False`: a document without «شرایط و نحوه فروش»
        (a contract: its schedule says how it is paid)."""
        self.identity = IdentityPicker(self._services, self._actor)
        self.identity.setObjectName("identity_id")
        self.issue_date = JalaliDateEdit()
        self.issue_date.setObjectName("issue_date")
        self.settlement = QComboBox(objectName="settlement")
        for value in Settlement:
            self.settlement.addItem(SETTLEMENT[value], value)
        self.notes = QPlainTextEdit(objectName="notes")
        self.notes.setFixedHeight(56)
        self.price_list = price_list_combo(self._services, self._actor)
        self.rows: dict[str, FieldRow] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        fields = [("identity_id", "مشتری *", self.identity), ("issue_date", "تاریخ *", self.issue_date)]
        if settlement:
            fields.append(("settlement", "شرایط و نحوه فروش", self.settlement))
        fields.append(("price_list_id", "لیست قیمت", self.price_list))
        for key, label, widget in fields:
            self.rows[key] = FieldRow(widget)
            form.addRow(label, self.rows[key])
        if extra is not None:
            extra(form)
        self.rows["notes"] = FieldRow(self.notes)
        form.addRow("توضیحات", self.rows["notes"])
        self.opportunity = OpportunityChoice(self._services, self._actor)
        self.rows["opportunity_id"] = FieldRow(self.opportunity)
        form.addRow("فرصت", self.rows["opportunity_id"])
        self.lines = DocumentLinesEditor(self._services, self._actor)
        from app.ui.activities.messages_widget import add_messages_tab  # the activities area's tab

        self.sections = QTabWidget(objectName="documentSections")
        self.sections.addTab(self.lines, "اقلام")
        # A document kind without a messages table (a contract) has no «پیام‌ها و یادداشت‌ها» tab.
        self.messages = add_messages_tab(self.sections, self._services, self._actor) if self.MESSAGES_TABLE else None
        self.body.addLayout(form)
        self.body.addWidget(self.sections, 1)
        signals = (self.identity.textEdited, self.settlement.currentIndexChanged, self.notes.textChanged,
                   self.opportunity.currentIndexChanged)  # fmt: skip
        for signal in signals:
            signal.connect(lambda *_: self._mark_dirty())
        self.identity.sig_picked.connect(self._identity_picked)
        self.price_list.currentIndexChanged.connect(lambda *_: self._price_list_changed())
        self.issue_date.dateChanged.connect(lambda *_: self._date_changed())
        self.lines.sig_changed.connect(self._mark_dirty)

    def _mark_dirty(self) -> None:
        if not getattr(self, "_loading", False):
            self.set_dirty(True)

    def _identity_picked(self, identity_id) -> None:
        self.lines.identity_id = identity_id
        self.opportunity.show_for(identity_id, None)

    def _price_list_changed(self) -> None:
        if not getattr(self, "_loading", False):  # load() hands the stored list to the lines itself
            self.lines.change_price_list(self.price_list.currentData())
            self._mark_dirty()

    def _date_changed(self) -> None:
        self.lines.set_document_date(self.issue_date.date_value() or dt.date.today())
        self._mark_dirty()

    def show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for key, row in self.rows.items():
            row.set_error(errors.get(key))
            if key in errors and first is None:
                first = row.editor
        self.lines.show_errors(errors)
        other = [m for k, m in errors.items() if k not in self.rows and not k.startswith("lines")]
        if other:
            show_error(self, "\n".join(other))
        if first is not None:
            first.setFocus()

    def set_editable(self, editable: bool) -> None:
        for widget in (self.identity, self.settlement, self.price_list, self.opportunity):
            widget.setEnabled(editable)
        self.issue_date.setReadOnly(not editable)
        self.notes.setReadOnly(not editable)
        self.lines.set_read_only(not editable)

    def load(self, view) -> None:
        """Shows a stored quote or invoice as not changed; `_load_extra` fills what only one has."""
        self._loading = True
        self._view = view
        key = self.property("record_key")
        if key:  # a new document once saved: opening it from a list comes back to this tab
            self.setProperty("record_key", (key[0], str(view.id)))
        self._load_extra(view)
        if self.messages is not None:
            self.messages.set_record(self.MESSAGES_TABLE, view.id)
        self.identity.set_identity(view.identity_id, view.identity_name)
        self.issue_date.set_date_value(view.issue_date)
        if hasattr(view, "settlement"):  # a contract has none
            self.settlement.setCurrentIndex(self.settlement.findData(view.settlement))
        self.notes.setPlainText(view.notes)
        price_list_id = getattr(view, "price_list_id", None)  # a contract keeps no price list
        select(self.price_list, price_list_id)
        self.lines.identity_id, self.lines.price_list_id = view.identity_id, price_list_id
        self.lines.set_document_date(view.issue_date)
        self.lines.set_lines(view.lines)
        self.opportunity.show_for(view.identity_id, view.opportunity_id, view.opportunity_title)
        self._loading = False
        self.set_dirty(False)
        self._show_state()
        self.sig_title_changed.emit(self.title())

    def prefill(self, identity_id, name: str, opportunity_id=None, opportunity_title: str | None = None) -> None:
        """A new document for a customer (from the identity's page), optionally linked to one of its
        opportunities."""
        self.identity.set_identity(identity_id, name)
        self.lines.identity_id = identity_id
        self.opportunity.show_for(identity_id, opportunity_id, opportunity_title)
        self.set_dirty(True)

    def _load_extra(self, view) -> None:
        raise NotImplementedError

    def _show_state(self) -> None:
        raise NotImplementedError

    def _draft_lines(self) -> list | None:
        """The typed lines, or None once the editor shows why they cannot be read."""
        try:
            return self.lines.drafts()
        except ValidationError as exc:
            self.lines.show_errors({"lines": exc.message})
            return None

    def _draft(self):
        raise NotImplementedError

    def save_draft(self, service, done: str) -> bool:
        """Creates or updates through `service`; on success shows the saved document and says `done`."""
        draft = self._draft()
        if draft is None:
            return False
        if self._view is None:
            view = self.run(lambda: service.create(self._actor, draft))
        else:
            view = self.run(lambda: service.update(self._actor, self._view.id, draft))
        if view is None:
            return False
        self.load(view)
        self.status(done)
        return True

    def delete_draft(self, service, question: str) -> None:
        """Asks `question`, deletes through `service` and closes the tab."""
        if self._view is None:
            return
        if QMessageBox.question(self, "حذف", question) != QMessageBox.StandardButton.Yes:
            return
        if self.run(lambda: service.delete(self._actor, self._view.id) or True):
            self.set_dirty(False)
            if self._tabs is not None:
                self._tabs.close_tab(self._tabs.indexOf(self))


def _refusing_in_persian(action: Callable[[], object]):
    """Runs `action` in the operation's worker; a value refused while parsing (app.persian) is shown
    like any refusal of the service."""
    try:
        return action()
    except ValidationError as exc:
        raise ServiceError(exc.message) from None
