"""The «مشخصات» tab of the identity form: every field, with its error under it, as IdentityData.

Nothing typed is lost when a save is refused: `show_errors` only adds red text under the fields
(keys as the service names them: "last_name", "phones.0", "addresses.0.postal_code" ...) and
focuses the first faulty one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import IdentityKind, IdentityRole, PhoneKind
from app.services.core.labels import PHONE_KIND, ROLE
from app.services.identities.records import AddressData, IdentityData, IdentityDetail, PhoneData
from app.ui.common.form_fields import FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.events import change_bus
from app.ui.identities.identity_picker import IdentityPicker
from app.ui.qt_setup import make_ltr

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

TITLES = ["", "آقای", "خانم", "دکتر", "مهندس"]


def _uuid(value) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


class RepeatedRows(QWidget):
    """Rows of editors (a phone, an e-mail, an address) with «+» to add and «×» to remove."""

    sig_changed = Signal()

    def __init__(self, key: str, add_text: str, make_row: Callable[[], tuple[QWidget, list[QWidget]]]) -> None:
        super().__init__()
        self.key = key
        self._make_row = make_row
        self.rows: list[tuple[FieldRow, list[QWidget]]] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(add_text, objectName=f"add_{key}")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.add_button.setMaximumWidth(140)
        self._layout.addWidget(self.add_button, alignment=Qt.AlignmentFlag.AlignLeading)

    def add_row(self) -> list[QWidget]:
        body, editors = self._make_row()
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(body, 1)
        remove = QPushButton("×", toolTip="حذف")
        remove.setFixedWidth(28)
        line.addWidget(remove)
        row = FieldRow(holder)
        entry = (row, editors)
        remove.clicked.connect(lambda: self._remove(entry))
        self.rows.append(entry)
        self._layout.insertWidget(self._layout.count() - 1, row)
        for editor in editors:
            signal = getattr(editor, "textChanged", None) or getattr(editor, "currentIndexChanged", None)
            signal.connect(self.sig_changed)
        self.sig_changed.emit()
        return editors

    def _remove(self, entry) -> None:
        self.rows.remove(entry)
        entry[0].deleteLater()
        self.sig_changed.emit()

    def clear(self) -> None:
        for row, _ in self.rows:
            row.deleteLater()
        self.rows = []

    def show_errors(self, errors: dict[str, str]) -> QWidget | None:
        first = None
        for i, (row, editors) in enumerate(self.rows):
            mine = [m for k, m in errors.items() if k == f"{self.key}.{i}" or k.startswith(f"{self.key}.{i}.")]
            row.set_error("؛ ".join(mine) or None)
            if mine and first is None:
                first = editors[-1] if self.key == "phones" else editors[0]
        return first


# The tables behind the pick lists (the owners are the active users).
CHOICE_TABLES = frozenset({"categories", "sources", "users", "tags"})


class IdentityDetails(QScrollArea):
    sig_changed = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setWidgetResizable(True)
        self.fields: dict[str, FieldRow] = {}
        body = QWidget()
        layout = QVBoxLayout(body)

        kind_row = QHBoxLayout()
        self.person_radio = QRadioButton("شخص", checked=True)
        self.org_radio = QRadioButton("سازمان")
        self._kinds = QButtonGroup(self)
        for radio in (self.person_radio, self.org_radio):
            self._kinds.addButton(radio)
            kind_row.addWidget(radio)
        self.role_combo = QComboBox(objectName="role")
        for role in (IdentityRole.LEAD, IdentityRole.CONTACT):
            self.role_combo.addItem(ROLE[role], role.value)
        self.role_label = QLabel("نقش:")
        kind_row.addStretch()
        kind_row.addWidget(self.role_label)
        kind_row.addWidget(self.role_combo)
        layout.addLayout(kind_row)

        self.person_box = QGroupBox("مشخصات شخص")
        form = QFormLayout(self.person_box)
        self.title = QComboBox(editable=True, objectName="title")
        self.title.addItems(TITLES)
        self._add(form, "title", "عنوان", self.title)
        self.first_name = self._add(form, "first_name", "نام", QLineEdit())
        self.last_name = self._add(form, "last_name", "نام خانوادگی *", QLineEdit())
        self.national_code = self._add(form, "national_code", "کد ملی", make_ltr(QLineEdit()))
        self.birth_date = JalaliDateEdit()
        self.birth_date.setNullable(True)
        self.birth_date.set_date_value(None)
        self._add(form, "birth_date", "تاریخ تولد", self.birth_date)
        self.organisation = IdentityPicker(services, actor)
        self._add(form, "organisation_id", "سازمان", self.organisation)
        layout.addWidget(self.person_box)

        self.org_box = QGroupBox("مشخصات سازمان")
        form = QFormLayout(self.org_box)
        self.org_name = self._add(form, "org_name", "نام سازمان *", QLineEdit())
        self.legal_id = self._add(form, "legal_id", "شناسه ملی", make_ltr(QLineEdit()))
        self.economic_code = self._add(form, "economic_code", "کد اقتصادی", make_ltr(QLineEdit()))
        self.registration_no = self._add(form, "registration_no", "شماره ثبت", make_ltr(QLineEdit()))
        layout.addWidget(self.org_box)

        contact = QGroupBox("راه‌های ارتباط")
        form = QFormLayout(contact)
        self.phones = RepeatedRows("phones", "+ تلفن", self._phone_row)
        form.addRow("تلفن‌ها", self.phones)
        self.emails = RepeatedRows("emails", "+ ایمیل", lambda: self._single(make_ltr(QLineEdit())))
        form.addRow("ایمیل‌ها", self.emails)
        self.website = self._add(form, "website", "وب‌سایت", make_ltr(QLineEdit()))
        layout.addWidget(contact)

        places = QGroupBox("نشانی‌ها")
        self.addresses = RepeatedRows("addresses", "+ نشانی", self._address_row)
        QVBoxLayout(places).addWidget(self.addresses)
        layout.addWidget(places)

        more = QGroupBox("دسته‌بندی و مسئول")
        form = QFormLayout(more)
        self.category = self._add(form, "category_id", "دسته‌بندی", QComboBox())
        self.source = self._add(form, "source_id", "نحوه آشنایی", QComboBox())
        self.tags = self._add(form, "tags", "برچسب‌ها", QLineEdit(placeholderText="با ویرگول جدا کنید"))
        self.owner = self._add(form, "owner_id", "مسئول", QComboBox())
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(80)
        self._add(form, "description", "توضیحات", self.description)
        layout.addWidget(more)
        layout.addStretch()
        self.setWidget(body)

        self._fill_choices()
        change_bus().sig_changed.connect(self._on_changed)
        self._kinds.buttonToggled.connect(lambda *_: self._show_kind())
        self._show_kind()
        for editor in self._editors():
            for name in ("textChanged", "currentIndexChanged", "sig_value_changed", "toggled"):
                signal = getattr(editor, name, None)
                if signal is not None:
                    signal.connect(self.sig_changed)
                    break
        for rows in (self.phones, self.emails, self.addresses):
            rows.sig_changed.connect(self.sig_changed)

    # --- construction helpers ------------------------------------------------------------
    def _add(self, form: QFormLayout, key: str, label: str, editor: QWidget) -> QWidget:
        editor.setObjectName(key)
        row = FieldRow(editor)
        self.fields[key] = row
        form.addRow(label, row)
        return editor

    def _editors(self) -> list[QWidget]:
        return [row.editor for row in self.fields.values()] + [self.role_combo, self.person_radio]

    @staticmethod
    def _single(editor: QWidget) -> tuple[QWidget, list[QWidget]]:
        return editor, [editor]

    @staticmethod
    def _phone_row() -> tuple[QWidget, list[QWidget]]:
        box = QWidget()
        line = QHBoxLayout(box)
        line.setContentsMargins(0, 0, 0, 0)
        kind = QComboBox()
        for value, label in PHONE_KIND.items():
            kind.addItem(label, value.value)
        number = make_ltr(QLineEdit(placeholderText="۰۹۱۲…"))
        line.addWidget(kind)
        line.addWidget(number, 1)
        return box, [kind, number]

    @staticmethod
    def _address_row() -> tuple[QWidget, list[QWidget]]:
        box = QWidget()
        grid = QFormLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        editors = [QLineEdit(), QLineEdit(), QLineEdit(), make_ltr(QLineEdit())]
        for label, editor in zip(("استان", "شهر", "نشانی", "کد پستی"), editors, strict=True):
            grid.addRow(label, editor)
        return box, editors

    def _fill_choices(self) -> None:
        """The category, source and owner lists and the tags' completer; filled again when one of
        them changes elsewhere, keeping what is chosen (and not marking the form edited)."""
        combos = (self.category, self.source, self.owner)
        kept = [(combo.currentData(), combo.currentText()) for combo in combos]
        for combo in combos:
            combo.blockSignals(True)
            combo.clear()
        self.category.addItem("—", None)
        for node in self._services.categories.tree(self._actor):
            self.category.addItem("    " * node.depth + node.name, str(node.id))
        self.source.addItem("—", None)
        for choice in self._services.identities.sources(self._actor):
            self.source.addItem(choice.name, str(choice.id))
        for choice in self._services.identities.owners(self._actor):
            self.owner.addItem(choice.name, str(choice.id))
        if kept[2][0] is None:  # a new form: the user is its owner
            kept[2] = (str(self._actor.user_id), "")
        for combo, (data, text) in zip(combos, kept, strict=True):
            index = combo.findData(data) if data is not None else 0
            if index < 0 and text:  # inactive or deleted meanwhile, but still the chosen value
                combo.addItem(text, data)
                index = combo.count() - 1
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        names = [t.name for t in self._services.tags.tags(self._actor)]
        completer = QCompleter(names, self.tags)
        self.tags.setCompleter(completer)

    def _on_changed(self, table: str, _ids) -> None:
        if table in CHOICE_TABLES:
            self._fill_choices()

    def _show_kind(self) -> None:
        person = self.person_radio.isChecked()
        self.person_box.setVisible(person)
        self.org_box.setVisible(not person)

    # --- values --------------------------------------------------------------------------------
    def kind(self) -> IdentityKind:
        return IdentityKind.PERSON if self.person_radio.isChecked() else IdentityKind.ORGANISATION

    def value(self) -> IdentityData:
        person = self.kind() is IdentityKind.PERSON
        return IdentityData(
            kind=self.kind(),
            title=self.title.currentText() if person else "",
            first_name=self.first_name.text() if person else "",
            last_name=self.last_name.text() if person else "",
            org_name=self.org_name.text() if not person else "",
            national_code=self.national_code.text() if person else "",
            legal_id=self.legal_id.text() if not person else "",
            economic_code=self.economic_code.text() if not person else "",
            registration_no=self.registration_no.text() if not person else "",
            birth_date=self.birth_date.date_value() if person else None,
            organisation_id=self.organisation.identity_id() if person else None,
            phones=[PhoneData(e[1].text(), PhoneKind(e[0].currentData())) for _, e in self.phones.rows],
            emails=[e[0].text() for _, e in self.emails.rows],
            addresses=[AddressData(*(x.text() for x in e)) for _, e in self.addresses.rows],
            website=self.website.text(),
            category_id=_uuid(self.category.currentData()),
            source_id=_uuid(self.source.currentData()),
            tags=[t.strip() for t in self.tags.text().replace("،", ",").split(",") if t.strip()],
            owner_id=_uuid(self.owner.currentData()),
            description=self.description.toPlainText(),
            role=IdentityRole(self.role_combo.currentData()),
        )

    def load(self, d: IdentityDetail) -> None:
        blocked = self.blockSignals(True)
        (self.person_radio if d.kind is IdentityKind.PERSON else self.org_radio).setChecked(True)
        self.title.setCurrentText(d.title)
        for editor, value in (
            (self.first_name, d.first_name),
            (self.last_name, d.last_name),
            (self.national_code, d.national_code),
            (self.org_name, d.org_name),
            (self.legal_id, d.legal_id),
            (self.economic_code, d.economic_code),
            (self.registration_no, d.registration_no),
            (self.website, d.website),
            (self.tags, "، ".join(d.tags)),
        ):
            editor.setText(value)
        self.birth_date.set_date_value(d.birth_date)
        self.organisation.set_identity(d.organisation_id, d.organisation_name or "")
        for rows in (self.phones, self.emails, self.addresses):
            rows.clear()
        for phone in d.phones:
            kind, number = self.phones.add_row()
            kind.setCurrentIndex(max(kind.findData(phone.kind.value), 0))
            number.setText(phone.number)
        for email in d.emails:
            self.emails.add_row()[0].setText(email)
        for address in d.addresses:
            for editor, value in zip(
                self.addresses.add_row(),
                (address.province, address.city, address.street, address.postal_code),
                strict=True,
            ):
                editor.setText(value)
        for combo, value, name in (
            (self.category, d.category_id, d.category_name),
            (self.source, d.source_id, d.source_name),
            (self.owner, d.owner_id, d.owner_name),
        ):
            index = combo.findData(str(value)) if value is not None else 0
            if index < 0:  # inactive now, but still the record's value
                combo.addItem(name or "؟", str(value))
                index = combo.count() - 1
            combo.setCurrentIndex(max(index, 0))
        self.description.setPlainText(d.description)
        self.role_combo.hide()
        self.role_label.hide()
        self._show_kind()
        self.show_errors({})
        self.blockSignals(blocked)

    def start_new(self) -> None:
        """An empty form: one mobile row and one address row ready to type in."""
        self.phones.add_row()
        self.emails.add_row()
        self.addresses.add_row()

    def show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for key, row in self.fields.items():
            row.set_error(errors.get(key))
            if key in errors and first is None:
                first = row.editor
        for rows in (self.phones, self.emails, self.addresses):
            found = rows.show_errors(errors)
            first = first or found
        if first is not None:
            self.ensureWidgetVisible(first)
            first.setFocus()
