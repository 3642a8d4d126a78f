"""An identity opened in a tab: a header (name, role badge, owner, balance, «+ فرصت», «+ فعالیت»,
«+ پیش‌فاکتور» and the actions) and the tabs «مشخصات», «سوابق», «فرصت‌ها», «اسناد» and «تاریخچه».
Registered as the record kind "identity"."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import IdentityRole
from app.persian import ValidationError, amount_in_words, parse_money
from app.services.core.errors import ConcurrentChange, ServiceError
from app.services.core.labels import KIND, ROLE
from app.services.identities.duplicates import DuplicatesFound
from app.services.identities.names import CONTACT_NEEDS_NAME, name_field
from app.ui.common.conflict_dialog import ConflictChoice
from app.ui.common.conflicts import editor_text, resolve
from app.ui.common.flow_layout import record_header
from app.ui.common.record_form import RecordForm, register_form
from app.ui.documents.record_documents import RecordDocuments
from app.ui.errors import show_error
from app.ui.events import change_bus
from app.ui.identities.identity_actions import IdentityActions
from app.ui.identities.identity_details import IdentityDetails
from app.ui.identities.identity_tabs import HistoryTab, OpportunitiesTab, TimelineTab
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.services.identities.records import IdentityData, IdentityDetail

NEW_TITLE = "هویت جدید"


class ConvertDialog(QDialog):
    """«تبدیل به مخاطب»: optionally open an opportunity at once (title and estimated amount)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("تبدیل سرنخ به مخاطب")
        self.with_opportunity = QCheckBox("ایجاد فرصت فروش برای این مخاطب")
        self.title = QLineEdit(placeholderText="عنوان فرصت")
        self.amount = QLineEdit(placeholderText="مبلغ تخمینی (ریال)")
        self.words = QLabel(objectName="amountWords")
        self.error = QLabel(objectName="fieldError", styleSheet="color: #c62828;")
        self.amount.textChanged.connect(self._show_words)
        form = QFormLayout()
        form.addRow(self.with_opportunity)
        form.addRow("عنوان فرصت", self.title)
        form.addRow("مبلغ تخمینی", self.amount)
        form.addRow("", self.words)
        for widget in (self.title, self.amount):
            widget.setEnabled(False)
        self.with_opportunity.toggled.connect(self.title.setEnabled)
        self.with_opportunity.toggled.connect(self.amount.setEnabled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("تبدیل")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"«{name}» مخاطب می‌شود و همه سوابقش می‌ماند.", wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _show_words(self, text: str) -> None:
        try:
            self.words.setText(amount_in_words(parse_money(text)) if text.strip() else "")
        except ValidationError:
            self.words.setText("")

    def _accept(self) -> None:
        if self.with_opportunity.isChecked() and not self.title.text().strip():
            self.error.setText("عنوان فرصت را وارد کنید")
            self.title.setFocus()
            return
        try:
            self.value_amount = parse_money(self.amount.text()) if self.amount.text().strip() else 0
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.amount.setFocus()
            return
        self.accept()

    def opportunity_title(self) -> str | None:
        return self.title.text().strip() if self.with_opportunity.isChecked() else None


class IdentityForm(RecordForm):
    def __init__(self, services: Services, actor: Actor, record_id, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setObjectName("identityForm")
        self.identity_id: uuid.UUID | None = uuid.UUID(str(record_id)) if record_id else None
        self.detail: IdentityDetail | None = None
        self._opened: IdentityData | None = None
        self._loading = False

        self.heading = QLabel(NEW_TITLE, objectName="identityHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.badge = QLabel(objectName="roleBadge")
        self.badge.setStyleSheet("border: 1px solid #888; border-radius: 8px; padding: 1px 8px;")
        self.owner_label = QLabel()
        self.merged_banner = QLabel(objectName="mergedBanner", wordWrap=True)
        self.merged_banner.setStyleSheet("background: #fff3cd; padding: 6px;")
        self.merged_banner.hide()
        self.save_button = QPushButton("ذخیره")
        self.save_button.clicked.connect(self.save)
        self.convert_button = QPushButton("تبدیل به مخاطب…")
        self.convert_button.clicked.connect(self.convert)
        self.unqualify_button = QPushButton("عدم کفایت سرنخ")
        self.unqualify_button.clicked.connect(self.toggle_unqualified)
        self.merge_button = QPushButton("ادغام با…")
        self.merge_button.clicked.connect(self.merge_with)
        self.delete_button = QPushButton("حذف")
        self.delete_button.clicked.connect(self.delete)
        self.balance_label = QLabel(objectName="identityBalance")  # مانده (documents area)
        self.quick = IdentityActions(self, services, actor)
        header = record_header(  # wraps at 1366×768 rather than scrolling the form sideways
            (self.heading, self.badge, self.owner_label, self.balance_label),
            (*self.quick.buttons, self.convert_button, self.unqualify_button, self.merge_button, self.delete_button,
             self.save_button),
        )  # fmt: skip

        self.details = IdentityDetails(services, actor)
        self.details.sig_changed.connect(self._edited)
        self.timeline = TimelineTab(services, actor)
        self.opportunities = OpportunitiesTab(services, actor)
        self.history = HistoryTab(services, actor)
        self.documents = RecordDocuments(services, actor)
        for tab in (self.timeline, self.opportunities, self.documents):
            tab.sig_open_record.connect(self.sig_open_record)
        self.history.sig_unmerged.connect(self._after_unmerge)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.details, "مشخصات")
        self.tabs.addTab(self.timeline, "سوابق")
        self.tabs.addTab(self.opportunities, "فرصت‌ها")
        self.tabs.addTab(self.documents, "اسناد")
        self.tabs.addTab(self.history, "تاریخچه")
        from app.ui.activities.record_activities import add_activity_tabs  # the activities area's tabs

        self.activities = add_activity_tabs(self.tabs, services, actor)
        self.activities.sig_open_record.connect(self.sig_open_record)
        from app.ui.activities.messages_widget import add_messages_tab

        self.messages = add_messages_tab(self.tabs, services, actor)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current_tab())
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.merged_banner)
        layout.addWidget(self.tabs, 1)
        change_bus().sig_changed.connect(self._on_changed)

        if self.identity_id is None:
            self.details.start_new()
            self._update_header()
        else:  # a refusal here reaches the record tabs, which say so instead of showing a grey form
            self._show(self._services.identities.get(self._actor, self.identity_id))

    # --- RecordForm -------------------------------------------------------------------------
    def title(self) -> str:
        return self.detail.display_name if self.detail else NEW_TITLE

    def save(self) -> bool:
        """Saves through the service; refused saves keep every typed value and show the errors."""
        data = self.details.value()
        if self.identity_id is None:
            detail = self._create(data)
        else:
            detail = self._update(data, self.detail.version if self.detail else None)
        if detail is None:
            return False
        self.identity_id = detail.id
        self.setProperty("record_key", ("identity", str(detail.id)))
        self._show(detail)
        self._status("هویت ذخیره شد.")
        return True

    def show_errors(self, errors: dict[str, str]) -> None:
        """A refused save's field errors (the operation calls this)."""
        self.tabs.setCurrentWidget(self.details)
        self.details.show_errors(errors)

    def _update(self, data: IdentityData, version: int | None) -> IdentityDetail | None:
        """Saves over the version the form opened; if someone saved since, the user compares and
        chooses (None: nothing saved, the form shows what they chose)."""
        conflicts: list[ConcurrentChange] = []
        identity_id = self.identity_id
        saving = op(self, lambda: self._services.identities.update(self._actor, identity_id, data, version))
        detail = saving.conflict(conflicts.append).run()
        if saving.succeeded or not conflicts:
            return detail
        fresh = self._services.identities.get(self._actor, self.identity_id)
        rows = self.details.fields

        def text_of(field: str, value, is_mine: bool) -> str:
            names = (
                {}
                if field != "organisation_id"
                else {field: self.details.organisation.text() if is_mine else fresh.organisation_name}
            )
            return editor_text(rows, names, field, value)

        choice, merged = resolve(self, conflicts[0], self._opened, data, fresh.to_data(), text_of, table="identities")
        if choice is ConflictChoice.RELOAD:
            self._show(fresh)
            self._status("آخرین نسخهٔ ذخیره‌شده بارگذاری شد.")
        elif choice is ConflictChoice.KEEP_MINE:
            return self._update(merged, fresh.version)
        return None

    def _create(self, data: IdentityData) -> IdentityDetail | None:
        identities = self._services.identities
        found: list[DuplicatesFound] = []

        def duplicates(exc: ServiceError) -> bool:  # handled below with the duplicates dialog
            if not isinstance(exc, DuplicatesFound):
                return False
            found.append(exc)
            return True

        creating = op(self, lambda: identities.create(self._actor, data)).failure(duplicates)
        detail = creating.run()
        if creating.succeeded or not found:
            return detail
        from app.ui.identities.duplicates_dialog import MERGE, OPEN, DuplicatesDialog

        dialog = DuplicatesDialog(found[0].candidates, found[0].hidden, self)
        if not dialog.exec():
            return None
        choice, chosen = dialog.choice(), dialog.chosen_id()
        if choice == OPEN and chosen is not None:
            self.sig_open_record.emit("identity", chosen)
            return None
        if choice == MERGE and chosen is not None:
            adding = op(self, lambda: identities.add_to_existing(self._actor, chosen, data))
            adding.run()
            if adding.succeeded:
                self.set_dirty(False)
                self.sig_open_record.emit("identity", chosen)
                self._status("اطلاعات به هویت موجود اضافه شد.")
            return None
        return op(self, lambda: identities.create(self._actor, data, allow_duplicates=True)).run()

    # --- loading -------------------------------------------------------------------------------
    def load(self) -> None:
        try:
            detail = self._services.identities.get(self._actor, self.identity_id)
        except ServiceError as exc:
            self.heading.setText(exc.message)
            self.tabs.setEnabled(False)
            return
        self._show(detail)

    def _show(self, detail: IdentityDetail) -> None:
        self._loading = True
        self.detail = detail
        self.activities.set_record(identity_id=detail.id)
        self.documents.set_record(identity_id=detail.id)
        self.messages.set_record("identities", detail.id)
        self.details.load(detail)
        self._opened = self.details.value()  # what a conflict is compared against
        self._loading = False
        self.set_dirty(False)
        self._update_header()
        for tab in (self.timeline, self.opportunities, self.history):
            tab.identity_id = detail.id
        self._refresh_current_tab()
        self.sig_title_changed.emit(self.title())

    def _refresh_current_tab(self) -> None:
        tab = self.tabs.currentWidget()
        if tab in (self.timeline, self.opportunities, self.history):
            try:
                tab.refresh()
            except ServiceError as exc:
                show_error(self, exc.message)

    def _show_balance(self, touched: dict | None = None) -> None:
        """«مانده: ۱۵٬۰۰۰٬۰۰۰ ریال بدهکار»: issued invoices and refunds minus receipts and returns, read
        off the GUI thread; after a write (`touched`: table → ids) only if it touched this customer's."""
        if self.identity_id is None or self.detail is None:
            self.balance_label.setText("")
            return
        balances, documents = self._services.balances, self._services.record_documents
        actor, identity_id = self._actor, self.identity_id

        def read():
            if touched and all(ids is not None for ids in touched.values()):
                if not documents.concerns(actor, touched, identity_id=identity_id):
                    return None
            return balances.identity_balance(actor, identity_id)

        def shown(balance) -> None:
            if balance is not None:
                self.balance_label.setText(f"مانده: {balance.describe()}")

        def refused(_exc: ServiceError) -> bool:  # merged or deleted: the header says so elsewhere
            self.balance_label.setText("")
            return True

        op(self, read).success(shown).failure(refused).run_in_background()

    def _update_header(self) -> None:
        d = self.detail
        self.heading.setText(self.title())
        saved = d is not None
        role = d.role if saved else None
        self.badge.setText(f"{KIND[d.kind]} · {ROLE[d.role]}" if saved else "")
        self.badge.setVisible(saved)
        self.owner_label.setText(f"مسئول: {d.owner_name}" if saved and d.owner_name else "")
        self._show_balance()
        merged = saved and d.merged_into_id is not None
        self.merged_banner.setVisible(merged)
        if merged:
            self.merged_banner.setText("این هویت در هویت دیگری ادغام شده است و فقط برای ارجاع نگه داشته می‌شود.")
        self.convert_button.setVisible(role in (IdentityRole.LEAD, IdentityRole.UNQUALIFIED))
        self.unqualify_button.setVisible(role in (IdentityRole.LEAD, IdentityRole.UNQUALIFIED))
        self.unqualify_button.setText("بازگرداندن به سرنخ" if role is IdentityRole.UNQUALIFIED else "عدم کفایت سرنخ")
        for button in (self.merge_button, self.delete_button):
            button.setVisible(saved)
        self.quick.show_for(saved, merged)
        for widget in (self.details, self.save_button, self.merge_button, self.convert_button, self.delete_button):
            widget.setEnabled(not merged)

    def _edited(self) -> None:
        if not self._loading:
            self.set_dirty(True)

    def _on_changed(self, table: str, ids) -> None:
        if self.identity_id is None or self.is_dirty():
            return
        if table == "identities" and (ids is None or self.identity_id in ids):
            self.load()
        elif table in ("opportunities", "activities", "attachments", "quotes"):
            self._refresh_current_tab()
        elif table in ("invoices", "contracts", "receipts", "sales_returns"):
            self._show_balance({table: ids})
            self._refresh_current_tab()  # the timeline lists documents too

    def _status(self, message: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 4000)

    # --- actions -------------------------------------------------------------------------------
    def _saved_first(self) -> bool:
        return not self.is_dirty() or self.save()

    def convert(self) -> None:
        if self.identity_id is None or not self._saved_first():
            return
        d = self.detail
        if not (d.first_name or d.last_name or d.org_name):  # known by a phone only: named first
            self.show_errors({name_field(d.kind): CONTACT_NEEDS_NAME})
            return
        dialog = ConvertDialog(self.title(), self)
        if not dialog.exec():
            return
        identity_id, title, amount = self.identity_id, dialog.opportunity_title(), dialog.value_amount
        lifecycle = self._services.identity_lifecycle
        converting = op(self, lambda: lifecycle.convert(self._actor, identity_id, title, amount))
        converting.run()
        if converting.succeeded:
            self.load()
            self._status("سرنخ به مخاطب تبدیل شد.")

    def toggle_unqualified(self) -> None:
        if self.identity_id is None or self.detail is None or not self._saved_first():
            return
        lifecycle, identity_id = self._services.identity_lifecycle, self.identity_id
        change = lifecycle.requalify if self.detail.role is IdentityRole.UNQUALIFIED else lifecycle.mark_unqualified
        toggling = op(self, lambda: change(self._actor, identity_id))
        toggling.run()
        if toggling.succeeded:
            self.load()

    def merge_with(self) -> None:
        """Pick another identity; it merges into this one after the user chooses the field values."""
        if self.identity_id is None or not self._saved_first():
            return
        from app.ui.identities.merge_dialog import MergeDialog, pick_identity

        other = pick_identity(self, self._services, self._actor, self.identity_id)
        if other is None:
            return
        merging, identity_id = self._services.identity_merge, self.identity_id
        preview = op(self, lambda: merging.preview(self._actor, identity_id, other)).run()
        if preview is None:
            return
        dialog = MergeDialog(preview, self)
        if not dialog.exec():
            return
        take = dialog.take_from_merged()
        merge = op(self, lambda: merging.merge(self._actor, identity_id, other, take))
        merge.run()
        if merge.succeeded:
            self.load()
            self._status("دو هویت ادغام شدند.")

    def _after_unmerge(self) -> None:
        self.load()
        self._status("ادغام بازگردانده شد.")

    def delete(self) -> None:
        if self.identity_id is None:
            return
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self, "حذف هویت", f"«{self.title()}» به سطل بازیافت منتقل شود؟", buttons.Yes | buttons.No, buttons.No
        )
        if answer != buttons.Yes:
            return
        identity_id = self.identity_id
        deleting = op(self, lambda: self._services.identities.soft_delete(self._actor, identity_id))
        deleting.run()
        if not deleting.succeeded:
            return
        self.set_dirty(False)
        tabs = self.parent()
        while tabs is not None and not hasattr(tabs, "close_tab"):
            tabs = tabs.parent()
        if tabs is not None:
            tabs.close_tab(tabs.indexOf(self))


register_form("identity", IdentityForm)
