"""The opportunity form (فرصت), in the source form's order: related identity → main fields → extra
fields → competitors → products; a header strip with the state, balance, the won / lost /
restore actions and «صدور پیش‌فاکتور» / «صدور فاکتور» (opportunity_documents.py); and the
«اسناد», activities and history tabs. Merging lives in opportunity_merging.py. Registered as the
record kind "opportunity".
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import OpportunityStatus
from app.persian import ValidationError, format_number
from app.services.core.changes import Changes
from app.services.core.errors import ConcurrentChange, ServiceError, ValidationFailed
from app.services.core.labels import BUYING_PROCESS, OPPORTUNITY_STATUS
from app.services.opportunities.data import OpportunityData, OpportunityDetail
from app.ui.common.conflict_dialog import ConflictChoice
from app.ui.common.conflicts import editor_text, resolve
from app.ui.common.flow_layout import record_header
from app.ui.common.form_fields import FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.money_edit import MoneyEdit
from app.ui.common.record_form import RecordForm, register_form
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.identities.identity_picker import IdentityPicker
from app.ui.opportunities.auto_probability_view import AutoProbabilityView
from app.ui.opportunities.opportunity_choices import CHOICE_TABLES, choice_items, make_combo, select_value
from app.ui.opportunities.opportunity_documents import OpportunityDocuments
from app.ui.opportunities.opportunity_extra import ExtraFields
from app.ui.opportunities.opportunity_lines import LinesEditor
from app.ui.opportunities.opportunity_merging import MergeActions
from app.ui.opportunities.opportunity_texts import analysis_text, result_text
from app.ui.opportunities.recurring_fields import RecurringFields
from app.ui.opportunities.result_actions import mark_lost, mark_won, restore
from app.ui.opportunities.similar_dialog import SimilarButton
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

BUYING = {None: "—", **BUYING_PROCESS}
PRIORITY = ("بدون ستاره", "★", "★★", "★★★")
BALANCE_TABLES = frozenset({"invoices", "contracts", "receipts", "sales_returns"})  # what its balance is made of


class OpportunityForm(MergeActions, RefreshWhenShown, RecordForm):
    def __init__(self, services: Services, actor: Actor, record_id=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.detail: OpportunityDetail | None = None
        self._opened: OpportunityData | None = None
        self._merges: list = []
        self._loading = True
        self._balance_rows: dict[str, frozenset | None] = {}  # its documents' tables, changed while hidden
        self.choices = services.opportunity_records.choices(actor)
        self.rows: dict[str, FieldRow] = {}
        self._build()
        if record_id is not None:
            self.load(uuid.UUID(str(record_id)))
        else:
            self._new()
        self._loading = False
        self.set_dirty(False)
        change_bus().sig_changes.connect(self._changed)

    # --- construction -----------------------------------------------------------------------------
    def _build(self) -> None:
        c = self.choices
        self.heading = QLabel(objectName="opportunityHeading")
        self.badge = QLabel(objectName="opportunityBadge")
        self.balance = QLabel(objectName="opportunityBalance")
        self.save_button = QPushButton("ذخیره", objectName="saveOpportunity")
        self.won_button = QPushButton("برنده شد", objectName="wonOpportunity")
        self.lost_button = QPushButton("بازنده شد", objectName="lostOpportunity")
        self.restore_button = QPushButton("بازگرداندن", objectName="restoreOpportunity")
        self.save_button.clicked.connect(self.save)
        self.won_button.clicked.connect(lambda: self._result("won"))
        self.lost_button.clicked.connect(lambda: self._result("lost"))
        self.restore_button.clicked.connect(lambda: self._result("restore"))
        self.merge_button = QPushButton("ادغام با…", objectName="mergeOpportunity")
        self.unmerge_button = QPushButton("لغو ادغام", objectName="undoMerge")
        self.merge_button.clicked.connect(self.choose_merge)
        self.unmerge_button.clicked.connect(self.undo_merge)
        self.similar = SimilarButton(self._services, self._actor)
        self.similar.sig_open.connect(lambda opportunity_id: self.sig_open_record.emit("opportunity", opportunity_id))
        self.documents = OpportunityDocuments(self, self._services, self._actor)
        strip = record_header(  # wraps at 1366×768 rather than scrolling the form sideways
            (self.heading, self.badge, self.balance, self.similar),
            (self.save_button, self.documents.quote_button, self.documents.invoice_button,
             self.documents.contract_button, self.won_button, self.lost_button, self.restore_button,
             self.merge_button, self.unmerge_button),
        )  # fmt: skip

        self.identity = IdentityPicker(self._services, self._actor)
        self.title_edit = QLineEdit(objectName="title")
        items = choice_items(c)
        self.type = make_combo("type_id", items["type_id"])
        # The pipeline chosen limits the stages offered (each pipeline has its own); shown when there are several.
        self.pipeline = make_combo("pipeline_id", [], None)
        self.stage = make_combo("stage_id", [], None)
        self._fill_pipelines()
        stage_row = QWidget()
        stage_layout = QHBoxLayout(stage_row)
        stage_layout.setContentsMargins(0, 0, 0, 0)
        stage_layout.addWidget(self.pipeline)
        stage_layout.addWidget(self.stage, 1)
        self.owner = make_combo("owner_id", items["owner_id"], None)
        self.team = make_combo("team_id", items["team_id"])
        self.source = make_combo("source_id", items["source_id"])
        self.campaign = make_combo("campaign_id", items["campaign_id"])
        self.medium = make_combo("medium_id", items["medium_id"])
        self.referrer = IdentityPicker(self._services, self._actor)
        self.expected_close = JalaliDateEdit()
        self.expected_close.setNullable(True)
        self.expected_close.set_date_value(None)
        self.amount = MoneyEdit()
        self.recurring = RecurringFields(c.plans, self)
        self.probability = QSpinBox(objectName="probability", minimum=0, maximum=100, suffix="٪")
        self.probability_auto = QCheckBox("از مرحله", objectName="probabilityAuto", checked=True)
        self.probability_auto.toggled.connect(lambda on: self.probability.setEnabled(not on))
        self.probability.setEnabled(False)
        self.auto_probability = AutoProbabilityView(self._services, self._actor)
        self.priority = make_combo("priority", list(enumerate(PRIORITY)), None)
        self.tags = QLineEdit(objectName="tags", placeholderText="برچسب‌ها، جدا با ویرگول («،»)")
        self.buying = make_combo("buying_process", [(k, v) for k, v in BUYING.items() if k], "—")
        self.price_list = make_combo("price_list_id", items["price_list_id"], "لیست قیمت هویت / پیش‌فرض")
        self.result = QLabel(objectName="closeResult", wordWrap=True)
        self.analysis = QLabel(objectName="analysis", wordWrap=True)  # seed 004's «ستون تحلیل»
        self.description = QPlainTextEdit(objectName="description")
        self.description.setMaximumHeight(80)

        related = QGroupBox("مرتبط با")
        QFormLayout(related).addRow("هویت *", self._row("identity_id", self.identity))
        main = QGroupBox("مشخصات")
        form = QFormLayout(main)
        probability = QWidget()
        prob_layout = QHBoxLayout(probability)
        prob_layout.setContentsMargins(0, 0, 0, 0)
        prob_layout.addWidget(self.probability)
        prob_layout.addWidget(self.probability_auto)
        prob_layout.addWidget(self.auto_probability, 1)
        for label, field, widget in (
            ("عنوان *", "title", self.title_edit), ("نوع", "type_id", self.type), ("مرحله", "stage_id", stage_row),
            ("تخصیص داده‌شده به", "owner_id", self.owner), ("تیم فروش", "team_id", self.team),
            ("منبع", "source_id", self.source), ("کمپین", "campaign_id", self.campaign),
            ("وسیله ارتباطی", "medium_id", self.medium), ("معرف", "referrer_id", self.referrer),
            ("تاریخ پیش‌بینی بستن", "expected_close", self.expected_close),
            ("مبلغ برآوردی (ریال)", "amount", self.amount),
            ("مبلغ تکرارشونده (ریال)", "recurring_amount", self.recurring.amount_box),
            ("طرح تکرارشونده", "recurring_plan_id", self.recurring.plan),
            ("درصد احتمال", "probability", probability), ("اولویت", "priority", self.priority),
            ("برچسب‌ها", "tags", self.tags), ("پروسه خرید", "buying_process", self.buying),
            ("لیست قیمت", "price_list_id", self.price_list), ("نتیجه", "result", self.result),
            ("تحلیل", "analysis", self.analysis),
            ("توضیحات", "description", self.description),
        ):  # fmt: skip
            form.addRow(label, self._row(field, widget))
        self.extra = ExtraFields(c.fields)
        for key, row in self.extra.rows.items():
            self.rows[key] = row
        extra_box = QGroupBox("مشخصات اضافه")
        QVBoxLayout(extra_box).addWidget(self.extra)
        extra_box.setVisible(bool(c.fields))
        self.competitors = QListWidget(objectName="competitors")
        for item in c.lists["competitors"]:
            entry = QListWidgetItem(item.name)
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.competitors.addItem(entry)
        self.competitors.setMaximumHeight(90)
        rivals = QGroupBox("رقبا")
        QVBoxLayout(rivals).addWidget(self.competitors if c.lists["competitors"] else QLabel("رقیبی تعریف نشده است."))
        self.lines = LinesEditor(self._services, self._actor)
        products = QGroupBox("محصولات فرصت")
        QVBoxLayout(products).addWidget(self._row("lines", self.lines))

        page = QWidget()
        page_layout = QVBoxLayout(page)
        for box in (related, main, extra_box, rivals, products):
            page_layout.addWidget(box)
        page_layout.addStretch()
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(page)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, "مشخصات")
        self.tabs.addTab(self.documents.tab, "اسناد")
        from app.ui.activities.record_activities import add_activity_tabs  # the activities area's tabs

        self.activities = add_activity_tabs(self.tabs, self._services, self._actor)
        self.activities.sig_open_record.connect(self.sig_open_record)
        from app.ui.activities.messages_widget import add_messages_tab

        self.messages = add_messages_tab(self.tabs, self._services, self._actor)
        self.history = None
        try:
            from app.ui.common.history_view import HistoryView

            self.history = HistoryView(self._services, self._actor, "opportunities", None)
            self.tabs.addTab(self.history, "تاریخچه")
        except ImportError:  # the identities area's widget, when it is there
            pass
        layout = QVBoxLayout(self)
        layout.addLayout(strip)
        layout.addWidget(self.tabs)
        self._watch()

    def _row(self, field: str, widget: QWidget) -> FieldRow:
        row = FieldRow(widget)
        self.rows[field] = row
        return row

    def _watch(self) -> None:
        dirty = self._edited
        self.identity.sig_picked.connect(self._identity_picked)
        self.referrer.sig_picked.connect(dirty)
        for edit in (self.title_edit, self.tags):
            edit.textEdited.connect(dirty)
        for combo in (self.type, self.stage, self.owner, self.team, self.source, self.campaign, self.medium,
                      self.priority, self.buying, self.price_list):  # fmt: skip
            combo.currentIndexChanged.connect(dirty)
        self.stage.currentIndexChanged.connect(self._stage_changed)
        self.pipeline.currentIndexChanged.connect(self._pipeline_changed)
        self.expected_close.sig_value_changed.connect(dirty)
        self.amount.sig_value_changed.connect(dirty)
        self.recurring.sig_changed.connect(dirty)
        self.probability.valueChanged.connect(dirty)
        self.probability_auto.toggled.connect(self._stage_changed)
        self.description.textChanged.connect(dirty)
        self.competitors.itemChanged.connect(dirty)
        self.extra.sig_changed.connect(dirty)
        self.lines.sig_changed.connect(self._lines_changed)
        self.price_list.currentIndexChanged.connect(self._price_list_changed)
        self.title_edit.textEdited.connect(lambda _t: self.sig_title_changed.emit(self.title()))

    # --- state ---------------------------------------------------------------------------------------
    def title(self) -> str:
        text = self.title_edit.text().strip()
        return f"فرصت: {text}" if text else "فرصت تازه"

    def _edited(self, *_args) -> None:
        if not self._loading:
            self.set_dirty(True)

    def _identity_picked(self, identity_id) -> None:
        self.lines.identity_id = identity_id
        self.similar.set_record(identity_id, self.detail.id if self.detail else None)
        self._edited()

    def _stage_changed(self, *_args) -> None:
        if self.probability_auto.isChecked():
            stage_id = self.stage.currentData()
            stage = next((st for p in self.choices.pipelines for st in p.stages if st.id == stage_id), None)
            if stage is not None:
                self.probability.setValue(stage.probability)
        self._edited()

    def _fill_pipelines(self) -> None:
        """The pipeline combo (kept on its choice) and the stages of the chosen pipeline."""
        current = self.pipeline.currentData()
        self.pipeline.blockSignals(True)
        self.pipeline.clear()
        for p in self.choices.pipelines:
            self.pipeline.addItem(p.name, p.id)
        select_value(self.pipeline, current)
        self.pipeline.setVisible(len(self.choices.pipelines) > 1)
        self.pipeline.blockSignals(False)
        self._fill_stages(self.stage.currentData())

    def _fill_stages(self, stage_id) -> None:
        pipeline = next((p for p in self.choices.pipelines if p.id == self.pipeline.currentData()), None)
        self.stage.blockSignals(True)
        self.stage.clear()
        for st in pipeline.stages if pipeline else ():
            self.stage.addItem(st.name, st.id)
        select_value(self.stage, stage_id)
        self.stage.blockSignals(False)

    def _show_stage(self, pipeline_id, stage_id) -> None:
        self.pipeline.blockSignals(True)
        select_value(self.pipeline, pipeline_id)
        self.pipeline.blockSignals(False)
        self._fill_stages(stage_id)

    def _pipeline_changed(self, *_args) -> None:
        """Another pipeline: its first stage."""
        pipeline = next((p for p in self.choices.pipelines if p.id == self.pipeline.currentData()), None)
        self._fill_stages(pipeline.stages[0].id if pipeline and pipeline.stages else None)
        self._stage_changed()

    def _price_list_changed(self, *_args) -> None:
        if not self._loading:  # load() hands the stored list to the lines itself
            self.lines.change_price_list(self.price_list.currentData())

    def _lines_changed(self) -> None:
        total = self.lines.amount()
        self.amount.setReadOnly(total is not None)  # with products the amount is their sum
        if total is not None:
            self.amount.set_value(total)
        self._edited()

    def _new(self) -> None:
        self._set_state(None)
        select_value(self.owner, self._actor.user_id)
        self._stage_changed()

    def set_identity(self, identity_id: uuid.UUID, name: str) -> None:
        """Fills «مرتبط با» (a new opportunity opened from an identity)."""
        self.identity.set_identity(identity_id, name)
        self.lines.identity_id = identity_id
        self.similar.set_record(identity_id, None)

    def load(self, opportunity_id: uuid.UUID) -> None:
        d = self._services.opportunity_records.get(self._actor, opportunity_id)
        self.activities.set_record(opportunity_id=opportunity_id)
        self.messages.set_record("opportunities", opportunity_id)
        self._loading = True
        self.detail = d
        self.identity.set_identity(d.identity_id, d.identity_name)
        self.referrer.set_identity(d.referrer_id, d.referrer_name or "")
        self.title_edit.setText(d.title)
        self._show_stage(d.pipeline_id, d.stage_id)
        for combo, value in ((self.type, d.type_id), (self.owner, d.owner_id),
                             (self.team, d.team_id), (self.source, d.source_id), (self.campaign, d.campaign_id),
                             (self.medium, d.medium_id), (self.priority, d.priority), (self.buying, d.buying_process),
                             (self.price_list, d.price_list_id)):  # fmt: skip
            select_value(combo, value)
        self.expected_close.set_date_value(d.expected_close)
        self.probability_auto.setChecked(not d.probability_manual)
        self.probability.setValue(d.probability)
        self.tags.setText("، ".join(d.tags))
        self.description.setPlainText(d.description or "")
        for i in range(self.competitors.count()):
            item = self.competitors.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in d.competitor_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.extra.set_values(d.extra)
        self.lines.identity_id, self.lines.price_list_id = d.identity_id, d.price_list_id
        self.lines.set_lines(d.lines)
        self.amount.set_value(d.amount)
        self.amount.setReadOnly(bool(d.lines))
        self.recurring.set_values(d.recurring_amount, d.recurring_plan_id)
        self.similar.set_record(d.identity_id, d.id)
        self._set_state(d)
        if self.history is not None:
            self.history.set_record(d.id)
        self._loading = False
        try:  # what a conflict is compared against: the values as the form shows them
            self._opened = self.data()
        except ValidationFailed:
            self._opened = d.to_data()
        self.set_dirty(False)
        self.sig_title_changed.emit(self.title())

    def _changed(self, changes: Changes) -> None:
        """A batch of writes elsewhere (won on the board, a receipt for its invoice, a source added):
        the pick lists are refilled once if they are what changed, and a saved opportunity the user
        is not editing shows the rest; a form in a background tab does both when shown again."""
        if changes.tables & CHOICE_TABLES:
            self.refresh_or_defer(self._refill_choices)
        d = self.detail
        if d is None or self.is_dirty():
            return
        ids = changes.ids("opportunities") if "opportunities" in changes.tables else frozenset()
        if ids is None or d.id in ids:
            self.refresh_or_defer(self._reload)
        elif changes.tables & BALANCE_TABLES:
            for table in BALANCE_TABLES & changes.tables:  # None (rows unknown) wins over ids
                before, now = self._balance_rows.get(table, frozenset()), changes.ids(table)
                self._balance_rows[table] = None if before is None or now is None else before | now
            self.refresh_or_defer(self._reload_if_its_documents)

    def _reload_if_its_documents(self) -> None:
        """Its balance moves only with its own documents: asked off the GUI thread, reloaded if so."""
        touched, self._balance_rows = self._balance_rows, {}
        if self.detail is None or not touched:
            return
        if any(ids is None for ids in touched.values()):
            self._reload()
            return
        documents, actor, opportunity_id = self._services.record_documents, self._actor, self.detail.id
        asking = op(self, lambda: documents.concerns(actor, touched, opportunity_id=opportunity_id))
        asking.success(lambda concerned: concerned and self._reload()).run_in_background()

    def _refill_choices(self) -> None:
        """The pick lists changed (a source added by the administrator): read off the GUI thread."""
        records, actor = self._services.opportunity_records, self._actor
        op(self, lambda: records.choices(actor)).success(self._fill_choices).run_in_background()

    def _fill_choices(self, choices) -> None:
        """The combos offer the new items and keep what is chosen, even an item just removed from its
        list (the user's choice, saved or not, is theirs to change), without marking the form edited."""
        self.choices = choices
        for field, items in choice_items(choices).items():
            combo = self.rows[field].editor
            current, current_text = combo.currentData(), combo.currentText()
            if current is not None and all(value != current for value, _label in items):
                items = [*items, (current, current_text)]
            combo.blockSignals(True)
            for index in reversed(range(combo.count())):
                if combo.itemData(index) is not None:  # the placeholder («—») stays
                    combo.removeItem(index)
            for value, label in items:
                combo.addItem(label, value)
            select_value(combo, current)
            combo.blockSignals(False)
        self.recurring.set_plans(choices.plans)
        self._fill_pipelines()

    def _reload(self) -> None:
        if self.detail is None or self.is_dirty():
            return
        try:
            self.load(self.detail.id)
        except ServiceError:
            pass  # merged away or no longer visible: the tab keeps what it showed

    def _set_state(self, d: OpportunityDetail | None) -> None:
        status = d.status if d else OpportunityStatus.OPEN
        self.heading.setText(f"<b>{d.title if d else 'فرصت تازه'}</b>")
        self.badge.setText(
            f"[{OPPORTUNITY_STATUS[status]}{' · ' + d.stage_name if d and status is OpportunityStatus.OPEN else ''}]"
        )
        if d:
            side = "بدهکار" if d.balance > 0 else ("بستانکار" if d.balance < 0 else "بی‌حساب")
            self.balance.setText(
                f"مانده: {format_number(abs(d.balance))} ریال {side}" if d.balance else "مانده: بی‌حساب"
            )
        else:
            self.balance.setText("مانده: ۰")
        saved = d is not None
        self.documents.show_for(d.id if d else None)
        self.auto_probability.show_for(d.id if d else None, status is OpportunityStatus.OPEN)
        self.won_button.setVisible(saved and status is OpportunityStatus.OPEN)
        self.lost_button.setVisible(saved and status is OpportunityStatus.OPEN)
        self.restore_button.setVisible(saved and status is OpportunityStatus.LOST)
        self.stage.setEnabled(status is OpportunityStatus.OPEN)
        self.pipeline.setEnabled(status is OpportunityStatus.OPEN)
        self.merge_button.setVisible(saved)
        self._merges = self._services.opportunity_merge.merges(self._actor, d.id) if d else []
        self.unmerge_button.setVisible(bool(self._merges))
        competitor = self._competitor_name(d.lost_to_id) if d and d.lost_to_id is not None else ""
        self.result.setText(result_text(d, competitor))
        self.analysis.setText(analysis_text(d))

    def _competitor_name(self, competitor_id) -> str:
        """The competitor's name, also when the admin has since deactivated it (the rivals list shows active ones)."""
        items = self._services.sales_lists.items(self._actor, "competitors", include_inactive=True)
        return next((i.name for i in items if i.id == competitor_id), "—")

    # --- saving ----------------------------------------------------------------------------------------
    def data(self) -> OpportunityData:
        try:
            amount = self.amount.value() or 0
        except ValidationError as exc:
            raise ValidationFailed({"amount": exc.message}) from None
        recurring_amount, recurring_plan_id = self.recurring.values()
        extra, errors = self.extra.values()
        if errors:
            raise ValidationFailed(errors)
        tags = tuple(t.strip() for t in self.tags.text().replace("،", ",").split(",") if t.strip())
        checked = [self.competitors.item(i) for i in range(self.competitors.count())]
        return OpportunityData(
            identity_id=self.identity.identity_id(),
            title=self.title_edit.text(),
            stage_id=self.stage.currentData(),
            amount=amount,
            probability=None if self.probability_auto.isChecked() else self.probability.value(),
            priority=self.priority.currentData() or 0,
            owner_id=self.owner.currentData(),
            team_id=self.team.currentData(),
            type_id=self.type.currentData(),
            source_id=self.source.currentData(),
            campaign_id=self.campaign.currentData(),
            medium_id=self.medium.currentData(),
            referrer_id=self.referrer.identity_id(),
            expected_close=self.expected_close.date_value(),
            buying_process=self.buying.currentData(),
            price_list_id=self.price_list.currentData(),
            description=self.description.toPlainText(),
            tags=tags,
            competitor_ids=tuple(
                i.data(Qt.ItemDataRole.UserRole) for i in checked if i.checkState() == Qt.CheckState.Checked
            ),
            extra=extra,
            lines=self.lines.lines(),
            recurring_amount=recurring_amount,
            recurring_plan_id=recurring_plan_id,
        )

    def save(self) -> bool:
        """Saves through the service; refused fields show their message and keep what was typed."""
        try:
            data = self.data()
        except ValidationFailed as exc:  # the form's own checks (an amount that is not a number)
            self.show_errors(exc.errors)
            return False
        if self.detail is None:
            records, actor = self._services.opportunity_records, self._actor
            saved_id = op(self, lambda: records.create(actor, data)).run()
        else:
            saved = self._update(data, self.detail.version)
            saved_id = saved.id if saved is not None else None
        if saved_id is None:
            return False
        self.show_errors({})
        self.setProperty("record_key", ("opportunity", str(saved_id)))
        self.load(saved_id)
        return True

    def _update(self, data: OpportunityData, version: int) -> OpportunityDetail | None:
        """Saves over the version the form opened; if someone saved since, the user compares and
        chooses (None: nothing saved, the form shows what they chose)."""
        records, actor, record_id = self._services.opportunity_records, self._actor, self.detail.id
        kept_mine: list[OpportunityDetail | None] = []

        def compare(conflict: ConcurrentChange) -> None:
            fresh = records.get(actor, record_id)

            def text_of(field: str, value, is_mine: bool) -> str:
                pickers = {"identity_id": (self.identity, fresh.identity_name),
                           "referrer_id": (self.referrer, fresh.referrer_name)}  # fmt: skip
                names = {field: pickers[field][0].text() if is_mine else pickers[field][1]} if field in pickers else {}
                return editor_text(self.rows, names, field, value)

            choice, merged = resolve(
                self, conflict, self._opened, data, fresh.to_data(), text_of, table="opportunities"
            )
            if choice is ConflictChoice.RELOAD:
                self.load(fresh.id)
            elif choice is ConflictChoice.KEEP_MINE:
                kept_mine.append(self._update(merged, fresh.version))

        saved = op(self, lambda: records.update(actor, record_id, data, version)).conflict(compare).run()
        return saved if saved is not None else next(iter(kept_mine), None)

    def show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for field, row in self.rows.items():
            row.set_error(errors.get(field))
            if field in errors and first is None:
                first = row.editor
        if first is not None:
            self.tabs.setCurrentIndex(0)
            first.setFocus()

    def _result(self, action: str) -> None:
        d = self.detail
        if d is None or (self.is_dirty() and not self.save()):
            return
        d = self.detail
        s, a = self._services, self._actor
        if action == "won":
            done = mark_won(self, s, a, d.id, d.title, d.amount, d.version)
        elif action == "lost":
            done = mark_lost(self, s, a, d.id, d.title, d.version)
        else:
            done = restore(self, s, a, d.id, d.title, d.pipeline_id)
        if done:
            self.load(d.id)


def open_new_for_identity(tabs, identity_id: uuid.UUID, name: str) -> OpportunityForm:
    """Opens a new opportunity tab with «مرتبط با» filled (from an identity's page)."""
    form = tabs.open_record("opportunity", None)
    form.set_identity(identity_id, name)
    return form


register_form("opportunity", OpportunityForm)
